"""Mend the slide's y,retain_grad(): keep the gradients of y and z after z.backward().

Slide "Practice) Automatic Differentiation - More Analysis": y(x) = x^3, z(y) = log y; Q) dz/dx at x = 5? After
z.backward() the slide prints x.grad = 0.6, y.grad = 0.008 and z.grad = 1. Only a leaf tensor (x) keeps its
gradient by itself; y and z are made from x, so they keep theirs only when asked before backward(). The slide asks
with two lines that do not run. `analyze(x0)` below is the slide's code as printed: run this file, read what goes
wrong, mend the two lines, and run it again until every check passes (x.grad = 3/x, y.grad = 1/y, z.grad = 1).

The solution, after you tried: exercises/solutions/02_retain_grad.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% The slide's code: mend it
def analyze(x0):
    """The slide's steps at x = x0: y = x^3, z = log y, z.backward(); returns x, y and z with their gradients."""
    x = torch.tensor(x0, requires_grad=True)
    y = x ** 3
    z = torch.log(y)
    y,retain_grad()
    z,retain_grad()
    z.backward()
    return x, y, z


# %% Check your answer: run this cell after each change (in a terminal: python 02_autograd/exercises/02_retain_grad.py)
common.check_exercise('retain_grad', globals())
