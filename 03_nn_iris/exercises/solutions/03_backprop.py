"""Backpropagate through the slide's two-layer network by the chain rule: every gradient of the MSE, by hand.

Slide "Backpropagation": training finds the weights w* = argmin_w 1/N sum_d l(y^d, y_hat^d), here with the slide's
mean squared error MSE = 1/N sum_d (y_hat^d - y^d)^2 (the square of a vector: the sum of its squared numbers), by
gradient descent, which needs dMSE/dw for every weight. Slide "Neural Network" draws the 2-layer NN: 3 inputs, one
hidden layer of 4 perceptrons, 2 outputs; here the hidden layer's phi is the sigmoid and the outputs have none:

    a^d = phi(W1 x^d + b1),    y^d = W2 a^d + b2        (x^d: the d-th data, a column; W1: 4 x 3, W2: 2 x 4)

Write `backprop(x, y_hat, W1, b1, W2, b2)` (x: N x 3, one data per row; y_hat: N x 2, the truth), by hand: the
forward pass and the loss, then the chain rule from the loss back to each weight, without autograd. Per data d:
dl/dy = 2 (y - y_hat) / N; dl/dW2 = dl/dy a^T and dl/db2 = dl/dy; back through W2 to a, then through phi
(phi'(s) = phi(s) (1 - phi(s)), slide "Observing Vanishing Gradients"), then the same for W1 and b1; the gradients
of the N data add up. Return a dict: {'L': the MSE, 'W2': dMSE/dW2, 'b2': ..., 'W1': ..., 'b1': ...}, each
gradient of its weight's shape. Any sizes work: the checks also try other networks.

Write your answer where the file says, then run the file (or its last cell): each check compares it with autograd
through nn.Linear, nn.Sigmoid and nn.Linear with the same weights, and nn.MSELoss(reduction='sum') / N.
The solution, after you tried: exercises/solutions/03_backprop.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: the forward pass, then the chain rule backwards
def backprop(x, y_hat, W1, b1, W2, b2):
    """The slide's MSE of the 2-layer NN and its gradient for each weight: {'L', 'W2', 'b2', 'W1', 'b1'}."""
    ### BEGIN SOLUTION
    N = len(x)
    L = 0
    dW1, db1, dW2, db2 = (torch.zeros_like(weight) for weight in (W1, b1, W2, b2))
    for d in range(N):  # 1/N sum_d l(y^d, y_hat^d): each data adds its part to the loss and to each gradient
        a = torch.sigmoid(W1 @ x[d] + b1)           # Forward: the hidden layer
        y = W2 @ a + b2                             # and the outputs (no phi)
        L = L + ((y_hat[d] - y)**2).sum() / N
        dl_dy = 2 * (y - y_hat[d]) / N              # Backward: dl/dy of (y_hat - y)^2 / N
        dW2 += torch.outer(dl_dy, a)                # dy/dW2[j, k] = a[k] for output j
        db2 += dl_dy
        dl_ds = (W2.T @ dl_dy) * a * (1 - a)        # Back through W2 to a, then through phi: phi' = phi (1 - phi)
        dW1 += torch.outer(dl_ds, x[d])
        db1 += dl_ds
    return {'L': L, 'W2': dW2, 'b2': db2, 'W1': dW1, 'b1': db1}
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import torch.nn as nn


def by_autograd(x, y_hat, W1, b1, W2, b2):
    """PyTorch's answer: nn.Linear, nn.Sigmoid, nn.Linear with these weights; the slide's MSE as
    nn.MSELoss(reduction='sum') / N; then loss.backward()."""
    model = nn.Sequential(nn.Linear(W1.shape[1], W1.shape[0]), nn.Sigmoid(), nn.Linear(W2.shape[1], W2.shape[0]))
    model = model.double()
    with torch.no_grad():
        for parameter, weight in zip(model.parameters(), (W1, b1, W2, b2)):
            parameter.copy_(weight)
    loss = nn.MSELoss(reduction='sum')(model(x), y_hat) / len(x)
    loss.backward()
    first, _, second = model
    return {'L': loss.detach(), 'W2': second.weight.grad, 'b2': second.bias.grad, 'W1': first.weight.grad,
            'b1': first.bias.grad}


def cases(generator):
    def randn(*shape):
        return torch.randn(shape, generator=generator, dtype=torch.float64)

    hint = ('slide "Backpropagation": first the forward pass (L); then backwards one step at a time, as far as the '
            'first gradient that differs: the outputs (W2, b2), back through W2 to a, through phi, then W1 and b1; '
            'each data adds to every gradient')
    checks = []
    for N, n, h, m, what in [(5, 3, 4, 2, "the slide's 2-layer NN (3 inputs, 4 hidden, 2 outputs)"),
                             (1, 3, 4, 2, "the slide's 2-layer NN on one data"),
                             (4, 2, 3, 1, 'a 2-layer NN of 2 inputs, 3 hidden, 1 output'),
                             (8, 4, 6, 3, 'a 2-layer NN of 4 inputs, 6 hidden, 3 outputs')]:
        checks.append(common.Case(f'{what}: random x of {N} x {n}, y_hat of {N} x {m}, weights (float64)',
                                  (randn(N, n), randn(N, m), randn(h, n), randn(h), randn(m, h), randn(m)), hint=hint))
    return checks


EXERCISE = common.Exercise(answer='backprop', cases=cases, expected=by_autograd,
                           reference="autograd through nn.Linear, nn.Sigmoid, nn.Linear",
                           by_hand=('torch.autograd.grad', 'torch.Tensor.backward'))

# %% Check your answer: run this cell after each change (in a terminal: python 03_nn_iris/exercises/03_backprop.py)
common.check_exercise('backprop', globals())
