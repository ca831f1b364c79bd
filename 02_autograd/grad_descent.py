"""Find a local minimum of f(x) = 0.1x^3 - 0.8x^2 - 1.5x + 5.4 by gradient descent, with the gradient by
autograd and the update by hand.

Slide "Practice) Gradient Descent by Hands". Each iteration prints the slide's log line; the figure shows
f(x), the point of each step and the tangent line it followed (dash-dotted), saved in results/grad_descent/.
The slide's settings (learn_rate, max_iter, x_init) are options too: see --help.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports, the slide's function and settings, and options (`python 02_autograd/grad_descent.py --help`)
import matplotlib.pyplot as plt
import torch

f = lambda x: 0.1*x**3 - 0.8*x**2 - 1.5*x + 5.4  # noqa: E731  (a lambda, as on the slide)
viz_range = torch.FloatTensor([-6, 12])
learn_rate = 0.1                    # Edit a setting and run again: in a notebook, the options keep these values
max_iter = 100
min_tol = 1e-6
x_init = 12.
RANDOM_SEED = 777                   # Ours: for the random color of each step

parser = common.make_parser('grad_descent', __doc__, seed=RANDOM_SEED, out_dir=True)
parser.add_argument('--learn-rate', type=common.positive_float, default=learn_rate, help='learning rate')
parser.add_argument('--max-iter', type=common.positive_int, default=max_iter, help='maximum number of iterations')
parser.add_argument('--x-init', type=common.finite_float, default=x_init, help='initial value of x')
args = parser.parse_args()
if abs(args.x_init) > 100:          # Farther out, a step overflows float32 at once and the figure is empty
    parser.error(f'argument --x-init: must be a number from -100 to 100, not {args.x_init:g}')
learn_rate, max_iter, x_init = args.learn_rate, args.max_iter, args.x_init
torch.manual_seed(args.seed)

# %% Gradient descent by hands, each step drawn on the figure (one cell: a notebook shows a figure at its end)
# Prepare visualization
viz_range[0], viz_range[1] = min(viz_range[0], x_init), max(viz_range[1], x_init)  # Ours: x_init inside
fig = plt.figure()                  # Ours: a new figure for each run
xs = torch.linspace(*viz_range, 100)
plt.plot(xs, f(xs), 'r-', label='f(x)', linewidth=2)
plt.plot(x_init, f(x_init), 'b.', label='Each step', markersize=12)
plt.axis((*viz_range, *f(viz_range)))
x_min, x_max, y_min, y_max = plt.axis()  # Ours: a margin of 5 %, since the frame of the slide cuts (12, 45) in half
dx, dy = (x_max - x_min) / 20, (y_max - y_min) / 20
plt.axis((x_min - dx, x_max + dx, y_min - dy, y_max + dy))
plt.gca().set(title='Gradient Descent by Hands', xlabel='x', ylabel='f(x)')  # Ours
plt.legend()

x = torch.tensor(x_init, requires_grad=True)
for i in range(max_iter):
    # Derive gradient with Autograd
    if x.grad != None:              # noqa: E711  (in Python, usually: x.grad is not None)
        x.grad.zero_()              # Reset gradient tracking (backward() adds to x.grad)
    y = f(x)                        # Calculate the function (forward)
    y.backward()                    # Calculate the gradient (backward)

    # Run the gradient descent
    xp = x.clone().detach()         # Note) xp = x would be the same tensor, changed by the next line
    with torch.no_grad():           # The update is not part of f: autograd must not record it
        x -= learn_rate*x.grad      # Note) x = x - learn_rate*fd(x) is an original code.
        #                                   x = x - learn_rate*x.grad() does not work!

    # Update visualization for each iteration (the slide indents this block and the next one outside the loop)
    # The f'(x) of the slide ends its f-string before Python 3.12: escaped, as on the torch.optim slide
    print(f'Iter: {i}, x = {xp:.3f} to {x:.3f}, f(x) = {f(xp):.3f} to {f(x):.3f} (f\'(x) = {x.grad:.3f})')
    # Iter: 0, x = 12.000 to 9.750, f(x) = 45.000 to 7.411 (f'(x) = 22.500)
    lcolor = torch.rand(3).tolist()
    approx = x.grad*(xs-xp) + f(xp)  # The tangent line at xp
    plt.plot(xs, approx, '-.', linewidth=1, color=lcolor, alpha=0.5)
    xc = x.clone().detach()  # Copy 'x' for plotting
    plt.plot(xc, f(xc), '.', color=lcolor, markersize=12)

    # Check the terminal condition
    if abs(x - xp) < min_tol:
        break
    if not torch.isfinite(x):       # Ours: x ran off to infinity (learn_rate too large, or no minimum ahead)
        break

# Ours: where it stopped
if not torch.isfinite(x):           # --learn-rate 0.6: Diverged after 11 iterations: x ran off to -inf (try ...)
    print(f'Diverged after {i + 1} iterations: x ran off to {x.item()} (try a smaller --learn-rate, another --x-init)')
elif abs(x - xp) < min_tol:         # Converged after 57 iterations: x = 6.147, f(x) = -10.822
    print(f'Converged after {i + 1} iterations: x = {x:.3f}, f(x) = {f(x):.3f}')
else:                               # --max-iter 10: Not converged after 10 iterations: x = 6.417 (try ...)
    print(f'Not converged after {i + 1} iterations: x = {x:.3f} (try a larger --max-iter or --learn-rate)')
plt.show()
common.save_figure(fig, args.out_dir, 'grad_descent')  # Ours: Figure saved: .../grad_descent.png
