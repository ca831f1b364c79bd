"""Write the unrolled many-to-one RNN of Name2Lang: one step per letter, then the last hidden state through fc.

Slide "Recurrent Neural Network (RNN)" (various lengths of input and output vectors; "All As have the same weight")
and the lesson's MyRNN (slide "Practice) Name2Lang Classification with a Character-level RNN (3/7)"): nn.RNN reads
the letters x_1 ... x_L of a name one after another, from h_0 = 0, with the same weights at every step,

    h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh),    t = 1, ..., L

and MyRNN's `self.fc(output[-1])` ("Use the output of the last sequence") turns the last one into one score per
language: y = W_fc h_L + b_fc. Write `many_to_one(xs, W_ih, W_hh, b_ih, b_hh, W_fc, b_fc)` for xs of L x D (one
x_t per row), by hand (a loop over the letters; not nn.RNN), returning y (one score per language, a 1-D tensor).

Write your answer where the file says, then run the file (or its last cell): each check compares it with nn.RNN and
nn.Linear given the same weights. The solution, after you tried: exercises/solutions/02_many_to_one.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: the unit A unrolled over the letters, then fc on the last output
def many_to_one(xs, W_ih, W_hh, b_ih, b_hh, W_fc, b_fc):
    """h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) for each row x_t of xs (L x D), h_0 = 0; returns
    W_fc h_L + b_fc, the scores after the last letter."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/02_many_to_one.py)
common.check_exercise('many_to_one', globals())
