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
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer after each change (in a terminal: python 04_cnn_mnist/exercises/04_dropout.py)
common.check_exercise('dropout', globals())
