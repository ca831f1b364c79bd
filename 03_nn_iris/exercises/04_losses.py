"""Write the slide's three losses by hand: the mean squared error, and binary and categorical cross entropy from logits.

Slide "Loss Function": a loss l(y, y_hat) measures the gap between the prediction y and the ground truth y_hat (the
slides write y_hat for the truth), and the cost averages it over the N data, 1/N sum_d l(y^d, y_hat^d):

    mean squared error      l(y, y_hat) = (y_hat - y)^2                           (regression)
    binary cross entropy    l(y, y_hat) = -y_hat log y - (1 - y_hat) log(1 - y)     (y: probability of class 1)
    cross entropy           l(y, y_hat) = -sum_{i=1}^c y_hat_i log y_i              (y_hat: one-hot, y: softmax)

A network returns scores (logits) z, not probabilities: y = sigmoid(z) = 1 / (1 + e^-z) for two classes, and the
softmax y_i = e^{z_i} / sum_j e^{z_j} for c classes. Write, by hand (not F.mse_loss, F.binary_cross_entropy_with_logits,
F.cross_entropy, F.nll_loss nor their nn modules), each returning one number (a 0-d tensor), the mean over the data:
- `mse(y, y_hat)`: y and y_hat of N numbers, one per data;
- `binary_cross_entropy(z, y_hat)`: z the N scores, y_hat the N truths from 0 to 1;
- `cross_entropy(z, target)`: z the N x c scores (one data per row), target the N true classes as indices (0 to
  c - 1, as the Iris labels y), so y_hat of data d is the one-hot of target[d].
Each loss is a mean over the N data once: the slide's "Iris Flower Classification" divides it by len(x) once more.

Write your answer where the file says, then run the file (or its last cell): each check compares it with F.mse_loss,
F.binary_cross_entropy_with_logits or F.cross_entropy.
The solution, after you tried: exercises/solutions/04_losses.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: the losses, averaged over the data
def mse(y, y_hat):
    """1/N sum_d (y_hat^d - y^d)^2."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def binary_cross_entropy(z, y_hat):
    """1/N sum_d -y_hat log y - (1 - y_hat) log(1 - y), with y = sigmoid(z) the probability of class 1."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def cross_entropy(z, target):
    """1/N sum_d -sum_i y_hat_i log y_i, with y = softmax(z^d) and y_hat the one-hot of target[d]."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell after each change (in a terminal: python 03_nn_iris/exercises/04_losses.py)
common.check_exercise('losses', globals())
