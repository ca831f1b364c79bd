"""Observe vanishing gradients: dy/dx of a single-node network with 1 to 4 layers, by autograd.

Slides "Practice) Observing Vanishing Gradients" (sigmoid and ReLU): with w = 1 and b = 0, an n-layer
network is y = phi(phi(...phi(x))), and by the chain rule dy/dx = phi'(phi(...)) ... phi'(phi(x)) phi'(x).
The slides code these products by hand in NumPy; here autograd computes them, and the tests check
autograd against the slides' closed forms (for the sigmoid, phi' = phi (1 - phi)).
With the sigmoid every layer multiplies the gradient by at most 0.25, so it vanishes as layers are
added; with ReLU it stays 1 wherever x > 0.
"""
# %% Imports
import matplotlib.pyplot as plt
import torch

from common import make_parser, run, save_figure
from common.cli import positive_int

# %% Settings
X_MIN, X_MAX, N_POINTS = -10, 10, 1000
N_LAYERS = 4
ACTIVATIONS = {
    'sigmoid': torch.sigmoid,
    'relu': torch.relu,
}
TITLES = {'sigmoid': 'sigmoid', 'relu': 'ReLU'}
Y_MAX = {'sigmoid': 0.3, 'relu': 1.2}  # The slide uses 0.3 for both, which hides ReLU's curves (all 1)


# %% Gradients by autograd
def layer_gradients(phi, x, n_layers=N_LAYERS):
    """Return [dy/dx of y = phi(x), of y = phi(phi(x)), ...] for 1 to `n_layers` layers, by autograd."""
    x = x.detach().requires_grad_()
    grads = []
    y = x
    for _ in range(n_layers):
        y = phi(y)                                 # One more layer (w = 1, b = 0)
        (grad,) = torch.autograd.grad(y.sum(), x, retain_graph=True)  # y[i] depends on x[i] only
        grads.append(grad)
    return grads


def plot_gradients(name, x, grads, out_dir):
    """One curve per number of layers, as the slide draws them."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for n, grad in enumerate(grads, start=1):
        ax.plot(x.numpy(), grad.numpy(), label=f'{n}-layer', linewidth=1 + 0.8 * (len(grads) - n))
    ax.axis((X_MIN, X_MAX, 0, Y_MAX[name]))
    ax.set_title(f'Gradients of a single-node NN with the {TITLES[name]} function')
    ax.set_xlabel('x')
    ax.set_ylabel('dy/dx')
    ax.grid()
    ax.legend()
    return save_figure(fig, out_dir, f'vanishing_grad_{name}')


# %% Each activation function
def main(argv=None):
    parser = make_parser(__doc__, __file__)
    parser.add_argument('--act', choices=['sigmoid', 'relu', 'both'], default='both',
                        help='activation function to observe')
    parser.add_argument('--layers', type=positive_int, default=N_LAYERS, help='draw 1 to this many layers')
    args = parser.parse_args(argv)
    print(f'Device: {args.device}')

    names = list(ACTIVATIONS) if args.act == 'both' else [args.act]
    x = torch.linspace(X_MIN, X_MAX, N_POINTS, dtype=torch.float64, device=args.device)
    for name in names:
        grads = [grad.cpu() for grad in layer_gradients(ACTIVATIONS[name], x, args.layers)]
        for n, grad in enumerate(grads, start=1):
            print(f'{name} {n}-layer: max dy/dx = {grad.max():.4f}')
            # sigmoid: 0.2500, 0.0590, 0.0134, 0.0030 (it vanishes); relu: 1.0000 for every layer
        plot_gradients(name, x.cpu(), grads, args.out_dir)


# %% Run
if __name__ == '__main__':
    run(main)
