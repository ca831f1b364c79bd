"""Loss functions by the slide's formulas: MSE, binary cross entropy and cross entropy, beside PyTorch's losses.

Slide "Loss Function": a loss quantifies the gap between the ground truth y_hat and the prediction y
(the slides write y_hat for the truth and y for the prediction: the reverse of most books). Each loss
is written as the slide's formula and compared with nn.MSELoss, nn.BCELoss, nn.CrossEntropyLoss and
nn.NLLLoss (class-index and one-hot targets), in float64. It then shows why MyCNN's `log_softmax`
followed by `F.cross_entropy` (slide "Digit Classification with the MNIST Dataset") still gives the
right loss, and draws each loss against the prediction for a fixed truth.
In a notebook, `z` (the scores), `y` (softmax confidences) and `y_hat` (one-hot truth) stay after the last cell.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# %% The slide's formulas (y: prediction, y_hat: ground truth, as on the slide), averaged over the N data
def mse(y, y_hat):
    """Mean squared error: 1/N sum_d l(y^d, y_hat^d) with l(y, y_hat) = (y_hat - y)^2, the square summed over
    the components of a vector (its squared length)."""
    N = len(y)
    return sum(((y_hat[d] - y[d]) ** 2).sum() for d in range(N)) / N


def binary_cross_entropy(y, y_hat):
    """l(y, y_hat) = -y_hat log y - (1 - y_hat) log(1 - y), y the predicted probability of class 1."""
    N = len(y)
    return sum(-y_hat[d] * math.log(y[d]) - (1 - y_hat[d]) * math.log(1 - y[d]) for d in range(N)) / N


def softmax(z):
    """Softmax confidences y_i = e^{z_i} / sum_j e^{z_j} of one data's scores z."""
    e = [math.exp(z_i) for z_i in z]
    return [e_i / sum(e) for e_i in e]


def cross_entropy(y, y_hat):
    """l(y, y_hat) = -sum_{i=1}^c y_hat_i log y_i: y_hat one-hot truth, y softmax confidence (c classes)."""
    N = len(y)
    return sum(-sum(y_hat[d][i] * math.log(y[d][i]) for i in range(len(y[d])) if y_hat[d][i]) for d in range(N)) / N


def show(name, by_hand, by_pytorch, pytorch_name, hand_name='by hand'):
    """One line: the formula beside PyTorch, and the largest difference."""
    by_hand, by_pytorch = float(by_hand), float(by_pytorch)
    print(f'{name}: {hand_name} {by_hand:.6f}  {pytorch_name} {by_pytorch:.6f}  '
          f'largest difference {abs(by_hand - by_pytorch):.1g}')
    return abs(by_hand - by_pytorch)


# %% The figure: each loss against the prediction, for a fixed truth
def draw_losses():
    """MSE for y_hat = 1; BCE for y_hat = 1 and 0; cross entropy (and the squared error) for a one-hot truth."""
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    y = np.linspace(-1, 3, 401)
    axes[0].plot(y, (1 - y) ** 2, label='$(\\hat{y} - y)^2$')
    axes[0].set(title='MSE, truth $\\hat{y}$ = 1', xlabel='prediction $y$')
    p = np.linspace(0.001, 0.999, 999)
    axes[1].plot(p, -np.log(p), label='$\\hat{y}$ = 1: $-\\log y$')
    axes[1].plot(p, -np.log(1 - p), label='$\\hat{y}$ = 0: $-\\log(1 - y)$')
    axes[1].set(title='Binary cross entropy', xlabel='prediction $y$ (probability of class 1)', ylim=(0, 5))
    # Three classes, truth class 0: the confidence y_0 of the true class, the other two sharing the rest
    axes[2].plot(p, -np.log(p), label='cross entropy $-\\log y_0$')
    axes[2].plot(p, (1 - p) ** 2 + 2 * ((1 - p) / 2) ** 2, '--', label='squared error $\\|\\hat{y} - y\\|^2$')
    axes[2].set(title='Cross entropy, one-hot truth (1, 0, 0)', xlabel='softmax confidence $y_0$ of the true class',
                ylim=(0, 5))
    for ax in axes:
        ax.set_ylabel('loss $l(y, \\hat{y})$')
        ax.grid()
        ax.legend()
    return fig


# %% Steps
if __name__ == '__main__':
    args = common.make_parser('loss_functions', __doc__, out_dir=True).parse_args()
    differences = []

    # 1. Mean squared error (regression): one output per data
    y = [2.5, 0.0, 2.1, 7.8]        # Predictions
    y_hat = [3.0, -0.5, 2.0, 7.8]   # Ground truth
    t = lambda values: torch.tensor(values, dtype=torch.float64)  # noqa: E731
    differences.append(show('MSE', mse(t(y), t(y_hat)).item(), nn.MSELoss()(t(y), t(y_hat)), 'nn.MSELoss'))
    # MSE: by hand 0.127500 ((0.25 + 0.25 + 0.01 + 0) / 4), nn.MSELoss the same
    # Vectors (3 outputs per data): the slide's square is the squared length; nn.MSELoss averages every number,
    # so it is the slide's MSE divided by 3. The slide's MSE is nn.MSELoss(reduction='sum') / N.
    y_vec, y_hat_vec = t([[0.5, 1.0, 2.0], [1.5, -0.5, 0.0]]), t([[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    mse_sum = nn.MSELoss(reduction='sum')(y_vec, y_hat_vec) / len(y_vec)
    differences.append(show('MSE of vectors', mse(y_vec, y_hat_vec), mse_sum, "nn.MSELoss(reduction='sum')/N"))
    # MSE of vectors: by hand 0.875000 ((0.25 + 0 + 1 + 0.25 + 0.25 + 0) / 2)
    print(f'nn.MSELoss() of these vectors: {nn.MSELoss()(y_vec, y_hat_vec).item():.6f} (the slide\'s / 3)')  # 0.291667

    # 2. Binary cross entropy (binary classification): y is the predicted probability of class 1
    y = [0.9, 0.2, 0.6, 0.4]
    y_hat = [1.0, 0.0, 1.0, 0.0]
    bce = binary_cross_entropy(y, y_hat)
    differences.append(show('BCE', bce, nn.BCELoss()(t(y), t(y_hat)), 'nn.BCELoss'))
    # BCE: by hand 0.337539 (-(log 0.9 + log 0.8 + log 0.6 + log 0.6) / 4)
    logits = torch.logit(t(y))  # Scores whose sigmoid is y: BCEWithLogitsLoss, the numerically safer form
    differences.append(show('BCE', bce, nn.BCEWithLogitsLoss()(logits, t(y_hat)), 'nn.BCEWithLogitsLoss'))
    # "In general, -sum y_hat_i log y_i": BCE is the cross entropy of the two classes (1 - y, y)
    two_classes = [[1 - p, p] for p in y]
    differences.append(show('BCE as 2-class CE', cross_entropy(two_classes, [[1 - c, c] for c in y_hat]),
                            nn.NLLLoss()(torch.log(t(two_classes)), t(y_hat).long()), 'nn.NLLLoss(log)'))

    # 3. Cross entropy (multi-class classification): softmax confidence y, one-hot truth y_hat
    z = t([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])  # Scores (logits) of 2 data, 3 classes: what a model returns
    target = torch.tensor([0, 1])               # The true classes as indices
    y = [softmax(z_d) for z_d in z.tolist()]
    y_hat = F.one_hot(target, num_classes=3).double()
    print('softmax confidence y of the first data:', [round(y_i, 3) for y_i in y[0]])  # [0.659, 0.242, 0.099]
    ce = cross_entropy(y, y_hat.tolist())
    differences.append(show('CE', ce, nn.CrossEntropyLoss()(z, target), 'nn.CrossEntropyLoss(scores, index)'))
    # CE: by hand 0.318540 (-(log 0.659 + log 0.802) / 2), the same by the three below
    differences.append(show('CE', ce, nn.CrossEntropyLoss()(z, y_hat), 'nn.CrossEntropyLoss(scores, one-hot)'))
    differences.append(show('CE', ce, nn.NLLLoss()(F.log_softmax(z, dim=1), target), 'nn.NLLLoss(log_softmax, index)'))
    # nn.CrossEntropyLoss takes the scores z and applies log_softmax itself; nn.NLLLoss takes log-probabilities

    # 4. MyCNN returns F.log_softmax(...), and the MNIST slides train it with F.cross_entropy, which applies
    #    log_softmax once more. It does no harm: log_softmax(z) = z - log(sum_j e^{z_j}), and its output
    #    already has log(sum_j e^{.}) = log(sum of the probabilities) = log 1 = 0, so a second one changes nothing.
    #    (The usual pairs: scores + F.cross_entropy, or log_softmax + F.nll_loss.)
    log_probs = F.log_softmax(z, dim=1)
    print(f'log(sum_j e^(log_softmax(z)_j)): {torch.logsumexp(log_probs, dim=1).tolist()}')  # [0.0, 0.0] (to 1e-16)
    twice = F.log_softmax(log_probs, dim=1)
    print(f'log_softmax(z) of the first data {[round(v, 4) for v in log_probs[0].tolist()]}, '
          f'log_softmax twice {[round(v, 4) for v in twice[0].tolist()]}, '
          f'largest difference {(twice - log_probs).abs().max().item():.1g}')  # [-0.417, -1.417, -2.317] both
    differences.append(show('MyCNN\'s loss', F.cross_entropy(log_probs, target), F.cross_entropy(z, target),
                            'F.cross_entropy(z)', hand_name='F.cross_entropy(log_softmax(z))'))
    z_grad = z.clone().requires_grad_()  # The gradients agree too: training is the same
    F.cross_entropy(F.log_softmax(z_grad, dim=1), target).backward()
    grad_twice = z_grad.grad.clone()
    z_grad.grad = None
    F.cross_entropy(z_grad, target).backward()
    print(f'Gradient dL/dz: log_softmax + F.cross_entropy vs F.cross_entropy: largest difference '
          f'{(grad_twice - z_grad.grad).abs().max().item():.1g}')
    print(f'Largest difference of all: {max(differences):.1g}')  # about 1e-16

    # 5. The figure
    common.save_figure(draw_losses(), args.out_dir, 'loss_functions')
