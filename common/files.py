"""Files written atomically (never half-written, even on Ctrl-C) and checkpoints loaded safely."""
import json
import os
import tempfile
from pathlib import Path

import torch

from .errors import UserError


def _write_atomically(path, write):
    """Call `write(file)` on a temporary file next to `path`, then rename it to `path` in one step."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f'.{path.name}.', suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as file:
            write(file)
        os.replace(tmp_name, path)
    except BaseException:  # Also on Ctrl-C: remove the partial file and re-raise
        os.unlink(tmp_name)
        raise
    return path


def save_checkpoint(checkpoint, path):
    """Save a checkpoint (a state_dict, or a dict holding one) atomically with `torch.save`."""
    return _write_atomically(path, lambda file: torch.save(checkpoint, file))


def save_json(data, path):
    """Save `data` as indented JSON atomically."""
    text = json.dumps(data, indent=2) + '\n'
    return _write_atomically(path, lambda file: file.write(text.encode('utf-8')))


def load_checkpoint(path, device='cpu'):
    """Load a checkpoint saved by `save_checkpoint` onto `device`.

    `weights_only=True` loads only tensors and plain containers, never arbitrary code, and
    `map_location` lets a checkpoint trained on a GPU load on a CPU-only machine.
    A missing or unreadable file raises `UserError`.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"model file '{path}' does not exist (train the model first)")
    try:
        return torch.load(path, map_location=device, weights_only=True)
    except Exception as error:
        raise UserError(f"'{path}' is not a model checkpoint of this tutorial ({type(error).__name__})") from None
