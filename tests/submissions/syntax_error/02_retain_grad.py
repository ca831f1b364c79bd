"""A syntax error in the answer's own cell (a parenthesis left open). Expected: retain_grad 0 points, with the line
of the error in the feedback."""
# %% Setup
import common

# %% Imports
import torch


# %% The slide's code: mended, almost
def analyze(x0):
    x = torch.tensor(x0, requires_grad=True)
    y = x ** 3
    z = torch.log(y)
    y.retain_grad(
    z.retain_grad()
    z.backward()
    return x, y, z


# %% Check your answer
common.check_exercise('retain_grad', globals())
