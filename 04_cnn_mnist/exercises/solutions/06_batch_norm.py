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
    ### BEGIN SOLUTION
    def per_channel(values):  # A value per channel, shaped to meet x (1 x C x 1 x 1)
        return values.view(1, -1, 1, 1)

    if training:
        n = x.numel() // x.shape[1]  # Values per channel: N x H x W
        mean = x.mean(dim=(0, 2, 3))
        var = ((x - per_channel(mean)) ** 2).mean(dim=(0, 2, 3))  # Biased (divided by n): normalizes this batch
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)  # Unbiased, as PyTorch keeps it
    else:
        mean, var = running_mean, running_var
    y = per_channel(gamma) * (x - per_channel(mean)) / torch.sqrt(per_channel(var) + eps) + per_channel(beta)
    return y, running_mean, running_var
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import torch.nn as nn


def batch_norm2d(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    """PyTorch's answer: nn.BatchNorm2d with these parameters and running statistics, in training or evaluation."""
    layer = nn.BatchNorm2d(x.shape[1], eps=eps, momentum=momentum).double().train(training)
    with torch.no_grad():
        layer.weight.copy_(gamma)
        layer.bias.copy_(beta)
        layer.running_mean.copy_(running_mean)
        layer.running_var.copy_(running_var)
        y = layer(x)
    return {'y': y, 'running_mean': layer.running_mean, 'running_var': layer.running_var}


def run(namespace, case):
    """The learner's batch_norm on the case, its three results by name."""
    y, running_mean, running_var = namespace['batch_norm'](*case.args, **case.kwargs)
    return {'y': y, 'running_mean': running_mean, 'running_var': running_var}


def cases(generator):
    def randn(*shape):
        return torch.randn(shape, generator=generator, dtype=torch.float64)

    def uniform(size, low, high):
        return torch.empty(size, dtype=torch.float64).uniform_(low, high, generator=generator)

    train = ('slide "Digit Classification with the MNIST Dataset (1/4)", batch normalization in training: the '
             "batch's mean and biased variance per channel (over N, H and W), and the running ones moved by momentum "
             'toward the mean and the unbiased variance')
    evaluate = ('slide "Digit Classification with the MNIST Dataset (1/4)", batch normalization in evaluation: the '
                "running statistics, not the batch's, and they stay as they are")
    checks = []
    for n, c, h, w, training, fresh, momentum in [(8, 3, 5, 5, True, True, 0.1), (8, 3, 5, 5, True, False, 0.1),
                                                  (8, 3, 5, 5, False, False, 0.1), (2, 4, 3, 3, True, False, 0.3),
                                                  (16, 1, 2, 2, True, False, 0.1), (1, 5, 4, 3, True, False, 0.5),
                                                  (4, 2, 6, 6, False, False, 0.1)]:
        x = 2 + 3 * randn(n, c, h, w)  # Mean about 2, variance about 9
        gamma, beta = uniform(c, 0.5, 2), uniform(c, -1, 1)
        if fresh:  # A new layer's running statistics
            running_mean, running_var = torch.zeros(c, dtype=torch.float64), torch.ones(c, dtype=torch.float64)
        else:
            running_mean, running_var = uniform(c, 0, 3), uniform(c, 1, 10)
        label = (f'random x of {n} x {c} x {h} x {w} (float64), {"training" if training else "evaluation"}, '
                 f'{"a new layer" if fresh else "some running statistics"}, momentum {momentum}')
        checks.append(common.Case(label, (x, gamma, beta, running_mean, running_var, training),
                                  {'momentum': momentum}, hint=train if training else evaluate))
    return checks


EXERCISE = common.Exercise(answer='batch_norm', cases=cases, expected=batch_norm2d, run=run,
                           reference="PyTorch's nn.BatchNorm2d",
                           by_hand=('torch.nn.functional.batch_norm', 'torch.batch_norm'), atol=1e-10, rtol=1e-9)

# %% Check your answer after each change (in a terminal: python 04_cnn_mnist/exercises/06_batch_norm.py)
common.check_exercise('batch_norm', globals())
