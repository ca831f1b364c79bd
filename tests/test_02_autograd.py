"""Tests of 02_autograd: the slides' printed values, autograd against SymPy in float64, and both gradient
descents from x = 12 stopping at the local minimum of f, checked against an independent computation."""
import ast
import re

import numpy as np
import pytest
import sympy as sp
import torch
from conftest import notebook_images, notebook_text, run_cli, run_main

from common import REPO_ROOT
from common.cli import first_paragraph

SECTION = '02_autograd'
# The slides' plt.axis((*viz_range, *f(viz_range))) hands matplotlib 0-d tensors: NumPy 2 warns about torch, not us
pytestmark = pytest.mark.filterwarnings('ignore:__array_wrap__ must accept context:DeprecationWarning')
GRAD_DESCENTS = {'grad_descent': ('Gradient Descent by Hands', '-.'),  # Each slide's title and tangent style
                 'grad_descent_optim': ('Gradient Descent by torch.optim', '-')}
USAGE = {'autograd': '[-h]', 'autograd_analysis': '[-h]'} | {
    name: '[-h] [--seed SEED] [--out-dir OUT_DIR] [--learn-rate LEARN_RATE] [--max-iter MAX_ITER] [--x-init X_INIT]'
    for name in GRAD_DESCENTS}
LOG_LINE = re.compile(r"^Iter: (\d+), x = (\S+) to (\S+), f\(x\) = (\S+) to (\S+) \(f'\(x\) = (\S+)\)$", re.MULTILINE)
F = np.polynomial.Polynomial([5.4, -1.5, -0.8, 0.1])  # f(x) = 0.1x^3 - 0.8x^2 - 1.5x + 5.4, written independently


def run(name, *args):
    """Run `02_autograd/<name>.py args...` in this process; return the `Result` (it must succeed)."""
    result = run_main(f'{SECTION}/{name}.py', *args)
    assert result.code == 0 and result.err == '', result.err
    return result


def local_minimum_of_f():
    """The root of f'(x) = 0 where f''(x) > 0, by NumPy (independent of the scripts)."""
    roots = F.deriv().roots()
    return float(roots[F.deriv(2)(roots) > 0][0])


def test_autograd_prints_the_slide_values():
    assert run('autograd').out.splitlines() == ['tensor([-3.5000])', '0.3*x**2 - 1.6*x - 1.5', '-3.5']


def test_autograd_derivative_equals_sympy_in_float64():
    variables = run('autograd').vars
    y, yd, x_sym = variables['y'], variables['yd'], variables['x']  # The script's SymPy f and its derivative
    f = sp.lambdify(x_sym, y)           # The same f, for tensors (a polynomial: only + - * **)
    for value in [-6., -0.5, 0., 2., 7.25, 12.]:
        x = torch.tensor([value], dtype=torch.float64, requires_grad=True)
        f(x).backward()
        assert x.grad.item() == pytest.approx(float(yd.subs({x_sym: value})), abs=1e-6)
        assert x.grad.item() == pytest.approx(F.deriv()(value), abs=1e-6)


def test_autograd_analysis_table_before_and_after_backward():
    out = run('autograd_analysis').out
    before, after = out.split("### After 'z.backward()'\n")
    assert before.startswith("### Before 'z.backward()'\n")
    assert before.count('grad(None)') == 3 and 'retains_grad(True)' not in before
    assert 'tensor(tensor(125., grad_fn=<PowBackward0>))' in before
    assert 'tensor(tensor(4.8283, grad_fn=<LogBackward0>))' in before
    grads = re.findall(r'^\* ([xyz]): .* retains_grad\((\w+)\) grad\((\S+)\) ', after, flags=re.MULTILINE)
    assert [(name, retains) for name, retains, _ in grads] == [('x', 'False'), ('y', 'True'), ('z', 'True')]
    # Against SymPy: dz/dx = 3/x, dz/dy = 1/y, dz/dz = 1 at x = 5 (printed in float32)
    x_sym = sp.symbols('x', positive=True)
    dz_dx, dz_dy = sp.diff(sp.log(x_sym**3), x_sym), 1 / x_sym**3
    expected = [float(dz_dx.subs(x_sym, 5)), float(dz_dy.subs(x_sym, 5)), 1.]
    np.testing.assert_allclose([float(grad) for _, _, grad in grads], expected, rtol=1e-6)


@pytest.mark.parametrize('name', USAGE)
def test_help_shows_the_options_and_the_first_sentence(name):
    result = run_main(f'{SECTION}/{name}.py', '--help')
    assert result.code == 0
    assert ' '.join(result.out.split()).startswith(f'usage: {name}.py {USAGE[name]} ')
    source = (REPO_ROOT / SECTION / f'{name}.py').read_text(encoding='utf-8')
    sentence = first_paragraph(ast.get_docstring(ast.parse(source)))
    assert re.fullmatch(r'[A-Z][^.]*(\.[^ .][^.]*)*\.', sentence), sentence  # One sentence, ending with its period
    assert sentence in ' '.join(result.out.split())


@pytest.mark.parametrize('name', GRAD_DESCENTS)
def test_grad_descent_from_12_stops_at_the_local_minimum(tmp_path, name):
    result = run(name, '--out-dir', tmp_path)
    steps = LOG_LINE.findall(result.out)
    assert steps[0] == ('0', '12.000', '9.750', '45.000', '7.411', '22.500')  # The slide's first step
    for i, (index, x_from, x_to, f_from, f_to, grad) in enumerate(steps):
        x_from, x_to, f_from, f_to, grad = map(float, (x_from, x_to, f_from, f_to, grad))
        assert int(index) == i
        assert f_to <= f_from                                     # Every step goes downhill at lr = 0.1
        assert f_to == pytest.approx(F(x_to), abs=2e-3)            # The printed f, recomputed
        assert grad == pytest.approx(F.deriv()(x_from), abs=5e-3)  # f'(x) at the point it left
        assert x_to == pytest.approx(x_from - 0.1 * grad, abs=2e-3)
    x_last = float(steps[-1][2])
    assert round(x_last, 3) == round(local_minimum_of_f(), 3) == 6.147
    assert len(steps) < 100                                       # It stopped by the tolerance, not --max-iter
    assert f'Converged after {len(steps)} iterations: x = 6.147' in result.out
    assert (tmp_path / f'{name}.png').stat().st_size > 10_000
    assert result.out.endswith(f'Figure saved: {tmp_path / name}.png\n')


@pytest.mark.parametrize('name', GRAD_DESCENTS)
def test_grad_descent_figure_has_its_slide_title_labels_style_and_every_step_inside(tmp_path, name):
    ax = run(name, '--out-dir', tmp_path).vars['fig'].axes[0]
    title, tangent_style = GRAD_DESCENTS[name]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == (title, 'x', 'f(x)')
    lines = ax.get_lines()
    tangents = [line for line in lines if line.get_marker() in ('None', None, '') and line.get_label().startswith('_')]
    points = [line for line in lines if line.get_marker() == '.']
    assert len(tangents) == len(points) - 1 > 10                  # One tangent per step, plus the start point
    assert {line.get_linestyle() for line in tangents} == {tangent_style}
    (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
    for point in points:                                          # Each step whole inside the frame, (12, 45) too
        (x,), (y,) = np.ravel(point.get_xdata()), np.ravel(point.get_ydata())
        assert x_low < x - 0.2 and x + 0.2 < x_high and y_low < y - 1 and y + 1 < y_high


@pytest.mark.parametrize('x_init', ['20', '-10'])
def test_grad_descent_figure_reaches_a_start_outside_the_slide_range(tmp_path, x_init):
    ax = run('grad_descent', '--x-init', x_init, '--max-iter', '2', '--out-dir', tmp_path).vars['fig'].axes[0]
    (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
    x = float(x_init)
    assert x_low < min(-6, x) and max(12, x) < x_high          # The slide's -6 to 12, widened to the start
    assert y_low < min(F(-6), F(x)) and max(F(12), F(x)) < y_high


def test_the_two_figures_differ(tmp_path):
    for name in GRAD_DESCENTS:
        run(name, '--out-dir', tmp_path)
    assert (tmp_path / 'grad_descent.png').read_bytes() != (tmp_path / 'grad_descent_optim.png').read_bytes()


def test_both_gradient_descents_take_the_same_steps(tmp_path):
    by_hand = LOG_LINE.findall(run('grad_descent', '--out-dir', tmp_path, '--x-init', '-0.5').out)
    by_optim = LOG_LINE.findall(run('grad_descent_optim', '--out-dir', tmp_path, '--x-init', '-0.5').out)
    assert by_hand == by_optim and len(by_hand) > 10


def test_grad_descent_too_large_lr_diverges_without_crashing(tmp_path):
    out = run('grad_descent', '--learn-rate', '0.6', '--out-dir', tmp_path).out
    assert re.search(r'^Diverged after \d+ iterations: x ran off to -inf', out, flags=re.MULTILINE)
    assert len(LOG_LINE.findall(out)) < 100
    assert (tmp_path / 'grad_descent.png').is_file()


def test_grad_descent_max_iter_stops_early(tmp_path):
    out = run('grad_descent_optim', '--max-iter', '3', '--learn-rate', '0.01', '--out-dir', tmp_path).out
    assert len(LOG_LINE.findall(out)) == 3
    assert 'Not converged after 3 iterations' in out


def test_grad_descent_seed_gives_the_same_colors(tmp_path):
    def colors(*args):
        ax = run('grad_descent', '--max-iter', '4', '--out-dir', tmp_path, *args).vars['fig'].axes[0]
        return [line.get_color() for line in ax.get_lines()[2:]]
    assert colors() == colors() != colors('--seed', '1')


@pytest.mark.full  # test_create_tensor_runs_from_any_folder shows it
def test_grad_descent_runs_from_any_folder(tmp_path):
    result = run_cli(f'{SECTION}/grad_descent.py', '--max-iter', '5', '--out-dir', 'figs', cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('Iter: ') == 5
    assert (tmp_path / 'figs' / 'grad_descent.png').is_file()  # --out-dir is relative to where it runs
    assert result.stderr == ''


@pytest.mark.parametrize('args', [
    ['--max-iter', '0'], ['--learn-rate', '-1'], ['--learn-rate', '0'], ['--learn-rate', 'nan'], ['--x-init', 'inf'],
    ['--x-init', '1e9'], ['--x-init', '-101'], ['--x-init', 'twelve'],
    ['--device', 'cpu'],                # Nothing computed on a device: no --device
    ['--lr', '0.1'],                    # The slide's name: --learn-rate
])
@pytest.mark.parametrize('name', GRAD_DESCENTS)
def test_bad_options_exit_2_with_one_line(name, args):
    result = run_main(f'{SECTION}/{name}.py', *args)
    assert result.code == 2 and result.out == ''
    assert re.fullmatch(f'{name}.py: error: [^\n]*{args[0]}[^\n]* \\(see --help\\)\n', result.err)


@pytest.mark.parametrize('name', ['autograd', 'autograd_analysis'])
def test_autograd_scripts_take_no_options(name):
    result = run_main(f'{SECTION}/{name}.py', '--seed', '1')
    assert result.code == 2 and result.err == f'{name}.py: error: unrecognized arguments: --seed 1 (see --help)\n'


# The notebook tier: each script as a learner opens it in Jupyter (defaults, cells one after the other) --------
# test_create_tensor_as_a_notebook runs a script as a notebook;
@pytest.mark.full  # test_autograd_prints_the_slide_values checks its output
def test_autograd_as_a_notebook(notebooks):
    nb = notebooks.run(f'{SECTION}/autograd.py', extra_cells=['print(float(yd.subs({x: 7.25})))'])
    out = notebook_text(nb).splitlines()
    assert out[:3] == ['tensor([-3.5000])', '0.3*x**2 - 1.6*x - 1.5', '-3.5'] and len(out) == 4
    assert float(out[3]) == pytest.approx(F.deriv()(7.25), abs=1e-12)  # The SymPy derivative stays to use
    assert notebook_text(nb, 'stderr') == '' and notebook_images(nb) == 0


@pytest.mark.full  # test_autograd_derivative_equals_sympy_in_float64 shows it in process
def test_autograd_in_float64_at_another_x_equals_sympy(notebooks):
    # The slide's autograd line, edited as a learner would: x = 7.25 in float64; both ways print f'(7.25)
    nb = notebooks.run(f'{SECTION}/autograd.py', edits={
        'torch.tensor([2.], requires_grad=True)': 'torch.tensor([7.25], dtype=torch.float64, requires_grad=True)',
        'print(x.grad)': 'print(x.grad.item())', 'yd.subs({x: 2})': 'yd.subs({x: 7.25})'})
    by_autograd, _, by_sympy = map(str.strip, notebook_text(nb).splitlines())
    assert float(by_autograd) == pytest.approx(float(by_sympy), abs=1e-12)
    assert float(by_autograd) == pytest.approx(F.deriv()(7.25), abs=1e-12) != F.deriv()(2.)


# test_create_tensor_as_a_notebook runs a script as a notebook;
@pytest.mark.full  # test_autograd_analysis_table_before_and_after_backward checks its output
def test_autograd_analysis_as_a_notebook(notebooks):
    nb = notebooks.run(f'{SECTION}/autograd_analysis.py')
    assert notebook_text(nb) == run('autograd_analysis').out
    assert notebook_text(nb, 'stderr') == '' and notebook_images(nb) == 0  # The .grad warning stays hidden


# test_autograd_analysis_table_before_and_after_backward checks the grads against SymPy;
@pytest.mark.full  # test_autograd_derivative_equals_sympy_in_float64 shows float64 in process
def test_autograd_analysis_in_float64_at_another_x_equals_sympy(notebooks):
    nb = notebooks.run(f'{SECTION}/autograd_analysis.py', edits={
        'torch.tensor(5., requires_grad=True)': 'torch.tensor(7., dtype=torch.float64, requires_grad=True)'})
    after = notebook_text(nb).split("### After 'z.backward()'\n")[1]
    grads = [float(grad) for grad in re.findall(r' grad\((\S+)\) ', after)]
    x_sym = sp.symbols('x', positive=True)
    expected = [float(sp.diff(sp.log(x_sym**3), x_sym).subs(x_sym, 7)), 1 / 7**3, 1.]
    np.testing.assert_allclose(grads, expected, rtol=0, atol=1e-6)
    assert 'dtype=torch.float64' in after


# test_cnn_mnist_notebook runs a notebook with an edited constant;
@pytest.mark.full  # test_grad_descent_max_iter_stops_early checks the steps
def test_grad_descent_as_a_notebook_uses_the_constant_max_iter(notebooks, tmp_path):
    nb = notebooks.run(f'{SECTION}/grad_descent.py', args=['--out-dir', tmp_path],
                       edits={'max_iter = 100': 'max_iter = 5'})  # The edited setting is --max-iter's default
    out = notebook_text(nb)
    assert LOG_LINE.findall(out)[0] == ('0', '12.000', '9.750', '45.000', '7.411', '22.500')
    assert len(LOG_LINE.findall(out)) == 5 and 'Not converged after 5 iterations' in out
    assert notebook_images(nb) == 1 and (tmp_path / 'grad_descent.png').is_file()


# test_cnn_mnist_notebook runs a notebook with an edited constant;
@pytest.mark.full  # test_both_gradient_descents_take_the_same_steps checks the steps
def test_grad_descent_optim_as_a_notebook(notebooks, tmp_path):
    nb = notebooks.run(f'{SECTION}/grad_descent_optim.py', args=['--out-dir', tmp_path],
                       edits={'learn_rate = 0.1': 'learn_rate = 0.5'},  # The edited setting is --learn-rate's default
                       extra_cells=['print(type(optimizer).__name__, optimizer.defaults["lr"], round(x.item(), 3))'])
    out = notebook_text(nb)
    assert out == run('grad_descent_optim', '--learn-rate', '0.5', '--out-dir', tmp_path).out + 'SGD 0.5 6.147\n'
    assert 'Converged after 10 iterations: x = 6.147' in out  # Big steps, fewer of them
    assert notebook_images(nb) == 1  # The figure, shown once, inline
