"""Where things live: the repository, its data folder and the output folders.

Paths are built from this file's location, never from the working directory, so every script runs
the same from any folder and in a notebook (which has no `__file__`).
"""
import os
import sys
import tempfile
from pathlib import Path

from .errors import UserError

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_ENV_VAR = 'DL_DATA_DIR'


def resolve_data_dir(data_dir=None):
    """Return the data folder: `data_dir` if given, else $DL_DATA_DIR, else the repository's `data/`.

    A folder given by the user that does not exist, or is a file, raises `UserError`.
    """
    if data_dir is None or str(data_dir) == '':
        data_dir = os.environ.get(DATA_ENV_VAR) or None
        source = f'${DATA_ENV_VAR}'
    else:
        source = '--data-dir'
    if data_dir is None:
        return REPO_ROOT / 'data'
    path = Path(data_dir).expanduser().resolve()
    if path.is_file():
        raise UserError(f"data folder '{data_dir}' (from {source}) is a file, not a folder")
    if not path.is_dir():
        raise UserError(f"data folder '{data_dir}' (from {source}) does not exist")
    return path


def default_out_dir(script):
    """Return `results/<script>/` at the repository root, e.g. `results/iris_my_style/`."""
    return REPO_ROOT / 'results' / Path(script).stem


def nearest_existing(path):
    """Return `path`, or its nearest parent that exists: where new folders on the way to `path` would go."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_out_dir(out_dir):
    """Return `out_dir` as an absolute path if results can be written there; else raise `UserError`.

    The folder itself is made only when the first file is written into it.
    """
    path = Path(out_dir).expanduser().resolve()
    existing = nearest_existing(path)
    if not existing.is_dir():
        what = 'is a file' if existing == path else f"cannot be made: '{existing}' is a file"
        raise UserError(f"output folder '{out_dir}' {what}, not a folder (give another --out-dir)")
    try:  # Tried for real: permission bits do not tell (root, /proc, a read-only disk)
        os.rmdir(tempfile.mkdtemp(dir=existing, prefix='.write-test-'))
    except OSError:
        what = 'is not writable' if existing == path else f"cannot be made: '{existing}' is not writable"
        raise UserError(f"output folder '{out_dir}' {what} (give another --out-dir)") from None
    return path


def add_to_path(section):
    """Let a script import the modules beside it (e.g. `from cnn_mnist import MyCNN`) from any folder.

    `python 04_cnn_mnist/cnn_mnist_load.py` and a Jupyter notebook find them by themselves; an
    interactive window that starts in the repository root (VS Code, PyCharm) or Colab does not.
    """
    folder = str(REPO_ROOT / section)
    if folder not in sys.path:
        sys.path.insert(0, folder)
