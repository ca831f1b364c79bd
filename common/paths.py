"""Where things live: the repository, its data folder, the data files in it and the output folders.

Paths are built from this file's location, never from the working directory, so every script runs
the same from any folder and in a notebook (which has no `__file__`). No PyTorch here: `check_env.py`
uses these rules in a Python that has none yet.
"""
import os
import sys
import tempfile
from pathlib import Path

from .errors import UserError

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_ENV_VAR = 'DL_DATA_DIR'
# The four files torchvision reads from `<data>/MNIST/raw/`: {name: (IDX magic number, item shape)}
MNIST_FILES = {
    'train-images-idx3-ubyte': (2051, (28, 28)),
    'train-labels-idx1-ubyte': (2049, ()),
    't10k-images-idx3-ubyte': (2051, (28, 28)),
    't10k-labels-idx1-ubyte': (2049, ()),
}


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
    try:
        is_file, is_dir = path.is_file(), path.is_dir()
    except OSError as error:  # e.g. a name longer than the file system allows
        raise UserError(f"data folder '{shorten(data_dir)}' (from {source}) cannot be read: {why_not(error)}") from None
    if is_file:
        raise UserError(f"data folder '{data_dir}' (from {source}) is a file, not a folder")
    if not is_dir:
        raise UserError(f"data folder '{data_dir}' (from {source}) does not exist")
    return path


def shorten(path, width=80):
    """`path` as text, cut to its first 60 characters and '...' where it is longer than `width`."""
    return str(path) if len(str(path)) <= width else f'{str(path)[:60]}...'


def why_not(error):
    """The system's reason for an `OSError`, in words that go inside a sentence ('file name too long')."""
    return (error.strerror or type(error).__name__).lower()


def mnist_raw_folder(data_dir):
    """Return the folder where torchvision keeps the raw MNIST files: `<data_dir>/MNIST/raw`."""
    return Path(data_dir) / 'MNIST' / 'raw'


def find_names_folder(data_dir):
    """Return the folder under `data_dir` that holds the names data's `<Language>.txt` files, or None: `names/`, or
    the tutorial's archive extracted in place (`data/names/`)."""
    folders = [Path(data_dir) / 'names', Path(data_dir) / 'data' / 'names']
    return next((folder for folder in folders if any(folder.glob('*.txt'))), None)


def results_dir(script):
    """The repository's output folder of `script`: `results/<script>/`, e.g. `results/iris_my_style/`."""
    return REPO_ROOT / 'results' / Path(script).stem


def writable_out_dir(script):
    """Return the folder for the outputs of `script` when no --out-dir is given: `results/<script>/` at the
    repository root, e.g. `results/iris_my_style/`; None when no folder can be written.

    Where this user cannot write there (a repository installed read-only, e.g. on a lab machine), a
    folder of their own: `~/dl-tutorial-results/<script>/`, else `results/<script>/` in the working
    folder; the training and the loading scripts then meet in the same folder.
    """
    name = Path(script).stem
    folders = [results_dir(name)]
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # No home folder known for this user
        home = None
    if home is not None and home.is_dir():  # (`nobody`'s is /nonexistent)
        folders.append(home / 'dl-tutorial-results' / name)
    try:
        folders.append(Path.cwd() / 'results' / name)
    except OSError:  # The working folder was removed
        pass
    return next((folder for folder in folders if is_writable(folder)), None)


def default_out_dir(script):
    """The output folder of `script` when none is given (`writable_out_dir`); where none can be written, the
    repository's (writing there then says why)."""
    return writable_out_dir(script) or results_dir(script)


def nearest_existing(path):
    """Return `path`, or its nearest parent that exists: where new folders on the way to `path` would go."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def is_writable(path):
    """True if folders and files can be made at `path` (a folder, or where the first missing one would go)."""
    existing = nearest_existing(Path(path))
    if not existing.is_dir():
        return False
    try:  # Tried for real: permission bits do not tell (root, /proc, a read-only disk)
        os.rmdir(tempfile.mkdtemp(dir=existing, prefix='.write-test-'))
    except OSError:
        return False
    return True


def check_out_dir(out_dir):
    """Return `out_dir` as an absolute path if results can be written there; else raise `UserError`.

    The folder itself is made only when the first file is written into it.
    """
    path = Path(out_dir).expanduser().resolve()
    try:
        existing = nearest_existing(path)
    except OSError as error:  # e.g. a name longer than the file system allows (255 bytes on most)
        raise UserError(f"output folder '{shorten(out_dir)}' cannot be made: {why_not(error)} "
                        '(give another --out-dir)') from None
    if not existing.is_dir():
        what = 'is a file' if existing == path else f"cannot be made: '{existing}' is a file"
        raise UserError(f"output folder '{out_dir}' {what}, not a folder (give another --out-dir)")
    if not is_writable(existing):
        what = 'is not writable' if existing == path else f"cannot be made: '{existing}' is not writable"
        raise UserError(f"output folder '{out_dir}' {what} (give another --out-dir)")
    return path


def add_to_path(*folders):
    """Let a script import the modules of its section (e.g. `from cnn_mnist import MyCNN`) from any folder.

    `folders` are relative to the repository, e.g. `add_to_path('04_cnn_mnist', '04_cnn_mnist/helpers')`.
    `python 04_cnn_mnist/cnn_mnist_load.py` and a Jupyter notebook find the modules beside the script by
    themselves; an interactive window that starts in the repository root (VS Code, PyCharm) or Colab does not,
    and a script in `concepts/` or `further/` imports the lesson scripts one folder up.
    """
    for section in folders:
        folder = str(REPO_ROOT / section)
        if folder not in sys.path:
            sys.path.insert(0, folder)
