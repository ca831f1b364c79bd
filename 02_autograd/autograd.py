"""Automatic differentiation: the derivative of f(x) = 0.1x^3 - 0.8x^2 - 1.5x + 5.4 at x = 2, two ways.

Slide "Practice) Automatic Differentiation": by autograd (`requires_grad=True`, a forward
calculation, then `backward()`) and, as the slide's note, symbolically with SymPy. Both give -3.5.
"""
# %% Imports
import sympy as sp
import torch

from common import make_parser, run

X_AT = 2.  # The point where the derivative is taken


# %% The function
def f(x):
    """The slide's function; the same code works on a torch tensor and on a SymPy symbol."""
    return 0.1*x**3 - 0.8*x**2 - 1.5*x + 5.4


# %% Autograd and SymPy
def main(argv=None):
    parser = make_parser(__doc__, __file__)
    parser.set_defaults(device='cpu')  # One number gains nothing from a GPU; on the CPU it prints as on the slide
    args = parser.parse_args(argv)
    print(f'Device: {args.device}')

    # 1. Derivative by autograd
    x = torch.tensor([X_AT], requires_grad=True, device=args.device)
    y = f(x)                            # Forward calculation (it records the graph to differentiate)
    y.backward()                        # Backward propagation: dy/dx goes into x.grad
    print(x.grad)                       # Derivative: tensor([-3.5000])

    # 2. Symbolic differentiation with SymPy
    x_sym = sp.symbols('x')
    y_sym = f(x_sym)
    yd = sp.diff(y_sym, x_sym)
    print(yd)                           # 0.3*x**2 - 1.6*x - 1.5
    print(float(yd.subs({x_sym: X_AT})))  # -3.5


# %% Run
if __name__ == '__main__':
    run(main)
