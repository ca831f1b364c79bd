"""Hostile: PyTorch patched to agree with a wrong answer: F.conv1d (and torch.conv1d) replaced by the slide's flipped
sum, which convolve() calls, and torch's comparisons made to say "equal". In this process every check would agree;
the grader's PyTorch is its own. Expected: convolve 0 points."""
# %% Setup
import common

# %% Imports
import torch
import torch.nn.functional as F


def flipped(f, g, padding=0, stride=1, dilation=1, **_):
    f, g = f.reshape(-1), g.reshape(-1).flip(0)  # The slide's (f * g)(k), not PyTorch's
    f = torch.cat([f.new_zeros(padding), f, f.new_zeros(padding)])
    span = dilation * (len(g) - 1) + 1
    out = torch.stack([(f[k:k + span:dilation] * g).sum() for k in range(0, len(f) - span + 1, stride)])
    return out.view(1, 1, -1)


F.conv1d = torch.conv1d = flipped
torch.allclose = lambda *args, **kwargs: True
torch.isclose = lambda a, b, **kwargs: torch.ones_like(a, dtype=torch.bool)


# %% Your answer
def convolve(f, g, padding=0, stride=1, dilation=1):
    return F.conv1d(f.view(1, 1, -1), g.view(1, 1, -1), padding=padding, stride=stride, dilation=dilation).view(-1)


# %% Check your answer
common.check_exercise('convolve', globals())
