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
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/03_lstm_cell.py)
common.check_exercise('lstm_cell', globals())
