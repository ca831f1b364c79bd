"""Find the line through two points by solving A x = b by hand, with the inverse of a 2 x 2 matrix.

Slide "Practice) Line Fitting from Two Points": the line y = a x + c through (1, 4) and (4, 2) makes two equations,
a * 1 + c = 4 and a * 4 + c = 2, that is A [a, c]^T = b with the slide's A = [[1, 1], [4, 1]] and b = [[4], [2]]; the
slide solves them by A.inverse().mm(b) and prints [[-0.6667], [4.6667]]. Write two functions, by hand (no
inverse(), no torch.linalg):
- `solve_2x2(A, b)`: x = A^-1 b for a 2 x 2 tensor A = [[p, q], [r, s]] and b of 2 rows, where
  A^-1 = 1 / (p s - q r) * [[s, -q], [-r, p]];
- `fit_line(point_1, point_2)`: the slide's A and b for two points (x, y) (tuples of floats; make float64 tensors,
  dtype=torch.float64), then [[a], [c]] (a 2 x 1 tensor, as the slide prints) from your solve_2x2.

Write your answer where the file says, then run the file (or its last cell): each check compares it with
torch.linalg.solve.
The solution, after you tried: exercises/solutions/04_fit_line.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: a line from two points
def solve_2x2(A, b):
    """x = A^-1 b with A^-1 = 1 / (p s - q r) [[s, -q], [-r, p]] for A = [[p, q], [r, s]]."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def fit_line(point_1, point_2):
    """[[a], [c]] of the line y = a x + c through the points (x, y): A [a, c]^T = b, solved by solve_2x2."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell after each change (in a terminal: python 01_tensors/exercises/04_fit_line.py)
common.check_exercise('fit_line', globals())
