"""Mend the slide's tick labels of the confusion matrix: they follow the ticks' order, not the rows.

Slide "Practice) Name2Lang Classification with a Character-level RNN (5/7)" (step 4.2, the confusion matrix): the
slide labels its rows and columns with `set_xticklabels([''] + target_names)` first, then puts a tick at every
integer with `MultipleLocator(1)`. A label set that way goes to the k-th tick matplotlib draws, wherever that tick
is: the '' is meant for a tick one before the matrix. Drawn whole, matplotlib (3.7 to 3.11) happens to put its first
tick there, at -1, and every name sits on its row. Zoom in (the magnifier of a plot window, or `set_xlim`), or let
matplotlib start its ticks elsewhere, and the names move with the ticks' order: from row 1 on, each name is one row
off, and from row k on, k rows. matplotlib says so as it draws: "set_ticklabels() should only be used with a fixed
number of ticks, i.e. after set_ticks() or using a FixedLocator. Otherwise, ticks may be mislabeled."

`plot_confusion(conf_mat, target_names)` below is the slide's code as printed. Run this file: the check draws it with
random languages, whole and zoomed, and reads the name shown at each row and column. Mend the tick lines so that each
name is on its own row and column in every view, and run the file again until every check passes.

The solution, after you tried: exercises/solutions/07_tick_labels.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import matplotlib.pyplot as plt
import matplotlib.ticker as ticker


# %% The slide's code: mend it
def plot_confusion(conf_mat, target_names):
    """The slide's step 4.2 on a confusion matrix: its rows and columns labelled with the languages' names."""
    fig = plt.figure()  # Ours: a figure of its own each time (the slide draws on the one there is)
    plt.imshow(conf_mat)
    plt.xlabel('Predicted label')
    plt.ylabel('True label')
    plt.gca().set_xticklabels([''] + target_names, rotation=90)
    plt.gca().set_yticklabels([''] + target_names)
    plt.gca().xaxis.set_major_locator(ticker.MultipleLocator(1))
    plt.gca().yaxis.set_major_locator(ticker.MultipleLocator(1))
    return fig


# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/07_tick_labels.py)
common.check_exercise('tick_labels', globals())
