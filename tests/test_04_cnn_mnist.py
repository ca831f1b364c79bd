"""Tests of section 04_cnn_mnist: every script on a tiny fake MNIST (IDX files), `predict` on images of
every mode and size, bad input, and (with DL_DATA_DIR) a short training run on the real MNIST."""
import json
import os
import subprocess
import sys

import numpy as np
import PIL.Image
import pytest
import torch
from conftest import REPO_ROOT, load_script, run_cli

import common

SECTION = '04_cnn_mnist'
N_TRAIN, N_TEST = 400, 200


# Fake MNIST ----------------------------------------------------------------------------------------
def fake_digits(n, seed):
    """Images whose class k is a bright 8 x 8 square at the k-th of 10 places, plus noise: learnable fast."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 10
    rng.shuffle(labels)
    images = (rng.random((n, 28, 28)) * 40).astype(np.uint8)
    for image, label in zip(images, labels):
        top, left = 3 + 12 * (label // 5), 1 + 5 * (label % 5)
        image[top:top + 8, left:left + 8] = 255
    return images, labels.astype(np.uint8)


def write_idx(path, array):
    """Write `array` (uint8) as an IDX file: magic 0x0000 08 ndim, the sizes (big-endian int32), the bytes."""
    header = bytes([0, 0, 8, array.ndim]) + np.array(array.shape, dtype='>i4').tobytes()
    path.write_bytes(header + array.tobytes())


def make_fake_mnist(root):
    raw = root / 'MNIST' / 'raw'
    raw.mkdir(parents=True)
    for prefix, n, seed in [('train', N_TRAIN, 1), ('t10k', N_TEST, 2)]:
        images, labels = fake_digits(n, seed)
        write_idx(raw / f'{prefix}-images-idx3-ubyte', images)
        write_idx(raw / f'{prefix}-labels-idx1-ubyte', labels)
    return root


@pytest.fixture(scope='module')
def fake_data(tmp_path_factory):
    return make_fake_mnist(tmp_path_factory.mktemp('fake_data'))


@pytest.fixture(scope='module')
def cnn():
    return load_script(f'{SECTION}/cnn_mnist.py')


@pytest.fixture(scope='module')
def trained(cnn, fake_data, tmp_path_factory):
    """cnn_mnist.py trained on the fake data; returns (out_dir, stdout)."""
    import contextlib
    import io
    out_dir = tmp_path_factory.mktemp('cnn_out')
    data_before = sorted(os.listdir(REPO_ROOT / 'data'))
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        cnn.main(['--data-dir', str(fake_data), '--out-dir', str(out_dir), '--epochs', '3',
                  '--batch-size', '100', '--device', 'cpu'])
    assert sorted(os.listdir(REPO_ROOT / 'data')) == data_before  # Nothing written into data/
    return out_dir, buffer.getvalue()


def run_main(module, argv, capsys):
    """Run `module.main(argv)` through common.run as `python script.py` does; return (exit code, out, err)."""
    code = 0
    try:
        common.run(lambda: module.main(argv))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


# mnist_dataset.py ----------------------------------------------------------------------------------
def test_mnist_dataset_prints_the_slide_values(fake_data, tmp_path, capsys):
    module = load_script(f'{SECTION}/mnist_dataset.py')
    module.main(['--data-dir', str(fake_data), '--out-dir', str(tmp_path)])
    out = capsys.readouterr().out
    assert f'Number of datapoints: {N_TRAIN}' in out and f'Number of datapoints: {N_TEST}' in out
    assert f'torch.Size([{N_TRAIN}, 28, 28])' in out and 'torch.uint8' in out
    label = fake_digits(N_TRAIN, 1)[1][0]
    assert out.strip().splitlines()[-1] == f'tensor({label})'
    assert (tmp_path / 'mnist_first_image.png').is_file()


def test_mnist_missing_offline_is_one_clear_line(tmp_path, capsys, monkeypatch):
    module = load_script(f'{SECTION}/mnist_dataset.py')
    monkeypatch.setattr(module.torchvision.datasets.MNIST, 'mirrors', ['http://127.0.0.1:9/'])  # Unreachable
    code, out, err = run_main(module, ['--data-dir', str(tmp_path), '--out-dir', str(tmp_path / 'out')], capsys)
    assert code == 1 and 'Downloading MNIST' in out
    assert err.count('\n') == 1 and err.startswith('error: MNIST could not be downloaded')
    for name in module.MNIST_FILES:
        assert name in err
    assert str(tmp_path / 'MNIST' / 'raw') in err
    assert not (tmp_path / 'MNIST').exists()  # No empty folders left behind


def test_corrupt_mnist_is_one_clear_line(fake_data, tmp_path, capsys):
    module = load_script(f'{SECTION}/mnist_dataset.py')
    bad = make_fake_mnist(tmp_path / 'bad')
    (bad / 'MNIST' / 'raw' / 'train-images-idx3-ubyte').write_bytes(b'\0\0\x08\x03garbage')
    code, _, err = run_main(module, ['--data-dir', str(bad), '--out-dir', str(tmp_path)], capsys)
    assert code == 1 and err.startswith('error: the MNIST files') and err.count('\n') == 1


# cnn_mnist.py --------------------------------------------------------------------------------------
def test_cnn_mnist_learns_and_writes_everything(trained):
    out_dir, out = trained
    metrics = json.loads((out_dir / 'metrics.json').read_text())
    for key in ['accuracy', 'epochs', 'train_seconds', 'images_per_second', 'device']:
        assert key in metrics
    assert metrics['epochs'] == 3 and metrics['device'] == 'cpu' and metrics['train_size'] == N_TRAIN
    history = metrics['loss_history']
    assert history[-1][1] < history[0][1]          # Training loss goes down
    assert metrics['accuracy'] > 0.9               # The fake classes are easy; chance is 0.1
    assert f'Test accuracy: {metrics["accuracy"]:.4f}' in out
    assert '     3 (' in out and 'VaAcc=' in out    # The slide's per-epoch log line
    for name in ['cnn_mnist.pt', 'cnn_mnist_loss.png', 'cnn_mnist_confusion.png']:
        assert (out_dir / name).is_file()
    assert not [p for p in out_dir.iterdir() if p.name.endswith('.tmp')]


def test_same_seed_same_numbers(cnn, fake_data, tmp_path, capsys):
    logs = []
    for run_dir in ['a', 'b']:
        cnn.main(['--data-dir', str(fake_data), '--out-dir', str(tmp_path / run_dir), '--epochs', '1',
                  '--batch-size', '50', '--train-size', '100', '--device', 'cpu'])
        logs.append([line.split('min)')[1] for line in capsys.readouterr().out.splitlines() if 'min)' in line])
    assert logs[0] == logs[1] and logs[0]


def test_slide_setting_is_one_flag_away(cnn):
    parser = cnn.make_cnn_parser(cnn.__doc__, cnn.__file__)
    args = cnn.parse_cnn_args(parser, ['--slide-setting'])
    assert (args.epochs, args.batch_size, args.lr, args.optimizer, args.momentum, args.scheduler) == \
        (50, 100, 0.01, 'sgd', 0., 'step')
    assert args.precision == 'fp32' and not args.channels_last
    parser = cnn.make_cnn_parser(cnn.__doc__, cnn.__file__)
    assert cnn.parse_cnn_args(parser, ['--slide-setting', '--epochs', '7']).epochs == 7


@pytest.mark.parametrize('argv', [['--epochs', '0'], ['--batch-size', '-1'], ['--lr', '0'], ['--momentum', '-1'],
                                  ['--optimizer', 'rmsprop'], ['--device', 'tpu'], ['--train-size', '0'],
                                  ['--data-dir', '/no/such/folder']])
def test_bad_options_exit_2_with_one_line(cnn, argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        cnn.parse_cnn_args(cnn.make_cnn_parser(cnn.__doc__, cnn.__file__), argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1 and 'error:' in err


def test_batch_norm_and_residual_save_and_load(cnn, fake_data, tmp_path, capsys):
    cnn.main(['--data-dir', str(fake_data), '--out-dir', str(tmp_path), '--epochs', '1', '--batch-size', '50',
              '--train-size', '100', '--batch-norm', '--residual', '--optimizer', 'sgd', '--scheduler', 'step',
              '--precision', 'fp32', '--no-channels-last', '--device', 'cpu'])
    model = cnn.load_model(tmp_path / 'cnn_mnist.pt')
    assert model.options == {'batch_norm': True, 'residual': True}
    assert isinstance(model.res2, cnn.ResidualBlock) and isinstance(model.norm1, torch.nn.BatchNorm2d)
    assert sum(p.numel() for p in model.parameters()) > sum(p.numel() for p in cnn.MyCNN().parameters())


def test_ctrl_c_leaves_no_checkpoint(cnn, fake_data, tmp_path, monkeypatch, capsys):
    calls = []

    def interrupted_train(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return 1.0
    monkeypatch.setattr(cnn, 'train', interrupted_train)
    code, _, err = run_main(cnn, ['--data-dir', str(fake_data), '--out-dir', str(tmp_path), '--epochs', '3',
                                  '--train-size', '50', '--device', 'cpu'], capsys)
    assert code == 130 and err.startswith('interrupted') and err.count('\n') == 1
    assert not list(tmp_path.iterdir())


# predict -------------------------------------------------------------------------------------------
def draw_digit(size=(120, 160)):
    """A dark-on-white 'digit' (an L shape plus a bar), like a scan."""
    width, height = size
    array = np.full((height, width), 240, dtype=np.uint8)
    array[height // 5:4 * height // 5, width // 3:width // 3 + max(2, width // 10)] = 20
    array[4 * height // 5 - max(2, height // 12):4 * height // 5, width // 3:2 * width // 3] = 20
    return PIL.Image.fromarray(array, 'L')


def in_mode(image, mode):
    if mode == 'RGBA':  # Ink on transparent paper
        rgba = image.convert('RGBA')
        alpha = PIL.Image.eval(image, lambda v: 255 - v)
        rgba.putalpha(alpha)
        return rgba
    if mode == 'I;16':
        return PIL.Image.fromarray(np.asarray(image).astype(np.uint16) * 257)
    if mode == '1':
        return image.convert('1', dither=PIL.Image.Dither.NONE)
    return image.convert(mode)


@pytest.mark.parametrize('mode', ['L', 'RGB', 'RGBA', 'P', 'LA', '1', 'I;16', 'F', 'CMYK'])
@pytest.mark.parametrize('size', [(120, 160), (28, 28), (400, 90), (45, 300)])
def test_prepare_image_every_mode_and_size(cnn, mode, size):
    reference = cnn.prepare_image(draw_digit(size))
    tensor = cnn.prepare_image(in_mode(draw_digit(size), mode))
    assert tensor.shape == (1, 28, 28) and tensor.dtype == torch.float32
    assert (tensor - reference).abs().mean() < 0.03  # The same digit, whatever the mode
    rows, cols = torch.nonzero(tensor[0] > 0.25, as_tuple=True)
    assert rows.max() - rows.min() < 21 and cols.max() - cols.min() < 21  # Scaled into 20 x 20
    mass = tensor[0].sum()
    center_y = (tensor[0].sum(1) * torch.arange(28)).sum() / mass
    center_x = (tensor[0].sum(0) * torch.arange(28)).sum() / mass
    assert abs(center_y - 13.5) < 1.5 and abs(center_x - 13.5) < 1.5  # Centered by its center of mass
    assert tensor[0, 0].max() < 0.05 and tensor[0].max() > 0.9          # White ink on black, as in MNIST


def test_prepare_image_sizes_agree_and_invert(cnn):
    small, large = cnn.prepare_image(draw_digit((60, 80))), cnn.prepare_image(draw_digit((300, 400)))
    assert (small - large).abs().mean() < 0.05
    light_on_dark = PIL.Image.eval(draw_digit((60, 80)), lambda v: 255 - v)  # Already MNIST-like: not inverted
    assert (cnn.prepare_image(light_on_dark) - small).abs().mean() < 0.01


def test_prepare_image_keeps_mnist_tensors(cnn):
    digit = torch.from_numpy(fake_digits(1, 5)[0][0])
    assert torch.equal(cnn.prepare_image(digit), digit.float().unsqueeze(0) / 255)


def test_predict_same_digit_in_every_mode(cnn, trained):
    model = cnn.load_model(trained[0] / 'cnn_mnist.pt')
    images, labels = fake_digits(20, 9)
    correct = sum(cnn.predict(torch.from_numpy(image), model) == label for image, label in zip(images, labels))
    assert correct >= 18  # MNIST tensors as they are
    test_image = REPO_ROOT / 'data' / 'cnn_mnist_test.png'
    with PIL.Image.open(test_image) as image:
        digits = {cnn.predict(in_mode(image.convert('L'), mode), model) for mode in ['L', 'RGB', 'RGBA', 'P']}
    assert digits == {cnn.predict(test_image, model)} and len(digits) == 1
    digit, prob = cnn.predict(str(test_image), model, return_prob=True)
    assert 0 <= digit <= 9 and 0 < prob <= 1


@pytest.mark.parametrize('content, message', [(None, 'does not exist'), (b'', 'is not an image'),
                                              (b'hello, not a PNG', 'is not an image'),
                                              (b'\x89PNG\r\n\x1a\n' + b'\0' * 40, 'is not an image')])
def test_predict_rejects_bad_files(cnn, tmp_path, content, message):
    path = tmp_path / 'digit.png'
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(common.UserError, match=message):
        cnn.prepare_image(path)


def test_predict_rejects_blank_image(cnn):
    with pytest.raises(common.UserError, match='blank'):
        cnn.prepare_image(PIL.Image.new('L', (50, 50), 255))


# cnn_mnist_load.py ---------------------------------------------------------------------------------
def test_load_script_predicts_each_image(trained, tmp_path):
    model = trained[0] / 'cnn_mnist.pt'
    draw_digit().save(tmp_path / 'mine.jpg')
    result = run_cli(f'{SECTION}/cnn_mnist_load.py', '--model', model, '--out-dir', tmp_path,
                     REPO_ROOT / 'data' / 'cnn_mnist_test.png', tmp_path / 'mine.jpg')
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if '(probability' in line]
    assert len(lines) == 2 and lines[1].startswith(f'{tmp_path / "mine.jpg"}: ')
    assert (tmp_path / 'cnn_mnist_inputs.png').is_file()


def test_load_script_bad_input_one_line(trained, tmp_path, capsys):
    module = load_script(f'{SECTION}/cnn_mnist_load.py')
    model = str(trained[0] / 'cnn_mnist.pt')
    (tmp_path / 'notes.txt').write_text('not an image')
    torch.save(torch.nn.Linear(3, 2).state_dict(), tmp_path / 'other.pt')
    (tmp_path / 'broken.pt').write_bytes(b'not a checkpoint')
    cases = [(['--model', model, str(tmp_path / 'missing.png')], 'does not exist'),
             (['--model', model, str(tmp_path / 'notes.txt')], 'is not an image'),
             (['--model', str(tmp_path / 'none.pt')], 'does not exist'),
             (['--model', str(tmp_path / 'other.pt')], 'holds another model'),
             (['--model', str(tmp_path / 'broken.pt')], 'is not a model checkpoint')]
    for argv, message in cases:
        code, _, err = run_main(module, argv + ['--out-dir', str(tmp_path)], capsys)
        assert code == 1 and err.count('\n') == 1 and err.startswith('error:') and message in err, (argv, err)


# The other scripts ---------------------------------------------------------------------------------
def test_lr_schedulers_plot(tmp_path, capsys):
    module = load_script(f'{SECTION}/lr_schedulers.py')
    module.main(['--out-dir', str(tmp_path)])
    out = capsys.readouterr().out
    assert f'StepLR: lr at the last epoch = {0.5 ** 10:.6f}' in out     # Halved every 10 of 100 epochs
    assert f'LambdaLR: lr at the last epoch = {0.5 ** 10:.6f}' in out
    assert out.count('lr at the last epoch') == 5 and (tmp_path / 'lr_schedulers.png').is_file()


def test_class_styles_same_parameters_and_outputs(capsys):
    module = load_script(f'{SECTION}/cnn_class_styles.py')
    results = module.main([])
    expected = (32 * 9 + 32) + (64 * 32 * 9 + 64) + (64 * 7 * 7 * 512 + 512) + (512 * 10 + 10)  # By hand
    assert set(results) == {'My', 'Functional', 'Object', 'Layer'}
    assert all(r['parameters'] == expected and r['identical'] for r in results.values())
    model = module.MyCNN_Object()  # The completed forward returns log-probabilities of 10 classes
    assert torch.allclose(model(torch.rand(2, 1, 28, 28)).exp().sum(1), torch.ones(2))


def test_conv_output_size_matches_pytorch(capsys):
    module = load_script(f'{SECTION}/conv_output_size.py')
    n_cases, mismatches = module.main([])
    assert n_cases > 300 and mismatches == []
    assert module.conv_output_size(28, 3, padding=1) == 28 and module.conv_output_size(28, 2, stride=2) == 14
    assert module.conv_output_size(6, 3) == 4 and module.conv_output_size(7, 3, dilation=2) == 3


def test_make_test_digit(tmp_path):
    module = load_script(f'{SECTION}/make_test_digit.py')
    module.main(['--output', str(tmp_path / 'three.png')])
    with PIL.Image.open(tmp_path / 'three.png') as image:
        array = np.asarray(image)
    assert array.shape == (240, 180) and array[0, 0] > 200 and array.min() < 80  # Dark ink on white
    with PIL.Image.open(REPO_ROOT / 'data' / 'cnn_mnist_test.png') as tracked:
        assert np.array_equal(np.asarray(tracked), array)  # The tracked PNG is what the script draws


def test_ddp_two_processes_on_cpu(fake_data, tmp_path, cnn):
    env = dict(os.environ, MPLBACKEND='Agg', OMP_NUM_THREADS='1')
    env.pop('DL_DATA_DIR', None)
    result = subprocess.run(
        [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2', '--standalone',
         str(REPO_ROOT / SECTION / 'cnn_mnist_ddp.py'), '--data-dir', str(fake_data), '--out-dir', str(tmp_path),
         '--epochs', '2', '--batch-size', '64', '--device', 'cpu'],
        capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'DDP: 2 process(es), backend gloo' in result.stdout
    assert result.stdout.count('VaAcc=') == 2  # Only rank 0 logs, once per epoch
    metrics = json.loads((tmp_path / 'metrics.json').read_text())
    assert metrics['world_size'] == 2 and metrics['accuracy'] > 0.5
    assert cnn.load_model(tmp_path / 'cnn_mnist.pt').options == {'batch_norm': False, 'residual': False}


# Real MNIST ----------------------------------------------------------------------------------------
@pytest.mark.realdata
def test_real_mnist_short_training(cnn, real_data_dir, tmp_path, capsys):
    cnn.main(['--data-dir', str(real_data_dir), '--out-dir', str(tmp_path), '--epochs', '1',
              '--train-size', '10000'])
    metrics = json.loads((tmp_path / 'metrics.json').read_text())
    assert metrics['accuracy'] > 0.9 and metrics['predict_train_0'] == 5
    assert 'Number' not in capsys.readouterr().err
