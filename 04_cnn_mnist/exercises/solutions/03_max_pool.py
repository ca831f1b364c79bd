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
    ### BEGIN SOLUTION
    stride = stride or kernel_size  # As PyTorch does when no stride is given
    height, width = (x.shape[0] - kernel_size) // stride + 1, (x.shape[1] - kernel_size) // stride + 1
    out = x.new_empty(height, width)
    for r in range(height):
        for c in range(width):
            out[r, c] = x[r * stride:r * stride + kernel_size, c * stride:c * stride + kernel_size].max()
    return out
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import torch.nn.functional as F


def max_pool2d(x, kernel_size, stride=None):
    """PyTorch's answer: F.max_pool2d on one sample with one channel (its stride: kernel_size when None)."""
    return F.max_pool2d(x[None, None], kernel_size, stride)[0, 0]


def cases(generator):
    example = torch.tensor([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]], dtype=torch.float64)
    default = ('slide "Pooling Layer": in PyTorch the stride is kernel_size when it is not given (windows side by '
               'side, not overlapping)')
    size = ('slide "Pooling Layer" (its parameters work as a convolutional layer\'s): only whole windows, '
            'floor((size - kernel_size) / stride + 1) of them along each side')
    checks = [common.Case('the 4 x 4 example, kernel_size=2 (no stride given)', (example, 2), hint=default)]
    for height, width, kernel_size, stride in [(6, 6, 2, None), (7, 5, 2, None), (9, 7, 3, None), (7, 8, 3, 2),
                                               (8, 9, 2, 3), (5, 6, 1, None)]:
        x = torch.randn(height, width, generator=generator, dtype=torch.float64)  # Negative values too
        setting = {} if stride is None else {'stride': stride}
        checks.append(common.Case(f'random x of {height} x {width} (float64), kernel_size={kernel_size}, '
                                  + ('no stride given' if stride is None else f'stride={stride}'), (x, kernel_size),
                                  setting, hint=default if stride is None else size))
    return checks


EXERCISE = common.Exercise(answer='max_pool', cases=cases, expected=max_pool2d, reference="PyTorch's F.max_pool2d",
                           by_hand=('torch.nn.functional.max_pool2d', 'torch.max_pool2d',
                                    'torch.nn.functional.max_pool2d_with_indices'))

# %% Check your answer after each change (in a terminal: python 04_cnn_mnist/exercises/03_max_pool.py)
common.check_exercise('max_pool', globals())
