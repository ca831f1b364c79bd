"""Write the slide's four activation functions and their derivatives by hand: sigmoid, tanh, ReLU and leaky ReLU.

Slide "Activation Function" gives each phi(x); slide "Practice) Visualizing Activation Functions" draws each with its
derivative d phi(x) / dx, which autograd computes there (y.sum().backward(), then x.grad):

    sigmoid     phi(x) = 1 / (1 + e^-x)                        (its derivative: phi(x) (1 - phi(x)), slide
                                                                "Observing Vanishing Gradients")
    tanh        phi(x) = (e^x - e^-x) / (e^x + e^-x)           (derive it: the quotient rule, or 1 - ...)
    ReLU        phi(x) = 0 if x <= 0, x if x > 0
    leaky ReLU  phi(x) = a x if x < 0, x if x >= 0             (the slide's a = 0.01; nn.LeakyReLU(0.1): a = 0.1)

Write each phi and its derivative, element by element for a tensor x of any shape, by hand (torch.exp, torch.where,
comparisons; not torch.sigmoid, torch.tanh, torch.relu, F.leaky_relu, nor autograd): `sigmoid`, `sigmoid_grad`,
`tanh`, `tanh_grad`, `relu`, `relu_grad`, `leaky_relu(x, negative_slope)`, `leaky_relu_grad(x, negative_slope)`.
(At x = 0 exactly the derivative of ReLU is not defined: PyTorch takes 0 there; the checks never ask at 0.)

Write your answer where the file says, then run the file (or its last cell): each check compares it with nn.Sigmoid,
nn.Tanh, nn.ReLU or nn.LeakyReLU and autograd's x.grad, as the slide draws them.
The solution, after you tried: exercises/solutions/02_activations.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: each phi(x) and its derivative
def sigmoid(x):
    """phi(x) = 1 / (1 + e^-x)."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def sigmoid_grad(x):
    """d phi(x) / dx of the sigmoid."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def tanh(x):
    """phi(x) = (e^x - e^-x) / (e^x + e^-x)."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def tanh_grad(x):
    """d phi(x) / dx of tanh."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def relu(x):
    """phi(x) = 0 if x <= 0, x if x > 0."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def relu_grad(x):
    """d phi(x) / dx of ReLU (x != 0)."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def leaky_relu(x, negative_slope=0.01):
    """phi(x) = negative_slope * x if x < 0, x if x >= 0."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def leaky_relu_grad(x, negative_slope=0.01):
    """d phi(x) / dx of leaky ReLU (x != 0)."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell after each change (in a terminal: python 03_nn_iris/exercises/02_activations.py)
common.check_exercise('activations', globals())
