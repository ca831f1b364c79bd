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
    ### BEGIN SOLUTION
    (p, q), (r, s) = A
    A_inv = torch.stack([torch.stack([s, -q]), torch.stack([-r, p])]) / (p * s - q * r)
    return A_inv @ b
    ### END SOLUTION


def fit_line(point_1, point_2):
    """[[a], [c]] of the line y = a x + c through the points (x, y): A [a, c]^T = b, solved by solve_2x2."""
    ### BEGIN SOLUTION
    (x1, y1), (x2, y2) = point_1, point_2
    A = torch.tensor([[x1, 1.], [x2, 1.]], dtype=torch.float64)  # a * x + c * 1 = y, one row per point
    b = torch.tensor([[y1], [y2]], dtype=torch.float64)
    return solve_2x2(A, b)
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
def pytorch_fit_line(point_1, point_2):
    """PyTorch's answer: the slide's A and b (float64), solved by torch.linalg.solve."""
    A = torch.tensor([[point_1[0], 1.], [point_2[0], 1.]], dtype=torch.float64)
    b = torch.tensor([[point_1[1]], [point_2[1]]], dtype=torch.float64)
    return torch.linalg.solve(A, b)


def cases(generator):
    hint_solve = ('slide "Line Fitting from Two Points": A^-1 swaps p and s, negates q and r, and divides all by the '
                  'determinant p s - q r; then the matrix product A^-1 b (rows times columns)')
    hint_line = ('slide "Line Fitting from Two Points": one row per point, a * x + c * 1 = y, so A = [[x1, 1], '
                 '[x2, 1]] and b = [[y1], [y2]] (float64); the result is [[a], [c]]')
    checks = [common.Case("the slide's A = [[1, 1], [4, 1]], b = [[4], [2]]",
                          (torch.tensor([[1., 1.], [4., 1.]], dtype=torch.float64),
                           torch.tensor([[4.], [2.]], dtype=torch.float64)), hint=hint_solve, function='solve_2x2')]
    for columns in (1, 3):
        A = torch.randn(2, 2, generator=generator, dtype=torch.float64) + 2 * torch.eye(2, dtype=torch.float64)
        b = torch.randn(2, columns, generator=generator, dtype=torch.float64)
        checks.append(common.Case(f'random A of 2 x 2, b of 2 x {columns} (float64)', (A, b), hint=hint_solve,
                                  function='solve_2x2'))
    checks.append(common.Case("the slide's points (1, 4) and (4, 2)", ((1., 4.), (4., 2.)), hint=hint_line,
                              function='fit_line'))
    for _ in range(2):
        x1, y1, y2 = (round(float(value), 2) for value in torch.empty(3).uniform_(-5, 5, generator=generator))
        x2 = round(x1 + float(torch.empty(1).uniform_(1, 4, generator=generator)), 2)  # Not on one vertical line
        checks.append(common.Case(f'random points ({x1:g}, {y1:g}) and ({x2:g}, {y2:g})', ((x1, y1), (x2, y2)),
                                  hint=hint_line, function='fit_line'))
    return checks


def compare(expected, got):
    """The dtype first (float32 numbers part from float64 ones after about 7 digits), then the numbers."""
    if torch.is_tensor(got) and got.dtype != expected.dtype:
        return f"yours is {got.dtype}, PyTorch's {expected.dtype}: make A and b with dtype=torch.float64"
    return common.exercises.difference(expected, got)


EXERCISE = common.Exercise(answer=('solve_2x2', 'fit_line'), cases=cases,
                           expected={'solve_2x2': torch.linalg.solve, 'fit_line': pytorch_fit_line},
                           reference="PyTorch's torch.linalg.solve", compare=compare,
                           by_hand=('torch.linalg.solve', 'torch.linalg.inv', 'torch.inverse', 'torch.Tensor.inverse',
                                    'numpy.linalg.inv', 'numpy.linalg.solve'))

# %% Check your answer: run this cell after each change (in a terminal: python 01_tensors/exercises/04_fit_line.py)
common.check_exercise('fit_line', globals())
