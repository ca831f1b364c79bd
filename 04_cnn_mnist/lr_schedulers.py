"""Visualizing learning rate schedulers (slides "Visualizing Learning Rate Schedulers (1/2, 2/2)").

Five of PyTorch's schedulers drive the learning rate of a dummy parameter; one plot shows them all.
"""
# %% Imports
import matplotlib.pyplot as plt
import torch
import torch.optim.lr_scheduler as lr_scheduler

from common import make_parser, run, save_figure
from common.cli import positive_float, positive_int

# %% Constants
BASE_LR = 1.
EPOCH_MAX = 100


# %% Functions
def make_schedulers(base_lr, epoch_max):
    """The slide's list of schedulers: a name, a class and its parameters."""
    return [
        {'name': 'StepLR', 'class': lr_scheduler.StepLR,
         'param': {'step_size': 10, 'gamma': 0.5}},
        {'name': 'LambdaLR', 'class': lr_scheduler.LambdaLR,
         'param': {'lr_lambda': lambda epoch: 0.5**(epoch / 10)}},
        {'name': 'MultiStepLR', 'class': lr_scheduler.MultiStepLR,
         'param': {'milestones': [40, 60, 70, 75, 80, 85, 90, 95], 'gamma': 0.5}},
        {'name': 'OneCycleLR', 'class': lr_scheduler.OneCycleLR,
         'param': {'max_lr': base_lr, 'total_steps': epoch_max}},
        {'name': 'CosAnnealing', 'class': lr_scheduler.CosineAnnealingWarmRestarts,
         'param': {'T_0': epoch_max // 2}},
        # Try more learning rate schedulers
    ]


def lr_history(sch, base_lr, epoch_max):
    """Return the learning rate of each epoch under the scheduler `sch`."""
    x = torch.tensor(1., requires_grad=True)                # A dummy parameter
    optimizer = torch.optim.SGD([x], lr=base_lr)            # Instantiate an optimizer
    scheduler = sch['class'](optimizer, **sch['param'])     # Instantiate a LR scheduler
    lr_values = []
    for _ in range(epoch_max):
        optimizer.step()
        scheduler.step()
        lr_values.append(optimizer.param_groups[0]['lr'])
    return lr_values


# %% Main
def main(argv=None):
    parser = make_parser(__doc__, __file__)
    parser.add_argument('--lr', type=positive_float, default=BASE_LR, help='base learning rate')
    parser.add_argument('--epochs', type=positive_int, default=EPOCH_MAX, help='number of epochs')
    args = parser.parse_args(argv)
    # OneCycleLR steps `total_steps` times at most, and its scheduler.step() after the last epoch is one more
    epoch_max = max(args.epochs, 2)

    fig, ax = plt.subplots()
    for sch in make_schedulers(args.lr, epoch_max + 1):
        lr_values = lr_history(sch, args.lr, epoch_max)
        ax.plot(range(epoch_max), lr_values, label=sch['name'])
        print(f"{sch['name']:>12}: lr at the last epoch = {lr_values[-1]:.6f}")  # e.g. StepLR: 0.000977
    ax.set_xlabel('Epochs')
    ax.set_ylabel('Learning Rate')
    ax.legend()
    save_figure(fig, args.out_dir, 'lr_schedulers')


if __name__ == '__main__':
    run(main)
