"""Write one step of the GRU cell as PyTorch computes it: the reset and update gates, then the new hidden state.

Slide "Gated Recurrent Unit (GRU)": a reset gate r_t, an update gate z_t and an intermediate hidden state h~_t, each
from x_t and h_{t-1} (sigma is the logistic sigmoid, * is elementwise, the slide's ⊗). PyTorch's nn.GRUCell (and
nn.GRU, cuDNN) computes

    r_t  = sigma(W_r x_t + U_r h_{t-1} + b_r)                  reset gate
    z_t  = sigma(W_z x_t + U_z h_{t-1} + b_z)                  update gate
    h~_t = tanh(W_h x_t + b_in + r_t * (U_h h_{t-1} + b_hn))   the intermediate hidden state
    h_t  = (1 - z_t) * h~_t + z_t * h_{t-1}                    the new hidden state (not on the slide)

Two differences from the slide, which PyTorch does not compute: the slide's h~_t = tanh(W_h x_t + U_h (r_t * h_{t-1})
+ b_h) resets h_{t-1} before the matrix (Cho et al. 2014); PyTorch resets U_h h_{t-1} + b_hn after it, so h~_t has
two biases, b_in outside r_t and b_hn inside. And the slide's z_t is "how much write h~_t"; PyTorch's z_t is the
share of h_{t-1} kept. Write `gru_cell(x_t, h_prev, w)` in PyTorch's form for a 1-D x_t (D) and h_prev (H), where w
holds the weights by name (w['W_r'] is H x D, w['U_r'] H x H, w['b_r'] H; the same for z; w['W_h'], w['U_h'],
w['b_in'], w['b_hn'] for h~), by hand (not nn.GRUCell), returning h_t.

Write your answer where the file says, then run the file (or its last cell): each check compares it with nn.GRUCell
holding the same weights. The solution, after you tried: exercises/solutions/05_gru_cell.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: the GRU's gates and its new hidden state, in PyTorch's form
def gru_cell(x_t, h_prev, w):
    """One GRU step as nn.GRUCell computes it, with w['W_r'], w['U_r'], w['b_r'], ... (r, z, h); returns h_t."""
    ### BEGIN SOLUTION
    r_t = torch.sigmoid(w['W_r'] @ x_t + w['U_r'] @ h_prev + w['b_r'])  # Reset gate
    z_t = torch.sigmoid(w['W_z'] @ x_t + w['U_z'] @ h_prev + w['b_z'])  # Update gate
    h_tilde = torch.tanh(w['W_h'] @ x_t + w['b_in'] + r_t * (w['U_h'] @ h_prev + w['b_hn']))  # r_t after U_h
    return (1 - z_t) * h_tilde + z_t * h_prev  # z_t: the share of h_{t-1} kept
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import torch.nn as nn


def gru_cell_module(x_t, h_prev, w):
    """PyTorch's answer: nn.GRUCell holding w, its rows in the order r, z, n (the slide's h~): weight_ih the W_*,
    weight_hh the U_*, bias_ih b_r, b_z, b_in and bias_hh 0, 0, b_hn."""
    cell = nn.GRUCell(len(x_t), len(h_prev)).double()
    zeros = torch.zeros_like(h_prev)
    with torch.no_grad():  # Only the values
        cell.weight_ih.copy_(torch.cat([w['W_r'], w['W_z'], w['W_h']]))
        cell.weight_hh.copy_(torch.cat([w['U_r'], w['U_z'], w['U_h']]))
        cell.bias_ih.copy_(torch.cat([w['b_r'], w['b_z'], w['b_in']]))
        cell.bias_hh.copy_(torch.cat([zeros, zeros, w['b_hn']]))
        return cell(x_t, h_prev)


def cases(generator):
    hint = ('slide "Gated Recurrent Unit (GRU)", in PyTorch\'s form (this file\'s docstring): does r_t multiply '
            'h_{t-1} before U_h or the product after it, and which of h~_t and h_{t-1} does z_t weigh?')

    def randn(*shape):
        return torch.randn(*shape, generator=generator, dtype=torch.float64)
    checks = []
    for input_size, hidden_size, start in [(3, 4, 'zero'), (3, 4, 'random'), (1, 1, 'random'), (5, 2, 'random'),
                                           (2, 6, 'random')]:
        w = {f'W_{gate}': randn(hidden_size, input_size) for gate in 'rzh'}
        w.update({f'U_{gate}': randn(hidden_size, hidden_size) for gate in 'rzh'})
        w.update({name: randn(hidden_size) for name in ('b_r', 'b_z', 'b_in', 'b_hn')})
        h_prev = torch.zeros(hidden_size, dtype=torch.float64) if start == 'zero' else randn(hidden_size)
        state = 'h_0 = 0 (as nn.GRU starts)' if start == 'zero' else 'random h_{t-1}'
        checks.append(common.Case(f'random x_t of {input_size}, hidden size {hidden_size}, {state} (float64)',
                                  (randn(input_size), h_prev, w), hint=hint))
    return checks


EXERCISE = common.Exercise(answer='gru_cell', cases=cases, expected=gru_cell_module, reference="PyTorch's nn.GRUCell",
                           by_hand=('torch.nn.GRUCell.forward', 'torch.nn.GRU.forward'))

# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/05_gru_cell.py)
common.check_exercise('gru_cell', globals())
