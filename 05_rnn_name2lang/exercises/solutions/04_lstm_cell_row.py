"""Mend the LSTM table's cell row: it uses the weights of another row, the output gate's.

Slide "Long Short-Term Memory (LSTM)": its table gives each of the four rows (forget gate, input gate, cell,
output gate) an activation and weights of its own. As printed, the cell row reads

    c~_t = tanh(W_o x_t + U_o h_{t-1} + b_o)

`lstm_table(x_t, h_prev, c_prev, w)` below is the slide's table as code, row by row as printed, with the two states
the slide leaves out (c_t = f_t * c_{t-1} + i_t * c~_t, h_t = o_t * tanh(c_t)); w holds the weights by the slide's
names (w['W_f'] is H x D, w['U_f'] H x H, w['b_f'] H; the same for i, c, o). Run this file: the check steps it over
sequences beside nn.LSTM holding the same weights, and they differ. Find the row that is wrong, mend it, and run the
file again until every check passes.

The solution, after you tried: exercises/solutions/04_lstm_cell_row.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% The slide's table as code: mend it
def lstm_table(x_t, h_prev, c_prev, w):
    """One LSTM step by the slide's table, with w['W_f'], w['U_f'], w['b_f'], ...; returns (h_t, c_t)."""
    table = {  # Each row of the slide's table: its activation, and its W (x_t), U (h_{t-1}) and b
        'f_t': (torch.sigmoid, w['W_f'], w['U_f'], w['b_f']),  # forget gate
        'i_t': (torch.sigmoid, w['W_i'], w['U_i'], w['b_i']),  # input gate
        ### BEGIN SOLUTION
        'c~_t': (torch.tanh, w['W_c'], w['U_c'], w['b_c']),  # cell: its own weights (the slide: the output gate's)
        ### END SOLUTION
        ### BEGIN SLIDE CODE
        # 'c~_t': (torch.tanh, w['W_o'], w['U_o'], w['b_o']),  # cell
        ### END SLIDE CODE
        'o_t': (torch.sigmoid, w['W_o'], w['U_o'], w['b_o']),  # output gate
    }
    gate = {name: activation(W @ x_t + U @ h_prev + b) for name, (activation, W, U, b) in table.items()}
    c_t = gate['f_t'] * c_prev + gate['i_t'] * gate['c~_t']  # Not on the slide: the new cell state
    h_t = gate['o_t'] * torch.tanh(c_t)                      # Not on the slide: the new hidden state
    return h_t, c_t


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import torch.nn as nn


def lstm_layer(xs, h_0, c_0, weight_ih, weight_hh, bias_ih, bias_hh):
    """PyTorch's answer: nn.LSTM with these parameters over the sequence xs (L x D): every h_t, and the last c_t."""
    lstm = nn.LSTM(xs.shape[1], h_0.shape[0]).double()
    lstm.load_state_dict({'weight_ih_l0': weight_ih, 'weight_hh_l0': weight_hh, 'bias_ih_l0': bias_ih,
                          'bias_hh_l0': bias_hh})
    with torch.no_grad():  # Only the values
        output, (_, c_n) = lstm(xs, (h_0.unsqueeze(0), c_0.unsqueeze(0)))
    return {'h_1 ... h_L': output, 'c_L': c_n[0]}


def run(namespace, case):
    """The learner's lstm_table step by step over the sequence, with nn.LSTM's parameters by the slide's names:
    PyTorch stacks the rows of its four gates in the order i, f, g (the slide's cell, c~), o, and keeps two biases
    (bias_ih + bias_hh is the slide's b)."""
    xs, h_t, c_t, weight_ih, weight_hh, bias_ih, bias_hh = case.args
    w = {}
    for letter, stacked in [('W', weight_ih), ('U', weight_hh), ('b', bias_ih + bias_hh)]:
        w.update({f'{letter}_{gate}': rows for gate, rows in zip('ifco', stacked.chunk(4))})
    hs = []
    for x_t in xs:
        h_t, c_t = namespace['lstm_table'](x_t, h_t, c_t, w)
        hs.append(h_t)
    return {'h_1 ... h_L': torch.stack(hs), 'c_L': c_t}


def cases(generator):
    hint = ('slide "Long Short-Term Memory (LSTM)": nn.LSTM uses each of its weights once; which of w\'s weights does '
            'the table never read, and which does it read twice?')

    def randn(*shape):
        return torch.randn(*shape, generator=generator, dtype=torch.float64)
    checks = []
    for length, input_size, hidden_size in [(1, 3, 4), (5, 3, 4), (8, 2, 1), (4, 5, 3)]:
        checks.append(common.Case(f'random sequence of {length} x_t of {input_size}, hidden size {hidden_size} '
                                  '(float64)', (randn(length, input_size), randn(hidden_size), randn(hidden_size),
                                                randn(4 * hidden_size, input_size), randn(4 * hidden_size, hidden_size),
                                                randn(4 * hidden_size), randn(4 * hidden_size)), hint=hint))
    return checks


EXERCISE = common.Exercise(answer='lstm_table', cases=cases, expected=lstm_layer, run=run, kind='bug',
                           reference="PyTorch's nn.LSTM")

# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/04_lstm_cell_row.py)
common.check_exercise('lstm_cell_row', globals())
