"""Dropout and DropConnect: units (or weights) dropped at random in training, by hand beside nn.Dropout.

Slide "Dropout" (dropping hidden units at random during training; Standard, Dropout and DropConnect). In
training, nn.Dropout(p) zeroes each unit with probability p and multiplies the others by 1 / (1 - p) (inverted
dropout), so the mean over many draws is the input itself; in evaluation it returns its input unchanged. The mask
is drawn here by hand, a uniform number u per unit kept where u < 1 - p, from the same seed as nn.Dropout's: on the
CPU it is nn.Dropout's own mask (the script counts the units where the two differ).
DropConnect (not in PyTorch) drops weights instead of units: each output unit sees its own subset of inputs. Its
inference rule (Wan et al. 2013) is not dropout's scaling: each unit's sum is taken as Gaussian and the activation
averaged over it; for a ReLU after DropConnect the script compares both with the mean over many masks.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import math

import matplotlib.pyplot as plt
import torch
import torch.nn as nn

from common import fraction, save_figure, set_seed

# %% Settings
P = 0.5                  # The dropout rate: the probability that a unit (or weight) is dropped (MyCNN uses 0.2)
N_UNITS = 100_000        # Units of one draw, to count the dropped ones
N_DRAWS = 100_000        # Draws of a few units, to see their mean
RANDOM_SEED = 777
LAYER_SIZES = [4, 5, 3]  # The small network drawn as on the slide: input, hidden and output units


# %% Dropout and DropConnect by hand
def dropout(x, mask, p):
    """Inverted dropout: x_i * m_i / (1 - p), where m_i is 0 (dropped, with probability p) or 1."""
    return x * mask / (1 - p)


def mask_by_hand(shape, p, seed):
    """The units kept: a uniform number u in [0, 1) per unit, from the default generator seeded with `seed`, kept
    (1) where u < 1 - p, else dropped (0). On the CPU this is how nn.Dropout draws its mask."""
    torch.manual_seed(seed)
    return (torch.rand(shape, dtype=torch.float64) < 1 - p).double()


def relu_of_gaussian(mean, std):
    """E[ReLU(u)] for u ~ N(mean, std^2): mean Phi(mean / std) + std phi(mean / std) (DropConnect's inference,
    Wan et al. 2013, averages the activation over this Gaussian; the paper samples it, this is its exact value)."""
    z = mean / std
    return mean * 0.5 * (1 + torch.erf(z / math.sqrt(2))) + std * torch.exp(-z ** 2 / 2) / math.sqrt(2 * math.pi)


def drop_connect(x, weight, bias, weight_mask, p):
    """DropConnect: y_j = sum_i (W_ji * M_ji / (1 - p)) x_i + b_j, where each weight has its own mask M_ji."""
    return (weight * weight_mask / (1 - p)) @ x + bias


def largest_difference(a, b):
    return (a - b).abs().max().item()


def rounded(tensor, digits=6):
    """A tensor's values as a list of numbers rounded to `digits` digits, to print."""
    return [round(value, digits) for value in tensor.tolist()]


def draw_network(ax, title, sizes, unit_masks=None, weight_masks=None):
    """Units as circles and weights as lines; dropped units are crossed out and dropped weights not drawn."""
    position = {(layer, i): (2 * layer, (size - 1) / 2 - i) for layer, size in enumerate(sizes) for i in range(size)}
    for layer in range(len(sizes) - 1):
        for i in range(sizes[layer]):
            for j in range(sizes[layer + 1]):
                kept = unit_masks is None or (unit_masks[layer][i] and (layer + 1 == len(sizes) - 1
                                                                        or unit_masks[layer + 1][j]))
                if weight_masks is not None:
                    kept = bool(weight_masks[layer][j, i])
                if kept:
                    (x0, y0), (x1, y1) = position[layer, i], position[layer + 1, j]
                    ax.plot([x0, x1], [y0, y1], 'k-', lw=0.8, zorder=1)
    for (layer, i), (x, y) in position.items():
        dropped = unit_masks is not None and layer < len(unit_masks) and not unit_masks[layer][i]
        ax.add_patch(plt.Circle((x, y), 0.16, fc='0.85' if dropped else 'lightblue', ec='k', zorder=2))
        if dropped:
            ax.plot([x - 0.12, x + 0.12], [y - 0.12, y + 0.12], 'r-', [x - 0.12, x + 0.12], [y + 0.12, y - 0.12],
                    'r-', lw=2, zorder=3)
    ax.set_title(title)
    ax.set_xlim(-0.4, 2 * len(sizes) - 1.6)
    ax.set_ylim(-max(sizes) / 2, max(sizes) / 2)
    ax.set_aspect('equal')
    ax.axis('off')


# %% Steps
if __name__ == '__main__':
    parser = common.make_parser('dropout', __doc__, seed=RANDOM_SEED, out_dir=True)
    parser.add_argument('--p', type=fraction, default=P, help='dropout rate: the probability of dropping a unit')
    args = parser.parse_args()
    p = args.p
    set_seed(args.seed)

    # 1. nn.Dropout in training: about p of the units are zero, the others are scaled by 1 / (1 - p)
    layer = nn.Dropout(p)
    layer.train()  # Training mode: units are dropped
    x = torch.rand(N_UNITS, dtype=torch.float64) + 0.5  # No zeros of its own: a zero output is a dropped unit
    torch.manual_seed(args.seed + 1)  # The seed of nn.Dropout's mask
    y = layer(x)
    mask = mask_by_hand(N_UNITS, p, seed=args.seed + 1)  # Our own mask, drawn by hand from the same seed
    print(f'Dropped by nn.Dropout: {(y == 0).double().mean().item():.3f} of {N_UNITS} units, by hand '
          f'{1 - mask.mean().item():.3f} (p = {p})')  # Dropped by nn.Dropout: 0.50. of 100000 units, by hand 0.50.
    print(f'Masks: by hand (u < 1 - p) against nn.Dropout\'s zeros: {int((mask != (y != 0)).sum())} of {N_UNITS} '
          'units differ')  # ... 0 of 100000 units differ: on the CPU the same draw
    print(f'Kept units scaled by {(y[y != 0] / x[y != 0]).mean().item():.6f} = 1 / (1 - p) = {1 / (1 - p):.6f}')
    print(f'by hand {rounded(dropout(x, mask, p)[:4])}  nn.Dropout {rounded(y[:4])}  '
          f'largest difference {largest_difference(dropout(x, mask, p), y)}')  # ... largest difference 0.0

    # 2. The mean over many draws keeps each unit's value (the 1 / (1 - p) is why)
    x = torch.tensor([0.2, 0.5, 1.0, 2.0], dtype=torch.float64)
    draws = layer(x.expand(N_DRAWS, -1))  # Each row is one draw
    own_mask = mask_by_hand((N_DRAWS, len(x)), p, seed=args.seed + 2)  # Our own draws of the mask
    print('x                           ', x.tolist())
    print('mean of nn.Dropout(x)       ', rounded(draws.mean(0), 3))  # about x
    print('mean of dropout(x) by hand  ', rounded(dropout(x, own_mask, p).mean(0), 3))
    print('mean without the 1 / (1 - p)', rounded((x * own_mask).mean(0), 3))  # (1-p) x
    print(f'largest difference of the mean from x: nn.Dropout {largest_difference(draws.mean(0), x):.3f}, '
          f'by hand {largest_difference(dropout(x, own_mask, p).mean(0), x):.3f}')  # both about 0.01

    # 3. nn.Dropout in evaluation: the input unchanged
    layer.eval()  # Evaluation mode: every unit, no scaling
    print(f'eval: x {x.tolist()}  nn.Dropout {layer(x).tolist()}  largest difference {largest_difference(layer(x), x)}')

    # 4. DropConnect by hand: weights dropped, not units
    linear = nn.Linear(4, 3).double()
    weight, bias = linear.weight.detach(), linear.bias.detach()
    weight_masks = (torch.rand(N_DRAWS, 3, 4, dtype=torch.float64) >= p).double()
    outputs = drop_connect(x[:, None], weight, bias[:, None], weight_masks, p)[..., 0]  # One output per draw
    with torch.no_grad():
        expected = linear(x)
    print(f'DropConnect: mean of {N_DRAWS} draws {rounded(outputs.mean(0))}')
    print(f'             nn.Linear             {rounded(expected)}  '
          f'largest difference {largest_difference(outputs.mean(0), expected):.3f}')  # about 0.01
    # At inference, the mean is right for the sum itself, not for an activation after it: Wan et al. 2013 take each
    # unit's sum as Gaussian (the mean W x + b, the variance p / (1 - p) sum_i W_ji^2 x_i^2 of the masks) and average
    # the activation over it, where dropout's inference just uses the mean (the 1/(1-p) of training)
    true_mean = outputs.clamp(min=0).mean(0)  # E[ReLU(y)] over the 100,000 masks
    std = (p / (1 - p) * (weight ** 2) @ (x ** 2)).sqrt()
    gaussian = relu_of_gaussian(expected, std)
    print(f'ReLU after DropConnect: mean of {N_DRAWS} draws {rounded(true_mean, 4)}')
    print(f'  the scaling rule, ReLU(W x + b)          {rounded(expected.clamp(min=0), 4)}  '
          f'largest difference {largest_difference(expected.clamp(min=0), true_mean):.3f}')
    print(f'  DropConnect\'s Gaussian rule (Wan et al.) {rounded(gaussian, 4)}  '
          f'largest difference {largest_difference(gaussian, true_mean):.3f}')  # Nearer than the scaling rule
    # Dropout of the inputs is DropConnect with a whole column of weights dropped per input (nn.Dropout's own mask
    # here: what is checked is that the two layers compute the same, not the mask)
    layer.train()
    dropped = layer(x)
    by_hand = drop_connect(x, weight, bias, (dropped != 0).double().expand(3, 4), p)
    with torch.no_grad():
        pytorch = linear(dropped)
    print(f"DropConnect, the columns of nn.Dropout's dropped inputs: by hand {rounded(by_hand)}")
    print(f'nn.Linear(nn.Dropout(x))                                 {rounded(pytorch)}  '
          f'largest difference {largest_difference(by_hand, pytorch):.1e}')  # about 1e-16

    # 5. The slide's figure: Standard, Dropout and DropConnect, on one draw of the masks
    unit_masks = [(torch.rand(size) >= p).tolist() for size in LAYER_SIZES[:-1]]  # Output units are never dropped
    connect_masks = [torch.rand(LAYER_SIZES[k + 1], LAYER_SIZES[k]) >= p for k in range(len(LAYER_SIZES) - 1)]
    fig, axes = plt.subplots(1, 3, figsize=(11, 4))
    draw_network(axes[0], 'Standard', LAYER_SIZES)
    draw_network(axes[1], f'Dropout (p = {p})', LAYER_SIZES, unit_masks=unit_masks)
    draw_network(axes[2], f'DropConnect (p = {p})', LAYER_SIZES, weight_masks=connect_masks)
    notes = ['', 'Inference: every unit, no mask\n(PyTorch scales by 1/(1-p) in training)',
             "Inference (Wan et al. 2013): each unit's sum as\na Gaussian, the activation averaged over it;\n"
             'not the 1/(1-p) scaling of dropout']
    for ax, note in zip(axes, notes):
        ax.text(0.5, -0.02, note, transform=ax.transAxes, ha='center', va='top', fontsize=9)
    fig.tight_layout()
    save_figure(fig, args.out_dir, 'dropout')
