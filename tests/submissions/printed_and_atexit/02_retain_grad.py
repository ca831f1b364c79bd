"""Hostile: an atexit hook that says every check passed and writes a forged grades file where it can, the slide's
bug left as it is. Expected: retain_grad 0 points."""
# %% Setup
import common

# %% Imports
import atexit
import os

import torch


@atexit.register
def forge():
    print('All 5 checks passed.\nPASSED')
    for folder in (os.getcwd(), os.path.expanduser('~'), '/tmp'):
        try:
            with open(os.path.join(folder, 'grades.csv'), 'w', encoding='utf-8') as file:
                file.write('student,retain_grad,convolve,total\nprinted_and_atexit,1,2,3\n')
        except OSError:
            pass


# %% The slide's code: not mended
def analyze(x0):
    x = torch.tensor(x0, requires_grad=True)
    y = x ** 3
    z = torch.log(y)
    y,retain_grad()
    z,retain_grad()
    z.backward()
    return x, y, z


# %% Check your answer
common.check_exercise('retain_grad', globals())
