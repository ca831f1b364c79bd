"""Windows' defaults for every Python process of a run under `.ci/windows_like` (it puts this folder on PYTHONPATH,
so Python imports this file at start: in the tests, the scripts they start, torchrun's workers, notebook kernels).

- multiprocessing starts processes with "spawn", the default of Windows and macOS (Linux's is "fork"): a
  DataLoader worker or a torchrun process then imports the script afresh instead of inheriting its memory;
- an `EncodingWarning` (a text file opened without `encoding=`, shown by `-X warn_default_encoding`) raised in the
  repository's own code or tests is an error; in other packages it is ignored (theirs to fix, and their warning
  lines would be mistaken for the scripts' output). $DL_OWN_MODULES names our modules (a regular expression).
"""
import builtins
import multiprocessing
import os
import warnings

multiprocessing.set_start_method('spawn', force=True)
if hasattr(builtins, 'EncodingWarning'):  # Python 3.10 and newer
    warnings.filterwarnings('ignore', category=builtins.EncodingWarning)
    if os.environ.get('DL_OWN_MODULES'):
        warnings.filterwarnings('error', category=builtins.EncodingWarning, module=os.environ['DL_OWN_MODULES'])
