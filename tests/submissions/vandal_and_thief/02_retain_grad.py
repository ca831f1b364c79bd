"""Hostile: reads another student's file and answers with their function. Expected: retain_grad 0 points (in a
sandbox there is no other student's file to read)."""
# %% Setup
import common

# %% Imports
import runpy

import torch

import snoop
from common.exercises import loading


# %% Someone else's answer
def analyze(x0):
    for path in snoop.others('02_retain_grad.py'):
        with loading():
            theirs = runpy.run_path(str(path), run_name='stolen')
        return theirs['analyze'](x0)
    raise NotImplementedError


# %% Check your answer
common.check_exercise('retain_grad', globals())
