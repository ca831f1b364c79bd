"""Shared helpers of the Deep Learning Tutorial scripts.

Every section (01_tensors ... 05_rnn_name2lang) imports what it needs from here:

- cli:       the common command-line options (--device, --seed, --out-dir, ...) and `run(main)`
- device:    `get_device('auto')` picks cuda, then mps, then cpu
- seed:      `set_seed(777)` seeds random, NumPy and PyTorch
- paths:     the repository root, the data folder and the output folder
- figures:   `save_figure(fig, out_dir, name)` saves a PNG and shows it when there is a display;
             `plot_loss_curves(loss_list, title)`
- training:  `train`, `evaluate`, `predict` and `tensor_loader` (slide "Iris Flower Classification - My Style (2/5)")
- files:     atomic writes of checkpoints and JSON, safe checkpoint loading
"""
from .errors import UserError
from .device import get_device
from .seed import set_seed
from .paths import REPO_ROOT, resolve_data_dir, default_out_dir
from .cli import finite_float, fraction, make_parser, non_negative_float, positive_float, positive_int, run
from .figures import plot_loss_curves, save_figure
from .training import train, evaluate, predict, tensor_loader
from .files import save_checkpoint, load_checkpoint, save_json

__all__ = [
    'UserError', 'get_device', 'set_seed', 'REPO_ROOT', 'resolve_data_dir', 'default_out_dir',
    'make_parser', 'positive_int', 'positive_float', 'non_negative_float', 'finite_float', 'fraction', 'run',
    'save_figure', 'plot_loss_curves', 'train', 'evaluate', 'predict', 'tensor_loader',
    'save_checkpoint', 'load_checkpoint', 'save_json',
]
