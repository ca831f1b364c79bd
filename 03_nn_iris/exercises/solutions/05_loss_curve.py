"""Fix the slide's bug: the loss curve of "Iris Flower Classification (2/3)" plots and limits an undefined `epochs`.

Slide "Practice) Iris Flower Classification (2/3)": step 3 trains `epoch_max = 10000` epochs and appends one loss per
epoch to `loss_list`; step 4.1 draws the curve, epoch 1, 2, ..., epoch_max on the x axis and each loss above its
epoch, the x axis from the first epoch to the last. Its two lines `plt.plot(range(1, epochs + 1), loss_list)` and
`plt.xlim((1, epochs))` do not run. `plot_loss_curve(loss_list, epoch_max, elapse, dev_name)` below is step 4.1 as
the slide prints it (in a function that returns its figure, instead of plt.show()): run this file, read what goes
wrong, mend the two lines, and run it again until every check passes.

The solution, after you tried: exercises/solutions/05_loss_curve.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import matplotlib.pyplot as plt


# %% The slide's code: mend it
def plot_loss_curve(loss_list, epoch_max, elapse=0., dev_name='cpu'):
    """Step 4.1 of the slide: the training loss curve, one loss per epoch; returns the figure."""
    fig = plt.figure()  # A new figure, returned (the slide draws on the current one and calls plt.show())
    plt.title(f'Training Loss (time: {elapse/60:.2f} [min] @ {dev_name})')
    ### BEGIN SOLUTION
    plt.plot(range(1, epoch_max + 1), loss_list)  # The loop of step 3 ran epoch_max epochs: the slide's `epochs`
    ### END SOLUTION
    ### BEGIN SLIDE CODE
    # plt.plot(range(1, epochs + 1), loss_list)
    ### END SLIDE CODE
    plt.xlabel('Epochs')
    plt.ylabel('Loss values')
    ### BEGIN SOLUTION
    plt.xlim((1, epoch_max))
    ### END SOLUTION
    ### BEGIN SLIDE CODE
    # plt.xlim((1, epochs))
    ### END SLIDE CODE
    plt.grid()
    return fig


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import numpy as np
import torch


def slide_curve(loss_list, epoch_max, elapse=0., dev_name='cpu'):
    """What the slide means to draw: each loss above its epoch, 1 to epoch_max, and the x axis from 1 to epoch_max."""
    return {'x': torch.arange(1, epoch_max + 1, dtype=torch.float64), 'y': torch.tensor(loss_list, dtype=torch.float64),
            'xlim': [1., float(epoch_max)]}


def run(namespace, case):
    """What the learner's plot_loss_curve drew, as plain data and tensors: its first line's x and y, and the x axis's
    limits."""
    before = set(plt.get_fignums())
    try:
        fig = namespace['plot_loss_curve'](*case.args)
        if not isinstance(fig, plt.Figure) or not fig.axes:
            return f'plot_loss_curve returned {type(fig).__name__}, not a figure with a plot'
        ax = fig.axes[0]
        line = ax.lines[0] if ax.lines else None
        x, y = (line.get_xdata(), line.get_ydata()) if line is not None else ([], [])
        return {'x': torch.tensor(np.asarray(x, dtype=float)), 'y': torch.tensor(np.asarray(y, dtype=float)),
                'xlim': [float(limit) for limit in ax.get_xlim()]}
    finally:
        for number in set(plt.get_fignums()) - before:  # The figures it made, closed (not shown in a notebook)
            plt.close(number)


def cases(generator):
    hint = ('slide "Iris Flower Classification (2/3)": step 3 keeps the number of epochs under another name than '
            '`epochs`; the curve has epoch 1, 2, ... up to the last one under the losses, its x axis the same')

    def losses(epochs):
        """A training loss going down, with noise: as loss_list after step 3."""
        t = torch.arange(epochs, dtype=torch.float64)
        noise = 0.01 * torch.randn(epochs, generator=generator, dtype=torch.float64)
        return [round(value, 6) for value in (0.44 + 0.66 * torch.exp(-t / (epochs / 4)) + noise).tolist()]

    checks = [common.Case("the slide's epoch_max = 10000 (10000 losses)", (losses(10000), 10000, 1.2, 'cpu'),
                          hint=hint)]
    for _ in range(3):
        epochs = int(torch.randint(2, 40, (1,), generator=generator))
        elapse = round(float(torch.rand(1, generator=generator)) * 100, 1)
        checks.append(common.Case(f'random {epochs} losses, epoch_max = {epochs}', (losses(epochs), epochs, elapse,
                                                                                     'cpu'), hint=hint))
    return checks


EXERCISE = common.Exercise(answer='plot_loss_curve', cases=cases, expected=slide_curve, run=run, kind='bug',
                           reference="the slide's curve (epochs 1 to epoch_max)", atol=1e-12, rtol=1e-12)

# %% Check your answer: run this cell after each change (in a terminal: python 03_nn_iris/exercises/05_loss_curve.py)
common.check_exercise('loss_curve', globals())
