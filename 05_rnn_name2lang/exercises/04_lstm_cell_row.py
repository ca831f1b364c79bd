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
        'c~_t': (torch.tanh, w['W_o'], w['U_o'], w['b_o']),  # cell
        'o_t': (torch.sigmoid, w['W_o'], w['U_o'], w['b_o']),  # output gate
    }
    gate = {name: activation(W @ x_t + U @ h_prev + b) for name, (activation, W, U, b) in table.items()}
    c_t = gate['f_t'] * c_prev + gate['i_t'] * gate['c~_t']  # Not on the slide: the new cell state
    h_t = gate['o_t'] * torch.tanh(c_t)                      # Not on the slide: the new hidden state
    return h_t, c_t


# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/04_lstm_cell_row.py)
common.check_exercise('lstm_cell_row', globals())
