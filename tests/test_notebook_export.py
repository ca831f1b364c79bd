"""Notebooks for Google Colab (`run_all.py --notebooks DIR`) and the environment check (`check_env.py`).

Colab cannot be reached from here: its first cell runs in a Python that pretends to be Colab, with a real
`git clone` of this checkout and the pip install replaced by a note of the command.
"""
import json
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest
from conftest import REPO_ROOT, load_script


@pytest.fixture
def run_all():
    return load_script('run_all.py')


@pytest.fixture
def check_env():
    return load_script('check_env.py')


def test_export_writes_every_section_script_as_a_notebook_with_the_colab_cell_first(run_all, tmp_path, capsys):
    url = 'https://github.com/a-teacher/dl-course.git'
    assert run_all.main(['--notebooks', str(tmp_path), '--repo-url', url]) == 0
    written = sorted(tmp_path.glob('*/*.ipynb'))
    scripts = run_all.section_scripts()
    assert [f'{p.parent.name}/{p.stem}' for p in written] == [f'{p.parent.name}/{p.stem}' for p in scripts]
    assert len(written) >= 20 and capsys.readouterr().out.startswith(f'{len(written)} notebooks in {tmp_path}')
    notebook = json.loads((tmp_path / '03_nn_iris' / 'iris_my_style.ipynb').read_text())
    first = ''.join(notebook['cells'][0]['source'])
    assert f"'git', 'clone', '-q', '{url}', 'dl-course'" in first and "'google.colab' in sys.modules" in first
    script_cells = [cell.source for cell in jupytext.read(REPO_ROOT / '03_nn_iris' / 'iris_my_style.py').cells]
    assert [''.join(cell['source']) for cell in notebook['cells'][1:]] == script_cells  # The script's cells, unchanged


def test_export_takes_the_address_of_the_origin_remote(run_all, tmp_path):
    subprocess.run(['git', 'init', '-q', str(tmp_path)], check=True)
    assert run_all.origin_url(tmp_path) is None
    subprocess.run(['git', '-C', str(tmp_path), 'remote', 'add', 'origin', 'https://github.com/me/fork.git'],
                   check=True)
    assert run_all.origin_url(tmp_path) == 'https://github.com/me/fork.git'
    assert run_all.colab_link('https://github.com/me/fork.git', 'notebooks/01_tensors/create_tensor.ipynb') \
        .endswith('colab.research.google.com/github/me/fork/blob/' +
                  (subprocess.run(['git', '-C', str(REPO_ROOT), 'branch', '--show-current'], capture_output=True,
                                  text=True).stdout.strip() or 'main') + '/notebooks/01_tensors/create_tensor.ipynb')
    assert run_all.colab_link('/srv/git/course', 'x.ipynb') is None  # Not on GitHub: no Colab address


def test_export_without_an_address_ends_in_one_line(run_all, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(run_all, 'origin_url', lambda repo=None: None)
    assert run_all.main(['--notebooks', str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1 and '--repo-url URL' in err and "no 'origin' remote" in err
    assert list(tmp_path.iterdir()) == []


def colab_cell_run(run_all, cwd, on_colab):
    """Run an exported notebook's first cell, then `import common`, in a fresh Python (as Colab if `on_colab`)."""
    cell = run_all.export_notebook(REPO_ROOT / '01_tensors' / 'create_tensor.py', str(REPO_ROOT)).cells[0].source
    prelude = f'''
import subprocess, sys, types
if {on_colab}:
    sys.modules['google.colab'] = types.ModuleType('google.colab')
real_run, commands = subprocess.run, []
def run(command, **kwargs):  # git runs for real (a clone of this checkout); pip is only noted
    commands.append(command)
    return real_run(command, **kwargs) if command[0] == 'git' else None
subprocess.run = run
'''
    epilogue = ('\nimport common\nprint([c[:2] if c[0] == "git" else c[-4:] for c in commands])\n'
                'print(common.__file__)\n')
    return subprocess.run([sys.executable, '-c', prelude + cell + epilogue], cwd=cwd, capture_output=True, text=True)


def test_on_colab_the_first_cell_clones_installs_and_goes_on(run_all, tmp_path):
    result = colab_cell_run(run_all, tmp_path, on_colab=True)
    assert result.returncode == 0, result.stderr
    commands, common_file = result.stdout.splitlines()
    assert commands == "[['git', 'clone'], ['install', '-q', '-r', 'requirements.txt']]"
    assert common_file == str(tmp_path / REPO_ROOT.name / 'common' / '__init__.py')  # The clone's, not ours
    assert (tmp_path / REPO_ROOT.name / '01_tensors' / 'create_tensor.py').is_file()
    again = colab_cell_run(run_all, tmp_path, on_colab=True)  # Run again (a restarted kernel): no second clone
    assert again.returncode == 0 and again.stdout.splitlines()[0] == '[]'


def test_outside_colab_the_first_cell_does_nothing(run_all, tmp_path):
    installed = subprocess.run([sys.executable, '-c', 'import common; print(common.__file__)'], cwd=tmp_path,
                               capture_output=True, text=True).stdout.strip()  # Where this Python finds `common`
    result = colab_cell_run(run_all, tmp_path, on_colab=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ['[]', installed] and installed.endswith('common/__init__.py')
    assert list(tmp_path.iterdir()) == []


# The environment check ---------------------------------------------------------------------------------
def test_check_here_says_ok_with_versions_device_data_and_output_folder(check_env, fake_mnist, capsys):
    assert check_env.main(['--data-dir', str(fake_mnist)]) == 0
    out = capsys.readouterr().out
    for line in ['Python: 3.', 'torch: 2.', 'torchvision: 0.', 'numpy: ', 'Device: ', f'Data folder: {fake_mnist}',
                 '  MNIST: present', f'  names: would be downloaded into {fake_mnist / "names"}', 'Output folder: ']:
        assert line in out, line
    assert out.splitlines()[-1] == 'OK'


def test_check_of_an_empty_data_folder_says_what_would_be_downloaded(check_env, tmp_path, capsys):
    (tmp_path / 'data.zip').write_bytes(b'')
    assert check_env.main(['--data-dir', str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f'MNIST: would be downloaded into {tmp_path / "MNIST" / "raw"} (missing: 4 of 4 files)' in out
    assert 'names: present (data.zip, extracted at the first run)' in out


def test_check_names_a_version_outside_the_requirements(check_env):
    wanted = {'torch': '>=2.3,<3', 'numpy': '>=1.24', 'tqdm': '>=4.65'}
    versions = {'torch': '2.14.1+cu130', 'torchvision': '0.29.1', 'numpy': '1.23.5', 'tqdm': None}
    lines, problems = check_env.version_problems(wanted, versions.get)
    assert 'numpy: 1.23.5' in lines and 'torch: 2.14.1+cu130' in lines
    assert problems == ["numpy 1.23.5 is outside what requirements.txt allows (numpy>=1.24): run 'pip install -r "
                        "requirements.txt' in the repository folder",
                        "tqdm is not installed: run 'pip install -r requirements.txt' in the repository folder"]


def test_check_names_an_old_torch_beside_numpy_2(check_env):
    lines, problems = check_env.version_problems({}, {'torch': '2.2.2', 'torchvision': '0.17.2', 'numpy': '2.0.2'}.get)
    assert len(problems) == 1
    assert problems[0].startswith('torch 2.2.2 was built for NumPy 1.x and fails with NumPy 2.0.2')
    assert check_env.version_problems({}, {'torch': '2.3.1', 'torchvision': '0.18.1', 'numpy': '2.0.2'}.get)[1] == []


def test_check_reads_the_ranges_of_requirements_txt(check_env):
    wanted = check_env.requirements()
    assert set(check_env.SHOWN) <= set(wanted) and wanted['torch'].startswith('>=') and '.' not in wanted


def test_check_with_a_problem_lists_it_with_its_fix_and_exits_1(check_env, fake_mnist, monkeypatch, capsys):
    monkeypatch.setattr(check_env, 'installed_version', lambda package: '1.0' if package == 'numpy' else
                        check_env.importlib.metadata.version(package))
    assert check_env.main(['--data-dir', str(fake_mnist)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-2].startswith('problem: numpy 1.0 is outside what requirements.txt allows (numpy>=')
    assert out[-1] == '1 problem(s): fix them, then run this check again'


def test_check_of_a_read_only_installation_names_the_users_own_folder(check_env, fake_mnist, monkeypatch, capsys):
    monkeypatch.setattr(check_env, 'out_dir_problem', lambda out_dir: 'cannot be written')
    monkeypatch.setattr(check_env, 'own_results_folder', lambda: Path('/home/ann/dl-tutorial-results'))
    assert check_env.main(['--data-dir', str(fake_mnist)]) == 0
    assert 'not writable by this user: the scripts write into /home/ann/dl-tutorial-results' in capsys.readouterr().out
    monkeypatch.setattr(check_env, 'own_results_folder', lambda: None)  # No folder of the user's own either
    assert check_env.main(['--data-dir', str(fake_mnist)]) == 1


def test_check_of_a_folder_that_cannot_be_written(check_env, tmp_path):
    blocker = tmp_path / 'a-file'
    blocker.write_text('')
    assert check_env.out_dir_problem(tmp_path) is None
    assert 'cannot be written: give the scripts --out-dir DIR' in check_env.out_dir_problem(blocker / 'results')


def test_check_runs_without_any_package_installed(tmp_path):
    bare = tmp_path / 'bare'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(bare)], check=True)
    result = subprocess.run([str(bare / 'bin' / 'python'), '-I', str(REPO_ROOT / 'check_env.py')], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and 'Traceback' not in result.stderr
    assert 'problem: the packages of requirements.txt are not installed for this Python' in result.stdout
    assert 'Python: 3.' in result.stdout and str(bare / 'bin' / 'python') in result.stdout


def test_run_all_check_is_the_check(run_all, fake_mnist, monkeypatch, capsys):
    monkeypatch.setenv('DL_DATA_DIR', str(fake_mnist))
    assert run_all.main(['--check']) == 0
    assert capsys.readouterr().out.splitlines()[-1] == 'OK'
