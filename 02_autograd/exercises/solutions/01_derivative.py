"""Differentiate the slide's f(x) = 0.1x^3 - 0.8x^2 - 1.5x + 5.4 by hand, once and twice, and compare with autograd.

Slide "Practice) Automatic Differentiation": after x = torch.tensor([2.], requires_grad=True), y = f(x) and
y.backward(), x.grad holds f'(2) = -3.5; SymPy writes the derivative as 0.3*x**2 - 1.6*x - 1.5. Write it yourself by
the power rule, d/dx x^n = n x^(n-1) (and d/dx of a number is 0), term by term:
- `df(x)`: f'(x), the slope of f at x; df(2) is -3.5;
- `d2f(x)`: f''(x), the derivative of f'(x), which says how the slope changes (f'' > 0: f curves upwards, a minimum
  where f' = 0; slide "Gradient Descent by Hands" finds one at x = 6.147).
x is a tensor of any shape: work element by element (+, -, *, **), without autograd.

Write your answer where the file says, then run the file (or its last cell): each check compares it with autograd's
x.grad (and, for f'', autograd of autograd's derivative).
The solution, after you tried: exercises/solutions/01_derivative.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: the derivatives of f by the power rule
def df(x):
    """f'(x) for f(x) = 0.1x^3 - 0.8x^2 - 1.5x + 5.4."""
    ### BEGIN SOLUTION
    return 0.3*x**2 - 1.6*x - 1.5
    ### END SOLUTION


def d2f(x):
    """f''(x), the derivative of f'(x)."""
    ### BEGIN SOLUTION
    return 0.6*x - 1.6
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
f = lambda x: 0.1*x**3 - 0.8*x**2 - 1.5*x + 5.4  # noqa: E731  (the slide's f, as the slide writes it)


def autograd_df(x):
    """PyTorch's answer: x.grad after f(x).backward(), as on the slide (summed: each y[i] depends on x[i] alone)."""
    x = x.clone().requires_grad_(True)
    f(x).sum().backward()
    return x.grad


def autograd_d2f(x):
    """PyTorch's answer: autograd of autograd's f'(x) (create_graph=True keeps the graph of the first derivative)."""
    x = x.clone().requires_grad_(True)
    (dy_dx,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    (d2y_dx2,) = torch.autograd.grad(dy_dx.sum(), x)
    return d2y_dx2


def cases(generator):
    hints = {'df': 'slide "Automatic Differentiation": d/dx x^n = n x^(n-1) for each term, and the number 5.4 has no '
                   'slope',
             'd2f': 'slide "Automatic Differentiation": differentiate your f\'(x) once more, term by term'}
    checks = []
    for function in ('df', 'd2f'):
        checks.append(common.Case(f"{function}: the slide's x = tensor([2.]) (float64)",
                                  (torch.tensor([2.], dtype=torch.float64),), hint=hints[function], function=function))
        for shape in [(5,), (2, 3)]:
            x = torch.empty(shape, dtype=torch.float64).uniform_(-6, 12, generator=generator)  # The slide's range
            checks.append(common.Case(f"{function}: random x of {' x '.join(map(str, shape))} from -6 to 12 (float64)",
                                      (x,), hint=hints[function], function=function))
    return checks


EXERCISE = common.Exercise(answer=('df', 'd2f'), cases=cases, expected={'df': autograd_df, 'd2f': autograd_d2f},
                           reference="PyTorch's autograd", by_hand=('torch.autograd.grad', 'torch.Tensor.backward'))

# %% Check your answer: run this cell after each change (in a terminal: python 02_autograd/exercises/01_derivative.py)
common.check_exercise('derivative', globals())
