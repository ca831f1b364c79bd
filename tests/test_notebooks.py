"""What every section script shares as a notebook: its first cell and its cells.

Each section's tests run its scripts as notebooks (the `notebooks` fixture of conftest.py); this file
checks the first cell, which says in one line how to install the repository where `common` cannot be imported.
"""
import subprocess
import sys

import jupytext
import pytest
from conftest import REPO_ROOT, notebook_images, notebook_text, venv_python

SECTIONS = sorted(REPO_ROOT.glob('0[1-5]_*'))
SETUP_MARK = '# %% Setup:'


def section_scripts():
    """The scripts of the sections (they start with the setup cell); the other files are modules beside them. An
    exercise's solution file is its source, run by tests/test_exercises.py."""
    return sorted(path for section in SECTIONS for path in section.rglob('*.py')
                  if SETUP_MARK in path.read_text(encoding='utf-8') and path.parent.name != 'solutions')


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
        assert '__file__' not in path.read_text(encoding='utf-8'), f'{path}: a notebook has no __file__'


def test_without_the_install_a_script_ends_in_one_line(tmp_path):
    """A Python that cannot import `common` (pip install -r requirements.txt not run, or a Jupyter kernel of another
    environment): the script says what is missing, which Python runs, and the fix, in one line; exit code 1."""
    bare = tmp_path / 'bare'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(bare)], check=True)
    python = venv_python(bare)  # bin/python; Windows: Scripts\python.exe
    result = subprocess.run([str(python), '-I', str(REPO_ROOT / '01_tensors' / 'create_tensor.py')], cwd=tmp_path,
                            capture_output=True, encoding='utf-8', timeout=60)
    assert result.returncode == 1 and result.stdout == ''
    assert result.stderr.count('\n') == 1 and 'Traceback' not in result.stderr
    assert "No module named 'common'" in result.stderr and str(python) in result.stderr
    assert 'pip install -r requirements.txt' in result.stderr and '%pip install -r' in result.stderr
    assert list(tmp_path.iterdir()) == [bare]  # Nothing cloned, nothing written


@pytest.mark.parametrize('path', section_scripts(), ids=lambda path: path.name)
def test_every_script_has_a_notebook_test(path):
    """Each section's test file runs each of its scripts as a notebook: `notebooks.run('<section>/<script>', ...)`;
    tests/test_exercises.py runs every exercise as one (`find_exercises()`)."""
    if path.parent.name == 'exercises':
        from common.exercises import find_exercises
        assert path in [entry.exercise for entry in find_exercises()], f'{path} is made by no solution file'
        return
    tests = ''.join(test.read_text(encoding='utf-8') for test in (REPO_ROOT / 'tests').glob('test_*.py'))
    section = next(section for section in SECTIONS if section in path.parents)
    name = path.relative_to(section).as_posix()  # e.g. further/draw_digit.py
    assert f"notebooks.run('{section.name}/{name}'" in tests or \
        f"notebooks.run(f'{{SECTION}}/{name}'" in tests, f'no notebook test runs {name}'


def test_cells_run_from_the_repository_root_as_in_vs_code(notebooks, tmp_path):
    """VS Code's or PyCharm's interactive window may start in the repository root, not the script's folder:
    a script still runs there (its paths come from common.REPO_ROOT, not from the working folder)."""
    notebook = notebooks.run('02_autograd/grad_descent.py', args=['--out-dir', tmp_path, '--max-iter', '3'],
                             cwd=REPO_ROOT, extra_cells=['import os; print(os.getcwd())'])
    out = notebook_text(notebook)
    assert 'Iter: 2, x = ' in out and out.splitlines()[-1] == str(REPO_ROOT)
    assert notebook_images(notebook) == 1 and (tmp_path / 'grad_descent.png').is_file()
