"""Visualizing learning rate schedulers: five of PyTorch's schedulers drive the learning rate of a dummy parameter.

Slides "Practice) Visualizing Learning Rate Schedulers (1/2)" and "(2/2)": one plot shows the learning
rate of every epoch under each scheduler. In a notebook, `schedulers` and the last `lr_values` stay.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch
import torch.optim.lr_scheduler as lr_scheduler
import matplotlib.pyplot as plt

# %% The slide's values (the options --lr and --epochs start from them)
base_lr = 1.
epoch_max = 100

# %% The slide's schedulers, then the learning rate of every epoch under each
if __name__ == '__main__':
    args = common.make_parser('lr_schedulers', __doc__, out_dir=True, epochs=epoch_max, lr=base_lr).parse_args()
    base_lr, epoch_max = args.lr, args.epochs
    schedulers = [
        {'name': 'StepLR', 'class': lr_scheduler.StepLR,
         'param': {'step_size': 10, 'gamma': 0.5}},
        {'name': 'LambdaLR', 'class': lr_scheduler.LambdaLR,
         'param': {'lr_lambda': lambda epoch: 0.5**((epoch / 10))}},
        {'name': 'MultiStepLR', 'class': lr_scheduler.MultiStepLR,
         'param': {'milestones': [40, 60, 70, 75, 80, 85, 90, 95], 'gamma': 0.5}},
        {'name': 'OneCycleLR', 'class': lr_scheduler.OneCycleLR,
         'param': {'max_lr': base_lr, 'total_steps': epoch_max + 1}},  # The slide: epoch_max, one step short
        {'name': 'CosAnnealing', 'class': lr_scheduler.CosineAnnealingWarmRestarts,
         'param': {'T_0': 50}},
        # Try more learning rate schedulers
    ]

    for sch in schedulers:
        x = torch.tensor(1., requires_grad=True) # A dummy parameter
        optimizer = torch.optim.SGD([x], lr=base_lr) # Instantiate an optimizer
        scheduler = sch['class'](optimizer, **sch['param']) # Instantiate a LR scheduler
        lr_values = []
        for i in range(epoch_max):
            optimizer.step()
            scheduler.step()
            lr_values.append(optimizer.param_groups[0]['lr'])
        plt.plot(range(epoch_max), lr_values, label=sch['name'])
        print(f"{sch['name']:>12}: lr at the last epoch = {lr_values[-1]:.6f}")  # StepLR: ... = 0.000977

    plt.xlabel('Epochs')
    plt.ylabel('Learning Rate')
    plt.legend(loc='upper left', bbox_to_anchor=(1.02, 1))  # The slide: plt.legend(), which hid the last epochs
    fig = plt.gcf()
    common.save_figure(fig, args.out_dir, 'lr_schedulers')  # The slide: plt.show()
