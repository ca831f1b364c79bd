"""Tests of the ONNX export scripts cnn_mnist_onnx.py and rnn_name2lang_onnx.py (further/ of 04 and 05): tiny models
trained on the fake data, exported, and ONNX Runtime's outputs checked against PyTorch's on inputs of several batch
sizes and name lengths (the dynamic axes), the files the web page reads, one-line errors, and both as notebooks.
"""
import contextlib
import io
import json
import re

import numpy as np
import onnxruntime
import pytest
import torch
from conftest import load_script, notebook_images, notebook_text, run_main

CNN = '04_cnn_mnist/cnn_mnist.py'
CNN_ONNX = '04_cnn_mnist/further/cnn_mnist_onnx.py'
RNN = '05_rnn_name2lang/rnn_name2lang.py'
RNN_ONNX = '05_rnn_name2lang/further/rnn_name2lang_onnx.py'
QUICK_CNN = ['--latency-images', '3', '--repeats', '1']  # Cheap timing: the table, not its precision
QUICK_RNN = ['--repeats', '1']
TIMING_ROW = re.compile(r'^(PyTorch|ONNX Runtime) +([\d.]+) +([\d,]+)$', re.M)


@pytest.fixture(scope='module')
def cnn_onnx():
    return load_script(CNN_ONNX)


@pytest.fixture(scope='module')
def rnn_onnx():
    return load_script(RNN_ONNX)


@pytest.fixture(scope='module')
def cnn_model(fake_mnist, tmp_path_factory):
    """cnn_mnist.py trained for two quick epochs on 100 fake MNIST images; returns the checkpoint's path."""
    out_dir = tmp_path_factory.mktemp('cnn')
    result = run_main(CNN, '--data-dir', fake_mnist, '--out-dir', out_dir, '--epochs', '2', '--batch-size', '20',
                      '--train-size', '100', '--device', 'cpu')
    assert result.code == 0, result.err
    return out_dir / 'cnn_mnist.pt'


@pytest.fixture(scope='module')
def rnn_model(fake_names, tmp_path_factory):
    """rnn_name2lang.py trained briefly on the fake names; returns (checkpoint's path, its held-out accuracy)."""
    out_dir = tmp_path_factory.mktemp('rnn')
    result = run_main(RNN, '--data-dir', fake_names, '--out-dir', out_dir, '--epochs', '3', '--batch-size', '4',
                      '--hidden-size', '16', '--device', 'cpu')
    assert result.code == 0, result.err
    accuracy = float(re.search(r'^Validation accuracy: ([\d.]+)', result.out, re.M).group(1))
    return out_dir / 'rnn_name2lang.pt', accuracy


def one_line_error(result, code=1):
    return result.code == code and result.err.count('\n') == 1 and result.err.startswith('error:') and \
        'Traceback' not in result.err


def session_of(path):
    return onnxruntime.InferenceSession(str(path), providers=['CPUExecutionProvider'])


def timing(out):
    """{'PyTorch': (ms, per second), 'ONNX Runtime': (...)} from the printed table."""
    return {name: (float(ms), float(per_second.replace(',', ''))) for name, ms, per_second in TIMING_ROW.findall(out)}


# export_onnx: ONNX Runtime against PyTorch on every batch size and name length -------------------------------
def test_cnn_export_any_batch_size(cnn_onnx, cnn_model, tmp_path):
    model = cnn_onnx.MyCNN()
    model.load_state_dict(torch.load(cnn_model, weights_only=True))
    model.train()  # Exported in eval mode all the same (no dropout), and the model is left as it was
    path = cnn_onnx.export_onnx(model, tmp_path / 'sub' / 'cnn_mnist.onnx')
    assert model.training and path == tmp_path / 'sub' / 'cnn_mnist.onnx'
    session = session_of(path)
    (image,), (log_probs,) = session.get_inputs(), session.get_outputs()
    assert (image.name, image.type, image.shape[1:]) == ('image', 'tensor(float)', [1, 28, 28])
    assert (log_probs.name, log_probs.shape[1:]) == ('log_probs', [10]) and isinstance(image.shape[0], str)
    model.eval()
    generator = torch.Generator().manual_seed(0)
    for batch_size in [1, 3, 64]:
        images = torch.rand(batch_size, 1, 28, 28, generator=generator)
        with torch.no_grad():
            expected = model(images).numpy()
        (got,) = session.run(None, {'image': images.numpy()})
        assert got.shape == (batch_size, 10)
        np.testing.assert_allclose(got, expected, atol=1e-4, rtol=0)
        assert (got.argmax(axis=1) == expected.argmax(axis=1)).all()


def test_rnn_export_any_name_length(rnn_onnx, rnn_model, tmp_path):
    model, target_names = rnn_onnx.load_model(rnn_model[0])
    path = rnn_onnx.export_onnx(model, tmp_path / 'rnn_name2lang.onnx', target_names)
    session = session_of(path)
    (onehot,), (logits,) = session.get_inputs(), session.get_outputs()
    assert (onehot.name, onehot.type, onehot.shape[1:]) == ('onehot', 'tensor(float)', [1, 57])
    assert (logits.name, logits.shape) == ('logits', [1, len(target_names)]) and isinstance(onehot.shape[0], str)
    model.eval()
    for name in ['O', 'Oh', 'Tanaka', 'Wolfeschlegelsteinhausen', "O'Neil Smith Jr."]:  # Lengths 1 to 24
        x = torch.zeros(len(name), 1, 57)  # One-hot made here, as the lesson's slide 2/7 makes it
        for i, letter in enumerate(name):
            x[i, 0, rnn_onnx.LETTER_DICT.find(letter)] = 1
        with torch.no_grad():
            expected = model(x).numpy()
        (got,) = session.run(None, {'onehot': x.numpy()})
        np.testing.assert_allclose(got, expected, atol=1e-5, rtol=0)
    info = json.loads((tmp_path / 'rnn_name2lang.onnx.json').read_text(encoding='utf-8'))
    assert info == {'letter_dict': rnn_onnx.LETTER_DICT, 'target_names': ['English', 'Japanese', 'Korean'],
                    'accuracy': None}


def test_rnn_export_of_the_further_model(rnn_onnx, tmp_path):
    """The further script's model (two bidirectional GRUs, max over the letters, probabilities averaged) exports too."""
    further = load_script('05_rnn_name2lang/further/rnn_name2lang_further.py')
    torch.manual_seed(0)
    model = further.average_of([further.MyRNNFurther(57, 4, 'gru', 8, bidirectional=True, pooling='max')
                                for _ in range(2)]).eval()
    session = session_of(rnn_onnx.export_onnx(model, tmp_path / 'further.onnx', ['a', 'b', 'c', 'd']))
    for length in [1, 2, 9]:
        x = torch.eye(57)[torch.randint(57, (length,))].unsqueeze(1)
        with torch.no_grad():
            expected = model(x).numpy()
        np.testing.assert_allclose(session.run(None, {'onehot': x.numpy()})[0], expected, atol=1e-5, rtol=0)


# The scripts as a learner runs them -----------------------------------------------------------------------------
def test_cnn_script_checks_and_times_both(cnn_onnx, cnn_model, fake_mnist, tmp_path):
    result = run_main(CNN_ONNX, '--model', cnn_model, '--data-dir', fake_mnist, '--out-dir', tmp_path, *QUICK_CNN)
    assert result.code == 0, result.err
    assert 'The same digit for 200 of 200 test images' in result.out  # Every test image of the fake MNIST
    difference = float(re.search(r'Largest difference of log_probs: (\S+) \(within', result.out).group(1))
    assert difference <= 1e-4
    # The accuracy in the .json is that of PyTorch's own model on the same images (computed here)
    images, labels = result.vars['images'], result.vars['labels']
    with torch.no_grad():
        accuracy = (result.vars['model'](images).argmax(dim=1).numpy() == labels).mean()
    saved = json.loads((cnn_model.parent / 'cnn_mnist.onnx.json').read_text(encoding='utf-8'))
    assert saved == {'accuracy': pytest.approx(accuracy)}
    assert (cnn_model.parent / 'cnn_mnist.onnx').is_file() and (tmp_path / 'cnn_mnist_onnx_speed.png').is_file()
    speed = timing(result.out)
    assert list(speed) == ['PyTorch', 'ONNX Runtime'] and all(ms > 0 and rate > 0 for ms, rate in speed.values())
    ratio = re.search(r'([\d.]+) times as fast one at a time, ([\d.]+) times in batches', result.out).groups()
    assert float(ratio[0]) == pytest.approx(speed['PyTorch'][0] / speed['ONNX Runtime'][0], rel=0.05)
    assert float(ratio[1]) == pytest.approx(speed['ONNX Runtime'][1] / speed['PyTorch'][1], rel=0.05)
    assert result.out.startswith('CPU: ')  # The machine, first


def test_cnn_script_fewer_images_leaves_no_accuracy(cnn_model, fake_mnist, tmp_path):
    result = run_main(CNN_ONNX, '--model', cnn_model, '--data-dir', fake_mnist, '--out-dir', tmp_path,
                      '--images', '30', *QUICK_CNN)
    assert result.code == 0, result.err
    assert 'The same digit for 30 of 30 test images' in result.out
    assert json.loads((cnn_model.parent / 'cnn_mnist.onnx.json').read_text(encoding='utf-8')) == {'accuracy': None}


def test_rnn_script_checks_reports_and_times_both(rnn_model, fake_names, tmp_path):
    result = run_main(RNN_ONNX, '--model', rnn_model[0], '--data-dir', fake_names, '--out-dir', tmp_path, *QUICK_RNN,
                      '--threads', '1')  # The tests' one thread (conftest.py), as a learner on a busy machine sets it
    assert result.code == 0, result.err
    assert result.out.startswith('CPU: ') and ', 1 thread, ' in result.out.splitlines()[0]
    assert 'The same language for 8 of 8 held-out names' in result.out  # 20 % of the 36 fake names
    assert float(re.search(r'Largest difference of logits: (\S+) \(within', result.out).group(1)) <= 1e-4
    info = json.loads((rnn_model[0].parent / 'rnn_name2lang.onnx.json').read_text(encoding='utf-8'))
    assert info['accuracy'] == pytest.approx(rnn_model[1], abs=5e-5)  # What the lesson printed when it trained
    # Each of the slide's names: report_predict's lines (run here) and ONNX Runtime's, side by side
    model, target_names = result.vars['model'], result.vars['target_names']
    lesson = load_script(RNN)
    for name in ['Choi', 'Tanaka']:
        printed = run_report(lesson, name, model, target_names)
        for line in printed[1:]:
            assert f'{line:<30}{line.strip()}\n' in result.out
    assert 'The same top 5 and percentages for 5 of 5 names' in result.out
    speed = timing(result.out)
    assert list(speed) == ['PyTorch', 'ONNX Runtime'] and all(ms > 0 and rate > 0 for ms, rate in speed.values())
    ratio = float(re.search(r'([\d.]+) times as fast per name', result.out).group(1))
    assert ratio == pytest.approx(speed['PyTorch'][0] / speed['ONNX Runtime'][0], rel=0.05)
    assert (tmp_path / 'rnn_name2lang_onnx_speed.png').is_file()


def run_report(lesson, name, model, target_names):
    """The lines that the lesson's report_predict prints for `name`."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        lesson.report_predict(name, model, target_names)
    return printed.getvalue().splitlines()


@pytest.mark.parametrize('script', [CNN_ONNX, RNN_ONNX])
def test_no_model_is_one_line(script, fake_mnist, tmp_path):
    result = run_main(script, '--model', tmp_path / 'none.pt', '--data-dir', fake_mnist, '--out-dir', tmp_path)
    assert one_line_error(result) and 'does not exist: train it first' in result.err
    assert list(tmp_path.iterdir()) == []  # Nothing exported


def test_another_models_checkpoint_is_one_line(cnn_model, rnn_model, fake_mnist, fake_names, tmp_path):
    result = run_main(CNN_ONNX, '--model', rnn_model[0], '--data-dir', fake_mnist, '--out-dir', tmp_path)
    assert one_line_error(result) and 'another model' in result.err
    result = run_main(RNN_ONNX, '--model', cnn_model, '--data-dir', fake_names, '--out-dir', tmp_path)
    assert one_line_error(result) and 'another model' in result.err


def test_other_languages_than_the_models_is_one_line(rnn_model, tmp_path):
    names = tmp_path / 'names'
    names.mkdir()
    for language in ['Dutch', 'Greek', 'Irish']:
        (names / f'{language}.txt').write_text('Aa\nBb\nCc\nDd\nEe\n', encoding='utf-8')
    result = run_main(RNN_ONNX, '--model', rnn_model[0], '--data-dir', tmp_path, '--out-dir', tmp_path / 'out')
    assert one_line_error(result) and 'not those the model was trained on' in result.err


# Notebooks ------------------------------------------------------------------------------------------------------
@pytest.mark.full  # A further script: its in-process tests check what it prints
def test_cnn_onnx_notebook(notebooks, cnn_model, fake_mnist, tmp_path):
    nb = notebooks.run('04_cnn_mnist/further/cnn_mnist_onnx.py',
                       args=['--model', cnn_model, '--out-dir', tmp_path, '--images', '50', *QUICK_CNN],
                       data_dir=fake_mnist, extra_cells=['print(type(session).__name__, sorted(speed))'])
    text = notebook_text(nb)
    assert 'The same digit for 50 of 50 test images' in text
    assert text.splitlines()[-1] == "InferenceSession ['ONNX Runtime', 'PyTorch']"
    assert notebook_images(nb) == 1


@pytest.mark.full  # A further script: its in-process tests check what it prints
def test_rnn_onnx_notebook(notebooks, rnn_model, fake_names, tmp_path):
    nb = notebooks.run('05_rnn_name2lang/further/rnn_name2lang_onnx.py',
                       args=['--model', rnn_model[0], '--out-dir', tmp_path, '--repeats', '1'], data_dir=fake_names,
                       extra_cells=['print(type(session).__name__, type(model).__name__)'])
    text = notebook_text(nb)
    assert 'The same language for 8 of 8 held-out names' in text
    assert text.splitlines()[-1] == 'InferenceSession MyRNN'
    assert notebook_images(nb) == 1
