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
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/05_gru_cell.py)
common.check_exercise('gru_cell', globals())
