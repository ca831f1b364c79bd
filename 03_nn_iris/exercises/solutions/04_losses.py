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
    ### BEGIN SOLUTION
    return ((y_hat - y)**2).sum() / len(y)
    ### END SOLUTION


def binary_cross_entropy(z, y_hat):
    """1/N sum_d -y_hat log y - (1 - y_hat) log(1 - y), with y = sigmoid(z) the probability of class 1."""
    ### BEGIN SOLUTION
    y = 1 / (1 + torch.exp(-z))
    return (-y_hat * torch.log(y) - (1 - y_hat) * torch.log(1 - y)).sum() / len(z)
    ### END SOLUTION


def cross_entropy(z, target):
    """1/N sum_d -sum_i y_hat_i log y_i, with y = softmax(z^d) and y_hat the one-hot of target[d]."""
    ### BEGIN SOLUTION
    y = torch.exp(z) / torch.exp(z).sum(dim=1, keepdim=True)  # Softmax of each row
    y_hat = torch.zeros_like(z)
    y_hat[torch.arange(len(z)), target] = 1                     # One-hot truth
    return -(y_hat * torch.log(y)).sum() / len(z)
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import torch.nn.functional as F


def cases(generator):
    def randn(*shape, scale=1.):
        return scale * torch.randn(shape, generator=generator, dtype=torch.float64)

    t = lambda values: torch.tensor(values, dtype=torch.float64)  # noqa: E731
    hint_mse = 'slide "Loss Function": the square of each gap, then the mean over the N data (divided by N once)'
    hint_bce = ('slide "Loss Function": y = sigmoid(z) first; both terms of l, with y_hat and 1 - y_hat; then the mean '
                'over the N data, once')
    hint_ce = ('slide "Loss Function": the softmax of each row of z (over the classes), -log of the true class\'s '
               'confidence, then the mean over the N data, once')
    checks = [common.Case('y = [2.5, 0, 2.1, 7.8], y_hat = [3, -0.5, 2, 7.8] (concepts/loss_functions.py)',
                          (t([2.5, 0., 2.1, 7.8]), t([3., -0.5, 2., 7.8])), hint=hint_mse, function='mse'),
              common.Case('random y and y_hat of 6 (float64)', (randn(6), randn(6)), hint=hint_mse, function='mse'),
              common.Case('random y and y_hat of 10 x 1 (float64)', (randn(10, 1, scale=3), randn(10, 1, scale=3)),
                          hint=hint_mse, function='mse'),
              common.Case('z = logit([0.9, 0.2, 0.6, 0.4]), y_hat = [1, 0, 1, 0] (concepts/loss_functions.py)',
                          (torch.logit(t([0.9, 0.2, 0.6, 0.4])), t([1., 0., 1., 0.])), hint=hint_bce,
                          function='binary_cross_entropy'),
              common.Case('random z of 8, y_hat of 0s and 1s (float64)',
                          (randn(8, scale=3), torch.randint(0, 2, (8,), generator=generator).double()), hint=hint_bce,
                          function='binary_cross_entropy'),
              common.Case('random z of 5, soft truths y_hat from 0 to 1 (float64)',
                          (randn(5, scale=3), torch.rand(5, generator=generator, dtype=torch.float64)),
                          hint=hint_bce, function='binary_cross_entropy'),
              common.Case('z = [[2, 1, 0.1], [0.5, 2.5, 0.3]], target = [0, 1] (concepts/loss_functions.py)',
                          (t([[2., 1., 0.1], [0.5, 2.5, 0.3]]), torch.tensor([0, 1])), hint=hint_ce,
                          function='cross_entropy')]
    for N, c, what in [(6, 3, 'the Iris slides\' 3 classes'), (50, 3, 'a mini-batch of 50 (iris_my_style.py), 3 '
                                                                      'classes'), (4, 5, '5 classes')]:
        checks.append(common.Case(f'{what}: random z of {N} x {c} (float64), random target',
                                  (randn(N, c, scale=2), torch.randint(0, c, (N,), generator=generator)),
                                  hint=hint_ce, function='cross_entropy'))
    return checks


EXERCISE = common.Exercise(answer=('mse', 'binary_cross_entropy', 'cross_entropy'), cases=cases,
                           expected={'mse': F.mse_loss, 'binary_cross_entropy': F.binary_cross_entropy_with_logits,
                                     'cross_entropy': F.cross_entropy},
                           reference='PyTorch',
                           by_hand=('torch.nn.functional.mse_loss', 'torch.nn.functional.binary_cross_entropy',
                                    'torch.nn.functional.binary_cross_entropy_with_logits',
                                    'torch.nn.functional.cross_entropy', 'torch.nn.functional.nll_loss'))

# %% Check your answer: run this cell after each change (in a terminal: python 03_nn_iris/exercises/04_losses.py)
common.check_exercise('losses', globals())
