"""Take the derivative of f(x) = 0.1x^3 - 0.8x^2 - 1.5x + 5.4 at x = 2 by autograd and by SymPy, which both give -3.5.

Slide "Practice) Automatic Differentiation": `x.grad` holds the derivative after `requires_grad=True`,
a forward calculation and `backward()` (backpropagation); SymPy differentiates the same function
symbolically. Each way is a cell; the second reuses the names x and y for SymPy symbols, as the slide does.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports and options (`python 02_autograd/autograd.py --help`; there is nothing to choose)
import sympy as sp
import torch

common.make_parser('autograd', __doc__).parse_args()

# %% Derivative by autograd
x = torch.tensor([2.], requires_grad=True)
y = 0.1*x**3 - 0.8*x**2 - 1.5*x + 5.4  # Forward calculation (it records the graph to differentiate)
y.backward()                        # Backward propagation: dy/dx goes into x.grad
print(x.grad)                       # Derivative: tensor([-3.5000])

# %% Note) Symbolic differentiation with SymPy
x, y = sp.symbols('x y')
y = 0.1*x**3 - 0.8*x**2 - 1.5*x + 5.4
yd = sp.diff(y, x)
print(yd)                           # 0.3*x**2 - 1.6*x - 1.5
print(float(yd.subs({x: 2})))       # -3.5
