"""Write the softplus activation function and its derivative by hand: a teacher's own exercise.

Slide "Practice) Visualizing Activation Functions" ends its list with "# Try more activation functions". One more
is softplus, a smooth ReLU: phi(x) = log(1 + e^x), whose derivative is the sigmoid, d phi / dx = 1 / (1 + e^-x).
Write `softplus(x)` and `softplus_grad(x)` for a tensor x of any shape, by hand (torch.exp and torch.log; not
F.softplus, not torch.sigmoid), each returning a tensor of x's shape. At x = [-1, 0, 1] softplus gives [0.3133,
0.6931, 1.3133] and its derivative [0.2689, 0.5, 0.7311].

Write your answer where the file says, then run the file (or its last cell): each check compares it with PyTorch's
F.softplus and its gradient by autograd.
The solution, after you tried: exercises/solutions/90_softplus.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: softplus and its derivative
def softplus(x):
    """phi(x) = log(1 + e^x), element by element."""
    ### BEGIN SOLUTION
    return torch.log(1 + torch.exp(x))
    ### END SOLUTION


def softplus_grad(x):
    """d phi / dx = 1 / (1 + e^-x), element by element."""
    ### BEGIN SOLUTION
    return 1 / (1 + torch.exp(-x))
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import torch.nn.functional as F


def softplus_gradient(x):
    """PyTorch's derivative: autograd through F.softplus."""
    x = x.clone().requires_grad_(True)
    F.softplus(x).sum().backward()
    return x.grad


def cases(generator):
    slide = torch.tensor([-1., 0., 1.], dtype=torch.float64)
    shapes = [(7,), (3, 4), (2, 3, 5)]
    randoms = [5 * torch.randn(shape, generator=generator, dtype=torch.float64) for shape in shapes]
    checks = []
    for function, hint in [('softplus', 'phi(x) = log(1 + e^x): torch.log of 1 plus torch.exp, element by element'),
                           ('softplus_grad', 'the derivative of log(1 + e^x) is e^x / (1 + e^x) = 1 / (1 + e^-x)')]:
        checks.append(common.Case(f'{function}: the numbers x = [-1, 0, 1]', (slide,), function=function,
                                  hint=f'slide "Visualizing Activation Functions", softplus: {hint}'))
        checks += [common.Case(f'{function}: random x of {" x ".join(map(str, x.shape))} (float64)', (x,),
                               function=function, hint=f'slide "Visualizing Activation Functions", softplus: {hint}')
                   for x in randoms]
    return checks


EXERCISE = common.Exercise(answer=('softplus', 'softplus_grad'), cases=cases,
                           expected={'softplus': F.softplus, 'softplus_grad': softplus_gradient},
                           reference="PyTorch's F.softplus and autograd",
                           by_hand=('torch.nn.functional.softplus', 'torch.sigmoid', 'torch.Tensor.sigmoid'))

# %% Check your answer: run this cell after each change (in a terminal: python 03_nn_iris/exercises/90_softplus.py)
common.check_exercise('softplus', globals())
