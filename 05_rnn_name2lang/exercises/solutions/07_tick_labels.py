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
    ### BEGIN SOLUTION
    plt.xticks(range(len(target_names)), target_names, rotation=90)  # A tick at each column, and its name
    plt.yticks(range(len(target_names)), target_names)               # (a FixedLocator: the names stay on them)
    ### END SOLUTION
    ### BEGIN SLIDE CODE
    # plt.gca().set_xticklabels([''] + target_names, rotation=90)
    # plt.gca().set_yticklabels([''] + target_names)
    # plt.gca().xaxis.set_major_locator(ticker.MultipleLocator(1))
    # plt.gca().yaxis.set_major_locator(ticker.MultipleLocator(1))
    ### END SLIDE CODE
    return fig


# %% The check: the inputs and the names expected (the learner's file has no such cell)
import string
import warnings

import torch
from matplotlib.figure import Figure

LANGUAGES = ['Arabic', 'Chinese', 'Czech', 'Dutch', 'English', 'French', 'German', 'Greek', 'Irish', 'Italian',
             'Japanese', 'Korean', 'Polish', 'Portuguese', 'Russian', 'Scottish', 'Spanish', 'Vietnamese']  # (1/7)


def names_shown(ax, positions):
    """The label that `ax` shows at each column and row of `positions` (None where no tick is there)."""
    shown = {}
    for axis, what, vertical in [(ax.xaxis, 'column', 0), (ax.yaxis, 'row', 1)]:
        at = {round(label.get_position()[vertical]): label.get_text() for label in axis.get_ticklabels()}
        shown.update({f'{what} {position}': at.get(position) for position in positions})
    return shown


def views(n, zoom):
    """The rows and columns looked at: the whole matrix, and the zoom (first, last)."""
    return {'the whole matrix': range(n), f'zoomed to rows and columns {zoom[0]}-{zoom[1]}': range(zoom[0],
                                                                                                  zoom[1] + 1)}


def run(namespace, case):
    """The learner's plot_confusion, drawn whole and zoomed: the name shown at each row and column, by view."""
    conf_mat, target_names, zoom = case.args
    with warnings.catch_warnings():  # matplotlib's warning on the slide's lines: the docstring quotes it
        warnings.simplefilter('ignore')
        fig = namespace['plot_confusion'](conf_mat, list(target_names))
        if not isinstance(fig, Figure):
            return f'plot_confusion returned {type(fig).__name__}, not the figure'
        try:
            ax = fig.axes[0]
            shown = {}
            for view, positions in views(len(target_names), zoom).items():
                ax.set_xlim(positions[0] - 0.5, positions[-1] + 0.5)
                ax.set_ylim(positions[-1] + 0.5, positions[0] - 0.5)  # Row 0 at the top, as imshow draws it
                fig.canvas.draw()  # The ticks and their labels as they are drawn
                shown[view] = names_shown(ax, positions)
            return shown
        finally:
            plt.close(fig)


def names_on_their_rows(conf_mat, target_names, zoom):
    """The answer: in every view, each language's name at its own row and column."""
    return {view: {f'{what} {k}': target_names[k] for what in ('column', 'row') for k in positions}
            for view, positions in views(len(target_names), zoom).items()}


def cases(generator):
    hint = ('slide "Name2Lang ... (5/7)": a label set before the ticks goes to the k-th tick drawn, wherever it is; '
            'give each name its place: a tick at each row and column first (set_xticks, or xticks with the names)')

    def random_names(n):
        lengths = torch.randint(3, 9, (n,), generator=generator).tolist()
        return [''.join(string.ascii_lowercase[int(k)] for k in torch.randint(26, (length,), generator=generator))
                .title() + str(index) for index, length in enumerate(lengths)]  # Distinct names
    checks = [common.Case("the slide's 18 languages, whole and zoomed to rows and columns 1-17",
                          (torch.rand(18, 18, generator=generator), LANGUAGES, (1, 17)), hint=hint)]
    for n in torch.randint(4, 12, (2,), generator=generator).tolist():
        first = int(torch.randint(1, n - 2, (1,), generator=generator))
        last = int(torch.randint(first + 1, n, (1,), generator=generator))
        checks.append(common.Case(f'{n} random languages, whole and zoomed to rows and columns {first}-{last}',
                                  (torch.rand(n, n, generator=generator), random_names(n), (first, last)), hint=hint))
    return checks


EXERCISE = common.Exercise(answer='plot_confusion', cases=cases, expected=names_on_their_rows, run=run, kind='bug',
                           reference='the names of the rows and columns', show_values=False)

# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/07_tick_labels.py)
common.check_exercise('tick_labels', globals())
