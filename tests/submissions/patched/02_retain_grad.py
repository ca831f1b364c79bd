"""Hostile: the checker patched: common.exercises' judge says every check passes, its comparison finds no
difference, and the grader's worker in this process (its __main__) is told to send what it is given. The slide's
bug is left as it is. Expected: retain_grad 0 points."""
# %% Setup
import common

# %% Imports
import sys

import torch

import common.exercises as checker

checker.judge = lambda exercise, cases, expected, outcomes: [checker.Result('pass', case.label) for case in cases]
checker.difference = lambda *args, **kwargs: None
checker.answer_outcomes = lambda exercise, namespace, cases: [{'value': 'PASSED', 'by_hand': []} for _ in cases]
checker.check_exercise = lambda name, namespace: print('All 5 checks passed.')
sys.modules['__main__'].judge = checker.judge


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
