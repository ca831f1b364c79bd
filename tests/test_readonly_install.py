"""A repository installed read-only (issue 22): a teacher installs it once on a lab machine, students run it
from their own accounts. Outputs then go to a folder of the student's own (`~/dl-tutorial-results/<script>/`,
else `./results/<script>/`), and the script says where in one line, in a terminal and in a notebook; an
--out-dir the student cannot write still ends in one line.

The first tests decide where outputs go with the write test replaced (they run everywhere). The others run a
script as the user `nobody` on a read-only copy of the repository; they need root (to become `nobody`) and
`setpriv`, and skip, saying so, without them.
"""
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from conftest import REPO_ROOT

import common
from common import paths

SCRIPT = '03_nn_iris/activation_funcs.py'  # Writes one figure, needs no data: quick
USER, GROUP = 'nobody', 'nogroup'


# Where outputs go: the write test replaced --------------------------------------------------------------------
@pytest.fixture
def only_writable(monkeypatch):
    """`only_writable(*folders)`: from now on, only paths inside these folders can be written."""
    def set_writable(*folders):
        monkeypatch.setattr(paths, 'is_writable', lambda path: any(Path(path).is_relative_to(folder)
                                                                   for folder in folders))
    return set_writable


def test_outputs_go_to_a_folder_of_ones_own_where_the_repository_cannot_be_written(tmp_path, monkeypatch,
                                                                                   only_writable):
    home, work = tmp_path / 'home', tmp_path / 'work'
    home.mkdir(), work.mkdir()
    monkeypatch.setenv('HOME', str(home))
    monkeypatch.chdir(work)
    only_writable(REPO_ROOT, home, work)
    assert common.default_out_dir('cnn_mnist') == REPO_ROOT / 'results' / 'cnn_mnist'  # As before
    only_writable(home, work)
    assert common.default_out_dir('cnn_mnist') == home / 'dl-tutorial-results' / 'cnn_mnist'  # The same for
    only_writable(work)                                          # the training and the loading scripts
    assert common.default_out_dir('cnn_mnist') == work / 'results' / 'cnn_mnist'
    only_writable()
    assert common.default_out_dir('cnn_mnist') == REPO_ROOT / 'results' / 'cnn_mnist'  # check_out_dir says why


def test_the_parser_finds_the_students_own_folder(tmp_path, monkeypatch, only_writable, capsys):
    monkeypatch.setenv('HOME', str(tmp_path))
    only_writable(tmp_path)
    args = common.make_parser('iris_my_style', 'Trains.', out_dir=True).parse_args([])
    assert args.out_dir == tmp_path / 'dl-tutorial-results' / 'iris_my_style'
    args = common.make_parser('iris_my_style', 'Trains.', out_dir=True).parse_args(['--out-dir', str(tmp_path)])
    assert args.out_dir == tmp_path  # Given: used
    only_writable(REPO_ROOT)
    args = common.make_parser('iris_my_style', 'Trains.', out_dir=True).parse_args([])
    assert args.out_dir == REPO_ROOT / 'results' / 'iris_my_style'
    assert capsys.readouterr().out == ''  # Parsing prints nothing: each saved file's path says where it went


def test_nothing_writable_at_all_is_one_line(tmp_path, monkeypatch, only_writable, capsys):
    monkeypatch.setenv('HOME', str(tmp_path))
    only_writable()
    with pytest.raises(SystemExit) as exit_info:
        common.make_parser('iris_my_style', 'Trains.', out_dir=True).parse_args([])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and err.count('\n') == 1
    assert err.startswith(f"iris_my_style.py: error: output folder '{REPO_ROOT / 'results' / 'iris_my_style'}' ")
    assert err.endswith('(give another --out-dir) (see --help)\n')


# As the user nobody, on a read-only copy ---------------------------------------------------------------------
def become_user():
    """The command prefix that runs a program as `nobody` (no groups), or skip with the reason."""
    if sys.platform == 'win32':
        pytest.skip('a read-only install as another user: the user nobody and setpriv are Linux\'s, not Windows\'')
    import pwd  # POSIX only: imported here, never where Windows collects the tests
    if os.geteuid() != 0:
        pytest.skip('a read-only install as another user: needs root, to run a script as the user nobody')
    if shutil.which('setpriv') is None:
        pytest.skip('a read-only install as another user: needs setpriv (util-linux)')
    try:
        pwd.getpwnam(USER)
    except KeyError:
        pytest.skip(f'a read-only install as another user: this machine has no user {USER}')
    prefix = ['setpriv', f'--reuid={USER}', f'--regid={GROUP}', '--clear-groups']
    probe = [sys.executable, '-c', f'import sys, importlib.util; sys.exit(sys.prefix != {sys.prefix!r} '
                                   "or importlib.util.find_spec('torch') is None)"]  # This Python, with torch
    if subprocess.run(prefix + probe, capture_output=True).returncode == 0:
        return prefix
    # This Python is where `nobody` may not look (e.g. under /root, closed to others). Then nobody may read
    # and search every file (CAP_DAC_READ_SEARCH), and still write none they could not write before
    read_everything = prefix + ['--inh-caps=+dac_read_search', '--ambient-caps=+dac_read_search']
    if subprocess.run(read_everything + probe, capture_output=True).returncode == 0:
        return read_everything
    pytest.skip(f'a read-only install as another user: {USER} cannot run {sys.executable}')


@pytest.fixture(scope='module')
def install():
    """A read-only copy of the repository (common/ and the script's section, owned by root) and a home folder
    of nobody's own; yields (the copy, nobody's home, the command prefix that runs a program as nobody)."""
    prefix = become_user()
    base = Path(tempfile.mkdtemp(prefix='dl-tutorial-readonly-'))
    try:
        base.chmod(0o755)  # Others may enter (mkdtemp makes it the owner's only)
        copy, home = base / 'dl tutorial', base / 'home'
        for folder in ['common', SCRIPT.split('/')[0]]:
            shutil.copytree(REPO_ROOT / folder, copy / folder, ignore=shutil.ignore_patterns('__pycache__'))
        for path in [copy, *copy.rglob('*')]:  # Read-only for everyone, root's
            path.chmod(0o555 if path.is_dir() else 0o444)
        home.mkdir()
        shutil.chown(home, USER, GROUP)
        yield copy, home, prefix
    finally:
        for path in [base, *base.rglob('*')]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
        shutil.rmtree(base)


def run_as_user(install, *args, notebook=False):
    """Run the script of the copy as nobody, as a student does: in a terminal, or as a notebook."""
    copy, user_home, prefix = install
    env = {'PATH': os.environ['PATH'], 'HOME': str(user_home), 'PYTHONPATH': str(copy),
           'OMP_NUM_THREADS': '1', 'LANG': 'C.UTF-8'}  # PYTHONPATH: the copy's common/, not this checkout's
    if notebook:  # jupytext and nbclient run it in a Jupyter kernel, in the script's folder, as Jupyter does
        driver = textwrap.dedent(f'''
            import jupytext, nbclient
            notebook = jupytext.read({str(copy / SCRIPT)!r})
            nbclient.NotebookClient(notebook, timeout=300, kernel_name='python3',
                                    resources={{'metadata': {{'path': {str((copy / SCRIPT).parent)!r}}}}}).execute()
            for output in [output for cell in notebook.cells for output in cell.get('outputs', [])]:
                print(output.get('text', ''), end='')
                print('[an image]' if 'image/png' in output.get('data', {{}}) else '', end='')
            ''')
        command = [sys.executable, '-c', driver]
    else:
        command = [sys.executable, str(copy / SCRIPT), *map(str, args)]
        env['MPLBACKEND'] = 'Agg'  # No window
    return subprocess.run(prefix + command, cwd=copy, env=env, capture_output=True, encoding='utf-8', timeout=600)


def test_a_read_only_install_writes_into_the_students_own_folder(install):
    copy, home, _ = install
    result = run_as_user(install)  # In the repository's folder, as `cd <repo>; python 03_nn_iris/...` does
    assert result.returncode == 0, result.stderr
    out_dir = home / 'dl-tutorial-results' / 'activation_funcs'
    assert f'Figure saved: {out_dir / "activation_funcs.png"}\n' in result.stdout
    assert (out_dir / 'activation_funcs.png').stat().st_size > 10000
    assert (out_dir / 'activation_funcs.png').owner() == USER and not (copy / 'results').exists()


@pytest.mark.full  # The terminal's run shows the folder; a notebook finds it the same way
def test_a_read_only_install_in_a_notebook_writes_there_too(install):
    copy, home, _ = install
    result = run_as_user(install, notebook=True)
    assert result.returncode == 0, result.stderr
    out_dir = home / 'dl-tutorial-results' / 'activation_funcs'
    assert f'Figure saved: {out_dir / "activation_funcs.png"}\n' in result.stdout
    assert '[an image]' in result.stdout and (out_dir / 'activation_funcs.png').is_file()


def test_an_out_dir_the_student_cannot_write_is_one_line(install):
    copy, _, _ = install
    result = run_as_user(install, '--out-dir', copy / 'figures')
    assert (result.returncode, result.stdout) == (2, '')
    assert result.stderr == (f"activation_funcs.py: error: output folder '{copy / 'figures'}' cannot be made: "
                             f"'{copy}' is not writable (give another --out-dir) (see --help)\n")
