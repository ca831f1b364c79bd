"""Tests of 03_nn_iris: activation functions, vanishing gradients, Iris classification and its benchmark.

All hermetic (the Iris data ships with scikit-learn) and quick: a few hundred epochs at most.
"""
import json
import re

import pytest
import torch

from conftest import REPO_ROOT, load_script, run_cli

ACT = '03_nn_iris/activation_funcs.py'
VANISH = '03_nn_iris/vanishing_grad.py'
IRIS_RAW = '03_nn_iris/iris_classification.py'
IRIS_MY = '03_nn_iris/iris_my_style.py'
BENCH = 'benchmarks/iris_dataloader.py'

LOG_LINE = re.compile(r'^ *(\d+) \( *([\d.]+) sec\), TrLoss=([\d.]+), VaLoss=([\d.]+), VaAcc=([\d.]+)$')


# activation_funcs.py
def test_activation_funcs_grads_match_closed_forms():
    act = load_script(ACT)
    closed_forms = {
        'Sigmoid': lambda x: torch.sigmoid(x) * (1 - torch.sigmoid(x)),
        'Tanh': lambda x: 1 - torch.tanh(x) ** 2,
        'ReLU': lambda x: (x > 0).float(),
        'Leaky ReLU': lambda x: torch.where(x > 0, 1., 0.1),
        'ELU': lambda x: torch.where(x > 0, 1., torch.exp(x)),
    }
    assert [a['name'] for a in act.ACTIVATION_FUNCS] == list(closed_forms)
    for a in act.ACTIVATION_FUNCS:
        x, y, grad = act.activation_and_grad(a['func'])
        assert len(x) == act.N_POINTS and x[0] == -10 and x[-1] == 10
        torch.testing.assert_close(grad, closed_forms[a['name']](x), atol=1e-6, rtol=1e-5)


def test_activation_funcs_prints_and_saves_figure(tmp_path, capsys):
    load_script(ACT).main(['--out-dir', str(tmp_path), '--device', 'cpu'])
    out = capsys.readouterr().out
    assert 'Device: cpu' in out
    assert 'Sigmoid   : max d phi/dx = 0.250' in out
    assert 'ReLU      : max d phi/dx = 1.000' in out
    assert (tmp_path / 'activation_funcs.png').stat().st_size > 10_000


# vanishing_grad.py
def test_vanishing_grad_autograd_matches_closed_forms():
    vanish = load_script(VANISH)
    x = torch.linspace(-10, 10, 1000, dtype=torch.float64)

    # Sigmoid: phi' = phi (1 - phi), chained as on the slide: df(f(f(x))) * df(f(x)) * df(x)
    f = torch.sigmoid
    df = lambda t: f(t) * (1 - f(t))  # noqa: E731
    expected, inner, product = [], x, torch.ones_like(x)
    for _ in range(4):
        product = product * df(inner)
        inner = f(inner)
        expected.append(product)
    grads = vanish.layer_gradients(torch.sigmoid, x, 4)
    assert len(grads) == 4
    for grad, want in zip(grads, expected):
        assert grad.dtype == torch.float64
        assert torch.allclose(grad, want, rtol=0, atol=1e-6)
    assert [round(g.max().item(), 4) for g in grads] == [0.25, 0.059, 0.0134, 0.003]  # Vanishing

    # ReLU: the slide's df = (x >= 0), chained; the grid has no x = 0 (1000 points)
    f = lambda t: t * (t >= 0)  # noqa: E731
    df = lambda t: (t >= 0).double()  # noqa: E731
    grads = vanish.layer_gradients(torch.relu, x, 4)
    inner, product = x, torch.ones_like(x)
    for grad in grads:
        product = product * df(inner)
        inner = f(inner)
        assert torch.allclose(grad, product, rtol=0, atol=1e-6)
    assert grads[3][x > 0].min() == 1 and grads[3][x < 0].max() == 0  # Does not vanish


def test_vanishing_grad_one_activation(tmp_path, capsys):
    load_script(VANISH).main(['--act', 'relu', '--out-dir', str(tmp_path), '--device', 'cpu'])
    out = capsys.readouterr().out
    assert 'sigmoid' not in out and 'relu 4-layer: max dy/dx = 1.0000' in out
    assert [p.name for p in tmp_path.iterdir()] == ['vanishing_grad_relu.png']


def test_vanishing_grad_both_by_default(tmp_path, capsys):
    load_script(VANISH).main(['--out-dir', str(tmp_path), '--device', 'cpu', '--layers', '3'])
    out = capsys.readouterr().out
    assert 'sigmoid 3-layer: max dy/dx = 0.0134' in out and 'relu 3-layer: max dy/dx = 1.0000' in out
    assert '4-layer' not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ['vanishing_grad_relu.png', 'vanishing_grad_sigmoid.png']


def assert_rejected(script, tmp_path, capsys, *args):
    """The option values `args` end the script with exit code 2 and one line on stderr, writing nothing."""
    with pytest.raises(SystemExit) as exit_info:
        load_script(script).main([*args, '--out-dir', str(tmp_path)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert err.count('\n') == 1 and 'error:' in err and args[0] in err and 'Traceback' not in err
    assert not any(tmp_path.iterdir())


def test_vanishing_grad_rejects_bad_options(tmp_path, capsys):
    assert_rejected(VANISH, tmp_path, capsys, '--act', 'tanhh')
    assert_rejected(VANISH, tmp_path, capsys, '--layers', '0')


# iris_classification.py (raw tensors)
def test_iris_classification_trains_and_plots(tmp_path, capsys):
    # Adam learns faster than the slide's SGD, so a few hundred epochs show real learning
    load_script(IRIS_RAW).main(['--epochs', '300', '--optimizer', 'adam', '--out-dir', str(tmp_path),
                                '--device', 'cpu'])
    out = capsys.readouterr().out
    loss = float(re.search(r'Final training loss: ([\d.]+)', out).group(1))
    accuracy = float(re.search(r'Balanced accuracy: ([\d.]+)', out).group(1))
    assert loss < 0.8  # Starts at about ln(3) = 1.1
    assert accuracy > 0.6  # Chance is 0.33
    for name in ['iris_classification_loss', 'iris_classification_boundaries']:
        assert (tmp_path / f'{name}.png').stat().st_size > 10_000


@pytest.mark.parametrize('option, value', [('--epochs', '0'), ('--lr', '-1'), ('--hidden-size', 'x'),
                                           ('--optimizer', 'rmsprop'), ('--device', 'tpu')])
def test_iris_classification_rejects_bad_options(tmp_path, capsys, option, value):
    assert_rejected(IRIS_RAW, tmp_path, capsys, option, value)


# iris_my_style.py
def run_my_style(tmp_path, *args):
    """Run iris_my_style.py in a subprocess (its own fresh process, as a learner runs it)."""
    result = run_cli(IRIS_MY, *args, '--out-dir', tmp_path, '--device', 'cpu')
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_iris_my_style_logs_learns_and_writes_metrics(tmp_path):
    out = run_my_style(tmp_path, '--epochs', '300', '--epoch-log', '100')
    logs = [LOG_LINE.match(line) for line in out.splitlines() if 'TrLoss=' in line]
    assert all(logs) and [int(m.group(1)) for m in logs] == [100, 200, 300]
    train_losses = [float(m.group(3)) for m in logs]
    assert train_losses[0] > train_losses[1] > train_losses[2]  # Loss going down
    assert 0.4 < train_losses[2] < 1.0  # A true per-sample mean, not the slide's 0.007 (divided twice)

    metrics = json.loads((tmp_path / 'metrics.json').read_text())
    assert metrics['epochs'] == 300 and metrics['device'] == 'cpu' and metrics['batch_size'] == 50
    assert metrics['accuracy'] == pytest.approx(float(logs[-1].group(5)), abs=0.0005)
    assert 0.5 < metrics['balanced_accuracy'] <= 1
    assert 0 < metrics['train_seconds'] <= float(logs[-1].group(2)) + 0.01
    assert f"balanced accuracy: {metrics['balanced_accuracy']:.3f}" in out
    for name in ['iris_my_style_loss', 'iris_my_style_boundaries']:
        assert (tmp_path / f'{name}.png').stat().st_size > 10_000
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        'iris_my_style_boundaries.png', 'iris_my_style_loss.png', 'metrics.json']  # No temporary file left


def test_iris_my_style_same_seed_same_log(tmp_path, capsys):
    my_style = load_script(IRIS_MY)

    def log_without_time(folder, *args):
        my_style.main(['--epochs', '60', '--epoch-log', '20', '--device', 'cpu', '--out-dir', str(folder), *args])
        out = capsys.readouterr().out
        return [re.sub(r'\( *[\d.]+ sec\)', '(time)', line) for line in out.splitlines() if 'TrLoss=' in line]

    first = log_without_time(tmp_path / 'a')
    second = log_without_time(tmp_path / 'b')
    other_seed = log_without_time(tmp_path / 'c', '--seed', '1')
    assert len(first) == 3 and first == second
    assert other_seed != first  # The log really depends on the seed


def test_shuffled_batches_is_a_shuffled_partition():
    my_style = load_script(IRIS_MY)
    x = torch.arange(150.).reshape(75, 2)
    y = torch.arange(75)
    generator = torch.Generator().manual_seed(0)
    batches = my_style.shuffled_batches(x, y, 20, generator)
    assert [len(yb) for _, yb in batches] == [20, 20, 20, 15]
    order = torch.cat([yb for _, yb in batches])
    assert sorted(order.tolist()) == list(range(75)) and order.tolist() != list(range(75))
    for xb, yb in batches:
        assert torch.equal(xb, x[yb])  # Every sample keeps its label
    again = torch.cat([yb for _, yb in my_style.shuffled_batches(x, y, 20, generator)])
    assert not torch.equal(again, order)  # A new shuffle every epoch


@pytest.mark.parametrize('option, value', [('--epochs', '-5'), ('--batch-size', '0'), ('--lr', 'abc'),
                                           ('--epoch-log', '0'), ('--data-dir', 'no/such/folder')])
def test_iris_my_style_rejects_bad_options(tmp_path, capsys, option, value):
    assert_rejected(IRIS_MY, tmp_path, capsys, option, value)


# benchmarks/iris_dataloader.py
def test_benchmark_prints_times_and_ratios(capsys):
    load_script(BENCH).main(['--epochs', '12', '--round', '3', '--device', 'cpu'])
    out = capsys.readouterr().out
    rows = {}
    for line in out.splitlines():
        match = re.match(r'^(.+?) +cpu +([\d.]+) +([\d.]+) +([\d.]+)x$', line)
        if match:
            rows[match.group(1)] = [float(value) for value in match.groups()[1:]]
    assert list(rows) == ['slide', 'slide 1 thread', 'tensor_loader', 'ours', 'raw tensors']
    assert rows['slide'][2] == 1.0
    for seconds, accuracy, ratio in rows.values():
        assert seconds > 0 and 0 <= accuracy <= 1
        assert ratio == pytest.approx(rows['slide'][0] / seconds, rel=0.02, abs=0.01)
    assert rows['slide'][1] == rows['slide 1 thread'][1]  # Same seed, same batches: same training
    match = re.search(r'ours vs slide on cpu: ([\d.]+)x faster \(([\d.]+)x vs slide 1 thread\), '
                      r'accuracy ([\d.]+) vs ([\d.]+)', out)
    assert match and float(match.group(1)) == pytest.approx(rows['slide'][0] / rows['ours'][0], rel=0.02)
    assert float(match.group(3)) == rows['ours'][1] and float(match.group(4)) == rows['slide'][1]
    match = re.search(r'round by round \(4 rounds of up to 3 epochs\): median ([\d.]+)x, '
                      r'middle half ([\d.]+)x to ([\d.]+)x', out)
    assert match and 0 < float(match.group(2)) <= float(match.group(1)) <= float(match.group(3))


def test_benchmark_loops_train_the_same_model():
    """Each loop of the benchmark really trains: the loss of its model goes down from the same start."""
    bench = load_script(BENCH)
    for name, loop, _ in bench.VARIANTS:
        state = bench.new_run(torch.device('cpu'), 777, 0.1)
        x, y, model = state['x'], state['y'], state['model']
        before = torch.nn.functional.cross_entropy(model(x), y).item()
        if name == 'slide':
            first_before = before
        assert before == first_before  # The same seeded start for every variant
        bench.time_epochs(loop, 1, state, 30, 50)
        after = torch.nn.functional.cross_entropy(model(x), y).item()
        assert after < before - 0.05, name
        assert state['seconds'] > 0 and 0 <= state['accuracy'] <= 1


def test_scripts_have_help_and_cells(capsys):
    for script in [ACT, VANISH, IRIS_RAW, IRIS_MY, BENCH]:
        text = (REPO_ROOT / script).read_text()
        assert text.count('\n# %% ') >= 3, script
        assert text.rstrip().endswith("if __name__ == '__main__':\n    run(main)"), script
    with pytest.raises(SystemExit) as exit_info:
        load_script(IRIS_MY).main(['--help'])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    assert '--epoch-log' in out and '(default: 10000)' in out and '(default: 0.01)' in out
