"""Write torch.linspace(start, end, steps) by hand: `steps` numbers from start to end, evenly spaced, both ends in.

Slide "Practice) Creating a Tensor (1/2)", step 2 "Create a tensor using initializers" ("Try zeros, ones, eye,
empty, arange, linspace"): torch.linspace(start, end, steps) gives `steps` numbers, the first is start, the last is
end, and each is the same step (end - start) / (steps - 1) after the one before:

    x_i = start + i * (end - start) / (steps - 1),    i = 0, 1, ..., steps - 1      (steps = 1: start alone)

Write `linspace(start, end, steps)` by hand (a list, or torch.arange; not torch.linspace), returning a 1-D float64
tensor. linspace(0, 1, 5) is [0, 0.25, 0.5, 0.75, 1]; later slides draw with torch.linspace(-6, 12, 100) ("Gradient
Descent by Hands") and torch.linspace(-10, 10, 200) ("Visualizing Activation Functions").

Write your answer where the file says, then run the file (or its last cell): each check compares it with
torch.linspace.
The solution, after you tried: exercises/solutions/02_linspace.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: evenly spaced numbers
def linspace(start, end, steps):
    """x_i = start + i * (end - start) / (steps - 1) for i = 0, ..., steps - 1, as a float64 tensor."""
    ### BEGIN SOLUTION
    if steps == 1:
        return torch.tensor([start], dtype=torch.float64)
    step = (end - start) / (steps - 1)  # steps numbers have steps - 1 gaps between them
    return start + torch.arange(steps, dtype=torch.float64) * step
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
def pytorch_linspace(start, end, steps):
    """PyTorch's answer: torch.linspace in float64."""
    return torch.linspace(start, end, steps, dtype=torch.float64)


def cases(generator):
    hint = ('slide "Creating a Tensor (1/2)", step 2: steps numbers have steps - 1 gaps between them, and the last '
            'number is end itself')
    randoms = []
    for low, high in [(2, 10), (10, 40), (2, 3)]:
        start, end = (round(float(value), 2) for value in torch.empty(2).uniform_(-20, 20, generator=generator))
        steps = int(torch.randint(low, high + 1, (1,), generator=generator))
        randoms.append(common.Case(f'random start = {start:g}, end = {end:g}, steps = {steps}', (start, end, steps),
                                   hint=hint))
    return ([common.Case('start = 0, end = 1, steps = 5', (0., 1., 5), hint=hint),
             common.Case("the slide's torch.linspace(-6, 12, 100) ('Gradient Descent by Hands')", (-6., 12., 100),
                         hint=hint),
             common.Case("the slide's torch.linspace(-10, 10, 200) ('Visualizing Activation Functions')",
                         (-10., 10., 200), hint=hint),
             common.Case('downwards: start = 3, end = -3, steps = 7', (3., -3., 7), hint=hint)]
            + randoms
            + [common.Case('one number: start = 2.5, end = 7, steps = 1', (2.5, 7., 1),
                           hint='steps = 1: the one number is start (there is no gap to divide by)')])


def compare(expected, got):
    """What differs, to 1e-9; first the dtype, since float32 numbers differ from float64 ones after 7 digits."""
    if torch.is_tensor(got) and got.dtype != torch.float64:
        return f'yours is a {got.dtype} tensor: make it float64 (dtype=torch.float64)'
    return common.exercises.difference(expected, got, atol=1e-9, rtol=1e-9)


EXERCISE = common.Exercise(answer='linspace', cases=cases, expected=pytorch_linspace, reference='torch.linspace',
                           by_hand=('torch.linspace', 'numpy.linspace'), compare=compare)

# %% Check your answer: run this cell after each change (in a terminal: python 01_tensors/exercises/02_linspace.py)
common.check_exercise('linspace', globals())
