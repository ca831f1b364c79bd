"""Hostile: an answer that never returns. Expected: convolve 0 points (its time limit), the run goes on."""
# %% Setup
import common

# %% Imports
import torch


# %% Your answer
def convolve(f, g, padding=0, stride=1, dilation=1):
    while True:  # Forever
        pass


# %% Check your answer
common.check_exercise('convolve', globals())
