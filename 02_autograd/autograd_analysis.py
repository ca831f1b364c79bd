"""Look at what autograd keeps in x, y = x^3 and z = log(y) before and after z.backward(), to find dz/dx at x = 5.

Slide "Practice) Automatic Differentiation - More Analysis": Q) dz/dx at x = 5?
A) dz/dx = 3/x = 0.6; on the way, dz/dy = 1/y = 0.008 and dz/dz = 1.
Differences from the slide's output, all from newer PyTorch versions (printed as torch prints them):
`retains_grad` is False (not None) where a tensor does not retain its gradient, a gradient prints
with all the digits of its float32 value (`0.6000000238418579` for the slide's `0.6`), `log(125)`
prints as `4.8283` (not `4.83`) and its node is `LogBackward0` (not `LogBackward`).
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports and options (`python 02_autograd/autograd_analysis.py --help`; there is nothing to choose)
import warnings

import torch

common.make_parser('autograd_analysis', __doc__).parse_args()


# %% The slide's function
def get_tensor_info(tensor):
    info = []
    with warnings.catch_warnings():
        # Reading .grad of a non-leaf tensor that does not retain it warns; here it should only show None
        warnings.simplefilter('ignore', UserWarning)
        for name in ['requires_grad', 'is_leaf', 'retains_grad', 'grad']:
            info.append(f'{name}({getattr(tensor, name, None)})')
    info.append(f'tensor({str(tensor)})')
    return ' '.join(info)


# %% Before 'z.backward()'
x = torch.tensor(5., requires_grad=True)
y = x ** 3
z = torch.log(y)
print("### Before 'z.backward()'")
print('* x:', get_tensor_info(x))   # * x: requires_grad(True) is_leaf(True) retains_grad(False) grad(None) tensor(...)
print('* y:', get_tensor_info(y))   # * y: ... is_leaf(False) retains_grad(False) grad(None) tensor(tensor(125., ...))
print('* z:', get_tensor_info(z))   # * z: ... grad(None) tensor(tensor(4.8283, grad_fn=<LogBackward0>))

# %% After 'z.backward()'
y.retain_grad()                     # Keep the gradients of the non-leaf y and z too; before backward(), as on
z.retain_grad()                     # the slide (whose `y,retain_grad()` and `z,retain_grad()` have a comma for the dot)
z.backward()
print("### After 'z.backward()'")
print('* x:', get_tensor_info(x))   # * x: ... is_leaf(True) retains_grad(False) grad(0.6000000238418579) ...
print('* y:', get_tensor_info(y))   # * y: ... is_leaf(False) retains_grad(True) grad(0.00800000037997961) ...
print('* z:', get_tensor_info(z))   # * z: ... is_leaf(False) retains_grad(True) grad(1.0) ...
