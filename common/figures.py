"""Figures that never block: always saved as PNG, shown in a window or inline in a notebook when possible."""
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from .files import write_atomically

# Backends that draw into files, not windows (no display: a server, CI, tests)
NON_INTERACTIVE_BACKENDS = {'agg', 'cairo', 'pdf', 'pgf', 'ps', 'svg', 'template'}


def has_display():
    """True when matplotlib can open a window (or draw inline in a notebook)."""
    return matplotlib.get_backend().lower() not in NON_INTERACTIVE_BACKENDS


def save_figure(fig, out_dir, name, show=True):
    """Save `fig` as `<out_dir>/<name>.png` (atomically), print the path, then show it if there is a display.

    Replaces the slides' bare `plt.show()`, which blocks a run without a display.
    Set MPLBACKEND=Agg to never open a window. Returns the path of the PNG.
    """
    path = write_atomically(out_dir / f'{name}.png', lambda file: fig.savefig(file, format='png', dpi=100,
                                                                              bbox_inches='tight'))
    print(f'Figure saved: {path}')
    if show and has_display():
        plt.show()
    plt.close(fig)
    return path


def plot_loss_curves(loss_list, title):
    """Step 4.1 of the MNIST and Name2Lang slides: training and validation loss per epoch.

    `loss_list` holds `[epoch, train_loss, valid_loss, ...]` rows, as the slides' loops record them.
    Returns the figure (save it with `save_figure`).
    """
    loss_array = np.array(loss_list)
    fig, ax = plt.subplots()
    ax.set_title(title)
    ax.plot(loss_array[:, 0], loss_array[:, 1], '.-', label='Training loss')  # Dots: one epoch is a point too
    ax.plot(loss_array[:, 0], loss_array[:, 2], '.-', label='Validation loss')
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # Whole epochs on the axis
    ax.set_xlabel('Epochs')
    ax.set_ylabel('Loss values')
    if len(loss_array) > 1:
        ax.set_xlim(loss_array[0, 0], loss_array[-1, 0])
    else:
        ax.set_xticks(loss_array[:, 0])
    ax.grid()
    ax.legend()
    return fig
