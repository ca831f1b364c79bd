"""Answer the slide's question by the chain rule: dz/dx of z = log(x^3), by hand, as a product of two derivatives.

Slide "Practice) Automatic Differentiation - More Analysis": given y(x) = x^3 and z(y) = log y (the natural log),
Q) dz/dx at x = 5? Autograd answers 0.6 (x.grad), on the way dz/dy = 0.008 (y.grad). By the chain rule,
dz/dx = dz/dy * dy/dx: the derivative of the outer function, taken at y = y(x), times the derivative of the inner one.
Write three functions, each element by element for a tensor of any shape (+, -, *, /, **; no autograd):
- `dy_dx(x)`: the derivative of y = x^3; 75 at x = 5;
- `dz_dy(y)`: the derivative of z = log y, at y; 0.008 at y = 125;
- `dz_dx(x)`: dz/dx by the chain rule from the two above; 0.6 at x = 5.

Write your answer where the file says, then run the file (or its last cell): each check compares it with autograd.
The solution, after you tried: exercises/solutions/03_chain_rule.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% Your answer: the chain rule
def dy_dx(x):
    """The derivative of y(x) = x^3."""
    ### BEGIN SOLUTION
    return 3 * x**2
    ### END SOLUTION


def dz_dy(y):
    """The derivative of z(y) = log y."""
    ### BEGIN SOLUTION
    return 1 / y
    ### END SOLUTION


def dz_dx(x):
    """dz/dx = dz/dy * dy/dx, the outer derivative taken at y = x^3."""
    ### BEGIN SOLUTION
    return dz_dy(x**3) * dy_dx(x)  # = 3 x^2 / x^3 = 3 / x
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
def autograd_of(function):
    """PyTorch's answer for `function`: autograd's derivative of it, element by element (its sum's gradient)."""
    def derivative(value):
        value = value.clone().requires_grad_(True)
        (gradient,) = torch.autograd.grad(function(value).sum(), value)
        return gradient
    return derivative


def cases(generator):
    hints = {'dy_dx': 'slide "Automatic Differentiation - More Analysis": the power rule, d/dx x^n = n x^(n-1)',
             'dz_dy': 'slide "Automatic Differentiation - More Analysis": the derivative of the natural log, '
                      'd/dy log y',
             'dz_dx': 'slide "Automatic Differentiation - More Analysis": the chain rule multiplies the outer '
                      'derivative, taken at the inner function\'s value y = x^3 (not at x), by the inner one'}
    slide = {'dy_dx': ("the slide's x = 5", 5.), 'dz_dy': ("the slide's y = x^3 = 125", 125.),
             'dz_dx': ("the slide's x = 5", 5.)}
    checks = []
    for function, shape in [('dy_dx', (4,)), ('dz_dy', (2, 3)), ('dz_dx', (3,)), ('dz_dx', (2, 2))]:
        if function in slide:
            label, value = slide.pop(function)
            checks.append(common.Case(f'{function}: {label}', (torch.tensor(value, dtype=torch.float64),),
                                      hint=hints[function], function=function))
        low, high = (1., 150.) if function == 'dz_dy' else (0.5, 10.)  # Positive: log y needs y > 0
        value = torch.empty(shape, dtype=torch.float64).uniform_(low, high, generator=generator)
        checks.append(common.Case(f"{function}: random {'y' if function == 'dz_dy' else 'x'} of "
                                  f"{' x '.join(map(str, shape))} from {low:g} to {high:g} (float64)", (value,),
                                  hint=hints[function], function=function))
    return checks


EXERCISE = common.Exercise(answer=('dy_dx', 'dz_dy', 'dz_dx'), cases=cases, reference="PyTorch's autograd",
                           expected={'dy_dx': autograd_of(lambda x: x**3), 'dz_dy': autograd_of(torch.log),
                                     'dz_dx': autograd_of(lambda x: torch.log(x**3))},
                           by_hand=('torch.autograd.grad', 'torch.Tensor.backward'))

# %% Check your answer: run this cell after each change (in a terminal: python 02_autograd/exercises/03_chain_rule.py)
common.check_exercise('chain_rule', globals())
