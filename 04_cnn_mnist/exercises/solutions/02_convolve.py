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
    ### BEGIN SOLUTION
    f_padded = torch.cat([f.new_zeros(padding), f, f.new_zeros(padding)])
    span = dilation * (len(g) - 1) + 1  # From the first to the last input element one output looks at
    outputs = [sum(f_padded[start + i * dilation] * g[i] for i in range(len(g)))
               for start in range(0, len(f_padded) - span + 1, stride)]
    return torch.stack(outputs)
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import torch.nn.functional as F


def conv1d(f, g, padding=0, stride=1, dilation=1):
    """PyTorch's answer: F.conv1d on one sample with one channel in and out."""
    return F.conv1d(f.view(1, 1, -1), g.view(1, 1, -1), padding=padding, stride=stride, dilation=dilation).view(-1)


def cases(generator):
    f, g = torch.arange(1., 8., dtype=torch.float64), torch.full((3,), 2., dtype=torch.float64)
    slide = [common.Case("the slide's f = [1, ..., 7], g = [2, 2, 2]", (f, g),
                         hint='slide "Convolution": each output is a sum of K products, f(k + i) g(i)')]
    slide += [common.Case(f"the slide's numbers, {name}={value}", (f, g), {name: value}, hint=hint)
              for name, value, hint in [
                  ('padding', 1, 'slide "Convolution", padding = 1: one zero at both ends of f, before the sums'),
                  ('stride', 3, 'slide "Convolution", stride = 3: the kernel moves 3 elements from one output to '
                                'the next'),
                  ('dilation', 2, 'slide "Convolution", dilation = 2: the kernel\'s elements are 2 apart in f')]]
    randoms = []
    for padding, stride, dilation in [(0, 1, 1), (2, 1, 1), (1, 2, 1), (0, 1, 3), (2, 3, 2)]:
        size_g = int(torch.randint(2, 5, (1,), generator=generator))
        size_f = dilation * (size_g - 1) + 1 + int(torch.randint(0, 8, (1,), generator=generator))
        f = torch.randn(size_f, generator=generator, dtype=torch.float64)
        g = torch.randn(size_g, generator=generator, dtype=torch.float64)  # Not symmetric: a flip shows
        randoms.append(common.Case(f'random f of {size_f}, g of {size_g} (float64), padding={padding}, '
                                   f'stride={stride}, dilation={dilation}', (f, g),
                                   {'padding': padding, 'stride': stride, 'dilation': dilation},
                                   hint='slide "Convolution": PyTorch does not flip g (out(k) = sum_i f(k*stride + '
                                        'i*dilation) g(i)); the output size is the slide\'s formula'))
    return slide + randoms


EXERCISE = common.Exercise(answer='convolve', cases=cases, expected=conv1d, reference="PyTorch's F.conv1d",
                           by_hand=('torch.nn.functional.conv1d', 'torch.conv1d'))

# %% Check your answer: run this cell after each change (in a terminal: python 04_cnn_mnist/exercises/02_convolve.py)
common.check_exercise('convolve', globals())
