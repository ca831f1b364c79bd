"""Convolution in 1D and 2D and the weights of a convolutional layer: the slides' sums beside F.conv1d and F.conv2d.

Slides "Convolution" (1D and 2D discrete convolution) and "Convolutional Layer" (weight sharing, local
connectivity, channels). The slide's sum (f * g)(k) = sum_i f(i) g(k - i) flips the kernel; PyTorch's
"convolution" (F.conv1d, nn.Conv2d) does not: it computes the cross-correlation sum_i f(k + i) g(i). The two
agree on the slide's symmetric kernel (2, 2, 2) and differ on an asymmetric one. Then kernel_size, padding,
stride and dilation element by element, a horizontal and a vertical Sobel filter on a digit, and the slide's
weight counts against numel() of nn.Linear, nn.Conv1d and nn.Conv2d. The output size: conv_output_size.py.
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

from common import REPO_ROOT, make_parser, save_figure

common.add_to_path('04_cnn_mnist/concepts', '04_cnn_mnist/helpers')  # This section's modules, from any folder
from conv_output_size import conv_output_size  # The slide's output-size formula
from mnist_image import prepare_image  # The photo of a 3 as a 28 x 28 MNIST digit

# %% The slides' numbers
F_SLIDE = [1, 2, 3, 4, 5, 6, 7]      # The slide's input vector f (size 7)
G_SLIDE = [2, 2, 2]                  # The slide's kernel g: symmetric, so flipping it changes nothing
G_ASYMMETRIC = [1, 2, 3]             # A kernel that shows the flip
SETTINGS = [                         # The slide's four examples of kernel_size, padding, stride and dilation
    {'padding': 0, 'stride': 1, 'dilation': 1},
    {'padding': 1, 'stride': 1, 'dilation': 1},
    {'padding': 0, 'stride': 3, 'dilation': 1},
    {'padding': 0, 'stride': 1, 'dilation': 2},
]
SOBEL_HORIZONTAL = [[-1, -2, -1],    # Horizontal edges: the change from top to bottom (some books call this the
                    [0, 0, 0],       # vertical derivative and name the filter after it)
                    [1, 2, 1]]
SOBEL_VERTICAL = [[-1, 0, 1],        # Vertical edges: the change from left to right
                  [-2, 0, 2],
                  [-1, 0, 1]]
TEST_IMAGE = REPO_ROOT / 'data' / 'cnn_mnist_test.png'  # A handwritten-looking 3 (helpers/make_test_digit.py)


# %% The slide's sum, and what PyTorch computes
def convolve(f, g):
    """The slide's (f * g)(k) = sum_i f(i) g(k - i), where the kernel g lies fully inside f (k = K-1 ... N-1)."""
    n_f, n_g = len(f), len(g)
    return [sum(f[i] * g[k - i] for i in range(n_f) if 0 <= k - i < n_g) for k in range(n_g - 1, n_f)]


def cross_correlate(f, g, padding=0, stride=1, dilation=1):
    """What F.conv1d computes: out(k) = sum_i f(k * stride + i * dilation) g(i), on f padded with zeros.

    Returns the outputs and, for each, its sum written out ('1x2 + 2x2 + 3x2') as on the slide.
    """
    f = [0] * padding + list(f) + [0] * padding
    span = dilation * (len(g) - 1) + 1  # The input elements one output looks at, from first to last
    outputs, sums = [], []
    for start in range(0, len(f) - span + 1, stride):
        terms = [(f[start + i * dilation], g[i]) for i in range(len(g))]
        outputs.append(sum(a * b for a, b in terms))
        sums.append(' + '.join(f'{a}x{b}' for a, b in terms))
    return outputs, sums


def cross_correlate_2d(image, kernel):
    """What F.conv2d computes (no padding, stride 1): out(r, c) = sum_i sum_j image(r + i, c + j) kernel(i, j)."""
    height, width = len(image) - len(kernel) + 1, len(image[0]) - len(kernel[0]) + 1
    return [[sum(image[r + i][c + j] * kernel[i][j] for i in range(len(kernel)) for j in range(len(kernel[0])))
             for c in range(width)] for r in range(height)]


def conv1d(f, g, **setting):
    """F.conv1d on plain lists (float64): one sample, one channel in and out."""
    x, w = torch.tensor(f, dtype=torch.float64), torch.tensor(g, dtype=torch.float64)
    return F.conv1d(x.view(1, 1, -1), w.view(1, 1, -1), **setting).view(-1).tolist()


def largest_difference(a, b):
    return (torch.as_tensor(a, dtype=torch.float64) - torch.as_tensor(b, dtype=torch.float64)).abs().max().item()


def draw_settings(f, g, settings):
    """The slide's figure of the four settings: the (padded) input on top, each output below, and its lines."""
    fig, axes = plt.subplots(len(settings), 1, figsize=(7, 1.6 * len(settings)))
    for ax, setting in zip(axes, settings):
        padded = [0] * setting['padding'] + list(f) + [0] * setting['padding']
        outputs, _ = cross_correlate(f, g, **setting)
        offset = (len(padded) - len(outputs)) / 2  # Outputs centered below the input
        for x, value in enumerate(padded):
            is_padding = not setting['padding'] <= x < setting['padding'] + len(f)
            ax.add_patch(plt.Rectangle((x - 0.4, 0.6), 0.8, 0.8, fc='0.9' if is_padding else 'lightblue', ec='k'))
            ax.text(x, 1.0, value, ha='center', va='center')
        for t, value in enumerate(outputs):
            ax.add_patch(plt.Rectangle((offset + t - 0.4, -1.4), 0.8, 0.8, fc='moccasin', ec='k'))
            ax.text(offset + t, -1.0, value, ha='center', va='center')
            for i in range(len(g)):
                ax.plot([offset + t, t * setting['stride'] + i * setting['dilation']], [-0.6, 0.6], 'k-', lw=0.6)
        ax.set_title(f"kernel_size = {len(g)}, " + ', '.join(f'{key} = {value}' for key, value in setting.items()),
                     fontsize=10)
        ax.set_xlim(-1, len(f) + 2 * max(s['padding'] for s in settings))
        ax.set_ylim(-1.6, 1.6)
        ax.set_aspect('equal')
        ax.axis('off')
    fig.suptitle(f'1D convolution of f = {list(f)} with g = {list(g)} (gray: padding)')
    fig.tight_layout()
    return fig


def draw_sobel(image, maps):
    """The digit and its feature maps, as the slide shows a horizontal Sobel filter's."""
    fig, axes = plt.subplots(1, 1 + len(maps), figsize=(3.2 * (1 + len(maps)), 3.4))
    axes[0].imshow(image, cmap='gray')
    axes[0].set_title('Input (28 x 28)')
    for ax, (name, feature_map) in zip(axes[1:], maps.items()):
        limit = feature_map.abs().max().item()
        shown = ax.imshow(feature_map, cmap='bwr', vmin=-limit, vmax=limit)
        ax.set_title(f'{name} (26 x 26)')
        fig.colorbar(shown, ax=ax, fraction=0.046)
    for ax in axes:
        ax.axis('off')
    fig.suptitle('Feature maps of Sobel filters (F.conv2d; red: positive, blue: negative)')
    fig.tight_layout()
    return fig


# %% Steps
if __name__ == '__main__':
    args = make_parser('convolution', __doc__, out_dir=True).parse_args()

    # 1. The slide's sum against F.conv1d: the same on the slide's symmetric kernel ...
    by_hand, pytorch = convolve(F_SLIDE, G_SLIDE), conv1d(F_SLIDE, G_SLIDE)
    print(f'f = {F_SLIDE}, g = {G_SLIDE}')
    print(f'by hand {by_hand}  F.conv1d {pytorch}  largest difference {largest_difference(by_hand, pytorch)}')
    # by hand [12, 18, 24, 30, 36]  F.conv1d [12.0, 18.0, 24.0, 30.0, 36.0]  largest difference 0.0

    # ... but not on an asymmetric one: PyTorch's "convolution" is a cross-correlation (the kernel is not flipped)
    by_hand, pytorch = convolve(F_SLIDE, G_ASYMMETRIC), conv1d(F_SLIDE, G_ASYMMETRIC)
    flipped = conv1d(F_SLIDE, G_ASYMMETRIC[::-1])
    print(f'g = {G_ASYMMETRIC}: by hand {by_hand}  F.conv1d {pytorch}')  # ... [10, 16, 22, 28, 34] ... [14.0, ...]
    print(f'g flipped {G_ASYMMETRIC[::-1]}: by hand {by_hand}  F.conv1d {flipped}  '
          f'largest difference {largest_difference(by_hand, flipped)}')  # ... largest difference 0.0

    # 2. The slide's four settings, element by element (kernel_size 3, kernel g = 2 2 2)
    for setting in SETTINGS:
        outputs, sums = cross_correlate(F_SLIDE, G_SLIDE, **setting)
        pytorch = conv1d(F_SLIDE, G_SLIDE, **setting)
        size = conv_output_size(len(F_SLIDE), len(G_SLIDE), **setting)  # The slide's formula
        print(f'kernel_size = {len(G_SLIDE)}, ' + ', '.join(f'{key} = {value}' for key, value in setting.items())
              + f': output_size {size} (formula), {len(pytorch)} (F.conv1d)')
        for text, value in zip(sums, outputs):
            print(f'  {text} = {value}')
        print(f'  by hand {outputs}  F.conv1d {pytorch}  largest difference {largest_difference(outputs, pytorch)}')
    # padding 0: 1x2 + 2x2 + 3x2 = 12 (the slide's first sum); padding 1: 0x2 + 1x2 + 2x2 = 6 (the slide's);
    # stride 3: 12 and 30 (output_size 2); dilation 2: 1x2 + 3x2 + 5x2 = 18, 24, 30 (output_size 3)
    fig = draw_settings(F_SLIDE, G_SLIDE, SETTINGS)
    save_figure(fig, args.out_dir, 'convolution_1d')

    # 3. 2D: horizontal and vertical Sobel filters on a digit, by hand and by F.conv2d (float64)
    image = prepare_image(TEST_IMAGE)[0].double()  # 28 x 28, white ink on black, as in MNIST
    kernels = {'Horizontal Sobel': SOBEL_HORIZONTAL, 'Vertical Sobel': SOBEL_VERTICAL}
    maps = {}
    for name, kernel in kernels.items():
        by_hand = torch.tensor(cross_correlate_2d(image.tolist(), kernel), dtype=torch.float64)
        maps[name] = F.conv2d(image[None, None], torch.tensor(kernel, dtype=torch.float64)[None, None])[0, 0]
        print(f'{name}: by hand {by_hand.abs().sum().item():.6f}  F.conv2d {maps[name].abs().sum().item():.6f} '
              f'(sum of |feature map|)  largest difference {largest_difference(by_hand, maps[name]):.1e}')
    # The slide's sum flips the kernel in both directions: a Sobel kernel flipped is the same kernel negated,
    # so the convolution's feature map is F.conv2d's with its sign changed
    flipped = F.conv2d(image[None, None], torch.tensor(SOBEL_HORIZONTAL, dtype=torch.float64).flip(0, 1)[None, None])
    print(f'Horizontal Sobel flipped = -F.conv2d: largest difference '
          f'{largest_difference(flipped[0, 0], -maps["Horizontal Sobel"])}')  # ... 0.0
    fig = draw_sobel(image, maps)
    save_figure(fig, args.out_dir, 'convolution_sobel')

    # 4. Convolutional Layer: weight sharing and local connectivity (the weights without bias)
    print('input_size 6, output_size 4:')
    print('  FC layer  ', nn.Linear(6, 4).weight.numel())               # 24
    print('  conv layer', nn.Conv1d(1, 1, kernel_size=3).weight.numel())  # 3
    print('in_channel_size 1, out_channel_size 2, kernel_size 3:')
    print('  3 x 2 =', 3 * 2, ' nn.Conv1d:', nn.Conv1d(1, 2, kernel_size=3).weight.numel())  # 3 x 2 = 6  nn.Conv1d: 6
    print('  The FC layer of the left example: 6 x 8 =', 6 * 8, ' nn.Linear:',
          nn.Linear(6, 4 * 2).weight.numel())                                  # 6 x 8 = 48  nn.Linear: 48
    m, n = 4, 5  # in_channel_size m, out_channel_size n, kernel_size 3
    # The slide: 3 x 3 x m x n, which counts a 2-D kernel (3 x 3); its figure's 1-D kernel has 3 x m x n
    print(f'in_channel_size m = {m}, out_channel_size n = {n}, kernel_size 3:')
    print('  3 x 3 x m x n =', 3 * 3 * m * n, ' nn.Conv2d:', nn.Conv2d(m, n, kernel_size=3).weight.numel())  # 180 180
    print('  3 x m x n     =', 3 * m * n, ' nn.Conv1d:', nn.Conv1d(m, n, kernel_size=3).weight.numel())      # 60  60
    # The number of weights does not depend on the input size: the same 3 weights on 6 or 600 inputs
    conv = nn.Conv1d(1, 1, kernel_size=3)
    print('The same conv layer on 6 and 600 inputs:', conv(torch.zeros(1, 1, 6)).shape[-1],
          conv(torch.zeros(1, 1, 600)).shape[-1], 'outputs,', conv.weight.numel(), 'weights')  # 4 598 outputs, 3 ...
