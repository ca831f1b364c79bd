"""Hostile: os._exit(0) at import, which ends the process at once, no exception, no atexit. Expected: retain_grad
0 points ("ended its process"), and the grading goes on."""
# %% Setup
import os

import common

print('All 5 checks passed.')
os._exit(0)

# %% Imports
import torch


# %% The slide's code, mended
def analyze(x0):
    x = torch.tensor(x0, requires_grad=True)
    y = x ** 3
    z = torch.log(y)
    y.retain_grad()
    z.retain_grad()
    z.backward()
    return x, y, z
