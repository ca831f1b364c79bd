"""Digit classification with a CNN and the MNIST dataset (slides "Digit Classification with the MNIST
Dataset (1/4-4/4)").

Differences from the slides, on purpose:
- The defaults reach 99% test accuracy in a few minutes on a 2-core CPU: Adam with a OneCycleLR
  schedule (peak lr 0.002) stepped every batch, batch size 128, 5 epochs, channels-last memory
  and, where the hardware has it, bfloat16 mixed precision.
  `--slide-setting` trains exactly as the slide does (SGD lr 0.01 without momentum, batch size 100,
  StepLR halving the learning rate every 10 epochs, 50 epochs, float32, no channels-last).
- The images are converted to one float tensor once, not one by one in every epoch (see step 1).
- `predict` prepares any image (a file, a PIL image of any mode and size, an MNIST tensor) the way
  the MNIST digits were made, so a photo or scan of a digit on paper is recognised too.
- The confusion matrix is computed from batches of test images, not from 10,000 single predictions.
"""
# %% Imports
import argparse
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.transforms.functional as TF
from mnist_dataset import load_mnist
from sklearn.metrics import ConfusionMatrixDisplay

from common import (REPO_ROOT, UserError, evaluate, load_checkpoint, make_parser, non_negative_float,
                    plot_loss_curves, run, save_checkpoint, save_figure, save_json, set_seed, tensor_loader, train)
from common import predict as predict_batch  # The classes of a batch of tensors (slide "Iris ... (2/5)")

# %% Hyperparameters
# Our defaults: at least 99% on the 10,000 test images in about 3 minutes on a 2-core CPU
EPOCH_MAX = 5
EPOCH_LOG = 1
BATCH_SIZE = 128
LR = 0.002                                          # The peak learning rate of OneCycleLR
MOMENTUM = 0.9                                      # Used by SGD only (--optimizer sgd)
OPTIMIZER = 'adam'
SCHEDULER = 'onecycle'
# The slide's setting, one flag away (--slide-setting); explicit options still override it
SLIDE_SETTING = {'epochs': 50, 'batch_size': 100, 'lr': 0.01, 'optimizer': 'sgd', 'momentum': 0.,
                 'scheduler': 'step', 'channels_last': False, 'precision': 'fp32'}
SCHEDULER_PARAM = {'step_size': 10, 'gamma': 0.5}   # StepLR of the slide
EVAL_BATCH_SIZE = 1000                              # Testing needs no gradients: larger batches are fine
SAVE_MODEL = 'cnn_mnist.pt'                         # Saved into --out-dir
TEST_IMAGE = REPO_ROOT / 'data' / 'cnn_mnist_test.png'


# %% Model
# A four-layer CNN model
# - Try more or less layers, channels, and kernel size
# - Try to apply batch normalization (--batch-norm: 'nn.BatchNorm2d' and 'nn.BatchNorm1d')
# - Try to apply skip connection (--residual: a residual block as used in ResNet)
class ResidualBlock(nn.Module):
    """Two 3x3 convolutions whose output is added to the block's input (slide "Skip Connection")."""

    def __init__(self, channels, batch_norm=False):
        super().__init__()
        self.conv_a = nn.Conv2d(channels, channels, kernel_size=3, stride=1, padding=1)
        self.norm_a = nn.BatchNorm2d(channels) if batch_norm else nn.Identity()
        self.conv_b = nn.Conv2d(channels, channels, kernel_size=3, stride=1, padding=1)
        self.norm_b = nn.BatchNorm2d(channels) if batch_norm else nn.Identity()

    def forward(self, x):
        out = F.relu(self.norm_a(self.conv_a(x)))
        out = self.norm_b(self.conv_b(out))
        return F.relu(out + x)  # The skip connection: a gradient highway around the two convolutions


class MyCNN(nn.Module):
    def __init__(self, batch_norm=False, residual=False):
        super().__init__()
        self.options = {'batch_norm': batch_norm, 'residual': residual}  # Saved with the weights
        # Without the options, `nn.Identity` layers do nothing and have no weights, so the model
        # and its state_dict are exactly the slide's.

        # Notation: (batch_size, channel, height, width)
        # Input : (batch_size, 1, 28, 28)
        # Layer1: conv (batch_size, 32, 28, 28)
        #         pool (batch_size, 32, 14, 14)
        self.conv1 = nn.Conv2d(1, 32, kernel_size=3, stride=1, padding=1)
        self.norm1 = nn.BatchNorm2d(32) if batch_norm else nn.Identity()
        self.pool1 = nn.MaxPool2d(kernel_size=2)

        # Layer2: conv (batch_size, 64, 14, 14)
        #         res  (batch_size, 64, 14, 14) (only with --residual)
        #         pool (batch_size, 64, 7, 7)
        self.conv2 = nn.Conv2d(32, 64, kernel_size=3, stride=1, padding=1)
        self.norm2 = nn.BatchNorm2d(64) if batch_norm else nn.Identity()
        self.res2 = ResidualBlock(64, batch_norm) if residual else nn.Identity()
        self.pool2 = nn.MaxPool2d(kernel_size=2)
        self.drop2 = nn.Dropout(0.2)

        # Input : (batch_size, 64*7*7)
        # Layer3: fc   (batch_size, 512)
        self.fc3 = nn.Linear(64 * 7 * 7, 512)
        self.norm3 = nn.BatchNorm1d(512) if batch_norm else nn.Identity()
        self.drop3 = nn.Dropout(0.2)

        # Layer4: fc   (batch_size, 10)
        self.fc4 = nn.Linear(512, 10)

    def forward(self, x):
        x = F.relu(self.norm1(self.conv1(x)))
        x = self.pool1(x)

        x = F.relu(self.norm2(self.conv2(x)))
        x = self.res2(x)
        x = self.pool2(x)
        x = self.drop2(x)
        x = torch.flatten(x, 1)

        x = F.relu(self.norm3(self.fc3(x)))
        x = self.drop3(x)

        x = F.log_softmax(self.fc4(x), dim=1)
        return x


# %% Preparing an image the MNIST way
def load_image(path):
    """Open the image file at `path` as a PIL image; a missing or unreadable file raises `UserError`."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"image file '{path}' does not exist")
    try:
        with PIL.Image.open(path) as image:
            image.load()  # Read the pixels now: a truncated file fails here, not later
            return image.copy()
    except Exception as error:  # PIL raises several types (UnidentifiedImageError, OSError, ...)
        raise UserError(f"'{path}' is not an image file that can be read ({type(error).__name__})") from None


def image_to_gray(image):
    """Return a PIL image of any mode as a float array in [0, 1] (0: black, 1: white).

    Transparent pixels count as white paper (an RGBA or palette drawing of dark ink).
    """
    if image.mode in ('I', 'I;16', 'I;16B', 'I;16L', 'F'):  # 16/32-bit images: stretch to [0, 1]
        array = np.asarray(image, dtype=np.float32)
        low, high = float(array.min()), float(array.max())
        return (array - low) / (high - low) if high > low else np.zeros_like(array)
    if image.mode in ('RGBA', 'LA', 'PA') or 'transparency' in image.info:
        rgba = image.convert('RGBA')
        image = PIL.Image.alpha_composite(PIL.Image.new('RGBA', rgba.size, 'white'), rgba)
    return np.asarray(image.convert('L'), dtype=np.float32) / 255


def center_digit(ink):
    """Place the digit of `ink` (bright ink on a dark background) the way MNIST digits were made.

    Crop it to its bounding box, scale it into 20 x 20 keeping its aspect ratio, and put its center
    of mass at the center of a 28 x 28 image. Returns a 1 x 28 x 28 float tensor.
    """
    border = np.concatenate([ink[0], ink[-1], ink[:, 0], ink[:, -1]])
    ink = np.clip(ink - np.median(border), 0, None)  # Remove the paper's gray level (e.g. a photo)
    if ink.max() < 0.1:
        raise UserError('no digit found: the image is blank')
    ink = ink / ink.max()
    rows, cols = np.nonzero(ink > 0.25)  # Ignore faint specks when finding the bounding box
    crop = torch.from_numpy(np.ascontiguousarray(ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]))
    height, width = crop.shape
    scale = 20 / max(height, width)
    size = [max(1, round(height * scale)), max(1, round(width * scale))]
    digit = TF.resize(crop.unsqueeze(0), size, antialias=True).squeeze(0).clamp(0, 1)

    # Shift so that the center of mass lands at the center (13.5, 13.5) of the 28 x 28 image
    total = digit.sum()
    center_y = (digit.sum(dim=1) * torch.arange(size[0])).sum() / total
    center_x = (digit.sum(dim=0) * torch.arange(size[1])).sum() / total
    top = min(max(round(13.5 - center_y.item()), 0), 28 - size[0])
    left = min(max(round(13.5 - center_x.item()), 0), 28 - size[1])
    tensor = torch.zeros(1, 28, 28)
    tensor[0, top:top + size[0], left:left + size[1]] = digit
    return tensor


def prepare_image(image):
    """Return `image` as a 1 x 28 x 28 float tensor in [0, 1] with white ink on black, as in MNIST.

    `image` is an MNIST tensor (uint8 in [0, 255] or float in [0, 1], bright ink on black), a file
    path or a PIL image of any mode and size. 28 x 28 tensors are MNIST digits already and are kept
    as they are; everything else is centered the MNIST way (`center_digit`).
    """
    if isinstance(image, torch.Tensor):
        tensor = image.detach().cpu()
        tensor = tensor.float() / 255 if tensor.dtype == torch.uint8 else tensor.float()  # Normalize to [0, 1]
        tensor = tensor.squeeze()
        if tensor.ndim != 2:
            raise UserError(f'expected one gray image (H x W), got a tensor of shape {tuple(image.shape)}')
        if tensor.shape == (28, 28):
            return tensor.unsqueeze(0)
        return center_digit(tensor.numpy())
    if isinstance(image, (str, Path)):
        image = load_image(image)
    if not isinstance(image, PIL.Image.Image):
        raise UserError(f'cannot predict a {type(image).__name__}: give a file path, a PIL image or a tensor')
    gray = image_to_gray(image)
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    if np.median(border) > 0.5:
        gray = 1 - gray  # Invert dark ink on light paper (white to black), as the slide does
    return center_digit(gray)


# %% The slide's functions
# Predict a digit using the given model
def predict(image, model, return_prob=False):
    """Return the digit in `image` (see `prepare_image`), and its probability if `return_prob`."""
    model.eval()  # Dropout off, BatchNorm uses its running statistics
    with torch.no_grad():  # No gradients are needed to predict
        dev = next(model.parameters()).device
        tensor = prepare_image(image).unsqueeze(0).to(dev)  # Add one more dim: 1 x 1 x 28 x 28
        output = model(tensor)
        digit = torch.argmax(output, dim=1).item()
        prob = output[0, digit].exp().item()  # The model returns log-probabilities
    return (digit, prob) if return_prob else digit


def load_model(path, device='cpu'):
    """Rebuild the `MyCNN` saved at `path` by this script (or a bare state_dict saved as the slide does)."""
    checkpoint = load_checkpoint(path, device)
    if isinstance(checkpoint, dict) and 'model' in checkpoint and 'options' in checkpoint:
        state_dict, options = checkpoint['model'], checkpoint['options']
    else:
        state_dict, options = checkpoint, {}  # `torch.save(model.state_dict(), ...)` as on the slide
    try:
        model = MyCNN(**options)
        model.load_state_dict(state_dict)
    except (TypeError, RuntimeError, AttributeError):
        raise UserError(f"'{path}' holds another model, not a MyCNN of cnn_mnist.py") from None
    return model.to(device)


def to_float_images(data):
    """Convert MNIST's N x 28 x 28 uint8 tensor into an N x 1 x 28 x 28 float tensor in [0, 1]."""
    return data.unsqueeze(1).float() / 255


def use_bf16(precision, device):
    """Decide whether to compute in bfloat16 (`--precision`): 'auto' uses it where the hardware has it."""
    if precision != 'auto':
        return precision == 'bf16'
    if device.type == 'cuda':
        return torch.cuda.is_bf16_supported()
    if device.type == 'cpu':  # Intel AMX computes bfloat16 in hardware (Linux reports its flags here)
        try:
            return 'amx_bf16' in Path('/proc/cpuinfo').read_text()
        except OSError:
            return False
    return False


def autocast(device, bf16):
    """Mixed precision: matrix products and convolutions in bfloat16, the rest (and the weights) in float32.

    The context spans a whole epoch of `train`, so its cache of bfloat16 weight copies is turned
    off: a cached copy would keep the weights of the first batch while the optimizer updates them.
    """
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16, cache_enabled=False)


def make_optimizer(model, args):
    """Return the optimizer of `--optimizer` (SGD as on the slide, or Adam)."""
    if args.optimizer == 'adam':
        return torch.optim.Adam(model.parameters(), lr=args.lr)
    return torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, nesterov=args.momentum > 0)


def make_scheduler(optimizer, args, steps_per_epoch):
    """Return the LR scheduler of `--scheduler` (None for 'none') and whether it steps every batch.

    StepLR and cosine annealing change the learning rate once per epoch, as on the slide;
    OneCycleLR changes it every batch, so `train` steps it after every `optimizer.step()`.
    """
    if args.scheduler == 'step':
        return torch.optim.lr_scheduler.StepLR(optimizer, **SCHEDULER_PARAM), False
    if args.scheduler == 'cosine':
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs), False
    if args.scheduler == 'onecycle':
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, epochs=args.epochs,
                                                   steps_per_epoch=steps_per_epoch, cycle_momentum=False), True
    return None, False


def make_cnn_parser(description, script_file):
    """The options of `cnn_mnist.py` (shared with `cnn_mnist_ddp.py`)."""
    parser = make_parser(description, script_file, training=True, epochs=EPOCH_MAX, batch_size=BATCH_SIZE, lr=LR)
    parser.add_argument('--slide-setting', action='store_true',
                        help='train as the slide: --epochs 50 --batch-size 100 --lr 0.01 --optimizer sgd '
                             '--momentum 0 --scheduler step --no-channels-last --precision fp32')
    parser.add_argument('--optimizer', choices=['sgd', 'adam'], default=OPTIMIZER, help='optimizer')
    parser.add_argument('--momentum', type=non_negative_float, default=MOMENTUM,
                        help='momentum of SGD (Nesterov when > 0; the slide uses 0)')
    parser.add_argument('--scheduler', choices=['step', 'onecycle', 'cosine', 'none'], default=SCHEDULER,
                        help=f'learning rate schedule (step: StepLR {SCHEDULER_PARAM} as on the slide; '
                             'onecycle: up to --lr and down again, stepped every batch)')
    parser.add_argument('--batch-norm', action='store_true', help='add batch normalization after each layer')
    parser.add_argument('--residual', action='store_true', help='add a residual block (skip connection)')
    parser.add_argument('--channels-last', action=argparse.BooleanOptionalAction, default=True,
                        help='store images as N x H x W x C in memory, faster convolutions on CPUs')
    parser.add_argument('--precision', choices=['auto', 'fp32', 'bf16'], default='auto',
                        help='bf16: mixed precision; auto: bf16 on CUDA and on CPUs with Intel AMX, else fp32')
    parser.add_argument('--train-size', type=int, default=None,
                        help='use only the first N training images (quick runs; default: all 60,000)')
    return parser


def parse_cnn_args(parser, argv=None):
    """Parse `argv`; with `--slide-setting` the slide's values become the defaults."""
    args = parser.parse_args(argv)
    if args.slide_setting:
        parser.set_defaults(**SLIDE_SETTING)
        args = parser.parse_args(argv)
    if args.train_size is not None and args.train_size <= 0:
        parser.error(f'argument --train-size: must be a positive integer, not {args.train_size}')
    return args


def load_mnist_tensors(data_dir, train_size=None):
    """Return (x_train, y_train, x_test, y_test, data_train, data_valid) of MNIST as tensors in memory.

    Note) The slide gives the datasets `transform=ToTensor()`, so every epoch converts each of the
    60,000 images from PIL to a tensor one by one, and the DataLoader stacks 100 of them per batch.
    We convert the whole uint8 tensor (`data_train.data`) to float once (60000 x 1 x 28 x 28
    float32 = 188 MB) and `tensor_loader` takes each batch with one index: the same values,
    without per-image Python work in every step.
    """
    data_train = load_mnist(data_dir, train=True)
    data_valid = load_mnist(data_dir, train=False)
    x_train, y_train = to_float_images(data_train.data), data_train.targets
    if train_size is not None:
        x_train, y_train = x_train[:train_size], y_train[:train_size]
    x_test, y_test = to_float_images(data_valid.data), data_valid.targets
    return x_train, y_train, x_test, y_test, data_train, data_valid


# %% Main
def main(argv=None):
    args = parse_cnn_args(make_cnn_parser(__doc__, __file__), argv)

    # 0. Preparation
    generator = set_seed(args.seed)
    dev = args.device
    bf16 = use_bf16(args.precision, dev)
    print(f'Device: {dev} ({"bfloat16 mixed precision" if bf16 else "float32"}'
          f'{", channels-last" if args.channels_last else ""})')

    # 1. Load the MNIST dataset
    x_train, y_train, x_test, y_test, data_train, data_valid = load_mnist_tensors(args.data_dir, args.train_size)
    loader_train = tensor_loader(x_train, y_train, batch_size=args.batch_size, shuffle=True, generator=generator)
    loader_valid = tensor_loader(x_test, y_test, batch_size=EVAL_BATCH_SIZE)
    print(f'Training images: {len(y_train)}, test images: {len(y_test)}')

    # 2. Instantiate a model, loss function, and optimizer
    model = MyCNN(batch_norm=args.batch_norm, residual=args.residual).to(dev)
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    loss_func = F.cross_entropy  # As the slide; on log-probabilities it equals F.nll_loss
    optimizer = make_optimizer(model, args)
    scheduler, per_batch = make_scheduler(optimizer, args, steps_per_epoch=len(loader_train))

    # 3.1. Train the model
    loss_list = []
    train_seconds = 0.
    start = time.time()
    for epoch in range(1, args.epochs + 1):
        epoch_start = time.time()
        with autocast(dev, bf16):
            train_loss = train(model, loader_train, loss_func, optimizer, scheduler if per_batch else None,
                               progress=True)
            train_seconds += time.time() - epoch_start
            valid_loss, valid_accuracy = evaluate(model, loader_valid, loss_func)
        if scheduler is not None and not per_batch:
            scheduler.step()

        loss_list.append([epoch, train_loss, valid_loss, valid_accuracy])
        if epoch % EPOCH_LOG == 0:
            elapse = (time.time() - start) / 60
            lr = optimizer.param_groups[0]['lr']
            print(f'{epoch:>6} ({elapse:>6.2f} min), TrLoss={train_loss:.6f}, VaLoss={valid_loss:.6f}, '
                  f'VaAcc={valid_accuracy:.3f}, lr=[{lr:.3g}]')
    elapse = (time.time() - start) / 60

    # 3.2. Save the trained model (with its options, so `load_model` rebuilds the same architecture)
    model_path = save_checkpoint({'model': model.state_dict(), 'options': model.options}, args.out_dir / SAVE_MODEL)
    print(f'Model saved: {model_path}')

    # 4.1. Visualize the loss curves
    fig = plot_loss_curves(loss_list, f'Training and Validation Losses (time: {elapse:.2f} [min] @ {dev})')
    save_figure(fig, args.out_dir, 'cnn_mnist_loss')

    # 4.2. Visualize the confusion matrix (the 10,000 test images in batches, not one by one)
    with autocast(dev, bf16):
        predicts = torch.cat([predict_batch(x, model) for x, _ in loader_valid])
    accuracy = (predicts == y_test).float().mean().item()
    fig, ax = plt.subplots(figsize=(7, 6))
    ConfusionMatrixDisplay.from_predictions(y_test, predicts, ax=ax, colorbar=False)
    ax.set_title(f'Confusion matrix of {len(y_test)} test images (accuracy: {accuracy:.4f})')
    save_figure(fig, args.out_dir, 'cnn_mnist_confusion')
    print(f'Test accuracy: {accuracy:.4f}')

    # 5. Test your image
    first_digit = predict(data_train.data[0], model)
    print(first_digit)                                  # 5
    test_digit = predict(TEST_IMAGE, model)             # A path or a PIL image of any mode
    print(test_digit)                                   # 3

    save_json({'accuracy': accuracy, 'epochs': args.epochs, 'train_seconds': round(train_seconds, 2),
               'images_per_second': round(len(y_train) * args.epochs / train_seconds, 1), 'device': str(dev),
               'precision': 'bf16' if bf16 else 'fp32', 'channels_last': args.channels_last,
               'batch_size': args.batch_size, 'lr': args.lr, 'optimizer': args.optimizer,
               'momentum': args.momentum, 'scheduler': args.scheduler, 'batch_norm': args.batch_norm,
               'residual': args.residual, 'train_size': len(y_train), 'test_loss': loss_list[-1][2],
               'loss_history': loss_list, 'predict_train_0': first_digit, 'predict_test_image': test_digit},
              args.out_dir / 'metrics.json')
    print(f'Metrics saved: {args.out_dir / "metrics.json"}')


if __name__ == '__main__':
    run(main)
