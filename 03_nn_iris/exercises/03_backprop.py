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
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell after each change (in a terminal: python 03_nn_iris/exercises/03_backprop.py)
common.check_exercise('backprop', globals())
