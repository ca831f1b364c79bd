"""Hold what the two gradient descent scripts share: the slides' function, their options, the figure's frame
and the last line.

Slides "Practice) Gradient Descent by Hands" and "Gradient Descent by torch.optim" solve the same
problem in two ways. Each script keeps its slide's settings, loop, log line and drawing of each step;
the rest, which both slides repeat, is here (`common.add_to_path('02_autograd')` lets them import it).
"""
import argparse
import math

import matplotlib.pyplot as plt
import torch

import common

X_INIT_LIMIT = 100.  # Our limit of --x-init: a start farther out only overflows float32 and shows an empty figure


def f(x):
    """The slides' function, f(x) = 0.1x^3 - 0.8x^2 - 1.5x + 5.4 (a tensor or a number in, the same kind out)."""
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


def make_parser(script, description, *, lr, max_iter, x_init, seed):
    """Options of both scripts, with their constants as defaults: --lr, --max-iter, --x-init, --seed, --out-dir."""
    parser = common.make_parser(script, description, seed=seed, out_dir=True, lr=lr)
    parser.add_argument('--max-iter', type=common.positive_int, default=max_iter, help='maximum number of iterations')
    parser.add_argument('--x-init', type=x_init_value, default=x_init, help='initial value of x')
    return parser


def prepare_figure(viz_range, x_init, title):
    """The slides' "Prepare visualization": f(x) over `viz_range` and the initial point; return (fig, ax, xs).

    The range is widened to reach `x_init` when it lies outside. The slide's axes end exactly at f(-6) and
    f(12), which cuts the start point (12, 45) in half; these leave a margin, so every step inside the range
    is drawn whole (the tangent lines are cut at the frame).
    """
    low, high = min(viz_range[0], x_init), max(viz_range[1], x_init)
    xs = torch.linspace(low, high, 100)
    fig, ax = plt.subplots()
    ax.plot(xs, f(xs), 'r-', label='f(x)', linewidth=2)
    ax.plot(x_init, f(x_init), 'b.', label='Each step', markersize=12)
    f_low, f_high = f(xs).min().item(), f(xs).max().item()
    margin_x, margin_y = 0.05 * (high - low), 0.05 * (f_high - f_low)
    ax.axis((low - margin_x, high + margin_x, f_low - margin_y, f_high + margin_y))
    ax.set(title=title, xlabel='x', ylabel='f(x)')
    ax.legend()
    return fig, ax, xs


def report_result(i, xp, x, min_tol):
    """Print where the descent stopped after step `i`: a local minimum, infinity, or not there yet."""
    if not torch.isfinite(x):
        print(f'Diverged after {i + 1} iterations: x ran off to {x.item()} (try a smaller --lr or another --x-init)')
    elif abs(x - xp) < min_tol:
        print(f'Converged after {i + 1} iterations: x = {x:.3f}, f(x) = {f(x):.3f}')
    else:
        print(f'Not converged after {i + 1} iterations: x = {x:.3f} (try a larger --max-iter or --lr)')
