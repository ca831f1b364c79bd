"""Grade a whole class's exercises in one command: a CSV of points, one feedback file per student.

    python teachers/grade.py SUBMISSIONS/                          # every exercise, 1 point each
    python teachers/grade.py SUBMISSIONS/ --exercises convolve retain_grad --points 2 retain_grad=1
    python teachers/grade.py SUBMISSIONS/ --out grades/            # (default: SUBMISSIONS-grades/ beside it)

SUBMISSIONS holds one folder or one .zip per student, named after them, as course platforms download them; inside,
each exercise's file (`02_convolve.py`, or a notebook `02_convolve.ipynb`) anywhere. It writes OUT/grades.csv (one
row per student, a column per exercise in points, a total; the second row the points possible) and
OUT/feedback/<student>.txt (what each check said). Run again after Ctrl-C: the rows written are kept, the others
graded; --restart grades everyone again.

A submission is untrusted code. The checks' inputs and PyTorch's answers are made here, from a secret seed of this
run; each submission runs in a process of its own (teachers/worker.py), in a sandbox where bubblewrap works
(teachers/sandbox.py), with a time limit per exercise and a memory limit; it gets the inputs and sends back only
what its functions return, as plain data, and this process compares that with PyTorch's answer. What a submission
prints, patches or exits with decides nothing.
"""
import argparse
import contextlib
import csv
import io
import os
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # This checkout's common and teachers, from any folder
from common.cli import DefaultsFormatter  # noqa: E402
from common.errors import UserError  # noqa: E402
from common.exercises import (  # noqa: E402
    Result,
    find_exercises,
    judge,
    load_exercise,
    make_cases,
    report,
)
from teachers.sandbox import StartError, Worker, find_sandbox, sandbox_line  # noqa: E402
from teachers.submissions import (  # noqa: E402
    SubmissionError,
    answer_files,
    copy_submission,
    find_submissions,
    student_order,
)

TIME_LIMIT = 10           # Seconds per exercise (an answer of the exercises takes well under one)
CHALLENGE_TIME_LIMIT = 120  # Seconds per challenge (its checkpoint evaluated on the test split)
MEMORY_LIMIT_GB = 2.0     # Memory per submission's process, beyond PyTorch's own
MAX_VALUES = 2_000_000    # Items (tensor elements, list items) in what one exercise may send back
CSV_NAME, FEEDBACK = 'grades.csv', 'feedback'
POSSIBLE = 'points possible'


# The exercises, on the checker's side ---------------------------------------------------------------------------------
@dataclass
class Prepared:
    """An exercise as this run grades it: its cases (from the run's secret seed) and PyTorch's answer to each, made
    here before any submission runs, and its points."""
    entry: object
    exercise: object
    cases: list
    expected: list
    points: float
    time_limit: float


def select_exercises(names, entries):
    """The exercises named (an exercise's name, or a section's folder for all of its own), in slide order."""
    if not names:
        return entries
    known = {entry.name for entry in entries} | {entry.section for entry in entries}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UserError(f"no exercise is called {', '.join(unknown)} (there are: "
                        f"{', '.join(entry.name for entry in entries)}; or a section, e.g. {entries[0].section})")
    return [entry for entry in entries if entry.name in names or entry.section in names]


def parse_points(items, entries):
    """--points: 'N' for every exercise, 'NAME=N' for one; returns {name: points}."""
    points = {entry.name: 1.0 for entry in entries}
    for item in items or ():
        name, _, value = item.rpartition('=')
        try:
            number = float(value)
        except ValueError:
            raise UserError(f"--points {item}: '{value}' is not a number (give N, or NAME=N)") from None
        if number < 0 or number != number:
            raise UserError(f'--points {item}: points are a number >= 0')
        if name and name not in points:
            raise UserError(f"--points {item}: no exercise '{name}' is graded (they are: {', '.join(points)})")
        for key in ([name] if name else points):
            points[key] = number
    return points


def prepare(entries, points, seed, inputs, time_limit, challenge_time_limit):
    """Load each exercise, make its cases from `seed` and PyTorch's answer to each; write the cases' inputs (plain
    args and kwargs, never the answers) to `inputs`/<name>.pt for the submissions' processes."""
    import torch
    prepared = []
    for entry in entries:
        try:
            exercise = load_exercise(entry)
            cases = make_cases(exercise, seed)
            expected = [exercise.expected_for(case) for case in cases]
        except (UserError, OSError, RuntimeError) as error:  # E.g. a challenge's test data missing here
            raise UserError(f'{entry.name} cannot be graded here: {error} (leave it out with --exercises)') from None
        sent = [{'label': case.label, 'args': tuple(case.args), 'kwargs': dict(case.kwargs), 'hint': case.hint,
                 'function': case.function} for case in cases]
        try:
            torch.save(sent, inputs / f'{entry.name}.pt')
        except Exception as error:  # noqa: BLE001 (inputs that are not data: an exercise to mend)
            raise UserError(f"{entry.name} cannot be graded: its cases' inputs cannot be saved ({error})") from None
        limit = challenge_time_limit if exercise.kind == 'challenge' else time_limit
        prepared.append(Prepared(entry, exercise, cases, expected, points[entry.name], limit))
    return prepared


# What came back, judged here ------------------------------------------------------------------------------------------
def plain_enough(value, limit=MAX_VALUES, max_depth=40):
    """True when `value` (loaded with weights_only=True) is small plain data: at most `limit` items and tensor
    elements (counted each time they are reached, so shared parts and cycles count), at most `max_depth` deep."""
    import torch
    stack, budget = [(value, 0)], limit
    while stack:
        item, depth = stack.pop()
        budget -= 1
        if budget < 0 or depth > max_depth:
            return False
        if isinstance(item, torch.Tensor):
            budget -= item.numel()
            if budget < 0 or item.layout != torch.strided:
                return False
        elif isinstance(item, (list, tuple)):
            stack += [(child, depth + 1) for child in item]
        elif isinstance(item, dict):
            stack += [(child, depth + 1) for pair in item.items() for child in pair]
        elif not (item is None or isinstance(item, (bool, int, float, complex, str, torch.dtype))):
            return False
    return True


def load_outcomes(data, n_cases):
    """The outcomes a submission sent, loaded safely (`torch.load(weights_only=True)`: data, never code), or the
    line that says why they cannot count."""
    import torch
    try:
        payload = torch.load(io.BytesIO(data), weights_only=True, map_location='cpu')
    except Exception:  # noqa: BLE001 (an object of its own class, a pickle that runs code: refused)
        return None, 'what your code gave back is not plain data (tensors, numbers, lists): it cannot be graded'
    if not (isinstance(payload, dict) and isinstance(payload.get('outcomes'), list) and plain_enough(payload)):
        return None, 'what your code gave back is not plain data of a size the checks take: it cannot be graded'
    outcomes = payload['outcomes'][:n_cases]
    outcomes += [{'error': 'the answer gave nothing back for this check', 'not_started': False}] * (
        n_cases - len(outcomes))
    notes = [str(note)[:500] for note in payload.get('notes', []) if isinstance(note, str)][:20]
    return {'outcomes': outcomes, 'not_started': payload.get('not_started') is True, 'notes': notes}, None


def judged(prepared, outcomes):
    """Each case's result: the learner's outcome against PyTorch's answer, compared here, one case at a time (a
    value that the comparison cannot take fails its case, and only that)."""
    results = []
    for case, want, outcome in zip(prepared.cases, prepared.expected, outcomes):
        try:
            results += judge(prepared.exercise, [case], [want], [outcome])
        except Exception as error:  # noqa: BLE001
            results.append(Result('error', case.label, f'what your code gave back cannot be compared with '
                                                       f'{prepared.exercise.reference}: {type(error).__name__}'))
    return results


@dataclass
class Graded:
    """One exercise of one student: points, whether every check passed, and the feedback's lines."""
    points: float
    passed: bool
    state: str
    text: str


def grade_exercise(prepared, worker, file, seed):
    """Run the student's file for one exercise in their worker, judge what came back; return `Graded`."""
    entry, exercise = prepared.entry, prepared.exercise
    heading = f'{entry.name} (slide "{entry.slide}"), {file.as_posix()}'
    status, detail, data = worker.ask(entry.name, file, prepared.time_limit)
    if status != 'answered':
        return Graded(0, False, 'failing', f'{heading}: 0 of {prepared.points:g} points: {detail}\n')
    payload, why = load_outcomes(data, len(prepared.cases))
    if payload is None:
        return Graded(0, False, 'failing', f'{heading}: 0 of {prepared.points:g} points: {why}\n')
    results = judged(prepared, payload['outcomes'])
    passed = bool(results) and all(result.status == 'pass' for result in results)
    stale = payload['not_started'] or all(result.status == 'not started' for result in results)
    lines = io.StringIO()  # Not contextlib.redirect_stdout: that swaps sys.stdout for every thread of the grader
    report(entry, exercise, prepared.cases, results, seed, stale and not passed, file=lines)
    points = prepared.points if passed else 0
    state = 'passed' if passed else 'not started' if stale else 'failing'
    notes = ''.join(f'  note: {note}\n' for note in payload['notes'])
    return Graded(points, passed, state, f'{heading}: {points:g} of {prepared.points:g} points ({state})\n' + notes
                  + re.sub(r'(?m)^(?=.)', '  ', lines.getvalue()))


@dataclass
class StudentResult:
    student: str
    graded: dict = field(default_factory=dict)   # {exercise name: Graded}
    notes: list = field(default_factory=list)
    error: str = ''                               # Not graded at all: why
    seconds: float = 0.0

    @property
    def total(self):
        return sum(graded.points for graded in self.graded.values())


def grade_student(submission, prepared, run):
    """Grade one student's submission: copy it, find each exercise's file, run them in one worker, judge."""
    start = time.monotonic()
    result = StudentResult(submission.student)
    folder = Path(tempfile.mkdtemp(prefix='student-', dir=run.temporary))
    worker = None
    try:
        files_folder = copy_submission(submission, folder / 'files')
        result.notes += submission.notes
        files = answer_files(files_folder, [item.entry for item in prepared])
        worker = Worker(files_folder, run.inputs, run.bwrap, run.hidden, run.memory_limit, live=run.live,
                        stopping=run.stopping)
        for item in prepared:
            if run.stopping.is_set():
                raise KeyboardInterrupt
            name = item.entry.name
            if name not in files:
                wanted = item.entry.exercise.name
                result.graded[name] = Graded(0, False, 'missing', (
                    f'{name} (slide "{item.entry.slide}"): 0 of {item.points:g} points: no file for it (looked for '
                    f'{wanted} or {Path(wanted).stem}.ipynb, or {name}.py, anywhere in the submission)\n'))
                continue
            file, note = files[name]
            if note:
                result.notes.append(note)
            result.graded[name] = grade_exercise(item, worker, file, run.seed)
    except SubmissionError as error:
        result.error = str(error)
    except StartError as error:
        result.error = str(error)
    finally:
        if worker is not None:
            worker.stop()
        shutil.rmtree(folder, ignore_errors=True)
    result.seconds = time.monotonic() - start
    return result


# The grades and the feedback ------------------------------------------------------------------------------------------
def number(value):
    return f'{value:g}'


class GradeBook:
    """OUT/grades.csv: a header (student, the exercises, total), the points possible, one row per student; written
    whole and atomically after each student, so it is never half-written, and read back to resume."""

    def __init__(self, path, prepared, restart):
        self.path = Path(path)
        self.header = ['student'] + [item.entry.name for item in prepared] + ['total']
        self.possible = [POSSIBLE] + [number(item.points) for item in prepared] + [
            number(sum(item.points for item in prepared))]
        self.rows = {}
        if self.path.is_file() and not restart:
            self.read()

    def read(self):
        with open(self.path, encoding='utf-8-sig', newline='') as file:
            rows = list(csv.reader(file))
        if rows[:2] != [self.header, self.possible]:
            raise UserError(f"{self.path} holds the grades of other exercises or points ({', '.join(rows[0][1:-1])} "
                            'with its points): give --restart to grade everyone again, or another --out')
        self.rows = {row[0]: row for row in rows[2:] if len(row) == len(self.header)}

    def add(self, result, prepared):
        self.rows[result.student] = [result.student] + [number(result.graded[item.entry.name].points)
                                                        for item in prepared] + [number(result.total)]
        self.write()

    def write(self):
        from common.files import write_atomically
        text = io.StringIO()
        writer = csv.writer(text, lineterminator='\n')
        students = sorted(self.rows, key=student_order)  # Whatever the case: ann, Ben, Zoé (not Ben, Zoé, ann)
        writer.writerows([self.header, self.possible] + [self.rows[name] for name in students])
        write_atomically(self.path, lambda file: file.write(text.getvalue().encode('utf-8-sig')))


def feedback_text(result, prepared, sandbox_note):
    """A student's feedback: their points, how their submission was read, then what each exercise's checks said."""
    possible = sum(item.points for item in prepared)
    lines = [f'Feedback for {result.student}: {number(result.total)} of {number(possible)} points, '
             f'{sum(graded.passed for graded in result.graded.values())} of {len(prepared)} exercises passed.',
             'Each exercise was checked on the slide\'s numbers and on random inputs that nobody saw before; run your '
             'file with the --seed below to see the same checks.']
    lines += [f'note: {note}' for note in result.notes]
    if sandbox_note:
        lines.append(f'note: {sandbox_note}')
    text = '\n'.join(lines) + '\n\n'
    return text + '\n'.join(result.graded[item.entry.name].text for item in prepared)


def write_feedback(folder, result, prepared, sandbox_note):
    from common.files import write_atomically
    text = feedback_text(result, prepared, sandbox_note) if not result.error else (
        f'Feedback for {result.student}: not graded: {result.error}\n')
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', '_', result.student) + '.txt'
    write_atomically(Path(folder) / name, lambda file: file.write(text.encode('utf-8')))


# The run --------------------------------------------------------------------------------------------------------------
@dataclass
class Run:
    """What every student's grading shares: the seed, the inputs' folder, the sandbox and the limits."""
    seed: int
    temporary: Path
    inputs: Path
    bwrap: object
    hidden: list
    memory_limit: int
    live: set = field(default_factory=set)
    stopping: threading.Event = field(default_factory=threading.Event)


def summary_lines(prepared, book):
    """How many students in the grades (this run's and those kept from before) passed each exercise, in slide
    order: every point of it."""
    width = max(len(item.entry.name) for item in prepared)
    lines = [f'{"exercise":<{width}}  passed  slide']
    for column, item in enumerate(prepared, start=1):
        passed = sum(float(row[column]) == item.points for row in book.rows.values())
        lines.append(f'{item.entry.name:<{width}}  {passed:>3}/{len(book.rows):<3} {item.entry.slide}')
    return lines


@contextlib.contextmanager
def grading_run(entries, points, time_limit=TIME_LIMIT, challenge_time_limit=CHALLENGE_TIME_LIMIT,
                memory_gb=MEMORY_LIMIT_GB, use_sandbox=True, hidden=()):
    """A run of grading: the sandbox (or the line that says there is none), a secret seed, the exercises prepared
    from it (their inputs written for the submissions' processes); yields (prepared, run, the sandbox's line) and
    removes the run's temporary folder at its end (Ctrl-C too)."""
    bwrap, no_sandbox = find_sandbox(use_sandbox)
    temporary = Path(tempfile.mkdtemp(prefix='dl-grade-'))
    try:
        inputs = temporary / 'inputs'
        inputs.mkdir()
        seed = secrets.randbits(48)  # Secret: the random inputs are new to every submission's code
        prepared = prepare(entries, points, seed, inputs, time_limit, challenge_time_limit)
        run = Run(seed, temporary, inputs, bwrap, [*hidden, temporary, Path.home()], int(memory_gb * 2**30))
        yield prepared, run, sandbox_line(bwrap) if bwrap else no_sandbox
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def grade_class(submissions_folder, out, names=(), points=(), time_limit=TIME_LIMIT,
                challenge_time_limit=CHALLENGE_TIME_LIMIT, memory_gb=MEMORY_LIMIT_GB, jobs=None, restart=False,
                use_sandbox=True, print=print):
    """Grade every submission in `submissions_folder` into `out`/grades.csv and `out`/feedback/; return the number of
    submissions that could not be graded (a broken zip, ...)."""
    submissions_folder, out = Path(submissions_folder).resolve(), Path(out).resolve()
    if not submissions_folder.is_dir():
        raise UserError(f"'{submissions_folder}' is not a folder of submissions (one folder or .zip per student)")
    entries = select_exercises(names, find_exercises())
    points_of = parse_points(points, entries)
    submissions, left_out = find_submissions(submissions_folder)
    jobs = jobs or max(1, min(4, os.cpu_count() or 1))
    with grading_run(entries, points_of, time_limit, challenge_time_limit, memory_gb, use_sandbox,
                     [submissions_folder, out]) as (prepared, run, sandbox_note):
        book = GradeBook(out / CSV_NAME, prepared, restart)
        kept = [submission for submission in submissions if submission.student in book.rows]
        todo = [submission for submission in submissions if submission.student not in book.rows]
        total = sum(item.points for item in prepared)
        print(f'Grading {len(todo)} submissions in {submissions_folder} ({len(prepared)} exercises, {total:g} points; '
              f'{time_limit:g} s per exercise, {memory_gb:g} GB of memory each; {jobs} at a time)'
              + (f'; {len(kept)} graded before are kept (--restart grades them again)' if kept else ''))
        print(sandbox_note)
        for line in left_out:
            print(line)
        _, failed = grade_all(todo, prepared, run, book, out / FEEDBACK, None if run.bwrap else sandbox_note,
                                    jobs, print)
    if book.rows:
        print('\n'.join(summary_lines(prepared, book)))
    print(f'{len(book.rows)} students in {out / CSV_NAME}, their feedback in {out / FEEDBACK}'
          + (f'; not graded: {"; ".join(f"{result.student}: {result.error}" for result in failed)}' if failed else ''))
    return len(failed)


def grade_all(todo, prepared, run, book, feedback, sandbox_note, jobs, print):
    """Grade the submissions `jobs` at a time; after each, its feedback and its row (the CSV rewritten whole)."""
    results, failed = [], []
    possible = sum(item.points for item in prepared)
    executor = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = [executor.submit(grade_student, submission, prepared, run) for submission in todo]
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            write_feedback(feedback, result, prepared, sandbox_note)
            if result.error:
                failed.append(result)
                print(f'[{done:>{len(str(len(todo)))}}/{len(todo)}] {result.student}: not graded: {result.error}')
                continue
            book.add(result, prepared)
            results.append(result)
            passed = sum(graded.passed for graded in result.graded.values())
            print(f'[{done:>{len(str(len(todo)))}}/{len(todo)}] {result.student}: {number(result.total)} of '
                  f'{number(possible)} points, {passed} of {len(prepared)} exercises passed ({result.seconds:.1f} s)')
    except BaseException:  # Ctrl-C: stop every submission's process; the rows written are kept
        run.stopping.set()
        for future in futures if 'futures' in locals() else ():
            future.cancel()
        for worker in list(run.live):
            worker.stop()
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return results, failed


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='grade.py', description="Grade a class's exercises: a CSV of points and one feedback file per student.",
        formatter_class=DefaultsFormatter)
    parser.add_argument('submissions', type=Path, help='the folder with one folder or .zip per student')
    parser.add_argument('--out', type=Path, default=None,
                        help='where grades.csv and feedback/ go (default: SUBMISSIONS-grades beside SUBMISSIONS)')
    parser.add_argument('--exercises', nargs='+', metavar='NAME', default=None,
                        help="the exercises to grade, by name or section (default: every one)")
    parser.add_argument('--points', nargs='+', metavar='N|NAME=N', default=None,
                        help='points per exercise: N for each, NAME=N for one (default: 1 each)')
    parser.add_argument('--time-limit', type=float, default=TIME_LIMIT, help='seconds per exercise')
    parser.add_argument('--challenge-time-limit', type=float, default=CHALLENGE_TIME_LIMIT,
                        help='seconds per challenge (a checkpoint evaluated on the test split)')
    parser.add_argument('--memory-limit', type=float, default=MEMORY_LIMIT_GB, metavar='GB',
                        help="memory of each submission's process beyond PyTorch's own")
    parser.add_argument('--jobs', type=int, default=None, help='submissions graded at a time (default: the cores, '
                                                               'at most 4)')
    parser.add_argument('--restart', action='store_true', help='grade everyone again (default: keep the rows '
                                                               'written before)')
    parser.add_argument('--no-sandbox', action='store_true', help='run the submissions without bubblewrap (the '
                                                                  'process, time and memory limits stay)')
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # Students' names in any letters, on any console
        if hasattr(stream, 'reconfigure'):
            stream.reconfigure(errors='replace')
    for name, value in (('--time-limit', args.time_limit), ('--challenge-time-limit', args.challenge_time_limit),
                        ('--memory-limit', args.memory_limit)):
        if not value > 0:
            parser.error(f'{name} must be a positive number')
    out = args.out or args.submissions.resolve().parent / f'{args.submissions.resolve().name}-grades'
    try:
        failed = grade_class(args.submissions, out, args.exercises, args.points, args.time_limit,
                             args.challenge_time_limit, args.memory_limit, args.jobs, args.restart,
                             not args.no_sandbox)
    except UserError as error:
        print(f'error: {error}', file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f'interrupted: the students graded so far are kept in {out / CSV_NAME}; run the same command again to '
              'grade the others', file=sys.stderr)
        return 130
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
