"""A perceptron by its formula, the slide's 2- and 3-layer networks, and one backpropagation step by the chain rule.

Slides "Neural Network" (a perceptron y = phi(sum_i w_i x_i + b); multi-layer perceptrons: a 2-layer and
a 3-layer NN) and "Backpropagation" (training finds w* = argmin_w 1/N sum_d l(y^d, y_hat^d), here with the
mean squared error, by gradient descent through the layers).
The perceptron is computed as the slide's sum, beside nn.Linear plus the activation; the parameters of
the two networks are counted by hand and by PyTorch (and drawn); then one training step of the 3-layer
network is written out layer by layer with the chain rule and compared with autograd and torch.optim.SGD (float64).
In a notebook, `model`, `grads_by_hand` and `x`, `y_hat` stay after the last cell, to inspect.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import math

import matplotlib.pyplot as plt
import torch
import torch.nn as nn

# %% The slide's numbers
# The slide's figures (an image, the classic one of CS231n) show 3 inputs; the 2-layer NN has one hidden
# layer of 4 neurons and 2 outputs, the 3-layer NN two hidden layers of 4 and 1 output. (The slide's
# caption says "2 x hidden layer, 2 x output" for the 3-layer NN: it has one output layer, of 1 neuron.)
NET_2_LAYER = [3, 4, 2]     # Input, hidden, output sizes
NET_3_LAYER = [3, 4, 4, 1]
LR = 0.1                    # The learning rate of the one training step
RANDOM_SEED = 777


# %% Slide "Neural Network": one perceptron, y = phi(sum_{i=1}^n w_i x_i + b)
def sigmoid(s):
    """phi(s) = 1 / (1 + e^-s), the activation of the slides."""
    return 1 / (1 + math.exp(-s))


def perceptron(x, w, b, phi=sigmoid):
    """The slide's formula as a sum over the n inputs."""
    s = b
    for i in range(len(x)):
        s += w[i] * x[i]
    return phi(s)


def perceptron_by_pytorch(x, w, b):
    """The same perceptron as PyTorch's modules: nn.Linear(n, 1) followed by nn.Sigmoid, with the same weights."""
    layer = nn.Linear(len(x), 1).double()
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([w], dtype=torch.float64))
        layer.bias.fill_(b)
        return nn.Sigmoid()(layer(torch.tensor(x, dtype=torch.float64))).item()


# %% Slide "Neural Network": multi-layer perceptrons (fully-connected layers)
def count_by_hand(sizes):
    """Neurons, weights and biases of fully-connected layers of `sizes` (the inputs are no neurons)."""
    neurons = sum(sizes[1:])
    weights = sum(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    biases = neurons  # One bias per neuron
    return neurons, weights, biases


def make_mlp(sizes, phi=nn.Sigmoid):
    """An MLP of nn.Linear layers with `phi` between them (none after the output layer: a regression)."""
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), phi()]
    return nn.Sequential(*layers[:-1])


def count_by_pytorch(model):
    """The number of learnable numbers, as PyTorch counts them."""
    return sum(p.numel() for p in model.parameters())


def draw_networks(nets):
    """The slide's figure: each network's neurons as circles (inputs in gray) and its weights as lines."""
    fig, axes = plt.subplots(1, len(nets), figsize=(6 * len(nets), 4.5))
    for ax, (title, sizes) in zip(axes, nets):
        positions = [[(layer, (n - 1) / 2 - i) for i in range(n)] for layer, n in enumerate(sizes)]
        for left, right in zip(positions[:-1], positions[1:]):
            for x0, y0 in left:
                for x1, y1 in right:
                    ax.plot([x0, x1], [y0, y1], color='0.6', linewidth=0.8, zorder=1)
        for layer, nodes in enumerate(positions):
            color = '0.85' if layer == 0 else ('tab:orange' if layer == len(sizes) - 1 else 'tab:blue')
            ax.scatter(*zip(*nodes), s=500, color=color, edgecolors='k', zorder=2)
        names = ['input'] + [f'hidden {i}' for i in range(1, len(sizes) - 1)] + ['output']
        for layer, name in enumerate(names):
            ax.text(layer, max(sizes) / 2 + 0.2, f'{name}\n({sizes[layer]})', ha='center', va='bottom')
        neurons, weights, biases = count_by_hand(sizes)
        ax.set_title(f'{title}: {weights} weights + {biases} biases = {weights + biases} parameters')
        ax.set(xlim=(-0.5, len(sizes) - 0.5), ylim=(-max(sizes) / 2 - 0.3, max(sizes) / 2 + 1.2))
        ax.axis('off')
    return fig


# %% Slide "Backpropagation": the mean squared error and its gradient, layer by layer, by the chain rule
def mse(y, y_hat):
    """The slide's MSE = 1/N sum_d (y_hat^d - y^d)^2, a sum over the data d (the slides' y_hat is the truth)."""
    N = len(y)
    return sum((y_hat[d] - y[d]).pow(2).sum() for d in range(N)) / N


def forward_and_backward(model, x, y_hat):
    """The 3-layer net's forward pass, then every gradient by the chain rule. Returns (loss, {name: gradient}).

    Forward:  z1 = x W1^T + b1,  a1 = phi(z1),  z2 = a1 W2^T + b2,  a2 = phi(z2),  y = a2 W3^T + b3
    Backward: dL/dy = 2 (y - y_hat) / N, then each layer passes dL/dz back through its weights and phi'
    (phi'(z) = phi(z) (1 - phi(z)) for the sigmoid, slide "Observing Vanishing Gradients").
    Each product below sums over the data d (and over the units), as the chain rule does.
    """
    W1, b1, W2, b2, W3, b3 = (p.detach() for p in model.parameters())
    N = len(x)
    z1 = x @ W1.T + b1
    a1 = torch.sigmoid(z1)
    z2 = a1 @ W2.T + b2
    a2 = torch.sigmoid(z2)
    y = a2 @ W3.T + b3
    loss = mse(y, y_hat)

    dL_dy = 2 * (y - y_hat) / N        # d/dy of 1/N sum_d (y^d - y_hat^d)^2; y = z3 (no phi at the output)
    dL_dW3 = dL_dy.T @ a2              # dz3/dW3 = a2
    dL_db3 = dL_dy.sum(dim=0)          # dz3/db3 = 1
    dL_da2 = dL_dy @ W3                # dz3/da2 = W3
    dL_dz2 = dL_da2 * a2 * (1 - a2)    # da2/dz2 = phi'(z2)
    dL_dW2 = dL_dz2.T @ a1
    dL_db2 = dL_dz2.sum(dim=0)
    dL_da1 = dL_dz2 @ W2
    dL_dz1 = dL_da1 * a1 * (1 - a1)    # da1/dz1 = phi'(z1)
    dL_dW1 = dL_dz1.T @ x
    dL_db1 = dL_dz1.sum(dim=0)
    names = [name for name, _ in model.named_parameters()]  # 0.weight, 0.bias, 2.weight, ... (W1, b1, W2, ...)
    return loss, dict(zip(names, [dL_dW1, dL_db1, dL_dW2, dL_db2, dL_dW3, dL_db3]))


def sgd_step_by_hand(model, grads, lr):
    """Gradient descent, w <- w - lr * dL/dw, for every weight: the new weights (the model is left as it is)."""
    return {name: p.detach() - lr * grads[name] for name, p in model.named_parameters()}


def largest_difference(a, b):
    return max((a[name] - b[name]).abs().max().item() for name in a)


# %% Steps
if __name__ == '__main__':
    args = common.make_parser('perceptron_backprop', __doc__, seed=RANDOM_SEED, out_dir=True).parse_args()

    # 1. One perceptron with n = 3 inputs
    x1, w1, b1 = [1.0, 2.0, 3.0], [0.5, -0.25, 0.1], 0.2
    by_hand, by_pytorch = perceptron(x1, w1, b1), perceptron_by_pytorch(x1, w1, b1)
    print(f'Perceptron: by hand {by_hand:.6f}  nn.Linear + nn.Sigmoid {by_pytorch:.6f}  '
          f'largest difference {abs(by_hand - by_pytorch):.1g}')
    # by hand 0.622459 (phi(0.5 - 0.5 + 0.3 + 0.2) = phi(0.5))

    # 2. The parameters of the slide's 2-layer and 3-layer NN
    for title, sizes in (('2-layer NN', NET_2_LAYER), ('3-layer NN', NET_3_LAYER)):
        neurons, weights, biases = count_by_hand(sizes)
        print(f'{title} {sizes}: {neurons} neurons, {weights} weights + {biases} biases = {weights + biases} '
              f'by hand, {count_by_pytorch(make_mlp(sizes))} by PyTorch')
    # 2-layer NN [3, 4, 2]: 6 neurons, 20 weights + 6 biases = 26 by hand, 26 by PyTorch
    # 3-layer NN [3, 4, 4, 1]: 9 neurons, 32 weights + 9 biases = 41 by hand, 41 by PyTorch
    common.save_figure(draw_networks([('2-layer NN', NET_2_LAYER), ('3-layer NN', NET_3_LAYER)]), args.out_dir,
                       'perceptron_backprop_networks')

    # 3. One training step of the 3-layer NN with the MSE, in float64
    common.set_seed(args.seed)
    model = make_mlp(NET_3_LAYER).double()
    x = torch.randn(5, NET_3_LAYER[0], dtype=torch.float64)      # N = 5 data
    y_hat = torch.randn(5, NET_3_LAYER[-1], dtype=torch.float64)  # Their targets (the slides write y_hat)
    loss, grads_by_hand = forward_and_backward(model, x, y_hat)

    loss_func = nn.MSELoss()  # PyTorch's (prediction, target); the slides write l(y, y_hat) with y_hat the truth
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    optimizer.zero_grad()
    loss_pytorch = loss_func(model(x), y_hat)
    loss_pytorch.backward()
    print(f'MSE: by hand {loss.item():.6f}  nn.MSELoss {loss_pytorch.item():.6f}  '
          f'largest difference {abs(loss - loss_pytorch).item():.1g}')
    for symbol, (name, p) in zip(['W1', 'b1', 'W2', 'b2', 'W3', 'b3'], model.named_parameters()):
        print(f'dL/d{symbol} ({name:8}): by the chain rule vs autograd: largest difference '
              f'{(grads_by_hand[name] - p.grad).abs().max().item():.1g}')  # about 1e-17 each
    weights_by_hand = sgd_step_by_hand(model, grads_by_hand, LR)
    optimizer.step()
    print(f'One SGD step (lr {LR}): by hand vs torch.optim.SGD: largest difference '
          f'{largest_difference(weights_by_hand, dict(model.named_parameters())):.1g}')
    with torch.no_grad():
        print(f'The loss before the step {loss.item():.6f}, after it {loss_func(model(x), y_hat).item():.6f}')
        # Lower after the step: gradient descent
