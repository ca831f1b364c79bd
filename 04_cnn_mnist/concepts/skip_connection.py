"""Skip connections: plain deep networks against the same depths with skip connections, on MNIST.

Slide "Skip Connection" ("Why is a deeper network worse?"; a skip connection bypasses layers with
nonlinearities; it resolves the vanishing gradient problem: the gradient highway). Two networks of the same
Linear layers and the same initialization (PyTorch's default), each block y = ReLU(F(x)) (plain) or
y = ReLU(x + F(x)) (skip) with F(x) = W2 ReLU(W1 x + b1) + b2, at 6, 20 and 50 layers: the first layer's
gradient norm at the start, then the training loss curves with the same optimizer and steps. Before that,
d(x + F(x))/dx = I + dF/dx by hand against autograd: the I is the highway a gradient always passes.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import argparse
import time
from copy import deepcopy

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

from common import positive_int, save_figure, set_seed
from common.data import prepare_mnist

# %% Hyperparameters
DEPTHS = [6, 20, 50]     # Linear layers: the first, two per block, the last (an even number)
WIDTH = 64               # Units of each hidden layer
STEPS = 400              # Mini-batches of training, the same for every network
BATCH_SIZE = 128
LR = 0.05                # SGD with momentum, as cnn_mnist.py
MOMENTUM = 0.9
RANDOM_SEED = 777
SMOOTH = 20              # Steps averaged in the loss curves


# %% A deep fully connected network, with or without skip connections
class Block(nn.Module):
    """F(x) = W2 ReLU(W1 x + b1) + b2; forward gives ReLU(x + F(x)) with the skip connection, else ReLU(F(x))."""

    def __init__(self, width, skip):
        super().__init__()
        self.linear1 = nn.Linear(width, width)
        self.linear2 = nn.Linear(width, width)
        self.skip = skip

    def branch(self, x):
        return self.linear2(F.relu(self.linear1(x)))

    def forward(self, x):
        return F.relu(x + self.branch(x)) if self.skip else F.relu(self.branch(x))


class DeepNet(nn.Module):
    """784 -> WIDTH (first layer), (depth - 2) / 2 blocks of two layers, WIDTH -> 10: `depth` Linear layers."""

    def __init__(self, depth, skip, width=WIDTH):
        super().__init__()
        self.first = nn.Linear(28 * 28, width)
        self.blocks = nn.Sequential(*[Block(width, skip) for _ in range((depth - 2) // 2)])
        self.last = nn.Linear(width, 10)

    def forward(self, x):
        return self.last(self.blocks(F.relu(self.first(torch.flatten(x, 1)))))


# %% The derivative of a skip connection, the first layer's gradient, and training
def block_jacobian_by_hand(block, x):
    """d(x + F(x))/dx = I + W2 diag(ReLU'(W1 x + b1)) W1 (the chain rule, written out)."""
    slope = (block.linear1(x) > 0).to(x.dtype)  # ReLU'(z): 1 where z > 0, else 0
    return torch.eye(len(x), dtype=x.dtype) + block.linear2.weight @ torch.diag(slope) @ block.linear1.weight


def first_layer_gradient_norm(model, images, labels):
    """The norm of the loss's gradient with respect to the first layer's weights, at the current weights (float64:
    the gradient of a deep plain network is too small for float32)."""
    copy = deepcopy(model).double()  # The same weights in float64
    loss = F.cross_entropy(copy(images.double()), labels)
    gradient, = torch.autograd.grad(loss, copy.first.weight)
    return gradient.norm().item()


def train_steps(model, images, labels, steps, batch_size, lr, generator):
    """SGD with momentum on `steps` random mini-batches; returns the training loss of each step."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=MOMENTUM)
    model.train()  # (No dropout or batch norm here: the same either way)
    losses = []
    for _ in range(steps):
        index = torch.randint(len(images), (batch_size,), generator=generator)
        loss = F.cross_entropy(model(images[index]), labels[index])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def accuracy(model, images, labels):
    model.eval()
    with torch.no_grad():  # No gradients needed to measure
        return (model(images).argmax(1) == labels).float().mean().item()


def smooth(values, window=SMOOTH):
    """The mean of each `window` steps up to this one (fewer at the start)."""
    cumulative = np.cumsum(np.insert(np.asarray(values, dtype=float), 0, 0.))
    start = np.maximum(np.arange(len(values)) + 1 - window, 0)
    return (cumulative[1:] - cumulative[start]) / (np.arange(len(values)) + 1 - start)


def even_depth(text):
    """argparse type: a number of Linear layers: even and at least 2."""
    depth = positive_int(text)
    if depth % 2 or depth < 2:
        raise argparse.ArgumentTypeError(f'{depth} is not an even number >= 2 (the first, two per block, the last)')
    return depth


# %% Steps
if __name__ == '__main__':
    parser = common.make_parser('skip_connection', __doc__, seed=RANDOM_SEED, out_dir=True, data_dir=True,
                         batch_size=BATCH_SIZE, lr=LR)
    parser.add_argument('--depths', type=even_depth, nargs='+', default=DEPTHS,
                        help='numbers of Linear layers to compare (even)')
    parser.add_argument('--steps', type=positive_int, default=STEPS, help='mini-batches of training per network')
    args = parser.parse_args()
    torch.set_flush_denormal(True)  # Tiny numbers (< 1e-38) of a deep plain net are 0: else each step is ~100x slower

    # 1. d(x + F(x))/dx = I + dF/dx: by hand against autograd (float64)
    set_seed(args.seed)
    block = Block(4, skip=True).double()
    x = torch.randn(4, dtype=torch.float64)
    by_hand = block_jacobian_by_hand(block, x)
    autograd = torch.autograd.functional.jacobian(lambda x: x + block.branch(x), x)
    print(f'd(x + F(x))/dx: by hand I + dF/dx, autograd: largest difference {(by_hand - autograd).abs().max():.1e}')
    print('I + dF/dx: ones on the diagonal plus small numbers\n', by_hand.detach().numpy().round(4))

    # 2. The MNIST training images as one tensor
    prepare_mnist(args.data_dir)  # common/data.py: finds the files (also as .gz), checks them, downloads missing ones
    data_train = torchvision.datasets.MNIST(args.data_dir, train=True, download=True)
    data_test = torchvision.datasets.MNIST(args.data_dir, train=False)
    images, labels = data_train.data / 255., data_train.targets
    test_images, test_labels = data_test.data / 255., data_test.targets

    # 3. Plain and skip networks: the first layer's gradient at the start, then training
    results = {}
    for depth in args.depths:
        for skip in (False, True):
            name = f'{depth} layers, {"skip" if skip else "plain"}'
            generator = set_seed(args.seed)  # The same weights of the shared layers and the same batches
            model = DeepNet(depth, skip)
            gradient_norm = first_layer_gradient_norm(model, images[:args.batch_size], labels[:args.batch_size])
            start = time.time()
            losses = train_steps(model, images, labels, args.steps, args.batch_size, args.lr, generator)
            results[name] = {'depth': depth, 'skip': skip, 'gradient': gradient_norm, 'losses': losses,
                             'accuracy': accuracy(model, test_images, test_labels), 'seconds': time.time() - start}
            print(f'{name:>18}: first layer gradient norm {gradient_norm:.1e}  training loss '
                  f'{losses[0]:.3f} -> {np.mean(losses[-SMOOTH:]):.3f}  test accuracy '
                  f'{results[name]["accuracy"]:.3f}  ({results[name]["seconds"]:.1f} s)')
    # 50 layers, plain: a gradient norm of about 1e-20 and a loss that stays at 2.30 (= ln 10, a guess);
    # 50 layers, skip: a gradient norm of about 0.5 and a loss that falls as fast as 6 layers'

    # 4. The loss curves and the gradient norms
    fig, (ax_loss, ax_gradient) = plt.subplots(1, 2, figsize=(12, 4.5))
    colors = dict(zip(args.depths, plt.rcParams['axes.prop_cycle'].by_key()['color']))
    for name, result in results.items():
        ax_loss.plot(np.arange(1, args.steps + 1), smooth(result['losses']), '-' if result['skip'] else '--',
                     color=colors[result['depth']], label=name)
    ax_loss.set_xlabel('Steps (mini-batches)')
    ax_loss.set_ylabel(f'Training loss (mean of {SMOOTH} steps)')
    ax_loss.set_title('Training loss: plain (dashed) and skip (solid)')
    ax_loss.grid()
    ax_loss.legend()
    positions = np.arange(len(args.depths))
    for offset, skip in ((-0.2, False), (0.2, True)):
        norms = [results[f'{depth} layers, {"skip" if skip else "plain"}']['gradient'] for depth in args.depths]
        ax_gradient.bar(positions + offset, norms, width=0.4, label='skip' if skip else 'plain')
    ax_gradient.set_yscale('log')
    ax_gradient.set_xticks(positions, [f'{depth} layers' for depth in args.depths])
    ax_gradient.set_ylabel('Norm of the gradient (first layer)')
    ax_gradient.set_title('The first layer\'s gradient at the start')
    ax_gradient.legend()
    fig.tight_layout()
    save_figure(fig, args.out_dir, 'skip_connection')
