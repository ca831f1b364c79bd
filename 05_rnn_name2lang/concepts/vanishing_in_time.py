"""The vanishing gradient in time: how much the last state of an RNN, an LSTM and a GRU still depends on each input.

Slide "Recurrent Neural Network (RNN)" (the vanishing gradient problem): "I grew up in France ... I speak fluent
French", a vanilla RNN cannot deal with long-term dependency. For sequences of random inputs x_1 ... x_T, the
size of the gradient of the last state h_T with respect to each earlier input x_t, ||dh_T/dx_t|| (the Frobenius
norm of the Jacobian, averaged over the sequences), against the distance T - t. For the vanilla RNN the chain rule
gives it by hand, a product of one factor per step (checked against autograd):

    dh_T/dx_t = D_T W_hh D_{T-1} W_hh ... D_{t+1} W_hh D_t W_ih,    D_k = diag(1 - h_k^2) (tanh's derivative)

Each factor shrinks it (here to about half, step after step): the word "France" 20 steps back barely reaches h_T.
The LSTM's cell state has a path with one factor f_t per step (the forget gate), the GRU's one of z_t (in PyTorch the
share of h_{t-1} kept): at PyTorch's initialization these gates are near 0.5 and the gradient still vanishes, but a
gate that keeps (f_t, z_t near 1, which training can learn; here set by --keep-bias) carries it far. A vanilla RNN
has no such gate. With the bias + 3, the LSTM's curve rises again toward the first inputs (0.12 at 20 steps back,
0.22 at 49): not the distance but the sequence's start. It starts from an empty cell state (c_0 = 0), which fills over
the first steps (mean |c_t| 0.1 at step 1, 1.7 at step 50), so tanh(c_t) in h_t = o_t tanh(c_t) saturates more at
each step, and the first inputs passed the least saturated factors. Started from the cell state the sequence ends
with (c_0 = c_T), the same inputs give a flat curve; started from its h_T with c_0 = 0, the rise stays. The figure
draws the curves on a log scale, the flat one too (dotted). In a notebook, `norms` stays.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import copy

import matplotlib.pyplot as plt
import torch
import torch.nn as nn

from common import make_parser, save_figure, set_seed

# %% Define the sequences and the units
SEQ_LENGTH = 50      # T: "I grew up in France ... I speak fluent French", one step per word
INPUT_SIZE = 8
HIDDEN_SIZE = 32
N_SEQUENCES = 16     # Random sequences, the norms averaged over them
KEEP_BIAS = 3.0      # Added to the bias of the LSTM's forget gate and the GRU's update gate: sigma(3) = 0.95
FRANCE_DISTANCE = 20  # 'France' ... 'French': about 20 words apart
RANDOM_SEED = 777


# %% The gradient of h_T with respect to each x_t: by autograd, and by hand for the vanilla RNN
def jacobians(model, xs, state=None):
    """dh_T/dx_t of an nn.RNN, nn.LSTM or nn.GRU for each sequence of `xs` (T x N x D), by autograd, from the initial
    `state` (default zeros): a T x N x H x D tensor (a backward pass per unit of h_T; the sequences are independent)."""
    xs = xs.clone().requires_grad_(True)
    output, _ = model(xs, state)
    h_T = output[-1]  # N x H, the last state of each sequence
    rows = [torch.autograd.grad(h_T[:, j].sum(), xs, retain_graph=True)[0] for j in range(h_T.shape[1])]
    return torch.stack(rows, dim=2)


def rnn_jacobians_by_hand(rnn, xs):
    """dh_T/dx_t of a 1-layer nn.RNN by the chain rule: dh_T/dh_t = dh_T/dh_{t+1} D_{t+1} W_hh, then
    dh_T/dx_t = dh_T/dh_t D_t W_ih, with D_k = diag(1 - h_k^2); a T x N x H x D tensor."""
    W_ih, W_hh = rnn.weight_ih_l0.detach(), rnn.weight_hh_l0.detach()
    b = (rnn.bias_ih_l0 + rnn.bias_hh_l0).detach()
    T, N, _ = xs.shape
    h_t, hs = torch.zeros(N, W_hh.shape[0], dtype=xs.dtype), []
    for x_t in xs:  # Forward: h_t = tanh(W_ih x_t + W_hh h_{t-1} + b), N sequences at once
        h_t = torch.tanh(x_t @ W_ih.T + h_t @ W_hh.T + b)
        hs.append(h_t)
    dh_T_dh_t = torch.eye(W_hh.shape[0], dtype=xs.dtype).expand(N, -1, -1)  # dh_T/dh_T = I
    result = [None] * T
    for t in reversed(range(T)):  # Backward: one factor per step
        D_t = torch.diag_embed(1 - hs[t] ** 2)
        result[t] = dh_T_dh_t @ D_t @ W_ih
        dh_T_dh_t = dh_T_dh_t @ D_t @ W_hh  # Now dh_T/dh_{t-1}
    return torch.stack(result)


def norm_by_distance(jacobian):
    """||dh_T/dx_t|| (Frobenius), averaged over the sequences, for the distance T - t = 0, 1, ..., T - 1."""
    return jacobian.pow(2).sum(dim=(2, 3)).sqrt().mean(dim=1).flip(0)


def with_keep_bias(model, keep_bias):
    """A copy of `model` with `keep_bias` added to the bias of the LSTM's forget gate f (its gates: i, f, g, o)
    or of the GRU's update gate z (its gates: r, z, n): the second H of `bias_hh_l0` in both."""
    model = copy.deepcopy(model)
    hidden_size = model.hidden_size
    with torch.no_grad():
        model.bias_hh_l0[hidden_size:2 * hidden_size] += keep_bias
    return model


def lstm_states(lstm, xs):
    """The states (h_t, c_t) of a 1-layer nn.LSTM at each step of `xs` (T x N x D), from h_0 = c_0 = 0: two
    T x N x H tensors."""
    state, hs, cs = None, [], []
    with torch.no_grad():  # Only the values
        for x_t in xs:
            _, state = lstm(x_t[None], state)
            hs.append(state[0][0])
            cs.append(state[1][0])
    return torch.stack(hs), torch.stack(cs)


def plot_norms(norms, france_distance, zoom):
    """Left: every curve on a log scale. Right: the curves whose labels start with `zoom` (the LSTM with a forget
    gate that keeps, from an empty and from a full cell state) on a linear scale, where the rise shows."""
    fig, (ax, ax_zoom) = plt.subplots(1, 2, figsize=(14, 5), gridspec_kw={'width_ratios': (1.6, 1)})
    colors = dict(zip(norms, plt.rcParams['axes.prop_cycle'].by_key()['color']))
    for label, values in norms.items():
        style = ':' if 'c_0' in label else '--' if 'bias' in label else '-'
        ax.semilogy(range(len(values)), values.numpy(), style, color=colors[label], label=label)
        if label.startswith(zoom):
            ax_zoom.plot(range(len(values)), values.numpy(), style, color=colors[label], label=label)
    if france_distance < len(next(iter(norms.values()))):
        ax.axvline(france_distance, color='gray', linewidth=0.8)
        ax.text(france_distance, ax.get_ylim()[1], " 'France' ... 'French'", va='top', fontsize=9, color='gray')
    for axis in (ax, ax_zoom):
        axis.set_xlabel('Distance T - t (steps from the input x_t to the last state h_T)')
        axis.set_ylabel('||dh_T / dx_t||')
        axis.grid(True, which='major', alpha=0.3)
        axis.legend()
    ax.set_title('"I grew up in France ... I speak fluent French": the gradient in time')
    ax_zoom.set_ylim(0, None)
    ax_zoom.set_title('The rise toward the first inputs: an empty cell state\n(linear scale; from c_0 = c_T: flat)')
    fig.tight_layout()
    return fig


# %% Steps: the chain rule against autograd, then the three units
if __name__ == '__main__':
    parser = make_parser('vanishing_in_time', __doc__, seed=RANDOM_SEED, out_dir=True)
    parser.add_argument('--seq-length', type=common.positive_int, default=SEQ_LENGTH, help='T, steps in a sequence')
    parser.add_argument('--hidden-size', type=common.positive_int, default=HIDDEN_SIZE, help='hidden units')
    parser.add_argument('--keep-bias', type=common.finite_float, default=KEEP_BIAS,
                        help="added to the LSTM's forget gate and the GRU's update gate bias (the dashed curves)")
    args = parser.parse_args()
    set_seed(args.seed)
    torch.set_num_threads(1)  # Tiny steps: with two threads each waits for the other (10 times slower when busy)
    xs = torch.randn(args.seq_length, N_SEQUENCES, INPUT_SIZE, dtype=torch.float64)

    # 1. The vanilla RNN: the chain rule by hand against autograd
    models = {'RNN': nn.RNN(INPUT_SIZE, args.hidden_size).double(),
              'LSTM': nn.LSTM(INPUT_SIZE, args.hidden_size).double(),
              'GRU': nn.GRU(INPUT_SIZE, args.hidden_size).double()}
    by_hand = rnn_jacobians_by_hand(models['RNN'], xs)
    by_autograd = jacobians(models['RNN'], xs)
    difference = (by_hand - by_autograd).abs().max().item()
    print(f'dh_T/dx_t of the RNN, every t: by hand {by_hand[-1, 0, 0, 0]:.6f}  '
          f'autograd {by_autograd[-1, 0, 0, 0]:.6f}  largest difference {difference:.0e}')  # ... 6e-17

    # 2. The three units at PyTorch's initialization, then the LSTM and GRU with gates that keep
    norms = {name: norm_by_distance(jacobians(model, xs)) for name, model in models.items()}
    for name in ('LSTM', 'GRU'):
        gate = 'f' if name == 'LSTM' else 'z'
        keeping = with_keep_bias(models[name], args.keep_bias)
        norms[f'{name}, bias of {gate} + {args.keep_bias:g}'] = norm_by_distance(jacobians(keeping, xs))
    distances = [d for d in (0, 1, 5, 10, FRANCE_DISTANCE, 30, 40, args.seq_length - 1) if d < args.seq_length]
    distances = sorted(set(distances))
    print('||dh_T/dx_t|| at the distance T - t:')
    print(f"{'distance':>30}" + ''.join(f'{d:>9}' for d in distances))
    for label, values in norms.items():
        print(f'{label:>30}' + ''.join(f'{values[d]:9.1e}' for d in distances))
    for label, values in norms.items():
        if FRANCE_DISTANCE < args.seq_length:
            per_step = (values[FRANCE_DISTANCE] / values[0]) ** (1 / FRANCE_DISTANCE)
            print(f"{label}: 'France' {FRANCE_DISTANCE} steps back reaches h_T {values[FRANCE_DISTANCE]:.1e}, "
                  f'x_T {values[0]:.1e}: a factor of {per_step:.2f} a step')

    # 3. Why the LSTM's curve with the bias + 3 rises toward the first inputs: the cell state starts empty
    keeping = with_keep_bias(models['LSTM'], args.keep_bias)
    hs, cs = lstm_states(keeping, xs)
    steps = sorted({t for t in (1, 2, 5, 10, 20, 30, args.seq_length) if t <= args.seq_length})
    print(f'LSTM, bias of f + {args.keep_bias:g}, from c_0 = 0: the cell state fills and tanh(c_t) saturates:')
    print(f"{'step t':>24}" + ''.join(f'{t:>7}' for t in steps))
    print(f"{'mean |c_t|':>24}" + ''.join(f'{cs[t - 1].abs().mean():7.2f}' for t in steps))
    print(f"{'mean 1 - tanh(c_t)^2':>24}" + ''.join(f'{(1 - cs[t - 1].tanh() ** 2).mean():7.2f}' for t in steps))
    zeros = torch.zeros_like(hs[-1])[None]
    label = f'LSTM, bias of f + {args.keep_bias:g}'
    norms[f'{label}, c_0 = c_T'] = norm_by_distance(jacobians(keeping, xs, (zeros, cs[-1][None])))  # A full cell
    h_only = norm_by_distance(jacobians(keeping, xs, (hs[-1][None], zeros)))  # h_0 = h_T, the cell still empty
    first, france = args.seq_length - 1, min(FRANCE_DISTANCE, args.seq_length - 1)
    for start, values in (('c_0 = h_0 = 0', norms[label]), ('c_0 = c_T, h_0 = 0', norms[f'{label}, c_0 = c_T']),
                          ('c_0 = 0, h_0 = h_T', h_only)):
        print(f'  from {start:<18}: ||dh_T/dx_t|| {values[france]:.3f} at the distance {france}, {values[first]:.3f} '
              f'at {first} (the first input)')
    # from c_0 = h_0 = 0: 0.118 at 20, 0.219 at 49; c_0 = c_T: 0.111, 0.121 (flat); h_0 = h_T: 0.122, 0.212 (a rise)

    # 4. The figure: the norms against the distance, on a log scale
    fig = plot_norms(norms, FRANCE_DISTANCE, zoom=label)
    save_figure(fig, args.out_dir, 'vanishing_in_time')
