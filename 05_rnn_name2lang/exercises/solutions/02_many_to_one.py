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
    ### BEGIN SOLUTION
    h_t = torch.zeros(W_hh.shape[0], dtype=xs.dtype)  # h_0 = 0
    for x_t in xs:  # One step per letter, the same weights every time
        h_t = torch.tanh(W_ih @ x_t + b_ih + W_hh @ h_t + b_hh)
    return W_fc @ h_t + b_fc
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import string

import torch.nn as nn

LETTERS = string.ascii_letters + " .,;'"  # The lesson's LETTER_DICT: 57 letters


def rnn_and_fc(xs, W_ih, W_hh, b_ih, b_hh, W_fc, b_fc):
    """PyTorch's answer: MyRNN's forward, fc(output[-1]), with nn.RNN and nn.Linear holding these weights."""
    rnn = nn.RNN(W_ih.shape[1], W_ih.shape[0]).double()
    fc = nn.Linear(W_fc.shape[1], W_fc.shape[0]).double()
    with torch.no_grad():  # Only the values
        for parameter, value in zip((rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0,
                                     fc.weight, fc.bias), (W_ih, W_hh, b_ih, b_hh, W_fc, b_fc)):
            parameter.copy_(value)
        output, _ = rnn(xs)  # An unbatched sequence: L x D in, L x H out (every h_t)
        return fc(output[-1])


def weights(generator, input_size, hidden_size, output_size):
    """Random W_ih, W_hh, b_ih, b_hh, W_fc, b_fc (float64)."""
    shapes = [(hidden_size, input_size), (hidden_size, hidden_size), (hidden_size,), (hidden_size,),
              (output_size, hidden_size), (output_size,)]
    return tuple(torch.randn(*shape, generator=generator, dtype=torch.float64) for shape in shapes)


def onehot(name):
    """The lesson's one-hot letters of `name`, L x 57 (text2onehot's L x 1 x 57 without the batch)."""
    xs = torch.zeros(len(name), len(LETTERS), dtype=torch.float64)
    xs[torch.arange(len(name)), [LETTERS.index(letter) for letter in name]] = 1
    return xs


def cases(generator):
    hint = ('slide "Recurrent Neural Network (RNN)": every letter updates h with the same weights, from h_0 = 0; '
            'MyRNN scores the output after the LAST letter, output[-1]')
    checks = [common.Case(f"the slide's '{name}' (one-hot, {len(name)} x 57), 8 hidden units, 18 languages",
                          (onehot(name), *weights(generator, len(LETTERS), 8, 18)), hint=hint)
              for name in ('Choi', 'Tanaka')]
    for length, input_size, hidden_size, output_size in [(1, 3, 4, 2), (3, 2, 5, 3), (7, 4, 3, 5), (12, 1, 2, 3)]:
        xs = torch.randn(length, input_size, generator=generator, dtype=torch.float64)
        checks.append(common.Case(f'random xs of {length} x {input_size}, {hidden_size} hidden units, {output_size} '
                                  'outputs (float64)', (xs, *weights(generator, input_size, hidden_size, output_size)),
                                  hint=hint))
    return checks


EXERCISE = common.Exercise(answer='many_to_one', cases=cases, expected=rnn_and_fc,
                           reference="PyTorch's nn.RNN + nn.Linear",
                           by_hand=('torch.nn.RNN.forward', 'torch.nn.RNNCell.forward'))

# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/02_many_to_one.py)
common.check_exercise('many_to_one', globals())
