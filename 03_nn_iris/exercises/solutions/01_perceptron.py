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
    ### BEGIN SOLUTION
    s = b
    for i in range(len(x)):
        s = s + w[i] * x[i]
    return torch.sigmoid(s)
    ### END SOLUTION


def layer(X, W, b):
    """Y[d, j] = phi(sum_i W[j, i] X[d, i] + b[j]) for each data d (a row of X) and perceptron j (a row of W)."""
    ### BEGIN SOLUTION
    return torch.sigmoid(X @ W.T + b)
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import torch.nn as nn


def by_modules(X, W, b):
    """PyTorch's answer: nn.Linear(n, m) with W and b as its weight and bias, then nn.Sigmoid (float64)."""
    linear = nn.Linear(W.shape[1], W.shape[0]).double()
    with torch.no_grad():
        linear.weight.copy_(W)
        linear.bias.copy_(b)
        return nn.Sigmoid()(linear(X))


def by_modules_one(x, w, b):
    """One perceptron: a layer of one perceptron on one data; its one number, as a 0-d tensor."""
    return by_modules(x.view(1, -1), w.view(1, -1), torch.tensor([b], dtype=torch.float64)).reshape(())


def cases(generator):
    def randn(*shape):
        return torch.randn(shape, generator=generator, dtype=torch.float64)

    hint_one = 'slide "Neural Network": the weighted sum of the inputs, plus b, and phi of the whole sum'
    hint_layer = ('slide "Neural Network": row j of W holds perceptron j\'s weights, so output j of data d sums '
                  'W[j, i] X[d, i] over the inputs i (a product with W transposed), adds b[j], then phi')
    t = lambda values: torch.tensor(values, dtype=torch.float64)  # noqa: E731
    checks = [common.Case('x = [1, 2, 3], w = [0.5, -0.25, 0.1], b = 0.2', (t([1., 2., 3.]), t([0.5, -0.25, 0.1]),
                                                                             0.2), hint=hint_one,
                          function='perceptron')]
    for n in (2, 5):
        checks.append(common.Case(f'random x and w of {n} (float64), random b', (randn(n), randn(n), float(randn())),
                                  hint=hint_one, function='perceptron'))
    # The slides' 2-layer NN: 3 inputs, a hidden layer of 4, 2 outputs; then other sizes, one of them square
    for N, n, m, what in [(5, 3, 4, "the slide's hidden layer (3 inputs, 4 perceptrons)"),
                          (5, 4, 2, "the slide's output layer (4 inputs, 2 perceptrons)"),
                          (1, 3, 3, 'a square W: 3 inputs, 3 perceptrons'), (7, 6, 1, '6 inputs, 1 perceptron')]:
        checks.append(common.Case(f'{what}: random X of {N} x {n}, W of {m} x {n}, b of {m} (float64)',
                                  (randn(N, n), randn(m, n), randn(m)), hint=hint_layer, function='layer'))
    return checks


EXERCISE = common.Exercise(answer=('perceptron', 'layer'), cases=cases,
                           expected={'perceptron': by_modules_one, 'layer': by_modules},
                           reference='nn.Linear + nn.Sigmoid',
                           by_hand=('torch.nn.functional.linear', 'torch.nn.Linear'))

# %% Check your answer: run this cell after each change (in a terminal: python 03_nn_iris/exercises/01_perceptron.py)
common.check_exercise('perceptron', globals())
