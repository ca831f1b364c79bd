"""The LSTM's and the GRU's gate equations as code, with the weights of nn.LSTMCell and nn.GRUCell, over a sequence.

Slides "Long Short-Term Memory (LSTM)" and "Gated Recurrent Unit (GRU)": their tables of gates, written as code in
the slides' notation (W_f, U_f, b_f, ...) and run step by step beside PyTorch's cells on the same numbers (float64).
The tables have mistakes a learner would copy; each is fixed here and marked with a comment naming the slide's form:
- the LSTM's cell row uses the output gate's W_o, U_o, b_o: it is W_c, U_c, b_c (PyTorch's `g` gate);
- both tables leave out the new states: c_t = f_t * c_{t-1} + i_t * c~_t, h_t = o_t * tanh(c_t) (LSTM),
  h_t = (1 - z_t) * h~_t + z_t * h_{t-1} (GRU, as PyTorch computes it);
- PyTorch's GRU puts r_t after the matrix, r_t * (U_h h_{t-1} + b_hn), where the slide has U_h (r_t * h_{t-1}),
  and its z_t is the share of h_{t-1} kept, where the slide's z_t is how much of h~_t is written;
- the forget gate is "how much forget c_{t-1}" on the slide, but f_t = 1 keeps c_{t-1} whole (c_t = f_t * c_{t-1}
  + i_t * c~_t): f_t is how much to keep, 1 - f_t how much to forget;
- the reset gate is "how much forget h_{t-1}" on the slide, but r_t = 1 keeps h_{t-1} in h~_t and r_t = 0 forgets it.
Both are shown on PyTorch's own cells, the gates pinned to 1 or 0 by a bias of +-1000.
The figure is the slides' data flow of one step, the gates drawn as valves opened as far as their values at the
sequence's last step (one hidden unit), each with what it lets through.
In a notebook, `lstm_states` and `gru_states` (the states by hand at each step) stay after the last cell.
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

common.add_to_path('05_rnn_name2lang/concepts')  # The concept script beside this one, from any folder
from rnn_unrolled import compare  # A by-hand result printed beside PyTorch's, with the largest difference

# %% Define the sizes of the example (small, to read the numbers)
INPUT_SIZE = 3
HIDDEN_SIZE = 4
SEQ_LENGTH = 8
RANDOM_SEED = 777


# %% The slides' sigma and tanh, and the slides' weights taken from PyTorch's cells
def sigma(a):
    """The logistic sigmoid of the slides, 1 / (1 + e^-a) (torch.sigmoid computes the same)."""
    return 1 / (1 + torch.exp(-a))


tanh = torch.tanh  # The hyperbolic tangent, (e^a - e^-a) / (e^a + e^-a)


def lstm_weights(cell):
    """The slide's W_*, U_*, b_* of an nn.LSTMCell: PyTorch stacks its four gates in the order i, f, g (= c~), o,
    W_* in `weight_ih`, U_* in `weight_hh`, and keeps two biases (`bias_ih + bias_hh` is the slide's b_*)."""
    W_i, W_f, W_c, W_o = cell.weight_ih.detach().chunk(4)
    U_i, U_f, U_c, U_o = cell.weight_hh.detach().chunk(4)
    b_i, b_f, b_c, b_o = (cell.bias_ih + cell.bias_hh).detach().chunk(4)
    return dict(W_i=W_i, W_f=W_f, W_c=W_c, W_o=W_o, U_i=U_i, U_f=U_f, U_c=U_c, U_o=U_o,
                b_i=b_i, b_f=b_f, b_c=b_c, b_o=b_o)


def gru_weights(cell):
    """The slide's W_*, U_*, b_* of an nn.GRUCell: PyTorch stacks its three gates in the order r, z, n (= h~).
    The biases of h~ stay two, b_in and b_hn, since PyTorch puts b_hn inside r_t * (...)."""
    W_r, W_z, W_h = cell.weight_ih.detach().chunk(3)
    U_r, U_z, U_h = cell.weight_hh.detach().chunk(3)
    b_ir, b_iz, b_in = cell.bias_ih.detach().chunk(3)
    b_hr, b_hz, b_hn = cell.bias_hh.detach().chunk(3)
    return dict(W_r=W_r, W_z=W_z, W_h=W_h, U_r=U_r, U_z=U_z, U_h=U_h,
                b_r=b_ir + b_hr, b_z=b_iz + b_hz, b_in=b_in, b_hn=b_hn)


# %% The slides' tables as code: one step
def lstm_step(x_t, h_prev, c_prev, w, slide_cell_row=False):
    """One step of the LSTM table; returns h_t, c_t and the gates. `slide_cell_row=True`: the slide's c~_t row."""
    f_t = sigma(w['W_f'] @ x_t + w['U_f'] @ h_prev + w['b_f'])  # Forget gate: how much of c_{t-1} to keep (the slide:
    # "how much forget c_{t-1}"; f_t = 1 keeps all of it)
    i_t = sigma(w['W_i'] @ x_t + w['U_i'] @ h_prev + w['b_i'])  # Input gate: how much of c~_t to write
    if slide_cell_row:  # The slide: c~_t = tanh(W_o x_t + U_o h_{t-1} + b_o), the output gate's weights (wrong)
        c_tilde = tanh(w['W_o'] @ x_t + w['U_o'] @ h_prev + w['b_o'])
    else:
        c_tilde = tanh(w['W_c'] @ x_t + w['U_c'] @ h_prev + w['b_c'])  # Cell: the intermediate cell state
    o_t = sigma(w['W_o'] @ x_t + w['U_o'] @ h_prev + w['b_o'])  # Output gate: how much of c_t to reveal
    c_t = f_t * c_prev + i_t * c_tilde  # Not on the slide: the new cell state (* is elementwise, the slide's ⊗)
    h_t = o_t * tanh(c_t)               # Not on the slide: the new hidden state
    return h_t, c_t, {'f': f_t, 'i': i_t, 'c~': c_tilde, 'o': o_t, 'c': c_t, 'h': h_t}


def gru_step(x_t, h_prev, w, slide_candidate=False, slide_update=False):
    """One step of the GRU table; returns h_t and the gates. PyTorch's form by default; the slide's h~_t with
    `slide_candidate=True`, the slide's meaning of z_t (how much of h~_t to write) with `slide_update=True`."""
    r_t = sigma(w['W_r'] @ x_t + w['U_r'] @ h_prev + w['b_r'])  # Reset gate: how much of h_{t-1} to use in h~_t (the
    # slide: "how much forget h_{t-1}"; r_t = 1 uses all of it, r_t = 0 forgets it)
    z_t = sigma(w['W_z'] @ x_t + w['U_z'] @ h_prev + w['b_z'])  # Update gate
    if slide_candidate:  # The slide: h~_t = tanh(W_h x_t + U_h (r_t * h_{t-1}) + b_h), r_t before the matrix
        h_tilde = tanh(w['W_h'] @ x_t + w['U_h'] @ (r_t * h_prev) + w['b_in'] + w['b_hn'])
    else:                # PyTorch: r_t after the matrix, on U_h h_{t-1} + b_hn
        h_tilde = tanh(w['W_h'] @ x_t + w['b_in'] + r_t * (w['U_h'] @ h_prev + w['b_hn']))
    if slide_update:     # The slide's z_t, "how much write h~_t" (as Wikipedia): h_t = (1 - z_t) h_{t-1} + z_t h~_t
        h_t = (1 - z_t) * h_prev + z_t * h_tilde
    else:                # Not on the slide; PyTorch: z_t is the share of h_{t-1} kept
        h_t = (1 - z_t) * h_tilde + z_t * h_prev
    return h_t, {'r': r_t, 'z': z_t, 'h~': h_tilde, 'h': h_t}


# %% Over a sequence: by hand, and with PyTorch's cell
def lstm_by_hand(xs, h_0, c_0, w, slide_cell_row=False):
    """The LSTM table step by step over `xs` (L x D); returns the list of each step's gates and states."""
    h_t, c_t, states = h_0, c_0, []
    for x_t in xs:
        h_t, c_t, gates = lstm_step(x_t, h_t, c_t, w, slide_cell_row)
        states.append(gates)
    return states


def gru_by_hand(xs, h_0, w, slide_candidate=False, slide_update=False):
    """The GRU table step by step over `xs` (L x D); returns the list of each step's gates and state."""
    h_t, states = h_0, []
    for x_t in xs:
        h_t, gates = gru_step(x_t, h_t, w, slide_candidate, slide_update)
        states.append(gates)
    return states


def run_cell(cell, xs, state):
    """nn.LSTMCell or nn.GRUCell over `xs`, one step at a time; returns the hidden states (L x H) and, for the
    LSTM, the cell states (L x H)."""
    hs, cs = [], []
    with torch.no_grad():  # Only the values
        for x_t in xs:
            state = cell(x_t, state)
            h_t, c_t = state if isinstance(state, tuple) else (state, None)
            hs.append(h_t)
            cs.append(c_t)
    return torch.stack(hs), (torch.stack(cs) if cs[0] is not None else None)


def run_layer(layer_type, cell, xs, state):
    """The whole sequence at once by nn.LSTM or nn.GRU with the cell's weights; returns its outputs (L x H)."""
    layer = layer_type(cell.input_size, cell.hidden_size).double()
    layer.load_state_dict({f'{name}_l0': value for name, value in cell.state_dict().items()})
    with torch.no_grad():
        output, _ = layer(xs, tuple(s.unsqueeze(0) for s in state) if isinstance(state, tuple) else state.unsqueeze(0))
    return output


def stack(states, key):
    """One gate or state of every step as an L x H tensor."""
    return torch.stack([gates[key] for gates in states])


def pinned(cell, gates):
    """A copy of an nn.LSTMCell or nn.GRUCell with gates pinned to 1 or 0: {gate: +1 or -1} adds +-1000 to that gate's
    bias (sigma(1000) is 1.0 and sigma(-1000) is 0.0 in float64). Gates: LSTM i, f (g, o); GRU r, z."""
    cell = copy.deepcopy(cell)
    order = 'ifgo' if isinstance(cell, nn.LSTMCell) else 'rzn'  # PyTorch's stacking of the gates
    with torch.no_grad():
        for gate, sign in gates.items():
            k = order.index(gate)
            cell.bias_ih[k * cell.hidden_size:(k + 1) * cell.hidden_size] += 1000. * sign
    return cell


def draw_valve(ax, x, y, value, vertical=False):
    """A butterfly valve on a pipe at (x, y): the bar along the pipe when the gate is 1 (open), across it at 0."""
    ax.add_patch(plt.Circle((x, y), 0.32, fc=plt.cm.Greens(0.15 + 0.7 * value), ec='k', zorder=3))
    angle = (1 - value) * torch.pi / 2 + (torch.pi / 2 if vertical else 0)  # 0: along a horizontal pipe
    dx, dy = 0.3 * torch.cos(torch.tensor(angle)).item(), 0.3 * torch.sin(torch.tensor(angle)).item()
    ax.plot([x - dx, x + dx], [y - dy, y + dy], 'k-', lw=3, zorder=4)


def pipe(ax, start, end, width=2.5):
    """A pipe from `start` to `end`, its arrow at the end."""
    ax.annotate('', xy=end, xytext=start, arrowprops=dict(arrowstyle='-|>', lw=width, color='0.35',
                                                          shrinkA=0, shrinkB=0), zorder=1)


def node(ax, x, y, text):
    ax.text(x, y, text, ha='center', va='center', fontsize=11, zorder=3,
            bbox=dict(boxstyle='circle', fc='white', ec='k'))


def plot_data_flow(lstm_gates, gru_gates, unit, step):
    """The slides' data flow of one step of the LSTM and of the GRU for one hidden unit, with the values computed by
    hand: the gates as valves (open = 1, closed = 0), each labelled with what it lets through."""
    fig, (ax_lstm, ax_gru) = plt.subplots(1, 2, figsize=(15, 6))
    v = {key: value[unit].item() for key, value in lstm_gates.items()}
    c_prev, h_prev = v['c_prev'], v['h_prev']
    pipe(ax_lstm, (0.9, 5), (2.7, 5))
    draw_valve(ax_lstm, 3, 5, v['f'])
    pipe(ax_lstm, (3.3, 5), (5.7, 5), width=0.5 + 3 * v['f'])
    node(ax_lstm, 6, 5, '+')
    pipe(ax_lstm, (6.3, 5), (9.3, 5))
    ax_lstm.text(0.8, 5, f'$c_{{t-1}}$\n{c_prev:.2f}', ha='right', va='center', fontsize=11)
    ax_lstm.text(9.4, 5, f'$c_t$\n{v["c"]:.2f}', ha='left', va='center', fontsize=11)
    ax_lstm.text(3, 5.5, f'$f_t$ = {v["f"]:.2f}: keeps {100 * v["f"]:.0f} % of $c_{{t-1}}$\n'
                         '(the slide: "how much forget")', ha='center', va='bottom', fontsize=9)
    ax_lstm.text(6, 1.2, f'$\\tilde c_t$ = tanh($W_c x_t + U_c h_{{t-1}} + b_c$) = {v["c~"]:.2f}', ha='center',
                 fontsize=10, bbox=dict(fc='white', ec='0.5'))
    pipe(ax_lstm, (6, 1.6), (6, 3.2))
    draw_valve(ax_lstm, 6, 3.5, v['i'], vertical=True)
    pipe(ax_lstm, (6, 3.8), (6, 4.7), width=0.5 + 3 * v['i'])
    ax_lstm.text(5.55, 3.5, f'$i_t$ = {v["i"]:.2f}: writes\n{100 * v["i"]:.0f} % of $\\tilde c_t$', va='center',
                 ha='right', fontsize=9)
    pipe(ax_lstm, (8.2, 5), (8.2, 4.15))
    node(ax_lstm, 8.2, 3.85, 'tanh')
    pipe(ax_lstm, (8.2, 3.45), (8.2, 2.7))
    draw_valve(ax_lstm, 8.2, 2.4, v['o'], vertical=True)
    pipe(ax_lstm, (8.2, 2.1), (8.2, 0.6), width=0.5 + 3 * v['o'])
    ax_lstm.text(8.2, 0.45, f'$h_t$ = {v["h"]:.2f}', ha='center', va='top', fontsize=11)
    ax_lstm.text(8.65, 2.4, f'$o_t$ = {v["o"]:.2f}:\nreveals {100 * v["o"]:.0f} %\nof tanh($c_t$)', va='center',
                 fontsize=9)
    ax_lstm.text(0.2, 3.3, f'$x_t$, $h_{{t-1}}$ = {h_prev:.2f}\nset every gate:\n'
                           '$\\sigma(W x_t + U h_{t-1} + b)$', va='center', fontsize=9, color='0.3')
    ax_lstm.set_title(f'LSTM, step {step}, hidden unit {unit}: $c_t = f_t c_{{t-1}} + i_t \\tilde c_t$, '
                      '$h_t = o_t$ tanh($c_t$)')

    v = {key: value[unit].item() for key, value in gru_gates.items()}
    h_prev = v['h_prev']
    pipe(ax_gru, (0.9, 5), (3.7, 5))
    draw_valve(ax_gru, 4, 5, v['z'])
    pipe(ax_gru, (4.3, 5), (6.7, 5), width=0.5 + 3 * v['z'])
    node(ax_gru, 7, 5, '+')
    pipe(ax_gru, (7.3, 5), (9.3, 5))
    ax_gru.text(0.8, 5, f'$h_{{t-1}}$\n{h_prev:.2f}', ha='right', va='center', fontsize=11)
    ax_gru.text(9.4, 5, f'$h_t$\n{v["h"]:.2f}', ha='left', va='center', fontsize=11)
    ax_gru.text(4, 5.5, f'$z_t$ = {v["z"]:.2f}: keeps {100 * v["z"]:.0f} % of $h_{{t-1}}$ (PyTorch)',
                ha='center', va='bottom', fontsize=9)
    pipe(ax_gru, (1.5, 5), (1.5, 2.6))
    ax_gru.text(1.5, 2.2, '$U_h h_{t-1} + b_{hn}$', ha='center', va='center', fontsize=10,
                bbox=dict(fc='white', ec='0.5'))
    pipe(ax_gru, (2.55, 2.2), (3.2, 2.2))
    draw_valve(ax_gru, 3.5, 2.2, v['r'])
    pipe(ax_gru, (3.8, 2.2), (4.6, 2.2), width=0.5 + 3 * v['r'])
    ax_gru.text(3.5, 1.5, f'$r_t$ = {v["r"]:.2f}: keeps {100 * v["r"]:.0f} % of it in $\\tilde h_t$\n'
                          '(the slide: "how much forget")', ha='center', va='top', fontsize=9)
    ax_gru.text(5.9, 2.2, f'$\\tilde h_t$ = tanh($W_h x_t + b_{{in}}$ + ...)\n= {v["h~"]:.2f}', ha='center',
                va='center', fontsize=10, bbox=dict(fc='white', ec='0.5'))
    pipe(ax_gru, (7, 2.75), (7, 3.2))
    draw_valve(ax_gru, 7, 3.5, 1 - v['z'], vertical=True)
    pipe(ax_gru, (7, 3.8), (7, 4.7), width=0.5 + 3 * (1 - v['z']))
    ax_gru.text(7.45, 3.5, f'$1 - z_t$ = {1 - v["z"]:.2f}: writes\n{100 * (1 - v["z"]):.0f} % of $\\tilde h_t$',
                va='center', fontsize=9)
    ax_gru.set_title(f'GRU (PyTorch\'s form), step {step}, hidden unit {unit}: '
                     '$h_t = (1 - z_t) \\tilde h_t + z_t h_{t-1}$')
    for ax in (ax_lstm, ax_gru):
        ax.set_xlim(-0.2, 10.4)
        ax.set_ylim(0, 6.3)
        ax.set_aspect('equal')
        ax.axis('off')
    fig.text(0.5, 0.02, 'Valves: a gate of 1 is open (the bar along the pipe), 0 closed (across it); the pipe after a '
             'valve is as thick as the valve is open', ha='center', fontsize=10)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


# %% Steps: the LSTM, then the GRU, on the same random sequence
if __name__ == '__main__':
    parser = make_parser('lstm_gru_equations', __doc__, seed=RANDOM_SEED, out_dir=True)
    parser.add_argument('--hidden-size', type=common.positive_int, default=HIDDEN_SIZE, help='hidden units')
    parser.add_argument('--seq-length', type=common.positive_int, default=SEQ_LENGTH, help='steps in the sequence')
    args = parser.parse_args()
    set_seed(args.seed)
    torch.set_num_threads(1)  # Tiny steps: with two threads each waits for the other (10 times slower when busy)
    xs = torch.randn(args.seq_length, INPUT_SIZE, dtype=torch.float64)  # x_1 ... x_L, one sequence
    h_0 = torch.randn(args.hidden_size, dtype=torch.float64)            # Any state to start from (nn.LSTM: 0)
    c_0 = torch.randn(args.hidden_size, dtype=torch.float64)

    # 1. The LSTM table, fixed, against nn.LSTMCell (and nn.LSTM, the same cell over the whole sequence)
    print("The LSTM: c~_t = tanh(W_c x_t + U_c h_{t-1} + b_c), c_t = f_t * c_{t-1} + i_t * c~_t, "
          'h_t = o_t * tanh(c_t)')
    lstm_cell = nn.LSTMCell(INPUT_SIZE, args.hidden_size).double()
    lstm_states = lstm_by_hand(xs, h_0, c_0, lstm_weights(lstm_cell))
    h_cell, c_cell = run_cell(lstm_cell, xs, (h_0, c_0))
    compare('LSTM h_t', stack(lstm_states, 'h'), 'nn.LSTMCell', h_cell)  # ... largest difference 3e-17
    compare('LSTM c_t', stack(lstm_states, 'c'), 'nn.LSTMCell', c_cell)  # ... largest difference 6e-17
    h_layer = run_layer(nn.LSTM, lstm_cell, xs, (h_0, c_0))
    compare('LSTM h_t, whole sequence', stack(lstm_states, 'h'), 'nn.LSTM', h_layer)  # ... largest difference 3e-17
    slide_lstm = lstm_by_hand(xs, h_0, c_0, lstm_weights(lstm_cell), slide_cell_row=True)
    compare("LSTM h_t with the slide's cell row (W_o, U_o, b_o)", stack(slide_lstm, 'h'), 'nn.LSTMCell', h_cell)
    # ... largest difference 4e-01: the slide's cell row is another function, not PyTorch's

    # 2. The GRU table in PyTorch's form against nn.GRUCell (and nn.GRU), then the slide's forms
    print("PyTorch's GRU: h~_t = tanh(W_h x_t + b_in + r_t * (U_h h_{t-1} + b_hn)), "
          'h_t = (1 - z_t) * h~_t + z_t * h_{t-1}')
    gru_cell = nn.GRUCell(INPUT_SIZE, args.hidden_size).double()
    w = gru_weights(gru_cell)
    gru_states = gru_by_hand(xs, h_0, w)
    h_cell, _ = run_cell(gru_cell, xs, h_0)
    compare('GRU h_t', stack(gru_states, 'h'), 'nn.GRUCell', h_cell)  # ... largest difference 1e-16
    h_layer = run_layer(nn.GRU, gru_cell, xs, h_0)
    compare('GRU h_t, whole sequence', stack(gru_states, 'h'), 'nn.GRU', h_layer)  # ... largest difference 2e-16
    slide_gru = gru_by_hand(xs, h_0, w, slide_candidate=True)
    compare("GRU h_t with the slide's U_h (r_t * h)", stack(slide_gru, 'h'), 'nn.GRUCell', h_cell)
    # ... largest difference 2e-01: the slide's form (Cho et al. 2014's) is another function; PyTorch computes
    # r_t * (U_h h_{t-1} + b_hn), as cuDNN does
    slide_update = gru_by_hand(xs, h_0, w, slide_update=True)
    compare("GRU h_t with the slide's z_t (writes h~_t)", stack(slide_update, 'h'), 'nn.GRUCell', h_cell)  # 6e-01
    # With PyTorch's weights the slide's z_t gives another function; the same model with z_t turned round:
    # sigma(-a) = 1 - sigma(a), so negating W_z, U_z, b_z makes the slide's z_t PyTorch's 1 - z_t
    turned = gru_by_hand(xs, h_0, dict(w, W_z=-w['W_z'], U_z=-w['U_z'], b_z=-w['b_z']), slide_update=True)
    compare("GRU h_t with the slide's z_t, z weights negated", stack(turned, 'h'), 'nn.GRUCell', h_cell)  # 2e-16

    # 3. The slides' gate meanings, on PyTorch's own cells: f_t = 1 keeps c_{t-1}, r_t = 1 keeps h_{t-1}
    x_t, other_h = xs[-1], torch.zeros_like(h_0)
    with torch.no_grad():  # Only the values
        _, c_t = pinned(lstm_cell, {'f': +1, 'i': -1})(x_t, (h_0, c_0))
        compare('f_t = 1, i_t = 0: c_t', c_t, 'c_{t-1}', c_0, hand_name='nn.LSTMCell')  # ... largest difference 0
        # c_t = f_t * c_{t-1} + i_t * c~_t = c_{t-1}: f_t = 1 keeps it all (the slide: "how much forget c_{t-1}")
        # z_t = 0 makes h_t = h~_t, so the cell's output shows h~_t
        forgets, keeps = pinned(gru_cell, {'r': -1, 'z': -1}), pinned(gru_cell, {'r': +1, 'z': -1})
        compare('r_t = 0: h~_t from h_{t-1}', forgets(x_t, h_0), 'from h_{t-1} = 0', forgets(x_t, other_h),
                hand_name='nn.GRUCell')  # ... largest difference 0e+00: r_t = 0 forgets h_{t-1}
        compare('r_t = 1: h~_t from h_{t-1}', keeps(x_t, h_0), 'from h_{t-1} = 0', keeps(x_t, other_h),
                hand_name='nn.GRUCell')  # ... largest difference 3e-01: r_t = 1 keeps it (the slide: "how much forget")

    # 4. The figure: one step's data flow, the gates as valves (the last step, the unit whose f_t is nearest 0.5)
    lstm_last = dict(lstm_states[-1], c_prev=lstm_states[-2]['c'] if len(lstm_states) > 1 else c_0,
                     h_prev=lstm_states[-2]['h'] if len(lstm_states) > 1 else h_0)
    gru_last = dict(gru_states[-1], h_prev=gru_states[-2]['h'] if len(gru_states) > 1 else h_0)
    unit = (lstm_last['f'] - 0.5).abs().argmin().item()
    fig = plot_data_flow(lstm_last, gru_last, unit, step=len(lstm_states))
    save_figure(fig, args.out_dir, 'lstm_gru_gates')
