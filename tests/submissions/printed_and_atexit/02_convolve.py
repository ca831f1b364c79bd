"""Hostile: prints what a passing check prints, and returns zeros. Expected: convolve 0 points."""
# %% Setup
import common

# %% Imports
import sys

import torch

print('PASSED')
print('All 9 checks passed.')


# %% Your answer
def convolve(f, g, padding=0, stride=1, dilation=1):
    print('  ok   1. PASSED')
    sys.__stdout__.write('All 9 checks passed.\n')
    size = (len(f) + 2 * padding - dilation * (len(g) - 1) - 1) // stride + 1
    return torch.zeros(size, dtype=f.dtype)  # The right shape, not the right numbers


# %% Check your answer
common.check_exercise('convolve', globals())
