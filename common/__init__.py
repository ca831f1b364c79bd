"""Shared helpers of the Deep Learning Tutorial scripts.

Every section (01_tensors ... 05_rnn_name2lang) imports what it needs from here, always as `common.NAME` or
`from common import NAME`:

- cli:       `make_parser` with only the options a script uses (defaults: its constants; none in a notebook),
             `report_errors_in_one_line()`
- device:    `get_device('auto')` picks cuda, then mps, then cpu; `synchronize` for timing a GPU
- seed:      `set_seed(777)` seeds random, NumPy and PyTorch
- paths:     the repository root, the data folder and the output folders (no PyTorch needed)
- data:      MNIST and the names data, from what the learner has or downloaded (`prepare_mnist`, `find_name_files`)
- figures:   `save_figure(fig, out_dir, name)` saves a PNG and shows it in a window or a notebook
- training:  `train`, `evaluate` and `tensor_loader` (slide "Iris Flower Classification - My Style (2/5)")
- files:     atomic writes of checkpoints and JSON, safe checkpoint loading
- machine:   `describe_machine()`, the CPU (and AMX) and GPU behind a measured number

Importing `common` imports none of these modules and changes nothing: each name is imported where it is first
used (PEP 562), so `check_env.py` can use `common.paths` in a Python without PyTorch, and a script that needs
no MNIST does not wait for torchvision.
"""
import importlib

# Each public name and the module that defines it
_HOME = {
    'errors': ['UserError'],
    'device': ['get_device', 'available_devices', 'synchronize'],
    'seed': ['set_seed'],
    'paths': ['REPO_ROOT', 'add_to_path', 'resolve_data_dir', 'default_out_dir', 'results_dir'],
    'cli': ['make_parser', 'in_notebook', 'report_errors_in_one_line', 'positive_int', 'positive_float',
            'non_negative_float', 'finite_float', 'fraction', 'device_type'],
    'files': ['save_checkpoint', 'load_checkpoint', 'checkpoint_errors', 'save_json', 'open_atomically',
              'write_atomically'],
    'figures': ['save_figure', 'plot_loss_curves', 'has_display'],
    'data': ['prepare_mnist', 'load_mnist', 'find_name_files', 'read_text'],
    'training': ['train', 'evaluate', 'tensor_loader'],
    'machine': ['describe_machine', 'has_amx'],
}
_MODULE_OF = {name: module for module, names in _HOME.items() for name in names}
__all__ = list(_MODULE_OF)


def __getattr__(name):
    """`common.NAME`: import NAME's module on first use (`common.save_figure` imports common/figures.py)."""
    if name in _MODULE_OF:
        value = getattr(importlib.import_module(f'.{_MODULE_OF[name]}', __name__), name)
        globals()[name] = value  # Found directly next time
        return value
    if name in _HOME:  # A module of the package, e.g. `common.paths`
        return importlib.import_module(f'.{name}', __name__)
    raise AttributeError(f"module 'common' has no attribute '{name}'")


def __dir__():
    return sorted(__all__ + list(_HOME))
