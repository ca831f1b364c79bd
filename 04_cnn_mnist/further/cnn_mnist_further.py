"""Training the MNIST CNN better in the same time: beyond the slides, Adam, OneCycleLR and augmentation.

The model is `MyCNN` of cnn_mnist.py, unchanged, so the saved `cnn_mnist.pt` is a plain state_dict that
cnn_mnist_load.py and draw_digit.py load as they are (`--model results/cnn_mnist_further/cnn_mnist.pt`).
What changes is how it is trained: Adam with a OneCycleLR schedule stepped every batch, channels-last memory,
bfloat16 where the hardware has it (a GPU, a CPU with Intel AMX), and slightly shifted, turned and scaled
copies of the training images in every epoch. `--ablation` goes from the lesson's setting to this one, one
change at a time, and prints each step's test accuracy and seconds (section README: the measured table).
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import argparse
import contextlib
import math
import time

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
import torchvision

from common import evaluate, has_amx, positive_int, prepare_mnist, save_figure, tensor_loader, train

common.add_to_path('04_cnn_mnist')  # The lesson one folder up, from any folder (VS Code, Colab)
import cnn_mnist  # The lesson: its MyCNN, constants and predict
from cnn_mnist import MyCNN, predict

# %% Define hyperparameters (the best recipe we found for about 2 minutes on a 2-core CPU: section README)
EPOCH_MAX = 4
BATCH_SIZE = 128
LR = 0.003                 # The peak learning rate of OneCycleLR
AUGMENT = {'degrees': 10, 'shift': 2, 'scale': 0.1}  # Random turns (degrees), shifts (pixels) and scaling
RANDOM_SEED = 777
SAVE_MODEL = cnn_mnist.SAVE_MODEL  # The lesson's name: its load script finds it the same way
EVAL_BATCH_SIZE = 1000     # Testing needs no gradients: larger batches are fine

# The recipe, one change at a time from the lesson's (--ablation trains each row)
LESSON = {'optimizer': 'sgd', 'schedule': 'step', 'channels_last': False, 'bf16': False, 'augment': False,
          'epochs': cnn_mnist.EPOCH_MAX, 'lr': cnn_mnist.OPTIMIZER_PARAM['lr']}
ABLATION = [
    ("the lesson (cnn_mnist.py): SGD with momentum, StepLR", {}),
    ('+ Adam instead of SGD (lr 0.001, StepLR)', {'optimizer': 'adam', 'lr': 0.001}),
    (f'+ OneCycleLR up to lr {LR}, stepped every batch', {'schedule': 'onecycle', 'lr': LR}),
    ('+ channels-last memory', {'channels_last': True}),
    ('+ bfloat16 mixed precision (AMX or a GPU only)', {'bf16': True}),
    ('+ augmentation (turned, shifted, scaled copies)', {'augment': True}),
    (f'+ {EPOCH_MAX} epochs instead of {cnn_mnist.EPOCH_MAX} (the default)', {'epochs': EPOCH_MAX}),
]


# %% Training with the recipe's extras
def bf16_available(device):
    """True where bfloat16 is fast: a CUDA GPU that supports it, or a CPU with Intel AMX."""
    if device.type == 'cuda':
        return torch.cuda.is_bf16_supported()
    return device.type == 'cpu' and has_amx()


def bf16_autocast(device):
    """bfloat16 for matrix products and convolutions on `device`, float32 weights; no cache of bfloat16 weight copies,
    which would keep the weights of the first batch while the optimizer changes them. Where PyTorch has no autocast
    for the device (MPS before torch 2.5, even `enabled=False`), one line says so."""
    try:
        return torch.autocast(device.type, dtype=torch.bfloat16, cache_enabled=False)
    except RuntimeError as error:
        raise common.UserError(f'no bfloat16 mixed precision on {device} with torch {torch.__version__} ({error}): '
                               'use --precision fp32') from None


def augment(x, generator, degrees=10, shift=2, scale=0.1):
    """Each image of the batch `x` (N x 1 x 28 x 28) turned, shifted and scaled at random, in one operation."""
    n = len(x)
    uniform = lambda: torch.rand(n, generator=generator) * 2 - 1  # noqa: E731 (in [-1, 1))
    angle, zoom = uniform() * math.radians(degrees), 1 + uniform() * scale
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    dx, dy = uniform() * shift / 14, uniform() * shift / 14  # affine_grid measures in half-images (14 pixels)
    theta = torch.stack([torch.stack([cos, -sin, dx], 1), torch.stack([sin, cos, dy], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, align_corners=False)


class Augmented:
    """The batches of `loader`, each image augmented anew in every epoch."""

    def __init__(self, loader, generator, **params):
        self.loader, self.generator, self.params = loader, generator, params

    def __iter__(self):
        for x, y in self.loader:
            yield augment(x, self.generator, **self.params), y

    def __len__(self):
        return len(self.loader)


def run(recipe, data, device, seed, batch_size, progress=True):
    """Train a new MyCNN with `recipe`; return (model, test accuracy, seconds of training and testing)."""
    x_train, y_train, x_valid, y_valid = data
    generator = common.set_seed(seed)
    model = MyCNN().to(device)
    if recipe['channels_last']:  # N x H x W x C in memory: faster convolutions on CPUs
        model = model.to(memory_format=torch.channels_last)
    loader_train = tensor_loader(x_train, y_train, batch_size=batch_size, shuffle=True, generator=generator)
    loader_valid = tensor_loader(x_valid, y_valid, batch_size=EVAL_BATCH_SIZE)
    if recipe['augment']:
        loader_train = Augmented(loader_train, generator, **AUGMENT)
    if recipe['optimizer'] == 'adam':
        optimizer = torch.optim.Adam(model.parameters(), lr=recipe['lr'])
    else:
        optimizer = torch.optim.SGD(model.parameters(), **{**cnn_mnist.OPTIMIZER_PARAM, 'lr': recipe['lr']})
    if recipe['schedule'] == 'onecycle':  # Up to lr and down to almost 0 over all batches of all epochs
        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=recipe['lr'], epochs=recipe['epochs'],
                                                        steps_per_epoch=len(loader_train), cycle_momentum=False)
    else:
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, **cnn_mnist.SCHEDULER_PARAM)
    per_batch = recipe['schedule'] == 'onecycle'
    autocast = bf16_autocast(device) if recipe['bf16'] else contextlib.nullcontext()  # float32: no autocast at all
    start = time.time()
    for epoch in range(1, recipe['epochs'] + 1):
        with autocast:
            train_loss = train(model, loader_train, F.cross_entropy, optimizer, scheduler if per_batch else None,
                               progress=progress)
        if not per_batch:
            scheduler.step()
        if progress:
            print(f'{epoch:>6} ({(time.time() - start) / 60:>6.2f} min), TrLoss={train_loss:.6f}')
    with autocast:
        _, accuracy = evaluate(model, loader_valid, F.cross_entropy)  # Only at the end: testing costs time too
    return model, accuracy, time.time() - start


# %% Train the best recipe (or each step of the ablation) and test it
if __name__ == '__main__':
    parser = common.make_parser('cnn_mnist_further', __doc__, device='auto', seed=RANDOM_SEED, out_dir=True,
                                data_dir=True, epochs=EPOCH_MAX, batch_size=BATCH_SIZE, lr=LR)
    parser.add_argument('--precision', choices=['auto', 'fp32', 'bf16'], default='auto',
                        help='auto: bfloat16 on a GPU that has it and on CPUs with Intel AMX, else float32')
    parser.add_argument('--channels-last', action=argparse.BooleanOptionalAction, default=True,
                        help='store images as N x H x W x C in memory')
    parser.add_argument('--augment', action=argparse.BooleanOptionalAction, default=True,
                        help=f'train on turned, shifted and scaled copies of the images {AUGMENT}')
    parser.add_argument('--train-size', type=positive_int, help='train on the first N images only (quick runs)')
    parser.add_argument('--ablation', action='store_true',
                        help='train each step from the lesson\'s recipe to this one and compare them')
    args = parser.parse_args()  # A notebook has no command line: the defaults, which are the constants above
    dev = args.device
    bf16 = args.precision == 'bf16' or (args.precision == 'auto' and bf16_available(dev))
    print(f'Device: {dev} ({"bfloat16 mixed precision" if bf16 else "float32"})')
    print(common.describe_machine())  # CPU: ... (AVX-512, with AMX), 2 threads, torch ...

    # 1. The MNIST images as one float tensor each, in [0, 1], as ToTensor would make them one by one
    prepare_mnist(args.data_dir)  # common/data.py: finds the files (also as .gz), checks them, downloads the rest
    data_train = torchvision.datasets.MNIST(args.data_dir, train=True, download=True)
    data_valid = torchvision.datasets.MNIST(args.data_dir, train=False)
    data = (data_train.data[:args.train_size, None] / 255., data_train.targets[:args.train_size],
            data_valid.data[:, None] / 255., data_valid.targets)

    # 2. Train: the best recipe, or every step of the ablation
    best = {'optimizer': 'adam', 'schedule': 'onecycle', 'channels_last': args.channels_last, 'bf16': bf16,
            'augment': args.augment, 'epochs': args.epochs, 'lr': args.lr}
    if not args.ablation:
        model, accuracy, seconds = run(best, data, dev, args.seed, args.batch_size)
        print(f'Test accuracy: {accuracy:.4f} ({seconds:.1f} s of training and testing)')  # Test accuracy: 0.99..
        path = common.save_checkpoint(model.state_dict(), args.out_dir / SAVE_MODEL)  # A plain state_dict
        print(f'Model saved: {path}')
        print(predict(data_train.data[0], model))  # 5, as in step 5 of the lesson
        common.save_json({'accuracy': accuracy, 'seconds': seconds, **best, 'batch_size': args.batch_size,
                          'seed': args.seed, 'train_size': len(data[1]), 'device': str(dev),
                          'machine': common.describe_machine()}, args.out_dir / 'metrics.json')
    else:
        recipe, rows = dict(LESSON), []
        if args.epochs != EPOCH_MAX:  # e.g. quick runs: every row trains for --epochs
            recipe['epochs'] = args.epochs
        for name, change in ABLATION:
            if change.get('bf16') and not bf16:
                continue  # No fast bfloat16 here (or --precision fp32)
            recipe.update(change)
            if 'epochs' in change:
                recipe['epochs'] = args.epochs
            print(f'--- {name}: {recipe}')
            _, accuracy, seconds = run(recipe, data, dev, args.seed, args.batch_size)
            rows.append((name, accuracy, seconds))
        print(f'\n{"step":<56} {"accuracy":>8} {"seconds":>8}')
        for name, accuracy, seconds in rows:
            print(f'{name:<56} {accuracy:>8.4f} {seconds:>8.1f}')
        fig, (ax_acc, ax_time) = plt.subplots(1, 2, figsize=(12, 0.6 * len(rows) + 1.5), sharey=True)
        names = [name for name, _, _ in rows][::-1]
        ax_acc.barh(names, [100 * accuracy for _, accuracy, _ in rows][::-1], color='tab:blue')
        ax_acc.set_xlim(min(100 * accuracy for _, accuracy, _ in rows) - 0.2, 100)
        ax_acc.set_xlabel('Test accuracy (%)')
        ax_time.barh(names, [seconds for _, _, seconds in rows][::-1], color='tab:gray')
        ax_time.set_xlabel('Seconds (training and testing)')
        fig.suptitle(common.describe_machine(), fontsize=9)
        save_figure(fig, args.out_dir, 'cnn_mnist_further_ablation')
