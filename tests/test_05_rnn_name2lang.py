"""Tests of 05_rnn_name2lang: the slide's helpers, batches of names of one length = one name at a time, the slide's
setting, train -> save -> load -> predict (names given, typed or piped) for the lesson and the further script,
the further script's model, average and ablation, all scripts as notebooks.

Hermetic tests write a few names per language into tmp_path/names/; the real-data tier
(`real_data_dir`) trains briefly on the 20,074 real names and checks held-out accuracy.
"""
import json
import os
import re
import string
import subprocess
import sys
import urllib.error

import pytest
import torch
import torch.nn as nn
from conftest import REPO_ROOT, load_script, notebook_images, notebook_text, run_cli, run_main

import common

SCRIPT = '05_rnn_name2lang/rnn_name2lang.py'
FURTHER = '05_rnn_name2lang/further/rnn_name2lang_further.py'
LOAD = '05_rnn_name2lang/rnn_name2lang_load.py'
BENCH = 'benchmarks/rnn_batching.py'
name2lang = load_script(SCRIPT)
further = load_script(FURTHER)
name2lang_load = load_script(LOAD)

# Four languages whose names a tiny RNN tells apart in a few epochs (endings and letters differ)
TINY_NAMES = {
    'Japanese': ['Tanaka', 'Suzuki', 'Takahashi', 'Watanabe', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato',
                 'Yoshida', 'Yamada', 'Sasaki', 'Matsumoto', 'Inoue', 'Kimura', 'Hayashi', 'Shimizu'],
    'Korean': ['Choi', 'Kim', 'Park', 'Jeong', 'Kang', 'Cho', 'Yoon', 'Jang', 'Lim', 'Han', 'Oh', 'Seo',
               'Shin', 'Kwon', 'Hwang', 'Ahn'],
    'Polish': ['Ślusàrski', 'Nowak', 'Kowalski', 'Wisniewski', 'Wojcik', 'Kowalczyk', 'Kaminski',
               'Lewandowski', 'Zielinski', 'Szymanski', 'Wozniak', 'Dabrowski', 'Kozlowski', 'Jankowski',
               'Mazur', 'Kwiatkowski', '李'],  # '李' has no ASCII letter: left out
    'Russian': ['Ivanov', 'Smirnov', 'Kuznetsov', 'Popov', 'Vasiliev', 'Petrov', 'Sokolov', 'Mikhailov',
                'Novikov', 'Fedorov', 'Morozov', 'Volkov', 'Alekseev', 'Lebedev', 'Semenov', 'Egorov'],
}
TINY = ['--epochs', '12', '--batch-size', '4', '--hidden-size', '32', '--device', 'cpu']
TINY_FURTHER = ['--epochs', '4', '--batch-size', '8', '--lr', '0.02', '--hidden-size', '16', '--device', 'cpu']
LOG_LINE = re.compile(r'^ *(\d+) \( *[\d.]+ sec\), TrLoss=([\d.]+), VaLoss=([\d.]+), VaAcc=([\d.]+)$', re.M)
REPORT_LINE = re.compile(r'^  [1-9]\. \w+ *: *(\d+\.\d) %$', re.M)  # '  1. Korean    : 50.5 %'
ACCURACY_LINE = re.compile(r'^Validation accuracy: ([\d.]+), balanced accuracy: ([\d.]+)', re.M)
# 'Choi' as the slides 1/7-2/7 show it: 4 x 1 x 57, a 1 at the place of each letter in a-z A-Z .,;'
CHOI_INDICES = [(string.ascii_letters + " .,;'").index(letter) for letter in 'Choi']
TEST_NAMES = ['Choi', 'Jane', 'Daniel', 'Chow', 'Tanaka']  # The slide's step 5


def write_tiny_data(folder):
    """Write folder/names/<Language>.txt, a few names each; return `folder`."""
    names_dir = folder / 'names'
    names_dir.mkdir(parents=True)
    for lang, names in TINY_NAMES.items():
        (names_dir / f'{lang}.txt').write_text('\n'.join(names) + '\n', encoding='utf-8')
    return folder


def without_times(text):
    return re.sub(r'\(\s*[\d.]+ sec\)', '', text)


@pytest.fixture
def tiny_data(tmp_path):
    """A data folder tmp_path/data with names/<Language>.txt."""
    return write_tiny_data(tmp_path / 'data')


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """Train the lesson on the tiny data once for the whole module; return (data_dir, out_dir, Result)."""
    tmp_path = tmp_path_factory.mktemp('trained')
    data_dir, out_dir = write_tiny_data(tmp_path / 'data'), tmp_path / 'out'
    result = run_main(SCRIPT, '--data-dir', data_dir, '--out-dir', out_dir, *TINY)
    assert result.code == 0, result.err
    return data_dir, out_dir, result


@pytest.fixture(scope='module')
def trained_further(tmp_path_factory):
    """The further script, 2 models averaged, on the tiny data; return (data_dir, out_dir, Result)."""
    tmp_path = tmp_path_factory.mktemp('further')
    data_dir, out_dir = write_tiny_data(tmp_path / 'data'), tmp_path / 'out'
    result = run_main(FURTHER, '--data-dir', data_dir, '--out-dir', out_dir, *TINY_FURTHER, '--models', '2')
    assert result.code == 0, result.err
    return data_dir, out_dir, result


def test_slide_helpers():
    assert name2lang.unicode2ascii('Ślusàrski') == 'Slusarski'
    letters = name2lang.text2onehot(name2lang.LETTER_DICT)[:, 0]  # Each of the letters has its own place
    assert torch.equal(letters, torch.eye(len(name2lang.LETTER_DICT)))
    onehot = name2lang.text2onehot('Choi')
    assert onehot.shape == (4, 1, 57)  # sequence x batch x 57, as on the slide
    assert onehot.sum().item() == 4
    assert onehot[:, 0].argmax(dim=1).tolist() == CHOI_INDICES == [28, 7, 14, 8]  # The slide's 7 8 14 28
    model = name2lang.MyRNN(57, 18)  # The slide's model by default: nn.RNN(57, 128), fc 128 -> 18
    assert type(model.rnn) is nn.RNN and (model.rnn.input_size, model.rnn.hidden_size) == (57, 128)
    assert model.rnn.num_layers == 1 and not model.rnn.bidirectional and model.fc.in_features == 128
    for rnn_type in name2lang.RNN_UNITS:  # Each --rnn-type builds its unit
        assert type(name2lang.MyRNN(57, 18, rnn_type).rnn).__name__.lower() == rnn_type


def test_load_name_dataset(tiny_data):
    files = sorted((tiny_data / 'names').glob('*.txt'))
    data, targets, target_names = name2lang.load_name_dataset(files)
    assert target_names == ['Japanese', 'Korean', 'Polish', 'Russian']  # From the file names
    assert len(data) == 16 * 4 and '' not in data and len(targets) == len(data)  # '李' is left out
    assert data[targets.index(2)] == 'Slusarski'
    (tiny_data / 'names' / 'Empty.txt').write_text('...\n\n', encoding='utf-8')
    with pytest.raises(common.UserError, match='Empty.txt.* holds no names'):
        name2lang.load_name_dataset(sorted((tiny_data / 'names').glob('*.txt')))


def test_batches_hold_names_of_one_length_each_once():
    names = ['Choi', 'Jane', 'Daniel', 'Chow', 'Tanaka', 'Abdan', 'Oh', 'Wisniewski', 'Kim', 'Lee']
    pairs = [(name2lang.text2onehot(name), torch.LongTensor([target])) for target, name in enumerate(names)]
    batches = name2lang.batches_of_one_length(pairs, batch_size=2)
    seen = []
    for x, y in batches:
        assert x.dim() == 3 and x.shape[1] == len(y) <= 2 and x.shape[2] == 57
        assert {len(names[i]) for i in y.tolist()} == {x.shape[0]}  # One length, no padding
        for column, target in enumerate(y.tolist()):
            assert torch.equal(x[:, column:column + 1], pairs[target][0])
        seen += y.tolist()
    assert sorted(seen) == list(range(len(names)))
    in_order = name2lang.batches_of_one_length(pairs, batch_size=100, shuffle=False)
    assert [y.tolist() for _, y in in_order] == [[0, 1, 3], [2, 4], [5], [6], [7], [8, 9]]  # In order of length seen


@pytest.mark.parametrize('rnn_type, num_layers', [('rnn', 1), ('lstm', 2), ('gru', 2)])
def test_batched_equals_one_by_one(rnn_type, num_layers):
    """The slide's `fc(output[-1])` on a batch of names of one length: each name's own result."""
    torch.manual_seed(0)
    model = name2lang.MyRNN(57, 18, rnn_type, hidden_size=16, num_layers=num_layers).eval()
    names = ['Choi', 'Jane', 'Chow', 'Park']
    x = torch.cat([name2lang.text2onehot(name) for name in names], dim=1)
    with torch.no_grad():
        batched = model(x)
        one_by_one = torch.cat([model(name2lang.text2onehot(name)) for name in names])
    assert batched.shape == (len(names), 18)
    torch.testing.assert_close(batched, one_by_one, atol=1e-5, rtol=1e-5)
    assert name2lang.predict('Choi', model) == one_by_one[0].argmax().item()


def test_further_model_extends_the_lesson_model():
    """MyRNNFurther: the lesson's MyRNN by default; bidirectional: the forward half after the last letter and the
    backward half after the first; max pooling: each unit's largest output over the letters."""
    assert issubclass(further.MyRNNFurther, further.MyRNN) and further.MyRNN.__module__ == 'rnn_name2lang'
    torch.manual_seed(0)
    plain = further.MyRNNFurther(57, 18, hidden_size=16).eval()
    x = name2lang.text2onehot('Daniel')
    with torch.no_grad():
        output, _ = plain.rnn(x)
        torch.testing.assert_close(plain(x), plain.fc(output[-1]))
    model = further.MyRNNFurther(57, 18, 'gru', 16, bidirectional=True).eval()
    assert model.rnn.bidirectional and model.fc.in_features == 32
    names = ['Choi', 'Chow', 'Park']
    batch = torch.cat([name2lang.text2onehot(name) for name in names], dim=1)
    with torch.no_grad():
        output, hidden = model.rnn(x)
        torch.testing.assert_close(model(x), model.fc(torch.cat([hidden[0], hidden[1]], dim=1)), atol=1e-6, rtol=1e-6)
        torch.testing.assert_close(model(batch), torch.cat([model(name2lang.text2onehot(n)) for n in names]),
                                   atol=1e-5, rtol=1e-5)
        model.pooling = 'max'
        output, _ = model.rnn(name2lang.text2onehot('Oh'))  # 2 x 1 x 32: the larger of its two letters' outputs
        torch.testing.assert_close(model(name2lang.text2onehot('Oh')), model.fc(torch.maximum(output[0], output[1])))


def test_average_of_the_probabilities():
    torch.manual_seed(0)
    models = [further.MyRNNFurther(57, 4, hidden_size=8, pooling=pooling).eval() for pooling in ['last', 'max']]
    x = torch.cat([name2lang.text2onehot(name) for name in ['Choi', 'Park', 'Chow']], dim=1)
    with torch.no_grad():
        output = further.Average(models)(x)
        probs = [model(x).softmax(dim=1) for model in models]
    torch.testing.assert_close(output.exp(), (probs[0] + probs[1]) / 2)
    torch.testing.assert_close(output.softmax(dim=1), output.exp())  # What report_predict prints: the average
    assert not torch.allclose(probs[0], probs[1])
    assert further.average_of(models[:1]) is models[0] and list(further.average_of(models)) == models
    with torch.no_grad():  # Probabilities that underflow to 0 in float32 still give finite log-probabilities
        for model in models:
            model.fc.weight *= 1e4
        output = further.Average(models)(x)
    assert torch.isfinite(output).all() and (output.exp().sum(dim=1) - 1).abs().max() < 1e-5


def test_class_weights():
    targets = [0] * 8 + [1] * 2
    assert further.class_weights(targets, 3, 0) is None  # No weights
    weights = further.class_weights(targets, 3, 1)
    assert weights[0] * 8 == pytest.approx(weights[1].item() * 2)  # Balanced: each language weighs the same
    assert (weights[0] * 8 + weights[1] * 2).item() == pytest.approx(10)  # A mean of 1 over the names


def test_train_save_and_report(trained):
    tiny_data, out_dir, result = trained
    out = result.out
    assert out.startswith('Device: cpu\nNames: 64 in 4 languages\n')
    # Slides 1/7-2/7: the one-hot 'Choi', printed in step 1
    assert f"text2onehot('Choi'): [4, 1, 57], the 1s at {CHOI_INDICES}\n" in out
    assert 'Training names: 51, validation names: 13' in out
    logs = LOG_LINE.findall(out)
    assert [int(log[0]) for log in logs] == list(range(1, 13))
    losses = [float(log[1]) for log in logs]
    assert losses[-1] < losses[0] / 2
    # report_predict as on the slide: '* Name: Choi' then '  1. Korean    : 50.5 %', in the slide's order
    assert re.findall(r'^\* Name: (\w+)$', out, re.M) == TEST_NAMES
    assert len(REPORT_LINE.findall(out)) == 5 * 4
    accuracy, balanced = (float(number) for number in ACCURACY_LINE.search(out).groups())
    assert accuracy > 0.5 and 0 <= balanced <= 1  # 13 held-out names, 4 languages (chance 0.25)
    assert accuracy == pytest.approx(float(logs[-1][3]), abs=0.0005)  # The same model, the same names
    for figure in ['rnn_name2lang_loss.png', 'rnn_name2lang_confusion.png']:
        assert (out_dir / figure).stat().st_size > 1000
    checkpoint = torch.load(out_dir / 'rnn_name2lang.pt', weights_only=True)
    assert checkpoint['target_names'] == list(TINY_NAMES) and checkpoint['letter_dict'] == name2lang.LETTER_DICT
    assert checkpoint['format'] == 'rnn_name2lang'
    assert checkpoint['options'] == {'rnn_type': 'gru', 'hidden_size': 32, 'num_layers': 1, 'dropout': 0.}
    # What a notebook leaves to inspect: the lesson's SGD and StepLR, stepped after each epoch
    model, names = result.vars['model'], result.vars['data']
    assert type(model).__name__ == 'MyRNN' and len(result.vars['loss_list']) == 12 and len(names) == 64
    assert type(model.rnn) is nn.GRU and model.rnn.hidden_size == 32
    assert isinstance(result.vars['optimizer'], torch.optim.SGD)
    assert result.vars['optimizer'].param_groups[0]['momentum'] == name2lang.OPTIMIZER_PARAM['momentum']
    assert result.vars['scheduler'].last_epoch == 12
    # The confusion matrix: a tick and its language at each row and column (the slide's labels were shifted)
    assert result.vars['conf_mat'].shape == (4, 4)
    # Nothing was written into the data folder
    assert sorted(p.relative_to(tiny_data).as_posix() for p in tiny_data.rglob('*')) == \
        ['names'] + [f'names/{lang}.txt' for lang in sorted(TINY_NAMES)]


def test_confusion_matrix_labels_sit_on_their_rows(trained, monkeypatch, tmp_path):
    """Each language's name is the label of its own tick (the slide's [''] + names before MultipleLocator(1)
    depends on where matplotlib puts the first tick)."""
    import matplotlib.pyplot as plt
    tiny_data, _, _ = trained
    figures = []
    monkeypatch.setattr(common, 'save_figure', lambda fig, out_dir, name, show=True: figures.append(fig))
    result = run_main(SCRIPT, '--data-dir', tiny_data, '--out-dir', tmp_path, *TINY, '--epochs', '1')
    assert result.code == 0, result.err
    ax = figures[1].axes[0]
    figures[1].canvas.draw()
    for axis in (ax.xaxis, ax.yaxis):
        labels = {tick.get_position()[0 if axis is ax.xaxis else 1]: tick.get_text() for tick in axis.get_ticklabels()}
        assert labels == {float(i): lang for i, lang in enumerate(TINY_NAMES)}
    plt.close('all')


def test_same_seed_same_log(trained, tmp_path):
    tiny_data, out_dir, first = trained
    again = run_main(SCRIPT, '--data-dir', tiny_data, '--out-dir', tmp_path, *TINY)
    assert without_times(again.out).replace(str(tmp_path), str(out_dir)) == without_times(first.out)


def test_slide_setting(fake_names, tmp_path):
    """--slide-setting builds the slide's model and training; an explicit --epochs still wins."""
    result = run_main(SCRIPT, '--slide-setting', '--epochs', '1', '--data-dir', fake_names, '--out-dir', tmp_path,
                      '--device', 'cpu')
    assert result.code == 0, result.err
    v = result.vars
    args, model, optimizer, scheduler = v['args'], v['model'], v['optimizer'], v['scheduler']
    assert args.epochs == 1 and len(v['loss_list']) == 1
    for key, value in name2lang.SLIDE_SETTING.items():
        if key != 'epochs':
            assert getattr(args, key) == value, key
    assert type(model.rnn) is nn.RNN and model.rnn.input_size == 57 and model.rnn.hidden_size == 128
    assert model.rnn.num_layers == 1 and not model.rnn.bidirectional and model.fc.in_features == 128
    assert type(optimizer) is torch.optim.SGD and optimizer.param_groups[0]['lr'] == 0.01
    assert optimizer.param_groups[0]['momentum'] == 0
    assert type(scheduler) is torch.optim.lr_scheduler.StepLR
    assert (scheduler.step_size, scheduler.gamma) == (5, 0.5)
    assert scheduler.last_epoch == 1  # Stepped after each epoch, not after each of the 28 names
    assert len(v['batches_train']) == 28 and all(len(y) == 1 for _, y in v['batches_train'])  # One name per step
    assert v['loss_func'].weight is None and v['loss_func'].label_smoothing == 0
    assert 'Training names: 28, validation names: 8' in result.out  # Still held out
    assert re.findall(r'^\* Name: (\w+)$', result.out, re.M) == TEST_NAMES


def test_further_trains_averages_saves_and_loads(trained_further, tmp_path):
    """--models 2: models from the seeds 777 and 778, averaged; the first is what --models 1 trains; the saved
    average loads in rnn_name2lang_load.py and reports what the training run reported."""
    tiny_data, out_dir, result = trained_further
    out, v = result.out, result.vars
    assert 'Names: 64 in 4 languages\nTraining names: 51, validation names: 13\n' in out
    assert re.findall(r'^Model (\d) of 2 \(seed (\d+)\)$', out, re.M) == [('1', '777'), ('2', '778')]
    assert [int(log[0]) for log in LOG_LINE.findall(out)] == [1, 2, 3, 4, 1, 2, 3, 4]
    assert [row[0] for row in v['loss_list']] == list(range(1, 9))  # The curves: one model after the other
    model = v['model']
    assert type(model).__name__ == 'Average' and len(model) == 2
    assert all(type(m).__name__ == 'MyRNNFurther' and m.rnn.bidirectional and m.pooling == 'max' for m in model)
    assert not torch.equal(model[0].fc.weight, model[1].fc.weight)  # Different seeds, different models
    accuracy, balanced = (float(number) for number in ACCURACY_LINE.search(out).groups())
    metrics = json.loads((out_dir / 'metrics.json').read_text(encoding='utf-8'))
    assert metrics['results'][0]['accuracy'] == pytest.approx(accuracy, abs=5e-5) and accuracy > 0.5
    assert metrics['options']['models'] == 2 and metrics['machine'].startswith('CPU: ')
    assert (out_dir / 'rnn_name2lang_further_loss.png').stat().st_size > 1000
    checkpoint = torch.load(out_dir / 'rnn_name2lang_further.pt', weights_only=True)
    assert checkpoint['format'] == 'rnn_name2lang_further' and checkpoint['n_models'] == 2
    assert '1.fc.weight' in checkpoint['model'] and checkpoint['options']['pooling'] == 'max'
    # The first model, alone: what --models 1 trains
    alone = run_main(FURTHER, '--data-dir', tiny_data, '--out-dir', tmp_path, *TINY_FURTHER, '--models', '1')
    assert type(alone.vars['model']).__name__ == 'MyRNNFurther'
    for key, value in alone.vars['model'].state_dict().items():
        torch.testing.assert_close(model[0].state_dict()[key], value)
    # rnn_name2lang_load.py rebuilds the average: the slide's five names, the same percentages
    loaded = run_main(LOAD, *TEST_NAMES, '--model', out_dir / 'rnn_name2lang_further.pt', '--device', 'cpu')
    assert loaded.code == 0 and type(loaded.vars['model']).__name__ == 'Average'
    reports = out[out.index('* Name: Choi'):]
    assert loaded.out.endswith(reports) and len(REPORT_LINE.findall(reports)) == 5 * 4
    checkpoint['n_models'] = 0  # Not the model it describes
    torch.save(checkpoint, tmp_path / 'none.pt')
    loaded = run_main(LOAD, 'Choi', '--model', tmp_path / 'none.pt')
    assert loaded.code == 1 and 'does not match the model of rnn_name2lang_further.py' in loaded.err
    assert loaded.err.count('\n') == 1


def test_further_ablation_one_change_at_a_time(tiny_data, tmp_path):
    result = run_main(FURTHER, '--data-dir', tiny_data, '--out-dir', tmp_path, '--ablation', *TINY_FURTHER,
                      '--epochs', '1')
    assert result.code == 0, result.err
    table = result.out[result.out.index('\nstep '):].splitlines()[2:2 + len(further.ABLATION)]
    assert [line[:22].strip() for line in table] == [label for label, _ in further.ABLATION]
    rows = [line[22:].split() for line in table]
    assert all(0 <= float(acc) <= 1 and 0 <= float(bal) <= 1 and float(sec) >= 0 for acc, bal, sec in rows)
    results = json.loads((tmp_path / 'metrics.json').read_text(encoding='utf-8'))['results']
    assert [f"{r['accuracy']:.4f}" for r in results] == [acc for acc, _, _ in rows]
    assert all(r['train_seconds'] > 0 for r in results)  # Printed to 0.1 s: a tiny row may print 0.0
    first, last = results[0], results[-1]
    assert first['options'] == {'rnn_type': 'rnn', 'hidden_size': 128, 'num_layers': 1, 'dropout': 0.,
                                'bidirectional': False, 'pooling': 'last'} and first['models'] == 1
    assert last['options'] == further.model_options(vars(result.vars['args']) | dict(hidden_size=further.HIDDEN_SIZE))
    assert last['models'] == further.N_MODELS
    assert re.findall(r'^Model 1 of (\d)', result.out, re.M) == ['1'] * 6 + [str(further.N_MODELS)]
    assert (tmp_path / 'rnn_name2lang_ablation.png').stat().st_size > 1000


def test_latin1_names_file_is_read_with_one_warning(tmp_path):
    data_dir = write_tiny_data(tmp_path / 'data')
    german = data_dir / 'names' / 'German.txt'
    german.write_bytes('Schmidt\nMüller\nSchneider\nFischer\nWeber\nMeyer\nWagner\nBecker\n'.encode('latin-1'))
    result = run_main(SCRIPT, '--data-dir', data_dir, '--out-dir', tmp_path / 'out', *TINY, '--epochs', '1')
    assert result.code == 0
    assert result.err == f"warning: '{german.resolve()}' is not UTF-8 (line 2); read it as Latin-1\n"
    data, targets, target_names = (result.vars[key] for key in ('data', 'targets', 'target_names'))
    assert 'Muller' in data and target_names[targets[data.index('Muller')]] == 'German'


@pytest.mark.parametrize('script', [SCRIPT, FURTHER, LOAD])
def test_help_is_one_sentence_and_lists_the_settings(script):
    result = run_main(script, '--help')
    assert result.code == 0
    description = common.cli.first_paragraph(load_script(script).__doc__)
    assert description in ' '.join(result.out.split())
    options = {SCRIPT: ['--slide-setting', '--rnn-type {rnn,lstm,gru}', '--hidden-size', '--num-layers', '--dropout',
                        '--momentum'],
               FURTHER: ['--rnn-type {rnn,lstm,gru}', '--bidirectional', '--pooling {last,max}', '--class-weight',
                         '--label-smoothing', '--models', '--ablation'],
               LOAD: ['--model', '--top-k']}[script]
    for option in options:
        assert option in result.out


@pytest.mark.parametrize('script, option', [
    (SCRIPT, ['--rnn-type', 'transformer']), (SCRIPT, ['--dropout', '1.5']), (SCRIPT, ['--hidden-size', '0']),
    (SCRIPT, ['--epochs', '0']), (SCRIPT, ['--momentum', '1']), (FURTHER, ['--class-weight', '-1']),
    (FURTHER, ['--models', '0']), (FURTHER, ['--pooling', 'mean']), (FURTHER, ['--label-smoothing', '1'])])
def test_bad_options_exit_2(script, option, tmp_path):
    result = run_main(script, *option, '--out-dir', tmp_path)
    assert result.code == 2
    assert result.err.count('\n') == 1 and option[0] in result.err
    assert not any(tmp_path.iterdir())


def test_load_script_predicts_and_rejects(trained, tmp_path):
    _, out_dir, _ = trained
    model_path = out_dir / 'rnn_name2lang.pt'
    result = run_main(LOAD, 'Tanaka', 'Ślusàrski', '--model', model_path, '--top-k', '2', '--device', 'cpu')
    assert result.code == 0
    assert re.search(r'\* Name: Tanaka\n  1\. Japanese *: *\d+\.\d %\n  2\. ', result.out)
    assert '* Name: Slusarski\n  1. Polish' in result.out  # In ASCII, as the lesson reads its names
    assert type(result.vars['model']).__name__ == 'MyRNN' and result.vars['target_names'] == list(TINY_NAMES)
    # A name without letters gives one line on stderr, exit code 1, no traceback
    result = run_main(LOAD, 'Choi', "'.", '--model', model_path)
    assert result.code == 1 and result.err.startswith('error: name') and result.err.count('\n') == 1
    for bad_name in ['', '   ', '李', '...']:  # Checked before the model is even loaded
        result = run_main(LOAD, 'Choi', bad_name, '--model', tmp_path / 'missing.pt')
        assert result.code == 1 and result.err.startswith('error: name') and 'no letters' in result.err
        assert result.err.count('\n') == 1 and '* Name' not in result.out
    torch.save({'model': {}, 'format': 'something else'}, tmp_path / 'other.pt')
    torch.save({'conv1.weight': torch.zeros(2, 1, 3, 3)}, tmp_path / 'cnn.pt')  # Another model's state_dict
    checkpoint = torch.load(model_path, weights_only=True)
    checkpoint['options']['hidden_size'] = 64  # A state_dict that does not fit the model it describes
    torch.save(checkpoint, tmp_path / 'mismatch.pt')
    for path, message in [(out_dir / 'missing.pt', 'does not exist'),
                          (out_dir / 'rnn_name2lang_loss.png', 'not a model checkpoint'),
                          (tmp_path / 'other.pt', 'not a model saved by rnn_name2lang.py or rnn_name2lang_further.py'),
                          (tmp_path / 'cnn.pt', "another model's checkpoint"),
                          (tmp_path / 'mismatch.pt', 'does not match the model of rnn_name2lang.py')]:
        result = run_main(LOAD, 'Choi', '--model', path)
        assert result.code == 1 and message in result.err and result.err.count('\n') == 1
    # A good one: the top-k list, probabilities in decreasing order, summing to at most 100 %
    result = run_main(LOAD, 'Tanaka', '--model', model_path, '--top-k', '3')
    percents = [float(p) for p in REPORT_LINE.findall(result.out)]
    assert len(percents) == 3 and percents[0] >= percents[1] >= percents[2] and sum(percents) <= 100.05


def test_load_script_reports_what_the_lesson_reported(trained):
    _, out_dir, trained_run = trained
    loaded = run_main(LOAD, *TEST_NAMES, '--model', out_dir / 'rnn_name2lang.pt', '--device', 'cpu')
    assert loaded.code == 0 and loaded.out.endswith(trained_run.out[trained_run.out.index('* Name: Choi'):])


def test_load_script_reads_piped_names(trained):
    """`echo Choi | python rnn_name2lang_load.py`: a name a line; a bad one is said and skipped; an empty line ends."""
    _, out_dir, _ = trained
    result = run_cli(LOAD, '--model', out_dir / 'rnn_name2lang.pt', '--top-k', '1', '--device', 'cpu',
                     input='Choi\n...\nTanaka\n\nKim\n')
    assert result.returncode == 0
    assert re.findall(r'^\* Name: (\w+)$', result.stdout, re.M) == ['Choi', 'Tanaka']
    assert len(REPORT_LINE.findall(result.stdout)) == 2 and name2lang_load.PROMPT not in result.stdout
    assert result.stderr == ("error: name '...' has no letters A-Z after converting it to ASCII; "
                             "give a name like 'Choi'\n")


def test_load_script_prompts_on_a_terminal(trained):
    """On a terminal, with no names, it asks one at a time; a bad name does not end it; Ctrl-D does."""
    if sys.platform == 'win32':
        pytest.skip('a terminal made by pty, which Windows lacks (there Ctrl-Z, then Enter, ends the input)')
    import pty  # POSIX only: imported here, never where Windows collects the tests
    _, out_dir, _ = trained
    terminal, stdin = pty.openpty()
    process = subprocess.Popen([sys.executable, str(REPO_ROOT / LOAD), '--model', str(out_dir / 'rnn_name2lang.pt'),
                                '--top-k', '1', '--device', 'cpu'], stdin=stdin, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, encoding='utf-8', env=dict(os.environ, MPLBACKEND='Agg'))
    os.close(stdin)
    os.write(terminal, b'Choi\n...\n\x04')  # Typed: Choi, ..., then Ctrl-D on an empty line
    out, err = process.communicate(timeout=120)
    os.close(terminal)
    prompt = re.escape(name2lang_load.PROMPT)
    assert process.returncode == 0
    assert re.fullmatch(rf'Device: cpu\n{prompt}\* Name: Choi\n  1\. \w+ *: *\d+\.\d %\n{prompt}{prompt}\n', out)
    assert err.count('\n') == 1 and err.startswith("error: name '...' has no letters")


def test_notebooks(notebooks, fake_names, tmp_path):
    """The scripts as notebooks, tiny and hermetic: the slide's prints, figures inline, globals left."""
    out_dir = tmp_path / 'out'
    nb = notebooks.run('05_rnn_name2lang/rnn_name2lang.py',
                       args=['--out-dir', out_dir, '--device', 'cpu', '--hidden-size', '16', '--batch-size', '8'],
                       data_dir=fake_names, edits={'EPOCH_MAX = 10': 'EPOCH_MAX = 2'},  # A constant feeds --epochs
                       extra_cells=['print(type(model).__name__, len(loss_list), len(data), target_names)'])
    text = notebook_text(nb)
    assert 'Device: cpu\nNames: 36 in 3 languages\n' in text
    assert f"text2onehot('Choi'): [4, 1, 57], the 1s at {CHOI_INDICES}\n" in text
    assert [int(log[0]) for log in LOG_LINE.findall(text)] == [1, 2]
    assert re.findall(r'^\* Name: (\w+)$', text, re.M) == TEST_NAMES
    assert "MyRNN 2 36 ['English', 'Japanese', 'Korean']" in text
    assert notebook_images(nb) == 2  # The loss curves and the confusion matrix
    assert not notebook_text(nb, 'stderr')

    # No names and nothing to ask in a notebook: the slide's five names
    nb = notebooks.run('05_rnn_name2lang/rnn_name2lang_load.py',
                       args=['--model', out_dir / 'rnn_name2lang.pt', '--device', 'cpu'],
                       edits={'TOP_K = 5': 'TOP_K = 2'}, extra_cells=['print(type(model).__name__, target_names)'])
    text = notebook_text(nb)
    assert re.findall(r'^\* Name: (\w+)$', text, re.M) == TEST_NAMES
    assert len(REPORT_LINE.findall(text)) == 5 * 2
    assert "MyRNN ['English', 'Japanese', 'Korean']" in text and notebook_images(nb) == 0


@pytest.mark.full  # test_notebooks runs the lesson and load notebooks; test_further_trains_averages_saves_and_loads
def test_further_notebook(notebooks, fake_names, tmp_path):
    """The further script as a notebook, tiny: 2 models averaged, then loaded."""
    out_dir = tmp_path / 'out'
    nb = notebooks.run('05_rnn_name2lang/further/rnn_name2lang_further.py',
                       args=['--out-dir', out_dir, '--device', 'cpu', '--hidden-size', '8', '--epochs', '2'],
                       data_dir=fake_names,
                       edits={'N_MODELS = 5': 'N_MODELS = 2'}, extra_cells=['print(type(model).__name__, len(model))'])
    text = notebook_text(nb)
    assert re.findall(r'^Model (\d) of 2', text, re.M) == ['1', '2'] and 'Average 2' in text
    assert re.findall(r'^\* Name: (\w+)$', text, re.M) == TEST_NAMES and notebook_images(nb) == 1
    nb = notebooks.run('05_rnn_name2lang/rnn_name2lang_load.py',
                       args=['--model', out_dir / 'rnn_name2lang_further.pt', '--device', 'cpu'],
                       extra_cells=['print(type(model).__name__)'])
    assert 'Average' in notebook_text(nb) and len(REPORT_LINE.findall(notebook_text(nb))) == 5 * 3


def test_missing_data_offline(tmp_path, monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError('no network')
    monkeypatch.setattr(common.data, 'download_url', offline)
    data_dir = tmp_path / 'data'
    data_dir.mkdir()
    result = run_main(SCRIPT, '--data-dir', data_dir, '--out-dir', tmp_path / 'out', '--device', 'cpu')
    assert result.code == 1 and result.err.startswith('error: could not download') and result.err.count('\n') == 1
    assert 'names/' in result.err and 'data.zip' in result.err
    assert list(data_dir.iterdir()) == [] and not (tmp_path / 'out').exists()  # Nothing half-downloaded


def test_ctrl_c_leaves_no_half_written_files(tiny_data, tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(common, 'save_figure', interrupted)  # Ctrl-C after the checkpoint was saved
    out_dir = tmp_path / 'out'
    result = run_main(SCRIPT, '--data-dir', tiny_data, '--out-dir', out_dir, *TINY, '--epochs', '1')
    assert result.code == 130 and result.err.startswith('interrupted') and result.err.count('\n') == 1
    assert (out_dir / 'rnn_name2lang.pt').exists() and not list(out_dir.glob('*.png'))
    assert not list(out_dir.glob('.*.tmp'))  # No temporary files of the atomic writes left behind
    monkeypatch.setattr(common, 'train', interrupted)  # Ctrl-C during training: no checkpoint at all
    result = run_main(SCRIPT, '--data-dir', tiny_data, '--out-dir', tmp_path / 'out2', *TINY)
    assert result.code == 130 and not (tmp_path / 'out2').exists()


def test_benchmark_runs(tiny_data):
    result = run_main(BENCH, '--data-dir', tiny_data, '--device', 'cpu', '--batch-size', '16')
    assert result.code == 0, result.err
    assert result.out.startswith(common.describe_machine() + '\nDevice: cpu\n')
    assert 'Training names: 51, epochs: 1, model: nn.RNN(57, 128) + Linear' in result.out
    slide, batched = (float(s) for s in re.findall(r'([\d.]+) sec/epoch', result.out))
    ratio = float(re.search(r'Speed-up: ([\d.]+)x', result.out).group(1))
    assert slide > 0 and batched >= 0 and ratio > 0  # Printed to 0.01 s: 51 names in batches take less


@pytest.mark.realdata
def test_real_names_as_notebooks(notebooks, real_data_dir, tmp_path):
    """A short run on the real names, as a notebook: held-out accuracy far above always guessing Russian (0.47),
    then the load notebook reports the slide's five names with that model."""
    out_dir = tmp_path / 'out'
    nb = notebooks.run('05_rnn_name2lang/rnn_name2lang.py', data_dir=real_data_dir, timeout=900,
                       args=['--out-dir', out_dir, '--epochs', '3', '--device', 'cpu'])  # 0.729 held out at epoch 3
    text = notebook_text(nb)
    assert 'Names: 20074 in 18 languages\n' in text
    assert 'Training names: 16059, validation names: 4015' in text
    assert notebook_images(nb) == 2
    accuracy, balanced = (float(number) for number in ACCURACY_LINE.search(text).groups())
    assert accuracy > 0.7 and balanced > 0.2
    assert re.search(r'\* Name: Tanaka\n  1\. Japanese', text)

    nb = notebooks.run('05_rnn_name2lang/rnn_name2lang_load.py',
                       args=['--model', out_dir / 'rnn_name2lang.pt', '--device', 'cpu'])
    text = notebook_text(nb)
    assert re.findall(r'^\* Name: (\w+)$', text, re.M) == TEST_NAMES
    assert len(REPORT_LINE.findall(text)) == 5 * 5 and re.search(r'\* Name: Tanaka\n  1\. Japanese', text)
