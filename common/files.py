"""Files written atomically (never half-written, even on Ctrl-C or a full disk) and checkpoints loaded safely."""
import contextlib
import errno
import io
import json
import os
import pickle
import re
import secrets
import zipfile
from pathlib import Path

import torch

from .errors import UserError
from .paths import nearest_existing, shorten, why_not


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
    tmp_name = path.parent / f'.{path.name}.{secrets.token_hex(4)}.tmp'
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Mode 0o666 less the process's umask, as open() gives a new file: the usual permissions
        fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_BINARY', 0), 0o666)
    except OSError as error:
        raise UserError(f"cannot write '{path}': {why_not_written(path, error)}") from None
    try:
        with os.fdopen(fd, 'wb') as file:
            write(file)
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


def check_model_file(path, trained_by=None):
    """Return `path` as a Path if it is a file; a folder or a missing file raises `UserError` (`trained_by`: the
    script that makes it)."""
    path = Path(path)
    try:
        is_dir, is_file = path.is_dir(), path.is_file()
    except OSError as error:  # e.g. a name longer than the file system allows
        raise UserError(f"model file '{shorten(path)}' cannot be read: {why_not(error)}") from None
    if is_dir:
        raise UserError(f"model file '{path}' is a folder, not a file (give the .pt file, e.g. with --model)")
    if not is_file:
        how = f' with python {trained_by}' if trained_by else ''
        raise UserError(f"model file '{path}' does not exist: train it first{how}")
    return path


def not_a_checkpoint(path, error):
    """The `UserError` for a file that `torch.load` cannot read as a checkpoint of this tutorial."""
    return UserError(f"'{path}' is not a model checkpoint of this tutorial: it cannot be read as one (another "
                     f"kind of file, or a checkpoint cut short or damaged: {type(error).__name__})")


def load_checkpoint(path, device='cpu', trained_by=None):
    """Load a checkpoint saved by `save_checkpoint` onto `device`.

    `weights_only=True` loads only tensors and plain containers, never arbitrary code, and
    `map_location` lets a checkpoint trained on a GPU load on a CPU-only machine.
    A missing or unreadable file, or a folder, raises `UserError`; `trained_by`: the script that makes the file.
    """
    path = check_model_file(path, trained_by)
    try:
        return torch.load(path, map_location=device, weights_only=True)
    except Exception as error:
        raise not_a_checkpoint(path, error) from None


@contextlib.contextmanager
def checkpoint_errors(path, trained_by=None):
    """`with checkpoint_errors(path): model.load_state_dict(torch.load(path, ...))`: the slides' own loading line,
    read once, where a missing file, a folder, a damaged file or another model's weights end in one line
    (`UserError`) instead of a traceback. `trained_by`: the script that makes the file.
    """
    path = check_model_file(path, trained_by)
    try:
        yield path
    except RuntimeError as error:
        found = re.match(r'Error\(s\) in loading state_dict for (\w+)', str(error))
        if found:  # Keys or shapes of another model
            raise UserError(f"'{path}' holds another model, not a {found.group(1)}") from None
        raise not_a_checkpoint(path, error) from None
    except (pickle.UnpicklingError, EOFError, zipfile.BadZipFile, ValueError, OSError) as error:
        raise not_a_checkpoint(path, error) from None
    except (AttributeError, TypeError, KeyError):  # Not a state_dict at all (e.g. a dict of other things)
        raise UserError(f"'{path}' holds no state_dict of a model of this tutorial") from None
