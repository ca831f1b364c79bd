"""Exercises: the learner writes a slide's formula or mends a slide's bug, and the check answers on the spot.

An exercise is one file, `0N_*/exercises/solutions/NN_name.py`: its docstring is the task (it names the slide), its
answer cells hold the solution between `### BEGIN SOLUTION` and `### END SOLUTION` (nbgrader's marks), a cell
`# %% The check` defines `EXERCISE = Exercise(...)` (the inputs, PyTorch's answer, the tolerance), and its last cell
calls `check_exercise(name, globals())`. The learner's file `0N_*/exercises/NN_name.py` is made from it by
`exercise_text` (`python exercises.py build`): each solution becomes `raise NotImplementedError` (or, after a
`### BEGIN SLIDE CODE` mark, the slide's code as printed, commented in the solution), and the check's cell is left
out. So the task, its check and its solution cannot drift apart.

A check has two sides, so that a grader can keep them in two processes (teachers/grade.py): the checker's side makes
the inputs (`Exercise.cases`, random ones from a seed, and the slide's numbers) and PyTorch's answer for each
(`Exercise.expected`); the answer's side runs the learner's code on the inputs (`answer_outcomes`); the checker
compares (`judge`). Nothing the answer prints or patches decides a result: only what it returns.
"""
import ast
import builtins
import contextlib
import functools
import importlib
import importlib.util
import math
import os
import re
import sys
import textwrap
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .paths import REPO_ROOT

BEGIN, END = '### BEGIN SOLUTION', '### END SOLUTION'
BEGIN_SLIDE, END_SLIDE = '### BEGIN SLIDE CODE', '### END SLIDE CODE'
CHECK_CELL = '# %% The check'      # The solution file's cell that defines EXERCISE (not in the learner's file)
STUB = ('# Your answer here: then run this file, its check says what differs', 'raise NotImplementedError')
SOLUTIONS = '0[1-5]_*/exercises/solutions/[0-9]*.py'
MY_EXERCISES = REPO_ROOT / 'my_exercises'  # The learner's own copies (git-ignored): `python exercises.py copy`
_loading = []                      # Non-empty while a file is loaded for its functions: its check does not run


# The exercise, as its solution file defines it ---------------------------------------------------------------------
@dataclass
class Case:
    """One check: the inputs given to the learner's function, what they are in words, and where to look if it fails."""
    label: str                      # e.g. "the slide's numbers" or "random f of 9, g of 4 (float64)"
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    hint: str = ''                  # the slide's step to look at
    function: str = ''              # which of the exercise's functions (default: its first)


@dataclass
class Exercise:
    """How an exercise is checked: `answer` names the function(s) the learner writes; `cases(generator)` makes the
    checks (random inputs from the generator, and the slide's numbers); `expected(*args, **kwargs)` is PyTorch's
    answer to one case (a dict {function: callable} where there are several functions); `run(namespace, case)`,
    when given, says what the learner's code gives for a case (default: the function called on the case's inputs);
    `by_hand` names the PyTorch functions that an answer "by hand" should not call (a note, never a failure)."""
    answer: Any                     # 'convolve' or ('sigmoid', 'sigmoid_grad')
    cases: Callable
    expected: Any
    reference: str = "PyTorch"      # what `expected` is, in the lines: "PyTorch's F.conv1d"
    run: Callable = None
    by_hand: tuple = ()
    atol: float = 1e-8
    rtol: float = 1e-6
    compare: Callable = None        # compare(expected, got) -> None or what differs, or (passed, what it says); default
                                    # `difference`
    kind: str = 'formula'           # 'formula' (write the slide's formula), 'bug' (mend the slide's code), 'challenge'
    describe: Callable = None       # describe(expected, got) -> a line on how the answer did, passed or not (a
                                    # challenge: its accuracy beside the lesson's)
    show_values: bool = True        # False: a failing check says only what differs, not both whole answers (a
                                    # figure's labels in several views, thousands of predictions)
    # A challenge (the learner trains a model; the check measures it): `compare` returns (passed, text), the text
    # said passed or not (e.g. the accuracy against the lesson's); `parser()`, when given, is the file's command line
    # (its own options, e.g. --train and --data-dir, and --seed): the check parses it instead of --seed alone and
    # gives what it parsed to `cases(generator, options)` (options None where nothing was parsed: a grader's)
    parser: Callable = None

    @property
    def functions(self):
        return (self.answer,) if isinstance(self.answer, str) else tuple(self.answer)

    def expected_for(self, case):
        """PyTorch's answer (or the slide's) to `case`, worked out here on the checker's side."""
        function = case.function or self.functions[0]
        expected = self.expected[function] if isinstance(self.expected, dict) else self.expected
        return expected(*clone(case.args), **clone(case.kwargs))


# Exercises in the repository ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """Where an exercise lives: its name ('convolve'), section ('04_cnn_mnist'), solution and learner's files."""
    name: str
    section: str
    solution: Path
    exercise: Path

    @property
    def slide(self):
        return slide_of(docstring_of(self.solution))


def exercise_name(path):
    """The name of the exercise in `path`: its file name without the number, `02_convolve.py` -> 'convolve'."""
    return re.sub(r'^\d+[a-z]?_', '', Path(path).stem)


def find_exercises(root=REPO_ROOT):
    """Every exercise of the sections, in slide order (by section, then by the number of its file)."""
    entries = []
    for solution in sorted(Path(root).glob(SOLUTIONS)):
        section = solution.relative_to(root).parts[0]
        entries.append(Entry(exercise_name(solution), section, solution, solution.parent.parent / solution.name))
    return entries


def find_exercise(name, root=REPO_ROOT):
    """The exercise called `name`; an unknown name raises `UserError` naming the known ones."""
    from .errors import UserError
    entries = find_exercises(root)
    for entry in entries:
        if entry.name == name:
            return entry
    raise UserError(f"no exercise is called '{name}' (there are: {', '.join(entry.name for entry in entries)})")


def docstring_of(path):
    return ast.get_docstring(ast.parse(Path(path).read_text(encoding='utf-8'))) or ''


def slide_of(text):
    """The slide a docstring names first: `Slide "Practice) Convolution" ...` -> 'Convolution'."""
    match = re.search(r'Slides? "(?:Practice\) )?([^"]+)"', text)
    return match.group(1) if match else ''


@contextlib.contextmanager
def loading():
    """While a file is loaded for its functions (by the checker, the grader, `python exercises.py`), its last cell's
    `check_exercise` does nothing."""
    _loading.append(True)
    try:
        yield
    finally:
        _loading.pop()


def load_file(path, module_name=None):
    """Run the file at `path` as a module, its check cell skipped; return its namespace (a dict). An error in the
    file (a syntax error, an exception at its top level) is raised as it is."""
    path = Path(path)
    name = module_name or f'_exercise_{re.sub(r"[^0-9a-zA-Z_]", "_", path.stem)}'
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    with loading():
        spec.loader.exec_module(module)
    return vars(module)


def load_exercise(entry):
    """The `Exercise` that `entry`'s solution file defines."""
    exercise = load_file(entry.solution, f'_solution_{entry.name}').get('EXERCISE')
    if not isinstance(exercise, Exercise):
        raise RuntimeError(f'{entry.solution} defines no EXERCISE = Exercise(...) in its "{CHECK_CELL}" cell')
    return exercise


# The learner's file, made from the solution file -------------------------------------------------------------------
def exercise_text(solution_text):
    """The learner's file made from a solution file's text: each solution between BEGIN and END SOLUTION replaced by
    the slide's code that follows it (BEGIN and END SLIDE CODE, commented there) or else by `STUB`, and the
    check's cell (`# %% The check ...`, up to the next cell) left out."""
    out, lines, index = [], solution_text.splitlines(), 0
    while index < len(lines):
        line, stripped = lines[index], lines[index].strip()
        if line.startswith(CHECK_CELL):
            index += 1
            while index < len(lines) and not lines[index].startswith('# %%'):
                index += 1
            continue
        if stripped == BEGIN:
            indent = line[:len(line) - len(line.lstrip())]
            end = next(i for i in range(index, len(lines)) if lines[i].strip() == END)
            after = end + 1
            if after < len(lines) and lines[after].strip() == BEGIN_SLIDE:
                slide_end = next(i for i in range(after, len(lines)) if lines[i].strip() == END_SLIDE)
                out += [uncomment(given, indent) for given in lines[after + 1:slide_end]]
                index = slide_end + 1
            else:
                out += [indent + stub for stub in STUB]
                index = after
            continue
        out.append(line)
        index += 1
    return '\n'.join(out).rstrip('\n') + '\n'


def uncomment(line, indent):
    """A line of the slide's code as the solution file keeps it (`<indent># code`) as the learner gets it."""
    body = line[len(indent):] if line.startswith(indent) else line.lstrip()
    given = indent + (body[2:] if body.startswith('# ') else body[1:] if body.startswith('#') else body)
    return given.rstrip()  # A blank line of the slide's code (kept as `#`) stays blank


def given_functions(entry):
    """The answer functions as the learner's file gives them, by name: their AST, to tell an answer not yet started."""
    tree = ast.parse(exercise_text(entry.solution.read_text(encoding='utf-8')))
    return {node.name: ast.dump(node) for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def source_ast(function):
    """The AST of a function's or class's source, or None where its source cannot be read (made by exec, say)."""
    import inspect
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return class_ast(function) if isinstance(function, type) else None
    return ast.dump(tree.body[0]) if tree.body else None


def class_ast(cls):
    """The AST of a class whose source `inspect` cannot find (a notebook's cell, before Python 3.13): the class
    statement around one of its methods, in the cell that linecache keeps for the method; None if there is none."""
    import linecache
    for member in vars(cls).values():
        code = getattr(member, '__code__', None)
        if code is None:
            continue
        try:
            tree = ast.parse(''.join(linecache.getlines(code.co_filename)))
        except (SyntaxError, ValueError):
            return None
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name == cls.__name__ and \
                    node.lineno <= code.co_firstlineno <= node.end_lineno:
                return ast.dump(node)
    return None


# The answer's side: what the learner's code gives ------------------------------------------------------------------
def clone(value):
    """A copy of the inputs (tensors cloned), so that an answer that changes its inputs changes nothing else."""
    import torch
    if torch.is_tensor(value):
        return value.clone()
    if isinstance(value, (list, tuple)):
        return type(value)(clone(item) for item in value)
    if isinstance(value, dict):
        return {key: clone(item) for key, item in value.items()}
    return value


@contextlib.contextmanager
def watching(names):
    """Count the calls of the functions named (e.g. 'torch.nn.functional.conv1d') while the block runs."""
    calls, patched = {}, []
    for name in names:
        module_name, attribute = name.rsplit('.', 1)
        try:
            owner = importlib.import_module(module_name)
        except ImportError:  # 'torch.Tensor.unfold': a class's method
            parent, cls = module_name.rsplit('.', 1)
            owner = getattr(importlib.import_module(parent), cls)
        original = getattr(owner, attribute)

        def counted(*args, _original=original, _name=name, **kwargs):
            calls[_name] = calls.get(_name, 0) + 1
            return _original(*args, **kwargs)
        setattr(owner, attribute, counted)
        patched.append((owner, attribute, original))
    try:
        yield calls
    finally:
        for owner, attribute, original in reversed(patched):
            setattr(owner, attribute, original)


def learner_traceback(error, files):
    """The learner's error as the lines of their own code that raised it (not the checker's, nor PyTorch's): each
    frame of `files` with its line, then the error itself."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename in files]
    lines = [f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n    {frame.line}' for frame in frames]
    return '\n'.join(lines + [f'{type(error).__name__}: {error}'])


def code_files(namespace, functions):
    """The files the learner's functions were written in (a script, or a notebook's cells)."""
    files = set()
    for name in functions:
        code = getattr(namespace.get(name), '__code__', None) or getattr(getattr(namespace.get(name), '__init__', None),
                                                                          '__code__', None)
        if code is not None:
            files.add(code.co_filename)
    return files


def not_started(exercise, namespace, given):
    """The functions of the answer that are still as the exercise gave them (None: the answer has been started)."""
    if exercise.kind == 'challenge':  # Started once it has trained a model (its check says), whatever its source
        return None
    same = [name for name in exercise.functions if name in given and source_ast(namespace.get(name)) == given[name]]
    return same if len(same) == len(exercise.functions) else None


def answer_outcomes(exercise, namespace, cases):
    """Run the learner's code on each case; return one outcome each, only plain data and tensors (a grader sends
    them from a sandbox): {'value': ..., 'by_hand': [...]}, or {'error': text, 'not_started': bool}."""
    missing = [name for name in exercise.functions if not callable(namespace.get(name))]
    if missing:
        return [{'error': f"{', '.join(missing)} is not defined: write it where the file says", 'not_started': True}
                for _ in cases]
    files = code_files(namespace, exercise.functions)
    outcomes = []
    for case in cases:
        function = case.function or exercise.functions[0]
        try:
            with watching(exercise.by_hand) as calls:
                if exercise.run is not None:
                    value = exercise.run(namespace, clone(case))
                else:
                    value = namespace[function](*clone(case.args), **clone(case.kwargs))
            outcomes.append({'value': value, 'by_hand': sorted(calls)})
        except NotImplementedError as error:  # Its own words where it has some (a challenge: no trained model yet)
            outcomes.append({'error': str(error) or f'{function} is not written yet ({type(error).__name__})',
                             'not_started': True})
        except Exception as error:  # The learner's error, shown as the lines of their code
            outcomes.append({'error': learner_traceback(error, files), 'not_started': False})
    return outcomes


# The checker's side: what differs ----------------------------------------------------------------------------------
def show(value, limit=8):
    """A short text of a value for a line: a small tensor's numbers, a big one's shape and first numbers."""
    import torch
    if torch.is_tensor(value):
        flat = value.detach().cpu().reshape(-1)
        numbers = ', '.join(number_text(item) for item in flat[:limit].tolist())
        shape = 'x'.join(map(str, value.shape)) or 'a scalar'
        if value.ndim <= 1 and flat.numel() <= limit:
            return f'[{numbers}]' if value.ndim else numbers
        return f'({shape}) [{numbers}{", ..." if flat.numel() > limit else ""}]'
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, dict):  # e.g. {'L': ..., 'W1': ...}: each value short, a tensor's first numbers only
        return '{' + ', '.join(f'{key}: {show(item, min(limit, 4))}' for key, item in value.items()) + '}'
    if isinstance(value, (list, tuple)):  # Each item short (floats to 6 digits), the first `limit` of a long one
        items = ', '.join(show(item, limit) for item in value[:limit])
        if len(value) > limit:
            return f'{type(value).__name__} of {len(value)}: [{items}, ...]'
        return f'[{items}]' if isinstance(value, list) else f'({items}{"," if len(value) == 1 else ""})'
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + '...'


def number_text(number):
    """A number as a line shows it: 4 significant digits, integers as integers."""
    if isinstance(number, bool) or isinstance(number, int):
        return str(number)
    return f'{number:.6g}'


def difference(expected, got, atol=1e-8, rtol=1e-6, where=''):
    """None when `got` is `expected` (within the tolerances), else what differs, in words: the shape, or the first
    element that differs (its index, PyTorch's value, yours)."""
    import torch
    if torch.is_tensor(expected):
        if not torch.is_tensor(got):
            try:
                got = torch.as_tensor(got, dtype=expected.dtype)
            except (TypeError, ValueError, RuntimeError):
                return f'{where}expected a tensor, yours is {type(got).__name__}'
        got = got.detach().cpu()
        if tuple(got.shape) != tuple(expected.shape):
            return f'{where}shape: expected {tuple(expected.shape)}, yours {tuple(got.shape)}'
        if expected.is_floating_point() or got.is_floating_point():
            close = torch.isclose(got.double(), expected.double(), rtol=rtol, atol=atol, equal_nan=True)
        else:
            close = got == expected
        if bool(close.all()):
            return None
        index = tuple(int(i) for i in torch.nonzero(~close)[0].tolist())
        at = f'first difference at [{", ".join(map(str, index))}]: ' if index else ''  # None for a 0-d tensor
        dtypes = f' (expected a {expected.dtype} tensor, yours is {got.dtype})' if got.dtype != expected.dtype else ''
        return (f'{where}{at}expected {number_text(expected[index].item())}, yours {number_text(got[index].item())}'
                + dtypes)  # A float32 answer rounds where float64 is asked: the dtype says why
    if isinstance(expected, bool):
        if torch.is_tensor(got) and got.numel() == 1:
            got = got.item()
        same = isinstance(got, (bool, int)) and got in (0, 1) and bool(got) == expected
        return None if same else f'{where}expected {expected}, yours {show(got)}'
    if isinstance(expected, (int, float)):
        if torch.is_tensor(got) and got.numel() == 1:
            got = got.item()
        if not isinstance(got, (int, float)):
            return f'{where}expected the number {number_text(expected)}, yours is {type(got).__name__} {show(got)}'
        if isinstance(expected, int) and not isinstance(expected, bool) and not float(got).is_integer():
            return f'{where}expected {expected}, yours {number_text(got)}'
        ok = math.isclose(got, expected, rel_tol=rtol, abs_tol=atol) or (math.isnan(got) and math.isnan(expected))
        return None if ok else f'{where}expected {number_text(expected)}, yours {number_text(got)}'
    if isinstance(expected, (list, tuple)):
        if not isinstance(got, (list, tuple)):
            return f'{where}expected a {type(expected).__name__} of {len(expected)}, yours is {type(got).__name__}'
        if len(got) != len(expected):
            return f'{where}expected {len(expected)} items, yours has {len(got)}'
        for index, (want, have) in enumerate(zip(expected, got)):
            found = difference(want, have, atol, rtol, f'{where}item {index}: ')
            if found:
                return found
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            return f'{where}expected the keys {sorted(expected)}, yours {sorted(got) if isinstance(got, dict) else got}'
        for key in expected:
            found = difference(expected[key], got[key], atol, rtol, f'{where}{key}: ')
            if found:
                return found
        return None
    return None if got == expected else f'{where}expected {show(expected)}, yours {show(got)}'


@dataclass
class Result:
    """One check's result: 'pass', 'fail', 'error' (the answer raised) or 'not started'; the line that says it."""
    status: str
    line: str
    detail: str = ''                # what differs, or the learner's traceback
    note: str = ''                  # e.g. "by hand" asked, and PyTorch's function called


def judge(exercise, cases, expected, outcomes):
    """Compare each outcome of the learner's code with the expected value (worked out on the checker's side)."""
    compare = exercise.compare or (lambda want, got: difference(want, got, exercise.atol, exercise.rtol))
    results = []
    for case, want, outcome in zip(cases, expected, outcomes):
        if not isinstance(outcome, dict) or ('value' not in outcome and 'error' not in outcome):
            results.append(Result('error', case.label, 'the answer gave nothing back'))
        elif 'error' in outcome:
            status = 'not started' if outcome.get('not_started') else 'error'
            results.append(Result(status, case.label, str(outcome['error'])))
        else:
            found = compare(want, outcome['value'])
            if isinstance(found, tuple):  # (passed, what it says): a challenge says how the answer did, passed or not
                results.append(Result('pass' if found[0] else 'fail', case.label, found[1]))
            elif found is None:
                results.append(Result('pass', case.label))
            elif not exercise.show_values:
                results.append(Result('fail', case.label, f'{exercise.reference}: {found}'))
            else:
                results.append(Result('fail', case.label, f'{exercise.reference} gives {show(want)}, yours '
                                      f'{show(outcome["value"])}; {found}'))
            if exercise.describe is not None:
                results[-1].note = exercise.describe(want, outcome['value'])
        used = outcome.get('by_hand') if isinstance(outcome, dict) else None
        if used:
            results[-1].note = (f"it calls {', '.join(used)}: the exercise asks for it by hand (it passes, but "
                                'write the formula to learn it)')
    return results


def make_cases(exercise, seed, options=None):
    """The checks of `exercise` from `seed`; a challenge with a command line (`parser`) also gets its `options`."""
    import torch
    generator = torch.Generator().manual_seed(seed)
    if exercise.parser is not None:
        return list(exercise.cases(generator, options))
    return list(exercise.cases(generator))


# The learner's check, in their own process -------------------------------------------------------------------------
def check_exercise(name, namespace):
    """The last cell of an exercise: check the learner's answer against PyTorch, one line per check, with a hint where
    one fails. In a terminal the exit code is 0 when every check passes, else 1 (not where $DL_EXERCISE_EXIT is 0:
    the website's build shows an exercise's checks before it is started, and goes on)."""
    if _loading:
        return None
    from .cli import in_notebook, make_parser
    entry = find_exercise(name)
    exercise = load_exercise(entry)
    if exercise.parser is not None:  # A challenge's own command line
        parser = exercise.parser()
    else:
        parser = make_parser(entry.exercise.stem, namespace.get('__doc__') or docstring_of(entry.solution))
        parser.add_argument('--seed', type=int, default=None,
                            help='seed of the random inputs (default: new ones each run; a failing run says its seed)')
    # A challenge's file trains first, with options of its own (--epochs, --data-dir, ...): they are its to parse
    args = parser.parse_known_args()[0] if exercise.kind == 'challenge' else parser.parse_args()
    seed = getattr(args, 'seed', None)
    seed = seed if seed is not None else int.from_bytes(os.urandom(4), 'little') % 100000
    cases = make_cases(exercise, seed, args)
    expected = [exercise.expected_for(case) for case in cases]  # Before the answer runs: it cannot change them
    stale = not_started(exercise, namespace, given_functions(entry))
    outcomes = answer_outcomes(exercise, namespace, cases)
    results = judge(exercise, cases, expected, outcomes)
    report(entry, exercise, cases, results, seed, stale)
    passed = all(result.status == 'pass' for result in results)
    if not passed and not in_notebook() and os.environ.get('DL_EXERCISE_EXIT') != '0':
        sys.stdout.flush()
        raise SystemExit(1)
    return results


def report(entry, exercise, cases, results, seed, stale=None, file=None):
    """Print the check's lines: a heading, one line per check (and what differs, the hint), a summary; into `file`
    where given (the grader's threads each write their own feedback: sys.stdout is every thread's)."""
    print = functools.partial(builtins.print, file=file)
    functions = ', '.join(f'{name}()' for name in exercise.functions)
    checks = 'check' if len(cases) == 1 else 'checks'  # A challenge has one
    print(f'Exercise {entry.name} (slide "{entry.slide}"): {len(cases)} {checks} of {functions} '
          f'against {exercise.reference}')
    if stale or all(result.status == 'not started' for result in results):
        if exercise.kind == 'bug':
            print(f'not started: {functions} is still the slide\'s code as printed. Read what goes wrong below, '
                  'then mend it where the file says.')
        elif exercise.kind == 'challenge':
            print(f'not started: no trained model of yours yet. Change {functions} or its training where the file '
                  'says, then run the file: it trains, saves the model, and this check measures it.')
        else:
            print(f'not started: write {functions} where the file says (raise NotImplementedError); the checks below '
                  'say what it must do.')
    shown, hints, notes = set(), set(), []
    for number, (case, result) in enumerate(zip(cases, results), start=1):
        mark = {'pass': 'ok  ', 'fail': 'FAIL', 'error': 'FAIL', 'not started': 'todo'}[result.status]
        print(f'  {mark} {number}. {case.label}')
        if result.status == 'pass' and result.detail:  # A challenge may say how the answer did
            print(textwrap.indent(result.detail, '       '))
        why_not_started = result.status == 'not started' and exercise.kind in ('bug', 'challenge')
        if result.status in ('fail', 'error') or why_not_started:
            if result.status == 'error' and result.detail in shown:
                print('       your code raised the same error as above')
            elif result.status == 'not started' and result.detail in shown:
                print('       the same as above')
            else:
                print(textwrap.indent(('your code raised an error:\n' if result.status == 'error' else '')
                                      + result.detail, '       '))
                shown.add(result.detail)
            if case.hint and case.hint not in hints:  # Each hint once
                print(f'       hint: {case.hint}')
                hints.add(case.hint)
        if result.note and result.note not in notes:
            notes.append(result.note)
    for note in notes:
        print(f'note: {note}')
    n_passed = sum(result.status == 'pass' for result in results)
    solution = entry.solution.relative_to(REPO_ROOT).as_posix()
    if n_passed == len(results):
        print('The check passed.' if len(results) == 1 else f'All {len(results)} checks passed.')
    else:
        seeded = '' if exercise.kind == 'challenge' else f' (random inputs of seed {seed}: --seed {seed} repeats them)'
        print(f'{n_passed} of {len(results)} {"check" if len(results) == 1 else "checks"} passed{seeded}. '
              f'The solution: {solution}, after you tried.')
