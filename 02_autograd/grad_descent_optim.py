"""Gradient descent by torch.optim: the same search as grad_descent.py, with torch.optim.SGD doing the update.

Slide "Gradient Descent by torch.optim". The optimizer replaces the hand-written lines of
grad_descent.py: `optimizer.zero_grad()` resets the gradient and `optimizer.step()` updates x.
The function, the defaults and the figure are shared with grad_descent.py in gd_common.py.
"""
# %% Imports
import torch
from gd_common import MIN_TOL, f, make_gd_parser, prepare_figure, report_result, show_step

from common import run, save_figure, set_seed


# %% Gradient descent by torch.optim
def main(argv=None):
    args = make_gd_parser(__doc__, __file__).parse_args(argv)
    set_seed(args.seed)  # For the random colors of the steps
    print(f'Device: {args.device}, learning rate: {args.lr}, initial x: {args.x_init}')

    # Prepare visualization
    fig, ax, xs = prepare_figure(args.x_init)

    x = torch.tensor(args.x_init, requires_grad=True, device=args.device)
    optimizer = torch.optim.SGD([x], lr=args.lr)
    for i in range(args.max_iter):
        # Run the gradient descent with the optimizer
        optimizer.zero_grad()       # Reset gradient tracking
        y = f(x)                    # Calculate the function (forward)
        y.backward()                # Calculate the gradient (backward)
        xp = x.clone().detach()     # Note) xp = x would be the same tensor, changed by the next line
        optimizer.step()            # Update 'x' (x -= lr * x.grad, without tracking)

        # Update visualization for each iteration
        show_step(ax, xs, i, xp, x)

        # Check the terminal condition (or stop when x has run off to infinity)
        if abs(x - xp) < MIN_TOL or not torch.isfinite(x):
            break
    report_result(i, xp, x)
    save_figure(fig, args.out_dir, 'grad_descent_optim')


# %% Run
if __name__ == '__main__':
    run(main)
