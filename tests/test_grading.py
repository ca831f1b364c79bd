"""Teachers (issue 36): grading a class's exercises with teachers/grade.py, as a teacher runs it, on the hostile
submissions of tests/submissions/ (real files: one folder per student, as a course platform downloads them), each
with the grade it must get; without a sandbox; the resume after Ctrl-C; a teacher's own exercise. The nbgrader and
Gradescope exports: tests/test_grading_platforms.py.

The two exercises of the framework (retain_grad, convolve) keep these tests cheap; benchmarks/grade_class.py grades
30 students over every exercise.
"""
import csv
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from conftest import REPO_ROOT
from test_site import is_a_title

from common.exercises import find_exercise, find_exercises
from teachers.grade import GradeBook, Graded, Prepared, StudentResult, judged, load_outcomes
from teachers.sandbox import bwrap_command, find_sandbox

GRADE = REPO_ROOT / 'teachers' / 'grade.py'
SUBMISSIONS = REPO_ROOT / 'tests' / 'submissions'
BWRAP, NO_SANDBOX = find_sandbox()
needs_bwrap = pytest.mark.skipif(BWRAP is None, reason=f'a bubblewrap sandbox: {NO_SANDBOX}')
TWO = ['--exercises', 'retain_grad', 'convolve']  # Of every exercise there is: the hostile files answer these
LIMITS = ['--time-limit', '4', '--memory-limit', '0.3']  # The endless loop costs 4 s; 300 MB fill within 4 s
# Each student's points (retain_grad 1 point, convolve 2) and a line their feedback says about each exercise
EXPECTED = {
    'right': ({'retain_grad': 1, 'convolve': 2}, ['All 4 checks passed.', 'All 9 checks passed.']),
    'nested': ({'retain_grad': 1, 'convolve': 2}, ['nested-hw/02_autograd/02_retain_grad.py: 1 of 1 points']),
    'loop_and_memory': ({'retain_grad': 0, 'convolve': 0}, [
        'convolve (slide "Convolution"), 02_convolve.py: 0 of 2 points: it took more than 4 s (an endless loop?)',
        "can't allocate memory", 'analyze is not defined: cell 5 (line 13) stopped with MemoryError']),
    'printed_and_atexit': ({'retain_grad': 0, 'convolve': 0}, [
        "PyTorch's F.conv1d gives [12, 18, 24, 30, 36], yours [0, 0, 0, 0, 0]",
        "NameError: name 'retain_grad' is not defined"]),
    'patched': ({'retain_grad': 0, 'convolve': 0}, [
        "PyTorch's F.conv1d gives", "NameError: name 'retain_grad' is not defined"]),
    'exits': ({'retain_grad': 0, 'convolve': 0}, [
        'cell 2 (line 3) stopped with SystemExit: 0',
        '0 of 1 points: the answer ended its process with exit code 0 before giving anything back']),
    'vandal_and_thief': ({'retain_grad': 0, 'convolve': 2}, ['All 9 checks passed.',
                                                             'analyze is not written yet (NotImplementedError)']),
    'bomb_and_crash': ({'retain_grad': 0, 'convolve': 0}, [
        'what your code gave back is not plain data (tensors, numbers, lists): it cannot be graded',
        'the answer ended its process by signal 11 (a crash) before giving anything back']),
    'syntax_error': ({'retain_grad': 0, 'convolve': 2}, [
        'cell 4 (line 9) does not compile, so it was skipped: SyntaxError at line',  # Its words: Python's own
        'All 9 checks passed.', 'analyze is not defined: cell 4 (line 10) does not compile, so it was skipped']),
    'notebook_and_latin1': ({'retain_grad': 1, 'convolve': 2}, [
        '02_retain_grad.py is not UTF-8: read as Latin-1 (Windows-1252) (save it as UTF-8)',
        '02_convolve.ipynb is a notebook: its code cells were graded']),
}


def make_class(root, students=None):
    """The class's folder as a teacher downloads it, in `root`/class-of-2026: tests/submissions' students (or those
    named), a right one (the solution files), a zip with a nested folder, the broken zip; the teacher's own notes
    beside it (a file no submission may touch)."""
    folder = root / 'class-of-2026'
    shutil.copytree(SUBMISSIONS, folder, ignore=None if students is None else (
        lambda path, names: [name for name in names if Path(path) == SUBMISSIONS and name not in students]))
    if students is None or 'right' in students:
        (folder / 'right').mkdir()
        for name in ('retain_grad', 'convolve'):
            shutil.copy(find_exercise(name).solution, folder / 'right')
    if students is None or 'nested' in students:
        with zipfile.ZipFile(folder / 'nested.zip', 'w') as archive:
            for name in ('retain_grad', 'convolve'):
                entry = find_exercise(name)
                archive.write(entry.solution, f'nested-hw/{entry.section}/{entry.solution.name}')
    (root / 'teacher_notes.txt').write_text('the exam questions\n', encoding='utf-8')
    return folder


def grade(*args, cwd, env=None, timeout=300):
    """`python teachers/grade.py args...` as a teacher runs it, from `cwd`."""
    full_env = {key: value for key, value in os.environ.items() if key not in ('DL_DATA_DIR', 'PYTHONPATH')}
    return subprocess.run([sys.executable, str(GRADE), *map(str, args)], cwd=cwd, capture_output=True, encoding='utf-8',
                          timeout=timeout, env=dict(full_env, **(env or {})))


def read_grades(path):
    with open(path, encoding='utf-8-sig', newline='') as file:
        return list(csv.reader(file))


def fingerprint(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob('*'))
            if path.is_file()}


@needs_bwrap
def test_hostile_submissions_get_the_grades_they_deserve(tmp_path):
    """Every hostile submission, in the sandbox: its grade, what its feedback says, the run goes on past each, and
    nothing outside a submission's own copy changes (the class's folder, the teacher's notes, the repository)."""
    classes = make_class(tmp_path)
    before = fingerprint(tmp_path)
    result = grade(classes, *TWO, '--points', 'convolve=2', *LIMITS, '--jobs', '2', cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # One submission could not be graded: the broken zip
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f'Grading 11 submissions in {classes} (2 exercises, 3 points; 4 s per exercise')
    assert lines[1].startswith('sandbox: bubblewrap')
    assert sum(bool(re.match(r'\[\s*\d+/11\] ', line)) for line in lines) == 11  # One line per student
    assert 'broken: not graded: the zip cannot be read (BadZipFile' in result.stdout
    rows = read_grades(tmp_path / 'class-of-2026-grades' / 'grades.csv')
    assert rows[:2] == [['student', 'retain_grad', 'convolve', 'total'], ['points possible', '1', '2', '3']]
    got = {row[0]: {'retain_grad': float(row[1]), 'convolve': float(row[2])} for row in rows[2:]}
    assert got == {student: points for student, (points, _) in EXPECTED.items()}
    assert all(float(row[3]) == float(row[1]) + float(row[2]) for row in rows[2:])
    feedback = tmp_path / 'class-of-2026-grades' / 'feedback'
    for student, (_, said) in EXPECTED.items():
        text = (feedback / f'{student}.txt').read_text(encoding='utf-8')
        for line in said:
            assert line in text, (student, line, text)
    assert 'not graded: the zip cannot be read' in (feedback / 'broken.txt').read_text(encoding='utf-8')
    summary = result.stdout[result.stdout.index('exercise  '):]
    assert re.search(r'retain_grad\s+3/10 ', summary) and re.search(r'convolve\s+5/10 ', summary)
    after = fingerprint(tmp_path)
    assert {name: data for name, data in after.items() if not name.startswith('class-of-2026-grades/')} == before
    assert not (tmp_path / 'PWNED_BY_PICKLE').exists()  # The grader loaded the bomb with weights_only=True
    assert not (REPO_ROOT / 'hacked.txt').exists() and not (REPO_ROOT / 'results' / 'hacked.txt').exists()


def test_without_a_sandbox_the_limits_still_hold(tmp_path):
    """--no-sandbox (as on macOS and Windows: no fork either, DL_GRADE_NO_FORK=1): one line says so before grading,
    and the endless loop, the huge allocation and the exits still cost only their own exercise."""
    classes = make_class(tmp_path, ['loop_and_memory', 'exits', 'right'])
    result = grade(classes, *TWO, '--no-sandbox', '--points', 'convolve=2', *LIMITS, '--jobs', '2', cwd=tmp_path,
                   env={'DL_GRADE_NO_FORK': '1'})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith('no sandbox (--no-sandbox): each submission still runs in a '
                                                    'process of its own with its time and memory limits')
    rows = read_grades(tmp_path / 'class-of-2026-grades' / 'grades.csv')
    assert rows[2:] == [['exits', '0', '0', '0'], ['loop_and_memory', '0', '0', '0'], ['right', '1', '2', '3']]
    text = (tmp_path / 'class-of-2026-grades' / 'feedback' / 'loop_and_memory.txt').read_text(encoding='utf-8')
    assert 'it took more than 4 s (an endless loop?)' in text and 'MemoryError' in text
    assert 'note: no sandbox (--no-sandbox)' in text


@pytest.mark.full  # Three gradings, about 20 s: test_the_grades_list_the_students_by_name_whatever_the_case shows the
def test_ctrl_c_keeps_the_rows_written_and_the_next_run_resumes(tmp_path):  # rows written whole, quickly
    """Ctrl-C after the first student: the CSV holds that row, whole; the same command again grades the others and
    keeps it; --restart would grade everyone again."""
    classes = tmp_path / 'class'
    for student in ('ann', 'ben', 'cho'):
        (classes / student).mkdir(parents=True)
        shutil.copy(find_exercise('retain_grad').solution, classes / student)
    command = [sys.executable, str(GRADE), str(classes), '--exercises', 'retain_grad', '--jobs', '1']
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding='utf-8')
    first = ''
    while not first.startswith('[1/3]'):
        first = process.stdout.readline()
        assert first or process.poll() is None, process.stderr.read()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130 and err.startswith('interrupted: the students graded so far are kept in ')
    grades = tmp_path / 'class-grades'
    rows = read_grades(grades / 'grades.csv')
    assert rows[:3] == [['student', 'retain_grad', 'total'], ['points possible', '1', '1'], ['ann', '1', '1']]
    assert len(rows) in (3, 4) and not list(grades.glob('.*.tmp'))  # Whole rows, no file half-written
    again = grade(classes, '--exercises', 'retain_grad', '--jobs', '1', cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert 'graded before are kept' in again.stdout.splitlines()[0]
    assert read_grades(grades / 'grades.csv')[2:] == [['ann', '1', '1'], ['ben', '1', '1'], ['cho', '1', '1']]
    assert re.search(r'retain_grad\s+3/3 ', again.stdout)  # The summary counts the kept rows too
    other = grade(classes, '--exercises', 'retain_grad', 'convolve', cwd=tmp_path)
    assert other.returncode == 1 and 'holds the grades of other exercises or points' in other.stderr


def test_the_grades_list_the_students_by_name_whatever_the_case(tmp_path):
    """The CSV's rows in the order a teacher's file manager lists the class (ann, Ben, Zoé), whatever order the
    students were graded in; each row rewritten whole."""
    prepared = [SimpleNamespace(entry=SimpleNamespace(name='convolve'), points=2)]
    book = GradeBook(tmp_path / 'grades.csv', prepared, restart=False)
    for student, points in (('Zoé', 2), ('ann', 0), ('Ben', 2)):
        book.add(StudentResult(student, {'convolve': Graded(points, points == 2, '', '')}), prepared)
    assert read_grades(tmp_path / 'grades.csv') == [['student', 'convolve', 'total'], ['points possible', '2', '2'],
                                                    ['ann', '0', '0'], ['Ben', '2', '2'], ['Zoé', '2', '2']]


def test_what_comes_back_is_refused_unless_it_is_small_plain_data():
    """The grader's side of the channel, on what a submission's process could send instead of its answers: a
    billion laughs (a list of itself, twice, 60 deep: 2^60 items), a list that holds itself, a tensor of 10^12
    elements over one number, an object of a class of its own; each costs its exercise, and only its own."""
    entry = find_exercise('convolve')
    laughs = [1.0]
    for _ in range(60):
        laughs = [laughs, laughs]
    cycle = []
    cycle.append(cycle)
    huge = torch.zeros(1).expand(10**12)
    for sent in (laughs, cycle, huge, [laughs]):
        buffer = io.BytesIO()
        torch.save({'outcomes': [{'value': sent, 'by_hand': []}], 'not_started': False, 'notes': []}, buffer)
        payload, why = load_outcomes(buffer.getvalue(), 9)
        assert payload is None and 'not plain data' in why
    buffer = io.BytesIO()
    torch.save({'outcomes': [{'value': torch.ones(3)}], 'notes': ['a note']}, buffer)  # Fewer outcomes than cases
    payload, why = load_outcomes(buffer.getvalue(), 2)
    assert why is None and payload['outcomes'][1]['error'] == 'the answer gave nothing back for this check'
    from common.exercises import load_exercise, make_cases
    exercise = load_exercise(entry)
    cases = make_cases(exercise, 0)[:2]
    prepared = Prepared(entry, exercise, cases, [exercise.expected_for(case) for case in cases], 1, 1)
    results = judged(prepared, [{'value': {'a': torch.ones(2)}}, {'value': 'text'}])
    assert [result.status for result in results] == ['fail', 'fail']



def test_a_feedback_is_written_into_its_own_file_and_never_swaps_the_graders_output(monkeypatch):
    """The grader judges two submissions at a time, in threads: each check's lines go into that student's feedback
    alone. (contextlib.redirect_stdout in one thread once swapped sys.stdout for the others, and every later line
    of the grader, the progress and the summary, went into a feedback nobody read.)"""
    from common.exercises import Result, load_exercise, make_cases, report
    entry = find_exercise('convolve')
    exercise = load_exercise(entry)
    cases = make_cases(exercise, 0)
    graders_output = io.StringIO()
    monkeypatch.setattr(sys, 'stdout', graders_output)
    feedback = io.StringIO()
    report(entry, exercise, cases, [Result('pass', case.label) for case in cases], 0, file=feedback)
    assert sys.stdout is graders_output and graders_output.getvalue() == ''
    assert feedback.getvalue().startswith('Exercise convolve (slide "Convolution")')
    assert feedback.getvalue().endswith(f'All {len(cases)} checks passed.\n')

def test_the_sandbox_hides_the_submissions_and_grades_inside_the_repository(tmp_path):
    """A teacher who keeps SUBMISSIONS/ and its grades inside the repository: the sandbox mounts an empty read-only
    folder over each (and over results/, data/, my_exercises/), so a submission sees neither."""
    inside = [REPO_ROOT / 'tests', REPO_ROOT / 'tests' / 'conftest.py']
    command = ' '.join(bwrap_command('/usr/bin/bwrap', tmp_path, tmp_path, inside, ['true']))
    tests, conftest = REPO_ROOT / 'tests', REPO_ROOT / 'tests' / 'conftest.py'
    assert f'--ro-bind {REPO_ROOT} {REPO_ROOT} ' in command
    assert f'--tmpfs {tests} --remount-ro {tests} ' in command and f'--ro-bind {os.devnull} {conftest} ' in command
    assert command.index(f'--tmpfs {tests}') > command.index(f'--ro-bind {REPO_ROOT} ')  # Over the repository
    assert '--unshare-net' in command and f' {Path.home()} ' not in command


# A teacher's own exercise ---------------------------------------------------------------------------------------------
def copy_repository(target):
    """This checkout's files (not its outputs, data or git) in `target`: a clone a teacher changes."""
    shutil.copytree(REPO_ROOT, target, ignore=shutil.ignore_patterns(
        '.git', 'results', '__pycache__', 'node_modules', 'build', 'my_exercises', '.pytest_cache', '.ruff_cache',
        'MNIST', 'names'))  # Not 'site': docs/site/ is the site's source
    return target


@pytest.mark.full  # A copy of the repository and five commands, about 20 s: `exercises.py build --check` in CI and
def test_a_teachers_own_exercise_joins_the_progress_command_the_grader_and_the_site(tmp_path):  # the tests above
    """README's teacher section: the example teachers/examples/90_softplus.py copied to 03_nn_iris/exercises/
    solutions/, then `python exercises.py build`; its solution passes its own check, the progress command lists it,
    the grader grades it, run_all.section_scripts() has its learner's file, and the site puts its page after
    its slide's with a title as tests/test_site.py wants."""
    assert 'softplus' not in {entry.name for entry in find_exercises()}, 'rename the example: its name is taken'
    repo = copy_repository(tmp_path / 'repo')
    solutions = repo / '03_nn_iris' / 'exercises' / 'solutions'
    solutions.mkdir(parents=True, exist_ok=True)
    shutil.copy(repo / 'teachers' / 'examples' / '90_softplus.py', solutions / '90_softplus.py')
    env = {key: value for key, value in os.environ.items() if key not in ('DL_DATA_DIR', 'PYTHONPATH')}
    env['PYTHONPATH'] = str(repo)  # That clone's common (as `pip install -e .` there would have it)

    def python(*args, timeout=300):
        return subprocess.run([sys.executable, *map(str, args)], cwd=repo, capture_output=True, encoding='utf-8',
                              env=env, timeout=timeout)

    built = python('exercises.py', 'build')
    assert built.returncode == 0 and 'made 03_nn_iris/exercises/90_softplus.py' in built.stdout
    assert python(solutions / '90_softplus.py').stdout.splitlines()[-1] == 'All 8 checks passed.'
    listed = python('exercises.py')
    assert re.search(r'03_nn_iris/90_softplus\.py\s+not started\s+Visualizing Activation Functions', listed.stdout)
    scripts = python('-c', 'import run_all; print([(p.relative_to(run_all.REPO_ROOT).as_posix(), run_all.'
                           'script_kind(p.relative_to(run_all.REPO_ROOT))) for p in run_all.section_scripts()])')
    assert "('03_nn_iris/exercises/90_softplus.py', 'exercise')" in scripts.stdout
    site = python('-c', "import sys; sys.path.insert(0, 'docs'); import build_site, run_all; pages = [page for page, "
                        "_, _ in build_site.pages_in_slide_order()]; i = pages.index('03_nn_iris/exercises/90_softplus"
                        ".py'); print(pages[i - 1]); print(run_all.script_title(pages[i]))")
    after, title = site.stdout.splitlines()  # Its site page after its slide's, titled as test_site.py wants
    # After its slide's page and the exercise already placed there (02_activations, of the same slide)
    assert after == '03_nn_iris/exercises/02_activations.py' and is_a_title(title), (site.stdout, site.stderr)
    classes = tmp_path / 'class'
    (classes / 'ann').mkdir(parents=True)
    (classes / 'ben').mkdir()
    shutil.copy(solutions / '90_softplus.py', classes / 'ann')
    wrong = (repo / '03_nn_iris/exercises/90_softplus.py').read_text(encoding='utf-8').replace(
        '    # Your answer here: then run this file, its check says what differs\n    raise NotImplementedError',
        '    return torch.log(torch.exp(x))', 1)  # softplus without its 1 +
    (classes / 'ben' / '90_softplus.py').write_text(wrong, encoding='utf-8')
    graded = python('teachers/grade.py', classes, '--exercises', 'softplus', '--points', '5')
    assert graded.returncode == 0, graded.stderr
    assert read_grades(tmp_path / 'class-grades' / 'grades.csv')[1:] == [
        ['points possible', '5', '5'], ['ann', '5', '5'], ['ben', '0', '0']]
