"""Windows laptops and Apple Silicon Macs (issue 35), shown here on Linux: what differs there, simulated.

- Windows' Python writes output redirected to a file or a pipe, and reads and writes text files, in the ANSI code page
  (cp1252 in Western Europe), not UTF-8: every script prints any letter (`common.cli.printable_streams`) and every
  file is opened with an encoding. `.ci/windows_like/run` runs the whole suite and the tour in such a locale too.
- No POSIX-only module is imported where Windows imports; paths with spaces, backslashes and Korean letters reach the
  notebooks whole; the kernels do without ZMQ's ipc transport, which Windows lacks.
- A Mac picks Apple's MPS, which has no float64: the lesson scripts run on a fake MPS (tests/fake_mps.py, which says
  what it cannot show).
- `check_env.py` and `describe_machine()` name the platform; the bug form asks for them.
"""
import ast
import io
import os
import platform
import subprocess
import sys

import pytest
import torch
import yaml
from conftest import (
    REPO_ROOT,
    NotebookRunner,
    kernel_transport,
    load_script,
    make_fake_mnist,
    make_fake_names,
    notebook_images,
    notebook_text,
    run_cli,
    run_main,
)
from fake_mps import MPS_FLOAT64, FakeMPS

import common
from common import cli, machine

ONEHOT = '05_rnn_name2lang/concepts/onehot_letters.py'
POLISH = {'Polish': ['Ślusàrski', 'Nowak', 'Łukasik'], 'Chinese': ['Au-Yong', 'Chan'], 'German': ['Groß', 'Müller']}
POSIX_ONLY = {'pwd', 'grp', 'pty', 'tty', 'termios', 'fcntl', 'resource', 'crypt', 'spwd', 'syslog', 'posix',
              'readline', 'curses', 'nis', 'pipes', 'ossaudiodev'}


def python_files(folder=REPO_ROOT):
    """Every Python file of the repository: the scripts, common/, run_all.py, docs/, benchmarks/, tests/, .ci/; not
    what is only in the checkout (a virtual environment, node_modules, results/, a built site), nor the students'
    submissions that the grading tests grade (tests/submissions/: one is Latin-1 on purpose)."""
    for path in sorted(folder.iterdir()):
        if path.is_dir() and path.name not in ('node_modules', 'results', 'build', 'site', '__pycache__') and \
                path != REPO_ROOT / 'tests' / 'submissions' and \
                (not path.name.startswith('.') or path.name == '.ci') and not (path / 'pyvenv.cfg').exists():
            yield from python_files(path)
        elif path.suffix == '.py':
            yield path


def keyword(call, name):
    return next((item.value for item in call.keywords if item.arg == name), None)


def opens_text_without_encoding(call):
    """True for a call that opens a text file or a text pipe in the locale's encoding: open(...) in text mode,
    Path.read_text() / write_text() / open(), subprocess with text=True, all without encoding=."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    owner = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ''
    if keyword(call, 'encoding') is not None:
        return False
    if name == 'open' and owner not in ('os', 'gzip', 'zipfile', 'tarfile', 'Image', 'PIL.Image', 'webbrowser'):
        mode_at = 1 if owner in ('', 'io', 'builtins') else 0  # open(path, mode) / path.open(mode)
        if len(call.args) > mode_at + 2:  # The encoding given by position
            return False
        mode = call.args[mode_at] if len(call.args) > mode_at else keyword(call, 'mode')
        return not (isinstance(mode, ast.Constant) and 'b' in str(mode.value))
    if name == 'read_text':
        return not call.args
    if name == 'write_text':
        return len(call.args) < 2
    if name in ('run', 'Popen', 'check_output', 'check_call', 'call') and owner == 'subprocess':
        return any(isinstance(keyword(call, flag), ast.Constant) and keyword(call, flag).value
                   for flag in ('text', 'universal_newlines'))
    return name == 'TextIOWrapper'


# Windows: encodings, modules, paths ----------------------------------------------------------------------------
def test_every_text_file_and_pipe_is_opened_with_an_encoding():
    """The scripts, common/, run_all.py, docs/, benchmarks/ and tests/ name the encoding of every text they open:
    without it, Windows' Python reads and writes cp1252 (d2l PR #2287; the suite's collection stopped on '李')."""
    files = list(python_files())
    assert {'run_all.py', 'common/data.py', 'tests/conftest.py', 'docs/build_site.py'} <= \
        {path.relative_to(REPO_ROOT).as_posix() for path in files}
    found = [f'{path.relative_to(REPO_ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}' for path in files
             for node in ast.walk(ast.parse(path.read_text(encoding='utf-8')))
             if isinstance(node, ast.Call) and opens_text_without_encoding(node)]
    assert found == []


def test_the_check_finds_what_it_looks_for():
    calls = {code: opens_text_without_encoding(ast.parse(code).body[0].value) for code in [
        "open(path)", "open(path, 'w')", "open(path, 'rb')", "path.read_text()", "path.write_text(text)",
        "subprocess.run(command, text=True)", "path.read_text(encoding='utf-8')", "gzip.open(path)",
        "subprocess.run(command, capture_output=True, encoding='utf-8')", "path.open('wb')"]}
    assert [code for code, found in calls.items() if found] == [
        "open(path)", "open(path, 'w')", "path.read_text()", "path.write_text(text)",
        "subprocess.run(command, text=True)"]


def test_no_posix_only_module_is_imported_at_the_top_of_a_module():
    """Windows has no pwd, pty, termios, fcntl, resource...: imported at the top of a test (or of a module the scripts
    import), collection stops there. They are imported in the function that uses them, which skips on Windows."""
    found = []
    for path in python_files():
        for node in ast.parse(path.read_text(encoding='utf-8')).body:  # The module's top level only
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module or ''] if isinstance(node, ast.ImportFrom) else []
            found += [f'{path.relative_to(REPO_ROOT)}: {name}' for name in names if name.split('.')[0] in POSIX_ONLY]
    assert found == []


def cp1252_stream(terminal=False):
    """A text stream like Windows' stdout: cp1252, strict (a file or pipe), or a terminal in that encoding."""
    class Bytes(io.BytesIO):
        def isatty(self):
            return terminal
    return io.TextIOWrapper(Bytes(), encoding='cp1252', errors='strict', write_through=True)


def test_printable_streams_write_any_letter_into_a_file_as_utf8_and_to_a_terminal_as_it_can(monkeypatch):
    for terminal, expected in [(False, 'Ślusàrski 李\n'.encode('utf-8')), (True, b'\\u015alus\xe0rski \\u674e\n')]:
        stdout, stderr = cp1252_stream(terminal), cp1252_stream(terminal)
        monkeypatch.setattr(sys, 'stdout', stdout)
        monkeypatch.setattr(sys, 'stderr', stderr)
        with pytest.raises(UnicodeEncodeError):  # What a Windows learner met
            print('Ślusàrski 李')
        cli.printable_streams()
        print('Ślusàrski 李')
        print('Ślusàrski 李', file=sys.stderr)
        monkeypatch.undo()
        assert stdout.buffer.getvalue().endswith(expected) and stderr.buffer.getvalue() == expected
    notebook_like = io.StringIO()  # Not a file: left as it is
    monkeypatch.setattr(sys, 'stdout', notebook_like)
    cli.printable_streams()
    assert sys.stdout is notebook_like


def test_polish_names_print_into_a_file_in_windows_code_page(tmp_path):
    """`python onehot_letters.py > out.txt` where the output's encoding is cp1252 (PYTHONIOENCODING stands in for
    Windows' ANSI code page): the Polish names are written, as UTF-8, and the run ends well. Before: exit 1,
    `UnicodeEncodeError: 'charmap' codec can't encode character '\\u015a'`."""
    data_dir = make_fake_names(tmp_path / 'data', POLISH)
    env = dict(os.environ, MPLBACKEND='Agg', PYTHONIOENCODING='cp1252')
    env.pop('PYTHONUTF8', None)
    with open(tmp_path / 'out.txt', 'wb') as out:
        result = subprocess.run([sys.executable, str(REPO_ROOT / ONEHOT), '--data-dir', str(data_dir), '--out-dir',
                                 str(tmp_path / 'figures')], stdout=out, stderr=subprocess.PIPE, env=env, timeout=300)
    assert result.returncode == 0, result.stderr.decode('utf-8', 'replace')
    text = (tmp_path / 'out.txt').read_text(encoding='utf-8')  # UTF-8, whatever the code page
    assert "unicode2ascii('Ślusàrski')" in text and "'Łukasik'" in text  # The name of the data with the 'Ł' dropped


def encodable(text, fallback):
    """`text` where this Python can pass it on a command line or in a file name, else `fallback`: on Linux both follow
    the locale (cp1252 under `.ci/windows_like/run`, which has no '李' or Korean letters); Windows' are Unicode."""
    try:
        text.encode(sys.getfilesystemencoding())
    except UnicodeEncodeError:
        return fallback
    return text


def test_a_name_without_ascii_letters_is_one_line_in_windows_code_page():
    """The error line names the name as typed, written as UTF-8 where the output's encoding is cp1252 ('李' is not
    in cp1252; where it cannot be an argument here, 'ß', which the lesson drops too, still shows the UTF-8)."""
    name = encodable('李', 'ß')
    result = run_cli('05_rnn_name2lang/rnn_name2lang_load.py', name, '--device', 'cpu',
                     env={'PYTHONIOENCODING': 'cp1252'})  # Checked before any model is loaded
    assert (result.returncode, result.stderr) == (1, f"error: name '{name}' has no letters A-Z after converting it "
                                                     "to ASCII; give a name like 'Choi'\n")


def onehot_output(tmp_path, line_end):
    """What onehot_letters.py prints with the names files written with `line_end` after each name."""
    data_dir = tmp_path / repr(line_end).strip("'").replace('\\', '')
    (data_dir / 'names').mkdir(parents=True)
    for language, names in POLISH.items():
        (data_dir / 'names' / f'{language}.txt').write_bytes(''.join(n + line_end for n in names).encode('utf-8'))
    result = run_main(ONEHOT, '--data-dir', data_dir, '--out-dir', tmp_path / 'out')
    assert result.code == 0, result.err
    return result.out


def test_names_files_with_windows_line_ends_read_as_with_unix_ones(tmp_path):
    """Names files saved on Windows (CRLF), or on an old Mac (CR): the lines are read as Python's universal newlines
    read them, so onehot_letters.py no longer reports "dropped '\\r' 20056 times" as if '\\r' were a letter."""
    unix = onehot_output(tmp_path, '\n')
    assert "'\\r'" not in unix and 'Names: 7 in 3 languages' in unix
    assert onehot_output(tmp_path, '\r\n') == unix and onehot_output(tmp_path, '\r') == unix
    assert common.read_text(tmp_path / 'rn' / 'names' / 'Polish.txt') == 'Ślusàrski\nNowak\nŁukasik\n'
    name2lang = load_script('05_rnn_name2lang/rnn_name2lang.py')
    lf, crlf = (name2lang.load_name_dataset(sorted((tmp_path / folder / 'names').glob('*.txt')))
                for folder in ('n', 'rn'))
    assert lf == crlf


def long_name(tmp_path):
    return tmp_path / ('x' * 300)  # Longer than a file name may be (255 bytes on Linux and macOS)


def test_an_out_dir_with_a_name_too_long_is_one_line(tmp_path):
    result = run_main('03_nn_iris/activation_funcs.py', '--out-dir', long_name(tmp_path) / 'figures')
    assert (result.code, result.out) == (2, '')
    assert result.err.count('\n') == 1 and 'Traceback' not in result.err
    assert result.err.startswith(f"activation_funcs.py: error: output folder '{str(tmp_path)[:40]}")
    assert result.err.endswith("...' cannot be made: file name too long (give another --out-dir) (see --help)\n")


def test_a_data_dir_or_model_with_a_name_too_long_is_one_line(tmp_path):
    result = run_main('04_cnn_mnist/mnist_dataset.py', '--data-dir', long_name(tmp_path), '--out-dir', tmp_path)
    assert result.code == 2
    assert result.err.endswith('(from --data-dir) cannot be read: file name too long (see --help)\n')
    result = run_main('04_cnn_mnist/cnn_mnist_load.py', '--model', long_name(tmp_path), '--out-dir', tmp_path,
                      '--device', 'cpu')
    assert result.code == 1 and result.err.startswith("error: model file '") and result.err.count('\n') == 1
    assert result.err.endswith("...' cannot be read: file name too long\n")


def odd_folder(tmp_path):
    """A folder with a space, a backslash and Korean letters (`C:\\Users\\Kim Min\\...` and a Korean name): where the
    file system encoding cannot write Korean (Linux in a cp1252 locale, `.ci/windows_like/run`; never Windows,
    whose file names are Unicode), letters that it can."""
    return tmp_path / f"Kim Min\\{encodable('한국어 폴더', 'Zoë Müller')}"


def test_notebook_options_keep_a_path_with_spaces_backslashes_and_korean_letters_whole(tmp_path):
    """The notebook tests give the options as a list (split as text, `--out-dir C:\\Users\\Kim Min` was cut in two),
    to a kernel on the tcp transport, which Windows uses (it has no ipc)."""
    folder = odd_folder(tmp_path)
    runner = NotebookRunner(transport='tcp')
    try:
        notebook = runner.run('02_autograd/grad_descent.py', args=['--out-dir', folder, '--max-iter', '3'])
    finally:
        runner.stop()
    assert runner.kernel.transport == 'tcp' and runner.folder is None
    assert f'Figure saved: {folder / "grad_descent.png"}' in notebook_text(notebook)
    assert notebook_images(notebook) == 1 and (folder / 'grad_descent.png').is_file()
    with pytest.raises(TypeError, match='as a list'):
        runner.run('02_autograd/grad_descent.py', args=f'--out-dir {folder}')


def test_the_kernels_use_tcp_on_windows_and_ipc_where_zmq_has_it():
    import zmq
    assert kernel_transport('win32') == 'tcp'
    assert kernel_transport('linux') == ('ipc' if zmq.has('ipc') else 'tcp')


def test_the_readme_test_command_in_one_process_works():
    """`-p no:xdist` fails with pyproject's `--numprocesses=auto`; the README says `-n 0`, which works."""
    readme = (REPO_ROOT / 'README.md').read_text(encoding='utf-8')
    assert 'no:xdist' not in readme and '`pytest -n 0`' in readme
    result = subprocess.run([sys.executable, '-m', 'pytest', '-n', '0', '-q', '-p', 'no:cacheprovider',
                             'tests/test_data.py', '-k', 'text_in'], cwd=REPO_ROOT, capture_output=True,
                            encoding='utf-8', errors='replace', timeout=300)
    assert result.returncode == 0, result.stdout[-2000:]
    assert ' passed' in result.stdout and 'workers' not in result.stdout


# Windows: torchrun, typed input -------------------------------------------------------------------------------
def test_torchrun_on_windows_goes_without_libuv(monkeypatch):
    """PyTorch's Windows builds lack libuv, which torchrun's store asks for (pytorch#139990): the DDP script (run with
    python) and the tour (through torchrun) set USE_LIBUV=0 there, as PyTorch documents."""
    import torch.distributed as dist
    ddp = load_script('04_cnn_mnist/further/cnn_mnist_ddp.py')
    for name in ('USE_LIBUV', 'MASTER_ADDR', 'MASTER_PORT', 'RANK', 'WORLD_SIZE', 'LOCAL_RANK'):
        monkeypatch.delenv(name, raising=False)
    seen = {}
    monkeypatch.setattr(dist, 'init_process_group', lambda backend: seen.update(os.environ, backend=backend))
    monkeypatch.setattr(dist, 'get_rank', lambda: 0)
    monkeypatch.setattr(dist, 'get_world_size', lambda: 1)
    monkeypatch.setattr(sys, 'platform', 'win32')
    assert ddp.setup_process_group(torch.device('cpu'))[2] == torch.device('cpu')
    assert seen['USE_LIBUV'] == '0' and seen['backend'] == 'gloo'
    run_all = load_script('run_all.py')
    assert run_all.script_env('04_cnn_mnist/further/cnn_mnist_ddp.py')['USE_LIBUV'] == '0'
    monkeypatch.setattr(sys, 'platform', 'linux')
    monkeypatch.delenv('USE_LIBUV', raising=False)
    assert 'USE_LIBUV' not in run_all.script_env('04_cnn_mnist/further/cnn_mnist_ddp.py')


def test_the_load_script_says_ctrl_z_then_enter_on_windows(monkeypatch):
    assert 'Ctrl-D ends' in load_script('05_rnn_name2lang/rnn_name2lang_load.py').PROMPT
    monkeypatch.setattr(sys, 'platform', 'win32')
    assert load_script('05_rnn_name2lang/rnn_name2lang_load.py').PROMPT == \
        'Name (an empty line or Ctrl-Z, then Enter ends): '


# macOS: MPS ---------------------------------------------------------------------------------------------------
def test_the_fake_mps_refuses_what_mps_refuses():
    import numpy as np
    with FakeMPS() as mps:
        assert common.get_device('auto') == torch.device('mps')  # What a Mac's --device auto picks
        with pytest.raises(TypeError, match='float64'):
            torch.tensor(np.zeros(3), device='mps').float()  # iris_classification.py's slide line, on MPS
        x = torch.tensor(np.zeros((4, 2)), dtype=torch.float32, device='mps')
        y = torch.nn.Linear(2, 3).to(torch.device('mps'))(x)
        with pytest.raises(TypeError, match='float64'):
            y.double()
        with pytest.raises(TypeError, match='numpy'):
            y.detach().numpy()
        assert mps.marked(y) and not mps.marked(y.cpu()) and y.detach().cpu().numpy().shape == (4, 3)
    assert common.get_device('auto') == torch.device('cpu')


@pytest.fixture(scope='module')
def mac_data(tmp_path_factory):
    root = tmp_path_factory.mktemp('mac_data')
    make_fake_mnist(root)
    make_fake_names(root)
    return root


MAC_RUNS = {  # Script: tiny options (no --device: auto picks the fake MPS)
    '01_tensors/create_tensor.py': [],
    '03_nn_iris/iris_classification.py': ['--epochs', '30'],
    '03_nn_iris/iris_my_style.py': ['--epochs', '20'],
    '04_cnn_mnist/cnn_mnist.py': ['--epochs', '1', '--train-size', '100', '--batch-size', '50',
                                  '--data-dir', '{data}'],
    '04_cnn_mnist/further/cnn_mnist_further.py': ['--epochs', '1', '--train-size', '200', '--data-dir', '{data}'],
    '04_cnn_mnist/concepts/mnist_try.py': ['--train-size', '64', '--test-size', '40', '--variants', 'mycnn', 'skip',
                                           '--data-dir', '{data}'],
    '05_rnn_name2lang/rnn_name2lang.py': ['--epochs', '1', '--hidden-size', '8', '--data-dir', '{data}'],
    '05_rnn_name2lang/further/rnn_name2lang_further.py': ['--epochs', '1', '--hidden-size', '8', '--models', '1',
                                                          '--data-dir', '{data}'],
    '03_nn_iris/concepts/representation_learning.py': ['--device', 'auto', '--epochs', '5'],  # (It prints no device)
}


@pytest.mark.parametrize('script', MAC_RUNS)
def test_a_script_runs_on_a_mac_as_auto_picks_mps(script, mac_data, tmp_path, monkeypatch):
    """As on a Mac with Apple Silicon: `--device auto` picks MPS, which has no float64 (the slide's
    `torch.tensor(iris.data, device=dev_name).float()` failed there) and, before torch 2.5, no autocast for 'mps'
    at all, even disabled (cnn_mnist_further.py). The further RNN script says it moves to the CPU."""
    class AutocastOfTorch24(torch.autocast):  # torch 2.4: `User specified an unsupported autocast device_type 'mps'`
        def __init__(self, device_type, *args, **kwargs):
            if device_type == 'mps':
                raise RuntimeError(f"User specified an unsupported autocast device_type '{device_type}'")
            super().__init__(device_type, *args, **kwargs)
    monkeypatch.setattr(torch, 'autocast', AutocastOfTorch24)
    options = [option.replace('{data}', str(mac_data)) for option in MAC_RUNS[script]]
    if 'create_tensor' not in script:  # (The one with no --out-dir: it saves nothing)
        options += ['--out-dir', tmp_path]
    with FakeMPS() as mps:
        result = run_main(script, *options)
    assert result.code == 0, result.err
    if 'rnn_name2lang_further' in script:
        assert 'MPS: packed names and GRUs crash or give NaN there' in result.out
        assert 'Device: cpu' in result.out and mps.moved == 0
    elif 'representation_learning' in script:
        assert mps.moved > 0  # It computed "on MPS"
    else:
        assert 'Device: mps' in result.out and mps.moved > 0  # It computed "on MPS"


def test_on_mps_the_iris_lesson_learns_what_it_learns_on_the_cpu(tmp_path):
    with FakeMPS():
        on_mps = run_main('03_nn_iris/iris_classification.py', '--epochs', '30', '--out-dir', tmp_path / 'mps')
    on_cpu = run_main('03_nn_iris/iris_classification.py', '--epochs', '30', '--out-dir', tmp_path / 'cpu',
                      '--device', 'cpu')
    assert on_mps.vars['loss_list'] == on_cpu.vars['loss_list']  # The same numbers: float32 both times


def test_a_float64_on_the_device_would_be_found(tmp_path, monkeypatch):
    """The fake MPS finds the slide's float64 on the device, if a script had it again (here the lesson without the
    line that makes the data float32 before the slide's `torch.tensor(iris.data, device=dev_name).float()`)."""
    path = tmp_path / 'iris_classification.py'
    source = (REPO_ROOT / '03_nn_iris/iris_classification.py').read_text(encoding='utf-8')
    restored = source.replace('iris.data = iris.data.astype(np.float32)', 'pass')
    assert restored != source
    path.write_text(restored, encoding='utf-8')
    with FakeMPS(), pytest.raises(TypeError, match='float64'):
        run_main(path, '--epochs', '3', '--out-dir', tmp_path / 'out')
    assert MPS_FLOAT64.startswith('Cannot convert a MPS Tensor to float64')


def test_on_a_mac_what_mps_lacks_runs_on_the_cpu():
    """Every script's first cell sets PYTORCH_ENABLE_MPS_FALLBACK=1 on a Mac, before PyTorch is imported."""
    code = ("import os, sys; os.environ.pop('PYTORCH_ENABLE_MPS_FALLBACK', None); sys.platform = {!r}; "
            "import common; common.report_errors_in_one_line(); print(os.environ.get('PYTORCH_ENABLE_MPS_FALLBACK'))")
    for system, expected in [('darwin', '1'), ('linux', 'None'), ('win32', 'None')]:
        result = subprocess.run([sys.executable, '-c', code.format(system)], capture_output=True, encoding='utf-8',
                                cwd=REPO_ROOT, timeout=60)
        assert result.stdout == f'{expected}\n', result.stderr


# Naming the platform ------------------------------------------------------------------------------------------
def pretend(monkeypatch, system, machine_name, **more):
    """Let `platform` answer as another computer would."""
    monkeypatch.setattr(platform, 'system', lambda: system)
    monkeypatch.setattr(platform, 'machine', lambda: machine_name)
    for name, value in more.items():
        monkeypatch.setattr(platform, name, lambda value=value: value)


def test_describe_machine_names_apple_silicon(monkeypatch):
    pretend(monkeypatch, 'Darwin', 'arm64')
    monkeypatch.setattr(machine, 'sysctl', {'machdep.cpu.brand_string': 'Apple M2'}.get)
    monkeypatch.setattr(torch.backends.mps, 'is_available', lambda: True)
    threads = torch.get_num_threads()
    assert common.describe_machine() == (f'CPU: Apple M2 (Apple Silicon, Arm NEON), {threads} thread'
                                         f'{"s" * (threads > 1)}, torch {torch.__version__}, GPU: Apple MPS')


def test_describe_machine_on_windows_says_what_it_does_not_know(monkeypatch):
    pretend(monkeypatch, 'Windows', 'AMD64', processor='Intel64 Family 6 Model 140 Stepping 1, GenuineIntel')
    monkeypatch.setattr(machine, 'windows_cpu_name', lambda: '11th Gen Intel(R) Core(TM) i7-1165G7 @ 2.80GHz')
    monkeypatch.setattr(sys, 'platform', 'win32')
    monkeypatch.setattr(torch.backends.cpu, 'get_cpu_capability', lambda: 'AVX512')
    assert common.describe_machine().startswith(
        'CPU: 11th Gen Intel(R) Core(TM) i7-1165G7 @ 2.80GHz (AVX-512, AMX not known), ')


@pytest.mark.parametrize('system, machine_name, more, line', [
    ('Windows', 'AMD64', {'release': '11', 'version': '10.0.22631'}, 'Platform: Windows 11 (10.0.22631, AMD64)'),
    ('Darwin', 'arm64', {'mac_ver': ('14.5', ('', '', ''), 'arm64')},
     'Platform: macOS 14.5 with Apple Silicon (arm64; the GPU: MPS)'),
    ('Darwin', 'x86_64', {'mac_ver': ('13.6', ('', '', ''), 'x86_64')},
     'Platform: macOS 13.6 with an Intel CPU (x86_64)'),
    ('Linux', 'x86_64', {'freedesktop_os_release': {'PRETTY_NAME': 'Ubuntu 24.04 LTS'},
                         'release': '6.8.0-31-generic'}, 'Platform: Linux (Ubuntu 24.04 LTS, x86_64)'),
    ('Linux', 'x86_64', {'freedesktop_os_release': {'PRETTY_NAME': 'Ubuntu 22.04.4 LTS'},
                         'release': '5.15.153.1-microsoft-standard-WSL2'},
     'Platform: Linux (Ubuntu 22.04.4 LTS, WSL on Windows, x86_64)'),
])
def test_check_env_names_the_platform(system, machine_name, more, line, monkeypatch):
    check_env = load_script('check_env.py')
    monkeypatch.setattr(check_env, 'apple_silicon', lambda: False)
    pretend(monkeypatch, system, machine_name, **more)
    assert check_env.platform_line() == (line, None)


def test_check_env_says_when_pip_cannot_install_pytorch_on_this_mac(monkeypatch):
    check_env = load_script('check_env.py')
    pretend(monkeypatch, 'Darwin', 'x86_64', mac_ver=('14.5', ('', '', ''), 'x86_64'))
    monkeypatch.setattr(check_env, 'apple_silicon', lambda: True)  # An Intel Python under Rosetta
    line, problem = check_env.platform_line(torch_installed=False)
    assert line == 'Platform: macOS 14.5 with Apple Silicon, but this Python is an Intel (x86_64) build run by Rosetta'
    assert problem.startswith('PyTorch 2.3 and newer have no builds for an Intel Python on a Mac: install a Python '
                              'for Apple Silicon (arm64')
    monkeypatch.setattr(check_env, 'apple_silicon', lambda: False)  # An Intel Mac
    assert 'the last is 2.2.2' in check_env.platform_line(torch_installed=False)[1]
    assert check_env.platform_line(torch_installed=True)[1] is None


def test_check_env_names_the_console_encoding(monkeypatch, capsys):
    check_env = load_script('check_env.py')
    assert check_env.console_line(cp1252_stream()).startswith(
        'Console encoding: cp1252 (a file or pipe: the scripts write UTF-8 there); files: ')
    assert check_env.console_line(cp1252_stream(terminal=True)).startswith(
        'Console encoding: cp1252 (a terminal: letters it lacks are printed as \\uXXXX); files: ')
    check_env.main([])
    out = capsys.readouterr().out
    assert 'Platform: ' in out and 'Console encoding: ' in out


def test_the_bug_form_asks_for_the_check_and_the_platform():
    form = yaml.safe_load((REPO_ROOT / '.github/ISSUE_TEMPLATE/bug_report.yml').read_text(encoding='utf-8'))
    assert form['name'] and form['description']  # What GitHub requires of an issue form
    fields = {item['id']: item for item in form['body'] if 'id' in item}
    assert {'what_happened', 'platform', 'check_env'} <= set(fields)
    assert fields['check_env']['validations']['required'] and 'python check_env.py' in \
        fields['check_env']['attributes']['label']
    options = fields['platform']['attributes']['options']
    assert {'Windows', 'macOS with Apple Silicon (M1, M2, ...)', 'Linux'} <= set(options)
    assert all(item['type'] in ('markdown', 'textarea', 'input', 'dropdown', 'checkboxes') for item in form['body'])
