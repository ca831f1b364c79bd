"""Shared helpers of the Deep Learning Tutorial scripts, used as `common.NAME` or `from common import NAME`.

`_HOME` below says which module defines each name: `cli` (options, errors in one line), `device`, `seed`, `paths`
(the repository, data and output folders), `data` (MNIST, the names), `figures`, `training` (`train`, `evaluate`
of slide "Iris Flower Classification - My Style (2/5)"), `files` (atomic writes, checkpoints) and `machine`.
Importing `common` imports none of them and changes nothing: each name is imported where it is first used
(PEP 562), so `check_env.py` uses `common.paths` in a Python without PyTorch, and a script without MNIST does not
wait for torchvision.
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
    'exercises': ['Exercise', 'Case', 'check_exercise'],
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
