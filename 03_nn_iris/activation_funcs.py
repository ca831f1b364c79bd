"""Visualizing activation functions phi(x) and their derivatives d phi(x) / dx, computed by autograd.

Slide "Practice) Visualizing Activation Functions": Sigmoid, Tanh, ReLU, Leaky ReLU (0.1) and ELU
on -10 <= x <= 10, drawn as one grid of plots (`activation_funcs.png`) where the slide shows one
window each. It also prints the largest derivative of each: the sigmoid's is only 0.25, the root of
the vanishing gradient problem (vanishing_grad.py). In a notebook, the last `x`, `y` and `grad` stay.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)")  # noqa: E501

# %% Imports
import matplotlib.pyplot as plt
import torch
import torch.nn as nn

# %% Define the activation functions (the slide's)
activation_funcs = [
    {'name': 'Sigmoid',    'func': nn.Sigmoid()},
    {'name': 'Tanh',       'func': nn.Tanh()},
    {'name': 'ReLU',       'func': nn.ReLU()},
    {'name': 'Leaky ReLU', 'func': nn.LeakyReLU(0.1)},
    {'name': 'ELU',        'func': nn.ELU()},
    # Try more activation functions, e.g. {'name': 'GELU', 'func': nn.GELU()} or nn.Softplus()
]


# %% phi(x) and its derivative by autograd
def activation_and_grad(func):
    """Return x, phi(x) and d phi(x) / dx (by autograd) on the slide's grid of 200 points."""
    x = torch.linspace(-10, 10, 200, requires_grad=True)
    y = func(x)
    y.sum().backward()  # y[i] depends on x[i] only, so x.grad[i] = d phi(x[i]) / d x[i]
    return x.detach(), y.detach(), x.grad


# %% Draw every activation function and its derivative
if __name__ == '__main__':
    args = common.make_parser('activation_funcs', __doc__, out_dir=True).parse_args()
    n_cols = 3
    n_rows = (len(activation_funcs) + n_cols - 1) // n_cols
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(4.5 * n_cols, 3.5 * n_rows), squeeze=False)
    for ax, act in zip(axes.flat, activation_funcs):
        x, y, grad = activation_and_grad(act['func'])
        print(f"{act['name']:<10}: max d phi/dx = {grad.max():.3f}")
        # Sigmoid: 0.250, Tanh: 0.997 (the grid misses x = 0), ReLU, Leaky ReLU, ELU: 1.000

        ax.set_title(act['name'])
        ax.plot(x.numpy(), y.numpy(), label=r'$\phi(x)$')  # Raw strings: '\p' is an invalid escape in '...'
        ax.plot(x.numpy(), grad.numpy(), label=r'$\partial \phi(x) / \partial x$')
        ax.grid()
        ax.legend()
    for ax in axes.flat[len(activation_funcs):]:
        ax.set_visible(False)  # Empty places of the grid
    fig.tight_layout()
    common.save_figure(fig, args.out_dir, 'activation_funcs')
