"""Write dropout by hand, in training and in evaluation: nn.Dropout's inverted dropout.

Slide "Dropout": dropout randomly drops a ratio p of the hidden units during training. PyTorch's nn.Dropout(p)
(MyCNN's drop2 and drop3, p = 0.2) is "inverted" dropout: in training it zeroes each unit with probability p and
multiplies the units it keeps by 1 / (1 - p), so that each unit's mean over many draws is the unit itself; in
evaluation (model.eval()) it returns its input unchanged:

    training:    y_i = x_i * m_i / (1 - p),    m_i = 0 (dropped) or 1 (kept)
    evaluation:  y_i = x_i

Write `dropout(x, mask, p, training)`. The random draw is given, so that the check compares with nn.Dropout's own
draw: `mask` has the shape of x, 1. where nn.Dropout kept a unit and 0. where it dropped one. With p = 0.5,
x = [0.2, 0.5, 1.0, 2.0] and mask = [1, 0, 0, 1] give [0.4, 0, 0, 4] in training and x in evaluation.

Write your answer where the file says, then run the file (or its last cell): each check compares it with nn.Dropout.
The solution, after you tried: exercises/solutions/04_dropout.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: dropout in training and in evaluation
def dropout(x, mask, p, training=True):
    """Training: x * mask / (1 - p) (mask: 1. for a kept unit, 0. for a dropped one); evaluation: x unchanged."""
    ### BEGIN SOLUTION
    if not training:
        return x  # Every unit, unscaled: the scaling in training already keeps the mean
    return x * mask / (1 - p)
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import torch.nn as nn


def nn_dropout(x, mask, p, training, seed):
    """PyTorch's answer: nn.Dropout(p) on x in training or evaluation mode, drawing its units from `seed` (the draw
    that gave `mask`)."""
    layer = nn.Dropout(p).train(training)
    with torch.random.fork_rng(devices=[]):  # The learner's own random numbers stay as they were
        torch.manual_seed(seed)
        return layer(x)


def draw(x, p, seed):
    """The units that nn.Dropout(p) keeps from x in training with `seed`: 1. where kept, 0. where dropped."""
    return (nn_dropout(x, None, p, True, seed) != 0).to(x.dtype)  # x has no zeros: a zero is a dropped unit


def run(namespace, case):
    """The learner's dropout on the case's x, mask, p and training (the seed of nn.Dropout's draw is not theirs)."""
    x, mask, p, training, _ = case.args
    return namespace['dropout'](x, mask, p, training)


def cases(generator):
    def seed():
        return int(torch.randint(0, 2 ** 31, (1,), generator=generator))

    scale = 'slide "Dropout": in training nn.Dropout keeps a unit times 1 / (1 - p), and drops it (0) where mask is 0'
    unchanged = 'slide "Dropout": units are dropped during training only; in evaluation nn.Dropout returns x as it is'
    example, checks = torch.tensor([0.2, 0.5, 1.0, 2.0], dtype=torch.float64), []
    for training in (True, False):
        s = seed()
        checks.append(common.Case(f'x = [0.2, 0.5, 1.0, 2.0], p = 0.5, {"training" if training else "evaluation"}',
                                  (example, draw(example, 0.5, s), 0.5, training, s),
                                  hint=scale if training else unchanged))
    for shape, p, training in [((10,), 0.2, True), ((3, 5), 0.5, True), ((2, 4, 3, 3), 0.7, True), ((6,), 0.0, True),
                               ((4, 6), 0.2, False), ((2, 3, 2, 2), 0.5, False)]:
        x = torch.rand(shape, generator=generator, dtype=torch.float64) + 0.5  # No zeros of its own
        s = seed()
        label = f'random x of {" x ".join(map(str, shape))} (float64), p = {p}, '
        checks.append(common.Case(label + ('training' if training else 'evaluation'), (x, draw(x, p, s), p, training,
                                                                                        s),
                                  hint=scale if training else unchanged))
    return checks


EXERCISE = common.Exercise(answer='dropout', cases=cases, expected=nn_dropout, run=run,
                           reference="PyTorch's nn.Dropout", by_hand=('torch.nn.functional.dropout', 'torch.dropout'),
                           atol=1e-12, rtol=1e-12)

# %% Check your answer after each change (in a terminal: python 04_cnn_mnist/exercises/04_dropout.py)
common.check_exercise('dropout', globals())
