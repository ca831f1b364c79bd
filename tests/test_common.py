"""Unit tests of the shared helpers in common/."""
import argparse
import errno
import json
import os
import random
import stat
import subprocess
import sys
import types

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

import common
from common import cli, figures, files


# Device
def test_auto_device_is_the_best_available():
    expected = 'cuda' if torch.cuda.is_available() else 'mps' if torch.backends.mps.is_available() else 'cpu'
    assert common.get_device('auto').type == expected
    assert common.get_device('CPU') == torch.device('cpu')


@pytest.mark.skipif(torch.cuda.is_available(), reason='this machine has CUDA')
def test_cuda_without_cuda_is_a_clear_error():
    with pytest.raises(common.UserError, match='CUDA is not available'):
        common.get_device('cuda')


@pytest.mark.parametrize('name', ['tpu', 'gpu', 'cuda:x', ''])
def test_unknown_device_is_a_clear_error(name):
    with pytest.raises(common.UserError, match='unknown device'):
        common.get_device(name)


# Seeding
def test_same_seed_same_numbers():
    def draw():
        generator = common.set_seed(777)
        return (random.random(), np.random.rand(), torch.rand(3).tolist(),
                torch.randperm(10, generator=generator).tolist())
    first, second = draw(), draw()
    assert first == second
    common.set_seed(778)
    assert torch.rand(3).tolist() != first[2]


# Paths and options
def test_data_dir_from_option_then_environment_then_repository(tmp_path, monkeypatch):
    assert common.resolve_data_dir() == common.REPO_ROOT / 'data'
    monkeypatch.setenv('DL_DATA_DIR', str(tmp_path))
    assert common.resolve_data_dir() == tmp_path
    other = tmp_path / 'other'
    other.mkdir()
    assert common.resolve_data_dir(str(other)) == other
    with pytest.raises(common.UserError, match="'.*missing' \\(from --data-dir\\) does not exist"):
        common.resolve_data_dir(str(tmp_path / 'missing'))
    monkeypatch.setenv('DL_DATA_DIR', str(tmp_path / 'gone'))
    with pytest.raises(common.UserError, match='DL_DATA_DIR'):
        common.resolve_data_dir()


def make_training_parser():
    return common.make_parser('iris_my_style', 'A test script that trains.\n\nMore text.', device='auto', seed=777,
                              out_dir=True, data_dir=True, epochs=10000, batch_size=50, lr=0.01)


def test_parser_defaults_are_the_given_constants():
    parser = make_training_parser()
    args = parser.parse_args([])
    shown = ' '.join(parser.format_help().split())  # --help shows them, as the learner reads them
    assert all(f'{option} {option[2:].upper().replace("-", "_")} {text} (default: {value})' in shown
               for option, text, value in [('--epochs', 'number of epochs to train', 10000),
                                           ('--batch-size', 'mini-batch size', 50), ('--lr', 'learning rate', 0.01)])
    assert args.device == common.get_device('auto')
    assert args.out_dir == common.REPO_ROOT / 'results' / 'iris_my_style'
    assert args.data_dir == common.REPO_ROOT / 'data'


def test_parser_offers_only_the_options_asked_for():
    args = common.make_parser('line_fitting', 'Fits a line.').parse_args([])
    assert vars(args) == {}
    args = common.make_parser('mnist_dataset', 'Reads data.', data_dir=True, out_dir=True).parse_args([])
    assert sorted(vars(args)) == ['data_dir', 'out_dir']
    with pytest.raises(SystemExit):
        common.make_parser('line_fitting', 'Fits a line.').parse_args(['--device', 'cpu'])


def test_slide_setting_puts_the_slides_values_in_place_and_given_options_win():
    def parser(use=False):
        return common.make_parser('cnn_mnist', 'Trains.', epochs=3, lr=0.05, slide_setting={'epochs': 50, 'lr': 0.01},
                                  use_slide_setting=use)
    assert (parser().parse_args([]).epochs, parser().parse_args([]).lr) == (3, 0.05)
    args = parser().parse_args(['--slide-setting'])
    assert (args.slide_setting, args.epochs, args.lr) == (True, 50, 0.01)
    args = parser().parse_args(['--slide-setting', '--epochs', '2'])
    assert (args.epochs, args.lr) == (2, 0.01)  # Given: wins over the slide's value
    args = parser(use=True).parse_args([])  # USE_SLIDE_SETTING = True in the script: as the flag
    assert (args.epochs, args.lr) == (50, 0.01)
    assert 'slide_setting' not in vars(common.make_parser('line_fitting', 'Fits a line.').parse_args([]))


def test_parser_resolves_given_folders(tmp_path):
    args = make_training_parser().parse_args(['--out-dir', str(tmp_path / 'out'), '--data-dir', str(tmp_path),
                                              '--device', 'cpu', '--seed', '1'])
    assert args.out_dir == tmp_path / 'out' and args.data_dir == tmp_path
    assert args.device == torch.device('cpu') and args.seed == 1
    assert not (tmp_path / 'out').exists()  # Made only when the first file is written


def test_help_shows_one_sentence_and_the_defaults(capsys):
    with pytest.raises(SystemExit) as exit_info:
        make_training_parser().parse_args(['--help'])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0].startswith('usage: iris_my_style.py')
    assert 'A test script that trains.' in text and 'More text' not in text
    for default in ['(default: 10000)', '(default: 50)', '(default: 0.01)', '(default: 777)', '(default: auto)',
                    'results/iris_my_style/']:
        assert default in text


def test_first_paragraph_is_joined_into_one_line():
    doc = 'Digit classification with a CNN\n(slides "Digit Classification (1/4-4/4)").\n\nMore text.'
    assert cli.first_paragraph(doc) == 'Digit classification with a CNN (slides "Digit Classification (1/4-4/4)").'


@pytest.mark.parametrize('argv, message', [
    (['--epochs', '0'], 'must be a positive integer, not 0'),
    (['--epochs', 'ten'], "'ten' is not an integer"),
    (['--batch-size', '-5'], 'must be a positive integer'),
    (['--lr', '0'], 'must be a positive number'),
    (['--lr', 'nan'], "'nan' is not a finite number"),
    (['--device', 'tpu'], 'unknown device'),
    (['--data-dir', '/no/such/folder'], "data folder '/no/such/folder' (from --data-dir) does not exist"),
    (['--data-dir', '/etc/hostname'], "data folder '/etc/hostname' (from --data-dir) is a file, not a folder"),
    (['--out-dir', '/etc/hostname'], "output folder '/etc/hostname' is a file, not a folder (give another --out-dir)"),
    (['--out-dir', '/etc/hostname/sub'],
     "output folder '/etc/hostname/sub' cannot be made: '/etc/hostname' is a file, not a folder"),
    (['--no-such-option'], 'unrecognized arguments'),
])
def test_bad_options_exit_2_with_one_line(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        make_training_parser().parse_args(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1 and message in err and err.startswith('iris_my_style.py: error:')


def test_an_unwritable_output_folder_is_one_line(tmp_path, monkeypatch, capsys):
    # Making a folder there is tried for real: as root, on /proc or on a read-only disk, permission bits say yes
    from common import paths

    def cannot_make(*args, **kwargs):
        raise OSError(errno.EROFS, 'Read-only file system')
    monkeypatch.setattr(paths.tempfile, 'mkdtemp', cannot_make)
    with pytest.raises(SystemExit):
        make_training_parser().parse_args(['--out-dir', str(tmp_path)])
    assert f"output folder '{tmp_path}' is not writable (give another --out-dir)" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        make_training_parser().parse_args(['--out-dir', str(tmp_path / 'new')])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == (f"iris_my_style.py: error: output folder '{tmp_path / 'new'}' cannot be made: "
                                       f"'{tmp_path}' is not writable (give another --out-dir) (see --help)\n")
    assert list(tmp_path.iterdir()) == []


def test_the_writability_test_leaves_nothing(tmp_path):
    from common import paths
    assert paths.check_out_dir(tmp_path / 'a' / 'b') == tmp_path / 'a' / 'b'
    assert list(tmp_path.iterdir()) == []


def test_learner_errors_and_ctrl_c_end_in_one_line(capsys):
    assert cli.report_error(common.UserError('the file x.png does not exist')) == 1
    assert capsys.readouterr().err == 'error: the file x.png does not exist\n'
    assert cli.report_error(KeyboardInterrupt()) == 130
    assert capsys.readouterr().err.startswith('interrupted: stopped before finishing')
    assert cli.report_error(ValueError('a bug')) is None  # A bug keeps its traceback
    assert capsys.readouterr().err == ''


def test_a_script_run_from_a_terminal_reports_errors_in_one_line(tmp_path):
    script = tmp_path / 'fails.py'
    script.write_text('import common\ncommon.report_errors_in_one_line()\n'
                      'args = common.make_parser("fails", "Fails.").parse_args()\n'
                      'raise common.UserError("no digit found: the image is blank")\n', encoding='utf-8')
    result = subprocess.run([sys.executable, str(script)], capture_output=True, encoding='utf-8')
    assert (result.returncode, result.stdout, result.stderr) == (1, '', 'error: no digit found: the image is blank\n')
    script.write_text('import common\nargs = common.make_parser("bug", "Has a bug.").parse_args()\n1 / 0\n',
                      encoding='utf-8')
    result = subprocess.run([sys.executable, str(script)], capture_output=True, encoding='utf-8')
    assert result.returncode == 1 and 'Traceback' in result.stderr and 'ZeroDivisionError' in result.stderr


# Figures
def test_save_figure_writes_a_png_and_prints_its_path(tmp_path, capsys):
    assert not figures.has_display()  # conftest sets MPLBACKEND=Agg
    fig = plt.figure()
    plt.plot([1, 2, 3])
    path = common.save_figure(fig, tmp_path / 'out', 'curve')
    assert path == tmp_path / 'out' / 'curve.png'
    assert path.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    assert f'Figure saved: {path}' in capsys.readouterr().out
    assert not plt.fignum_exists(fig.number)  # Closed: nothing of it left open


# Files
def test_checkpoint_round_trip_and_json(tmp_path):
    model = nn.Linear(3, 2)
    path = common.save_checkpoint({'model': model.state_dict(), 'hidden': 4}, tmp_path / 'sub' / 'm.pt')
    loaded = common.load_checkpoint(path)
    assert loaded['hidden'] == 4
    assert torch.equal(loaded['model']['weight'], model.weight.detach())
    json_path = common.save_json({'accuracy': 0.5}, tmp_path / 'metrics.json')
    assert json.loads(json_path.read_text(encoding='utf-8')) == {'accuracy': 0.5}
    assert sorted(p.name for p in tmp_path.iterdir()) == ['metrics.json', 'sub']


def test_interrupted_write_leaves_nothing_behind(tmp_path):
    def write_then_stop(file):
        file.write(b'half of a checkpoint')
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        files.write_atomically(tmp_path / 'model.pt', write_then_stop)
    assert list(tmp_path.iterdir()) == []


def test_old_file_survives_an_interrupted_overwrite(tmp_path):
    path = common.save_json({'run': 1}, tmp_path / 'metrics.json')
    with pytest.raises(KeyboardInterrupt):
        files.write_atomically(path, lambda file: (_ for _ in ()).throw(KeyboardInterrupt))
    assert json.loads(path.read_text(encoding='utf-8')) == {'run': 1}
    assert [p.name for p in tmp_path.iterdir()] == ['metrics.json']


def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path):
    def disk_full(file):
        file.write(b'part of a figure')
        raise OSError(errno.ENOSPC, 'No space left on device')

    with pytest.raises(common.UserError) as error:
        files.write_atomically(tmp_path / 'loss.png', disk_full)
    assert str(error.value) == (f"the disk is full: '{tmp_path / 'loss.png'}' was not written (free some space "
                                'or give another --out-dir)')
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_written_is_one_line(tmp_path, monkeypatch):
    def no_permission(*args, **kwargs):
        raise PermissionError(errno.EACCES, 'Permission denied')
    monkeypatch.setattr(files.os, 'open', no_permission)  # As a folder of another user's (root may write anywhere)
    with pytest.raises(common.UserError, match=f"cannot write '{tmp_path / 'm.pt'}': Permission denied"):
        common.save_checkpoint({}, tmp_path / 'm.pt')


def test_a_file_where_a_folder_belongs_is_named(tmp_path):
    (tmp_path / 'notes.txt').write_text('a file', encoding='utf-8')
    for path in [tmp_path / 'notes.txt' / 'm.pt', tmp_path / 'notes.txt' / 'new' / 'm.pt']:
        with pytest.raises(common.UserError) as error:
            common.save_checkpoint({}, path)
        assert str(error.value) == f"cannot write '{path}': '{tmp_path / 'notes.txt'}' is a file, not a folder"
    assert [p.name for p in tmp_path.iterdir()] == ['notes.txt']


def test_a_checkpoint_cut_short_is_named(tmp_path):
    path = common.save_checkpoint({'model': {'w': torch.zeros(1000)}}, tmp_path / 'm.pt')
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(common.UserError) as error:
        common.load_checkpoint(path)
    assert str(error.value).startswith(f"'{path}' is not a model checkpoint of this tutorial: it cannot be read as "
                                       'one (another kind of file, or a checkpoint cut short or damaged: ')


def test_loading_a_missing_or_foreign_file_is_a_user_error(tmp_path):
    with pytest.raises(common.UserError, match='does not exist'):
        common.load_checkpoint(tmp_path / 'none.pt')
    (tmp_path / 'notes.txt').write_text('not a checkpoint', encoding='utf-8')
    with pytest.raises(common.UserError, match='is not a model checkpoint'):
        common.load_checkpoint(tmp_path / 'notes.txt')
    with pytest.raises(common.UserError, match=f"model file '{tmp_path}' is a folder, not a file"):
        common.load_checkpoint(tmp_path)


# train / evaluate / predict
def toy_data(n=23, seed=0):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 2, generator=generator)
    y = (x[:, 0] > x[:, 1]).long()
    return x, y


def test_losses_are_true_per_sample_means():
    x, y = toy_data()
    model = nn.Linear(2, 2)
    full_loss = F.cross_entropy(model(x), y).item()
    full_accuracy = (model(x).argmax(dim=1) == y).float().mean().item()
    batches = common.tensor_loader(x, y, batch_size=5)  # 5+5+5+5+3: uneven batches
    loss, accuracy = common.evaluate(model, batches, F.cross_entropy)
    assert loss == pytest.approx(full_loss, rel=1e-6)
    assert accuracy == pytest.approx(full_accuracy)
    frozen = torch.optim.SGD(model.parameters(), lr=0.0)  # Training without change: same mean loss
    assert common.train(model, batches, F.cross_entropy, frozen) == pytest.approx(full_loss, rel=1e-6)


def test_training_lowers_the_loss():
    common.set_seed(777)
    x, y = toy_data(n=200)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    batches = common.tensor_loader(x, y, batch_size=20, shuffle=True, generator=torch.Generator().manual_seed(1))
    losses = [common.train(model, batches, F.cross_entropy, optimizer) for _ in range(30)]
    assert losses[-1] < 0.5 * losses[0]
    _, accuracy = common.evaluate(model, [(x, y)], F.cross_entropy)
    assert accuracy > 0.9
    assert not model.training  # evaluate switches to eval mode


def test_tensor_loader_shuffles_whole_batches_reproducibly():
    x, y = toy_data(n=23)
    index = torch.arange(23)

    def epochs(seed):
        generator = torch.Generator().manual_seed(seed)
        loader = common.tensor_loader(x, index, batch_size=5, shuffle=True, generator=generator)
        return [list(loader) for _ in range(2)]

    first, again = epochs(3), epochs(3)
    for batches in first:  # Every sample once per epoch, in batches of 5, 5, 5, 5, 3
        assert [len(i) for _, i in batches] == [5, 5, 5, 5, 3]
        order = torch.cat([i for _, i in batches])
        assert sorted(order.tolist()) == list(range(23))
        assert all(torch.equal(x_batch, x[i]) for x_batch, i in batches)
    orders = [torch.cat([i for _, i in batches]).tolist() for batches in first]
    assert orders[0] != orders[1]  # A new order every epoch
    assert orders == [torch.cat([i for _, i in batches]).tolist() for batches in again]  # Same seed, same order
    in_order = [i.tolist() for _, i in common.tensor_loader(x, index, batch_size=10)]
    assert in_order == [list(range(10)), list(range(10, 20)), [20, 21, 22]]


def test_a_notebook_reads_no_command_line_but_the_tests_options(monkeypatch):
    kernel_shell = types.SimpleNamespace(kernel=object())  # What IPython's get_ipython() gives in a kernel
    monkeypatch.setitem(sys.modules, 'IPython', types.SimpleNamespace(get_ipython=lambda: kernel_shell))
    monkeypatch.setattr('sys.argv', ['/x/metrics.json'])
    assert not cli.in_notebook()  # `%run` in a notebook: a command line of its own
    monkeypatch.setattr('sys.argv', ['/x/ipykernel_launcher.py', '-f', '/tmp/kernel.json'])
    assert cli.in_notebook()
    assert make_training_parser().parse_args().epochs == 10000
    monkeypatch.setattr(cli, 'NOTEBOOK_ARGS', ['--epochs', '3', '--lr', '0.5'])
    args = make_training_parser().parse_args()
    assert (args.epochs, args.lr) == (3, 0.5)


def test_closed_pipe_ends_quietly(tmp_path):
    script = tmp_path / 'many_lines.py'
    script.write_text('import common\ncommon.report_errors_in_one_line()\n'
                      'common.make_parser("many_lines", "Prints.").parse_args()\n'
                      'for i in range(100000):\n    print(i)\n', encoding='utf-8')
    # As `python many_lines.py | head -n 2`, without a shell or `head` (Windows has neither): read 2 lines, close
    process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               encoding='utf-8', cwd=tmp_path)
    first_lines = [process.stdout.readline() for _ in range(2)]
    process.stdout.close()
    err = process.stderr.read()
    process.wait(timeout=60)
    assert first_lines == ['0\n', '1\n']
    assert err == ''


@pytest.mark.parametrize('type_func, good, bad', [
    (common.positive_int, {'3': 3}, ['0', '-1', '2.5']),
    (common.positive_float, {'0.5': 0.5, '1e-3': 1e-3}, ['0', '-2', 'inf', 'x']),
    (common.non_negative_float, {'0': 0.0, '0.9': 0.9}, ['-0.1', 'nan']),
    (common.fraction, {'0': 0.0, '0.4': 0.4}, ['1', '-0.1', '1.5']),
    (common.finite_float, {'-3': -3.0}, ['inf', '-inf', 'nan', 'abc']),
])
def test_option_types(type_func, good, bad):
    for text, value in good.items():
        assert type_func(text) == value
    for text in bad:
        with pytest.raises(argparse.ArgumentTypeError):
            type_func(text)


def test_train_steps_a_per_batch_scheduler_after_every_batch():
    x, y = toy_data(n=23)
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=10)
    common.train(model, common.tensor_loader(x, y, batch_size=5), F.cross_entropy, optimizer, scheduler)
    assert scheduler.last_epoch == 5  # 5 batches: 5 steps of the schedule


def test_plot_loss_curves_draws_both_curves():
    fig = common.plot_loss_curves([[1, 0.9, 1.0, 0.5], [2, 0.5, 0.7, 0.8], [3, 0.3, 0.6, 0.9]], 'Losses')
    ax = fig.axes[0]
    assert ax.get_title() == 'Losses' and ax.get_xlim() == (1.0, 3.0)
    assert [line.get_label() for line in ax.lines] == ['Training loss', 'Validation loss']
    assert list(ax.lines[1].get_ydata()) == [1.0, 0.7, 0.6]
    plt.close(fig)


@pytest.mark.skipif(sys.platform == 'win32', reason="Windows' files have no permission bits but read-only")
def test_a_written_file_gets_the_permissions_of_the_umask(tmp_path):
    """Like a file that open() makes: 0o666 less the umask (not the private 0o600 of a temporary file)."""
    old = os.umask(0o027)
    try:
        path = common.save_json({'a': 1}, tmp_path / 'metrics.json')
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and json.loads(path.read_text(encoding='utf-8')) == {'a': 1}
