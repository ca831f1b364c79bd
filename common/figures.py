"""Figures that never block: always saved as PNG, shown only when there is a display."""
import matplotlib
import matplotlib.pyplot as plt

# Backends that draw into files, not windows (no display: a server, CI, tests)
NON_INTERACTIVE_BACKENDS = {'agg', 'cairo', 'pdf', 'pgf', 'ps', 'svg', 'template'}


def has_display():
    """True when matplotlib can open a window (or draw inline in a notebook)."""
    return matplotlib.get_backend().lower() not in NON_INTERACTIVE_BACKENDS


def save_figure(fig, out_dir, name, show=True):
    """Save `fig` as `<out_dir>/<name>.png`, print the path, then show it if there is a display.

    Replaces the slides' bare `plt.show()`, which blocks a run without a display.
    Set MPLBACKEND=Agg to never open a window. Returns the path of the PNG.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f'{name}.png'
    fig.savefig(path, dpi=100, bbox_inches='tight')
    print(f'Figure saved: {path}')
    if show and has_display():
        plt.show()
    plt.close(fig)
    return path
