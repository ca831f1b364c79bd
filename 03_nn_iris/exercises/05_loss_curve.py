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
    plt.plot(range(1, epochs + 1), loss_list)
    plt.xlabel('Epochs')
    plt.ylabel('Loss values')
    plt.xlim((1, epochs))
    plt.grid()
    return fig


# %% Check your answer: run this cell after each change (in a terminal: python 03_nn_iris/exercises/05_loss_curve.py)
common.check_exercise('loss_curve', globals())
