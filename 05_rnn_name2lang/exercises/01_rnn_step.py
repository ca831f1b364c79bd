"""Write one step of a recurrent unit: the new hidden state from the letter read and the state before it.

Slide "Recurrent Neural Network (RNN)" (a NN with a loop; "All As have the same weight"): the unit A reads x_t, the
t-th letter of a name as a one-hot vector, and the hidden state h_{t-1} it left after the letter before, and gives

    h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)

with the same W_ih (H x D), W_hh (H x H), b_ih and b_hh (H) at every step (nn.RNN's weight_ih_l0, weight_hh_l0,
bias_ih_l0, bias_hh_l0; nn.RNNCell's weight_ih, ...). Write `rnn_step(x_t, h_prev, W_ih, W_hh, b_ih, b_hh)` for a
1-D x_t of D numbers and a 1-D h_prev of H, by hand (matrix products, torch.tanh; not nn.RNNCell), returning h_t.
Before the first letter, h_0 = 0.

Write your answer where the file says, then run the file (or its last cell): each check compares it with nn.RNNCell
given the same weights. The solution, after you tried: exercises/solutions/01_rnn_step.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: one step of the unit A
def rnn_step(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    """h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) for a 1-D x_t (D) and h_prev (H); returns h_t (H)."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/01_rnn_step.py)
common.check_exercise('rnn_step', globals())
