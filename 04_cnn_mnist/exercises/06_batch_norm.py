"""Write batch normalization by hand, in training and in evaluation: nn.BatchNorm2d's statistics.

Slide "Practice) Digit Classification with the MNIST Dataset (1/4)": "Try to apply batch normalization (e.g.
'nn.BatchNorm' and 'nn.BatchNorm2d')". nn.BatchNorm2d(C) normalizes each channel c of x (N x C x H x W) over its
N x H x W values (n of them), then scales and shifts it by its parameters gamma_c and beta_c:

    training:    mean_c = (1/n) sum x,    var_c = (1/n) sum (x - mean_c)^2          (the batch's statistics)
                 y = gamma_c (x - mean_c) / sqrt(var_c + eps) + beta_c
                 running_mean_c <- (1 - momentum) running_mean_c + momentum mean_c
                 running_var_c  <- (1 - momentum) running_var_c  + momentum var_c n / (n - 1)   (unbiased)
    evaluation:  y = gamma_c (x - running_mean_c) / sqrt(running_var_c + eps) + beta_c   (running ones unchanged)

The batch is normalized with its biased variance (divided by n), but the running variance keeps the unbiased one
(divided by n - 1). Write `batch_norm(x, gamma, beta, running_mean, running_var, training, momentum, eps)` by hand
(not F.batch_norm or nn.BatchNorm2d), returning (y, the new running_mean, the new running_var). A new layer starts
with running_mean 0 and running_var 1; with momentum 0.1, one batch of mean 2 and variance 9 moves them to 0.2 and
1.8 (for a large batch: 9 n / (n - 1) is about 9).

Write your answer where the file says, then run the file (or its last cell): each check compares it with
nn.BatchNorm2d.
The solution, after you tried: exercises/solutions/06_batch_norm.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: batch normalization of x (N x C x H x W), per channel
def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    """Returns (y, running_mean, running_var): the batch's statistics in training (and the running ones updated
    with momentum), the running statistics in evaluation."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer after each change (in a terminal: python 04_cnn_mnist/exercises/06_batch_norm.py)
common.check_exercise('batch_norm', globals())
