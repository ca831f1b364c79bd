"""Write torch.linspace(start, end, steps) by hand: `steps` numbers from start to end, evenly spaced, both ends in.

Slide "Practice) Creating a Tensor (1/2)", step 2 "Create a tensor using initializers" ("Try zeros, ones, eye,
empty, arange, linspace"): torch.linspace(start, end, steps) gives `steps` numbers, the first is start, the last is
end, and each is the same step (end - start) / (steps - 1) after the one before:

    x_i = start + i * (end - start) / (steps - 1),    i = 0, 1, ..., steps - 1      (steps = 1: start alone)

Write `linspace(start, end, steps)` by hand (a list, or torch.arange; not torch.linspace), returning a 1-D float64
tensor. linspace(0, 1, 5) is [0, 0.25, 0.5, 0.75, 1]; later slides draw with torch.linspace(-6, 12, 100) ("Gradient
Descent by Hands") and torch.linspace(-10, 10, 200) ("Visualizing Activation Functions").

Write your answer where the file says, then run the file (or its last cell): each check compares it with
torch.linspace.
The solution, after you tried: exercises/solutions/02_linspace.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: evenly spaced numbers
def linspace(start, end, steps):
    """x_i = start + i * (end - start) / (steps - 1) for i = 0, ..., steps - 1, as a float64 tensor."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell after each change (in a terminal: python 01_tensors/exercises/02_linspace.py)
common.check_exercise('linspace', globals())
