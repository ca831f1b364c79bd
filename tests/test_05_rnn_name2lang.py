"""Tests of 05_rnn_name2lang: the slide's helpers, batched = one-name-at-a-time, train -> save -> load -> predict.

Hermetic tests write a few names per language into tmp_path/names/; the real-data tier
(`real_data_dir`) trains briefly on the 20,074 real names and checks held-out accuracy.
"""
import contextlib
import io
import json
import re
import urllib.error
import zipfile

import pytest
import torch
from conftest import load_script, run_cli

from common import UserError

name2lang = load_script('05_rnn_name2lang/rnn_name2lang.py')
name2lang_load = load_script('05_rnn_name2lang/rnn_name2lang_load.py')

# Four languages whose names a tiny RNN tells apart in a few epochs (endings and letters differ)
TINY_NAMES = {
    'Japanese': ['Tanaka', 'Suzuki', 'Takahashi', 'Watanabe', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato',
                 'Yoshida', 'Yamada', 'Sasaki', 'Matsumoto', 'Inoue', 'Kimura', 'Hayashi', 'Shimizu'],
    'Korean': ['Choi', 'Kim', 'Park', 'Jeong', 'Kang', 'Cho', 'Yoon', 'Jang', 'Lim', 'Han', 'Oh', 'Seo',
               'Shin', 'Kwon', 'Hwang', 'Ahn'],
    'Polish': ['Ślusàrski', 'Nowak', 'Kowalski', 'Wisniewski', 'Wojcik', 'Kowalczyk', 'Kaminski',
               'Lewandowski', 'Zielinski', 'Szymanski', 'Wozniak', 'Dabrowski', 'Kozlowski', 'Jankowski',
               'Mazur', 'Kwiatkowski', '李'],  # '李' has no ASCII letter: dropped and counted
    'Russian': ['Ivanov', 'Smirnov', 'Kuznetsov', 'Popov', 'Vasiliev', 'Petrov', 'Sokolov', 'Mikhailov',
                'Novikov', 'Fedorov', 'Morozov', 'Volkov', 'Alekseev', 'Lebedev', 'Semenov', 'Egorov'],
}
TINY = ['--epochs', '6', '--batch-size', '8', '--lr', '0.02', '--hidden', '32', '--device', 'cpu']


def write_tiny_data(folder):
    """Write folder/names/<Language>.txt, a few names each; return `folder`."""
    names_dir = folder / 'names'
    names_dir.mkdir(parents=True)
    for lang, names in TINY_NAMES.items():
        (names_dir / f'{lang}.txt').write_text('\n'.join(names) + '\n', encoding='utf-8')
    return folder


@pytest.fixture
def tiny_data(tmp_path):
    """A data folder tmp_path/data with names/<Language>.txt."""
    return write_tiny_data(tmp_path / 'data')


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """Train on the tiny data once for the whole module; return (data_dir, out_dir, printed text)."""
    tmp_path = tmp_path_factory.mktemp('trained')
    data_dir, out_dir = write_tiny_data(tmp_path / 'data'), tmp_path / 'out'
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        name2lang.main(['--data-dir', str(data_dir), '--out-dir', str(out_dir), *TINY])
    return data_dir, out_dir, printed.getvalue()


def test_slide_helpers():
    assert name2lang.unicode2ascii('Ślusàrski') == 'Slusarski'
    assert len(name2lang.LETTER_DICT) == 57
    onehot = name2lang.text2onehot('Choi')
    assert onehot.shape == (4, 1, 57)  # sequence x batch x 57, as on the slide
    assert onehot.sum().item() == 4
    assert onehot[:, 0].argmax(dim=1).tolist() == [28, 7, 14, 8]  # 'C', 'h', 'o', 'i' (slide 2/7)


def test_load_name_dataset(tiny_data):
    files = list((tiny_data / 'names').glob('*.txt'))
    data, targets, target_names, n_dropped = name2lang.load_name_dataset(files)
    assert target_names == ['Japanese', 'Korean', 'Polish', 'Russian']  # From the file names, sorted
    assert n_dropped == 1 and len(data) == 16 * 4 and '' not in data
    assert data[targets.index(2)] == 'Slusarski'
    with pytest.raises(UserError, match='names/'):
        name2lang.load_name_dataset([])


@pytest.mark.parametrize('rnn_type, num_layers, bidirectional', [('rnn', 1, False), ('lstm', 2, False),
                                                                 ('gru', 2, False), ('gru', 1, True)])
def test_batched_equals_one_by_one(rnn_type, num_layers, bidirectional):
    torch.manual_seed(0)
    model = name2lang.MyRNN(57, 18, rnn_type=rnn_type, hidden_size=16, num_layers=num_layers,
                            bidirectional=bidirectional).eval()
    names = ['Choi', 'Jane', 'Daniel', 'Chow', 'Tanaka', 'Abdank-Kossovsky'[:5], 'Oh', 'Wisniewski']
    batch = name2lang.name_loader(names, list(range(len(names))), batch_size=len(names))
    batched = name2lang.predict_logits(model, batch)
    with torch.no_grad():
        one_by_one = torch.cat([model(name2lang.text2onehot(name)) for name in names])
        # The slide's `fc(output[-1])` on one name is what MyRNN computes from the final hidden state
        # (a bidirectional RNN: the forward half of the last output, the backward half of the first)
        output, _ = model.rnn(name2lang.text2onehot('Daniel'))
        last = torch.cat([output[-1, :, :16], output[0, :, 16:]], dim=1) if bidirectional else output[-1]
        slide = model.fc(last)
    assert batched.shape == (len(names), 18)
    torch.testing.assert_close(batched, one_by_one, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(slide, one_by_one[2:3], atol=1e-6, rtol=1e-6)


def test_train_save_metrics_and_report(trained):
    tiny_data, out_dir, out = trained
    assert 'Names: 64 in 4 languages (1 dropped' in out
    losses = [float(x) for x in re.findall(r'TrLoss=([\d.]+)', out)]
    assert len(losses) == 6 and losses[-1] < losses[0]
    assert re.search(r'^\s+6 \(\s*[\d.]+ sec\), TrLoss=[\d.]+, VaLoss=[\d.]+, VaAcc=[\d.]+$', out, re.M)
    # report_predict as on the slide: '* Name: Choi' then '  1. Korean    : 50.5 %'
    assert '* Name: Tanaka' in out
    assert len(re.findall(r'^  [1-4]\. \w+ *: [ \d]\d\.\d %$', out, re.M)) == 5 * 4
    metrics = json.loads((out_dir / 'metrics.json').read_text())
    assert metrics['epochs'] == 6 and metrics['device'] == 'cpu' and metrics['train_seconds'] > 0
    assert set(metrics['per_class_accuracy']) == set(TINY_NAMES)
    assert 0 <= metrics['balanced_accuracy'] <= 1 and metrics['n_valid'] == 13
    assert metrics['accuracy'] > 0.5  # 13 held-out names, 4 languages (chance 0.25)
    for figure in ['rnn_name2lang_loss.png', 'rnn_name2lang_confusion.png']:
        assert (out_dir / figure).stat().st_size > 1000
    checkpoint = torch.load(out_dir / 'rnn_name2lang.pt', weights_only=True)
    assert checkpoint['target_names'] == list(TINY_NAMES) and checkpoint['letter_dict'] == name2lang.LETTER_DICT
    assert checkpoint['options'] == {'rnn_type': 'gru', 'hidden_size': 32, 'num_layers': 1, 'dropout': 0.,
                                     'bidirectional': name2lang.BIDIRECTIONAL}
    # Nothing was written into the data folder
    assert sorted(str(p.relative_to(tiny_data)) for p in tiny_data.rglob('*')) == \
        ['names'] + [f'names/{lang}.txt' for lang in sorted(TINY_NAMES)]


def test_same_seed_same_log(trained, tmp_path, capsys):
    tiny_data, out_dir, out = trained
    name2lang.main(['--data-dir', str(tiny_data), '--out-dir', str(tmp_path / 'again'), *TINY])
    again = capsys.readouterr().out

    def without_times(text):
        return re.sub(r'\(\s*[\d.]+ sec\)', '', text).replace(str(tmp_path / 'again'), str(out_dir))
    assert without_times(again) == without_times(out)


def test_load_script_predicts_and_rejects(trained, tmp_path, capsys):
    _, out_dir, _ = trained
    model_path = out_dir / 'rnn_name2lang.pt'
    name2lang_load.main(['Tanaka', 'Ślusàrski', '--model', str(model_path), '--top-k', '2', '--device', 'cpu'])
    out = capsys.readouterr().out
    assert re.search(r'\* Name: Tanaka\n  1\. Japanese *: *\d+\.\d %\n  2\. ', out)
    assert '* Name: Ślusàrski\n  1. Polish' in out
    # As a learner runs it: a name without letters gives one line on stderr, exit code 1, no traceback
    result = run_cli('05_rnn_name2lang/rnn_name2lang_load.py', 'Choi', "'.", '--model', model_path)
    assert result.returncode == 1 and result.stderr.startswith('error: name') and result.stderr.count('\n') == 1
    # In-process: the other bad inputs raise UserError (what `run` turns into one line and exit code 1)
    for bad_name in ['', '   ', '李', '...']:
        with pytest.raises(UserError, match='no letters'):
            name2lang_load.main([bad_name, '--model', str(model_path)])
    with pytest.raises(UserError, match='does not exist'):
        name2lang_load.main(['Choi', '--model', str(out_dir / 'missing.pt')])
    with pytest.raises(UserError, match='not a model checkpoint'):
        name2lang_load.main(['Choi', '--model', str(out_dir / 'metrics.json')])
    torch.save({'model': {}, 'format': 'something else'}, tmp_path / 'other.pt')
    with pytest.raises(UserError, match='not a model saved by rnn_name2lang.py'):
        name2lang_load.main(['Choi', '--model', str(tmp_path / 'other.pt')])
    checkpoint = torch.load(model_path, weights_only=True)
    checkpoint['options']['hidden_size'] = 64  # A state_dict that does not fit the model it describes
    torch.save(checkpoint, tmp_path / 'mismatch.pt')
    with pytest.raises(UserError, match='does not match'):
        name2lang_load.main(['Choi', '--model', str(tmp_path / 'mismatch.pt')])
    # And a good one in-process: the top-k list, probabilities in decreasing order
    (top,) = name2lang_load.main(['Tanaka', '--model', str(model_path), '--top-k', '3'])
    assert len(top) == 3 and top[0][1] >= top[1][1] >= top[2][1]


@pytest.mark.parametrize('option', [['--rnn', 'transformer'], ['--dropout', '1.5'], ['--hidden', '0'],
                                    ['--class-weight', '-1'], ['--valid-ratio', '1'], ['--epochs', '0']])
def test_bad_options_exit_2(option, capsys):
    with pytest.raises(SystemExit) as exit_info:
        name2lang.main(option)
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.count('\n') == 1


def test_missing_data_offline_and_download(tmp_path, monkeypatch, capsys):
    def offline(*args, **kwargs):
        raise urllib.error.URLError('no network')
    monkeypatch.setattr(name2lang, 'download_and_extract_archive', offline)
    with pytest.raises(UserError, match=r'put the 18 <Language>\.txt files .* into .*names/'):
        name2lang.main(['--data-dir', str(tmp_path), '--out-dir', str(tmp_path / 'out')])
    assert list(tmp_path.iterdir()) == []  # Nothing half-downloaded left behind

    def fake_download(url, download_root, extract_root):  # The layout of the official archive
        archive = tmp_path / 'data.zip'
        with zipfile.ZipFile(archive, 'w') as zip_file:
            for lang, names in TINY_NAMES.items():
                zip_file.writestr(f'data/names/{lang}.txt', '\n'.join(names))
            zip_file.writestr('data/eng-fra.txt', 'hello\tbonjour')
        zipfile.ZipFile(archive).extractall(extract_root)
    monkeypatch.setattr(name2lang, 'download_and_extract_archive', fake_download)
    files = name2lang.find_name_files(tmp_path)
    assert 'Downloading the names data' in capsys.readouterr().out
    assert [f.name for f in files] == sorted(f'{lang}.txt' for lang in TINY_NAMES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['data.zip', 'names']


def test_ctrl_c_leaves_no_half_written_files(tiny_data, tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(name2lang, 'save_json', interrupted)  # Ctrl-C after the checkpoint was saved
    out_dir = tmp_path / 'out'
    with pytest.raises(KeyboardInterrupt):
        name2lang.main(['--data-dir', str(tiny_data), '--out-dir', str(out_dir), *TINY, '--epochs', '1'])
    assert not (out_dir / 'metrics.json').exists()
    assert not list(out_dir.glob('.*.tmp'))  # No temporary files of the atomic writes left behind
    monkeypatch.setattr(name2lang, 'train', interrupted)  # Ctrl-C during training: no checkpoint at all
    with pytest.raises(KeyboardInterrupt):
        name2lang.main(['--data-dir', str(tiny_data), '--out-dir', str(tmp_path / 'out2'), *TINY])
    assert not (tmp_path / 'out2' / 'rnn_name2lang.pt').exists()


def test_benchmark_runs(tiny_data, tmp_path, capsys):
    benchmark = load_script('benchmarks/rnn_batching.py')
    seconds_slide, seconds_batched, ratio = benchmark.main(['--data-dir', str(tiny_data), '--device', 'cpu',
                                                            '--batch-size', '16', '--out-dir', str(tmp_path)])
    out = capsys.readouterr().out
    assert seconds_slide > 0 and seconds_batched > 0 and f'Speed-up: {ratio:.1f}x' in out
    assert 'Training names: 51' in out


@pytest.mark.realdata
def test_real_names_held_out_accuracy(real_data_dir, tmp_path, capsys):
    """A short run on the real names: held-out accuracy far above always guessing Russian (0.47)."""
    name2lang.main(['--data-dir', str(real_data_dir), '--out-dir', str(tmp_path), '--epochs', '3',
                    '--batch-size', '128', '--lr', '0.01', '--hidden', '128', '--device', 'cpu'])
    metrics = json.loads((tmp_path / 'metrics.json').read_text())
    assert metrics['n_train'] + metrics['n_valid'] == 20074 and metrics['n_dropped'] == 0
    assert metrics['majority_class_accuracy'] == pytest.approx(0.469, abs=0.001)
    assert metrics['accuracy'] > 0.7
    assert metrics['balanced_accuracy'] > 0.3
    out = capsys.readouterr().out
    assert re.search(r'\* Name: Tanaka\n  1\. Japanese', out)
