"""Answer the slide's question by the chain rule: dz/dx of z = log(x^3), by hand, as a product of two derivatives.

Slide "Practice) Automatic Differentiation - More Analysis": given y(x) = x^3 and z(y) = log y (the natural log),
Q) dz/dx at x = 5? Autograd answers 0.6 (x.grad), on the way dz/dy = 0.008 (y.grad). By the chain rule,
dz/dx = dz/dy * dy/dx: the derivative of the outer function, taken at y = y(x), times the derivative of the inner one.
Write three functions, each element by element for a tensor of any shape (+, -, *, /, **; no autograd):
- `dy_dx(x)`: the derivative of y = x^3; 75 at x = 5;
- `dz_dy(y)`: the derivative of z = log y, at y; 0.008 at y = 125;
- `dz_dx(x)`: dz/dx by the chain rule from the two above; 0.6 at x = 5.

Write your answer where the file says, then run the file (or its last cell): each check compares it with autograd.
The solution, after you tried: exercises/solutions/03_chain_rule.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: the chain rule
def dy_dx(x):
    """The derivative of y(x) = x^3."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def dz_dy(y):
    """The derivative of z(y) = log y."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def dz_dx(x):
    """dz/dx = dz/dy * dy/dx, the outer derivative taken at y = x^3."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell after each change (in a terminal: python 02_autograd/exercises/03_chain_rule.py)
common.check_exercise('chain_rule', globals())
