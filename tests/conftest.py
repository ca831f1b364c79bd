"""Shared test helpers: run a script the way a learner does, headless, with tiny settings.

- `load_script('03_nn_iris/iris_my_style.py')` imports a script as a module (its folder on
  sys.path, as `python script.py` would have it), so a test can call `module.main([...])`.
- `run_cli('03_nn_iris/iris_my_style.py', '--epochs', '2', cwd=tmp_path)` runs it in a
  subprocess and returns the CompletedProcess (stdout, stderr, returncode).
- The `real_data_dir` fixture is the folder of $DL_DATA_DIR (real MNIST and names data), or
  skips the test. Every other test runs with DL_DATA_DIR unset, so the hermetic tests never
  touch the real data, even in CI where it is exported.
"""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ['MPLBACKEND'] = 'Agg'  # Never open a window in tests

REPO_ROOT = Path(__file__).resolve().parent.parent
REAL_DATA_DIR = os.environ.get('DL_DATA_DIR')


def load_script(relpath):
    """Import the script at `relpath` (relative to the repository) as a fresh module."""
    path = REPO_ROOT / relpath
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(f'script_{path.stem}', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_cli(relpath, *args, cwd=None, env=None, timeout=600):
    """Run `python <relpath> args...` as a learner would; return the CompletedProcess."""
    full_env = dict(os.environ, MPLBACKEND='Agg', PYTHONUNBUFFERED='1')
    full_env.pop('DL_DATA_DIR', None)
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable, str(REPO_ROOT / relpath), *map(str, args)], cwd=cwd or REPO_ROOT,
                          env=full_env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(autouse=True)
def _hermetic_env(monkeypatch):
    """Hide $DL_DATA_DIR from every test; tests that want real data use `real_data_dir`."""
    monkeypatch.delenv('DL_DATA_DIR', raising=False)


@pytest.fixture
def real_data_dir():
    """The folder with the real data ($DL_DATA_DIR), or skip the test when it is not set."""
    if not REAL_DATA_DIR or not Path(REAL_DATA_DIR).is_dir():
        pytest.skip('real data: set DL_DATA_DIR to a folder with MNIST/raw/ and names/')
    return Path(REAL_DATA_DIR).resolve()
