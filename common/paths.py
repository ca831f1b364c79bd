"""Where things live: the repository, its data folder and the output folders.

Paths are built from this file's location, never from the working directory,
so every script runs the same from any folder.
"""
import os
from pathlib import Path

from .errors import UserError

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_ENV_VAR = 'DL_DATA_DIR'


def resolve_data_dir(data_dir=None):
    """Return the data folder: `data_dir` if given, else $DL_DATA_DIR, else the repository's `data/`.

    A folder given by the user that does not exist raises `UserError`.
    """
    if data_dir is None or str(data_dir) == '':
        data_dir = os.environ.get(DATA_ENV_VAR) or None
        source = f'${DATA_ENV_VAR}'
    else:
        source = '--data-dir'
    if data_dir is None:
        return REPO_ROOT / 'data'
    path = Path(data_dir).expanduser().resolve()
    if not path.is_dir():
        raise UserError(f"data folder '{data_dir}' (from {source}) does not exist")
    return path


def default_out_dir(script_file):
    """Return `results/<script name>/` at the repository root, e.g. `results/iris_my_style/`."""
    return REPO_ROOT / 'results' / Path(script_file).stem
