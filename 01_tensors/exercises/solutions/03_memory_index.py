"""Find where an element of a tensor lies in memory, and which element of y a permuted view shows at an index.

Slides "Practice) Reshaping a Tensor (1/2)" and "(2/2)": the tables under the code. The slide's y of shape (2, 2, 2)
keeps its 8 numbers in memory one after another, 29, 3, 18, 10, 27, 10, 12, 5, at the indices [0,0,0], [0,0,1],
[0,1,0], ..., [1,1,1]: the last index counts fastest (y.view(-1) shows that order). So 10 = y[1,0,1] is the number at
place 5 of y.view(-1). Write two functions, by hand (arithmetic on the indices; no tensor):
- `offset(index, shape)`: the place of y[index] in y.view(-1), for a contiguous y of `shape` (any number of dims);
  offset((1, 0, 1), (2, 2, 2)) is 5.
- `permuted_index(index, dims)`: t = y.permute(*dims) makes no copy; it shows y's numbers with the indices moved:
  the d-th index of t is the index dims[d] of y. Return the index of y (a tuple) whose number t[index] shows. The
  slide's t_201 = y.permute(2, 0, 1) shows 27 = y[1,0,0] at t_201[0,1,0]; y.transpose(0, 1) is y.permute(1, 0, 2),
  which the table "t(0,1)" draws.

Write your answer where the file says, then run the file (or its last cell): each check asks PyTorch, with a tensor
whose numbers are their own places (torch.arange(n).view(shape)).
The solution, after you tried: exercises/solutions/03_memory_index.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: indices and memory
def offset(index, shape):
    """The place of y[index] in y.view(-1), for a contiguous y of `shape`: the last index counts fastest."""
    ### BEGIN SOLUTION
    place = 0
    for i, size in zip(index, shape):  # Row by row: each index counts blocks of the sizes after it
        place = place * size + i
    return place
    ### END SOLUTION


def permuted_index(index, dims):
    """The index of y whose number t[index] shows, t = y.permute(*dims): index d of t is index dims[d] of y."""
    ### BEGIN SOLUTION
    source = [0] * len(dims)
    for d, dim in enumerate(dims):
        source[dim] = index[d]
    return tuple(source)
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
def pytorch_offset(index, shape):
    """PyTorch's answer: the number at y[index] of y = torch.arange(n).view(shape), whose numbers are their places."""
    shape = tuple(shape)
    return int(torch.arange(torch.Size(shape).numel()).view(shape)[tuple(index)])


def pytorch_permuted_index(index, dims):
    """PyTorch's answer: t = y.permute(*dims) for a y big enough for `index`, whose numbers are their places; the
    number t[index] unravelled into y's index."""
    shape = [0] * len(dims)
    for d, dim in enumerate(dims):
        shape[dim] = index[d] + 2
    y = torch.arange(torch.Size(shape).numel()).view(shape)
    place = y.permute(*dims)[tuple(index)]
    return tuple(int(i) for i in torch.unravel_index(place, tuple(shape)))


def cases(generator):
    def randint(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=generator))

    hint_offset = ('slide "Reshaping a Tensor (1/2)", the table: the last index counts fastest; one step of the '
                   'index before it skips a whole block of the sizes after it')
    hint_permute = ('slide "Reshaping a Tensor (2/2)": t = y.permute(*dims) reads index d of t as index dims[d] of y '
                    '(try y.permute(2, 0, 1), not only transpose: its dims are not their own reverse)')
    slide = [common.Case("the slide's y[1,0,1] = 10, shape (2, 2, 2)", ((1, 0, 1), (2, 2, 2)), hint=hint_offset,
                         function='offset'),
             common.Case("the slide's y[0,1,1] = 10, shape (2, 2, 2)", ((0, 1, 1), (2, 2, 2)), hint=hint_offset,
                         function='offset')]
    for n_dims in (2, 3, 4):
        shape = tuple(randint(2, 5) for _ in range(n_dims))
        index = tuple(randint(0, size - 1) for size in shape)
        slide.append(common.Case(f'random shape {shape}, index {index}', (index, shape), hint=hint_offset,
                                 function='offset'))
    slide += [common.Case("the slide's t_021 = y.transpose(1, 2) at [0,1,0]",
                          ((0, 1, 0), (0, 2, 1)), hint=hint_permute, function='permuted_index'),
              common.Case("the slide's t_102 = y.transpose(0, 1) at [1,0,1] (table 't(0,1)')", ((1, 0, 1), (1, 0, 2)),
                          hint=hint_permute, function='permuted_index'),
              common.Case("the slide's t_201 = y.permute(2, 0, 1) at [1,1,0]",
                          ((1, 1, 0), (2, 0, 1)), hint=hint_permute, function='permuted_index')]
    for n_dims in (3, 4):
        dims = tuple(int(d) for d in torch.randperm(n_dims, generator=generator))
        while dims == tuple(range(n_dims)) or all(dims[dims[d]] == d for d in range(n_dims)):  # Not its own inverse
            dims = tuple(int(d) for d in torch.randperm(n_dims, generator=generator))
        index = tuple(randint(0, 3) for _ in range(n_dims))
        slide.append(common.Case(f'random y.permute{dims} at {list(index)}', (index, dims), hint=hint_permute,
                                 function='permuted_index'))
    return slide


EXERCISE = common.Exercise(answer=('offset', 'permuted_index'), cases=cases,
                           expected={'offset': pytorch_offset, 'permuted_index': pytorch_permuted_index},
                           reference='PyTorch')

# %% Check your answer: run this cell after each change (in a terminal: python 01_tensors/exercises/03_memory_index.py)
common.check_exercise('memory_index', globals())
