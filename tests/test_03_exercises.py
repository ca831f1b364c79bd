"""The exercises of 03_nn_iris catch the wrong answers a learner writes (each a real function, run through the check
at three seeds by `assert_catches`), and the slide's undefined `epochs` fails until mended; tests/test_exercises.py
shows that each check passes its solution and that the unchanged exercise is "not started". Then a learner's three
runs of the losses exercise in a terminal: not started, the loss divided by the batch size twice, and right."""
import matplotlib.pyplot as plt
import pytest
import torch
from conftest import REPO_ROOT, run_main
from test_exercises import assert_catches


def wrong(function):
    """A wrong answer, for its test's id: the function's name says the mistake."""
    return pytest.param(function, id=function.__name__)


# perceptron: y = phi(sum_i w_i x_i + b), and a layer of them --------------------------------------------------------
def the_bias_after_phi(x, w, b):
    return torch.sigmoid((w * x).sum()) + b


def no_phi(x, w, b):
    return (w * x).sum() + b


def weights_not_transposed(X, W, b):  # Fails on every W that is not square, and gives wrong numbers on a square one
    return torch.sigmoid(X @ W + b)


def phi_before_the_bias(X, W, b):
    return torch.sigmoid(X @ W.T) + b


@pytest.mark.parametrize('perceptron', [wrong(the_bias_after_phi), wrong(no_phi)])
def test_perceptron_catches_a_wrong_perceptron(perceptron):
    assert_catches('perceptron', perceptron=perceptron)


@pytest.mark.parametrize('layer', [wrong(weights_not_transposed), wrong(phi_before_the_bias)])
def test_perceptron_catches_a_wrong_layer(layer):
    assert_catches('perceptron', layer=layer)


# activations: phi(x) and d phi(x) / dx ----------------------------------------------------------------------------
def sigmoid_of_the_wrong_sign(x):
    return 1 / (1 + torch.exp(x))


def sigmoid_grad_with_x_for_phi(x):  # phi(x) (1 - x), not phi(x) (1 - phi(x))
    s = 1 / (1 + torch.exp(-x))
    return s * (1 - x)


def tanh_grad_not_squared(x):
    return 1 - torch.tanh(x)


def relu_grad_as_relu(x):  # The function for its slope: x where x > 0, not 1
    return torch.where(x > 0, x, torch.zeros_like(x))


def leaky_relu_with_the_slides_slope_built_in(x, negative_slope=0.01):  # Right for 0.01, not for nn.LeakyReLU(0.1)
    return torch.where(x < 0, 0.01 * x, x)


def leaky_relu_grad_zero_on_the_left(x, negative_slope=0.01):  # ReLU's slope
    return (x >= 0).double()


@pytest.mark.parametrize('functions', [
    pytest.param({'sigmoid': sigmoid_of_the_wrong_sign}, id='sigmoid_of_the_wrong_sign'),
    pytest.param({'sigmoid_grad': sigmoid_grad_with_x_for_phi}, id='sigmoid_grad_with_x_for_phi'),
    pytest.param({'tanh_grad': tanh_grad_not_squared}, id='tanh_grad_not_squared'),
    pytest.param({'relu_grad': relu_grad_as_relu}, id='relu_grad_as_relu'),
    pytest.param({'leaky_relu': leaky_relu_with_the_slides_slope_built_in},
                 id='leaky_relu_with_the_slides_slope_built_in'),
    pytest.param({'leaky_relu_grad': leaky_relu_grad_zero_on_the_left}, id='leaky_relu_grad_zero_on_the_left')])
def test_activations_catches(functions):
    assert_catches('activations', **functions)


# backprop: the slide's 2-layer NN by the chain rule ----------------------------------------------------------------
def backprop_with(x, y_hat, W1, b1, W2, b2, mean_over_every_number=False, phi_prime=True, factor=2):
    """The 2-layer NN's MSE and gradients in matrix form, with one of three mistakes to choose."""
    N = len(x)
    a = torch.sigmoid(x @ W1.T + b1)
    y = a @ W2.T + b2
    count = y.numel() if mean_over_every_number else N  # nn.MSELoss()'s default: the mean over all N x m numbers
    L = ((y - y_hat)**2).sum() / count
    dl_dy = factor * (y - y_hat) / count
    dl_ds = (dl_dy @ W2) * (a * (1 - a) if phi_prime else 1)
    return {'L': L, 'W2': dl_dy.T @ a, 'b2': dl_dy.sum(dim=0), 'W1': dl_ds.T @ x, 'b1': dl_ds.sum(dim=0)}


def the_mean_over_every_number(*args):  # nn.MSELoss()'s mean, not the slide's squared length per data
    return backprop_with(*args, mean_over_every_number=True)


def phi_prime_forgotten(*args):
    return backprop_with(*args, phi_prime=False)


def the_2_of_the_square_forgotten(*args):
    return backprop_with(*args, factor=1)


@pytest.mark.parametrize('backprop', [wrong(the_mean_over_every_number), wrong(phi_prime_forgotten),
                                      wrong(the_2_of_the_square_forgotten)])
def test_backprop_catches(backprop):
    assert_catches('backprop', backprop=backprop)


def test_backprop_in_matrix_form_passes():
    """The same gradients written as matrix products over the batch (not the solution's loop over the data) pass:
    the check compares the numbers, not the way."""
    from test_exercises import results_of

    from common.exercises import find_exercise
    results = results_of(find_exercise('backprop'), {'backprop': backprop_with}, 0)
    assert all(result.status == 'pass' for result in results)


# losses: MSE, binary and categorical cross entropy from logits -----------------------------------------------------
def mse_divided_twice(y, y_hat):  # The slides' Iris loss: a mean, divided by the batch size again
    return ((y_hat - y)**2).mean() / len(y)


def mse_without_the_mean(y, y_hat):
    return ((y_hat - y)**2).sum()


def bce_without_the_class_0_term(z, y_hat):
    y = torch.sigmoid(z)
    return (-y_hat * torch.log(y)).mean()


def bce_of_the_logits_as_probabilities(z, y_hat):  # No sigmoid: log of a negative score is nan
    return (-y_hat * torch.log(z) - (1 - y_hat) * torch.log(1 - z)).mean()


def cross_entropy_divided_twice(z, target):  # The slides' `loss / len(x)` after a mean
    log_y = torch.log_softmax(z, dim=1)
    return -log_y[torch.arange(len(z)), target].mean() / len(z)


def softmax_over_the_data(z, target):  # dim=0: over the batch, not the classes
    log_y = torch.log_softmax(z, dim=0)
    return -log_y[torch.arange(len(z)), target].mean()


@pytest.mark.parametrize('functions', [
    pytest.param({'mse': mse_divided_twice}, id='mse_divided_twice'),
    pytest.param({'mse': mse_without_the_mean}, id='mse_without_the_mean'),
    pytest.param({'binary_cross_entropy': bce_without_the_class_0_term}, id='bce_without_the_class_0_term'),
    pytest.param({'binary_cross_entropy': bce_of_the_logits_as_probabilities},
                 id='bce_of_the_logits_as_probabilities'),
    pytest.param({'cross_entropy': cross_entropy_divided_twice}, id='cross_entropy_divided_twice'),
    pytest.param({'cross_entropy': softmax_over_the_data}, id='softmax_over_the_data')])
def test_losses_catches(functions):
    assert_catches('losses', **functions)


def test_losses_as_a_learner_runs_it(tmp_path):
    """Not started, then the loss divided by the batch size twice (the slide's Iris loss), then right: each run as
    `python <file>` runs it (in this process), with its exit code and the line that says what differs."""
    exercise = (REPO_ROOT / '03_nn_iris/exercises/04_losses.py').read_text(encoding='utf-8')
    solution = (REPO_ROOT / '03_nn_iris/exercises/solutions/04_losses.py').read_text(encoding='utf-8')
    answers = solution[solution.index('# %% Your answer'):solution.index('# %% The check')]
    answers = answers.replace('    ### BEGIN SOLUTION\n', '').replace('    ### END SOLUTION\n', '')
    given = exercise[exercise.index('# %% Your answer'):exercise.index('# %% Check your answer')]
    mine = tmp_path / 'my answers' / '04_losses.py'  # A folder with a space, as on a learner's laptop
    mine.parent.mkdir()
    mine.write_text(exercise, encoding='utf-8')
    first = run_main(mine, '--seed', '2')
    assert first.code == 1 and first.err == '' and first.out.splitlines()[1].startswith('not started')
    twice = answers.replace('return -(y_hat * torch.log(y)).sum() / len(z)',
                            'return -(y_hat * torch.log(y)).sum() / len(z) / len(z)')
    assert twice != answers
    mine.write_text(exercise.replace(given, twice), encoding='utf-8')
    second = run_main(mine, '--seed', '2')
    assert second.code == 1 and second.err == ''
    assert '  ok   1. y = [2.5, 0, 2.1, 7.8]' in second.out and '  FAIL 7. z = [[2, 1, 0.1]' in second.out
    assert 'PyTorch gives 0.31854, yours 0.15927' in second.out  # Half: N = 2 data, divided by N once more
    assert 'then the mean over the N data, once' in second.out
    mine.write_text(exercise.replace(given, answers), encoding='utf-8')
    third = run_main(mine, '--seed', '2')
    assert third.code == 0 and third.out.splitlines()[-1] == 'All 10 checks passed.'


# loss_curve: the slide's undefined `epochs` ------------------------------------------------------------------------
def draw(x, y, xlim):
    fig = plt.figure()
    plt.plot(*x, y) if x else plt.plot(y)
    plt.xlim(xlim)
    return fig


def epochs_from_0(loss_list, epoch_max, elapse=0., dev_name='cpu'):
    return draw([range(epoch_max)], loss_list, (0, epoch_max))


def no_x_given(loss_list, epoch_max, elapse=0., dev_name='cpu'):  # plt.plot(loss_list): x is 0, 1, ..., not epochs
    return draw([], loss_list, (1, epoch_max))


def one_epoch_short(loss_list, epoch_max, elapse=0., dev_name='cpu'):  # range(1, epoch_max): x and y differ in length
    return draw([range(1, epoch_max)], loss_list, (1, epoch_max))


@pytest.mark.parametrize('plot_loss_curve', [wrong(epochs_from_0), wrong(no_x_given), wrong(one_epoch_short)])
def test_loss_curve_catches(plot_loss_curve):
    figures = plt.get_fignums()
    assert_catches('loss_curve', plot_loss_curve=plot_loss_curve)
    assert plt.get_fignums() == figures  # The check closes the figures that the answer made


def test_loss_curve_shows_the_slides_name_error_until_mended():
    result = run_main('03_nn_iris/exercises/05_loss_curve.py', '--seed', '0')
    assert "not started: plot_loss_curve() is still the slide's code as printed" in result.out
    assert '    plt.plot(range(1, epochs + 1), loss_list)\n' in result.out
    assert "NameError: name 'epochs' is not defined" in result.out


def test_backprop_says_which_gradient_differs_in_one_short_line():
    """A dict of tensors shows as one line, each value's first numbers (not torch's repr over several lines), and the
    first gradient that differs, in the backward order."""
    from test_exercises import results_of

    from common.exercises import find_exercise
    result = results_of(find_exercise('backprop'), {'backprop': phi_prime_forgotten}, 0)[0]
    assert result.status == 'fail' and '\n' not in result.detail and 'dtype' not in result.detail
    assert result.detail.startswith('autograd through nn.Linear, nn.Sigmoid, nn.Linear gives {L: ')
    assert ', yours {L: ' in result.detail and '; W1: first difference at [' in result.detail
