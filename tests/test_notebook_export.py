"""Notebooks for Google Colab (`python docs/export_notebooks.py DIR`): every section script, its Colab cell first.

Colab cannot be reached from here: its first cell runs in a Python that pretends to be Colab, with a real
`git clone` of this checkout and the pip install replaced by a note of the command.
"""
import json
import subprocess
import sys

import pytest
from conftest import REPO_ROOT, load_script
from test_notebooks import section_scripts


@pytest.fixture
def export():
    return load_script('docs/export_notebooks.py')


def test_export_writes_every_section_script_as_a_notebook_with_the_colab_cell_first(export, tmp_path, capsys):
    url = 'https://github.com/a-teacher/dl-course.git'
    assert export.main([str(tmp_path), '--repo-url', url]) == 0
    written = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob('*.ipynb'))
    scripts = sorted(path.relative_to(REPO_ROOT).with_suffix('.ipynb').as_posix() for path in section_scripts())
    assert written == scripts  # Each in its folder: 04_cnn_mnist/concepts/pooling.ipynb
    assert '04_cnn_mnist/further/draw_digit.ipynb' in written
    assert capsys.readouterr().out.startswith(f'{len(written)} notebooks in {tmp_path}')
    notebook = json.loads((tmp_path / '03_nn_iris' / 'iris_my_style.ipynb').read_text(encoding='utf-8'))
    first = ''.join(notebook['cells'][0]['source'])
    assert f"'git', 'clone', '-q', '{url}', 'dl-course'" in first and "'google.colab' in sys.modules" in first
    import jupytext  # Here, not at the top: its import (nbformat's) costs seconds at every worker's collection
    script_cells = [cell.source for cell in jupytext.read(REPO_ROOT / '03_nn_iris' / 'iris_my_style.py').cells]
    assert [''.join(cell['source']) for cell in notebook['cells'][1:]] == script_cells  # The script's cells, unchanged


def test_export_takes_the_address_of_the_origin_remote(export, tmp_path):
    subprocess.run(['git', 'init', '-q', str(tmp_path)], check=True)
    assert export.origin_url(tmp_path) is None
    subprocess.run(['git', '-C', str(tmp_path), 'remote', 'add', 'origin', 'https://github.com/me/fork.git'],
                   check=True)
    assert export.origin_url(tmp_path) == 'https://github.com/me/fork.git'
    branch = subprocess.run(['git', '-C', str(REPO_ROOT), 'branch', '--show-current'], capture_output=True,
                            encoding='utf-8').stdout.strip() or 'main'
    assert export.colab_link('https://github.com/me/fork.git', 'notebooks/01_tensors/create_tensor.ipynb') \
        .endswith(f'colab.research.google.com/github/me/fork/blob/{branch}/notebooks/01_tensors/create_tensor.ipynb')
    assert export.colab_link('/srv/git/course', 'x.ipynb') is None  # Not on GitHub: no Colab address


def test_export_without_an_address_ends_in_one_line(export, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(export, 'origin_url', lambda repo=None: None)
    with pytest.raises(SystemExit) as exit_:
        export.main([str(tmp_path)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1 and '--repo-url URL' in err and "no 'origin' remote" in err
    assert list(tmp_path.iterdir()) == []


def colab_cell_run(export, cwd, on_colab):
    """Run an exported notebook's first cell, then `import common`, in a fresh Python (as Colab if `on_colab`)."""
    cell = export.export_notebook(REPO_ROOT / '01_tensors' / 'create_tensor.py', str(REPO_ROOT)).cells[0].source
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
    return subprocess.run([sys.executable, '-c', prelude + cell + epilogue], cwd=cwd, capture_output=True,
                          encoding='utf-8')


def test_on_colab_the_first_cell_clones_installs_and_goes_on(export, tmp_path):
    result = colab_cell_run(export, tmp_path, on_colab=True)
    assert result.returncode == 0, result.stderr
    commands, common_file = result.stdout.splitlines()
    assert commands == "[['git', 'clone'], ['install', '-q', '-r', 'requirements.txt']]"
    assert common_file == str(tmp_path / REPO_ROOT.name / 'common' / '__init__.py')  # The clone's, not ours
    assert (tmp_path / REPO_ROOT.name / '01_tensors' / 'create_tensor.py').is_file()
    again = colab_cell_run(export, tmp_path, on_colab=True)  # Run again (a restarted kernel): no second clone
    assert again.returncode == 0 and again.stdout.splitlines()[0] == '[]'


def test_outside_colab_the_first_cell_does_nothing(export, tmp_path):
    installed = subprocess.run([sys.executable, '-c', 'import common; print(common.__file__)'], cwd=tmp_path,
                               capture_output=True, encoding='utf-8').stdout.strip()  # Where this Python finds `common`
    result = colab_cell_run(export, tmp_path, on_colab=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ['[]', installed] and installed.endswith('common/__init__.py')
    assert list(tmp_path.iterdir()) == []
