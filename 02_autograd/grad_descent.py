"""Gradient descent by hand: find a local minimum of f(x) = 0.1x^3 - 0.8x^2 - 1.5x + 5.4 using autograd.

Slide "Gradient Descent by Hands". Each iteration prints the slide's log line; the figure shows
f(x), each step's point and the tangent line it followed. The function, the defaults and the
figure are shared with grad_descent_optim.py in gd_common.py.
"""
# %% Imports
import torch
from gd_common import MIN_TOL, f, make_gd_parser, prepare_figure, report_result, show_step

from common import run, save_figure, set_seed


# %% Gradient descent by hand
def main(argv=None):
    args = make_gd_parser(__doc__, __file__).parse_args(argv)
    set_seed(args.seed)  # For the random colors of the steps
    print(f'Device: {args.device}, learning rate: {args.lr}, initial x: {args.x_init}')

    # Prepare visualization
    fig, ax, xs = prepare_figure(args.x_init)

    x = torch.tensor(args.x_init, requires_grad=True, device=args.device)
    for i in range(args.max_iter):
        # Derive gradient with Autograd
        if x.grad is not None:
            x.grad.zero_()          # Reset gradient tracking (backward() adds to x.grad)
        y = f(x)                    # Calculate the function (forward)
        y.backward()                # Calculate the gradient (backward)

        # Run the gradient descent
        xp = x.clone().detach()     # Note) xp = x would be the same tensor, changed by the next line
        with torch.no_grad():       # The update itself is not part of f, so autograd must not track it
            x -= args.lr * x.grad   # Note) x = x - lr*x.grad would make a new, non-leaf x without .grad

        # Update visualization for each iteration (the slide's block is indented outside the loop by mistake)
        show_step(ax, xs, i, xp, x)

        # Check the terminal condition (or stop when x has run off to infinity)
        if abs(x - xp) < MIN_TOL or not torch.isfinite(x):
            break
    report_result(i, xp, x)
    save_figure(fig, args.out_dir, 'grad_descent')


# %% Run
if __name__ == '__main__':
    run(main)
