"""Tests of 02_autograd: the slides' printed values, the gradients against SymPy in float64, and both
gradient descents from x = 12 stopping at the local minimum of f."""
import math
import re

import numpy as np
import pytest
import sympy as sp
import torch
from conftest import load_script, run_cli

SCRIPTS = ['autograd', 'autograd_analysis', 'grad_descent', 'grad_descent_optim']
GRAD_DESCENTS = ['grad_descent', 'grad_descent_optim']
LOG_LINE = re.compile(r"^Iter: (\d+), x = (\S+) to (\S+), f\(x\) = (\S+) to (\S+) \(f'\(x\) = (\S+)\)$", re.MULTILINE)


def run_main(capsys, name, *args):
    """Run `02_autograd/<name>.py` in this process with `args`; return what it printed."""
    load_script(f'02_autograd/{name}.py').main([str(arg) for arg in args])
    return capsys.readouterr().out


def local_minimum_of_f():
    """The root of f'(x) = 0.3x^2 - 1.6x - 1.5 where f''(x) = 0.6x - 1.6 > 0, by numpy.roots."""
    roots = np.roots([0.3, -1.6, -1.5])
    return float(roots[0.6 * roots - 1.6 > 0][0])


def test_autograd_prints_the_slide_values(capsys):
    out = run_main(capsys, 'autograd').splitlines()
    assert out == ['Device: cpu', 'tensor([-3.5000])', '0.3*x**2 - 1.6*x - 1.5', '-3.5']


def test_autograd_derivative_equals_sympy_in_float64():
    module = load_script('02_autograd/autograd.py')
    x_sym = sp.symbols('x')
    derivative = sp.lambdify(x_sym, sp.diff(module.f(x_sym), x_sym))
    for value in [-6., -0.5, 0., 2., 7.25, 12.]:
        x = torch.tensor([value], dtype=torch.float64, requires_grad=True)
        module.f(x).backward()
        assert x.grad.item() == pytest.approx(derivative(value), abs=1e-6)


def test_autograd_analysis_table_before_and_after_backward(capsys):
    out = run_main(capsys, 'autograd_analysis')
    before, after = out.split("### After 'z.backward()'")
    assert before.count('grad(None)') == 3 and 'retains_grad(True)' not in before
    assert 'tensor(tensor(4.8283, grad_fn=<LogBackward0>))' in before
    grads = re.findall(r'^\* ([xyz]): .* retains_grad\((\w+)\) grad\((\S+)\) ', after, flags=re.MULTILINE)
    assert [(name, retains) for name, retains, _ in grads] == [('x', 'False'), ('y', 'True'), ('z', 'True')]
    # dz/dx = 3/x = 0.6, dz/dy = 1/y = 0.008, dz/dz = 1 at x = 5, printed in float32
    np.testing.assert_allclose([float(grad) for _, _, grad in grads], [0.6, 0.008, 1.], rtol=1e-6)


def test_autograd_analysis_gradients_equal_sympy_in_float64():
    module = load_script('02_autograd/autograd_analysis.py')
    x_sym = sp.symbols('x', positive=True)
    dz_dx = sp.lambdify(x_sym, sp.diff(sp.log(x_sym**3), x_sym))
    for value in [0.5, 2., 5., 11.]:
        x = torch.tensor(value, dtype=torch.float64, requires_grad=True)
        y, z = module.forward(x)
        y.retain_grad()
        z.backward()
        assert x.grad.item() == pytest.approx(dz_dx(value), abs=1e-6)
        assert y.grad.item() == pytest.approx(1 / value**3, abs=1e-6)  # dz/dy = 1/y


@pytest.mark.parametrize('name', GRAD_DESCENTS)
def test_grad_descent_from_12_stops_at_the_local_minimum(capsys, tmp_path, name):
    out = run_main(capsys, name, '--out-dir', tmp_path)
    steps = LOG_LINE.findall(out)
    f = load_script('02_autograd/gd_common.py').f
    assert steps[0] == ('0', '12.000', '9.750', '45.000', '7.411', '22.500')  # f'(12) = 22.5, x -= 0.1 * 22.5
    for i, (index, _x_from, x_to, f_from, f_to, _grad) in enumerate(steps):
        assert int(index) == i
        assert float(f_to) <= float(f_from)                   # Every step goes downhill at lr = 0.1
        assert float(f_to) == pytest.approx(f(float(x_to)), abs=2e-3)
    x_last = float(steps[-1][2])
    assert round(x_last, 3) == round(local_minimum_of_f(), 3) == 6.147
    assert len(steps) < 100                                   # It stopped by the tolerance, not --max-iter
    assert f'Converged after {len(steps)} iterations: x = 6.147' in out
    assert (tmp_path / f'{name}.png').stat().st_size > 10_000
    assert f'Figure saved: {tmp_path / name}.png' in out


def test_both_gradient_descents_take_the_same_steps(capsys, tmp_path):
    by_hand = LOG_LINE.findall(run_main(capsys, 'grad_descent', '--out-dir', tmp_path, '--x-init', '-0.5'))
    by_optim = LOG_LINE.findall(run_main(capsys, 'grad_descent_optim', '--out-dir', tmp_path, '--x-init', '-0.5'))
    assert by_hand == by_optim and len(by_hand) > 10


def test_grad_descent_too_large_lr_diverges_without_crashing(capsys, tmp_path):
    out = run_main(capsys, 'grad_descent', '--lr', '0.6', '--out-dir', tmp_path)
    assert re.search(r'^Diverged after \d+ iterations: x ran off to -inf', out, flags=re.MULTILINE)
    assert len(LOG_LINE.findall(out)) < 100
    assert (tmp_path / 'grad_descent.png').is_file()


def test_grad_descent_max_iter_stops_early(capsys, tmp_path):
    out = run_main(capsys, 'grad_descent_optim', '--max-iter', '3', '--lr', '0.01', '--out-dir', tmp_path)
    assert len(LOG_LINE.findall(out)) == 3
    assert 'Not converged after 3 iterations' in out


def test_grad_descent_runs_from_any_folder(tmp_path):
    result = run_cli('02_autograd/grad_descent.py', '--max-iter', '5', '--out-dir', 'figs', cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('Iter: ') == 5
    assert (tmp_path / 'figs' / 'grad_descent.png').is_file()  # --out-dir is relative to where it runs
    assert result.stderr == ''


@pytest.mark.parametrize('name', SCRIPTS)
def test_help_works(capsys, name):
    with pytest.raises(SystemExit, match='^0$'):
        run_main(capsys, name, '--help')
    out = capsys.readouterr().out
    options = '[--lr LR] [--max-iter MAX_ITER] [--x-init X_INIT]' if name in GRAD_DESCENTS else '[--out-dir OUT_DIR]'
    assert out.startswith(f'usage: {name}.py [-h]') and options in ' '.join(out.split())


@pytest.mark.parametrize('args', [
    ['--max-iter', '0'], ['--lr', '-1'], ['--lr', '0'], ['--lr', 'nan'], ['--x-init', 'inf'],
    ['--x-init', '1e9'], ['--x-init', 'twelve'], ['--device', 'gpu'],
])
@pytest.mark.parametrize('name', GRAD_DESCENTS)
def test_bad_values_exit_2_with_one_line(capsys, name, args):
    with pytest.raises(SystemExit, match='^2$'):
        run_main(capsys, name, *args)
    err_lines = capsys.readouterr().err.splitlines()
    assert len(err_lines) == 1 and err_lines[0].startswith(f'{name}.py: error: argument {args[0]}: ')


def test_local_minimum_is_where_f_prime_vanishes():
    x = local_minimum_of_f()
    assert math.isclose(0.3 * x**2 - 1.6 * x - 1.5, 0, abs_tol=1e-9) and 0.6 * x - 1.6 > 0
