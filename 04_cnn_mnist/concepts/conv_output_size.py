"""The output size of a convolution: the slide's formula, checked against nn.Conv1d and nn.Conv2d.

Slide "Convolution" (1D discrete convolution, the size of output vectors):

    output_size = floor((input_size + 2 * padding - (dilation * (kernel_size - 1) + 1)) / stride + 1)

The formula is checked over a grid of input size, kernel size, padding, stride and dilation
(shapes only, on the CPU). In a notebook, `n_cases` and `mismatches` stay after the last cell.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import itertools

import torch
import torch.nn as nn

from common import make_parser

# %% Define the grid of cases to check
INPUT_SIZES = [5, 6, 7, 10, 28]
KERNEL_SIZES = [1, 2, 3, 5]
PADDINGS = [0, 1, 2]
STRIDES = [1, 2, 3]
DILATIONS = [1, 2, 3]


# %% The slide's formula, and the check against PyTorch
def conv_output_size(input_size, kernel_size, padding=0, stride=1, dilation=1):
    """The slide's formula for the output length of a convolution along one dimension."""
    return (input_size + 2 * padding - (dilation * (kernel_size - 1) + 1)) // stride + 1


def check_grid():
    """Compare the formula with nn.Conv1d and nn.Conv2d; return (number of cases, list of mismatches)."""
    n_cases, mismatches = 0, []
    with torch.no_grad():  # Only shapes matter here
        for n, k, p, s, d in itertools.product(INPUT_SIZES, KERNEL_SIZES, PADDINGS, STRIDES, DILATIONS):
            expected = conv_output_size(n, k, p, s, d)
            if expected <= 0:
                continue  # The kernel does not fit: PyTorch raises an error, as it should
            conv1 = nn.Conv1d(1, 1, kernel_size=k, padding=p, stride=s, dilation=d)
            conv2 = nn.Conv2d(1, 1, kernel_size=k, padding=p, stride=s, dilation=d)
            out1 = conv1(torch.zeros(1, 1, n)).shape[-1]
            height, width = conv2(torch.zeros(1, 1, n, n + 3)).shape[-2:]
            expected_w = conv_output_size(n + 3, k, p, s, d)
            n_cases += 1
            if (out1, height, width) != (expected, expected, expected_w):
                mismatches.append((n, k, p, s, d, expected, out1, height, width))
    return n_cases, mismatches


def slide_example(input_size=7, kernel_size=3, **setting):
    """One of the slide's examples as a line: its setting, the formula's output size and nn.Conv1d's."""
    with torch.no_grad():  # Only the shape matters
        conv1d = nn.Conv1d(1, 1, kernel_size=kernel_size, **setting)(torch.zeros(1, 1, input_size)).shape[-1]
    label = ', '.join(f'{key}={value}' for key, value in dict(input_size=input_size, kernel_size=kernel_size,
                                                              **setting).items())
    return f'{label}: formula {conv_output_size(input_size, kernel_size, **setting)}, nn.Conv1d {conv1d}'


# %% The slide's examples, then the whole grid
if __name__ == '__main__':
    make_parser('conv_output_size', __doc__).parse_args()  # Only --help: nothing to choose

    # The slide's examples: an input of size 7, the formula beside the length nn.Conv1d gives
    print(slide_example(padding=0, stride=1))              # input_size=7, ...: formula 5, nn.Conv1d 5
    print(slide_example(padding=1, stride=1))              # input_size=7, ..., padding=1, ...: formula 7, nn.Conv1d 7
    print(slide_example(padding=0, stride=3))              # input_size=7, ..., stride=3: formula 2, nn.Conv1d 2
    print(slide_example(padding=0, stride=1, dilation=2))  # input_size=7, ..., dilation=2: formula 3, nn.Conv1d 3

    n_cases, mismatches = check_grid()
    for case in mismatches:
        print('Mismatch (n, k, p, s, d, formula, Conv1d, Conv2d h, Conv2d w):', case)
    print(f'The formula matches nn.Conv1d and nn.Conv2d in {n_cases - len(mismatches)} of {n_cases} cases')
    # The formula matches nn.Conv1d and nn.Conv2d in 486 of 486 cases
