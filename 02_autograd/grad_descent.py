"""Find a local minimum of f(x) = 0.1x^3 - 0.8x^2 - 1.5x + 5.4 by gradient descent, with the gradient by
autograd and the update by hand.

Slide "Practice) Gradient Descent by Hands". Each iteration prints the slide's log line; the figure shows
f(x), the point of each step and the tangent line it followed (dash-dotted), saved in results/grad_descent/.
f, the options, the figure's frame and the last line are shared with grad_descent_optim.py (gd_common.py).
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)")  # noqa: E501

# %% Imports and options (`python 02_autograd/grad_descent.py --help`; a notebook runs with the defaults)
import torch

common.add_to_path('02_autograd')   # Modules beside this script, from any folder (VS Code, Colab)
from gd_common import f, make_parser, prepare_figure, report_result  # noqa: E402

VIZ_RANGE = (-6., 12.)              # The slide's settings: edit one and run again
LEARN_RATE = 0.1
MAX_ITER = 100
MIN_TOL = 1e-6
X_INIT = 12.
RANDOM_SEED = 777                   # For the random color of each step
args = make_parser('grad_descent', __doc__, lr=LEARN_RATE, max_iter=MAX_ITER, x_init=X_INIT,
                   seed=RANDOM_SEED).parse_args()
torch.manual_seed(args.seed)

# %% Gradient descent by hands, each step drawn on the figure (one cell: a notebook shows a figure at its end)
# Prepare visualization (f(x), the start point, the title and the axes: gd_common.py)
fig, ax, xs = prepare_figure(VIZ_RANGE, args.x_init, 'Gradient Descent by Hands')

x = torch.tensor(args.x_init, requires_grad=True)
for i in range(args.max_iter):
    # Derive gradient with Autograd
    if x.grad is not None:          # (the slide's `!= None` works too; `is not None` is Python's test for None)
        x.grad.zero_()              # Reset gradient tracking (backward() adds to x.grad)
    y = f(x)                        # Calculate the function (forward)
    y.backward()                    # Calculate the gradient (backward)

    # Run the gradient descent
    xp = x.clone().detach()         # Note) xp = x would be the same tensor, changed by the next line
    with torch.no_grad():           # The update is not part of f: autograd must not record it
        x -= args.lr*x.grad         # Note) x = x - lr*x.grad would make a new x, not a leaf, without .grad

    # Update visualization for each iteration (the slide indents this block outside the loop by mistake)
    # The slide's f'(x) inside f'...' ends the string (before Python 3.12): escaped as on the torch.optim slide
    print(f'Iter: {i}, x = {xp:.3f} to {x:.3f}, f(x) = {f(xp):.3f} to {f(x):.3f} (f\'(x) = {x.grad:.3f})')
    # Iter: 0, x = 12.000 to 9.750, f(x) = 45.000 to 7.411 (f'(x) = 22.500)
    lcolor = torch.rand(3).tolist()
    approx = x.grad*(xs-xp) + f(xp)  # The tangent line at xp
    ax.plot(xs, approx, '-.', linewidth=1, color=lcolor, alpha=0.5)
    xc = x.clone().detach()         # Copy 'x' for plotting
    ax.plot(xc, f(xc), '.', color=lcolor, markersize=12)

    # Check the terminal condition (or stop when x has run off to infinity)
    if abs(x - xp) < MIN_TOL or not torch.isfinite(x):
        break
report_result(i, xp, x, MIN_TOL)    # Converged after 57 iterations: x = 6.147, f(x) = -10.822
common.save_figure(fig, args.out_dir, 'grad_descent')  # The slide's plt.show(): saved, and shown where possible
