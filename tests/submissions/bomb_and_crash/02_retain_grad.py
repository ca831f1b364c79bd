"""Hostile: crashes the interpreter (a segmentation fault: it reads memory at address 0). Expected: retain_grad 0
points ("ended its process by signal 11"), and the grading goes on."""
# %% Setup
import common

# %% Imports
import ctypes

import torch


# %% The slide's code, and a crash
def analyze(x0):
    ctypes.string_at(0)
    x = torch.tensor(x0, requires_grad=True)
    return x, x, x


# %% Check your answer
common.check_exercise('retain_grad', globals())
