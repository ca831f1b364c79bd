"""Write 2-D max pooling by hand, with PyTorch's default stride: the largest value of each window.

Slide "Pooling Layer": max pooling down-samples its input; its parameters and working are like a convolutional
layer's, and in PyTorch `stride` is `kernel_size` when it is not given. For a 2-D x (height x width):

    out(r, c) = max over i, j = 0 .. kernel_size - 1 of x(r * stride + i, c * stride + j)

with as many rows and columns as windows fit, the slide's output size (no padding, no dilation):
floor((size - kernel_size) / stride + 1). Write `max_pool(x, kernel_size, stride=None)` by hand (loops or slicing;
not F.max_pool2d or nn.MaxPool2d), returning a 2-D tensor. The 4 x 4 example [[1, 1, 2, 4], [5, 6, 7, 8],
[3, 2, 1, 0], [1, 2, 3, 4]] with kernel_size 2 gives [[6, 8], [3, 4]].

Write your answer where the file says, then run the file (or its last cell): each check compares it with
F.max_pool2d.
The solution, after you tried: exercises/solutions/03_max_pool.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: max pooling of a 2-D tensor
def max_pool(x, kernel_size, stride=None):
    """out(r, c) = max of x(r * stride + i, c * stride + j) over i, j < kernel_size; stride = kernel_size if None."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer after each change (in a terminal: python 04_cnn_mnist/exercises/03_max_pool.py)
common.check_exercise('max_pool', globals())
