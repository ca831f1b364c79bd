"""Max pooling by hand beside F.max_pool2d, and the receptive fields of MyCNN's units after each layer.

Slide "Pooling Layer" (max pooling; in PyTorch `stride` is `kernel_size` when not given; pooling gives larger
receptive fields with small kernels). The receptive field after each layer of the lesson's MyCNN is computed
with the rule r_out = r_in + (kernel_size - 1) x jump_in, jump_out = jump_in x stride, and checked by which input
pixels get a non-zero gradient, and beside it the same two convolutions without pooling between them (conv2 sees
5 x 5 pixels without pool1, 8 x 8 with it: the slide's "larger receptive fields with a limited size of kernels").
A digit is drawn after each layer, with pooling and without (random weights, or a trained MyCNN: --model).
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import REPO_ROOT, make_parser, save_figure, set_seed

common.add_to_path('04_cnn_mnist', '04_cnn_mnist/helpers')  # This section's modules, from any folder
from cnn_mnist import MyCNN  # The lesson's model, unchanged
from mnist_image import prepare_image  # The photo of a 3 as a 28 x 28 MNIST digit

# %% The example and the settings
X_SLIDE = [[1, 1, 2, 4],     # A 4 x 4 input; 2 x 2 max pooling with stride 2 keeps the largest of each block
           [5, 6, 7, 8],
           [3, 2, 1, 0],
           [1, 2, 3, 4]]
RANDOM_SEED = 777
N_INPUTS = 8                 # Random inputs whose non-zero gradients are joined (a ReLU or a max passes only some)
TEST_IMAGE = REPO_ROOT / 'data' / 'cnn_mnist_test.png'  # A handwritten-looking 3 (helpers/make_test_digit.py)


# %% Max pooling by hand, MyCNN's layers one by one, and their receptive fields
def max_pool(x, kernel_size, stride=None):
    """out(r, c) = max over i, j < kernel_size of x(r * stride + i, c * stride + j); stride = kernel_size if None."""
    stride = stride or kernel_size  # As PyTorch does when stride is not given
    height, width = (len(x) - kernel_size) // stride + 1, (len(x[0]) - kernel_size) // stride + 1
    return [[max(x[r * stride + i][c * stride + j] for i in range(kernel_size) for j in range(kernel_size))
             for c in range(width)] for r in range(height)]


def layers_of(model):
    """MyCNN's forward as a list of (name, the layer as nn.Conv2d/nn.MaxPool2d/nn.Linear, function), in its order."""
    return [('conv1', model.conv1, lambda x: F.relu(model.conv1(x))),
            ('pool1', model.pool1, model.pool1),
            ('conv2', model.conv2, lambda x: F.relu(model.conv2(x))),
            ('pool2', model.pool2, model.pool2),  # (drop2 comes next: nothing in eval mode)
            ('fc3', model.fc3, lambda x: F.relu(model.fc3(torch.flatten(x, 1))))]


def layers_without_pooling(model):
    """MyCNN's two convolutions with no pooling between them: conv2 on conv1's 28 x 28 output (the same weights)."""
    return [('conv1', model.conv1, lambda x: F.relu(model.conv1(x))),
            ('conv2', model.conv2, lambda x: F.relu(model.conv2(x)))]


def receptive_fields(layers, input_size=28):
    """The receptive field (in input pixels, along one side) of a unit after each layer: {name: size}.

    A kernel of size k at a layer whose units are `jump` input pixels apart sees (k - 1) x jump more pixels;
    the stride multiplies the jump. A fully connected layer sees every input pixel.
    """
    size, jump, fields = 1, 1, {}
    for name, layer, _ in layers:
        if isinstance(layer, nn.Linear):
            size = input_size
        else:
            kernel_size, stride = layer.kernel_size, layer.stride
            kernel_size = kernel_size[0] if isinstance(kernel_size, tuple) else kernel_size
            stride = stride[0] if isinstance(stride, tuple) else stride
            size, jump = size + (kernel_size - 1) * jump, jump * stride
        fields[name] = size
    return fields


def gradient_fields(layers, n_inputs=N_INPUTS, input_size=28):
    """The input pixels with a non-zero gradient of the unit at the center of each layer's output (all channels).

    Joined over `n_inputs` random inputs: for one input, a ReLU that is off or a max that another pixel wins
    passes no gradient, so one input shows part of the field. Returns {name: boolean input_size x input_size mask}.
    """
    masks = {}
    for n_layers, (name, _, _) in enumerate(layers, start=1):
        x = torch.rand(n_inputs, 1, input_size, input_size, requires_grad=True)  # A batch: the samples stay apart
        y = x
        for _, _, function in layers[:n_layers]:
            y = function(y)
        unit = y.sum() if y.ndim == 2 else y[:, :, (y.shape[2] - 1) // 2, (y.shape[3] - 1) // 2].sum()
        gradient, = torch.autograd.grad(unit, x)
        mask = (gradient[:, 0] != 0).any(dim=0)  # Joined over the inputs
        masks[name] = mask
    return masks


def bounding_box(mask):
    """(top, left, height, width) of the True pixels of a 2-D mask."""
    rows, cols = torch.nonzero(mask, as_tuple=True)
    return rows.min().item(), cols.min().item(), (rows.max() - rows.min()).item() + 1, \
        (cols.max() - cols.min()).item() + 1


COLORS = {'conv1': 'red', 'pool1': 'orange', 'conv2': 'yellow', 'pool2': 'lime', 'fc3': 'cyan'}  # One per layer


def draw_layers(image, rows):
    """One row per (title, outputs, masks): the digit with the receptive field of each layer's center unit, then the
    digit after each layer (the channel that varies most), each layer in the column of its name in the first row."""
    names = list(rows[0][1])  # A column per layer of the first row; a layer of another row goes in its column
    n_columns = 1 + len(names)
    fig, axes = plt.subplots(len(rows), n_columns, figsize=(2.6 * n_columns, 3.6 * len(rows)), squeeze=False)
    for row_axes, (title, outputs, masks) in zip(axes, rows):
        row_axes[0].imshow(image, cmap='gray')
        for name, mask in masks.items():
            top, left, height, width = bounding_box(mask)
            row_axes[0].add_patch(plt.Rectangle((left - 0.5, top - 0.5), width, height, fill=False, ec=COLORS[name],
                                                lw=1.5, label=f'{name}: {height} x {width}'))
        row_axes[0].legend(fontsize=8, loc='upper center', bbox_to_anchor=(0.5, 0), ncol=2)
        row_axes[0].set_title(f'{title}:\nreceptive fields', fontsize=10)
        for name, output in outputs.items():
            ax = row_axes[1 + names.index(name)]
            channel = output[0].flatten(1).std(1).argmax()  # The channel that varies most over the digit
            ax.imshow(output[0, channel], cmap='gray')
            ax.set_title(f'{name}: {tuple(output.shape[1:])}\n(channel {channel.item()})', fontsize=10)
        for ax in row_axes:
            ax.axis('off')
    fig.tight_layout()
    return fig


# %% Steps
if __name__ == '__main__':
    parser = make_parser('pooling', __doc__, seed=RANDOM_SEED, out_dir=True)
    parser.add_argument('--model', help='weights of a trained MyCNN to draw with, e.g. results/cnn_mnist/cnn_mnist.pt '
                                        'written by cnn_mnist.py (default: random weights)')
    args = parser.parse_args()
    set_seed(args.seed)
    model = MyCNN()  # Random weights, or those of a trained MyCNN (read first: a wrong file ends here, in one line)
    if args.model:
        with common.checkpoint_errors(args.model, trained_by='04_cnn_mnist/cnn_mnist.py'):
            model.load_state_dict(torch.load(args.model, map_location='cpu', weights_only=True))

    # 1. Max pooling by hand against F.max_pool2d
    x = torch.tensor(X_SLIDE, dtype=torch.float64)
    by_hand, pytorch = max_pool(X_SLIDE, 2), F.max_pool2d(x[None, None], 2)[0, 0]
    print(f'by hand {by_hand}  F.max_pool2d {pytorch.tolist()}  '
          f'largest difference {(torch.tensor(by_hand, dtype=torch.float64) - pytorch).abs().max().item()}')
    # by hand [[6, 8], [3, 4]]  F.max_pool2d [[6.0, 8.0], [3.0, 4.0]]  largest difference 0.0
    print('nn.MaxPool2d(2).stride:', nn.MaxPool2d(2).stride)  # 2 (stride = kernel_size when not given)
    print('nn.MaxPool2d(2, stride=1).stride:', nn.MaxPool2d(2, stride=1).stride)  # 1
    by_hand, pytorch = max_pool(X_SLIDE, 2, stride=1), F.max_pool2d(x[None, None], 2, stride=1)[0, 0]
    print(f'stride 1: by hand {by_hand}  F.max_pool2d {pytorch.tolist()}  '
          f'largest difference {(torch.tensor(by_hand, dtype=torch.float64) - pytorch).abs().max().item()}')
    # stride 1: by hand [[6, 7, 8], [6, 7, 8], [3, 3, 4]]  F.max_pool2d [[6.0, 7.0, 8.0], ...]  largest difference 0.0

    # 2. The receptive field of MyCNN's units after each layer, by the rule and by the gradient
    model.eval()  # No dropout: the same function for every input
    model.requires_grad_(False)  # Gradients for the input only
    layers = layers_of(model)
    fields = receptive_fields(layers)
    masks = gradient_fields(layers)
    print("Receptive fields of MyCNN's units, with pooling (in input pixels):")
    for name, size in fields.items():
        top, left, height, width = bounding_box(masks[name])
        print(f'{name}: by the rule {size} x {size}  by the gradient {height} x {width} '
              f'({masks[name].sum().item()} pixels, from row {top}, column {left})')
    # conv1: 3 x 3, pool1: 4 x 4, conv2: 8 x 8, pool2: 10 x 10, fc3: 28 x 28 (each fc3 unit sees every pixel)

    # 3. The same two convolutions without pooling: conv2's units see fewer pixels
    print('Without pooling (conv2 on conv1\'s 28 x 28 output):')
    plain_layers = layers_without_pooling(model)
    plain_fields = receptive_fields(plain_layers)
    plain_masks = gradient_fields(plain_layers)
    for name, size in plain_fields.items():
        top, left, height, width = bounding_box(plain_masks[name])
        print(f'  {name}: by the rule {size} x {size}  by the gradient {height} x {width} '
              f'({plain_masks[name].sum().item()} pixels, from row {top}, column {left})')
    # conv1: 3 x 3, conv2: 5 x 5
    print(f"conv2's receptive field: without pooling {plain_fields['conv2']} x {plain_fields['conv2']}, with pool1 "
          f"{fields['conv2']} x {fields['conv2']} (the same two 3 x 3 kernels)")  # ... 5 x 5, with pool1 8 x 8

    # 4. A digit after each layer, with pooling and without
    image = prepare_image(TEST_IMAGE)  # 1 x 28 x 28, white ink on black, as in MNIST
    rows = []
    for title, row_layers, row_masks in (('With pooling (MyCNN)', layers[:-1], masks),
                                         ('Without pooling', plain_layers, plain_masks)):
        outputs, y = {}, image[None]
        with torch.no_grad():  # Only the values
            for name, _, function in row_layers:  # The convolutional part: images with channels
                y = function(y)
                outputs[name] = y
        rows.append((title, outputs, row_masks))
    fig = draw_layers(image[0], rows)
    save_figure(fig, args.out_dir, 'pooling_layers')
