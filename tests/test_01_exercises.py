"""The exercises of 01_tensors catch the wrong answers a learner writes (each a real function, run through the check
at three seeds by `assert_catches`); tests/test_exercises.py shows that each check passes its solution and that the
unchanged exercise is "not started"."""
import pytest
import torch
from test_exercises import assert_catches, results_of

from common.exercises import find_exercise


def wrong(function):
    """A wrong answer, for its test's id: the function's name says the mistake."""
    return pytest.param(function, id=function.__name__)


# tensor_shape: ndim, nelement and shape of nested lists -----------------------------------------------------------
def shape_of(data):
    shape, level = [], data
    while isinstance(level, list):
        shape.append(len(level))
        level = level[0] if level else None
    return tuple(shape)


def nelement_as_the_sum_of_the_shape(data):
    shape = shape_of(data)
    return len(shape), sum(shape), shape


def only_two_levels(data):
    return 2, len(data) * len(data[0]), (len(data), len(data[0]))


def ndim_as_the_number_of_rows(data):
    shape = shape_of(data)
    return len(data) if isinstance(data, list) else 0, torch.Size(shape).numel(), shape


@pytest.mark.parametrize('tensor_info', [wrong(nelement_as_the_sum_of_the_shape), wrong(only_two_levels),
                                         wrong(ndim_as_the_number_of_rows)])
def test_tensor_shape_catches(tensor_info):
    assert_catches('tensor_shape', tensor_info=tensor_info)


# linspace ---------------------------------------------------------------------------------------------------------
def divided_by_steps(start, end, steps):  # NumPy's endpoint=False: end is never reached
    return start + torch.arange(steps, dtype=torch.float64) * (end - start) / steps


def arange_without_the_end(start, end, steps):
    return torch.arange(start, end, (end - start) / (steps - 1), dtype=torch.float64)


def in_float32(start, end, steps):  # The right formula, in torch's default dtype
    return start + torch.arange(steps) * ((end - start) / max(steps - 1, 1))


@pytest.mark.parametrize('linspace', [wrong(divided_by_steps), wrong(arange_without_the_end), wrong(in_float32)])
def test_linspace_catches(linspace):
    assert_catches('linspace', linspace=linspace)


def test_linspace_says_when_the_dtype_is_float32():
    results = results_of(find_exercise('linspace'), {'linspace': in_float32}, 0)
    assert 'yours is a torch.float32 tensor: make it float64' in results[0].detail


# memory_index: offset and permuted_index ----------------------------------------------------------------------------
def first_index_fastest(index, shape):  # Column-major (Fortran's order), not PyTorch's
    place, block = 0, 1
    for i, size in zip(index, shape):
        place += i * block
        block *= size
    return place


def the_next_size_only(index, shape):  # Right for 2 dims, not beyond: a step skips all the sizes after it
    return sum(index[d] * shape[d + 1] for d in range(len(shape) - 1)) + index[-1]


def the_inverse_permutation(index, dims):  # The same as the right one for a transpose, not for permute(2, 0, 1)
    return tuple(index[dim] for dim in dims)


@pytest.mark.parametrize('offset', [wrong(first_index_fastest), wrong(the_next_size_only)])
def test_memory_index_catches_a_wrong_offset(offset):
    assert_catches('memory_index', offset=offset)


def test_memory_index_catches_the_inverse_permutation():
    assert_catches('memory_index', permuted_index=the_inverse_permutation)


# fit_line: solve_2x2 and fit_line ---------------------------------------------------------------------------------
def inverse_without_the_signs(A, b):
    (p, q), (r, s) = A
    return torch.stack([torch.stack([s, q]), torch.stack([r, p])]) / (p * s - q * r) @ b


def inverse_without_the_determinant(A, b):
    (p, q), (r, s) = A
    return torch.stack([torch.stack([s, -q]), torch.stack([-r, p])]) @ b


def columns_swapped(point_1, point_2):  # A = [[1, x1], [1, x2]]: it gives [[c], [a]]
    A = torch.tensor([[1., point_1[0]], [1., point_2[0]]], dtype=torch.float64)
    return torch.linalg.solve(A, torch.tensor([[point_1[1]], [point_2[1]]], dtype=torch.float64))


def float32_as_on_the_slide(point_1, point_2):  # The slide's torch.tensor([[1., 1.], [4., 1.]]) is float32
    A = torch.tensor([[point_1[0], 1.], [point_2[0], 1.]])
    return torch.linalg.solve(A, torch.tensor([[point_1[1]], [point_2[1]]]))


@pytest.mark.parametrize('solve_2x2', [wrong(inverse_without_the_signs), wrong(inverse_without_the_determinant)])
def test_fit_line_catches_a_wrong_inverse(solve_2x2):
    assert_catches('fit_line', solve_2x2=solve_2x2)


@pytest.mark.parametrize('fit_line', [wrong(columns_swapped), wrong(float32_as_on_the_slide)])
def test_fit_line_catches_a_wrong_system(fit_line):
    assert_catches('fit_line', fit_line=fit_line)
