"""Shared test helpers: run a script the way a learner does, headless, with tiny settings.

- `run_main('03_nn_iris/iris_my_style.py', '--epochs', '2')` runs a script in this process as
  `python 03_nn_iris/iris_my_style.py --epochs 2` would, and returns its exit code, what it printed
  and the variables it left (`result.vars['model']`), as a notebook leaves them after its last cell.
- `load_script('04_cnn_mnist/cnn_mnist.py')` imports a script as a module (its folder on sys.path,
  as `python script.py` would have it), to test its functions; importing runs none of its steps.
- `run_cli('03_nn_iris/iris_my_style.py', '--epochs', '2')` runs it in a subprocess, as a terminal does; its output
  is read as UTF-8, which the scripts write into a pipe on every platform (`common.cli.printable_streams`).
- `fake_mnist` and `fake_names` are tiny data sets in the real layout (IDX files, <Language>.txt).
- The `real_data_dir` fixture is the folder of $DL_DATA_DIR (real MNIST and names data), or
  skips the test. Every other test runs with DL_DATA_DIR unset, so the hermetic tests never
  touch the real data, even in CI where it is exported.
- Tests marked `full` show again, more slowly, what a quick test already shows (torchrun on two "machines",
  a benchmark's table): they run in the full tier, when DL_DATA_DIR is set (CI), and are skipped otherwise.
"""
import contextlib
import importlib.util
import io
import os
import runpy
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

os.environ['MPLBACKEND'] = 'Agg'  # Never open a window in tests
# One thread for PyTorch in the tests, their subprocesses and the notebook kernel: the tests' networks are tiny,
# and with two threads each small operation waits for the other core, many times slower when that core is busy.
os.environ['OMP_NUM_THREADS'] = '1'

import torch  # noqa: E402  (after the environment is set)

from common.cli import report_error  # noqa: E402
from common.paths import REPO_ROOT  # noqa: E402

torch.set_num_threads(1)

REAL_DATA_DIR = os.environ.get('DL_DATA_DIR')
# torchrun on Windows: PyTorch's Windows builds lack libuv, which torchrun's store asks for (pytorch#139990)
TORCHRUN_ENV = {'USE_LIBUV': '0'} if sys.platform == 'win32' else {}
FAKE_MNIST_SIZES = {'train': 400, 't10k': 200}
FAKE_LANGUAGES = {
    'Korean': ['Choi', 'Kim', 'Park', 'Lee', 'Jung', 'Kang', 'Cho', 'Yoon', 'Jang', 'Lim', 'Han', 'Oh'],
    'Japanese': ['Tanaka', 'Suzuki', 'Takahashi', 'Watanabe', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato',
                 'Yoshida', 'Yamada', 'Sasaki', 'Yamaguchi'],
    'English': ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson',
                'Wright', 'Thompson', 'Evans'],
}


@dataclass
class Result:
    """What a run of a script left: its exit code, stdout, stderr and variables."""
    code: int
    out: str
    err: str
    vars: dict = field(default_factory=dict)


def add_folder_to_path(relpath):
    folder = str((REPO_ROOT / relpath).parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)


def section_modules():
    """The modules imported from the repository's scripts (not `common`, not the tests), by name."""
    root, others = str(REPO_ROOT) + os.sep, tuple(str(REPO_ROOT / folder) + os.sep for folder in ('common', 'tests'))
    return {name: module for name, module in list(sys.modules.items())
            if (getattr(module, '__file__', None) or '').startswith(root) and not module.__file__.startswith(others)}


@contextlib.contextmanager
def fresh_script_imports(relpath):
    """As `python <relpath>` starts: its folder first on sys.path, and no folder or module of another script that
    an earlier test imported (a script that forgets to put a folder on the path fails here as in a terminal).
    Afterwards sys.path and sys.modules are as before."""
    saved_path, saved_modules = list(sys.path), section_modules()
    for name in saved_modules:
        del sys.modules[name]
    keep = {str(REPO_ROOT), str(REPO_ROOT / 'tests')}
    sys.path[:] = [str((REPO_ROOT / relpath).parent)] + [
        entry for entry in saved_path if entry in keep or not Path(entry or '.').resolve().is_relative_to(REPO_ROOT)]
    try:
        yield
    finally:
        for name in section_modules():
            del sys.modules[name]
        sys.modules.update(saved_modules)
        sys.path[:] = saved_path


def run_main(relpath, *argv):
    """Run the script at `relpath` in this process as `python <relpath> argv...` does; return a `Result`.

    A learner's error (a `UserError`, Ctrl-C) ends as in a terminal: one line on stderr, an exit code
    (the same `report_error` that the script's terminal run uses). Any other exception is a bug: raised.
    """
    path = REPO_ROOT / relpath
    saved_argv, saved_hook = sys.argv, sys.excepthook
    sys.argv = [str(path), *map(str, argv)]
    out, err = io.StringIO(), io.StringIO()
    code, variables = 0, {}
    try:
        with fresh_script_imports(relpath), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                variables = runpy.run_path(str(path), run_name='__main__')
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
            except BaseException as error:  # noqa: B036 (Ctrl-C too, as a terminal reports it)
                code = report_error(error)
                if code is None:
                    raise
    finally:
        sys.argv, sys.excepthook = saved_argv, saved_hook
    return Result(code, out.getvalue(), err.getvalue(), variables)


def load_script(relpath):
    """Import the script at `relpath` (relative to the repository) as a fresh module."""
    path = REPO_ROOT / relpath
    add_folder_to_path(relpath)
    spec = importlib.util.spec_from_file_location(f'script_{path.stem}', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_cli(relpath, *args, cwd=None, env=None, timeout=600, input=None):
    """Run `python <relpath> args...` as a learner would; return the CompletedProcess (its text read as UTF-8)."""
    full_env = dict(os.environ, MPLBACKEND='Agg', PYTHONUNBUFFERED='1')
    full_env.pop('DL_DATA_DIR', None)
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable, str(REPO_ROOT / relpath), *map(str, args)], cwd=cwd or REPO_ROOT,
                          env=full_env, capture_output=True, encoding='utf-8', timeout=timeout, input=input)


def venv_python(folder):
    """The Python of the virtual environment in `folder`: bin/python, or Scripts\\python.exe on Windows."""
    try:
        scripts = sysconfig.get_path('scripts', 'venv', vars={'base': str(folder), 'platbase': str(folder)})
    except KeyError:  # Python before 3.11 has no 'venv' scheme
        scripts = Path(folder) / ('Scripts' if os.name == 'nt' else 'bin')
    return Path(scripts) / ('python.exe' if os.name == 'nt' else 'python')


# Tiny data in the real layout ----------------------------------------------------------------------
def fake_digits(n, seed):
    """Images whose class k is a bright 8 x 8 square at the k-th of 10 places, plus noise: learnable fast."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 10
    rng.shuffle(labels)
    images = (rng.random((n, 28, 28)) * 40).astype(np.uint8)
    for image, label in zip(images, labels):
        top, left = 3 + 12 * (label // 5), 1 + 5 * (label % 5)
        image[top:top + 8, left:left + 8] = 255
    return images, labels.astype(np.uint8)


def write_idx(path, array):
    """Write `array` (uint8) as an IDX file: magic 0x0000 08 ndim, the sizes (big-endian int32), the bytes."""
    header = bytes([0, 0, 8, array.ndim]) + np.array(array.shape, dtype='>i4').tobytes()
    path.write_bytes(header + array.tobytes())


def make_fake_mnist(root):
    """Write a tiny MNIST (400 training and 200 test images) as `root/MNIST/raw/*-ubyte`; return `root`."""
    raw = Path(root) / 'MNIST' / 'raw'
    raw.mkdir(parents=True)
    for seed, (prefix, n) in enumerate(FAKE_MNIST_SIZES.items(), start=1):
        images, labels = fake_digits(n, seed)
        write_idx(raw / f'{prefix}-images-idx3-ubyte', images)
        write_idx(raw / f'{prefix}-labels-idx1-ubyte', labels)
    return Path(root)


def make_fake_names(root, languages=FAKE_LANGUAGES):
    """Write `root/names/<Language>.txt` with a few names each; return `root`."""
    names = Path(root) / 'names'
    names.mkdir(parents=True)
    for language, words in languages.items():
        (names / f'{language}.txt').write_text('\n'.join(words) + '\n', encoding='utf-8')
    return Path(root)


def pytest_collection_modifyitems(config, items):
    """Skip the `full` tests in the quick hermetic suite (DL_DATA_DIR unset)."""
    if REAL_DATA_DIR:
        return
    skip = pytest.mark.skip(reason='full tier: runs with DL_DATA_DIR set (CI), a quick test shows the same')
    for item in items:
        if 'full' in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope='session')
def fake_mnist(tmp_path_factory):
    """A data folder with a tiny fake MNIST (read-only use: copy it to change it)."""
    return make_fake_mnist(tmp_path_factory.mktemp('fake_mnist'))


@pytest.fixture(scope='session')
def fake_names(tmp_path_factory):
    """A data folder with a few names of three languages (read-only use: copy it to change it)."""
    return make_fake_names(tmp_path_factory.mktemp('fake_names'))


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


# Scripts as notebooks -------------------------------------------------------------------------------
def export_notebook(path, url):
    """The script at `path` as the notebook that `python docs/export_notebooks.py` writes (its Colab cell first)."""
    return load_script('docs/export_notebooks.py').export_notebook(path, url)


def kernel_transport(platform=sys.platform):
    """The ZMQ transport of the tests' notebook kernels: 'ipc' (Unix sockets: no port to take) where ZMQ has it,
    else 'tcp' on 127.0.0.1, as Jupyter itself uses: Windows has no ipc transport."""
    import zmq
    return 'ipc' if platform != 'win32' and zmq.has('ipc') else 'tcp'


class NotebookRunner:
    """Runs section scripts as notebooks (exported as `run_all.py --notebooks` does: jupytext, then a Colab cell,
    which does nothing outside Colab), in a Jupyter kernel, as a learner opens them.

    One kernel serves every notebook of the session (a kernel and PyTorch take seconds to start): before
    each notebook, `%reset -f` empties the namespace and the working directory becomes the script's
    folder, as in Jupyter. Options reach the script only through `common.cli.NOTEBOOK_ARGS`; figures are
    drawn inline (no MPLBACKEND), as in a notebook.
    """

    def __init__(self, transport=None):
        self.kernel, self.folder, self.transport = None, None, transport or kernel_transport()

    def start(self):
        from jupyter_client import KernelManager
        env = {key: value for key, value in os.environ.items() if key not in ('MPLBACKEND', 'DL_DATA_DIR')}
        if self.transport == 'ipc':
            # IPC sockets in a folder of this runner's own: by default they are kernel-ipc-1, -2, ... in the working
            # folder, and two xdist workers starting kernels at once took the same ones (kernels that never answered)
            self.folder = tempfile.mkdtemp(prefix='dl_tutorial_kernel_')
            self.kernel = KernelManager(kernel_name='python3', transport='ipc', ip=os.path.join(self.folder, 'kernel'))
        else:  # Ports on 127.0.0.1 that the kernel manager finds free (Windows)
            self.kernel = KernelManager(kernel_name='python3', transport='tcp', ip='127.0.0.1')
        self.kernel.start_kernel(cwd=str(REPO_ROOT), env=env, extra_arguments=['--HistoryManager.enabled=False'])

    def stop(self):
        if self.kernel is not None:
            self.kernel.shutdown_kernel(now=True)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def run(self, relpath, args=(), data_dir=None, edits=None, extra_cells=(), timeout=300, cwd=None):
        """Execute the script at `relpath` as a notebook; return the executed notebook.

        `args`: the options the script sees, one item each (paths as they are: a space, a backslash or a Korean
        letter in one stays in it), e.g. `['--out-dir', tmp_path, '--epochs', 2]`; `data_dir`: $DL_DATA_DIR in the
        kernel; `edits`: {old text: new text} applied to the cells, as a learner edits a constant; `extra_cells`:
        code run after the last cell (e.g. to inspect `model`); `cwd`: the kernel's working folder (Jupyter: the
        script's folder, the default; VS Code or PyCharm may start in the repository root).
        """
        import nbformat
        from nbclient import NotebookClient
        if isinstance(args, str):  # Split, a path with a space (C:\\Users\\Kim Min) would become two options
            raise TypeError(f'give the options as a list, not the text {args!r}')
        if self.kernel is None:
            self.start()
        path = REPO_ROOT / relpath
        notebook = export_notebook(path, url=str(REPO_ROOT))  # As `run_all.py --notebooks` exports it for Colab
        for old, new in (edits or {}).items():
            cells = [cell for cell in notebook.cells if old in cell.source]
            assert cells, f'{old!r} is not in {relpath}'
            for cell in cells:
                cell.source = cell.source.replace(old, new)
        setup = (f'%reset -f\n__import__("os").chdir({str(cwd or path.parent)!r})\n'
                 f'__import__("common.cli").cli.NOTEBOOK_ARGS = {[str(arg) for arg in args]!r}\n'
                 + (f'__import__("os").environ["DL_DATA_DIR"] = {str(data_dir)!r}\n' if data_dir else
                    '__import__("os").environ.pop("DL_DATA_DIR", None)\n'))
        notebook.cells.insert(0, nbformat.v4.new_code_cell(setup))
        notebook.cells += [nbformat.v4.new_code_cell(code) for code in extra_cells]
        NotebookClient(notebook, km=self.kernel, timeout=timeout).execute()
        notebook.cells = notebook.cells[1:]
        return notebook


def notebook_text(notebook, name='stdout'):
    """Everything the notebook's cells printed to `name` ('stdout' or 'stderr')."""
    return ''.join(output.get('text', '') for cell in notebook.cells for output in cell.get('outputs', [])
                   if output.get('output_type') == 'stream' and output.get('name') == name)


def notebook_images(notebook):
    """The number of images shown inline by the notebook's cells."""
    return sum('image/png' in output.get('data', {}) for cell in notebook.cells for output in cell.get('outputs', []))


@pytest.fixture(scope='session')
def notebooks():
    """A `NotebookRunner`: `notebooks.run('01_tensors/create_tensor.py', ['--device', 'cpu'])`."""
    runner = NotebookRunner()
    yield runner
    runner.stop()
