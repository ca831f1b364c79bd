"""Find where an element of a tensor lies in memory, and which element of y a permuted view shows at an index.

Slides "Practice) Reshaping a Tensor (1/2)" and "(2/2)": the tables under the code. The slide's y of shape (2, 2, 2)
keeps its 8 numbers in memory one after another, 29, 3, 18, 10, 27, 10, 12, 5, at the indices [0,0,0], [0,0,1],
[0,1,0], ..., [1,1,1]: the last index counts fastest (y.view(-1) shows that order). So 10 = y[1,0,1] is the number at
place 5 of y.view(-1). Write two functions, by hand (arithmetic on the indices; no tensor):
- `offset(index, shape)`: the place of y[index] in y.view(-1), for a contiguous y of `shape` (any number of dims);
  offset((1, 0, 1), (2, 2, 2)) is 5.
- `permuted_index(index, dims)`: t = y.permute(*dims) makes no copy; it shows y's numbers with the indices moved:
  the d-th index of t is the index dims[d] of y. Return the index of y (a tuple) whose number t[index] shows. The
  slide's t_201 = y.permute(2, 0, 1) shows 27 = y[1,0,0] at t_201[0,1,0]; y.transpose(0, 1) is y.permute(1, 0, 2),
  which the table "t(0,1)" draws.

Write your answer where the file says, then run the file (or its last cell): each check asks PyTorch, with a tensor
whose numbers are their own places (torch.arange(n).view(shape)).
The solution, after you tried: exercises/solutions/03_memory_index.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: indices and memory
def offset(index, shape):
    """The place of y[index] in y.view(-1), for a contiguous y of `shape`: the last index counts fastest."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def permuted_index(index, dims):
    """The index of y whose number t[index] shows, t = y.permute(*dims): index d of t is index dims[d] of y."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell after each change (in a terminal: python 01_tensors/exercises/03_memory_index.py)
common.check_exercise('memory_index', globals())
