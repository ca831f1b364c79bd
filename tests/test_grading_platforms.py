"""Teachers (issue 36): the exercises exported for the platforms courses use, each run as the platform runs it: the
nbgrader source assignment by real nbgrader (generate_assignment, then autograde, its gradebook's points), and the
Gradescope autograder zip by its own run_autograder in Gradescope's documented folders (a temporary root).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from common.exercises import find_exercise


# The platforms --------------------------------------------------------------------------------------------------------
def solution_regions(entry):
    """The solution's code between nbgrader's marks, in order, each with its indentation."""
    return re.findall(r'\n([ \t]*)### BEGIN SOLUTION\n(.*?)\n[ \t]*### END SOLUTION',
                      entry.solution.read_text(encoding='utf-8'), re.S)


def test_the_nbgrader_assignment_has_its_solution_cells_and_its_points_in_locked_test_cells(tmp_path):
    """The export as nbgrader reads it (quick; nbgrader itself grades it in the full tier, below): per exercise a
    notebook whose answer cells hold the solution between nbgrader's marks, and one locked, autograded test cell
    with the exercise's points that calls the exercise's check."""
    from teachers.nbgrader_export import export
    written = export(tmp_path / 'course', ['retain_grad', 'convolve'], ['convolve=2'])
    assert [path.name for path in written] == ['02_retain_grad.ipynb', '02_convolve.ipynb']
    assert (tmp_path / 'course' / 'nbgrader_config.py').is_file()
    for path, (name, points) in zip(written, [('retain_grad', 1), ('convolve', 2)]):
        cells = json.loads(path.read_text(encoding='utf-8'))['cells']
        marks = [cell['metadata'].get('nbgrader', {}) for cell in cells]
        answers = [''.join(cell['source']) for cell, mark in zip(cells, marks) if mark.get('solution')]
        assert answers and all('### BEGIN SOLUTION' in source and '### END SOLUTION' in source for source in answers)
        regions = [body for _, body in solution_regions(find_exercise(name))]
        assert all(any(body in source for source in answers) for body in regions)
        tests = [(cell, mark) for cell, mark in zip(cells, marks) if mark.get('grade')]
        assert len(tests) == 1 and tests[0][1]['points'] == points and tests[0][1]['locked']
        assert f"check_exercise('{name}'" in ''.join(tests[0][0]['source'])
    assert sum(mark.get('points', 0) for path in written for mark in
               (cell['metadata'].get('nbgrader', {}) for cell in json.loads(path.read_text(encoding='utf-8'))['cells'])
               ) == 3


@pytest.mark.full  # Real nbgrader takes half a minute: the quick test above checks what it reads
def test_nbgrader_autogrades_the_exported_assignment(tmp_path):
    """Real nbgrader: the exported source assignment, `nbgrader generate_assignment`, two students' notebooks (one
    right, one with the convolution not written), `nbgrader autograde`; the points come from its gradebook."""
    pytest.importorskip('nbgrader', reason='nbgrader: pip install -r teachers/requirements.txt (CI installs it)')
    from nbgrader.api import Gradebook
    course = tmp_path / 'course'
    env = {key: value for key, value in os.environ.items() if key != 'DL_DATA_DIR'}
    env.update(PYTHONPATH=str(REPO_ROOT), PATH=os.pathsep.join([str(Path(sys.executable).parent), env['PATH']]))

    def run(*args):
        result = subprocess.run([sys.executable, *map(str, args)], cwd=course, capture_output=True, encoding='utf-8',
                                env=env, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    course.mkdir()
    run(REPO_ROOT / 'teachers' / 'nbgrader_export.py', course, '--exercises', 'retain_grad', 'convolve',
        '--points', 'convolve=2')
    run('-m', 'nbgrader', 'generate_assignment', 'dl_exercises')
    release = course / 'release' / 'dl_exercises'
    for student, right in (('ann', ('retain_grad', 'convolve')), ('ben', ('retain_grad',))):
        folder = course / 'submitted' / student / 'dl_exercises'
        folder.mkdir(parents=True)
        for name in ('retain_grad', 'convolve'):
            entry = find_exercise(name)
            notebook = json.loads((release / f'{entry.solution.stem}.ipynb').read_text(encoding='utf-8'))
            assert not any('### BEGIN SOLUTION' in ''.join(cell['source']) for cell in notebook['cells'])
            for cell in notebook['cells'] if name in right else ():
                source = ''.join(cell['source'])
                for indent, body in solution_regions(entry):
                    source = source.replace(f'{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError()', body, 1)
                cell['source'] = source
            (folder / f'{entry.solution.stem}.ipynb').write_text(json.dumps(notebook), encoding='utf-8')
    run('-m', 'nbgrader', 'autograde', 'dl_exercises')
    with Gradebook(f'sqlite:///{course / "gradebook.db"}') as gradebook:
        scores = {student: {notebook.name: notebook.score
                            for notebook in gradebook.find_submission('dl_exercises', student).notebooks}
                  for student in ('ann', 'ben')}
        assert gradebook.find_assignment('dl_exercises').max_score == 3
    assert scores == {'ann': {'02_retain_grad': 1, '02_convolve': 2}, 'ben': {'02_retain_grad': 1, '02_convolve': 0}}


def export_autograder(folder):
    """`python teachers/gradescope.py export` of two exercises, as a teacher runs it: the zip's path."""
    autograder = folder / 'autograder.zip'
    exported = subprocess.run([sys.executable, str(REPO_ROOT / 'teachers' / 'gradescope.py'), 'export', str(autograder),
                               '--exercises', 'retain_grad', 'convolve', '--points', 'convolve=2'],
                              capture_output=True, encoding='utf-8', timeout=120)
    assert exported.returncode == 0, exported.stderr
    return autograder


def test_the_gradescope_autograder_zip_has_the_documented_layout(tmp_path):
    """The autograder zip as Gradescope reads it (quick; its run_autograder runs in the full tier, below): setup.sh
    and an executable run_autograder at its root, the requirements without this repository's editable install."""
    autograder = export_autograder(tmp_path)
    with zipfile.ZipFile(autograder) as archive:
        names = set(archive.namelist())
        assert {'setup.sh', 'run_autograder', 'requirements.txt', 'teachers/gradescope.json'} <= names
        assert archive.getinfo('run_autograder').external_attr >> 16 & 0o111  # Executable
        assert '-e .' not in archive.read('requirements.txt').decode('utf-8')
        config = json.loads(archive.read('teachers/gradescope.json').decode('utf-8'))
        setup = archive.read('setup.sh').decode('utf-8')
    assert config['points'] == {'retain_grad': 1, 'convolve': 2}
    assert subprocess.run(['bash', '-n', '-c', setup]).returncode == 0


@pytest.mark.full  # Two gradings in the sandbox: the quick test above checks the zip
def test_gradescope_runs_the_exported_autograder_in_its_documented_layout(tmp_path):
    """The autograder zip (setup.sh and run_autograder at its root), unpacked into <root>/source as Gradescope does,
    run_autograder copied to <root>/, a right and a wrong submission in <root>/submission; results.json has a test
    per exercise with its score, max_score and output. <root> is $AUTOGRADER_ROOT, a temporary folder."""
    autograder = export_autograder(tmp_path)
    scores = {}
    for student, files in (('right', {'retain_grad': 'solution', 'convolve': 'solution'}),
                           ('wrong', {'retain_grad': 'exercise', 'convolve': 'solution'})):
        root = tmp_path / student
        (root / 'source').mkdir(parents=True)
        zipfile.ZipFile(autograder).extractall(root / 'source')
        shutil.copy(root / 'source' / 'run_autograder', root / 'run_autograder')
        (root / 'run_autograder').chmod(0o755)
        (root / 'submission').mkdir()
        for name, which in files.items():
            shutil.copy(getattr(find_exercise(name), which), root / 'submission')
        env = {key: value for key, value in os.environ.items() if key not in ('DL_DATA_DIR', 'PYTHONPATH')}
        result = subprocess.run([str(root / 'run_autograder')], capture_output=True, encoding='utf-8', timeout=300,
                                env=dict(env, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable))
        assert result.returncode == 0, result.stderr
        results = json.loads((root / 'results' / 'results.json').read_text(encoding='utf-8'))
        scores[student] = {test['name'].split()[0]: (test['score'], test['max_score'], test['status'])
                           for test in results['tests']}
        assert all(test['output'] for test in results['tests']) and results['output']
    assert scores == {'right': {'retain_grad': (1, 1, 'passed'), 'convolve': (2, 2, 'passed')},
                      'wrong': {'retain_grad': (0, 1, 'failed'), 'convolve': (2, 2, 'passed')}}
