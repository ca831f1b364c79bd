"""The environment check (`python check_env.py`): this Python, its packages against requirements.txt, the device the
scripts would use, the data and the output folder; `OK`, or one line per problem with its fix and exit code 1.
It runs without any package installed, so a learner can run it first."""
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, load_script, venv_python

import common


@pytest.fixture
def check_env():
    return load_script('check_env.py')


def test_check_here_says_ok_with_versions_device_data_and_output_folder(check_env, fake_mnist, capsys):
    assert check_env.main(['--data-dir', str(fake_mnist)]) == 0
    out = capsys.readouterr().out
    device = common.get_device('auto').type  # The device the scripts' --device auto picks
    for line in ['Python: 3.', 'torch: 2.', 'torchvision: 0.', 'numpy: ', f'Device: {device} (',
                 f'Data folder: {fake_mnist}', '  MNIST: present', f'  names: would be downloaded into '
                 f'{fake_mnist / "names"}', f'Output folder: {REPO_ROOT / "results"} (writable)']:
        assert line in out, line
    assert out.splitlines()[-1] == 'OK'


def test_check_of_a_data_folder_says_what_is_there_and_what_would_be_downloaded(check_env, fake_names, tmp_path,
                                                                                capsys):
    assert check_env.main(['--data-dir', str(fake_names)]) == 0
    out = capsys.readouterr().out
    assert f'MNIST: would be downloaded into {fake_names / "MNIST" / "raw"} (missing: 4 of 4 files)' in out
    assert f'names: present (3 files in {fake_names / "names"})' in out
    (tmp_path / 'data.zip').write_bytes(b'')
    assert check_env.main(['--data-dir', str(tmp_path)]) == 0
    assert 'names: present (data.zip, extracted at the first run)' in capsys.readouterr().out


def test_check_of_a_data_folder_that_does_not_exist_is_a_problem(check_env, tmp_path, capsys):
    assert check_env.main(['--data-dir', str(tmp_path / 'nowhere')]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-2] == (f"problem: data folder '{tmp_path / 'nowhere'}' (from --data-dir) does not exist: give an "
                       'existing one (--data-dir, $DL_DATA_DIR)')


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


def test_check_reads_the_ranges_of_requirements_txt(check_env, tmp_path):
    requirements = tmp_path / 'requirements.txt'
    requirements.write_text('# comment\n-e .\ntorch>=2.4,<3  # the floor\nscikit-learn>=1.3; python_version>"3"\n'
                            'numpy\n', encoding='utf-8')
    assert check_env.requirements(requirements) == {'torch': '>=2.4,<3', 'scikit-learn': '>=1.3', 'numpy': ''}
    assert set(check_env.SHOWN) <= set(check_env.requirements())  # The repository's own lists what it shows


def test_check_with_a_problem_lists_it_with_its_fix_and_exits_1(check_env, fake_mnist, monkeypatch, capsys):
    monkeypatch.setattr(check_env, 'installed_version', lambda package: '1.0' if package == 'numpy' else
                        check_env.importlib.metadata.version(package))
    assert check_env.main(['--data-dir', str(fake_mnist)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-2].startswith('problem: numpy 1.0 is outside what requirements.txt allows (numpy>=')
    assert out[-1] == '1 problem(s): fix them, then run this check again'


@pytest.mark.parametrize('working_folder_writable', [True, False])
def test_check_of_a_read_only_installation(check_env, fake_mnist, tmp_path, monkeypatch, capsys,
                                           working_folder_writable):
    """The repository's results/ cannot be written (here: a file stands where it would be): the scripts write into
    the user's own folder instead (no problem); where no folder of the user's can be written either, a problem."""
    blocker = tmp_path / 'repo'
    blocker.write_text('', encoding='utf-8')
    monkeypatch.setattr(common.paths, 'REPO_ROOT', blocker)  # results/ would be made in a file: not writable
    monkeypatch.setattr(Path, 'home', lambda: tmp_path / 'no-home')  # A user without a home folder
    (tmp_path / 'work').mkdir()
    monkeypatch.chdir(tmp_path / 'work')
    if not working_folder_writable:
        # A file where the working folder's results/ would go
        (tmp_path / 'work' / 'results').write_text('', encoding='utf-8')
    status = check_env.main(['--data-dir', str(fake_mnist)])
    out = capsys.readouterr().out
    if working_folder_writable:
        assert status == 0
        assert (f'Output folder: {blocker / "results"} (not writable by this user: the scripts write into '
                f'{tmp_path / "work" / "results"})') in out
    else:
        assert status == 1
        assert (f'problem: the output folder {blocker / "results"} cannot be written: give the scripts --out-dir DIR '
                '(a folder of yours)') in out


def test_check_runs_without_any_package_installed(tmp_path):
    bare = tmp_path / 'bare'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(bare)], check=True)
    python = venv_python(bare)  # bin/python; Windows: Scripts\python.exe
    result = subprocess.run([str(python), '-I', str(REPO_ROOT / 'check_env.py')], cwd=tmp_path,
                            capture_output=True, encoding='utf-8', timeout=60)
    assert result.returncode == 1 and 'Traceback' not in result.stderr
    assert 'problem: the packages of requirements.txt are not installed for this Python' in result.stdout
    assert 'Python: 3.' in result.stdout and str(python) in result.stdout
    assert 'Device: not known without torch' in result.stdout and 'Data folder: ' in result.stdout
