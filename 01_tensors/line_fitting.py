"""Find the line y = a x + b through the two points (1, 4) and (4, 2) by a matrix inverse, with PyTorch and with NumPy.

Slide "Practice) Line Fitting from Two Points". The two points give two equations,
a*1 + b = 4 and a*4 + b = 2, i.e. A [a, b]^T = b with A = [[1, 1], [4, 1]]; so [a, b]^T = A^-1 b.
The tensor class `torch.Tensor` has linear algebra as member functions (`A.inverse()`, `A.mm(b)`);
a name ending with an underscore (e.g. `add_`) is an in-place function.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports and options (`python 01_tensors/line_fitting.py --help`; there is nothing to choose)
import numpy as np
import torch

common.make_parser('line_fitting', __doc__).parse_args()

# %% Line fitting with PyTorch
A = torch.tensor([[1., 1.], [4., 1.]])
b = torch.tensor([[4.], [2.]])
A_inv = A.inverse()                 # Note) np.linalg.inv(A)
print(A_inv.mm(b))                  # tensor([[-0.6667], [ 4.6667]])  Note) np.matmul(A_inv, b)

# %% Note) Line fitting with NumPy
A = np.array([[1., 1.], [4., 1.]])
b = np.array([[4.], [2.]])
A_inv = np.linalg.inv(A)
print(np.matmul(A_inv, b))          # [[-0.66666667], [ 4.66666667]]: the line y = -2/3 x + 14/3
