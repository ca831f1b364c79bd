"""Write the slide's formula for the size of a convolution's output.

Slide "Convolution" (1D discrete convolution, the size of output vectors): a kernel of kernel_size elements,
`dilation` apart, spans dilation * (kernel_size - 1) + 1 input elements; it starts on the input padded with
`padding` zeros at both ends and moves `stride` elements from one output to the next, as long as it fits:

    output_size = floor((input_size + 2 * padding - (dilation * (kernel_size - 1) + 1)) / stride + 1)

Write `output_size(input_size, kernel_size, padding, stride, dilation)`, returning an integer. The slide's four
examples have an input of 7 and a kernel of 3: 5 outputs (padding 0, stride 1, dilation 1), 7 (padding 1), 2
(stride 3) and 3 (dilation 2).

Write your answer where the file says, then run the file (or its last cell): each check compares it with the length
of what nn.Conv1d gives for an input of that size.
The solution, after you tried: exercises/solutions/01_conv_output_size.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line


# %% Your answer: the number of outputs of a convolution along one dimension
def output_size(input_size, kernel_size, padding=0, stride=1, dilation=1):
    """floor((input_size + 2 * padding - (dilation * (kernel_size - 1) + 1)) / stride + 1), an integer."""
    ### BEGIN SOLUTION
    span = dilation * (kernel_size - 1) + 1  # The input elements that one output looks at, first to last
    return (input_size + 2 * padding - span) // stride + 1  # // is the floor, for these non-negative numbers
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import torch
import torch.nn as nn


def conv1d_length(input_size, kernel_size, padding=0, stride=1, dilation=1):
    """PyTorch's answer: the length of nn.Conv1d's output for an input of `input_size` (one sample, one channel)."""
    conv = nn.Conv1d(1, 1, kernel_size, stride=stride, padding=padding, dilation=dilation)
    with torch.no_grad():  # Only the shape matters
        return conv(torch.zeros(1, 1, input_size)).shape[-1]


def cases(generator):
    def randint(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=generator))

    hint = ('slide "Convolution", the size of output vectors: the kernel spans dilation x (kernel_size - 1) + 1 '
            'elements of the padded input (2 x padding longer), and the division by the stride is rounded down')
    slide = [common.Case(f"the slide's input_size=7, kernel_size=3{', ' + name + '=' + str(value) if name else ''}",
                         (7, 3), {name: value} if name else {}, hint=hint)
             for name, value in [('', 0), ('padding', 1), ('stride', 3), ('dilation', 2)]]
    randoms = []
    for padding, stride, dilation in [(0, 2, 1), (1, 3, 1), (2, 1, 2), (0, 4, 3), (randint(0, 3), randint(2, 4),
                                                                                     randint(1, 3))]:
        kernel_size = randint(2, 5)
        span = dilation * (kernel_size - 1) + 1
        # stride - 1 elements left over after the last output: rounding up or to the nearest would count one more
        input_size = span - 2 * padding + stride * randint(0, 4) + stride - 1
        while input_size < span:  # An input at least as long as the kernel
            input_size += stride
        randoms.append(common.Case(f'input_size={input_size}, kernel_size={kernel_size}, padding={padding}, '
                                   f'stride={stride}, dilation={dilation}', (input_size, kernel_size),
                                   {'padding': padding, 'stride': stride, 'dilation': dilation}, hint=hint))
    return slide + randoms


EXERCISE = common.Exercise(answer='output_size', cases=cases, expected=conv1d_length,
                           reference="the length of nn.Conv1d's output")

# %% Check your answer after each change (in a terminal: python 04_cnn_mnist/exercises/01_conv_output_size.py)
common.check_exercise('conv_output_size', globals())
