"""Hostile: removes files outside its folder (the teacher's notes beside the class's folder, the other students'
answers) and tries to write into the repository, then answers right. Expected: convolve 2 points (its answer is
right), and nothing outside its own copy is changed."""
# %% Setup
import common

# %% Imports
import os
from pathlib import Path

import torch

import snoop  # Its own module, beside this file

theirs = set(snoop.others('02_retain_grad.py'))
for folder in snoop.folders():
    for path in snoop.walk(folder):
        if path.name == 'teacher_notes.txt' or path in theirs:
            try:
                os.remove(path)
            except OSError:
                pass
repository = Path(common.__file__).resolve().parents[1]
for target in (repository / 'hacked.txt', repository / 'results' / 'hacked.txt'):
    try:
        target.write_text('hacked', encoding='utf-8')
    except OSError:
        pass


# %% Your answer
def convolve(f, g, padding=0, stride=1, dilation=1):
    f = torch.cat([f.new_zeros(padding), f, f.new_zeros(padding)])
    span = dilation * (len(g) - 1) + 1
    return torch.stack([(f[k:k + span:dilation] * g).sum() for k in range(0, len(f) - span + 1, stride)])


# %% Check your answer
common.check_exercise('convolve', globals())
