"""Line fitting from two points: find the line y = a x + b through (1, 4) and (4, 2), with PyTorch and NumPy.

Slide "Practice) Line Fitting from Two Points". The two points give two equations,
a*1 + b = 4 and a*4 + b = 2, i.e. A [a, b]^T = b_vec with A = [[1, 1], [4, 1]]; so [a, b] = A^-1 b_vec.
The tensor class `torch.Tensor` has linear algebra as member functions (`A.inverse()`, `A.mm(b)`);
a name ending with an underscore (e.g. `add_`) is an in-place function.
"""
# %% Imports
import numpy as np
import torch

from common import make_parser, run


# %% Line fitting with PyTorch and with NumPy
def main(argv=None):
    parser = make_parser(__doc__, __file__)
    parser.set_defaults(device='cpu')  # A 2x2 matrix gains nothing from a GPU; on the CPU it prints as on the slide
    args = parser.parse_args(argv)
    print(f'Device: {args.device}')

    # 1. Line fitting with PyTorch
    A = torch.tensor([[1., 1.], [4., 1.]], device=args.device)
    b = torch.tensor([[4.], [2.]], device=args.device)
    A_inv = A.inverse()                 # Note) np.linalg.inv(A)
    print(A_inv.mm(b))                  # tensor([[-0.6667], [ 4.6667]])  Note) np.matmul(A_inv, b)

    # 2. Line fitting with NumPy
    A = np.array([[1., 1.], [4., 1.]])
    b = np.array([[4.], [2.]])
    A_inv = np.linalg.inv(A)
    print(np.matmul(A_inv, b))          # [[-0.66666667], [ 4.66666667]]
    # So the line is y = -2/3 x + 14/3.


# %% Run
if __name__ == '__main__':
    run(main)
