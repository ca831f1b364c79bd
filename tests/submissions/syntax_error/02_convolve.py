"""A syntax error in a cell of its own, the answer right: graded cell by cell, the broken cell costs nothing that
the answer needs. Expected: convolve 2 points, with a note naming the cell."""
# %% Setup
import common

# %% Imports
import torch

# %% My notes, unfinished
print('the output size is (len(f) + 2p - d(K - 1) - 1) / s + 1'


# %% Your answer
def convolve(f, g, padding=0, stride=1, dilation=1):
    f = torch.cat([f.new_zeros(padding), f, f.new_zeros(padding)])
    span = dilation * (len(g) - 1) + 1
    return torch.stack([(f[k:k + span:dilation] * g).sum() for k in range(0, len(f) - span + 1, stride)])


# %% Check your answer
common.check_exercise('convolve', globals())
