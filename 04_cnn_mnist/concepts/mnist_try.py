"""The "Try" lines of the MNIST slide: MyCNN variants trained side by side with the same budget, and batch norm by hand.

Slide "Practice) Digit Classification with the MNIST Dataset (1/4)" (its Try lines): "Try more or less layers,
channels, and kernel size", "Try to apply batch normalization (e.g. 'nn.BatchNorm' and 'nn.BatchNorm2d')", "Try to
apply skip connection (used in ResNet)". First batch normalization by hand (the batch's statistics in training, the
running ones in evaluation) beside nn.BatchNorm2d, then the lesson's MyCNN (imported, unchanged) and its variants, each
trained from the same seed on the same images for the same epochs: a table of test accuracy, parameters and
seconds, and a chart. For a default run within a minute, a subset of MNIST: --train-size, --test-size.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import time

import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

from common import evaluate, positive_int, save_figure, set_seed, tensor_loader, train
from common.data import prepare_mnist

common.add_to_path('04_cnn_mnist', '04_cnn_mnist/helpers')  # This section's modules, from any folder
from cnn_mnist import MyCNN  # The lesson's model, unchanged

# %% Hyperparameters: the same budget for every variant
EPOCH_MAX = 1
TRAIN_SIZE = 3000        # The first N training images (of 60,000): a subset, for a run within a minute
TEST_SIZE = 2000         # The first N test images (of 10,000)
BATCH_SIZE = 32          # Small batches: more steps from few images
OPTIMIZER_PARAM = {'lr': 0.05, 'momentum': 0.9}  # As cnn_mnist.py
RANDOM_SEED = 777
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


def draw_results(results):
    """Test accuracy and seconds of each variant, side by side, with its parameters."""
    names = list(results)[::-1]  # The first on top
    fig, (ax_accuracy, ax_seconds) = plt.subplots(1, 2, figsize=(12, 0.5 * len(names) + 1.5), sharey=True)
    labels = [f'{name}\n{results[name]["parameters"]:,} parameters' for name in names]
    accuracies = [100 * results[name]['accuracy'] for name in names]
    ax_accuracy.barh(labels, accuracies, color='tab:blue')
    for y, value in enumerate(accuracies):
        ax_accuracy.text(value, y, f' {value:.2f} %', va='center')
    ax_accuracy.set_xlim(min(accuracies) - 5, 100)
    ax_accuracy.set_xlabel('Test accuracy [%]')
    seconds = [results[name]['seconds'] for name in names]
    ax_seconds.barh(labels, seconds, color='tab:orange')
    for y, value in enumerate(seconds):
        ax_seconds.text(value, y, f' {value:.1f} s', va='center')
    ax_seconds.set_xlim(0, 1.2 * max(seconds))
    ax_seconds.set_xlabel('Training time [s]')
    fig.suptitle('MyCNN and the slide\'s "Try" variants: the same images, epochs and seed')
    fig.tight_layout()
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
    args = parser.parse_args()
    dev = args.device

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

    # 3. Train each variant with the same budget: the same seed, images, batches and epochs
    results = {}
    for variant in args.variants:
        name, options = VARIANTS[variant]
        generator = set_seed(args.seed)
        model = (MyCNN() if variant == 'mycnn' else MyCNNVariant(**options)).to(dev)
        optimizer = torch.optim.SGD(model.parameters(), **{**OPTIMIZER_PARAM, 'lr': args.lr})
        loader_train = tensor_loader(train_x.to(dev), train_y.to(dev), batch_size=args.batch_size, shuffle=True,
                                     generator=generator)
        loader_test = tensor_loader(test_x.to(dev), test_y.to(dev), batch_size=1000)
        start = time.time()
        for _ in range(args.epochs):
            train(model, loader_train, F.nll_loss, optimizer)  # common/training.py: model.train(), the steps
        seconds = time.time() - start
        _, test_accuracy = evaluate(model, loader_test, F.nll_loss)  # model.eval(), torch.no_grad()
        results[name] = {'accuracy': test_accuracy, 'parameters': count_parameters(model), 'seconds': seconds}
        print(f'{name:>24}: test accuracy {test_accuracy:.4f}  {count_parameters(model):>9,} parameters  '
              f'{seconds:5.1f} s')

    # 4. The table and the chart
    print('\n| variant | test accuracy | parameters | seconds |\n|---|---:|---:|---:|')
    for name, result in results.items():
        print(f'| {name} | {100 * result["accuracy"]:.2f} % | {result["parameters"]:,} | {result["seconds"]:.1f} |')
    print(f'({args.epochs} epoch(s) on {len(train_x)} images: another --seed moves each accuracy by a few points, '
          'so only larger gaps tell; --train-size 60000 --epochs 3 is the lesson\'s budget)')
    fig = draw_results(results)
    save_figure(fig, args.out_dir, 'mnist_try')
