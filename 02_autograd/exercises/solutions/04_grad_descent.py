"""Write the slide's gradient descent by hand: the gradient by autograd, the update x <- x - learn_rate * f'(x) yours.

Slide "Practice) Gradient Descent by Hands": from x = x_init, each iteration takes the gradient f'(x) by autograd
(y = f(x), y.backward(), then x.grad; backward() adds to x.grad, so reset it first), steps x <- x - learn_rate * f'(x)
in place, by your own line, which autograd must not record, and stops as soon as x moved less than min_tol, or after
max_iter iterations. Write the body of the loop in `gradient_descent(x_init, learn_rate, max_iter, min_tol)` (try it
without looking at the slide's code): it returns the list of x values, x_init first and then x after each step
(floats, x.item()). With the slide's settings (x_init = 12, learn_rate = 0.1, max_iter = 100, min_tol = 1e-6) x goes
12, 9.75, 8.608, ... and stops after 58 iterations at 6.147 (in float64; the slide's float32 x stops after 57).

Write your answer where the file says, then run the file (or its last cell): each check runs the same loop with
torch.optim.SGD doing the update (slide "Gradient Descent by torch.optim") and compares the lists.
The solution, after you tried: exercises/solutions/04_grad_descent.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch

# %% The slide's function
f = lambda x: 0.1*x**3 - 0.8*x**2 - 1.5*x + 5.4  # noqa: E731  (a lambda, as on the slide)


# %% Your answer: the loop of the slide
def gradient_descent(x_init, learn_rate=0.1, max_iter=100, min_tol=1e-6):
    """The slide's gradient descent on f: the list of x values, x_init first, then x after each update."""
    x = torch.tensor(x_init, dtype=torch.float64, requires_grad=True)  # float64 (the slide: float32)
    xs = [x.item()]
    for i in range(max_iter):  # noqa: B007 (i as on the slide)
        ### BEGIN SOLUTION
        if x.grad is not None:
            x.grad.zero_()          # Reset gradient tracking
        y = f(x)                    # Calculate the function (forward)
        y.backward()                # Calculate the gradient (backward)
        xp = x.clone().detach()
        with torch.no_grad():
            x -= learn_rate*x.grad
        xs.append(x.item())
        if abs(x - xp) < min_tol:   # Check the terminal condition
            break
        ### END SOLUTION
    return xs


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
def by_sgd(x_init, learn_rate=0.1, max_iter=100, min_tol=1e-6):
    """PyTorch's answer: the loop of slide "Gradient Descent by torch.optim", in float64."""
    x = torch.tensor(x_init, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=learn_rate)
    xs = [x.item()]
    for _ in range(max_iter):
        optimizer.zero_grad()
        f(x).backward()
        xp = x.clone().detach()
        optimizer.step()
        xs.append(x.item())
        if abs(x - xp) < min_tol:
            break
    return xs


def cases(generator):
    hint = ('slide "Gradient Descent by Hands": go through the slide\'s loop a step at a time: x.grad reset, forward, '
            'backward, the update that autograd does not record, x appended after it, the stop once x moved less than '
            'min_tol')
    checks = [common.Case("the slide's x_init = 12, learn_rate = 0.1, max_iter = 100, min_tol = 1e-6",
                          (12., 0.1, 100, 1e-6), hint=hint),
              common.Case("the slide's settings with max_iter = 10 (it stops before it converges)",
                          (12., 0.1, 10, 1e-6), hint=hint)]
    for _ in range(2):
        x_init = round(float(torch.empty(1).uniform_(0, 12, generator=generator)), 2)  # Right of f's local maximum
        learn_rate = round(float(torch.empty(1).uniform_(0.1, 0.4, generator=generator)), 3)
        checks.append(common.Case(f'random x_init = {x_init:g}, learn_rate = {learn_rate:g}, max_iter = 30, '
                                  f'min_tol = 1e-6', (x_init, learn_rate, 30, 1e-6), hint=hint))
    return checks


EXERCISE = common.Exercise(answer='gradient_descent', cases=cases, expected=by_sgd,
                           reference="the same loop with torch.optim.SGD", by_hand=('torch.optim.SGD',),
                           atol=1e-9, rtol=1e-9)

# %% Check your answer: run this cell after each change (in a terminal: python 02_autograd/exercises/04_grad_descent.py)
common.check_exercise('grad_descent', globals())
