"""The exercises (issue 34), each as a learner meets it: the check passes its solution (with any seed), fails the
unchanged exercise with "not started" and exit code 1 and no traceback, runs as a notebook, and the exercise's file
is what its solution file makes. The wrong answers each check catches are in tests/test_0N_exercises.py (real code,
through `assert_catches`). Then the progress command and the learner's own copies.
"""
import re
import shutil
import subprocess
import sys

import pytest
from conftest import REPO_ROOT, notebook_text, run_main

from common.exercises import (
    answer_outcomes,
    exercise_text,
    find_exercise,
    find_exercises,
    judge,
    load_exercise,
    load_file,
    make_cases,
)

EXERCISES = find_exercises()
# Challenges train: their tests are in their section's file. Told apart by their text, not by loading every solution
# at collection (seconds at each worker); test_the_check_passes_the_solution and the test below confirm each
WRITTEN = [entry for entry in EXERCISES if "kind='challenge'" not in entry.solution.read_text(encoding='utf-8')]
SEEDS = (0, 1, 2)
# Their notebooks in the quick tier: one of each section, a slide's bug (retain_grad), a challenge (beat_name2lang);
# every exercise's notebook runs in the full tier (CI)
QUICK_NOTEBOOKS = {'tensor_shape', 'retain_grad', 'losses', 'convolve', 'rnn_step', 'beat_name2lang'}


def results_of(entry, namespace, seed):
    """The check's results for the functions in `namespace`, worked out as the learner's check does."""
    exercise = load_exercise(entry)
    cases = make_cases(exercise, seed)
    expected = [exercise.expected_for(case) for case in cases]
    return judge(exercise, cases, expected, answer_outcomes(exercise, namespace, cases))


def assert_catches(name, **functions):
    """The check of exercise `name` fails an answer: the solution with `functions` in place of the learner's (a wrong
    answer a learner writes), at each of three seeds, and it does not call the answer "not started"."""
    entry = find_exercise(name)
    namespace = dict(load_file(entry.solution))
    namespace.update(functions)
    for seed in SEEDS:
        statuses = [result.status for result in results_of(entry, namespace, seed)]
        assert {'fail', 'error'} & set(statuses), f'{name}: {list(functions)} passed every check (seed {seed})'
        assert 'not started' not in statuses


def test_there_are_exercises_of_every_kind_in_every_section():
    sections = {entry.section for entry in EXERCISES}
    challenges = [entry.name for entry in EXERCISES if entry not in WRITTEN]
    assert challenges == ['beat_mnist', 'beat_name2lang']
    assert all(load_exercise(entry).kind == 'challenge' for entry in EXERCISES if entry not in WRITTEN)
    assert len({entry.name for entry in EXERCISES}) == len(EXERCISES)  # A grader finds each by its name
    assert sections <= {path.name for path in REPO_ROOT.glob('0[1-5]_*')}


@pytest.mark.parametrize('entry', WRITTEN, ids=lambda entry: entry.name)
def test_the_check_passes_the_solution(entry):
    assert load_exercise(entry).kind != 'challenge'
    namespace = load_file(entry.solution)
    for seed in SEEDS:
        results = results_of(entry, namespace, seed)
        assert results and all(result.status == 'pass' for result in results), [
            (result.line, result.detail) for result in results if result.status != 'pass']
        assert not any(result.note for result in results)  # A solution written by hand, as the exercise asks


@pytest.mark.parametrize('entry', WRITTEN, ids=lambda entry: entry.name)
def test_the_unchanged_exercise_is_not_started(entry):
    """As a learner first runs it: the "not started" line, one line per check, exit code 1, and no traceback of the
    checker (a slide's bug shows the learner's own line that fails)."""
    result = run_main(entry.exercise.relative_to(REPO_ROOT).as_posix(), '--seed', '0')
    exercise = load_exercise(entry)
    assert result.code == 1 and result.err == ''
    lines = result.out.splitlines()
    assert lines[0].startswith(f'Exercise {entry.name} (slide "{entry.slide}"): ')
    assert lines[1].startswith('not started')
    assert sum(line.startswith(('  todo ', '  FAIL ')) for line in lines) == len(make_cases(exercise, 0))
    assert 'Traceback' not in result.out and 'common/exercises.py' not in result.out
    assert 'The solution: ' in lines[-1]


@pytest.mark.parametrize('entry', EXERCISES, ids=lambda entry: entry.name)
def test_the_exercise_is_made_from_its_solution(entry):
    """The task, its check and its solution cannot drift apart: the exercise's file is what `python exercises.py
    build` makes of the solution file, which has the answer between nbgrader's marks and the check's cell."""
    solution = entry.solution.read_text(encoding='utf-8')
    assert entry.exercise.read_text(encoding='utf-8') == exercise_text(solution)
    assert '### BEGIN SOLUTION' in solution and '# %% The check' in solution
    assert entry.slide and f"common.check_exercise('{entry.name}', globals())" in solution


@pytest.mark.parametrize('entry', [pytest.param(entry, marks=() if entry.name in QUICK_NOTEBOOKS else pytest.mark.full)
                                   for entry in EXERCISES], ids=lambda entry: entry.name)
def test_the_exercise_runs_as_a_notebook(notebooks, entry, tmp_path):
    """Its cells in Jupyter (as Colab gets them): the check's lines under the last cell, and the kernel goes on. A
    challenge's cells would train for minutes: it runs with --check-only, its model looked for in an empty folder."""
    args = ['--seed', '0']
    if load_exercise(entry).kind == 'challenge':
        args += ['--check-only', '--out-dir', str(tmp_path)]
    notebook = notebooks.run(entry.exercise.relative_to(REPO_ROOT).as_posix(), args=args)
    out = notebook_text(notebook)
    assert f'Exercise {entry.name} ' in out and 'not started' in out and 'The solution: ' in out
    assert notebook_text(notebook, 'stderr') == ''


def test_a_wrong_answer_says_what_differs_and_a_right_one_passes(tmp_path):
    """The learner's three runs of the convolution exercise: not started, a wrong answer (the kernel flipped, the
    slide's sum), then the right one; each in a terminal, with its exit code."""
    exercise = (REPO_ROOT / '04_cnn_mnist/exercises/02_convolve.py').read_text(encoding='utf-8')
    stub = '    # Your answer here: then run this file, its check says what differs\n    raise NotImplementedError\n'
    flipped = ('    f = torch.cat([f.new_zeros(padding), f, f.new_zeros(padding)])\n'
               '    span = dilation * (len(g) - 1) + 1\n'
               '    return torch.stack([(f[k:k + span:dilation] * g.flip(0)).sum()\n'
               '                        for k in range(0, len(f) - span + 1, stride)])\n')
    wrong = tmp_path / 'wrong answer' / '02_convolve.py'  # A folder with a space, as on a learner's laptop
    wrong.parent.mkdir()
    wrong.write_text(exercise.replace(stub, flipped), encoding='utf-8')
    result = subprocess.run([sys.executable, str(wrong), '--seed', '5'], capture_output=True, encoding='utf-8',
                            timeout=120)
    assert result.returncode == 1 and result.stderr == ''
    assert "  ok   1. the slide's f = [1, ..., 7], g = [2, 2, 2]" in result.stdout  # The slide's kernel is symmetric
    assert "PyTorch's F.conv1d gives" in result.stdout and 'first difference at [' in result.stdout
    assert 'hint: slide "Convolution": PyTorch does not flip g' in result.stdout
    right = flipped.replace('g.flip(0)', 'g')
    wrong.write_text(exercise.replace(stub, right), encoding='utf-8')
    result = subprocess.run([sys.executable, str(wrong)], capture_output=True, encoding='utf-8', timeout=120)
    assert result.returncode == 0 and result.stdout.splitlines()[-1] == 'All 9 checks passed.'


def test_an_error_in_the_answer_shows_the_learners_lines_alone(tmp_path):
    """The traceback of the learner's own lines (here, an index past the end, reached through PyTorch's
    indexing), not the checker's."""
    answer = tmp_path / 'my_answer.py'
    answer.write_text('def convolve(f, g, padding=0, stride=1, dilation=1):\n    return f[0] + g[99]\n',
                      encoding='utf-8')
    result = results_of(find_exercise('convolve'), load_file(answer), 0)[0]
    assert result.status == 'error'
    assert result.detail.splitlines() == [f'  File "{answer}", line 2, in convolve', '    return f[0] + g[99]',
                                          'IndexError: index 99 is out of bounds for dimension 0 with size 3']


def test_pytorchs_own_function_passes_with_a_note():
    """An answer that only calls the function it is compared with passes, and the check says so once."""
    import torch.nn.functional as F
    entry = find_exercise('convolve')
    results = results_of(entry, {'convolve': lambda f, g, **setting: F.conv1d(f.view(1, 1, -1), g.view(1, 1, -1),
                                                                            **setting).view(-1)}, 0)
    assert all(result.status == 'pass' for result in results)
    assert 'it calls torch.nn.functional.conv1d: the exercise asks for it by hand' in results[0].note


def test_a_slides_bug_is_not_started_until_mended():
    """The slide's code as printed fails with its own error; the mended code passes."""
    result = run_main('02_autograd/exercises/02_retain_grad.py', '--seed', '0')
    assert "not started: analyze() is still the slide's code as printed" in result.out
    assert '    y,retain_grad()\n' in result.out and "NameError: name 'retain_grad' is not defined" in result.out


def test_progress_lists_every_exercise_in_slide_order_and_reads_the_learners_copies(tmp_path):
    """`python exercises.py copy` makes the learner's copies (never over one that is there), and `python
    exercises.py` lists each exercise's state from the copy: an update of the repository never touches them."""
    mine = tmp_path / 'my work'
    command = [sys.executable, str(REPO_ROOT / 'exercises.py')]
    copied = subprocess.run(command + ['copy', '--mine', str(mine)], capture_output=True, encoding='utf-8', timeout=60)
    assert copied.returncode == 0 and copied.stdout.startswith(f'{len(EXERCISES)} exercises copied to {mine}')
    answer = mine / '04_cnn_mnist' / '02_convolve.py'
    solution = find_exercise('convolve').solution.read_text(encoding='utf-8')
    answer.write_text(solution, encoding='utf-8')  # The learner's answer: right
    broken = mine / '02_autograd' / '02_retain_grad.py'
    broken.write_text(broken.read_text(encoding='utf-8').replace('y,retain_grad()', 'y.retain_grad()'),
                      encoding='utf-8')  # Mended half: z still has the slide's comma
    again = subprocess.run(command + ['copy', '--mine', str(mine)], capture_output=True, encoding='utf-8', timeout=60)
    assert again.stdout.startswith(f'0 exercises copied to {mine} ({len(EXERCISES)} were there already and are kept)')
    assert answer.read_text(encoding='utf-8') == solution
    listed = subprocess.run(command + ['--mine', str(mine)], capture_output=True, encoding='utf-8', timeout=300)
    assert listed.returncode == 0, listed.stderr
    rows = [line.split() for line in listed.stdout.splitlines()[1:] if line.startswith('0')]
    assert [row[0] for row in rows] == [f'{entry.section}/{entry.exercise.name}' for entry in EXERCISES]
    states = {row[0]: row[1] for row in rows}
    assert states['04_cnn_mnist/02_convolve.py'] == 'passed'
    assert states['02_autograd/02_retain_grad.py'] == 'failing'
    assert "NameError: name 'retain_grad' is not defined" in listed.stdout  # Why, on the line below
    n_others = len(EXERCISES) - 2
    assert re.fullmatch(rf'1 passed, 1 failing, {n_others} not started of {len(EXERCISES)} exercises \(\d+\.\d s\)',
                        listed.stdout.splitlines()[-1])


def test_progress_survives_an_endless_loop_and_an_exit(tmp_path):
    """A learner's answer that never returns, or ends the process, costs its own line only."""
    mine = tmp_path / 'mine'
    shutil.copytree(REPO_ROOT / '04_cnn_mnist' / 'exercises', mine / '04_cnn_mnist', ignore=shutil.ignore_patterns(
        'solutions', '__pycache__'))
    looping = mine / '04_cnn_mnist' / '02_convolve.py'
    looping.write_text(looping.read_text(encoding='utf-8').replace('    raise NotImplementedError\n',
                                                                   '    while True:\n        pass\n'),
                       encoding='utf-8')
    (mine / '02_autograd').mkdir()
    exiting = mine / '02_autograd' / '02_retain_grad.py'
    exiting.write_text('import os\nos._exit(0)\n', encoding='utf-8')
    code = ('import sys, exercises; exercises.TIMEOUT = 5; '
            f'sys.exit(exercises.main(["--mine", {str(mine)!r}]))')
    listed = subprocess.run([sys.executable, '-c', code], cwd=REPO_ROOT, capture_output=True, encoding='utf-8',
                            timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert 'its check took more than 5 s (an endless loop?)' in listed.stdout
    assert 'the answer ended the checking process' in listed.stdout


def exercises_table():
    """The README's table of exercises, as the exercises' files say it: file, slide, what the learner writes."""
    import run_all
    rows = ['| exercise | slide | what you write |', '|---|---|---|']
    for entry in find_exercises():
        script = entry.exercise.relative_to(REPO_ROOT).as_posix()
        rows.append(f'| `{script}` | {entry.slide} | {run_all.script_title(script)} |')
    return '\n'.join(rows)


def test_the_readme_lists_every_exercise_with_its_slide():
    readme = (REPO_ROOT / 'README.md').read_text(encoding='utf-8')
    table = exercises_table()
    assert table in readme, 'the README table of exercises should read:\n' + table
