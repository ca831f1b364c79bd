"""The "Try" lines of the MNIST slide: MyCNN variants trained side by side with the same budget, and batch norm by hand.

Slide "Practice) Digit Classification with the MNIST Dataset (1/4)" (its Try lines): "Try more or less layers,
channels, and kernel size", "Try to apply batch normalization (e.g. 'nn.BatchNorm' and 'nn.BatchNorm2d')", "Try to
apply skip connection (used in ResNet)". First batch normalization by hand (the batch's statistics in training, the
running ones in evaluation) beside nn.BatchNorm2d, then the lesson's MyCNN (imported, unchanged) and its variants, each
trained on the same images for the same steps from 3 seeds (--seeds): the test accuracy as the mean and the range
(lowest to highest) of the seeds, the work of a training step per image (multiply-adds counted by PyTorch's
FlopCounterMode, the same on any machine) and the parameters, a table and a chart. A variant is called better or
worse than MyCNN only where the two ranges do not overlap (its every seed above, or below, every seed of MyCNN's);
otherwise the gap is within the spread of the seeds and nothing is claimed.
The budget: 1,000 training images, 1 epoch (32 steps of 32 images), cnn_mnist.py's SGD (lr 0.05, momentum 0.9), on
the CPU with one thread. Measured there over the default seeds (777-779): batch norm 64.1-72.7 % against MyCNN's
57.0-61.1 % (better), one more conv layer 33.9-46.4 % (worse), the same with a skip connection 54.9-64.5 % (better
than without it, within MyCNN's spread); fewer channels, more channels and kernel size 5 within MyCNN's spread.
Over seeds 1-5 (--seed 1 --seeds 5) the same verdicts: batch norm 66.4-73.1 % against MyCNN's 52.6-62.3 %, one more
conv layer 38.7-47.5 %, with the skip connection 53.9-73.3 %. Those say how fast each learns in its first 32 steps,
not where it ends: at cnn_mnist.py's budget (--train-size 60000 --epochs 3) MyCNN reaches 99 %, and these gaps were
not measured there (7 variants x 3 seeds: about half an hour on a laptop CPU).
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import os
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.flop_counter import FlopCounterMode

from common import evaluate, positive_int, save_figure, set_seed, tensor_loader, train
from common.data import prepare_mnist

common.add_to_path('04_cnn_mnist', '04_cnn_mnist/helpers')  # This section's modules, from any folder
from cnn_mnist import MyCNN  # The lesson's model, unchanged

# %% Hyperparameters: the same budget for every variant
EPOCH_MAX = 1
TRAIN_SIZE = 1000        # The first N training images (of 60,000): a subset, for 3 seeds of 7 variants in about 30 s
TEST_SIZE = 1000         # The first N test images (of 10,000): the same for every variant
BATCH_SIZE = 32          # Small batches: more steps from few images
OPTIMIZER_PARAM = {'lr': 0.05, 'momentum': 0.9}  # As cnn_mnist.py
RANDOM_SEED = 777        # The first seed; the others follow it (778, 779)
N_SEEDS = 3              # Seeds per variant: the spread of the test accuracy
VARIANTS = {             # --variants name: (its label, the change from MyCNN as MyCNNVariant's arguments)
    'mycnn': ('MyCNN', {}),
    'fewer-channels': ('fewer channels (16, 32)', {'channels': (16, 32)}),
    'more-channels': ('more channels (64, 64)', {'channels': (64, 64)}),
    'kernel-5': ('kernel size 5', {'kernel_size': 5}),
    'more-layers': ('one more conv layer', {'extra_conv': True}),
    'skip': ('one more conv + skip', {'extra_conv': True, 'skip': True}),
    'batch-norm': ('batch norm', {'batch_norm': True}),
}


# %% Batch normalization by hand, and MyCNN with one change
def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    """Batch normalization of x (N, C, H, W) per channel c; returns (y, new running_mean, new running_var).

    Training: mean_c and var_c of the batch (over N, H and W); y = gamma_c (x - mean_c) / sqrt(var_c + eps) + beta_c;
    running = (1 - momentum) running + momentum (batch statistic). Evaluation: the running statistics instead.
    """
    if training:
        n = x.shape[0] * x.shape[2] * x.shape[3]  # Values per channel
        mean = x.sum(dim=(0, 2, 3)) / n
        var = ((x - mean[None, :, None, None]) ** 2).sum(dim=(0, 2, 3)) / n  # Divided by n: normalizes the batch
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)  # PyTorch keeps the unbiased one
    else:
        mean, var = running_mean, running_var
    x_hat = (x - mean[None, :, None, None]) / torch.sqrt(var[None, :, None, None] + eps)
    return gamma[None, :, None, None] * x_hat + beta[None, :, None, None], running_mean, running_var


class MyCNNVariant(MyCNN):
    """MyCNN with the slide's "Try" changes: other channels or kernel size, one more conv layer (with or without a
    skip connection), batch normalization after each conv layer. MyCNN itself (cnn_mnist.py) stays as it is."""

    def __init__(self, channels=(32, 64), kernel_size=3, extra_conv=False, skip=False, batch_norm=False):
        super().__init__()  # MyCNN's layers; those that change are made again below
        channel1, channel2 = channels
        self.conv1 = nn.Conv2d(1, channel1, kernel_size=kernel_size, stride=1, padding=kernel_size // 2)
        self.conv2 = nn.Conv2d(channel1, channel2, kernel_size=kernel_size, stride=1, padding=kernel_size // 2)
        self.fc3 = nn.Linear(channel2 * 7 * 7, 512)
        # Layer2b: conv (batch_size, channel2, 14, 14), then ReLU(x + conv(x)) with the skip connection
        self.conv2b = nn.Conv2d(channel2, channel2, kernel_size=3, stride=1, padding=1) if extra_conv else None
        self.skip = skip
        self.norm1 = nn.BatchNorm2d(channel1) if batch_norm else nn.Identity()
        self.norm2 = nn.BatchNorm2d(channel2) if batch_norm else nn.Identity()

    def forward(self, x):
        x = F.relu(self.norm1(self.conv1(x)))
        x = self.pool1(x)

        x = F.relu(self.norm2(self.conv2(x)))
        if self.conv2b is not None:
            x = F.relu(x + self.conv2b(x)) if self.skip else F.relu(self.conv2b(x))
        x = self.pool2(x)
        x = self.drop2(x)
        x = torch.flatten(x, 1)

        x = F.relu(self.fc3(x))
        x = self.drop3(x)

        x = F.log_softmax(self.fc4(x), dim=1)
        return x


def count_parameters(model):
    return sum(parameter.numel() for parameter in model.parameters())


def training_flops(model, image_size=(1, 28, 28), batch_size=4):
    """The floating-point operations of one training step (forward and backward) per image, as PyTorch's
    FlopCounterMode counts them: the convolutions and matrix products (2 per multiply-add), not the elementwise rest."""
    x, y = torch.zeros(batch_size, *image_size), torch.zeros(batch_size, dtype=torch.long)
    model = model.cpu()
    with FlopCounterMode(display=False) as counter:
        F.nll_loss(model(x), y).backward()
    model.zero_grad()
    return counter.get_total_flops() / batch_size


def against(accuracies, reference):
    """'better' or 'worse' where the two sets of seeds' accuracies do not overlap (each one of one set above each one
    of the other), else 'within the spread' (nothing claimed); with one seed each, no spread to compare with."""
    if len(accuracies) < 2 or len(reference) < 2:
        return 'one seed: no spread, no claim'
    if min(accuracies) > max(reference):
        return 'better (beyond the spread)'
    if max(accuracies) < min(reference):
        return 'worse (beyond the spread)'
    return 'within the spread'


def load_average():
    """The machine's load over the last minute, as a text ('unknown' where the system does not say, e.g. Windows)."""
    try:
        return f'{os.getloadavg()[0]:.1f}'
    except (AttributeError, OSError):
        return 'unknown'


def draw_results(results, budget):
    """Left: each variant's test accuracy, a dot per seed, the line from the lowest to the highest and the mean, on the
    whole axis 0-100 % (MyCNN's range shaded across). Right: the work of a training step per image, the parameters."""
    names = list(results)[::-1]  # The first on top
    fig, (ax_accuracy, ax_work) = plt.subplots(1, 2, figsize=(13, 0.55 * len(names) + 2), sharey=True)
    reference = results.get('MyCNN')
    if reference is not None:
        ax_accuracy.axvspan(100 * min(reference['accuracies']), 100 * max(reference['accuracies']), color='tab:blue',
                            alpha=0.12, label="MyCNN's range")
    for y, name in enumerate(names):
        values = 100 * np.array(results[name]['accuracies'])
        ax_accuracy.plot([values.min(), values.max()], [y, y], '-', color='tab:blue', lw=2)
        ax_accuracy.plot(values, [y] * len(values), 'o', color='tab:blue', ms=5, alpha=0.7)
        ax_accuracy.plot(values.mean(), y, '|', color='k', ms=16, mew=2)
        ax_accuracy.text(101, y, f'{values.mean():.1f} % ({values.min():.1f}-{values.max():.1f})', va='center',
                         fontsize=9)
    ax_accuracy.axvline(10, color='gray', linestyle=':', label='chance (10 %)')
    ax_accuracy.set_xlim(0, 100)
    ax_accuracy.set_yticks(range(len(names)), ['\n'.join([name, results[name]['verdict']] + (
        [results[name]['also']] if 'also' in results[name] else [])) for name in names], fontsize=9)
    ax_accuracy.set_xlabel('Test accuracy [%]: a dot per seed, | the mean')
    ax_accuracy.legend(loc='lower left', fontsize=8)
    work = [results[name]['flops'] / 1e6 for name in names]
    ax_work.barh(range(len(names)), work, color='tab:orange')
    for y, (name, value) in enumerate(zip(names, work)):
        ax_work.text(value, y, f' {value:.0f} MFLOP, {results[name]["parameters"]:,} parameters', va='center',
                     fontsize=9)
    ax_work.set_xlim(0, 1.8 * max(work))
    ax_work.set_xlabel('Work of a training step per image [MFLOP] (FlopCounterMode: the same on any machine)')
    fig.suptitle(f'MyCNN and the slide\'s "Try" variants: {budget}')
    fig.tight_layout()
    fig.subplots_adjust(wspace=0.35)
    return fig


# %% Steps
if __name__ == '__main__':
    parser = common.make_parser('mnist_try', __doc__, device='auto', seed=RANDOM_SEED, out_dir=True, data_dir=True,
                                epochs=EPOCH_MAX, batch_size=BATCH_SIZE, lr=OPTIMIZER_PARAM['lr'])
    parser.add_argument('--train-size', type=positive_int, default=TRAIN_SIZE,
                        help='train on the first N training images (60000: all)')
    parser.add_argument('--test-size', type=positive_int, default=TEST_SIZE,
                        help='test on the first N test images (10000: all)')
    parser.add_argument('--variants', nargs='+', choices=list(VARIANTS), default=list(VARIANTS), metavar='NAME',
                        help=f'the variants to train, of: {", ".join(VARIANTS)}')
    parser.add_argument('--seeds', type=positive_int, default=N_SEEDS,
                        help='seeds per variant (--seed, --seed + 1, ...): the spread of the test accuracy')
    args = parser.parse_args()
    dev = args.device
    if dev.type == 'cpu':
        torch.set_num_threads(1)  # Small convolutions on batches of 32: with two threads each step waits for the
        # other core, 10 times slower when the laptop is busy (one thread: 1.0-1.5x the quiet two-thread time)

    # 1. Batch normalization by hand against nn.BatchNorm2d (float64): three training batches, then evaluation
    set_seed(args.seed)
    layer = nn.BatchNorm2d(3).double()
    with torch.no_grad():  # Some gamma and beta other than 1 and 0
        layer.weight.uniform_(0.5, 2)
        layer.bias.uniform_(-1, 1)
    gamma, beta = layer.weight.detach(), layer.bias.detach()
    running_mean, running_var = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    layer.train()  # Training mode: the batch's statistics, and the running ones updated
    for step in range(3):
        x = 2 + 3 * torch.randn(8, 3, 5, 5, dtype=torch.float64)
        by_hand, running_mean, running_var = batch_norm(x, gamma, beta, running_mean, running_var, training=True)
        with torch.no_grad():
            pytorch = layer(x)
        print(f'train batch {step + 1}: by hand {by_hand.abs().sum().item():.6f}  nn.BatchNorm2d '
              f'{pytorch.abs().sum().item():.6f} (sum of |y|)  '
              f'largest difference {(by_hand - pytorch).abs().max():.1e}, '
              f'running_mean {(running_mean - layer.running_mean).abs().max():.1e}, '
              f'running_var {(running_var - layer.running_var).abs().max():.1e}')
    print('y per channel: mean', by_hand.mean(dim=(0, 2, 3)).numpy().round(3), '= beta', beta.numpy().round(3),
          ' std', by_hand.std(dim=(0, 2, 3), unbiased=False).numpy().round(3), '= gamma', gamma.numpy().round(3))
    print('running_mean', running_mean.numpy().round(3), '(toward 2)  running_var', running_var.numpy().round(3),
          '(toward 9)')  # After 3 batches with momentum 0.1: still far from the data's mean 2 and variance 9
    layer.eval()  # Evaluation mode: the running statistics, whatever the batch
    by_hand, _, _ = batch_norm(x, gamma, beta, running_mean, running_var, training=False)
    with torch.no_grad():
        pytorch = layer(x)
        train_mode = layer.train()(x)
    print(f'eval: by hand {by_hand.abs().sum().item():.6f}  nn.BatchNorm2d {pytorch.abs().sum().item():.6f}  '
          f'largest difference {(by_hand - pytorch).abs().max():.1e}')
    print(f'The same batch in train and eval mode: outputs differ by up to {(train_mode - pytorch).abs().max():.3f}')

    # 2. The MNIST images (a subset: the same for every variant)
    print(f'Device: {dev}')
    prepare_mnist(args.data_dir)  # common/data.py: finds the files (also as .gz), checks them, downloads missing ones
    data_train = torchvision.datasets.MNIST(args.data_dir, train=True, download=True)
    data_valid = torchvision.datasets.MNIST(args.data_dir, train=False)
    train_x, train_y = data_train.data[:args.train_size, None] / 255., data_train.targets[:args.train_size]
    test_x, test_y = data_valid.data[:args.test_size, None] / 255., data_valid.targets[:args.test_size]
    print(f'Training images: {len(train_x)} of {len(data_train)}, test images: {len(test_x)} of {len(data_valid)}')

    mycnn = MyCNN()  # Where MyCNN's parameters are
    n_mycnn, n_fc3 = count_parameters(mycnn), count_parameters(mycnn.fc3)
    print(f"MyCNN's {n_mycnn:,} parameters: {n_fc3:,} of them ({n_fc3 / n_mycnn:.1%}) in fc3 (64 x 7 x 7 inputs -> "
          "512): more channels (64, 64) keep fc3 and barely change the count, fewer (16, 32) halve fc3's inputs")
    # MyCNN's 1,630,090 parameters: 1,606,144 of them (98.5%) in fc3: more channels (64, 64) add 1 %, fewer (16, 32)
    # halve fc3 (the table's parameters)

    # 3. Train each variant with the same budget (the same images, steps and seeds), once per seed
    seeds = [args.seed + k for k in range(args.seeds)]
    n_steps = -(-len(train_x) // args.batch_size) * args.epochs
    budget = (f'{len(train_x)} images, {args.epochs} epoch(s) ({n_steps} steps of {args.batch_size}), SGD lr {args.lr} '
              f'momentum {OPTIMIZER_PARAM["momentum"]}, seeds {", ".join(map(str, seeds))}')
    print(f'Budget of every variant: {budget}')
    results = {}
    for variant in args.variants:
        name, options = VARIANTS[variant]
        accuracies, seconds = [], []
        for seed in seeds:
            generator = set_seed(seed)
            model = (MyCNN() if variant == 'mycnn' else MyCNNVariant(**options)).to(dev)
            optimizer = torch.optim.SGD(model.parameters(), **{**OPTIMIZER_PARAM, 'lr': args.lr})
            loader_train = tensor_loader(train_x.to(dev), train_y.to(dev), batch_size=args.batch_size, shuffle=True,
                                         generator=generator)
            loader_test = tensor_loader(test_x.to(dev), test_y.to(dev), batch_size=1000)
            start = time.time()
            for _ in range(args.epochs):
                train(model, loader_train, F.nll_loss, optimizer)  # common/training.py: model.train(), the steps
            seconds.append(time.time() - start)
            _, test_accuracy = evaluate(model, loader_test, F.nll_loss)  # model.eval(), torch.no_grad()
            accuracies.append(test_accuracy)
        results[name] = {'accuracies': accuracies, 'accuracy': float(np.mean(accuracies)),
                         'parameters': count_parameters(model), 'flops': training_flops(model), 'seconds': seconds}
        print(f'{name:>24}: test accuracy ' + ' '.join(f'{value:.3f}' for value in accuracies) +
              f' (seeds {" ".join(map(str, seeds))}), mean {np.mean(accuracies):.3f}  '
              f'training {np.mean(seconds):.1f} s per seed (load {load_average()})')
    reference = results.get('MyCNN', {}).get('accuracies', [])
    for name, result in results.items():
        result['verdict'] = 'the reference' if name == 'MyCNN' else \
            f'against MyCNN: {against(result["accuracies"], reference)}' if reference else ''

    # 4. The table, what it shows, and the chart
    print('\n| variant | test accuracy: mean (lowest-highest of the seeds) | against MyCNN | parameters | '
          'training MFLOP per image | seconds per training |\n|---|---:|---|---:|---:|---:|')
    for name, result in results.items():
        values = 100 * np.array(result['accuracies'])
        print(f'| {name} | {values.mean():.1f} % ({values.min():.1f}-{values.max():.1f}) | '
              f'{result["verdict"].replace("against MyCNN: ", "")} | {result["parameters"]:,} | '
              f'{result["flops"] / 1e6:.1f} | {np.mean(result["seconds"]):.1f} |')
    if 'one more conv layer' in results and 'one more conv + skip' in results:  # What the skip connection changes
        skip = against(results['one more conv + skip']['accuracies'], results['one more conv layer']['accuracies'])
        results['one more conv + skip']['also'] = f'against one more conv layer: {skip}'
        print(f'One more conv + skip against one more conv layer: {skip}')  # ... better (beyond the spread)
    print(f'Better or worse: every seed beyond every seed of MyCNN; else within the spread of {len(seeds)} seeds, '
          'nothing claimed. The seconds are this machine\'s (1 thread on the CPU, load average '
          f'{load_average()} now): the MFLOP are the work, on any machine.')
    fig = draw_results(results, budget)
    save_figure(fig, args.out_dir, 'mnist_try')
