"""Observing vanishing gradients: dy/dx of a single-node network with 1 to 4 layers, computed by autograd.

Slides "Practice) Observing Vanishing Gradients" (sigmoid and ReLU): with w = 1 and b = 0, an n-layer
network is y = phi(phi(...phi(x))), and by the chain rule dy/dx = phi'(phi(...)) ... phi'(phi(x)) phi'(x).
The slides code these products by hand in NumPy; here autograd computes them (the tests check it
against the slides' closed forms). With the sigmoid every layer multiplies the gradient by at most
0.25, so it vanishes as layers are added; with ReLU it stays 1 wherever x > 0.
In a notebook, `x` and the last `grads` stay after the last cell.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)")  # noqa: E501

# %% Imports
import matplotlib.pyplot as plt
import torch

# %% Define hyperparameters
N_LAYERS = 4  # The slides draw 1 to 4 layers
ACTIVATIONS = {'sigmoid': torch.sigmoid, 'relu': torch.relu}
Y_MAX = {'sigmoid': 0.3, 'relu': 1.2}  # The slide's 0.3 for ReLU too would hide its curves (all 1)


# %% Gradients by autograd
def layer_gradients(phi, x, n_layers=N_LAYERS):
    """Return [dy/dx of y = phi(x), of y = phi(phi(x)), ...] for 1 to `n_layers` layers, by autograd."""
    x = x.detach().requires_grad_()
    grads, y = [], x
    for _ in range(n_layers):
        y = phi(y)  # One more layer (w = 1, b = 0)
        (grad,) = torch.autograd.grad(y.sum(), x, retain_graph=True)  # y[i] depends on x[i] only
        grads.append(grad)
    return grads


# %% One figure per activation function, one curve per number of layers
if __name__ == '__main__':
    parser = common.make_parser('vanishing_grad', __doc__, out_dir=True)
    parser.add_argument('--act', choices=['sigmoid', 'relu', 'both'], default='both', help='activation function')
    parser.add_argument('--layers', type=common.positive_int, default=N_LAYERS, help='draw 1 to this many layers')
    args = parser.parse_args()

    x = torch.linspace(-10, 10, 1000, dtype=torch.float64)
    for name in ACTIVATIONS if args.act == 'both' else [args.act]:
        grads = layer_gradients(ACTIVATIONS[name], x, args.layers)
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for n, grad in enumerate(grads, start=1):
            print(f'{name} {n}-layer: max dy/dx = {grad.max():.4f}')
            # sigmoid: 0.2500, 0.0590, 0.0134, 0.0030 (it vanishes); relu: 1.0000 for every layer
            ax.plot(x.numpy(), grad.numpy(), label=f'{n}-layer',
                    linewidth=1 + 0.8 * (len(grads) - n))  # Wider first: ReLU's equal curves stay visible
        ax.axis((-10, 10, 0, Y_MAX[name]))
        ax.set_title(f'Gradients of a single-node NN with the {"ReLU" if name == "relu" else name} function')
        ax.set_xlabel('x')
        ax.set_ylabel('dy/dx')
        ax.grid()
        ax.legend()
        common.save_figure(fig, args.out_dir, f'vanishing_grad_{name}')
