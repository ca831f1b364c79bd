"""What cnn_mnist.py sets up around the slides' lesson: options, precision, memory layout, optimizers and metrics.

Slides "Digit Classification with the MNIST Dataset (1/4)-(4/4)" hard-code the slide's setting; here
it is one of several, chosen by options. Shared by cnn_mnist.py, cnn_mnist_ddp.py and
benchmarks/mnist_pipeline.py, which pass their own constants as the defaults.
"""
import argparse

import torch

import common
from common import non_negative_float, positive_int
from common.machine import has_amx


def make_cnn_parser(script, description, *, seed, epochs, batch_size, lr, momentum, optimizer, scheduler,
                    step_param):
    """The options of cnn_mnist.py; the defaults are the script's constants, given here."""
    parser = common.make_parser(script, description, device='auto', seed=seed, out_dir=True, data_dir=True,
                                epochs=epochs, batch_size=batch_size, lr=lr)
    parser.add_argument('--slide-setting', action='store_true',
                        help='train as the slide: --epochs 50 --batch-size 100 --lr 0.01 --optimizer sgd '
                             '--momentum 0 --scheduler step --no-channels-last --precision fp32')
    parser.add_argument('--optimizer', choices=['sgd', 'adam'], default=optimizer, help='optimizer')
    parser.add_argument('--momentum', type=non_negative_float, default=momentum,
                        help='momentum of SGD (Nesterov when > 0; the slide uses 0)')
    parser.add_argument('--scheduler', choices=['step', 'onecycle', 'cosine', 'none'], default=scheduler,
                        help=f'learning rate schedule (step: StepLR {step_param} as on the slide; '
                             'onecycle: up to --lr and down again, stepped every batch)')
    parser.add_argument('--batch-norm', action='store_true', help='add batch normalization after each layer')
    parser.add_argument('--residual', action='store_true', help='add a residual block (skip connection)')
    parser.add_argument('--channels-last', action=argparse.BooleanOptionalAction, default=True,
                        help='store images as N x H x W x C in memory, faster convolutions on CPUs')
    parser.add_argument('--precision', choices=['auto', 'fp32', 'bf16'], default='auto',
                        help='bf16: mixed precision; auto: bf16 on CUDA and on CPUs with Intel AMX, else fp32')
    parser.add_argument('--train-size', type=positive_int, default=None,
                        help='use only the first N training images (quick runs; default: all 60,000)')
    return parser


def parse_cnn_args(parser, slide_setting):
    """Parse the options; with `--slide-setting` the values of `slide_setting` become the defaults."""
    args = parser.parse_args()
    if args.slide_setting:
        parser.set_defaults(**slide_setting)
        args = parser.parse_args()  # Options given explicitly still win over the slide's values
    return args


def use_bf16(precision, device):
    """Decide whether to compute in bfloat16 (`--precision`): 'auto' uses it where the hardware has it."""
    if precision != 'auto':
        return precision == 'bf16'
    if device.type == 'cuda':
        return torch.cuda.is_bf16_supported()
    return device.type == 'cpu' and has_amx()  # Intel AMX computes bfloat16 matrix products in hardware


def autocast(device, bf16):
    """Mixed precision: matrix products and convolutions in bfloat16, the rest (and the weights) in float32.

    The context spans a whole epoch of `train`, so its cache of bfloat16 weight copies is turned
    off: a cached copy would keep the weights of the first batch while the optimizer updates them.
    """
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16, cache_enabled=False)


def describe_setup(device, bf16, channels_last):
    """The line that says where and how the model computes, e.g. 'Device: cpu (float32, channels-last)'."""
    return f'Device: {device} ({"bfloat16 mixed precision" if bf16 else "float32"}' \
           f'{", channels-last" if channels_last else ""})'


def to_memory_format(model, channels_last):
    """Return `model` with its weights stored channels-last (N x H x W x C) when asked: faster convolutions on CPUs."""
    return model.to(memory_format=torch.channels_last) if channels_last else model


def to_float_images(data):
    """Convert MNIST's N x 28 x 28 uint8 tensor into an N x 1 x 28 x 28 float tensor in [0, 1]."""
    return data.unsqueeze(1).float() / 255


def mnist_tensors(dataset, size=None):
    """Return (images, labels) of a torchvision MNIST dataset as tensors in memory, the first `size` only if given.

    Note) The slide gives the datasets `transform=ToTensor()`, so every epoch converts each of the
    60,000 images from PIL to a tensor one by one, and the DataLoader stacks 100 of them per batch.
    Here the whole uint8 tensor (`dataset.data`) becomes float once (60000 x 1 x 28 x 28 float32 =
    188 MB) and `common.tensor_loader` takes each batch with one index: the same values, without
    per-image Python work in every step (benchmarks/mnist_pipeline.py).
    """
    return to_float_images(dataset.data[:size]), dataset.targets[:size]


def make_optimizer(model, args):
    """Return the optimizer of `--optimizer` (SGD as on the slide, or Adam)."""
    if args.optimizer == 'adam':
        return torch.optim.Adam(model.parameters(), lr=args.lr)
    return torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, nesterov=args.momentum > 0)


def make_scheduler(optimizer, args, steps_per_epoch, step_param):
    """Return the LR scheduler of `--scheduler` (None for 'none') and whether it steps every batch.

    StepLR (`step_param`, the slide's) and cosine annealing change the learning rate once per epoch,
    as on the slide; OneCycleLR changes it every batch, so `train` steps it after every `optimizer.step()`.
    """
    if args.scheduler == 'step':
        return torch.optim.lr_scheduler.StepLR(optimizer, **step_param), False
    if args.scheduler == 'cosine':
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs), False
    if args.scheduler == 'onecycle':
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, epochs=args.epochs,
                                                   steps_per_epoch=steps_per_epoch, cycle_momentum=False), True
    return None, False


def save_metrics(path, args, bf16, loss_list, train_seconds, n_train, **results):
    """Save the run's numbers (options, accuracy, speed, machine, loss history and `results`) as JSON at `path`."""
    return common.save_json({
        'accuracy': loss_list[-1][3], 'test_loss': loss_list[-1][2], 'epochs': args.epochs,
        'train_seconds': round(train_seconds, 2), 'images_per_second': round(n_train * args.epochs / train_seconds, 1),
        'device': str(args.device), 'machine': common.describe_machine(), 'precision': 'bf16' if bf16 else 'fp32',
        'channels_last': args.channels_last, 'batch_size': args.batch_size, 'lr': args.lr,
        'optimizer': args.optimizer, 'momentum': args.momentum, 'scheduler': args.scheduler,
        'batch_norm': args.batch_norm, 'residual': args.residual, 'seed': args.seed, 'train_size': n_train,
        **results, 'loss_history': loss_list,
    }, path)
