"""Files written atomically (never half-written, even on Ctrl-C or a full disk) and checkpoints loaded safely."""
import contextlib
import copy
import errno
import io
import json
import os
import tempfile
from pathlib import Path

import torch

from .errors import UserError
from .paths import nearest_existing

UMASK = os.umask(0o022)  # Read the process's umask (the only way is to set it), then put it back
os.umask(UMASK)


def why_not_written(path, error):
    """The reason, in words, why `path` could not be written: a file where a folder belongs, or the system's reason."""
    folder = nearest_existing(path.parent)
    if folder.exists() and not folder.is_dir():
        return f"'{folder}' is a file, not a folder"
    if isinstance(error, FileNotFoundError):
        return f"its folder '{path.parent}' cannot be made there"
    return error.strerror


def write_atomically(path, write):
    """Call `write(file)` on a temporary file next to `path`, then rename it to `path` in one step.

    A full disk or a folder that cannot be written raises `UserError` naming `path`; the temporary
    file is removed in every case, so nothing half-written is left behind.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f'.{path.name}.', suffix='.tmp')
    except OSError as error:
        raise UserError(f"cannot write '{path}': {why_not_written(path, error)}") from None
    try:
        with os.fdopen(fd, 'wb') as file:
            write(file)
        os.chmod(tmp_name, 0o666 & ~UMASK)  # mkstemp makes the file private; give it the usual permissions
        os.replace(tmp_name, path)
    except BaseException as error:  # Also on Ctrl-C: remove the partial file
        os.unlink(tmp_name)
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UserError(f"the disk is full: '{path}' was not written (free some space or give "
                            'another --out-dir)') from None
        if isinstance(error, OSError) and error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise UserError(f"cannot write '{path}': {error.strerror}") from None
        raise
    return path


@contextlib.contextmanager
def open_atomically(path):
    """`with open_atomically(path) as file: torch.save(..., file)`: what the block writes becomes `path` at its end.

    The bytes are collected in memory and written by `write_atomically`, so an error or Ctrl-C inside the
    block writes nothing, and a full disk or a folder that cannot be written ends in one line (`UserError`).
    """
    buffer = io.BytesIO()
    yield buffer
    write_atomically(path, lambda file: file.write(buffer.getvalue()))


def save_checkpoint(checkpoint, path):
    """Save a checkpoint (a state_dict, or a dict holding one) atomically with `torch.save`."""
    return write_atomically(path, lambda file: torch.save(checkpoint, file))


def save_json(data, path):
    """Save `data` as indented JSON atomically."""
    text = json.dumps(data, indent=2) + '\n'
    return write_atomically(path, lambda file: file.write(text.encode('utf-8')))


def load_checkpoint(path, device='cpu', trained_by=None):
    """Load a checkpoint saved by `save_checkpoint` onto `device`.

    `weights_only=True` loads only tensors and plain containers, never arbitrary code, and
    `map_location` lets a checkpoint trained on a GPU load on a CPU-only machine.
    A missing or unreadable file, or a folder, raises `UserError`; `trained_by`: the script that makes the file.
    """
    path = Path(path)
    if path.is_dir():
        raise UserError(f"model file '{path}' is a folder, not a file (give the .pt file, e.g. with --model)")
    if not path.is_file():
        how = f' with python {trained_by}' if trained_by else ''
        raise UserError(f"model file '{path}' does not exist: train it first{how}")
    try:
        return torch.load(path, map_location=device, weights_only=True)
    except Exception as error:
        raise UserError(f"'{path}' is not a model checkpoint of this tutorial: it cannot be read as one (another "
                        f"kind of file, or a checkpoint cut short or damaged: {type(error).__name__})") from None


def check_checkpoint(path, model, trained_by=None):
    """Return `path` once it is known to hold a state_dict that `model` loads; else raise `UserError` (one line).

    Called right before the slides' `model.load_state_dict(torch.load(path))`: a missing file, a folder, a
    damaged file or another model's weights end in one clear line instead of a traceback.
    """
    state_dict = load_checkpoint(path, 'cpu', trained_by)
    try:
        copy.deepcopy(model).load_state_dict(state_dict)
    except (TypeError, RuntimeError, AttributeError, KeyError):
        raise UserError(f"'{path}' holds another model, not a {type(model).__name__}") from None
    return path
