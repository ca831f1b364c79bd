"""Write a convolutional layer's 1-D convolution by hand: padding, stride and dilation.

Slide "Convolution" (1D discrete convolution): the slide writes (f * g)(k) = sum_i f(i) g(k - i), which flips the
kernel g. A convolutional layer (nn.Conv1d, F.conv1d) computes the same sum without the flip, a cross-correlation:

    out(k) = sum_{i=0}^{K-1} f_padded(k * stride + i * dilation) * g(i),    k = 0, 1, ..., output_size - 1

where f_padded is f with `padding` zeros at both ends, K = len(g), and output_size is the slide's
floor((len(f) + 2 * padding - (dilation * (K - 1) + 1)) / stride + 1). Write `convolve(f, g, padding, stride,
dilation)` for 1-D tensors f and g, by hand (loops or slicing; not F.conv1d), returning a 1-D tensor. The slide's
f = [1, 2, 3, 4, 5, 6, 7] and g = [2, 2, 2] give [12, 18, 24, 30, 36]; with padding=1, [6, 12, 18, 24, 30, 36, 26].

Write your answer where the file says, then run the file (or its last cell): each check compares it with F.conv1d.
The solution, after you tried: exercises/solutions/02_convolve.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: the convolution of a convolutional layer
def convolve(f, g, padding=0, stride=1, dilation=1):
    """out(k) = sum_i f_padded(k * stride + i * dilation) * g(i), with `padding` zeros at both ends of f."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell after each change (in a terminal: python 04_cnn_mnist/exercises/02_convolve.py)
common.check_exercise('convolve', globals())
