"""Skip connections: plain deep networks against the same depths with skip connections, on MNIST, from two inits.

Slide "Skip Connection" ("Why is a deeper network worse?"; a skip connection bypasses layers with
nonlinearities; it resolves the vanishing gradient problem: the gradient highway). Networks of the same Linear
layers at 6, 20 and 50 layers, each block y = F(x) (plain) or y = x + F(x) (skip), F(x) = W2 ReLU(W1 ReLU(x) + b1)
+ b2 (the pre-activation block of He et al. 2016, "Identity Mappings in Deep Residual Networks": no ReLU after the
addition, so the x passes unchanged), trained with the same optimizer, batches and steps, from two initializations.
The final training losses (the mean of the last 20 of 300 steps) over seeds 777, 778, 779:
- PyTorch's default for nn.Linear (weights uniform in +-1/sqrt(fan_in): each ReLU layer shrinks the signal): the
  plain nets' first-layer gradient shrinks with depth (1e-2 at 6 layers, 1e-7 at 20, 1e-19 at 50: vanished); at 20
  and 50 layers they never learn (2.30 = ln 10, a guess), at 6 slowly (1.0-1.2). That is the initialization failing, not
  depth itself. The skip nets learn at every depth (0.20-0.29): the x + carries the gradient past the layers.
- He (Kaiming) initialization for ReLU (normal, std sqrt(2 / fan_in), biases 0: the signal keeps its size): no plain
  net's gradient vanishes (first layer 0.2-1.3), the 6-layer one learns as well as the skip nets (0.21-0.24), yet
  the deeper ones end worse: 20 layers 0.45-1.23, 50 layers 1.52-2.30 (seed 778: not at all in 300 steps). That is
  He et al.'s degradation problem, the slide's "Why is a deeper network worse?". The skip nets end at 0.19-0.22 at
  every depth: the skip connection closes the gap. In them the last layer of each branch starts scaled by
  1/sqrt(blocks) (as GPT-2 scales its residual layers), the one difference from the plain nets' weights: without
  it each block doubles the signal's variance (ResNet keeps it in check with batch normalization), and the
  50-layer skip net starts with a loss of 350-2,200 (printed at the end).
The verdicts printed at the end are worked out from the run's numbers. Before the training, d(x + F(x))/dx = I +
dF/dx by hand against autograd: the I passes the gradient back unchanged, whatever F does. F can still shrink or
grow the rest, so a skip connection mitigates the vanishing gradient rather than making it impossible.
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
STEPS = 300              # Mini-batches of training, the same for every network
BATCH_SIZE = 128
LR = 0.02                # SGD with momentum (cnn_mnist.py's 0.05 makes the 20-layer plain net with He init diverge,
                         # 0.03 the 50-layer one stall at 2.30)
MOMENTUM = 0.9
RANDOM_SEED = 777
SMOOTH = 20              # Steps averaged in the loss curves
INITS = {                # --inits name: its label
    'default': "PyTorch's default init",
    'he': 'He init',
}
LEARNS = 2.2             # A final training loss below this: the network learns (ln 10 = 2.30 is a guess)
VANISHED = 1e-4          # A first-layer gradient norm below this at the start: the gradient has vanished


# %% A deep fully connected network, with or without skip connections
class Block(nn.Module):
    """F(x) = W2 ReLU(W1 ReLU(x) + b1) + b2; forward gives x + F(x) with the skip connection, else F(x)."""

    def __init__(self, width, skip):
        super().__init__()
        self.linear1 = nn.Linear(width, width)
        self.linear2 = nn.Linear(width, width)
        self.skip = skip

    def branch(self, x):
        return self.linear2(F.relu(self.linear1(F.relu(x))))

    def forward(self, x):
        return x + self.branch(x) if self.skip else self.branch(x)


class DeepNet(nn.Module):
    """784 -> WIDTH (first layer), (depth - 2) / 2 blocks of two layers, WIDTH -> 10: `depth` Linear layers, a ReLU
    before each but the first (the plain net is an ordinary MLP)."""

    def __init__(self, depth, skip, width=WIDTH):
        super().__init__()
        self.first = nn.Linear(28 * 28, width)
        self.blocks = nn.Sequential(*[Block(width, skip) for _ in range((depth - 2) // 2)])
        self.last = nn.Linear(width, 10)

    def forward(self, x):
        return self.last(F.relu(self.blocks(self.first(torch.flatten(x, 1)))))


def he_init(model, scale_branches=True):
    """He (Kaiming) initialization for ReLU: every Linear layer's weights normal with std sqrt(2 / fan_in), biases 0.
    With skip connections and `scale_branches`, the last layer of each branch times 1/sqrt(blocks), so that the
    blocks' sum x + F_1 + F_2 + ... keeps about the size of x (without it, each block doubles its variance)."""
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity='relu')
            nn.init.zeros_(module.bias)
    if scale_branches and model.blocks and model.blocks[0].skip:
        with torch.no_grad():
            for block in model.blocks:
                block.linear2.weight /= len(model.blocks) ** 0.5
    return model


def make_net(depth, skip, init):
    """DeepNet with PyTorch's default initialization ('default') or He initialization ('he')."""
    model = DeepNet(depth, skip)
    return he_init(model) if init == 'he' else model


# %% The derivative of a skip connection, the first layer's gradient, and training
def block_jacobian_by_hand(block, x):
    """d(x + F(x))/dx = I + W2 diag(ReLU'(W1 ReLU(x) + b1)) W1 diag(ReLU'(x)) (the chain rule, written out)."""
    slope_in = (x > 0).to(x.dtype)  # ReLU'(x): 1 where x > 0, else 0
    slope = (block.linear1(F.relu(x)) > 0).to(x.dtype)  # ReLU'(W1 ReLU(x) + b1)
    return torch.eye(len(x), dtype=x.dtype) + \
        block.linear2.weight @ torch.diag(slope) @ block.linear1.weight @ torch.diag(slope_in)


def first_layer_gradient_norm(model, images, labels):
    """The norm of the loss's gradient with respect to the first layer's weights, at the current weights (float64:
    the gradient of a deep plain network is too small for float32)."""
    copy = deepcopy(model).double()  # The same weights in float64
    loss = F.cross_entropy(copy(images.double()), labels)
    gradient, = torch.autograd.grad(loss, copy.first.weight)
    return gradient.norm().item()


def first_loss(model, images, labels):
    """The loss at the current weights, before any training."""
    with torch.no_grad():
        return F.cross_entropy(model(images), labels).item()


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


def verdicts(results, depths, init):
    """What the runs of one initialization show, in sentences built from their numbers: which nets learn (the final
    training loss below LEARNS), whether a plain net's gradient vanished, and else whether the deeper plain net ends
    worse than the shallowest (the degradation problem) and the skip nets closer together."""
    label, lines = INITS[init], []
    for skip in (False, True):
        runs = [results[run_name(depth, skip, init)] for depth in depths]
        learn = [f"{run['depth']}: {run['final_loss']:.2f}" for run in runs if run['final_loss'] < LEARNS]
        stuck = [f"{run['depth']}: {run['final_loss']:.2f}, first-layer gradient {run['gradient']:.0e}" +
                 (' (vanished)' if run['gradient'] < VANISHED else '') for run in runs if run['final_loss'] >= LEARNS]
        lines.append(f'{label}, {"skip" if skip else "plain"} nets, final training loss by depth: ' +
                     (f'learn ({", ".join(learn)})' if learn else 'none learns') +
                     (f'; stay at a guess ({"; ".join(stuck)})' if stuck else ''))
    plain = [results[run_name(depth, False, init)] for depth in depths]
    skip = [results[run_name(depth, True, init)] for depth in depths]
    vanished = [run['depth'] for run in plain if run['gradient'] < VANISHED and run['final_loss'] >= LEARNS]
    if vanished:
        lines.append(f'{label}: the plain nets of {", ".join(map(str, vanished))} layers do not learn because their '
                     'gradient vanished on its way back to the first layers (this initialization shrinks the signal '
                     'in each layer); the skip nets learn' + (' at every depth' if all(
                         run['final_loss'] < LEARNS for run in skip) else ' where shown above'))
    elif len(depths) > 1:
        gap_plain = plain[-1]['final_loss'] - plain[0]['final_loss']
        gap_skip = skip[-1]['final_loss'] - skip[0]['final_loss']
        gradients = [run['gradient'] for run in plain]
        degraded = gap_plain > 0.05  # The deepest plain net ends clearly above the shallowest
        lines.append(f"{label}: no plain net's gradient vanished (first layer {min(gradients):.1f}-"
                     f'{max(gradients):.1f}); deepest minus shallowest final loss: plain {gap_plain:+.2f}, skip '
                     f'{gap_skip:+.2f}: ' +
                     ('the deeper plain net ends worse (the degradation problem)' if degraded else
                      'the deeper plain net is not worse here') +
                     ('; the skip connection closes the gap' if degraded and gap_skip < gap_plain / 3 else ''))
    return lines


def run_name(depth, skip, init):
    return f'{depth} layers, {"skip" if skip else "plain"}, {init}'


# %% Steps
if __name__ == '__main__':
    parser = common.make_parser('skip_connection', __doc__, seed=RANDOM_SEED, out_dir=True, data_dir=True,
                                batch_size=BATCH_SIZE, lr=LR)
    parser.add_argument('--depths', type=even_depth, nargs='+', default=DEPTHS,
                        help='numbers of Linear layers to compare (even)')
    parser.add_argument('--steps', type=positive_int, default=STEPS, help='mini-batches of training per network')
    parser.add_argument('--inits', nargs='+', choices=list(INITS), default=list(INITS), metavar='INIT',
                        help=f'initializations to compare, of: {", ".join(INITS)} (default: both)')
    args = parser.parse_args()
    torch.set_flush_denormal(True)  # Tiny numbers (< 1e-38) of a deep plain net are 0: else each step is ~100x slower
    torch.set_num_threads(1)  # Products of 64 x 64 on batches of 128: with two threads each step waits for the other
    # core, 3-5 times slower when the laptop is busy; one thread is as fast when quiet (benchmarks/busy_machine.py)

    # 1. d(x + F(x))/dx = I + dF/dx: by hand against autograd (float64)
    set_seed(args.seed)
    block = Block(4, skip=True).double()
    x = torch.randn(4, dtype=torch.float64)
    by_hand = block_jacobian_by_hand(block, x)
    autograd = torch.autograd.functional.jacobian(block, x)
    print(f'd(x + F(x))/dx: by hand I + dF/dx, autograd: largest difference {(by_hand - autograd).abs().max():.1e}')
    print('I + dF/dx: ones on the diagonal plus small numbers\n', by_hand.detach().numpy().round(4))

    # 2. The MNIST training images as one tensor
    prepare_mnist(args.data_dir)  # common/data.py: finds the files (also as .gz), checks them, downloads missing ones
    data_train = torchvision.datasets.MNIST(args.data_dir, train=True, download=True)
    data_test = torchvision.datasets.MNIST(args.data_dir, train=False)
    images, labels = data_train.data / 255., data_train.targets
    test_images, test_labels = data_test.data / 255., data_test.targets

    # 3. Plain and skip networks from each initialization: the first layer's gradient at the start, then training
    results = {}
    for init in args.inits:
        print(f'{INITS[init]}:')
        for depth in args.depths:
            for skip in (False, True):
                name = run_name(depth, skip, init)
                generator = set_seed(args.seed)  # The same weights of the shared layers and the same batches
                model = make_net(depth, skip, init)
                gradient_norm = first_layer_gradient_norm(model, images[:args.batch_size], labels[:args.batch_size])
                start = time.time()
                losses = train_steps(model, images, labels, args.steps, args.batch_size, args.lr, generator)
                results[name] = {'depth': depth, 'skip': skip, 'init': init, 'gradient': gradient_norm,
                                 'losses': losses, 'final_loss': float(np.mean(losses[-SMOOTH:])),
                                 'accuracy': accuracy(model, test_images, test_labels), 'seconds': time.time() - start}
                print(f'{depth:>3} layers, {"skip" if skip else "plain"}: first layer gradient norm {gradient_norm:.1e}'
                      f'  training loss {losses[0]:.3f} (first step) -> {results[name]["final_loss"]:.3f} (last '
                      f'{SMOOTH} steps)  test accuracy {results[name]["accuracy"]:.3f}  '
                      f'({results[name]["seconds"]:.1f} s)')
    # Default init, 50 layers, plain: a gradient norm of about 1e-19 and a loss that stays at 2.30 (= ln 10, a guess)
    # He init, plain: 6 layers end lower than 50; skip: about the same at every depth

    # 4. What each initialization shows
    print()
    for init in args.inits:
        for line in verdicts(results, args.depths, init):
            print(line)
    if 'he' in args.inits:  # Why the skip nets' branches start scaled with He init
        generator = set_seed(args.seed)
        unscaled = he_init(DeepNet(max(args.depths), skip=True), scale_branches=False)
        print(f'He init without scaling the branches, {max(args.depths)} layers, skip: the loss before training '
              f'{first_loss(unscaled, images[:args.batch_size], labels[:args.batch_size]):.0f} (each block doubles '
              'the variance)')

    # 5. The loss curves, the gradient norms, the final losses by depth
    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5))
    colors = dict(zip(args.depths, plt.rcParams['axes.prop_cycle'].by_key()['color']))
    ax_gradient, ax_final = axes[1]
    for ax_loss, init in zip(axes[0], list(INITS)):
        if init not in args.inits:
            ax_loss.set_axis_off()
            continue
        for result in (result for result in results.values() if result['init'] == init):
            ax_loss.plot(np.arange(1, args.steps + 1), smooth(result['losses']), '-' if result['skip'] else '--',
                         color=colors[result['depth']],
                         label=f'{result["depth"]} layers, {"skip" if result["skip"] else "plain"}')
        ax_loss.set_xlabel('Steps (mini-batches)')
        ax_loss.set_ylabel(f'Training loss (mean of {SMOOTH} steps)')
        ax_loss.set_ylim(0, 2.6)
        ax_loss.set_title(f'{INITS[init]}: plain (dashed), skip (solid)')
        ax_loss.grid()
        ax_loss.legend(fontsize=8)
    groups = [(init, skip) for init in args.inits for skip in (False, True)]
    width = 0.8 / len(groups)
    positions = np.arange(len(args.depths))
    for k, (init, skip) in enumerate(groups):
        norms = [results[run_name(depth, skip, init)]['gradient'] for depth in args.depths]
        ax_gradient.bar(positions + (k - (len(groups) - 1) / 2) * width, norms, width=width,
                        label=f'{INITS[init]}, {"skip" if skip else "plain"}', hatch='' if init == 'default' else '//',
                        color='tab:green' if skip else 'tab:red', alpha=1.0 if init == 'default' else 0.5)
        finals = [results[run_name(depth, skip, init)]['final_loss'] for depth in args.depths]
        ax_final.plot(args.depths, finals, '-' if skip else '--', color='tab:green' if skip else 'tab:red',
                      alpha=1.0 if init == 'default' else 0.5, label=f'{INITS[init]}, {"skip" if skip else "plain"}',
                      marker='o' if init == 'default' else 's')
    ax_gradient.set_yscale('log')
    ax_gradient.set_xticks(positions, [f'{depth} layers' for depth in args.depths])
    ax_gradient.set_ylabel('Norm of the gradient (first layer)')
    ax_gradient.set_ylim(top=1e6)  # Room above the bars for the legend
    ax_gradient.set_title("The first layer's gradient at the start")
    ax_gradient.legend(fontsize=8, ncol=2, loc='upper center')
    ax_final.axhline(np.log(10), color='gray', linestyle=':', label='ln 10 = 2.30: a guess')
    ax_final.set_xticks(args.depths)
    ax_final.set_xlabel('Depth (Linear layers)')
    ax_final.set_ylabel(f'Final training loss (mean of the last {SMOOTH} steps)')
    ax_final.set_ylim(0, 2.6)
    ax_final.set_title('Where each ends: He init, the deeper plain net worse')
    ax_final.grid()
    ax_final.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, args.out_dir, 'skip_connection')
