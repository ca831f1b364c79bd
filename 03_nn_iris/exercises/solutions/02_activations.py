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
    ### BEGIN SOLUTION
    return 1 / (1 + torch.exp(-x))
    ### END SOLUTION


def sigmoid_grad(x):
    """d phi(x) / dx of the sigmoid."""
    ### BEGIN SOLUTION
    return sigmoid(x) * (1 - sigmoid(x))
    ### END SOLUTION


def tanh(x):
    """phi(x) = (e^x - e^-x) / (e^x + e^-x)."""
    ### BEGIN SOLUTION
    return (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))
    ### END SOLUTION


def tanh_grad(x):
    """d phi(x) / dx of tanh."""
    ### BEGIN SOLUTION
    return 1 - tanh(x)**2
    ### END SOLUTION


def relu(x):
    """phi(x) = 0 if x <= 0, x if x > 0."""
    ### BEGIN SOLUTION
    return torch.where(x > 0, x, torch.zeros_like(x))
    ### END SOLUTION


def relu_grad(x):
    """d phi(x) / dx of ReLU (x != 0)."""
    ### BEGIN SOLUTION
    return (x > 0).double()
    ### END SOLUTION


def leaky_relu(x, negative_slope=0.01):
    """phi(x) = negative_slope * x if x < 0, x if x >= 0."""
    ### BEGIN SOLUTION
    return torch.where(x < 0, negative_slope * x, x)
    ### END SOLUTION


def leaky_relu_grad(x, negative_slope=0.01):
    """d phi(x) / dx of leaky ReLU (x != 0)."""
    ### BEGIN SOLUTION
    return torch.where(x < 0, negative_slope, 1.).double()
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import torch.nn as nn

MODULES = {'sigmoid': nn.Sigmoid, 'tanh': nn.Tanh, 'relu': nn.ReLU, 'leaky_relu': nn.LeakyReLU}  # The slide's


def module_output(name):
    """PyTorch's phi(x): the slide's module."""
    return lambda x, **setting: MODULES[name](**setting)(x)


def autograd_derivative(name):
    """PyTorch's d phi(x) / dx: autograd through the slide's module, as the slide computes it."""
    def derivative(x, **setting):
        x = x.clone().requires_grad_(True)
        MODULES[name](**setting)(x).sum().backward()
        return x.grad
    return derivative


def cases(generator):
    hints = {'sigmoid': 'slide "Activation Function": 1 / (1 + e^-x), element by element (torch.exp)',
             'sigmoid_grad': 'slide "Observing Vanishing Gradients": phi\'(x) = phi(x) (1 - phi(x)), phi of x '
                             'itself',
             'tanh': 'slide "Activation Function": (e^x - e^-x) / (e^x + e^-x)',
             'tanh_grad': 'slide "Activation Function": the quotient rule on (e^x - e^-x) / (e^x + e^-x); the '
                          'result can be written with tanh(x) itself',
             'relu': 'slide "Activation Function": 0 where x <= 0, x itself where x > 0 (torch.where)',
             'relu_grad': 'slide "Activation Function": the slope of each of the two pieces',
             'leaky_relu': 'slide "Activation Function": negative_slope * x where x < 0 (use the argument, not a '
                           'number of your own), x where x >= 0',
             'leaky_relu_grad': 'slide "Activation Function": the slope of each of the two pieces, the argument '
                                'negative_slope on the left'}
    slide_x = torch.linspace(-10, 10, 200, dtype=torch.float64)
    shapes = {'sigmoid': (6,), 'tanh': (2, 5), 'relu': (3, 2, 2), 'leaky_relu': (4, 3)}
    checks = []
    for name, shape in shapes.items():
        x = 4 * torch.randn(shape, generator=generator, dtype=torch.float64)
        slide_setting, random_setting = ({'negative_slope': 0.01}, {'negative_slope': 0.1}) if name == 'leaky_relu' \
            else ({}, {})
        for function in (name, name + '_grad'):
            checks.append(common.Case(f"{function}: the slide's x = torch.linspace(-10, 10, 200) (float64)"
                                      + (', negative_slope = 0.01' if slide_setting else ''), (slide_x,),
                                      slide_setting, hint=hints[function], function=function))
            checks.append(common.Case(f"{function}: random x of {' x '.join(map(str, shape))} (float64)"
                                      + (', negative_slope = 0.1' if random_setting else ''), (x,), random_setting,
                                      hint=hints[function], function=function))
    return checks


EXPECTED = {function: (autograd_derivative if function.endswith('_grad') else module_output)(name)
            for name in MODULES for function in (name, name + '_grad')}
EXERCISE = common.Exercise(answer=tuple(EXPECTED), cases=cases, expected=EXPECTED,
                           reference="PyTorch's modules and autograd",
                           by_hand=('torch.sigmoid', 'torch.Tensor.sigmoid', 'torch.special.expit',
                                    'torch.nn.functional.sigmoid', 'torch.tanh', 'torch.Tensor.tanh',
                                    'torch.nn.functional.tanh', 'torch.relu', 'torch.Tensor.relu',
                                    'torch.nn.functional.relu', 'torch.nn.functional.leaky_relu',
                                    'torch.autograd.grad', 'torch.Tensor.backward'))

# %% Check your answer: run this cell after each change (in a terminal: python 03_nn_iris/exercises/02_activations.py)
common.check_exercise('activations', globals())
