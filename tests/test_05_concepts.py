"""Tests of the concept scripts of 05_rnn_name2lang (05_rnn_name2lang/concepts/): each by-hand formula against
PyTorch's own module or autograd on fresh random weights, the slides' forms shown to differ where they are wrong,
and each script run once as a notebook with tiny options, its printed comparisons checked.
"""
import re

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from conftest import load_script, make_fake_names, notebook_images, notebook_text, run_main
from torch.autograd.functional import jacobian

SECTION = '05_rnn_name2lang/concepts'
unrolled = load_script(f'{SECTION}/rnn_unrolled.py')
vanishing = load_script(f'{SECTION}/vanishing_in_time.py')
equations = load_script(f'{SECTION}/lstm_gru_equations.py')
letters = load_script(f'{SECTION}/onehot_letters.py')

DIFFERENCE = re.compile(r'^(.*): .* largest difference (\S+)$', re.MULTILINE)


def differences(text):
    """{label: the largest difference printed} of each by-hand comparison line (the last line of a label wins)."""
    return {label: float(value) for label, value in DIFFERENCE.findall(text)}


def random_sequence(length, size, seed=0):
    return torch.randn(length, size, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))


# rnn_unrolled.py ---------------------------------------------------------------------------------------------
def test_rnn_loop_and_two_layers_equal_nn_rnn():
    torch.manual_seed(1)
    xs = random_sequence(5, 3)
    one_layer, two_layers = nn.RNN(3, 4).double(), nn.RNN(3, 4, num_layers=2).double()
    with torch.no_grad():
        output1, _ = one_layer(xs)
        output2, h_n2 = two_layers(xs)
    torch.testing.assert_close(unrolled.rnn_by_hand(xs, *unrolled.layer_weights(one_layer)), output1,
                               rtol=0, atol=1e-12)
    torch.testing.assert_close(unrolled.two_layers_by_hand(xs, two_layers), output2, rtol=0, atol=1e-12)
    first = unrolled.rnn_by_hand(xs, *unrolled.layer_weights(two_layers, 0))
    torch.testing.assert_close(first[-1], h_n2[0], rtol=0, atol=1e-12)  # h_n[0]: the first layer's last state


def test_rnn_unrolled_rejects_a_letter_outside_the_57(tmp_path):
    result = run_main(f'{SECTION}/rnn_unrolled.py', '--name', 'Au-Yong', '--out-dir', tmp_path)
    assert result.code == 1 and result.err.count('\n') == 1 and "['-']" in result.err


# test_04_concepts runs a concepts notebook;
@pytest.mark.full  # test_rnn_loop_and_two_layers_equal_nn_rnn checks the work
def test_rnn_unrolled_notebook(notebooks, tmp_path):
    nb = notebooks.run('05_rnn_name2lang/concepts/rnn_unrolled.py', args=['--out-dir', tmp_path, '--hidden-size', '3'],
                       extra_cells=['print(float((h_by_hand - rnn(onehot("Choi"))[0]).abs().max()))'])
    text = notebook_text(nb)
    found = differences(text)
    assert set(found) == {'h_t', '2 layers h_t', 'many-to-one', 'many-to-many', 'padded output[-1]',
                          'padded output[length - 1]', 'packed h_n'}
    assert found.pop('padded output[-1]') > 1e-3  # The padding steps change the shorter names' output[-1]
    assert max(found.values()) <= 1e-12
    assert "'weight_hh_l0': [3, 3]" in text and f'{57 * 3 + 3 * 3 + 2 * 3} numbers' in text
    assert 'many-to-one: [18], many-to-many: [4, 18]' in text and 'h_n of 2 layers: [2, 3]' in text
    assert float(text.splitlines()[-1]) <= 1e-12  # nn.RNN on the name again, in the notebook
    assert (tmp_path / 'rnn_unrolled.png').is_file() and notebook_images(nb) == 1


# vanishing_in_time.py ----------------------------------------------------------------------------------------
def test_rnn_chain_rule_and_autograd_equal_torch_jacobian():
    torch.manual_seed(2)
    xs = torch.randn(4, 2, 3, dtype=torch.float64)  # T x N x D
    for model in (nn.RNN(3, 5).double(), nn.GRU(3, 5).double()):
        full = jacobian(lambda x, model=model: model(x)[0][-1], xs)  # N x H x T x N x D, PyTorch's own Jacobian
        expected = torch.stack([full[n, :, :, n, :] for n in range(2)], dim=1).permute(2, 1, 0, 3)  # T x N x H x D
        torch.testing.assert_close(vanishing.jacobians(model, xs), expected, rtol=0, atol=1e-12)
        if isinstance(model, nn.RNN):
            torch.testing.assert_close(vanishing.rnn_jacobians_by_hand(model, xs), expected, rtol=0, atol=1e-12)
    norms = vanishing.norm_by_distance(expected)
    assert norms[0].item() == pytest.approx(expected[-1].pow(2).sum(dim=(1, 2)).sqrt().mean().item())


@pytest.mark.parametrize('unit', [nn.LSTM, nn.GRU])
def test_keep_bias_goes_to_the_forget_and_update_gates(unit):
    """With zero weights and biases, one step from the state 1: the LSTM's c_1 = f c_0 + i tanh(0) = f, the GRU's
    h_1 = (1 - z) tanh(0) + z h_0 = z; only a bias in f (or z) makes it sigma(bias) instead of 0.5."""
    model = unit(1, 2).double()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.zero_()
    keeping = vanishing.with_keep_bias(model, 2.0)
    x, state = torch.zeros(1, 1, 1, dtype=torch.float64), torch.ones(1, 1, 2, dtype=torch.float64)
    with torch.no_grad():
        if unit is nn.LSTM:
            _, (_, kept) = keeping(x, (torch.zeros_like(state), state))
            _, (_, plain) = model(x, (torch.zeros_like(state), state))
        else:
            kept, plain = keeping(x, state)[1], model(x, state)[1]
    torch.testing.assert_close(kept, torch.full_like(kept, torch.sigmoid(torch.tensor(2.0)).item()))
    torch.testing.assert_close(plain, torch.full_like(plain, 0.5))  # The model itself is left as it was


# test_04_concepts runs a concepts notebook;
@pytest.mark.full  # test_rnn_chain_rule_and_autograd_equal_torch_jacobian checks the work
def test_vanishing_in_time_notebook(notebooks, tmp_path):
    nb = notebooks.run('05_rnn_name2lang/concepts/vanishing_in_time.py',
                       args=['--out-dir', tmp_path, '--seq-length', '25', '--hidden-size', '6'],
                       extra_cells=['print(float((norms["RNN"][24] / norms["RNN"][0]) ** (1 / 24)))'])
    text = notebook_text(nb)
    assert differences(text)['dh_T/dx_t of the RNN, every t'] <= 1e-12
    assert 'LSTM, bias of f + 3' in text and 'GRU, bias of z + 3' in text
    factors = dict(re.findall(r"^(.*): 'France' 20 steps back .* a factor of (\S+) a step$", text, re.MULTILINE))
    assert float(factors['RNN']) < 0.8 and float(factors['LSTM, bias of f + 3']) > 0.9  # It vanishes; kept
    assert 0 < float(text.splitlines()[-1]) < 0.8
    # The LSTM's rise toward the first inputs is its empty cell state: from a full one (c_0 = c_T) the first input's
    # gradient is smaller, from h_0 = h_T with c_0 = 0 it is not; the cell state grows step after step
    first = dict(re.findall(r'^  from (.*?) *: \|\|dh_T/dx_t\|\| \S+ at the distance 20, (\S+) at 24', text, re.M))
    assert float(first['c_0 = c_T, h_0 = 0']) < 0.9 * float(first['c_0 = h_0 = 0'])
    assert float(first['c_0 = 0, h_0 = h_T']) > 0.9 * float(first['c_0 = h_0 = 0'])
    cell = [float(value) for value in re.search(r'mean \|c_t\|(.*)', text).group(1).split()]
    assert cell == sorted(cell) and len(cell) == 6
    assert (tmp_path / 'vanishing_in_time.png').is_file() and notebook_images(nb) == 1


# lstm_gru_equations.py ---------------------------------------------------------------------------------------
def test_lstm_table_equals_lstm_cell_and_the_slides_cell_row_does_not():
    torch.manual_seed(3)
    cell = nn.LSTMCell(3, 5).double()
    xs, h_0, c_0 = random_sequence(6, 3), random_sequence(1, 5, seed=1)[0], random_sequence(1, 5, seed=2)[0]
    states = equations.lstm_by_hand(xs, h_0, c_0, equations.lstm_weights(cell))
    h_t, c_t = h_0, c_0
    with torch.no_grad():
        for x_t, gates in zip(xs, states):
            h_t, c_t = cell(x_t, (h_t, c_t))
            torch.testing.assert_close(gates['h'], h_t, rtol=0, atol=1e-12)
            torch.testing.assert_close(gates['c'], c_t, rtol=0, atol=1e-12)
    slide = equations.lstm_by_hand(xs, h_0, c_0, equations.lstm_weights(cell), slide_cell_row=True)
    assert (slide[-1]['h'] - h_t).abs().max() > 1e-3


def test_gru_table_in_pytorchs_form_equals_gru_cell_and_the_slides_forms_do_not():
    torch.manual_seed(4)
    cell = nn.GRUCell(3, 5).double()
    xs, h_0 = random_sequence(6, 3), random_sequence(1, 5, seed=1)[0]
    w = equations.gru_weights(cell)
    with torch.no_grad():
        expected = [h_0]
        for x_t in xs:
            expected.append(cell(x_t, expected[-1]))
    expected = torch.stack(expected[1:])
    by_hand = equations.stack(equations.gru_by_hand(xs, h_0, w), 'h')
    torch.testing.assert_close(by_hand, expected, rtol=0, atol=1e-12)
    assert (equations.stack(equations.gru_by_hand(xs, h_0, w, slide_candidate=True), 'h') - expected).abs().max() > 1e-3
    assert (equations.stack(equations.gru_by_hand(xs, h_0, w, slide_update=True), 'h') - expected).abs().max() > 1e-3
    turned = dict(w, W_z=-w['W_z'], U_z=-w['U_z'], b_z=-w['b_z'])  # sigma(-a) = 1 - sigma(a)
    torch.testing.assert_close(equations.stack(equations.gru_by_hand(xs, h_0, turned, slide_update=True), 'h'),
                               expected, rtol=0, atol=1e-12)


# test_04_concepts runs a concepts notebook;
@pytest.mark.full  # test_lstm_table_equals_lstm_cell_and_the_slides_cell_row_does_not checks the work
def test_lstm_gru_equations_notebook(notebooks, tmp_path):
    nb = notebooks.run('05_rnn_name2lang/concepts/lstm_gru_equations.py',
                       args=['--out-dir', tmp_path, '--hidden-size', '2', '--seq-length', '3'],
                       extra_cells=['print(len(lstm_states), len(gru_states))'])
    text = notebook_text(nb)
    found = differences(text)
    slides_forms = {"LSTM h_t with the slide's cell row (W_o, U_o, b_o)", "GRU h_t with the slide's U_h (r_t * h)",
                    "GRU h_t with the slide's z_t (writes h~_t)", 'r_t = 1: h~_t from h_{t-1}'}
    assert len(found) == 12 and slides_forms < set(found)
    assert min(found[label] for label in slides_forms) > 1e-3
    assert max(value for label, value in found.items() if label not in slides_forms) <= 1e-12
    # The slides' gate meanings: f_t = 1 keeps c_{t-1} exactly; r_t = 0 forgets h_{t-1} (r_t = 1 keeps it: above)
    assert found['f_t = 1, i_t = 0: c_t'] == 0 and found['r_t = 0: h~_t from h_{t-1}'] == 0
    assert text.count('largest difference') == 12 and text.splitlines()[-1] == '3 3'
    assert (tmp_path / 'lstm_gru_gates.png').is_file() and notebook_images(nb) == 1


def test_pinned_gates_are_exactly_one_or_zero():
    torch.manual_seed(5)
    lstm, gru = nn.LSTMCell(3, 4).double(), nn.GRUCell(3, 4).double()
    x, h, c = (random_sequence(1, size, seed=k)[0] for k, size in enumerate((3, 4, 4)))
    with torch.no_grad():
        h_1, c_1 = equations.pinned(lstm, {'f': -1, 'i': +1, 'o': +1})(x, (h, c))  # Forget all, write all, reveal all
        gates = equations.lstm_step(x, h, c, dict(equations.lstm_weights(lstm)))[2]
        torch.testing.assert_close(c_1, gates['c~'], rtol=0, atol=1e-15)  # c_t = c~_t: c_{t-1} forgotten (f_t = 0)
        torch.testing.assert_close(h_1, torch.tanh(c_1), rtol=0, atol=1e-15)
        torch.testing.assert_close(equations.pinned(gru, {'z': +1})(x, h), h, rtol=0, atol=1e-15)  # z_t = 1 keeps h
    assert lstm.bias_ih.abs().max() < 1  # The cell given is left as it was


# onehot_letters.py -------------------------------------------------------------------------------------------
def test_onehot_by_hand_equals_f_one_hot():
    name = 'Daniel Tanaka'
    expected = F.one_hot(torch.tensor([letters.LETTER_DICT.index(letter) for letter in name]), 57)
    assert torch.equal(torch.tensor(letters.onehot_by_hand(name)), expected)


def test_dropped_letters_are_those_outside_the_57_beyond_accents():
    assert letters.dropped_letters(['Au-Yong', 'Ślusàrski', 'Groß', 'Ou-Yang']) == {'-': (2, 'Au-Yong'),
                                                                                  'ß': (1, 'Groß')}


def test_onehot_letters_runs_without_data_and_rejects_a_letter_outside_the_57(tmp_path):
    assert letters.names_files(tmp_path) == []  # No names data: nothing downloaded, the data's counts left out
    bad = run_main(f'{SECTION}/onehot_letters.py', '--name', 'Au-Yong', '--out-dir', tmp_path / 'out')
    assert bad.code == 1 and bad.err.count('\n') == 1 and "['-']" in bad.err


@pytest.mark.full  # test_04_concepts runs a concepts notebook; test_onehot_by_hand_equals_f_one_hot checks the work
def test_onehot_letters_notebook(notebooks, tmp_path):
    """As a notebook, with a few names of the data's own (a '-', an 'ß', accents): what the lesson drops."""
    data_dir = make_fake_names(tmp_path / 'data', {'Chinese': ['Au-Yong', 'Chan'], 'Irish': ['Ó Briain', 'Kelly'],
                                                   'German': ['Groß', 'Müller']})
    nb = notebooks.run('05_rnn_name2lang/concepts/onehot_letters.py', args=['--out-dir', tmp_path],
                       data_dir=data_dir, extra_cells=['print(array.argmax(dim=1).tolist())'])
    lines = notebook_text(nb).splitlines()
    assert lines[0] == 'LETTER_DICT: 57 letters (index, letter, ASCII code)'
    assert lines[1].startswith(" 0 'a' 0x61    1 'b' 0x62")
    assert lines[13:16] == ["ASCII codes: 'a' 0x61, 'b' 0x62, 'c' 0x63", "ASCII code of '-': 0x2d; 0x45 is 'E'",
                            "'-' in LETTER_DICT: False"]  # Each number says what it is
    assert 'by hand 4 ones  F.one_hot 4 ones  largest difference 0' in lines
    assert 'by hand 4 ones  text2onehot 4 ones  largest difference 0' in lines
    assert 'C: ' + '0' * 28 + '1' + '0' * 28 in lines
    assert 'Index of each letter (the 1 of its row): [28, 7, 14, 8]' in lines
    assert "Distance of the one-hot vectors: 'a' to 'b' 1.4142, 'a' to 'z' 1.4142" in lines
    assert "LETTER_DICT.find('-'): -1" in lines
    assert "unicode2ascii('Au-Yong'): 'AuYong'" in lines and 'text2onehot(\'Au-Yong\') reads "Au\'Yong"' in lines
    assert 'Names: 6 in 3 languages; unicode2ascii changes 4 of them' in lines
    assert "  dropped '-' (0x2D) 1 time, e.g. 'Au-Yong' -> 'AuYong'" in lines
    assert "  dropped 'ß' (0xDF) 1 time, e.g. 'Groß' -> 'Gro'" in lines
    assert lines[-3] == 'The 3 classes: 0 Chinese, 1 German, 2 Irish'  # Irish, the file's name (the slide: 'Iris')
    assert lines[-1] == '[28, 7, 14, 8]'
    assert (tmp_path / 'onehot_letters.png').is_file() and notebook_images(nb) == 1
