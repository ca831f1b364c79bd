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
    ### BEGIN SOLUTION
    return torch.tanh(W_ih @ x_t + b_ih + W_hh @ h_prev + b_hh)
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import string

import torch.nn as nn

LETTERS = string.ascii_letters + " .,;'"  # The lesson's LETTER_DICT: 57 letters, one-hot x_t of 57


def rnn_cell(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
    """PyTorch's answer: nn.RNNCell (tanh) with these weights, one step."""
    cell = nn.RNNCell(W_ih.shape[1], W_ih.shape[0]).double()
    with torch.no_grad():  # Only the values
        for parameter, value in zip((cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh),
                                    (W_ih, W_hh, b_ih, b_hh)):
            parameter.copy_(value)
        return cell(x_t, h_prev)


def weights(generator, input_size, hidden_size):
    """Random W_ih, W_hh, b_ih, b_hh (float64), larger than nn.RNN's initialization so that tanh bends."""
    def randn(*shape):
        return torch.randn(*shape, generator=generator, dtype=torch.float64)
    return randn(hidden_size, input_size), randn(hidden_size, hidden_size), randn(hidden_size), randn(hidden_size)


def cases(generator):
    hint = ('slide "Recurrent Neural Network (RNN)": h_t reads both x_t and h_{t-1}, each through its own matrix '
            'and bias; is tanh taken of the whole sum?')
    x_C = torch.zeros(len(LETTERS), dtype=torch.float64)
    x_C[LETTERS.index('C')] = 1
    checks = [common.Case("'C' of 'Choi' (one-hot of 57), h_0 = 0, 8 hidden units",
                          (x_C, torch.zeros(8, dtype=torch.float64), *weights(generator, len(LETTERS), 8)),
                          hint=hint),
              common.Case("'C' of 'Choi' (one-hot of 57), a random h_{t-1} of 8",
                          (x_C, torch.randn(8, generator=generator, dtype=torch.float64),
                           *weights(generator, len(LETTERS), 8)), hint=hint)]
    for input_size, hidden_size in [(3, 4), (1, 1), (5, 2), (2, 6)]:
        x_t = torch.randn(input_size, generator=generator, dtype=torch.float64)
        h_prev = torch.randn(hidden_size, generator=generator, dtype=torch.float64)
        checks.append(common.Case(f'random x_t of {input_size}, h_{{t-1}} of {hidden_size} (float64)',
                                  (x_t, h_prev, *weights(generator, input_size, hidden_size)), hint=hint))
    return checks


EXERCISE = common.Exercise(answer='rnn_step', cases=cases, expected=rnn_cell, reference="PyTorch's nn.RNNCell",
                           by_hand=('torch.nn.RNNCell.forward', 'torch.nn.RNN.forward'))

# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/01_rnn_step.py)
common.check_exercise('rnn_step', globals())
