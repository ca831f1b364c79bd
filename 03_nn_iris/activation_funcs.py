"""Visualize activation functions phi(x) and their derivatives d phi(x) / dx, computed by autograd.

Slide "Practice) Visualizing Activation Functions": Sigmoid, Tanh, ReLU, Leaky ReLU (0.1) and ELU
on -10 <= x <= 10, drawn as one grid of plots (`activation_funcs.png`). It also prints the largest
derivative of each: the sigmoid's is only 0.25, the root of the vanishing gradient problem
(see vanishing_grad.py).
"""
# %% Imports
import matplotlib.pyplot as plt
import torch
import torch.nn as nn

from common import make_parser, run, save_figure

# %% Settings
X_MIN, X_MAX, N_POINTS = -10, 10, 200

ACTIVATION_FUNCS = [
    {'name': 'Sigmoid',    'func': nn.Sigmoid()},
    {'name': 'Tanh',       'func': nn.Tanh()},
    {'name': 'ReLU',       'func': nn.ReLU()},
    {'name': 'Leaky ReLU', 'func': nn.LeakyReLU(0.1)},
    {'name': 'ELU',        'func': nn.ELU()},
    # Try more activation functions, e.g. {'name': 'GELU', 'func': nn.GELU()} or nn.Softplus()
]


# %% Autograd
def activation_and_grad(func, device='cpu'):
    """Return x, phi(x) and d phi(x) / dx (by autograd) on the slide's grid, as tensors on the CPU."""
    x = torch.linspace(X_MIN, X_MAX, N_POINTS, requires_grad=True, device=device)
    y = func(x)
    y.sum().backward()  # y[i] depends on x[i] only, so x.grad[i] = d phi(x[i]) / d x[i]
    return x.detach().cpu(), y.detach().cpu(), x.grad.cpu()


# %% Plot every activation function
def main(argv=None):
    parser = make_parser(__doc__, __file__)
    args = parser.parse_args(argv)
    print(f'Device: {args.device}')

    n_cols = 3
    n_rows = (len(ACTIVATION_FUNCS) + n_cols - 1) // n_cols
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(4.5 * n_cols, 3.5 * n_rows), squeeze=False)
    for ax, act in zip(axes.flat, ACTIVATION_FUNCS):
        x, y, grad = activation_and_grad(act['func'], args.device)
        print(f"{act['name']:<10}: max d phi/dx = {grad.max():.3f}")
        # Sigmoid: 0.250, Tanh: 0.997 (the grid misses x = 0), ReLU, Leaky ReLU, ELU: 1.000

        ax.set_title(act['name'])
        ax.plot(x.numpy(), y.numpy(), label=r'$\phi(x)$')  # Raw strings: '\p' is an invalid escape in '...'
        ax.plot(x.numpy(), grad.numpy(), label=r'$\partial \phi(x) / \partial x$')
        ax.grid()
        ax.legend()
    for ax in axes.flat[len(ACTIVATION_FUNCS):]:
        ax.set_visible(False)  # Empty places of the grid
    fig.tight_layout()
    save_figure(fig, args.out_dir, 'activation_funcs')


# %% Run
if __name__ == '__main__':
    run(main)
