"""Visualize activation functions phi(x) and their derivatives d phi(x) / dx, computed by autograd.

Slide "Practice) Visualizing Activation Functions": Sigmoid, Tanh, ReLU, Leaky ReLU (0.1) and ELU on
-10 <= x <= 10. The slide shows one window per function; here each is one plot of a grid in one figure,
saved as results/activation_funcs/activation_funcs.png. It also prints the largest derivative of each:
the sigmoid's is only 0.25, the root of the vanishing gradient problem (vanishing_grad.py).
In a notebook, the last function's `x`, `y`, `y_np` and `grad` stay after the last cell, to inspect.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports and options (`python 03_nn_iris/activation_funcs.py --help`: only where the figure goes)
import torch  # noqa: I001 (imports in the order of the slide)
import torch.nn as nn
import matplotlib.pyplot as plt

args = common.make_parser('activation_funcs', __doc__, out_dir=True).parse_args()

# %% The activation functions
activation_funcs = [
    {'name': 'Sigmoid',      'func': nn.Sigmoid()},
    {'name': 'Tanh',         'func': nn.Tanh()},
    {'name': 'ReLU',         'func': nn.ReLU()},
    {'name': 'Leaky ReLU',   'func': nn.LeakyReLU(0.1)},
    {'name': 'ELU',          'func': nn.ELU()},
    # Try more activation functions, e.g. {'name': 'GELU', 'func': nn.GELU()} or nn.Softplus()
]

# %% Each function and its derivative by autograd (one cell: a notebook shows the figure at its end)
fig = plt.figure(figsize=(13.5, 3.5 * ((len(activation_funcs) + 2) // 3)))  # One figure, 3 plots a row
for act in activation_funcs:
    x = torch.linspace(-10, 10, 200, requires_grad=True)
    y = act['func'](x)
    y.sum().backward()  # y[i] depends on x[i] only, so x.grad[i] = d phi(x[i]) / d x[i]
    print(f"{act['name']:<10}: max d phi/dx = {x.grad.max():.3f}")
    # Sigmoid: 0.250, Tanh: 0.997 (the grid misses x = 0), ReLU, Leaky ReLU, ELU: 1.000

    plt.subplot((len(activation_funcs) + 2) // 3, 3, activation_funcs.index(act) + 1)  # The slide: a window each
    plt.title(act['name'])
    x_np, y_np, grad = x.detach().numpy(), y.detach().numpy(), x.grad.numpy()
    plt.plot(x_np, y_np, label=r'$\phi(x)$')  # A raw string: the slide writes \p, an invalid escape, in a str
    plt.plot(x_np, grad, label=r'$\partial \phi(x) / \partial x$')
    plt.grid()
    plt.legend()
plt.tight_layout()
plt.show()
common.save_figure(fig, args.out_dir, 'activation_funcs', show=False)  # Saved as PNG too (prints its path)
