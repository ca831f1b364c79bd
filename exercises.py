"""The exercises: every one in slide order with its state (passed, not started, failing and why).

    python exercises.py                 # your progress: each exercise, its slide and its state
    python exercises.py copy            # your own copies in my_exercises/ (git ignores it: updates never touch it)
    python exercises.py build           # teachers: make each exercise's file from its solution file
    python exercises.py build --check   # ... or only say which files are not what their solution files make

An exercise's file is `0N_*/exercises/NN_name.py`: write your answer where it says, then run it (a terminal, or its
cells in Jupyter, VS Code or Colab); its last cell checks the answer against PyTorch. Your answers stay yours
through `git pull` when you work in your own copies: `python exercises.py copy` copies every exercise to
`my_exercises/<section>/` (never over a file that is there already: run it again after an update to get new
exercises), and this list reads your copy where there is one. Each exercise's solution, its check and its task are
one file, `0N_*/exercises/solutions/NN_name.py`; the exercise's file is made from it (`build`).
"""
import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # This checkout's common, from any folder
from common.exercises import MY_EXERCISES, exercise_text, find_exercises  # noqa: E402
from common.paths import REPO_ROOT  # noqa: E402

TIMEOUT = 60  # Seconds one exercise's check may take in the list (an endless loop is stopped, and said so)


def mine(entry, folder):
    """The learner's own copy of the exercise: `folder`/<section>/<file> (folder: my_exercises/)."""
    return Path(folder) / entry.section / entry.exercise.name


def answer_file(entry, folder):
    """The file whose answer counts: the learner's copy in `folder` where there is one, else the exercise's."""
    return mine(entry, folder) if mine(entry, folder).is_file() else entry.exercise


def build(check_only):
    """Make (or, with check_only, compare) each exercise's file from its solution file; return the stale ones."""
    stale = []
    for entry in find_exercises():
        text = exercise_text(entry.solution.read_text(encoding='utf-8'))
        current = entry.exercise.read_text(encoding='utf-8') if entry.exercise.is_file() else None
        if current != text:
            stale.append(entry.exercise)
            if not check_only:
                entry.exercise.write_text(text, encoding='utf-8', newline='\n')
                print(f'made {entry.exercise.relative_to(REPO_ROOT).as_posix()}')
    return stale


def copy(folder):
    """Copy each exercise into `folder`/<section>/, never over a copy that is there; say what was copied."""
    entries, copied = find_exercises(), 0
    for entry in entries:
        if mine(entry, folder).exists():
            continue
        mine(entry, folder).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(entry.exercise, mine(entry, folder))
        copied += 1
    kept = len(entries) - copied
    print(f'{copied} exercises copied to {folder}' + (f' ({kept} were there already and are kept)' if kept else ''))
    print(f'Write your answers there and run them, e.g. python {mine(entries[0], folder)}')


def worker():
    """The checks, in a process of their own: read an exercise's name and file per line, write its state as JSON.
    What the answers print goes nowhere: the states go out on a copy of stdout made before any answer runs."""
    import torch  # noqa: F401 (before 'ready': a check's time is its own)

    from common.exercises import (
        answer_outcomes,
        find_exercise,
        given_functions,
        judge,
        load_exercise,
        load_file,
        make_cases,
        not_started,
    )
    states = os.fdopen(os.dup(sys.stdout.fileno()), 'w', encoding='utf-8')
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, sys.stdout.fileno())
    os.dup2(quiet, sys.stderr.fileno())
    print(json.dumps('ready'), file=states, flush=True)  # PyTorch imported: the time of each check starts now
    for line in sys.stdin:
        name, path = json.loads(line)
        entry = find_exercise(name)
        exercise = load_exercise(entry)
        cases = make_cases(exercise, seed=int.from_bytes(os.urandom(4), 'little'))
        try:
            namespace = load_file(path)
        except BaseException as error:  # noqa: B036 (a syntax error, sys.exit() at the top: the file's state)
            state = {'state': 'failing', 'why': f'the file does not run: {type(error).__name__}: {error}'}
        else:
            stale = not_started(exercise, namespace, given_functions(entry))
            if stale:  # Still as the exercise gives it: nothing to check yet
                state = {'state': 'not started', 'why': ''}
            else:
                expected = [exercise.expected_for(case) for case in cases]
                state = summary(stale, judge(exercise, cases, expected, answer_outcomes(exercise, namespace, cases)))
        print(json.dumps(state), file=states, flush=True)


def summary(stale, results):
    """An exercise's state from its checks' results: passed, not started, or failing with the first check that fails."""
    n_passed = sum(result.status == 'pass' for result in results)
    if n_passed == len(results):
        return {'state': 'passed', 'why': f'{n_passed} of {len(results)} checks'}
    if stale or all(result.status == 'not started' for result in results):
        return {'state': 'not started', 'why': ''}
    first = next(result for result in results if result.status != 'pass')
    why = first.detail.strip().splitlines()[-1] if first.detail else first.status
    return {'state': 'failing', 'why': f'{n_passed} of {len(results)} checks pass; {first.line}: {why}'}


class Checker:
    """A worker process that checks one exercise after another; stopped and started again after a timeout."""

    def __init__(self):
        self.process = None

    def start(self):
        env = dict(os.environ, MPLBACKEND='Agg', PYTHONIOENCODING='utf-8')
        self.process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), '--worker'], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding='utf-8',
                                        cwd=REPO_ROOT)
        self.lines = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.process.stdout], daemon=True).start()
        self.lines.get(timeout=300)  # 'ready'

    def check(self, entry, path):
        if self.process is None or self.process.poll() is not None:
            self.start()
        self.process.stdin.write(json.dumps([entry.name, str(path)]) + '\n')
        self.process.stdin.flush()
        deadline = time.time() + TIMEOUT
        while True:
            try:
                return json.loads(self.lines.get(timeout=0.1))
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    self.stop()
                    return {'state': 'failing', 'why': 'the answer ended the checking process'}
                if time.time() > deadline:
                    self.stop()
                    return {'state': 'failing', 'why': f'its check took more than {TIMEOUT} s (an endless loop?)'}

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def progress(folder):
    """Print every exercise in slide order: section, file, slide and state (of the learner's copy in `folder` where
    there is one); return the number not passed."""
    entries = find_exercises()
    checker, start, counts = Checker(), time.time(), {}
    width = max(len(f'{entry.section}/{entry.exercise.name}') for entry in entries)
    print(f'{"exercise":<{width}}  {"state":<11}  slide')
    try:
        for entry in entries:
            path = answer_file(entry, folder)
            state = checker.check(entry, path)
            counts[state['state']] = counts.get(state['state'], 0) + 1
            yours = ' (your copy)' if path != entry.exercise else ''
            print(f'{entry.section + "/" + entry.exercise.name:<{width}}  {state["state"]:<11}  {entry.slide}{yours}')
            if state['state'] == 'failing':
                print(f'    {state["why"]}')
    finally:
        checker.stop()
    print(', '.join(f'{counts.get(state, 0)} {state}' for state in ('passed', 'failing', 'not started'))
          + f' of {len(entries)} exercises ({time.time() - start:.1f} s)')
    if not Path(folder).is_dir():
        print('To keep your answers through updates, work in your own copies: python exercises.py copy')
    return len(entries) - counts.get('passed', 0)


def main(argv=None):
    parser = argparse.ArgumentParser(description='Every exercise in slide order with its state (passed, not started, '
                                                 'failing and why).')
    parser.add_argument('command', nargs='?', choices=['progress', 'copy', 'build'], default='progress',
                        help='progress (default): the list; copy: your own copies in my_exercises/; build: make the '
                             "exercises' files from their solution files")
    parser.add_argument('--check', action='store_true', help='with build: only say which files are stale')
    parser.add_argument('--mine', type=Path, default=MY_EXERCISES, help='the folder of your own copies')
    parser.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker()
    if args.command == 'copy':
        return copy(args.mine)
    if args.command == 'build':
        stale = build(args.check)
        if args.check and stale:
            print('not made from their solution files (run python exercises.py build): '
                  + ', '.join(path.relative_to(REPO_ROOT).as_posix() for path in stale))
            return 1
        return 0
    progress(args.mine)
    return 0


if __name__ == '__main__':
    sys.exit(main())
