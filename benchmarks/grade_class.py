"""Benchmark: teachers/grade.py on a class of 30 over every exercise, timed (issue 36: <= 3 minutes on 2 cores).

It makes the class first (in a temporary folder, or --keep DIR): a third of the students right (the solution files,
in the repository's layout), a third partly right (every other exercise right, the others as the exercise gives
them), a third broken in the ways a grader must survive, one way each: an endless loop, a huge allocation, a printed
"PASSED" with the checker and torch.nn.functional patched, sys.exit(0) (and os._exit(0), the process gone), a file
outside its folder removed and another student's file read, a syntax error in a cell, notebooks (.ipynb), files in
Latin-1, a zip with a nested folder, and a broken zip. Then it grades the class
as a teacher does (every exercise, a sandbox where bubblewrap works, the default limits) and prints the time, the
machine and its load, whether the right third got every point, and whether the file outside the submissions that a
student tried to remove is still there.

    python benchmarks/grade_class.py --data-dir ../shared/data   # 30 students, graded 3 times
    python benchmarks/grade_class.py --repeat 1      # once
    python benchmarks/grade_class.py --keep class/   # and keep the class (class/submissions, class/grades)

A challenge is graded by evaluating the checkpoint that its file loads: a right challenge's submission has the
solution's file and the checkpoint files that results/ holds for it (train the lesson's challenge first); without
one, its right students lose that challenge's points, and the benchmark says so.
"""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # This checkout's common and teachers
from common.cli import DefaultsFormatter  # noqa: E402
from common.exercises import exercise_text, find_exercises, load_exercise  # noqa: E402
from common.machine import describe_machine  # noqa: E402
from common.paths import REPO_ROOT  # noqa: E402
from teachers.grade import grade_class  # noqa: E402
from teachers.sandbox import CPU_USED  # noqa: E402

BUDGET = 180  # Seconds: issue 36, a class of 30 with every exercise on a 2-core CPU
HOSTILE = ['loop', 'memory', 'patched', 'exit', 'escape', 'syntax', 'notebook', 'latin1', 'nested_zip', 'broken_zip']
CELLS = {
    'loop': '# %% Forever\nwhile True:\n    pass\n',
    'memory': '# %% 50 GB, 256 MB at a time, every page written\nhoard = [bytearray(2**28) for _ in range(200)]\n',
    'patched': ("# %% The checker and PyTorch patched, and what a passing check prints\nprint('PASSED')\n"
                'import common.exercises as checker\n'
                "checker.judge = lambda exercise, cases, expected, outcomes: [checker.Result('pass', case.label) "
                'for case in cases]\nchecker.difference = lambda *args, **kwargs: None\n'
                'import torch\nimport torch.nn.functional as F\nF.conv1d = F.max_pool1d = F.softmax = F.relu = '
                'torch.sigmoid = torch.tanh = lambda *args, **kwargs: args[0]\n'),
    'exit': "# %% Done, says the file\nimport sys\nprint('All checks passed.')\nsys.exit(0)\n",
    'os_exit': '# %% Gone\nimport os\nos._exit(0)\n',
    'escape': ('# %% Out of its folder: a file of the grader\'s removed\nimport os\nos.remove({outside!r})\n\n'
               "# %% Another student's file read\nstolen = open({other!r}, encoding='utf-8').read()\n"),
    'syntax': "# %% Notes, unfinished\nprint('the output size is (n + 2p - k) / s + 1'\n",
}


def checkpoints(entry):
    """The files results/ holds for a challenge (its trained checkpoint), named after the exercise."""
    folder = REPO_ROOT / 'results'
    key = entry.name.replace('_', '')
    return sorted(path for path in folder.rglob('*') if path.is_file() and key in path.name.replace('_', '')
                  ) if folder.is_dir() else []


def with_cell(text, cell, first=True):
    """A file's text with one more cell: after its setup cell (first), or before its last cell."""
    marker = '\n# %% Imports' if first and '\n# %% Imports' in text else '\n# %% Check your answer'
    index = text.find(marker)
    return text + '\n' + cell if index < 0 else text[:index] + '\n\n' + cell + text[index:]


def notebook(text):
    """A file of `# %%` cells as the notebook Jupyter saves (one code cell each)."""
    cells = [part for part in ('\n' + text).split('\n# %%') if part.strip()]
    return json.dumps({'cells': [{'cell_type': 'code', 'execution_count': None, 'id': f'c{number}', 'metadata': {},
                                  'outputs': [], 'source': ('# %%' + part).splitlines(keepends=True)}
                                 for number, part in enumerate(cells)],
                       'metadata': {'kernelspec': {'name': 'python3', 'display_name': 'Python 3',
                                                   'language': 'python'}}, 'nbformat': 4, 'nbformat_minor': 5})


def write(folder, entry, text, suffix='.py', encoding='utf-8'):
    path = folder / entry.section / (Path(entry.exercise.name).stem + suffix)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding, errors='replace'))


def make_class(folder, n_students, entries, outside):
    """Write the class: {student: its kind}; right and partial students in the repository's layout; the escaping
    student removes `outside` (a file outside the submissions) and reads the first student's files."""
    folder.mkdir(parents=True)
    right = {entry.name: entry.solution.read_text(encoding='utf-8') for entry in entries}
    given = {entry.name: exercise_text(right[entry.name]) for entry in entries}
    kinds, third = {}, n_students // 3
    for number in range(n_students):
        kind = 'right' if number < third else 'partial' if number < 2 * third else HOSTILE[(number - 2 * third)
                                                                                            % len(HOSTILE)]
        student = folder / f'student{number + 1:02d}'
        kinds[student.name] = kind
        if kind == 'broken_zip':
            (folder / f'{student.name}.zip').write_bytes(b'PK\x03\x04 cut short by a failed download')
            continue
        for index, entry in enumerate(entries):
            text = right[entry.name]
            if kind == 'partial' and (index + number) % 2:
                text = given[entry.name]
            elif kind in ('loop', 'memory') and index == 0 or kind in ('patched', 'exit'):
                cell = CELLS['os_exit' if kind == 'exit' and index == 0 else kind]
                text = with_cell(given[entry.name] if kind != 'memory' else text, cell)
            elif kind == 'syntax':
                text = with_cell(text, CELLS[kind])
            elif kind == 'escape':
                other = folder / 'student01' / entry.section / entry.exercise.name
                text = with_cell(text, CELLS[kind].format(outside=str(outside), other=str(other)))
            if kind == 'notebook':
                write(student, entry, notebook(text), '.ipynb')
            else:
                latin1 = kind == 'latin1'
                write(student, entry, text.replace('"""', '"""  # Écrit par Zoé', 1) if latin1 else text,
                      encoding='latin-1' if latin1 else 'utf-8')
            if kind in ('right', 'partial', 'nested_zip') and load_exercise(entry).kind == 'challenge':
                for path in checkpoints(entry):
                    shutil.copy(path, student / entry.section / path.name)
        if kind == 'nested_zip':
            shutil.make_archive(str(student), 'zip', folder, student.name)
            shutil.rmtree(student)
            with zipfile.ZipFile(f'{student}.zip') as archive:  # A zip of the folder: nested inside it
                assert all(name.startswith(f'{student.name}/') for name in archive.namelist())
    return kinds


def cpu_seconds():
    """CPU time (user + system) of the grading: this process's, its children's, and what each submission's worker
    said it used (it counts its exercises' processes; bwrap's process namespace hides them from this one); None
    where `resource` is missing (Windows). On a loaded machine it says what a wall-clock time cannot: the work
    itself, which 2 idle cores do in about half as many seconds (bwrap's own start is not in it)."""
    try:
        import resource
    except ImportError:
        return None
    return CPU_USED['seconds'] + sum(usage.ru_utime + usage.ru_stime for usage in (
        resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                     formatter_class=DefaultsFormatter)
    parser.add_argument('--students', type=int, default=30, help='students in the class')
    parser.add_argument('--repeat', type=int, default=3, help='gradings of the class, each timed')
    parser.add_argument('--jobs', type=int, default=None, help='submissions at a time (default: the cores, at most 4)')
    parser.add_argument('--keep', type=Path, default=None, help='keep the class and its grades in this folder')
    parser.add_argument('--data-dir', type=Path, default=None,
                        help="the challenges' test splits: MNIST and the names (default: $DL_DATA_DIR, else data/)")
    args = parser.parse_args(argv)
    if args.data_dir is not None:  # The grader reads the challenges' test splits from there (common.resolve_data_dir)
        os.environ['DL_DATA_DIR'] = str(args.data_dir.resolve())
    entries = find_exercises()
    root = args.keep or Path(tempfile.mkdtemp(prefix='grade-class-'))
    if args.keep and root.exists():
        shutil.rmtree(root)
    outside = root / 'grader-file.txt'  # Outside the submissions: the escaping student tries to remove it
    kinds = make_class(root / 'submissions', args.students, entries, outside)
    challenges = [entry for entry in entries if load_exercise(entry).kind == 'challenge']
    print(describe_machine())
    print(f'{args.students} students ({sum(kind == "right" for kind in kinds.values())} right, '
          f'{sum(kind == "partial" for kind in kinds.values())} partly right, the others broken: '
          f'{", ".join(sorted(set(kinds.values()) - {"right", "partial"}))}), {len(entries)} exercises '
          f'({len(challenges)} challenges)')
    for entry in challenges:
        if not checkpoints(entry):
            print(f'note: no checkpoint in results/ for the challenge {entry.name}: its right students lose it')
    times, loads = [], []
    try:
        for attempt in range(1, args.repeat + 1):
            load = os.getloadavg()[0] if hasattr(os, 'getloadavg') else float('nan')
            outside.write_text('a file of the grader\'s\n', encoding='utf-8')
            start, cpu = time.perf_counter(), cpu_seconds()
            grade_class(root / 'submissions', root / 'grades', jobs=args.jobs, restart=True)
            times.append(time.perf_counter() - start)
            loads.append((load, os.getloadavg()[0] if hasattr(os, 'getloadavg') else float('nan')))
            used = '' if cpu is None else f'; {cpu_seconds() - cpu:.1f} s of CPU time, grader and submissions'
            print(f'grading {attempt} of {args.repeat}: {times[-1]:.1f} s for {args.students} students '
                  f'(load average {loads[-1][0]:.1f} before, {loads[-1][1]:.1f} after, on {os.cpu_count()} cores'
                  f'{used})')
        rows = (root / 'grades' / 'grades.csv').read_text(encoding='utf-8-sig').splitlines()
        possible = rows[1].split(',')[-1]
        right = [row.split(',') for row in rows[2:] if kinds.get(row.split(',')[0]) == 'right']
        full = sum(row[-1] == possible for row in right)
        print(f'the right third: {full} of {len(right)} got every point ({possible}); the file outside the '
              f'submissions: ' + ('still there' if outside.is_file() else 'REMOVED by a student'))
        print(f'{args.students} students, {len(entries)} exercises: {statistics.median(times):.1f} s (median of '
              f'{len(times)}: {", ".join(f"{seconds:.1f}" for seconds in times)} s), budget {BUDGET} s: '
              + ('within it' if max(times) <= BUDGET else 'OVER IT'))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
