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
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer after each change (in a terminal: python 04_cnn_mnist/exercises/01_conv_output_size.py)
common.check_exercise('conv_output_size', globals())
