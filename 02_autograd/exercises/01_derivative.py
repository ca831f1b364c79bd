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
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def d2f(x):
    """f''(x), the derivative of f'(x)."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell after each change (in a terminal: python 02_autograd/exercises/01_derivative.py)
common.check_exercise('derivative', globals())
