"""Mend the slide's y,retain_grad(): keep the gradients of y and z after z.backward().

Slide "Practice) Automatic Differentiation - More Analysis": y(x) = x^3, z(y) = log y; Q) dz/dx at x = 5? After
z.backward() the slide prints x.grad = 0.6, y.grad = 0.008 and z.grad = 1. Only a leaf tensor (x) keeps its
gradient by itself; y and z are made from x, so they keep theirs only when asked before backward(). The slide asks
with two lines that do not run. `analyze(x0)` below is the slide's code as printed: run this file, read what goes
wrong, mend the two lines, and run it again until every check passes (x.grad = 3/x, y.grad = 1/y, z.grad = 1).

The solution, after you tried: exercises/solutions/02_retain_grad.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% The slide's code: mend it
def analyze(x0):
    """The slide's steps at x = x0: y = x^3, z = log y, z.backward(); returns x, y and z with their gradients."""
    x = torch.tensor(x0, requires_grad=True)
    y = x ** 3
    z = torch.log(y)
    ### BEGIN SOLUTION
    y.retain_grad()  # A dot, not the slide's comma (`y,retain_grad()` is a tuple of y and an unknown name)
    z.retain_grad()
    ### END SOLUTION
    ### BEGIN SLIDE CODE
    # y,retain_grad()
    # z,retain_grad()
    ### END SLIDE CODE
    z.backward()
    return x, y, z


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
def gradients(x0):
    """PyTorch's answer: autograd's dz/dx, dz/dy and dz/dz for z = log(x^3) at x0."""
    x = torch.tensor(x0, requires_grad=True)
    y = x ** 3
    z = torch.log(y)
    dz_dx, dz_dy, dz_dz = torch.autograd.grad(z, [x, y, z])
    return {'x.grad': dz_dx, 'y.grad': dz_dy, 'z.grad': dz_dz}


def run(namespace, case):
    """What the learner's analyze() leaves: the gradients that x, y and z keep."""
    x, y, z = namespace['analyze'](*case.args)
    return {'x.grad': x.grad, 'y.grad': y.grad, 'z.grad': z.grad}


def cases(generator):
    hint = ('slide "Automatic Differentiation - More Analysis": Python reads `y,retain_grad()` as a tuple: y, and a '
            'call of a function retain_grad() that does not exist. The slide means a method of the tensor y itself '
            '(and of z), asked for before z.backward()')
    randoms = [float(x0) for x0 in torch.empty(3).uniform_(0.5, 10, generator=generator)]
    return ([common.Case("the slide's x = 5", (5.,), hint=hint)]
            + [common.Case(f'x = {x0:.4g}', (x0,), hint=hint) for x0 in randoms])


EXERCISE = common.Exercise(answer='analyze', cases=cases, expected=gradients, run=run, kind='bug',
                           reference="PyTorch's autograd", atol=1e-6, rtol=1e-5)

# %% Check your answer: run this cell after each change (in a terminal: python 02_autograd/exercises/02_retain_grad.py)
common.check_exercise('retain_grad', globals())
