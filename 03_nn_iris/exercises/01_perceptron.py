"""Write the slide's perceptron y = phi(sum_i w_i x_i + b), then a fully-connected layer of them, by hand.

Slide "Neural Network": a perceptron weighs its n inputs, adds its bias and passes the sum through an activation
function phi (for nonlinearity):

    y = phi( sum_{i=1}^n w_i x_i + b ),    here phi(s) = 1 / (1 + e^-s), the sigmoid (slide "Activation Function")

Write two functions, by hand (a sum, or tensor products; not nn.Linear or F.linear); torch.sigmoid is your phi:
- `perceptron(x, w, b)`: one perceptron, x and w of n numbers, b one number: its y (a 0-d tensor). x = [1, 2, 3],
  w = [0.5, -0.25, 0.1], b = 0.2 give phi(0.5) = 0.622459.
- `layer(X, W, b)`: a fully-connected layer (slide "Neural Network", multi-layer perceptrons: each of m perceptrons
  sees every input), for a batch: X of N x n (one data per row), W of m x n (row j: the weights of perceptron j, as
  nn.Linear keeps them), b of m; the N x m outputs, Y[d, j] = phi(sum_i W[j, i] X[d, i] + b[j]).

Write your answer where the file says, then run the file (or its last cell): each check compares it with nn.Linear
(its weight and bias set to w and b) followed by nn.Sigmoid.
The solution, after you tried: exercises/solutions/01_perceptron.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: perceptrons
def perceptron(x, w, b):
    """y = phi(sum_i w_i x_i + b) with phi the sigmoid."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


def layer(X, W, b):
    """Y[d, j] = phi(sum_i W[j, i] X[d, i] + b[j]) for each data d (a row of X) and perceptron j (a row of W)."""
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell after each change (in a terminal: python 03_nn_iris/exercises/01_perceptron.py)
common.check_exercise('perceptron', globals())
