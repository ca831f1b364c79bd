"""Reshape a tensor with view, reshape, squeeze, unsqueeze, transpose and permute, and see which results
share its memory.

Slides "Practice) Reshaping a Tensor (1/2)" and "(2/2)". The tensor y of shape (2, 2, 2) holds
29, 3, 18, 10, 27, 10, 12, 5 at the indices [0,0,0], [0,0,1], [0,1,0], ..., [1,1,1] (the slides' table).
Each step is a cell: in a notebook, run them one by one and look at y, p, s, t_021 and c_021.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports and options (`python 01_tensors/reshape_tensor.py --help`; there is nothing to choose)
import numpy as np
import torch

common.make_parser('reshape_tensor', __doc__).parse_args()

# %% A tensor of shape (2, 2, 2)
x = np.array([[[29, 3], [18, 10]], [[27, 10], [12, 5]]])
y = torch.tensor(x)
print(y.ndim)                       # 3
print(y.shape)                      # torch.Size([2, 2, 2])

# %% View and reshape
p = y.view(-1)
print(p.shape, p)                   # torch.Size([8]) tensor([29,  3, 18, 10, 27, 10, 12,  5])
q = y.view(1, -1)
print(q.shape, q)                   # torch.Size([1, 8]) tensor([[29,  3, 18, 10, 27, 10, 12,  5]])
r = y.view(2, -1)
print(r.shape, r)                   # torch.Size([2, 4]) tensor([[29,  3, 18, 10], [27, 10, 12,  5]])
# Of course, 'reshape' is also supported and the same as 'view'.
s = y.reshape(2, -1, 1)
print(s.shape, s)                   # torch.Size([2, 4, 1]) tensor([[[29], [ 3], [18], [10]], [[27], [10], [12], [ 5]]])

# %% Squeeze and unsqueeze
ss = s.squeeze(2)                   # Note) s.squeeze(0) and s.squeeze(1) have no effect.
print(ss)                           # tensor([[29,  3, 18, 10], [27, 10, 12,  5]])
print(ss.shape)                     # torch.Size([2, 4])
u0 = ss.unsqueeze(0)
print(u0.shape, u0)                 # torch.Size([1, 2, 4]) tensor([[[29,  3, 18, 10], [27, 10, 12,  5]]])
u1 = ss.unsqueeze(1)
print(u1.shape, u1)                 # torch.Size([2, 1, 4]) tensor([[[29,  3, 18, 10]], [[27, 10, 12,  5]]])
u2 = ss.unsqueeze(2)
print(u2.shape, u2)                 # torch.Size([2, 4, 1]) tensor([[[29], [ 3], [18], [10]], [[27], [10], [12], [ 5]]])

# %% Switch indices each other, (i, j) to (j, i)
t_021 = y.transpose(1, 2)
print(t_021, t_021.is_contiguous()) # tensor([[[29, 18], [ 3, 10]], [[27, 12], [10,  5]]]) False
c_021 = t_021.contiguous()
print(c_021, c_021.is_contiguous()) # tensor([[[29, 18], [ 3, 10]], [[27, 12], [10,  5]]]) True
t_102 = y.transpose(0, 1)
print(t_102, t_102.is_contiguous()) # tensor([[[29,  3], [27, 10]], [[18, 10], [12,  5]]]) False

# %% Assign indices
t_201 = y.permute(2, 0, 1)
print(t_201, t_201.is_contiguous()) # tensor([[[29, 18], [27, 12]], [[ 3, 10], [10,  5]]]) False

# %% Note) Reshaping does not copy contents.
y[0, 0, 0] = 27
print(p)                            # tensor([27,  3, 18, 10, 27, 10, 12,  5])
print(t_021)                        # tensor([[[27, 18], ...], ...])
print(c_021)                        # tensor([[[29, 18], ...], ...])  contiguous() made a copy

# %% Copy a tensor and detach it from its connected computational graph
z = y.clone().detach()              # Note) x.copy() in NumPy  (the slide's `x.clone()`: NumPy has no clone)
y[0, 0, 0] = 1
print(y)                            # tensor([[[ 1,  3], ...], ...])
print(z)                            # tensor([[[27,  3], ...], ...])
