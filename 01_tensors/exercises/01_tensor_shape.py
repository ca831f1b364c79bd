"""Work out ndim, nelement and shape of the tensor that torch.tensor(data) makes, from the nested lists alone.

Slide "Practice) Creating a Tensor (1/2)", step 1 "Create a tensor from a composite data": the slide's
x = [[3, 29, 82], [10, 18, 84]] makes a tensor y with y.ndim = 2, y.nelement() = 6 and y.shape = torch.Size([2, 3]).
The shape lists how many items each level of the nesting holds (2 rows, each of 3 numbers); ndim is the number of
levels, len(shape); nelement is the number of numbers in all, the product of the shape. Write `tensor_info(data)` for
a number or nested lists (the lists of one level all equally long), by hand: without making a tensor or an array. It
returns (ndim, nelement, shape) with shape a tuple of ints: (2, 6, (2, 3)) for the slide's x. A lone number is a tensor
too, of shape () (torch.tensor(3).ndim is 0).

Write your answer where the file says, then run the file (or its last cell): each check compares it with the tensor
that torch.tensor(data) makes.
The solution, after you tried: exercises/solutions/01_tensor_shape.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: the shape of nested lists
def tensor_info(data):
    """(ndim, nelement, shape) of torch.tensor(data), from `data` (a number or nested lists) alone."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell after each change (in a terminal: python 01_tensors/exercises/01_tensor_shape.py)
common.check_exercise('tensor_shape', globals())
