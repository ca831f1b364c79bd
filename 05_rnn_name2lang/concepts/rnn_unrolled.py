"""A recurrent unit unrolled by a Python loop, the same weights at every step, against nn.RNN.

Slides "Recurrent Neural Network (RNN)" (a NN with a loop, "All As have the same weight"; multi-layer RNNs;
various lengths of input and output vectors). The unit A reads a name letter by letter (the lesson's one-hot
letters) and computes, with the same W_ih, W_hh, b_ih, b_hh at every step t,

    h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh),    h_0 = 0

The loop is checked against nn.RNN (float64); then num_layers=2 against two stacked RNNs, many-to-one
(`output[-1]`, as Name2Lang) and many-to-many, and a batch of names of different lengths, padded and packed.
The figure draws the loop unrolled over the name, with each h_t's values. In a notebook, `h_by_hand` stays.
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
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

from common import make_parser, save_figure, set_seed

common.add_to_path('05_rnn_name2lang')  # The lesson script one folder up, from any folder (VS Code, Colab)
from rnn_name2lang import LETTER_DICT, MyRNN, text2onehot

# %% Define the example (the slides' names; a small hidden state, to read its numbers)
NAME = 'Choi'
BATCH_NAMES = ['Choi', 'Jane', 'Daniel', 'Chow', 'Tanaka']  # The slides' examples: 4 to 6 letters
HIDDEN_SIZE = 8
N_LANGUAGES = 18
RANDOM_SEED = 777


# %% The slide's unit A as a loop: the same weights at every step
def onehot(name):
    """The lesson's one-hot letters of `name` as a float64 L x 57 tensor (text2onehot gives L x 1 x 57)."""
    unknown = sorted(set(name) - set(LETTER_DICT))
    if unknown:  # text2onehot would mark such a letter as the last of the 57, "'" (onehot_letters.py shows it)
        raise common.UserError(f'{name!r} has letters outside the 57 of the lesson: {unknown}')
    return text2onehot(name).squeeze(1).double()


def rnn_by_hand(xs, W_ih, W_hh, b_ih, b_hh, h_0=None):
    """h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) for each x_t of `xs` (L x D); returns h_1 ... h_L (L x H)."""
    h_t = torch.zeros(W_hh.shape[0], dtype=xs.dtype) if h_0 is None else h_0
    hs = []
    for x_t in xs:  # One step per letter, the same A (W_ih, W_hh, b_ih, b_hh) every time
        h_t = torch.tanh(W_ih @ x_t + b_ih + W_hh @ h_t + b_hh)
        hs.append(h_t)
    return torch.stack(hs)


def layer_weights(rnn, layer=0):
    """W_ih, W_hh, b_ih, b_hh of one layer of an nn.RNN (its parameters `weight_ih_l0`, ...)."""
    return [getattr(rnn, f'{name}_l{layer}').detach() for name in ('weight_ih', 'weight_hh', 'bias_ih', 'bias_hh')]


def two_layers_by_hand(xs, rnn):
    """A 2-layer RNN by hand: the second layer's loop reads the first layer's h_t as its x_t."""
    h_layer1 = rnn_by_hand(xs, *layer_weights(rnn, 0))
    return rnn_by_hand(h_layer1, *layer_weights(rnn, 1))


def compare(label, by_hand, module_name, by_module, hand_name='by hand'):
    """Print a by-hand result beside PyTorch's where they differ most, with the largest difference; return it."""
    differences = (by_hand - by_module).abs().flatten()
    i = differences.argmax().item()  # Where they differ most
    print(f'{label}: {hand_name} {by_hand.flatten()[i]:.6f}  {module_name} {by_module.flatten()[i]:.6f}  '
          f'largest difference {differences[i]:.0e}')
    return differences[i].item()


def plot_unrolled(name, hs):
    """The slide's figure with numbers: the unit A unrolled over the letters of `name`, each h_t as a column of
    colored cells (one per hidden unit), the arrow h_{t-1} -> A carrying the state to the next step."""
    length, hidden_size = hs.shape
    fig, ax = plt.subplots(figsize=(min(1.7 * length + 1.5, 18), 4.2))  # At most 18 inches wide: long names squeeze
    cell = 1.6 / hidden_size  # The height of one hidden unit's cell
    for t in range(length):
        ax.add_patch(plt.Rectangle((2 * t - 0.4, 0.6), 0.8, 0.8, facecolor='#9ecae1', edgecolor='black'))
        ax.text(2 * t, 1.0, 'A', ha='center', va='center', fontsize=16)
        ax.text(2 * t, -0.2, f"'{name[t]}'", ha='center', va='center', fontsize=12)
        ax.annotate('', xy=(2 * t, 0.6), xytext=(2 * t, 0.0), arrowprops={'arrowstyle': '->'})
        ax.annotate('', xy=(2 * t, 2.0), xytext=(2 * t, 1.4), arrowprops={'arrowstyle': '->'})
        image = ax.imshow(hs[t].reshape(-1, 1).numpy(), cmap='coolwarm', vmin=-1, vmax=1,
                          extent=(2 * t - 0.2, 2 * t + 0.2, 2.0 + hidden_size * cell, 2.0))
        ax.text(2 * t, 2.1 + hidden_size * cell, f'h_{t + 1}', ha='center', va='bottom', fontsize=10)
        if t + 1 < length:
            ax.annotate('', xy=(2 * t + 1.6, 1.0), xytext=(2 * t + 0.4, 1.0), arrowprops={'arrowstyle': '->'})
    ax.annotate('', xy=(-0.4, 1.0), xytext=(-1.4, 1.0), arrowprops={'arrowstyle': '->'})
    ax.text(-0.9, 1.1, 'h_0 = 0', ha='center', va='bottom', fontsize=9)
    ax.text(-0.9, -0.2, 'x_t:', ha='center', va='center', fontsize=11)
    ax.set_xlim(-1.6, 2 * length - 0.8)
    ax.set_ylim(-0.5, 2.6 + hidden_size * cell)
    ax.axis('off')
    fig.colorbar(image, ax=ax, shrink=0.6, label='h_t (each cell: a hidden unit)')
    ax.set_title(f"The unit A unrolled over '{name}': the same weights at every step (h_t by hand = nn.RNN)")
    return fig


# %% Steps: the loop, two layers, outputs of various lengths, batches of names of different lengths
if __name__ == '__main__':
    parser = make_parser('rnn_unrolled', __doc__, seed=RANDOM_SEED, out_dir=True)
    parser.add_argument('--name', default=NAME, help='the name read letter by letter')
    parser.add_argument('--hidden-size', type=common.positive_int, default=HIDDEN_SIZE, help='hidden units')
    args = parser.parse_args()
    if not args.name:
        raise common.UserError('--name: give a name of at least one letter')
    set_seed(args.seed)
    torch.set_num_threads(1)  # Tiny steps: with two threads each waits for the other (10 times slower when busy)
    xs = onehot(args.name)
    print(f"x: '{args.name}' as {list(xs.shape)}, one one-hot letter of {len(LETTER_DICT)} per step")

    # 1. One unit unrolled by a loop against nn.RNN (h_0 = 0 in both)
    rnn = nn.RNN(len(LETTER_DICT), args.hidden_size).double()
    h_by_hand = rnn_by_hand(xs, *layer_weights(rnn))
    with torch.no_grad():  # Only the values
        output, h_n = rnn(xs)  # An unbatched sequence: L x 57 in, output L x H (every h_t), h_n 1 x H (the last)
    compare('h_t', h_by_hand, 'nn.RNN', output)  # ... largest difference 6e-17
    sizes = {name: list(value.shape) for name, value in rnn.named_parameters()}
    print(f'nn.RNN: {sizes}, {sum(p.numel() for p in rnn.parameters())} numbers for a name of any length')
    # With --hidden-size 8: {'weight_ih_l0': [8, 57], 'weight_hh_l0': [8, 8], ...}, 536 numbers

    # 2. num_layers=2 against the loop twice, and against two stacked nn.RNNs with the same weights
    rnn2 = nn.RNN(len(LETTER_DICT), args.hidden_size, num_layers=2).double()
    lower = nn.RNN(len(LETTER_DICT), args.hidden_size).double()
    upper = nn.RNN(args.hidden_size, args.hidden_size).double()
    lower.load_state_dict({name: value for name, value in rnn2.state_dict().items() if name.endswith('_l0')})
    upper.load_state_dict({name.replace('_l1', '_l0'): value for name, value in rnn2.state_dict().items()
                           if name.endswith('_l1')})
    with torch.no_grad():
        output2, h_n2 = rnn2(xs)            # output2: the second layer's h_t; h_n2: 2 x H, the last h of each layer
        stacked, _ = upper(lower(xs)[0])    # The first RNN's every h_t is the second RNN's input
    compare('2 layers h_t', two_layers_by_hand(xs, rnn2), 'nn.RNN(num_layers=2)', output2)  # ... 8e-17
    compare('2 layers h_t', stacked, 'nn.RNN(num_layers=2)', output2, hand_name='2 stacked nn.RNNs')  # ... 0e+00
    print(f'h_n of 2 layers: {list(h_n2.shape)}')  # [2, 8]: the last h_t of each layer

    # 3. Many-to-one (Name2Lang: one language per name) and many-to-many (one output per letter)
    model = MyRNN(len(LETTER_DICT), N_LANGUAGES, 'rnn', args.hidden_size).double()  # The lesson's model
    W_fc, b_fc = model.fc.weight.detach(), model.fc.bias.detach()
    hs = rnn_by_hand(xs, *layer_weights(model.rnn))
    with torch.no_grad():
        many_to_one = model(xs.unsqueeze(1))[0]          # MyRNN: fc(output[-1]), 18 scores for the whole name
        many_to_many = model.fc(model.rnn(xs)[0])        # fc on every output: 18 scores after each letter
    compare('many-to-one', W_fc @ hs[-1] + b_fc, 'MyRNN', many_to_one)  # ... largest difference 0e+00
    compare('many-to-many', torch.stack([W_fc @ h_t + b_fc for h_t in hs]), 'fc(nn.RNN output)', many_to_many)  # 1e-16
    print(f'many-to-one: {list(many_to_one.shape)}, many-to-many: {list(many_to_many.shape)}')
    # With 'Choi': many-to-one: [18], many-to-many: [4, 18]

    # 4. A batch of names of different lengths: padded with zeros after each name, or packed
    names = BATCH_NAMES
    lengths = torch.tensor([len(name) for name in names])
    padded = pad_sequence([onehot(name) for name in names])  # L_max x N x 57, zeros after the shorter names
    alone = [rnn_by_hand(onehot(name), *layer_weights(rnn))[-1] for name in names]  # Each name's last h, by hand
    alone = torch.stack(alone)
    with torch.no_grad():
        output_padded, _ = rnn(padded)
        _, h_n_packed = rnn(pack_padded_sequence(padded, lengths, enforce_sorted=False))  # Steps only over letters
    print(f'A batch of {names}: padded to {list(padded.shape)}')
    compare('padded output[-1]', alone, 'nn.RNN', output_padded[-1])  # ... largest difference 4e-01: not equal,
    # the shorter names' output[-1] comes after the zero steps of padding, which change h (b_ih + b_hh, W_hh h)
    compare('padded output[length - 1]', alone, 'nn.RNN', output_padded[lengths - 1, torch.arange(len(names))])  # 1e-16
    compare('packed h_n', alone, 'nn.RNN', h_n_packed[0])  # ... 1e-16: packed, each name stops at its last letter
    print('The lesson avoids padding: its mini-batches hold names of one length (batches_of_one_length)')

    # 5. The slide's figure, with the numbers of this run
    fig = plot_unrolled(args.name, h_by_hand)
    save_figure(fig, args.out_dir, 'rnn_unrolled')
