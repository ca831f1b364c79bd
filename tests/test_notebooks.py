"""What every section script shares as a notebook: its first cell (Google Colab) and its cells.

Each section's tests run its scripts as notebooks (the `notebooks` fixture of conftest.py); this file
checks the first cell, which clones and installs the repository where `common` cannot be imported.
Colab itself cannot be reached from here: the clone and the install are replaced by a copy.
"""
import subprocess
import sys

import jupytext
import pytest
from conftest import REPO_ROOT, notebook_images, notebook_text

SECTIONS = sorted(REPO_ROOT.glob('0[1-5]_*'))
SETUP_MARK = '# %% Setup:'


def section_scripts():
    """The scripts of the sections (they start with the setup cell); the other files are modules beside them."""
    return sorted(path for section in SECTIONS for path in section.glob('*.py') if SETUP_MARK in path.read_text())


def setup_cell(path):
    """The source of the script's setup cell, as jupytext gives it to a notebook."""
    cells = [cell.source for cell in jupytext.read(path).cells if cell.cell_type == 'code']
    return next(source for source in cells if 'import common' in source)


def test_every_script_starts_with_the_same_setup_cell():
    scripts = section_scripts()
    assert len(scripts) >= 20
    first = setup_cell(scripts[0])
    for path in scripts:
        assert setup_cell(path) == first, path
        assert '__file__' not in path.read_text(), f'{path}: a notebook has no __file__'


def run_setup_cell(cwd, hide_common):
    """Run the setup cell in a fresh Python in `cwd`; with `hide_common`, as on Colab (not installed)."""
    cell = setup_cell(section_scripts()[0])
    prelude = f'''
import os, shutil, sys
commands = []
def fake_system(command):  # Instead of cloning and installing: a copy of the repository's common/
    commands.append(command)
    shutil.copytree({str(REPO_ROOT / 'common')!r}, os.path.join('dl-tutorial-pytorch', 'common'))
    del sys.modules['common']  # Installed now
    return 0
os.system = fake_system
if {hide_common}:
    sys.modules['common'] = None  # As on Colab: `import common` fails
'''
    epilogue = '\nprint(commands)\nprint(common.__file__)\n'
    return subprocess.run([sys.executable, '-c', prelude + cell + epilogue], cwd=cwd, capture_output=True, text=True)


def test_on_colab_the_setup_cell_clones_installs_and_goes_on(tmp_path):
    result = run_setup_cell(tmp_path, hide_common=True)
    assert result.returncode == 0, result.stderr
    commands, common_file = result.stdout.splitlines()
    assert 'git clone -q https://github.com/' in commands and 'pip install -q -e dl-tutorial-pytorch' in commands
    assert common_file == str(tmp_path / 'dl-tutorial-pytorch' / 'common' / '__init__.py')


def test_where_common_is_installed_the_setup_cell_does_nothing_else(tmp_path):
    result = run_setup_cell(tmp_path, hide_common=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ['[]', str(REPO_ROOT / 'common' / '__init__.py')]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize('path', section_scripts(), ids=lambda path: path.name)
def test_every_script_has_a_notebook_test(path):
    """Each section's test file runs each of its scripts as a notebook: `notebooks.run('<section>/<script>', ...)`."""
    tests = ''.join(test.read_text() for test in (REPO_ROOT / 'tests').glob('test_*.py'))
    assert f"notebooks.run('{path.parent.name}/{path.name}'" in tests or \
        f"notebooks.run(f'{{SECTION}}/{path.name}'" in tests, f'no notebook test runs {path.name}'


def test_cells_run_from_the_repository_root_as_in_vs_code(notebooks, tmp_path):
    """VS Code's or PyCharm's interactive window may start in the repository root, not the script's folder:
    a script that imports the modules beside it (gd_common.py here) still runs."""
    notebook = notebooks.run('02_autograd/grad_descent.py', args=f'--out-dir {tmp_path} --max-iter 3', cwd=REPO_ROOT,
                             extra_cells=['import os; print(os.getcwd())'])
    out = notebook_text(notebook)
    assert 'Iter: 2, x = ' in out and out.splitlines()[-1] == str(REPO_ROOT)
    assert notebook_images(notebook) == 1 and (tmp_path / 'grad_descent.png').is_file()
