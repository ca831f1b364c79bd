"""Shared helpers of the Deep Learning Tutorial scripts.

Every section (01_tensors ... 05_rnn_name2lang) imports what it needs from here:

- cli:       `make_parser` with only the options a script uses (defaults: its constants; none in a
             notebook), and errors reported in one line
- device:    `get_device('auto')` picks cuda, then mps, then cpu; `synchronize` for timing a GPU
- seed:      `set_seed(777)` seeds random, NumPy and PyTorch
- paths:     the repository root, the data folder and the output folders
- data:      MNIST and the names data, from what the learner has or downloaded (`load_mnist`, `find_name_files`)
- figures:   `save_figure(fig, out_dir, name)` saves a PNG and shows it in a window or a notebook;
             `plot_loss_curves(loss_list, title)`
- training:  `train`, `evaluate`, `predict` and `tensor_loader` (slide "Iris Flower Classification - My Style (2/5)")
- files:     atomic writes of checkpoints and JSON, safe checkpoint loading
- machine:   `describe_machine()`, the CPU (and AMX) and GPU behind a measured number
"""
from .errors import UserError
from .device import available_devices, get_device, synchronize
from .seed import set_seed
from .paths import REPO_ROOT, add_to_path, default_out_dir, resolve_data_dir
from .cli import (finite_float, fraction, in_notebook, make_parser, non_negative_float, positive_float,
                  positive_int)
from .files import load_checkpoint, save_checkpoint, save_json
from .figures import plot_loss_curves, save_figure
from .data import find_name_files, load_mnist, read_text
from .training import evaluate, predict, tensor_loader, train
from .machine import describe_machine

__all__ = [
    'UserError', 'get_device', 'available_devices', 'synchronize', 'set_seed',
    'REPO_ROOT', 'add_to_path', 'resolve_data_dir', 'default_out_dir',
    'make_parser', 'in_notebook', 'positive_int', 'positive_float', 'non_negative_float', 'finite_float', 'fraction',
    'save_checkpoint', 'load_checkpoint', 'save_json', 'save_figure', 'plot_loss_curves',
    'load_mnist', 'find_name_files', 'read_text', 'train', 'evaluate', 'predict', 'tensor_loader',
    'describe_machine',
]
