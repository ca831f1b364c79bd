"""What the two gradient descent scripts share: the slide's function and settings, the options and the figure.

Slides "Gradient Descent by Hands" and "Gradient Descent by torch.optim" solve the same problem
in two ways, so `grad_descent.py` and `grad_descent_optim.py` import these pieces from here
(as the slides' later examples import from a neighbouring file) instead of repeating them.
"""
import argparse
import math

import matplotlib.pyplot as plt
import torch

from common import make_parser
from common import positive_float, positive_int

# The slide's settings (the defaults of --lr, --max-iter and --x-init)
LEARN_RATE = 0.1
MAX_ITER = 100
MIN_TOL = 1e-6
X_INIT = 12.
VIZ_RANGE = (-6., 12.)
X_INIT_LIMIT = 100.  # Our limit: a start farther out only overflows float32 and shows an empty figure


def f(x):
    """The slide's function, f(x) = 0.1 x^3 - 0.8 x^2 - 1.5 x + 5.4 (a tensor in, a tensor out)."""
    return 0.1*x**3 - 0.8*x**2 - 1.5*x + 5.4


def x_init_value(text):
    """argparse type of --x-init: a finite number within +-X_INIT_LIMIT."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not (math.isfinite(value) and abs(value) <= X_INIT_LIMIT):
        raise argparse.ArgumentTypeError(f'must be a number from {-X_INIT_LIMIT:g} to {X_INIT_LIMIT:g}, not {text}')
    return value


def make_gd_parser(description, script_file):
    """The shared options (--device, --seed, --out-dir) plus --lr, --max-iter and --x-init."""
    parser = make_parser(description, script_file)
    # One number gains nothing from a GPU, and on the CPU the log prints exactly as on the slide
    parser.set_defaults(device='cpu')
    parser.add_argument('--lr', type=positive_float, default=LEARN_RATE, help='learning rate')
    parser.add_argument('--max-iter', type=positive_int, default=MAX_ITER, help='maximum number of iterations')
    parser.add_argument('--x-init', type=x_init_value, default=X_INIT, help='initial value of x')
    return parser


def prepare_figure(x_init):
    """Prepare visualization: plot f(x) and the initial point; return (fig, ax, xs).

    The plotted range is the slide's [-6, 12], widened to include `x_init` when it lies outside.
    """
    viz_range = torch.tensor([min(VIZ_RANGE[0], x_init), max(VIZ_RANGE[1], x_init)])
    xs = torch.linspace(*viz_range, 100)
    fig, ax = plt.subplots()
    ax.plot(xs, f(xs), 'r-', label='f(x)', linewidth=2)
    ax.plot(x_init, f(x_init), 'b.', label='Each step', markersize=12)
    ax.axis((*viz_range.tolist(), *f(viz_range).tolist()))
    ax.set_xlabel('x')
    ax.legend()
    return fig, ax, xs


def show_step(ax, xs, i, xp, x):
    """Print the slide's log line of step `i` (from `xp` to `x`) and draw its tangent line and new point.

    `x.grad` is f'(xp), the slope of the tangent line at the previous point `xp`.
    """
    print(f"Iter: {i}, x = {xp:.3f} to {x:.3f}, f(x) = {f(xp):.3f} to {f(x):.3f} (f'(x) = {x.grad:.3f})")
    lcolor = torch.rand(3).tolist()            # A random color for each step (seeded by --seed)
    xp, xc, grad = xp.item(), x.item(), x.grad.item()  # Plain numbers: 'x' may live on a GPU
    approx = grad*(xs - xp) + f(xp)            # The tangent line at xp
    ax.plot(xs, approx, '-.', linewidth=1, color=lcolor, alpha=0.5)
    ax.plot(xc, f(xc), '.', color=lcolor, markersize=12)


def report_result(i, xp, x):
    """Print where the descent stopped after step `i`: a local minimum, infinity, or not there yet."""
    if not torch.isfinite(x):
        print(f'Diverged after {i + 1} iterations: x ran off to {x.item()} (try a smaller --lr or another --x-init)')
    elif abs(x - xp) < MIN_TOL:
        print(f'Converged after {i + 1} iterations: x = {x:.3f}, f(x) = {f(x):.3f}')
    else:
        print(f'Not converged after {i + 1} iterations: x = {x:.3f} (try a larger --max-iter or --lr)')


if __name__ == '__main__':
    print('gd_common.py holds what the two gradient descent scripts share; run one of them instead:')
    print('  python 02_autograd/grad_descent.py  or  python 02_autograd/grad_descent_optim.py')
