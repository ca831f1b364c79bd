"""The exercises of 02_autograd catch the wrong answers a learner writes (each a real function, run through the check
at three seeds by `assert_catches`), and the slide's retain_grad bug fails until mended; tests/test_exercises.py shows
that each check passes its solution and that the unchanged exercise is "not started"."""
import math

import pytest
import torch
from conftest import run_main
from test_exercises import assert_catches

from common.exercises import find_exercise, load_exercise, make_cases


def wrong(function):
    """A wrong answer, for its test's id: the function's name says the mistake."""
    return pytest.param(function, id=function.__name__)


# derivative: f'(x) and f''(x) -------------------------------------------------------------------------------------
def the_x_of_the_linear_term_kept(x):
    return 0.3*x**2 - 1.6*x - 1.5*x


def the_factor_2_of_x_squared_forgotten(x):
    return 0.3*x**2 - 0.8*x - 1.5


def the_slope_of_the_linear_term_dropped(x):  # -1.6x differentiated as if it were a number
    return 0.6*x


@pytest.mark.parametrize('df', [wrong(the_x_of_the_linear_term_kept), wrong(the_factor_2_of_x_squared_forgotten)])
def test_derivative_catches_a_wrong_first_derivative(df):
    assert_catches('derivative', df=df)


def test_derivative_catches_a_wrong_second_derivative():
    assert_catches('derivative', d2f=the_slope_of_the_linear_term_dropped)


# retain_grad: the slide's comma for a dot -------------------------------------------------------------------------
def retained_after_backward(x0):  # Too late: backward() has freed what y and z would have kept
    x = torch.tensor(x0, requires_grad=True)
    y = x ** 3
    z = torch.log(y)
    z.backward()
    y.retain_grad()
    z.retain_grad()
    return x, y, z


def only_y_mended(x0):
    x = torch.tensor(x0, requires_grad=True)
    y = x ** 3
    z = torch.log(y)
    y.retain_grad()
    z,retain_grad()  # noqa: E231, F821 (the slide's comma, left in one line)
    z.backward()
    return x, y, z


@pytest.mark.parametrize('analyze', [wrong(retained_after_backward), wrong(only_y_mended)])
def test_retain_grad_catches(analyze):
    assert_catches('retain_grad', analyze=analyze)


def test_retain_grads_hint_guides_without_the_answer():
    """The hint points at the comma and at what the slide means, and leaves the mended line to the learner."""
    result = run_main('02_autograd/exercises/02_retain_grad.py', '--seed', '0')
    hint = next(line for line in result.out.splitlines() if line.strip().startswith('hint: '))
    assert '`y,retain_grad()`' in hint and 'method' in hint
    assert 'y.retain_grad()' not in hint and 'dot' not in hint


# chain_rule: dy/dx, dz/dy and dz/dx of z = log(x^3) ---------------------------------------------------------------
def the_inner_derivative_forgotten(x):
    return 1 / x**3


def the_outer_derivative_at_x(x):  # dz/dy taken at x instead of at y = x^3: 3x, not 3/x
    return (1 / x) * (3 * x**2)


def n_x_to_the_n(x):  # The power rule without lowering the power
    return 3 * x**3


def log_base_10(y):
    return 1 / (y * math.log(10))


@pytest.mark.parametrize('dz_dx', [wrong(the_inner_derivative_forgotten), wrong(the_outer_derivative_at_x)])
def test_chain_rule_catches_a_wrong_chain(dz_dx):
    assert_catches('chain_rule', dz_dx=dz_dx)


def test_chain_rule_says_what_differs_at_the_slides_x():
    """At the slide's x = 5 (a 0-d tensor, as on the slide) the line has both numbers, and no index."""
    from test_exercises import results_of
    results = results_of(find_exercise('chain_rule'), {'dz_dx': the_outer_derivative_at_x, 'dy_dx': lambda x: 3 * x**2,
                                                        'dz_dy': lambda y: 1 / y}, 0)
    slide = next(result for result in results if result.line == "dz_dx: the slide's x = 5")
    assert slide.detail == "PyTorch's autograd gives 0.6, yours 15; expected 0.6, yours 15"


def test_chain_rule_catches_wrong_parts():
    assert_catches('chain_rule', dy_dx=n_x_to_the_n)
    assert_catches('chain_rule', dz_dy=log_base_10)


# grad_descent: the slide's loop by hand ---------------------------------------------------------------------------
f = lambda x: 0.1*x**3 - 0.8*x**2 - 1.5*x + 5.4  # noqa: E731  (the slide's f)


def the_gradient_never_reset(x_init, learn_rate=0.1, max_iter=100, min_tol=1e-6):  # backward() adds to x.grad
    x = torch.tensor(x_init, dtype=torch.float64, requires_grad=True)
    xs = [x.item()]
    for _ in range(max_iter):
        f(x).backward()
        xp = x.clone().detach()
        with torch.no_grad():
            x -= learn_rate*x.grad
        xs.append(x.item())
        if abs(x - xp) < min_tol:
            break
    return xs


def uphill(x_init, learn_rate=0.1, max_iter=100, min_tol=1e-6):  # + for -: gradient ascent
    x = torch.tensor(x_init, dtype=torch.float64, requires_grad=True)
    xs = [x.item()]
    for _ in range(max_iter):
        if x.grad is not None:
            x.grad.zero_()
        f(x).backward()
        xp = x.clone().detach()
        with torch.no_grad():
            x += learn_rate*x.grad
        xs.append(x.item())
        if abs(x - xp) < min_tol:
            break
    return xs


def stops_before_it_records_the_last_step(x_init, learn_rate=0.1, max_iter=100, min_tol=1e-6):
    x = torch.tensor(x_init, dtype=torch.float64, requires_grad=True)
    xs = [x.item()]
    for _ in range(max_iter):
        if x.grad is not None:
            x.grad.zero_()
        f(x).backward()
        xp = x.clone().detach()
        with torch.no_grad():
            x -= learn_rate*x.grad
        if abs(x - xp) < min_tol:
            break
        xs.append(x.item())
    return xs


def a_new_x_each_step(x_init, learn_rate=0.1, max_iter=100, min_tol=1e-6):  # The slide's "does not work!"
    x = torch.tensor(x_init, dtype=torch.float64, requires_grad=True)
    xs = [x.item()]
    for _ in range(max_iter):
        f(x).backward()
        xp = x.clone().detach()
        with torch.no_grad():
            x = x - learn_rate*x.grad  # A new tensor, which needs no grad: the next backward() fails
        xs.append(x.item())
        if abs(x - xp) < min_tol:
            break
    return xs


@pytest.mark.parametrize('gradient_descent', [wrong(the_gradient_never_reset), wrong(uphill),
                                              wrong(stops_before_it_records_the_last_step), wrong(a_new_x_each_step)])
def test_grad_descent_catches(gradient_descent):
    assert_catches('grad_descent', gradient_descent=gradient_descent)


def test_grad_descent_converges_as_the_slide_says_on_every_check():
    """The checks' inputs stay right of f's local maximum (x = -0.81), where the descent reaches the minimum 6.147 or
    stops at max_iter; none runs off to infinity, at any seed."""
    exercise = load_exercise(find_exercise('grad_descent'))
    for seed in range(20):
        for case in make_cases(exercise, seed):
            xs = exercise.expected_for(case)
            assert all(math.isfinite(x) for x in xs) and len(xs) <= case.args[2] + 1
            if len(xs) <= case.args[2]:  # Converged before max_iter
                assert xs[-1] == pytest.approx(6.147, abs=1e-3)
    slide = exercise.expected_for(make_cases(exercise, 0)[0])
    assert len(slide) - 1 == 58 and slide[1] == pytest.approx(9.75)  # 12 -> 9.75, 58 iterations (57 in float32)
