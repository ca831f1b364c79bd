"""Write one step of the LSTM cell: its four gates, the new cell state c_t and the new hidden state h_t.

Slide "Long Short-Term Memory (LSTM)": a forget gate, an input gate, a cell and an output gate, each from x_t and
h_{t-1} with weights of its own (sigma is the logistic sigmoid, * is elementwise, the slide's ⊗):

    f_t  = sigma(W_f x_t + U_f h_{t-1} + b_f)     forget gate: how much of c_{t-1} to keep
    i_t  = sigma(W_i x_t + U_i h_{t-1} + b_i)     input gate: how much of c~_t to write
    c~_t = tanh(W_c x_t + U_c h_{t-1} + b_c)      cell: the intermediate cell state (the slide's table prints W_o,
                                                  U_o, b_o here: a mistake, exercise 04_lstm_cell_row)
    o_t  = sigma(W_o x_t + U_o h_{t-1} + b_o)     output gate: how much of c_t to reveal
    c_t  = f_t * c_{t-1} + i_t * c~_t             the new cell state (not on the slide)
    h_t  = o_t * tanh(c_t)                        the new hidden state (not on the slide)

Write `lstm_cell(x_t, h_prev, c_prev, w)` for a 1-D x_t (D), h_prev and c_prev (H), where w holds the slide's
weights by name (w['W_f'] is H x D, w['U_f'] H x H, w['b_f'] H; the same for i, c, o), by hand (not nn.LSTMCell),
returning (h_t, c_t).

Write your answer where the file says, then run the file (or its last cell): each check compares it with
nn.LSTMCell holding the same weights. The solution, after you tried: exercises/solutions/03_lstm_cell.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: the LSTM table as code, and the two new states
def lstm_cell(x_t, h_prev, c_prev, w):
    """One LSTM step with the slide's weights w['W_f'], w['U_f'], w['b_f'], ... (f, i, c, o); returns (h_t, c_t)."""
    ### BEGIN SOLUTION
    f_t = torch.sigmoid(w['W_f'] @ x_t + w['U_f'] @ h_prev + w['b_f'])     # Forget gate
    i_t = torch.sigmoid(w['W_i'] @ x_t + w['U_i'] @ h_prev + w['b_i'])     # Input gate
    c_tilde = torch.tanh(w['W_c'] @ x_t + w['U_c'] @ h_prev + w['b_c'])    # Cell: its own W_c, U_c, b_c
    o_t = torch.sigmoid(w['W_o'] @ x_t + w['U_o'] @ h_prev + w['b_o'])     # Output gate
    c_t = f_t * c_prev + i_t * c_tilde  # Keep some of the old cell state, write some of the new
    return o_t * torch.tanh(c_t), c_t   # h_t: reveal some of the cell state
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import torch.nn as nn

GATES = 'ifco'  # nn.LSTMCell stacks its gates' rows in the order i, f, g (the slide's c~), o


def lstm_cell_module(x_t, h_prev, c_prev, w):
    """PyTorch's answer: nn.LSTMCell, its weight_ih the slide's W_i, W_f, W_c, W_o one under the other (weight_hh
    the U_*, bias_ih the b_*; its second bias, bias_hh, 0)."""
    cell = nn.LSTMCell(len(x_t), len(h_prev)).double()
    with torch.no_grad():  # Only the values
        for parameter, letter in [(cell.weight_ih, 'W'), (cell.weight_hh, 'U'), (cell.bias_ih, 'b')]:
            parameter.copy_(torch.cat([w[f'{letter}_{gate}'] for gate in GATES]))
        cell.bias_hh.zero_()
        h_t, c_t = cell(x_t, (h_prev, c_prev))
    return {'h_t': h_t, 'c_t': c_t}


def run(namespace, case):
    """What the learner's lstm_cell gives: (h_t, c_t), by name."""
    states = namespace['lstm_cell'](*case.args)
    return {'h_t': states[0], 'c_t': states[1]} if isinstance(states, (tuple, list)) and len(states) == 2 else states


def slide_weights(generator, input_size, hidden_size):
    """Random W_*, U_*, b_* of the slide's four rows (float64)."""
    shapes = {'W': (hidden_size, input_size), 'U': (hidden_size, hidden_size), 'b': (hidden_size,)}
    return {f'{letter}_{gate}': torch.randn(*shape, generator=generator, dtype=torch.float64)
            for letter, shape in shapes.items() for gate in GATES}


def cases(generator):
    hint = ('slide "Long Short-Term Memory (LSTM)": each gate has its own W, U and b (the cell row: W_c, U_c, b_c); '
            'sigma for f, i, o, tanh for c~; then c_t = f_t * c_{t-1} + i_t * c~_t and h_t = o_t * tanh(c_t)')
    checks = []
    for input_size, hidden_size, start in [(3, 4, 'zero'), (3, 4, 'random'), (1, 1, 'random'), (5, 2, 'random'),
                                           (2, 6, 'random')]:
        x_t = torch.randn(input_size, generator=generator, dtype=torch.float64)
        h_prev, c_prev = (torch.zeros(hidden_size, dtype=torch.float64) if start == 'zero' else
                          torch.randn(hidden_size, generator=generator, dtype=torch.float64) for _ in range(2))
        state = 'h_0 = c_0 = 0 (as nn.LSTM starts)' if start == 'zero' else 'random h_{t-1}, c_{t-1}'
        checks.append(common.Case(f'random x_t of {input_size}, hidden size {hidden_size}, {state} (float64)',
                                  (x_t, h_prev, c_prev, slide_weights(generator, input_size, hidden_size)),
                                  hint=hint))
    return checks


EXERCISE = common.Exercise(answer='lstm_cell', cases=cases, expected=lstm_cell_module, run=run,
                           reference="PyTorch's nn.LSTMCell",
                           by_hand=('torch.nn.LSTMCell.forward', 'torch.nn.LSTM.forward'))

# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/03_lstm_cell.py)
common.check_exercise('lstm_cell', globals())
