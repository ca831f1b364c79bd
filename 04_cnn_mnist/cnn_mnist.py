"""Digit classification with the MNIST dataset: a four-layer CNN learns the ten digits, then reads a photo of a 3.

Slides "Practice) Digit Classification with the MNIST Dataset (1/4)-(4/4)". In a notebook, `model`,
`loss_list`, `data_train` and `data_valid` stay after the last cell, to inspect.

Differences from the slides, on purpose:
- The defaults reach 99.33% test accuracy in 97-106 s (whole run) on a 2-core AMD EPYC CPU without AMX
  (float32): Adam with a OneCycleLR schedule (peak lr 0.003) stepped every batch, batch size 128,
  3 epochs, channels-last memory and, where the hardware has it (a GPU, a CPU with Intel AMX), bfloat16.
  `--slide-setting` trains exactly as the slide does (SGD lr 0.01 without momentum, batch size 100,
  StepLR halving the learning rate every 10 epochs, 50 epochs, float32, no channels-last).
- The images are converted to one float tensor once, not one by one in every epoch (step 1).
- `predict` prepares any image (a file, a PIL image of any mode and size, an MNIST tensor) the way
  the MNIST digits were made, so a photo or scan of a digit on paper is recognised too.
- The confusion matrix is computed from batches of test images, not from 10,000 single predictions.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)")  # noqa: E501

# %% Imports
import time

import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.metrics import ConfusionMatrixDisplay

from common import (REPO_ROOT, UserError, evaluate, load_checkpoint, load_mnist, plot_loss_curves, save_checkpoint,
                    save_figure, set_seed, tensor_loader, train)
from common import predict as predict_batch  # The classes of a batch of tensors (slide "Iris ... (2/5)")

common.add_to_path('04_cnn_mnist')  # Modules beside this script, from any folder (VS Code, Colab)
# Options, precision, memory layout, optimizer, schedule and metrics: cnn_mnist_setup.py
from cnn_mnist_setup import (autocast, describe_setup, make_cnn_parser, make_optimizer, make_scheduler,
                             mnist_tensors, parse_cnn_args, save_metrics, to_memory_format, use_bf16)
from mnist_image import prepare_image  # Preparing a photo of a digit the MNIST way (mnist_image.py)

# %% Define hyperparameters (ours: over 99.2% on the 10,000 test images in under 2 minutes on a 2-core CPU)
EPOCH_MAX = 3
EPOCH_LOG = 1
BATCH_SIZE = 128
LR = 0.003                                          # The peak learning rate of OneCycleLR
MOMENTUM = 0.9                                      # Used by SGD only (--optimizer sgd)
OPTIMIZER = 'adam'
SCHEDULER = 'onecycle'
RANDOM_SEED = 777
# The slide's setting, one flag away (--slide-setting); explicit options still override it
SLIDE_SETTING = {'epochs': 50, 'batch_size': 100, 'lr': 0.01, 'optimizer': 'sgd', 'momentum': 0.,
                 'scheduler': 'step', 'channels_last': False, 'precision': 'fp32'}
SCHEDULER_PARAM = {'step_size': 10, 'gamma': 0.5}   # StepLR of the slide
EVAL_BATCH_SIZE = 1000                              # Testing needs no gradients: larger batches are fine
SAVE_MODEL = 'cnn_mnist.pt'                         # Saved into --out-dir
TEST_IMAGE = REPO_ROOT / 'data' / 'cnn_mnist_test.png'


# %% A four-layer CNN model
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


# %% Predict a digit using the given model
def predict(image, model, return_prob=False):
    """Return the digit in `image` (a file, a PIL image or a tensor: `prepare_image`), and its probability if asked."""
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
    checkpoint = load_checkpoint(path, device, trained_by='04_cnn_mnist/cnn_mnist.py')
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


# %% Steps 0-5 of the slides
if __name__ == '__main__':
    # 0. Preparation
    args = parse_cnn_args(make_cnn_parser('cnn_mnist', __doc__, seed=RANDOM_SEED, epochs=EPOCH_MAX,
                                          batch_size=BATCH_SIZE, lr=LR, momentum=MOMENTUM, optimizer=OPTIMIZER,
                                          scheduler=SCHEDULER, step_param=SCHEDULER_PARAM), SLIDE_SETTING)
    generator = set_seed(args.seed)  # The same seed gives the same batches and the same numbers on the CPU
    dev = args.device
    bf16 = use_bf16(args.precision, dev)
    print(describe_setup(dev, bf16, args.channels_last))  # Device: cpu (float32, channels-last)

    # 1. Load the MNIST dataset (found, checked or downloaded by common.load_mnist), as one float tensor each
    data_train = load_mnist(args.data_dir, train=True)
    data_valid = load_mnist(args.data_dir, train=False)
    x_train, y_train = mnist_tensors(data_train, args.train_size)
    x_valid, y_valid = mnist_tensors(data_valid)
    loader_train = tensor_loader(x_train, y_train, batch_size=args.batch_size, shuffle=True, generator=generator)
    loader_valid = tensor_loader(x_valid, y_valid, batch_size=EVAL_BATCH_SIZE)
    print(f'Training images: {len(y_train)}, test images: {len(y_valid)}')  # Training images: 60000, test ...: 10000

    # 2. Instantiate a model, loss function, and optimizer
    model = to_memory_format(MyCNN(batch_norm=args.batch_norm, residual=args.residual).to(dev), args.channels_last)
    loss_func = F.cross_entropy  # As the slide; on log-probabilities it equals F.nll_loss
    optimizer = make_optimizer(model, args)
    scheduler, per_batch = make_scheduler(optimizer, args, len(loader_train), SCHEDULER_PARAM)

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
            print(f'{epoch:>6} ({elapse:>6.2f} min), TrLoss={train_loss:.6f}, VaLoss={valid_loss:.6f}, '
                  f'VaAcc={valid_accuracy:.3f}, lr=[{optimizer.param_groups[0]["lr"]:.3g}]')
            #      3 (  1.44 min), TrLoss=0.023856, VaLoss=0.020361, VaAcc=0.993, lr=[1.96e-08]  (AMD EPYC, 2 cores)
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
    accuracy = (predicts == y_valid).float().mean().item()
    fig, ax = plt.subplots(figsize=(7, 6))
    ConfusionMatrixDisplay.from_predictions(y_valid, predicts, ax=ax, colorbar=False)
    ax.set_title(f'Confusion matrix of {len(y_valid)} test images (accuracy: {accuracy:.4f})')
    save_figure(fig, args.out_dir, 'cnn_mnist_confusion')
    print(f'Test accuracy: {accuracy:.4f}')

    # 5. Test your image
    first_digit = predict(data_train.data[0], model)
    print(first_digit)                                  # 5
    test_digit = predict(TEST_IMAGE, model)             # A path, or a PIL image of any mode and size
    print(test_digit)                                   # 3
    metrics_path = save_metrics(args.out_dir / 'metrics.json', args, bf16, loss_list, train_seconds, len(y_train),
                                accuracy=accuracy, predict_train_0=first_digit, predict_test_image=test_digit)
    print(f'Metrics saved: {metrics_path}')
