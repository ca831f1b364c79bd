"""Hostile: a huge allocation. 50 GB at import, then 6 GB written page by page in the cell that defines the right
answer: with the grader's memory limit both fail, and the answer is never defined (retain_grad 0 points); without a
limit, the answer would pass."""
# %% Setup
import common

# %% Imports
import torch

# %% A 50 GB tensor
hoard = torch.empty(50 * 2**30, dtype=torch.uint8)

# %% 6 GB, every page written (zeros), then the slide's code, mended
chunks = [bytearray(2**28) for _ in range(24)]


def analyze(x0):
    x = torch.tensor(x0, requires_grad=True)
    y = x ** 3
    z = torch.log(y)
    y.retain_grad()
    z.retain_grad()
    z.backward()
    return x, y, z


# %% Check your answer
common.check_exercise('retain_grad', globals())
