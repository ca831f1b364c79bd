"""Automatic differentiation, more analysis: what autograd keeps in x, y = x^3 and z = log(y) around backward().

Slide "Practice) Automatic Differentiation - More Analysis": Q) dz/dx at x = 5?
A) dz/dx = 3/x = 0.6; on the way, dz/dy = 1/y = 0.008 and dz/dz = 1.
Differences from the slide's output, all from newer PyTorch versions (printed as torch prints them):
`retains_grad` is False (not None) where a tensor does not retain its gradient, a gradient prints
with all the digits of its float32 value (`0.6000000238418579` for the slide's `0.6`), `log(125)`
prints as `4.8283` (not `4.83`) and its node is `LogBackward0` (not `LogBackward`).
"""
# %% Imports
import warnings

import torch

from common import make_parser, run

X_AT = 5.  # The point where the derivative is taken


# %% The slide's functions
def get_tensor_info(tensor):
    """Return the autograd attributes of `tensor` and the tensor itself as one line (the slide's function)."""
    info = []
    with warnings.catch_warnings():
        # Reading .grad of a non-leaf tensor that does not retain it warns; we only want to show it is None
        warnings.simplefilter('ignore', UserWarning)
        for name in ['requires_grad', 'is_leaf', 'retains_grad', 'grad']:
            info.append(f'{name}({getattr(tensor, name, None)})')
    info.append(f'tensor({str(tensor)})')
    return ' '.join(info)


def forward(x):
    """The slide's calculation: y(x) = x^3 and z(y) = log(y); return (y, z)."""
    y = x ** 3
    z = torch.log(y)
    return y, z


# %% Before and after backward()
def main(argv=None):
    parser = make_parser(__doc__, __file__)
    parser.set_defaults(device='cpu')  # Three numbers gain nothing from a GPU; on the CPU it prints as on the slide
    args = parser.parse_args(argv)
    print(f'Device: {args.device}')

    x = torch.tensor(X_AT, requires_grad=True, device=args.device)
    y, z = forward(x)
    print("### Before 'z.backward()'")
    print('* x:', get_tensor_info(x))   # requires_grad(True) is_leaf(True) retains_grad(False) grad(None) ...
    print('* y:', get_tensor_info(y))   # requires_grad(True) is_leaf(False) retains_grad(False) grad(None) ...
    print('* z:', get_tensor_info(z))   # ... tensor(tensor(4.8283, grad_fn=<LogBackward0>))

    # Ask autograd to keep the gradients of the non-leaf tensors y and z. This must come BEFORE
    # backward() (the slide calls it after, and writes `y,retain_grad()` with a comma by mistake).
    y.retain_grad()
    z.retain_grad()
    z.backward()
    print("### After 'z.backward()'")
    print('* x:', get_tensor_info(x))   # ... is_leaf(True) retains_grad(False) grad(0.6000000238418579) ...
    print('* y:', get_tensor_info(y))   # ... is_leaf(False) retains_grad(True) grad(0.00800000037997961) ...
    print('* z:', get_tensor_info(z))   # ... is_leaf(False) retains_grad(True) grad(1.0) ...


# %% Run
if __name__ == '__main__':
    run(main)
