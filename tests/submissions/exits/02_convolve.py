"""Hostile: sys.exit(0) at import, as if every check had passed, the answer not started. Expected: convolve 0
points (the cells after the exit are still read: what they define is graded)."""
# %% Setup
import sys

import common

print('All 9 checks passed.')
sys.exit(0)

# %% Imports
import torch


# %% Your answer
def convolve(f, g, padding=0, stride=1, dilation=1):
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer
common.check_exercise('convolve', globals())
