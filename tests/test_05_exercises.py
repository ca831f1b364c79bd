"""The exercises of 05_rnn_name2lang (05_rnn_name2lang/exercises/): each check catches the wrong answers a learner
writes (real code, through `assert_catches`), fails the slide's code as printed where it mends a slide's bug, and
passes the fix.

The generic tests (tests/test_exercises.py) run every exercise's solution, its unchanged file and its notebook.
"""
import re
import string

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from conftest import load_script, run_main
from test_exercises import assert_catches, results_of

from common.exercises import find_exercise, load_exercise, load_file, make_cases

LETTERS = string.ascii_letters + " .,;'"  # The lesson's LETTER_DICT
LESSON = '05_rnn_name2lang/rnn_name2lang.py'


def statuses(name, namespace, seed=0):
    return [result.status for result in results_of(find_exercise(name), namespace, seed)]


def learners_functions(name):
    """The functions of the exercise's file as the learner first gets it (the slide's code, for a slide's bug)."""
    return load_file(find_exercise(name).exercise)


# 01 rnn_step: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) ----------------------------------------------------
def test_rnn_step_catches_a_missing_bias_sigmoid_and_a_forgotten_state():
    def one_bias(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
        return torch.tanh(W_ih @ x_t + b_ih + W_hh @ h_prev)

    def sigmoid(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
        return torch.sigmoid(W_ih @ x_t + b_ih + W_hh @ h_prev + b_hh)

    def no_state(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):  # Each letter alone: no loop, no memory
        return torch.tanh(W_ih @ x_t + b_ih + b_hh)

    def tanh_of_the_input_only(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
        return torch.tanh(W_ih @ x_t + b_ih) + W_hh @ h_prev + b_hh

    for wrong in (one_bias, sigmoid, no_state, tanh_of_the_input_only):
        assert_catches('rnn_step', rnn_step=wrong)


def test_rnn_step_by_nn_rnncell_passes_with_a_note():
    def with_the_module(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
        cell = nn.RNNCell(len(x_t), len(h_prev)).double()
        cell.load_state_dict({'weight_ih': W_ih, 'weight_hh': W_hh, 'bias_ih': b_ih, 'bias_hh': b_hh})
        return cell(x_t, h_prev).detach()
    results = results_of(find_exercise('rnn_step'), {'rnn_step': with_the_module}, 0)
    assert all(result.status == 'pass' for result in results)
    assert 'it calls torch.nn.RNNCell.forward: the exercise asks for it by hand' in results[0].note


# 02 many_to_one: the loop, then fc(output[-1]) -------------------------------------------------------------------
def hidden_states(xs, W_ih, W_hh, b_ih, b_hh):
    h_t, hs = torch.zeros(W_hh.shape[0], dtype=xs.dtype), []
    for x_t in xs:
        h_t = torch.tanh(W_ih @ x_t + b_ih + W_hh @ h_t + b_hh)
        hs.append(h_t)
    return hs


def test_many_to_one_catches_the_first_output_a_step_short_no_memory_and_a_mean():
    def first_output(xs, W_ih, W_hh, b_ih, b_hh, W_fc, b_fc):  # output[0] for output[-1]
        return W_fc @ hidden_states(xs, W_ih, W_hh, b_ih, b_hh)[0] + b_fc

    def a_step_short(xs, W_ih, W_hh, b_ih, b_hh, W_fc, b_fc):  # range(len(xs) - 1): the last letter never read
        hs = hidden_states(xs[:-1], W_ih, W_hh, b_ih, b_hh)
        return W_fc @ (hs[-1] if hs else torch.zeros(W_hh.shape[0], dtype=xs.dtype)) + b_fc

    def no_memory(xs, W_ih, W_hh, b_ih, b_hh, W_fc, b_fc):  # h_{t-1} never carried over: only the last letter
        return W_fc @ torch.tanh(W_ih @ xs[-1] + b_ih + b_hh) + b_fc

    def mean_of_the_outputs(xs, W_ih, W_hh, b_ih, b_hh, W_fc, b_fc):  # Many-to-many, then averaged
        return W_fc @ torch.stack(hidden_states(xs, W_ih, W_hh, b_ih, b_hh)).mean(dim=0) + b_fc

    for wrong in (first_output, a_step_short, no_memory, mean_of_the_outputs):
        assert_catches('many_to_one', many_to_one=wrong)


# 03 lstm_cell and 04 lstm_cell_row: the LSTM table ---------------------------------------------------------------
def gate(w, name, x_t, h_prev):
    return w[f'W_{name}'] @ x_t + w[f'U_{name}'] @ h_prev + w[f'b_{name}']


def test_lstm_cell_catches_a_gate_turned_round_the_slides_cell_row_and_no_tanh():
    def forget_turned_round(x_t, h_prev, c_prev, w):  # A gate with the wrong sign: 1 - f_t keeps the cell state
        f_t, i_t, o_t = (torch.sigmoid(gate(w, name, x_t, h_prev)) for name in 'fio')
        c_t = (1 - f_t) * c_prev + i_t * torch.tanh(gate(w, 'c', x_t, h_prev))
        return o_t * torch.tanh(c_t), c_t

    def slides_cell_row(x_t, h_prev, c_prev, w):  # c~_t with the output gate's W_o, U_o, b_o, as printed
        f_t, i_t, o_t = (torch.sigmoid(gate(w, name, x_t, h_prev)) for name in 'fio')
        c_t = f_t * c_prev + i_t * torch.tanh(gate(w, 'o', x_t, h_prev))
        return o_t * torch.tanh(c_t), c_t

    def h_without_tanh(x_t, h_prev, c_prev, w):
        f_t, i_t, o_t = (torch.sigmoid(gate(w, name, x_t, h_prev)) for name in 'fio')
        c_t = f_t * c_prev + i_t * torch.tanh(gate(w, 'c', x_t, h_prev))
        return o_t * c_t, c_t

    def states_swapped(x_t, h_prev, c_prev, w):  # (c_t, h_t) for (h_t, c_t)
        h_t, c_t = load_file(find_exercise('lstm_cell').solution)['lstm_cell'](x_t, h_prev, c_prev, w)
        return c_t, h_t

    for wrong in (forget_turned_round, slides_cell_row, h_without_tanh, states_swapped):
        assert_catches('lstm_cell', lstm_cell=wrong)


def test_lstm_cell_row_fails_the_slides_table_and_other_wrong_mends():
    """As printed (the output gate's weights in the cell row) every check fails; so do two wrong mends."""
    slide = learners_functions('lstm_cell_row')['lstm_table']
    for seed in (0, 1, 2):
        assert set(statuses('lstm_cell_row', {'lstm_table': slide}, seed)) == {'fail'}

    def forget_weights(x_t, h_prev, c_prev, w):  # The cell row with the forget gate's weights
        f_t, i_t, o_t = (torch.sigmoid(gate(w, name, x_t, h_prev)) for name in 'fio')
        c_t = f_t * c_prev + i_t * torch.tanh(gate(w, 'f', x_t, h_prev))
        return o_t * torch.tanh(c_t), c_t

    def sigmoid_cell(x_t, h_prev, c_prev, w):  # The right weights, the gates' activation
        f_t, i_t, o_t = (torch.sigmoid(gate(w, name, x_t, h_prev)) for name in 'fio')
        c_t = f_t * c_prev + i_t * torch.sigmoid(gate(w, 'c', x_t, h_prev))
        return o_t * torch.tanh(c_t), c_t

    for wrong in (slide, forget_weights, sigmoid_cell):
        assert_catches('lstm_cell_row', lstm_table=wrong)


# 05 gru_cell: PyTorch's form -------------------------------------------------------------------------------------
def test_gru_cell_catches_the_slides_forms_and_no_reset():
    def gates(x_t, h_prev, w):
        return (torch.sigmoid(w[f'W_{name}'] @ x_t + w[f'U_{name}'] @ h_prev + w[f'b_{name}']) for name in 'rz')

    def slides_candidate(x_t, h_prev, w):  # The slide's U_h (r_t * h_{t-1}): r_t before the matrix (Cho et al.)
        r_t, z_t = gates(x_t, h_prev, w)
        h_tilde = torch.tanh(w['W_h'] @ x_t + w['U_h'] @ (r_t * h_prev) + w['b_in'] + w['b_hn'])
        return (1 - z_t) * h_tilde + z_t * h_prev

    def z_swapped(x_t, h_prev, w):  # The slide's z_t ("how much write h~_t"): h_t = z h~ + (1 - z) h_{t-1}
        r_t, z_t = gates(x_t, h_prev, w)
        h_tilde = torch.tanh(w['W_h'] @ x_t + w['b_in'] + r_t * (w['U_h'] @ h_prev + w['b_hn']))
        return z_t * h_tilde + (1 - z_t) * h_prev

    def no_reset(x_t, h_prev, w):
        _, z_t = gates(x_t, h_prev, w)
        h_tilde = torch.tanh(w['W_h'] @ x_t + w['b_in'] + w['U_h'] @ h_prev + w['b_hn'])
        return (1 - z_t) * h_tilde + z_t * h_prev

    for wrong in (slides_candidate, z_swapped, no_reset):
        assert_catches('gru_cell', gru_cell=wrong)


# 06 text2onehot: len(text) x 1 x 57 ------------------------------------------------------------------------------
def test_text2onehot_catches_the_wrong_length_no_batch_an_index_off_by_one_and_integers():
    def letters_only(text, device='cpu'):  # 52 letters: a one-hot of the wrong length
        tensor = torch.zeros(len(text), 1, len(string.ascii_letters))
        for idx, letter in enumerate(text):
            tensor[idx][0][string.ascii_letters.find(letter)] = 1
        return tensor

    def no_batch(text, device='cpu'):  # len(text) x 57: the RNN's batch dimension left out
        return F.one_hot(torch.tensor([LETTERS.index(letter) for letter in text]), len(LETTERS)).float()

    def off_by_one(text, device='cpu'):  # Indices from 1, as a learner counts letters
        tensor = torch.zeros(len(text), 1, len(LETTERS) + 1)
        for idx, letter in enumerate(text):
            tensor[idx][0][LETTERS.index(letter) + 1] = 1
        return tensor[:, :, :len(LETTERS)]

    def integers(text, device='cpu'):  # F.one_hot's int64: nn.RNN cannot read it
        return F.one_hot(torch.tensor([LETTERS.index(letter) for letter in text]), len(LETTERS)).unsqueeze(1)

    for wrong in (letters_only, no_batch, off_by_one, integers):
        assert_catches('text2onehot', text2onehot=wrong)
    result = results_of(find_exercise('text2onehot'), {'text2onehot': integers}, 0)[0]
    assert 'yours is torch.int64: nn.RNN reads floating-point numbers' in result.detail
    result = results_of(find_exercise('text2onehot'), {'text2onehot': letters_only}, 0)[0]
    assert 'shape: expected (4, 1, 57), yours (4, 1, 52)' in result.detail  # 'Choi'


def test_text2onehot_gives_choi_its_ones_at_28_7_14_8():
    """The check's first case is the slide's 'Choi', and PyTorch's answer there is the slide's array."""
    exercise = load_exercise(find_exercise('text2onehot'))
    case = make_cases(exercise, 0)[0]
    assert case.args == ('Choi',)
    assert exercise.expected_for(case).argmax(dim=2).flatten().tolist() == [28, 7, 14, 8]


# 07 tick_labels: a tick at each row, then its name ---------------------------------------------------------------
def test_tick_labels_fail_the_slides_lines_when_zoomed_and_wrong_mends():
    """As printed, the names are right in the whole matrix (matplotlib's first tick at -1) and one row off zoomed
    from row 1; a mend without the '' is off in the whole matrix; one axis mended leaves the other wrong."""
    import matplotlib.pyplot as plt
    import matplotlib.ticker as ticker
    slide = learners_functions('tick_labels')['plot_confusion']
    results = results_of(find_exercise('tick_labels'), {'plot_confusion': slide}, 0)
    assert [result.status for result in results] == ['fail'] * len(results)
    assert results[0].detail == ("the names of the rows and columns: zoomed to rows and columns 1-17: column 1: "
                                 "expected 'Chinese', yours 'Arabic'")  # One off: the name of row 0 on row 1

    def without_the_blank(conf_mat, target_names):
        fig = plt.figure()
        plt.imshow(conf_mat)
        plt.gca().set_xticklabels(target_names, rotation=90)
        plt.gca().set_yticklabels(target_names)
        plt.gca().xaxis.set_major_locator(ticker.MultipleLocator(1))
        plt.gca().yaxis.set_major_locator(ticker.MultipleLocator(1))
        return fig

    def columns_only(conf_mat, target_names):
        fig = plt.figure()
        plt.imshow(conf_mat)
        plt.xticks(range(len(target_names)), target_names, rotation=90)
        plt.gca().set_yticklabels([''] + target_names)
        plt.gca().yaxis.set_major_locator(ticker.MultipleLocator(1))
        return fig

    def no_figure(conf_mat, target_names):  # Draws, but returns nothing
        plt.imshow(conf_mat)
        plt.xticks(range(len(target_names)), target_names)

    for wrong in (slide, without_the_blank, columns_only, no_figure):
        assert_catches('tick_labels', plot_confusion=wrong)
    plt.close('all')


# 08 report_predict: the slide's f-string -------------------------------------------------------------------------
def slide_print_lines():
    """The slide's print line as the learner's file keeps it (commented), uncommented."""
    text = find_exercise('report_predict').exercise.read_text(encoding='utf-8')
    return [line.strip()[2:] for line in text.splitlines() if line.strip().startswith("# print(f' {i+1}.")
            or line.strip().startswith('# {top_val[i]*100')]


def test_report_predicts_slide_lines_do_not_compile():
    """The slide's line is not Python, as printed in two lines or joined into one: hence comments in the file."""
    lines = slide_print_lines()
    assert lines == ["print(f' {i+1}. {target_names[top_idx[i].item()]}:{<10}:", "{top_val[i]*100:4.1f} %')"]
    for source in ('\n'.join(lines), ' '.join(lines)):
        with pytest.raises(SyntaxError):
            compile(f'for i in range(1):\n    {source}\n', 'slide', 'exec')


def top_k(text, model, n_predict):
    """The slide's steps of report_predict before its print line: the top n_predict probabilities and classes."""
    model.eval()
    with torch.no_grad():
        output = model(load_script(LESSON).text2onehot(text))[0]
    return F.softmax(output, dim=0).topk(n_predict)


def test_report_predict_catches_right_alignment_no_percent_numbers_from_0_and_indices_for_names():
    def right_aligned(text, model, target_names, n_predict=5):
        print(f'* Name: {text}')
        top_val, top_idx = top_k(text, model, n_predict)
        for i in range(len(top_val)):
            print(f' {i+1}. {target_names[top_idx[i].item()]:>10}: {top_val[i]*100:4.1f} %')

    def no_percent(text, model, target_names, n_predict=5):  # The probability, not times 100
        print(f'* Name: {text}')
        top_val, top_idx = top_k(text, model, n_predict)
        for i in range(len(top_val)):
            print(f' {i+1}. {target_names[top_idx[i].item()]:<10}: {top_val[i]:4.1f} %')

    def numbered_from_0(text, model, target_names, n_predict=5):
        print(f'* Name: {text}')
        top_val, top_idx = top_k(text, model, n_predict)
        for i in range(len(top_val)):
            print(f' {i}. {target_names[top_idx[i].item()]:<10}: {top_val[i]*100:4.1f} %')

    def indices_for_names(text, model, target_names, n_predict=5):  # The class number, not its language
        print(f'* Name: {text}')
        top_val, top_idx = top_k(text, model, n_predict)
        for i in range(len(top_val)):
            print(f' {i+1}. {top_idx[i].item():<10}: {top_val[i]*100:4.1f} %')

    def no_name_line(text, model, target_names, n_predict=5):  # The slide's '* Name: ...' left out
        top_val, top_idx = top_k(text, model, n_predict)
        for i in range(len(top_val)):
            print(f' {i+1}. {target_names[top_idx[i].item()]:<10}: {top_val[i]*100:4.1f} %')

    for wrong in (right_aligned, no_percent, numbered_from_0, indices_for_names, no_name_line):
        assert_catches('report_predict', report_predict=wrong)


def test_report_predict_lets_the_indentation_be_the_learners():
    """The lesson's own line (two spaces before each rank) passes: the format is the slide's, the indentation free."""
    def lessons_line(text, model, target_names, n_predict=5):
        print(f'* Name: {text}')
        top_val, top_idx = top_k(text, model, n_predict)
        for i in range(len(top_val)):
            print(f'  {i+1}. {target_names[top_idx[i].item()]:<10}: '
                  f'{top_val[i]*100:4.1f} %')
    assert set(statuses('report_predict', {'report_predict': lessons_line})) == {'pass'}


def test_report_predict_mended_in_the_learners_file_passes_in_a_terminal(tmp_path):
    """The learner's run: the file as given is not started (exit 1); uncommented, Python stops at the slide's
    line; mended, every check passes (exit 0)."""
    given = find_exercise('report_predict').exercise.read_text(encoding='utf-8')
    uncommented = re.sub(r"\n *raise NotImplementedError\(.*\)\n", '\n', given.replace('# print(f', 'print(f')
                         .replace("# {top_val", "{top_val"))
    with pytest.raises(SyntaxError):
        compile(uncommented, 'uncommented', 'exec')
    mended = uncommented.replace("print(f' {i+1}. {target_names[top_idx[i].item()]}:{<10}:\n"
                                 "            {top_val[i]*100:4.1f} %')",
                                 "print(f' {i+1}. {target_names[top_idx[i].item()]:<10}: {top_val[i]*100:4.1f} %')")
    assert mended != uncommented
    path = tmp_path / '08_report_predict.py'
    path.write_text(mended, encoding='utf-8')
    result = run_main(path, '--seed', '4')
    assert result.code == 0 and result.err == '', result.out
    assert result.out.splitlines()[-1] == 'All 5 checks passed.'


# 09 beat_name2lang: the challenge -------------------------------------------------------------------------------
CHALLENGE = '05_rnn_name2lang/exercises/09_beat_name2lang.py'


def names_of(x):
    """The names in a batch of one-hot letters (L x N x 57), back as text."""
    return [''.join(LETTERS[int(index)] for index in column) for column in x.argmax(dim=2).T]


def oracle(known):
    """A model class that knows each name's language (`known`: name -> index), with nothing in its state_dict."""
    class Oracle(nn.Module):
        def __init__(self, input_size, output_size):
            super().__init__()
            self.output_size = output_size

        def forward(self, x):
            return F.one_hot(torch.tensor([known[name] for name in names_of(x)]), self.output_size).float()
    return Oracle


def fake_oracle(data_dir):
    lesson = load_script(LESSON)
    data, targets, _ = lesson.load_name_dataset(lesson.common.find_name_files(data_dir))
    return oracle(dict(zip(data, targets)))  # Each fake name in one language only


class Constant(nn.Module):
    """Every name in the first language: a model whose training did not work."""

    def __init__(self, input_size, output_size):
        super().__init__()
        self.fc = nn.Linear(input_size, output_size)

    def forward(self, x):
        return torch.zeros(x.shape[1], self.fc.out_features).index_fill_(1, torch.tensor([0]), 1.0)


class NotAModel:
    """An object a checkpoint may pickle: weights_only=True refuses to build it."""


def challenge_namespace(out_dir, **functions):
    namespace = dict(load_file(find_exercise('beat_name2lang').solution))
    namespace['args'] = type('Args', (), {'out_dir': out_dir})()  # As the file's run: where it saved the model
    namespace.update(functions)
    return namespace


def test_beat_name2lang_measures_a_saved_model_without_training_it(fake_names, tmp_path, monkeypatch):
    """The check loads MyBetterRNN's checkpoint and counts the held-out names it gets right: every one passes (the
    README's numbers to beat, no metrics.json of these names), a model that names one language for all fails, and so
    do a checkpoint of another model and one that pickles an object (weights_only=True)."""
    monkeypatch.setenv('DL_DATA_DIR', str(fake_names))
    torch.save({'model': {}, 'train_seconds': 2.5}, tmp_path / 'beat_name2lang.pt')
    Oracle = fake_oracle(fake_names)
    [result] = results_of(find_exercise('beat_name2lang'), challenge_namespace(tmp_path, MyBetterRNN=Oracle), 0)
    assert result.status == 'pass', result.detail
    assert re.match(r"yours 1\.0000 \((\d+) of \1 right\), trained in 2\.5 s; the lesson 0\.8242 in 16\.0 s: "
                    r"\+17\.6 points, 0\.16x its time \(the lesson's numbers: 05_rnn_name2lang/README\.md's",
                    result.note), result.note

    torch.save({'model': Constant(57, 3).state_dict()}, tmp_path / 'beat_name2lang.pt')
    [result] = results_of(find_exercise('beat_name2lang'), challenge_namespace(tmp_path, MyBetterRNN=Constant), 0)
    assert result.status == 'fail' and "is not above the lesson's 0.8242 yet" in result.detail
    assert 'training time not saved' in result.note
    assert_catches('beat_name2lang', args=challenge_namespace(tmp_path)['args'], MyBetterRNN=Constant)
    assert_catches('beat_name2lang', args=challenge_namespace(tmp_path)['args'])  # Changed after its training
    [result] = results_of(find_exercise('beat_name2lang'), challenge_namespace(tmp_path), 0)
    assert result.status == 'error' and 'holds another model, not a MyBetterRNN' in result.detail

    torch.save({'model': {}, 'object': NotAModel()}, tmp_path / 'beat_name2lang.pt')
    assert_catches('beat_name2lang', args=challenge_namespace(tmp_path)['args'], MyBetterRNN=Oracle)
    [result] = results_of(find_exercise('beat_name2lang'), challenge_namespace(tmp_path, MyBetterRNN=Oracle), 0)
    assert result.status == 'error' and 'Traceback' not in result.detail


def test_beat_name2lang_without_a_model_is_not_started_and_without_data_says_where(fake_names, tmp_path,
                                                                                  monkeypatch):
    [result] = results_of(find_exercise('beat_name2lang'), challenge_namespace(tmp_path), 0)
    assert result.status == 'not started' and f'no beat_name2lang.pt in {tmp_path}' in result.detail
    torch.save({'model': {}}, tmp_path / 'beat_name2lang.pt')
    (tmp_path / 'empty').mkdir()
    monkeypatch.setenv('DL_DATA_DIR', str(tmp_path / 'empty'))  # No names data: nothing downloaded, nothing passed
    namespace = challenge_namespace(tmp_path, MyBetterRNN=fake_oracle(fake_names))
    [result] = results_of(find_exercise('beat_name2lang'), namespace, 0)
    assert result.status == 'fail' and 'no held-out names to measure on' in result.detail


def test_beat_name2lang_as_a_learner_runs_it_trains_saves_then_checks(fake_names, tmp_path):
    """The learner's file as given (the lesson's model and training), one epoch on the fake names: it saves its
    model and the check measures it; --check-only then checks the same model without training."""
    options = ('--data-dir', fake_names, '--out-dir', tmp_path, '--epochs', '1', '--device', 'cpu')
    result = run_main(CHALLENGE, *options)
    assert result.err == '' and 'Traceback' not in result.out
    assert f"Model saved: {tmp_path / 'beat_name2lang.pt'}" in result.out
    assert sorted(path.name for path in tmp_path.iterdir()) == ['beat_name2lang.pt']  # Written atomically
    lines = result.out.splitlines()
    assert lines[-1] == ('The check passed.' if result.code == 0 else '0 of 1 check passed. The solution: '
                         '05_rnn_name2lang/exercises/solutions/09_beat_name2lang.py, after you tried.')
    measured = next(line for line in lines if line.startswith('note: yours '))
    assert 'right), trained in ' in measured and 'the lesson 0.8242 in 16.0 s' in measured  # The README's numbers
    again = run_main(CHALLENGE, '--check-only', *options)
    assert 'Model saved' not in again.out and 'Epoch' not in again.out and again.code == result.code
    assert next(line for line in again.out.splitlines() if line.startswith('note: yours ')) == measured


@pytest.mark.realdata
def test_beat_name2lang_checks_on_the_lessons_4015_held_out_names(real_data_dir, tmp_path, monkeypatch):
    """On the real names: the lesson's held-out split (4,015 of 20,074 in 18 languages, as rnn_name2lang.py has
    it); a model that knows every name passes, one language for all does not."""
    monkeypatch.setenv('DL_DATA_DIR', str(real_data_dir))
    exercise = load_exercise(find_exercise('beat_name2lang'))
    [case] = make_cases(exercise, 0)
    names, target_names = case.args
    assert len(names) == 4015 and len(target_names) == 18
    assert case.label.startswith("the lesson's 4015 held-out names of 20074 (20%, stratified, seed 777)")
    labels = exercise.expected_for(case)['labels']
    assert len(labels) == 4015 and set(labels.tolist()) == set(range(18))
    torch.save({'model': {}}, tmp_path / 'beat_name2lang.pt')
    Oracle = oracle(dict(zip(names, labels.tolist())))  # A name held out in two languages: one is wrong
    [result] = results_of(find_exercise('beat_name2lang'), challenge_namespace(tmp_path, MyBetterRNN=Oracle), 0)
    assert result.status == 'pass', result.detail
    assert re.match(r'yours (1\.0000|0\.99\d\d) \((39|40)\d\d of 4015 right\)', result.note), result.note
    torch.save({'model': Constant(57, 18).state_dict()}, tmp_path / 'beat_name2lang.pt')
    [result] = results_of(find_exercise('beat_name2lang'), challenge_namespace(tmp_path, MyBetterRNN=Constant), 0)
    assert result.status == 'fail' and "is not above the lesson's" in result.detail
