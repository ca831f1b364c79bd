"""Tests of 03_nn_iris: activation functions, vanishing gradients, Iris classification and its benchmark.

All hermetic (the Iris data ships with scikit-learn) and quick: 1,000 epochs at most. Each script runs
once as a notebook (the `notebooks` fixture), the rest in process with `run_main`, as `python ...` would.
"""
import json
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from conftest import load_script, notebook_images, notebook_text, run_main

import common

SECTION = '03_nn_iris'
ACT = f'{SECTION}/activation_funcs.py'
VANISH = f'{SECTION}/vanishing_grad.py'
IRIS_RAW = f'{SECTION}/iris_classification.py'
IRIS_MY = f'{SECTION}/iris_my_style.py'
BENCH = 'benchmarks/iris_dataloader.py'

LOG_LINE = re.compile(r'^ *(\d+) \( *([\d.]+) sec\), TrLoss=([\d.]+), VaLoss=([\d.]+), VaAcc=([\d.]+)$', re.M)
SLIDE_LOG_1000 = {'VaLoss': 0.009769, 'VaAcc': 0.707}  # "My Style (5/5)", the line of epoch 1000


def assert_rejected(script, tmp_path, *args):
    """The options `args` end the script with exit code 2 and one line on stderr, writing nothing."""
    result = run_main(script, *args, '--out-dir', tmp_path)
    assert result.code == 2, result.err
    assert result.err.count('\n') == 1 and 'error:' in result.err and args[0] in result.err
    assert not any(tmp_path.iterdir())


def help_of(script):
    """The options that `script --help` offers, and its description joined into one line."""
    result = run_main(script, '--help')
    assert result.code == 0
    options = re.findall(r'^  (?:-h, )?(--[\w-]+)', result.out, re.M)
    description = ' '.join(result.out.split('\n\n')[1].split())
    return set(options), description


@pytest.mark.parametrize('script, options', [
    (ACT, {'--out-dir'}),
    (VANISH, {'--out-dir'}),
    (IRIS_RAW, {'--device', '--seed', '--out-dir', '--epochs', '--lr'}),
    (IRIS_MY, {'--device', '--seed', '--out-dir', '--epochs', '--batch-size', '--lr'}),
    (BENCH, {'--device', '--seed', '--epochs', '--batch-size', '--lr', '--round'}),
])
def test_help_is_one_sentence_and_offers_only_the_options_used(script, options):
    offered, description = help_of(script)
    assert offered == options | {'--help'}
    assert description[0].isupper() and description.endswith('.') and '. ' not in description, description


def recorded_curves(monkeypatch):
    """Every curve that a script draws with `plt.plot`, as (x, y, label), recorded while it runs."""
    curves, plot = [], plt.plot

    def recording_plot(*args, **kwargs):
        curves.append((np.asarray(args[0]), np.asarray(args[1]), kwargs.get('label')))
        return plot(*args, **kwargs)

    monkeypatch.setattr(plt, 'plot', recording_plot)
    return curves


# activation_funcs.py
def test_activation_funcs_grads_match_closed_forms(monkeypatch, tmp_path):
    curves = recorded_curves(monkeypatch)
    result = run_main(ACT, '--out-dir', tmp_path)
    assert result.code == 0, result.err
    closed_forms = {
        'Sigmoid': lambda x: torch.sigmoid(x) * (1 - torch.sigmoid(x)),
        'Tanh': lambda x: 1 - torch.tanh(x) ** 2,
        'ReLU': lambda x: (x > 0).float(),
        'Leaky ReLU': lambda x: torch.where(x > 0, 1., 0.1),
        'ELU': lambda x: torch.where(x > 0, 1., torch.exp(x)),
    }
    acts = result.vars['activation_funcs']
    assert [a['name'] for a in acts] == list(closed_forms)
    assert len(curves) == 2 * len(acts)  # phi(x), then its derivative, for each function
    for act, (x, phi, phi_label), (x_again, grad, grad_label) in zip(acts, curves[0::2], curves[1::2]):
        derivative = closed_forms[act['name']]
        x = torch.from_numpy(x)
        assert len(x) == 200 and x[0] == -10 and x[-1] == 10 and np.array_equal(x_again, x.numpy())
        assert phi_label == r'$\phi(x)$' and grad_label.startswith(r'$\partial')
        torch.testing.assert_close(torch.from_numpy(phi), act['func'](x))
        torch.testing.assert_close(torch.from_numpy(grad), derivative(x), atol=1e-6, rtol=1e-5)
        assert f"{act['name']:<10}: max d phi/dx = {derivative(x).max():.3f}" in result.out
    assert [p.name for p in tmp_path.iterdir()] == ['activation_funcs.png']  # One figure, a plot per function


# test_iris_my_style_as_notebook_matches_the_slide runs a notebook;
@pytest.mark.full  # test_activation_funcs_grads_match_closed_forms checks the numbers
def test_activation_funcs_as_notebook_with_one_more_function(notebooks, tmp_path):
    # The slide's exercise "Try more activation functions", done as a learner does it: one more line
    nb = notebooks.run(f'{SECTION}/activation_funcs.py', args=['--out-dir', tmp_path], edits={
        '    # Try more activation functions': "    {'name': 'GELU', 'func': nn.GELU()},\n    # Try"},
        extra_cells=['print(len(activation_funcs), len(x), f"{grad.max():.3f}")'])
    text = notebook_text(nb)
    assert 'Device' not in text  # It computes nothing on a device
    for line in ['Sigmoid   : max d phi/dx = 0.250', 'Tanh      : max d phi/dx = 0.997',
                 'ReLU      : max d phi/dx = 1.000', 'ELU       : max d phi/dx = 1.000',
                 'GELU      : max d phi/dx = 1.129']:
        assert line in text
    assert text.splitlines()[-1] == '6 200 1.129'  # The last function's x and grad stay, to inspect
    assert notebook_images(nb) == 1 and (tmp_path / 'activation_funcs.png').stat().st_size > 10_000


# vanishing_grad.py
def test_vanishing_grad_products_of_derivatives_match_autograd(monkeypatch, tmp_path):
    """The slides' chain rule written out, df(f(f(x)))*df(f(x))*df(x), against autograd in float64 (micrograd's way)."""
    curves = recorded_curves(monkeypatch)
    result = run_main(VANISH, '--out-dir', tmp_path)
    assert result.code == 0, result.err
    assert [label for *_, label in curves] == ['1-layer', '2-layer', '3-layer', '4-layer'] * 2
    maxima = []
    for (x, product, label), phi in zip(curves, [torch.sigmoid] * 4 + [torch.relu] * 4):
        assert x.dtype == np.float64 and len(x) == 1000 and x[0] == -10 and x[-1] == 10
        x = torch.tensor(x, requires_grad=True)
        y = x
        for _ in range(int(label[0])):  # n layers: y = phi(phi(...phi(x)))
            y = phi(y)
        y.sum().backward()  # y[i] depends on x[i] only, so x.grad[i] = dy[i] / dx[i]
        assert x.grad.dtype == torch.float64
        torch.testing.assert_close(torch.from_numpy(product.astype(np.float64)), x.grad, rtol=0, atol=1e-6)
        maxima.append(product.max())
    assert maxima[0] == pytest.approx(0.25, abs=1e-4) and all(b < a / 4 for a, b in zip(maxima[:3], maxima[1:4]))
    assert maxima[4:] == [1] * 4 and not curves[7][1][curves[7][0] < 0].any()  # ReLU: 1 for x > 0, 0 below
    assert sorted(p.name for p in tmp_path.iterdir()) == ['vanishing_grad_relu.png', 'vanishing_grad_sigmoid.png']


# test_iris_my_style_as_notebook_matches_the_slide runs a notebook;
@pytest.mark.full  # test_vanishing_grad_products_of_derivatives_match_autograd checks the numbers
def test_vanishing_grad_as_notebook(notebooks, tmp_path):
    nb = notebooks.run(f'{SECTION}/vanishing_grad.py', args=['--out-dir', tmp_path],
                       extra_cells=['print(x.dtype, len(x), df(-1.0), df(2.0))'])
    text = notebook_text(nb)
    assert 'Device' not in text
    maxima = re.findall(r'^(sigmoid|relu) (\d)-layer: max dy/dx = ([\d.]+)$', text, re.M)
    assert [value for name, _, value in maxima if name == 'sigmoid'] == ['0.2500', '0.0590', '0.0134', '0.0030']
    assert [value for name, _, value in maxima if name == 'relu'] == ['1.0000'] * 4
    assert text.splitlines()[-1] == 'float64 1000 False True'  # The ReLU's x and df stay, to inspect
    assert notebook_images(nb) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ['vanishing_grad_relu.png', 'vanishing_grad_sigmoid.png']


@pytest.mark.parametrize('option, value', [('--act', 'relu'), ('--layers', '3'), ('--device', 'cpu')])
def test_vanishing_grad_rejects_bad_options(tmp_path, option, value):
    assert_rejected(VANISH, tmp_path, option, value)


# iris_classification.py (raw tensors)
# test_iris_my_style_as_notebook_matches_the_slide runs a notebook;
@pytest.mark.full  # test_iris_classification_options_reach_the_model checks the training
def test_iris_classification_as_notebook_with_adam(notebooks, tmp_path):
    # The slide's "Try other optimizers", done as a learner does it: Adam in the slide's line learns in 300 epochs
    nb = notebooks.run(f'{SECTION}/iris_classification.py',
                       args=['--epochs', '300', '--device', 'cpu', '--out-dir', tmp_path],
                       edits={'torch.optim.SGD(': 'torch.optim.Adam('},
                       extra_cells=['print(type(optimizer).__name__, len(loss_list), tuple(x.shape))'])
    text = notebook_text(nb)
    assert 'Device: cpu' in text
    loss = float(re.search(r'Final training loss: ([\d.]+)', text).group(1))
    accuracy = float(re.search(r'Balanced accuracy on the training data: ([\d.]+)', text).group(1))
    assert loss < 0.8  # Starts at about ln(3) = 1.1
    assert accuracy > 0.6  # Chance is 0.33
    assert text.splitlines()[-1] == 'Adam 300 (150, 2)'
    assert notebook_images(nb) == 2
    for name in ['iris_classification_loss', 'iris_classification_boundaries']:
        assert (tmp_path / f'{name}.png').stat().st_size > 10_000


def test_iris_classification_options_reach_the_model(tmp_path):
    result = run_main(IRIS_RAW, '--epochs', '3', '--lr', '0.5', '--device', 'cpu', '--out-dir', tmp_path)
    assert result.code == 0, result.err
    model, optimizer = result.vars['model'], result.vars['optimizer']
    assert model[0].out_features == 4 and model[2].in_features == 4  # The slide's 4 hidden units
    assert type(optimizer).__name__ == 'SGD' and optimizer.param_groups[0]['lr'] == 0.5
    assert result.vars['epoch_max'] == 3
    assert len(result.vars['loss_list']) == 3 and all(isinstance(v, float) for v in result.vars['loss_list'])
    # It scores on its training data, as the slide does, and says so in the figure too
    assert 'on the training data' in result.vars['fig'].axes[0].get_title()
    assert sorted(p.name for p in tmp_path.iterdir()) == ['iris_classification_boundaries.png',
                                                           'iris_classification_loss.png']


@pytest.mark.parametrize('option, value', [('--epochs', '0'), ('--lr', '-1'), ('--hidden-size', '16'),
                                           ('--optimizer', 'adam'), ('--device', 'tpu'),
                                           ('--data-dir', '.')])
def test_iris_classification_rejects_bad_options(tmp_path, option, value):
    assert_rejected(IRIS_RAW, tmp_path, option, value)


# iris_my_style.py
def test_iris_my_style_as_notebook_matches_the_slide(notebooks, tmp_path):
    # EPOCH_LOG is a constant a learner edits: every 250 epochs here; 1000 epochs reach the slide's first line
    nb = notebooks.run(f'{SECTION}/iris_my_style.py',
                       args=['--epochs', '1000', '--device', 'cpu', '--out-dir', tmp_path],
                       edits={'EPOCH_LOG = 1000': 'EPOCH_LOG = 250'},
                       extra_cells=['print(type(model).__name__, len(loss_list), tuple(x.shape), tuple(y.shape))'])
    text = notebook_text(nb)
    assert 'Device: cpu' in text and 'VaLoss, VaAcc: on the training data' in text
    logs = LOG_LINE.findall(text)
    assert [int(epoch) for epoch, *_ in logs] == [250, 500, 750, 1000]
    epoch, seconds, train_loss, valid_loss, valid_accuracy = logs[-1]
    assert valid_accuracy == f"{SLIDE_LOG_1000['VaAcc']:.3f}"  # The slide's VaAcc, digit for digit
    # The slide divides the mean loss by the number of samples once more: its three batches of 50 give /50
    assert float(valid_loss) / 50 == pytest.approx(SLIDE_LOG_1000['VaLoss'], abs=1e-5)
    assert 0.4 < float(train_loss) < float(logs[0][2])  # A true per-sample mean, going down
    assert text.splitlines()[-1] == 'MyDNN 1000 (150, 2) (150,)'
    assert notebook_images(nb) == 2
    metrics = json.loads((tmp_path / 'metrics.json').read_text(encoding='utf-8'))
    assert f"{metrics['train_accuracy']:.3f}" == valid_accuracy


def test_iris_my_style_learns_and_names_its_numbers(tmp_path):
    result = run_main(IRIS_MY, '--epochs', '300', '--device', 'cpu', '--out-dir', tmp_path)
    assert result.code == 0, result.err
    assert 'TrLoss=' not in result.out  # EPOCH_LOG (1000) is the only log setting: no line in 300 epochs
    loss_list = result.vars['loss_list']
    assert [row[0] for row in loss_list] == list(range(1, 301))
    assert loss_list[0][1] > loss_list[150][1] > loss_list[-1][1]  # Loss going down
    assert 0.4 < loss_list[-1][1] < 1.0  # A true per-sample mean, not the slide's 0.01 (divided twice)

    metrics = json.loads((tmp_path / 'metrics.json').read_text(encoding='utf-8'))
    assert metrics['train_accuracy'] == loss_list[-1][3] and metrics['train_loss'] == loss_list[-1][1]
    assert 'accuracy' not in metrics and 'valid_accuracy' not in metrics  # Named for what they are
    assert metrics['epochs'] == 300 and metrics['device'] == 'cpu' and metrics['machine'].startswith('CPU: ')
    assert 0.5 < metrics['train_balanced_accuracy'] <= 1
    assert (f"Accuracy on the training data: {metrics['train_accuracy']:.3f}, "
            f"balanced: {metrics['train_balanced_accuracy']:.3f}") in result.out
    # Printed and plotted as what they are: numbers on the training data
    assert 'on the training data' in result.vars['ax_acc'].get_ylabel()
    assert 'on its training data' in result.vars['ax'].get_title()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        'iris_my_style_boundaries.png', 'iris_my_style_loss.png', 'metrics.json']  # No temporary file left


def test_iris_my_style_same_seed_same_numbers(tmp_path):
    def losses(folder, *args):
        result = run_main(IRIS_MY, '--epochs', '40', '--device', 'cpu', '--out-dir', tmp_path / folder, *args)
        assert result.code == 0, result.err
        return result.vars['loss_list']

    first = losses('a')
    assert losses('b') == first
    assert losses('c', '--seed', '1') != first  # The numbers really depend on the seed


def test_iris_my_style_train_and_evaluate_give_per_sample_means():
    """The slide's train/evaluate, with the loss fixed: batches of unequal size give the mean over all samples."""
    script = load_script(IRIS_MY)
    torch.manual_seed(0)
    x, y = torch.randn(130, 2), torch.randint(0, 3, (130,))
    batches = [(x[i:i + 50], y[i:i + 50]) for i in range(0, 130, 50)]  # 50, 50 and 30 samples
    model = script.MyDNN()
    with torch.no_grad():
        want_loss = torch.nn.functional.cross_entropy(model(x), y).item()
        want_accuracy = (model(x).argmax(dim=1) == y).float().mean().item()
    loss, accuracy = script.evaluate(model, batches, torch.nn.functional.cross_entropy)
    assert loss == pytest.approx(want_loss, rel=1e-6) and accuracy == pytest.approx(want_accuracy)
    assert not model.training  # evaluate() puts the model in evaluation mode
    frozen = torch.optim.SGD(model.parameters(), lr=0.)  # lr 0: training changes nothing, its loss is the same
    assert script.train(model, batches, torch.nn.functional.cross_entropy, frozen) == pytest.approx(want_loss, rel=1e-6)
    assert model.training


@pytest.mark.parametrize('option, value', [('--epochs', '-5'), ('--batch-size', '0'), ('--lr', 'abc'),
                                           ('--epoch-log', '10'), ('--data-dir', '.')])
def test_iris_my_style_rejects_bad_options(tmp_path, option, value):
    assert_rejected(IRIS_MY, tmp_path, option, value)


# benchmarks/iris_dataloader.py
def test_benchmark_prints_machine_times_and_ratio():
    result = run_main(BENCH, '--epochs', '8', '--round', '2', '--device', 'cpu')
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == common.describe_machine() and lines[1] == 'Device: cpu'
    rows = {}
    for line in lines:
        match = re.match(r'^(slide|ours|raw tensors) +cpu +([\d.]+) +([\d.]+) +([\d.]+)x$', line)
        if match:
            rows[match.group(1)] = [float(value) for value in match.groups()[1:]]
    assert list(rows) == ['slide', 'ours', 'raw tensors']
    for ms, accuracy, _ in rows.values():
        assert ms > 0 and 0 <= accuracy <= 1
    match = re.search(r'^ours vs slide on cpu: ([\d.]+)x faster, accuracy on the training data ([\d.]+) vs ([\d.]+)$',
                      result.out, re.M)
    assert match and float(match.group(1)) == pytest.approx(rows['slide'][0] / rows['ours'][0], rel=0.01, abs=0.01)
    assert float(match.group(2)) == rows['ours'][1] and float(match.group(3)) == rows['slide'][1]
    match = re.search(r'round by round \(4 rounds of up to 2 epochs\): median ([\d.]+)x, '
                      r'middle half ([\d.]+)x to ([\d.]+)x', result.out)
    assert match and 0 < float(match.group(2)) <= float(match.group(1)) <= float(match.group(3))


def test_benchmark_loops_train_the_same_model():
    """Each loop of the benchmark really trains: the loss of its model goes down from the same start."""
    bench = load_script(BENCH)
    starts = []
    for name, loop in bench.LOOPS.items():
        state = bench.new_run(torch.device('cpu'), 777, 0.1)
        x, y, model = state['x'], state['y'], state['model']
        before = torch.nn.functional.cross_entropy(model(x), y).item()
        starts.append(before)
        bench.time_epochs(loop, state, 30, 50)
        after = torch.nn.functional.cross_entropy(model(x), y).item()
        assert after < before - 0.05, name
        assert state['seconds'] > 0 and 0 <= state['accuracy'] <= 1
    assert starts == [starts[0]] * len(starts)  # The same seeded start for every loop


def test_benchmark_times_exactly_the_loop_of_iris_my_style(tmp_path):
    """Our loop in the benchmark and iris_my_style.py, same seed and epochs: the very same trained weights."""
    script = run_main(IRIS_MY, '--epochs', '20', '--device', 'cpu', '--out-dir', tmp_path)
    assert script.code == 0, script.err
    bench = load_script(BENCH)
    state = bench.new_run(torch.device('cpu'), 777, 0.01)
    bench.time_epochs(bench.our_loop, state, 20, 50)
    for (name, want), got in zip(script.vars['model'].state_dict().items(), state['model'].state_dict().values()):
        assert torch.equal(got, want), name
