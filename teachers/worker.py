"""The answer's side of grading: one submission's process, inside the sandbox where there is one (teachers/sandbox.py).

    python teachers/worker.py --source DIR --work DIR --inputs DIR [--sandboxed]

It copies the student's files from --source into --work (its own temporary folder), says it is ready, then reads
one request per line on stdin, `{"exercise": "convolve", "file": "04_cnn_mnist/02_convolve.py", "time_limit": 10,
"memory_limit": 2147483648}`, and answers each with one JSON line, `{"exercise": ..., "status": "answered" |
"timeout" | "ended", "detail": ..., "size": N}`, followed by N bytes: `torch.save` of plain data, the outcomes of the
student's functions on the exercise's inputs (`common.exercises.answer_outcomes`). The inputs are the grader's
(`--inputs`/<exercise>.pt, plain args and kwargs), never the expected answers: the grader alone compares them, in
its own process, with PyTorch's answer. Nothing here decides a grade, so nothing a student's file prints, patches
or exits with can forge one.

Where `os.fork` is safe (Linux), each exercise runs in a child forked from this process (PyTorch already imported):
its own memory limit (RLIMIT_AS), its time limit (the child is killed), and nothing it patches or leaves behind
reaches the next exercise. Elsewhere (macOS, Windows) the exercises run here, one after another, and the grader
starts this process again after a timeout or a crash.
"""
import argparse
import gc
import io
import json
import linecache
import os
import re
import shutil
import signal
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # This checkout's common and teachers

MAX_SOURCE = 5 * 2**20             # A student's file larger than this is not read (5 MiB)
MAX_SEND = 64 * 2**20              # Bytes of outcomes one exercise may send back
MAX_ERROR = 4000                   # Characters of an error's text sent back
MAX_ITEMS = 1_000_000              # Items of a returned value (lists, dicts, tensor elements) sent back
MAX_DEPTH = 30
# Linux forks a child per exercise; macOS (fork after PyTorch's import is not safe) and Windows (no fork) do not, nor a
# run with DL_GRADE_NO_FORK=1 (the tests try that way on Linux)
FORKING = sys.platform.startswith('linux') and not os.environ.get('DL_GRADE_NO_FORK')
CELL = re.compile(r'^# %%')


# Reading the student's file as they saved it --------------------------------------------------------------------------
def decode(data, name):
    """The text of a file's bytes, and a note where it is not UTF-8: its coding line's encoding, else Windows-1252
    (Latin-1 with the quotes of Windows editors), else Latin-1."""
    import tokenize
    if data.startswith(b'\xef\xbb\xbf'):
        data = data[3:]
    try:
        return data.decode('utf-8'), None
    except UnicodeDecodeError:
        pass
    try:
        declared = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
        if declared not in ('utf-8', 'utf-8-sig'):
            return data.decode(declared), None  # Its own coding line says what it is
    except (SyntaxError, LookupError, UnicodeDecodeError):
        pass
    for encoding, said in (('cp1252', 'Latin-1 (Windows-1252)'), ('latin-1', 'Latin-1')):
        try:
            return data.decode(encoding), f'{name} is not UTF-8: read as {said} (save it as UTF-8)'
        except UnicodeDecodeError:
            continue


def magic_free(source):
    """A notebook cell's code with IPython's magics and shell lines (`%pip ...`, `!ls`, a `%%time` cell) commented
    out: they are not Python, and a grader installs or runs nothing a cell asks for."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith('%%'):
        return '\n'.join('# ' + line for line in lines)
    return '\n'.join('# ' + line if line.lstrip().startswith(('%', '!')) else line for line in lines)


def notebook_code(text):
    """A notebook's code cells, in its order, as one file of `# %%` cells (the markdown cells left out)."""
    notebook = json.loads(text)
    cells = notebook['cells'] if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise ValueError('it has no cells')
    parts = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get('cell_type') != 'code':
            continue
        source = cell.get('source', '')
        source = ''.join(source) if isinstance(source, list) else str(source)
        parts.append(f'# %% notebook cell {number}\n{magic_free(source)}\n')
    return '\n'.join(parts)


def read_source(path, shown):
    """The student's file as Python text, and notes on how it was read (its encoding; a notebook's code cells)."""
    data = path.read_bytes()[:MAX_SOURCE + 1]
    if len(data) > MAX_SOURCE:
        raise ValueError(f'{shown} is larger than {MAX_SOURCE // 2**20} MiB: not read')
    text, note = decode(data, shown)
    notes = [note] if note else []
    if path.suffix == '.ipynb':
        try:
            text = notebook_code(text)
        except (ValueError, KeyError, TypeError) as error:  # json.JSONDecodeError is a ValueError
            raise ValueError(f'{shown} is not a notebook that Jupyter can open ({error})') from None
        notes.append(f'{shown} is a notebook: its code cells were graded, as it was saved (not run again first)')
    return text, notes


def cells_of(text):
    """The file's `# %%` cells: (first line number, text), the text padded so that line numbers stay the file's."""
    lines = text.splitlines(keepends=True)
    starts = [0] + [index for index, line in enumerate(lines) if CELL.match(line) and index > 0]
    return [(start + 1, ''.join(lines[start:end])) for start, end in zip(starts, starts[1:] + [len(lines)])]


def load_cells(path, shown):
    """Run the student's file cell by cell as a module (its check cell does nothing: `common.exercises.loading`);
    return its namespace and notes. A cell that does not compile, or stops with an error (even `sys.exit()`), costs
    what it defines, not the cells after it."""
    from common.exercises import loading
    text, notes = read_source(path, shown)
    lines = text.splitlines(keepends=True)
    linecache.cache[shown] = (len(text), None, lines, shown)  # The student's lines, for their tracebacks
    name = '_graded_' + re.sub(r'\W', '_', Path(shown).stem)
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    namespace = vars(module)
    for number, (start, cell) in enumerate(cells_of(text), start=1):
        where = f'cell {number} (line {start})'
        try:
            code = compile('\n' * (start - 1) + cell, shown, 'exec', dont_inherit=True)
        except (SyntaxError, ValueError) as error:  # ValueError: a null byte in the source
            line = getattr(error, 'lineno', None)
            notes.append(f'{where} does not compile, so it was skipped: {type(error).__name__} at line {line}: '
                         f'{getattr(error, "msg", error)}')
            continue
        try:
            with loading():
                exec(code, namespace)
        except BaseException as error:  # noqa: B036 (sys.exit() and Ctrl-C too: the next cells still run)
            notes.append(f'{where} stopped with {type(error).__name__}' + (f': {short(error)}' if str(error) else ''))
    return namespace, notes


def short(error, limit=300):
    text = ' '.join(str(error).split())
    return text if len(text) <= limit else text[:limit - 3] + '...'


# What goes back: plain data only --------------------------------------------------------------------------------------
def plain(value, depth=0, budget=None):
    """`value` as plain data that `torch.load(weights_only=True)` reads: tensors (detached, on the CPU, compact),
    numbers, strings, lists, tuples, dicts; NumPy arrays become tensors; anything else becomes a text that says what
    it was (the grader then shows it as the answer)."""
    import numpy as np
    import torch
    budget = budget if budget is not None else [MAX_ITEMS]
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        return '<too large to send back>'
    if value is None or isinstance(value, (bool, int, float, complex, str)):
        return value if not isinstance(value, str) else value[:100_000]
    if isinstance(value, torch.Tensor):
        budget[0] -= value.numel()
        if budget[0] < 0:
            return f'<a tensor of {value.numel()} elements: too large to send back>'
        tensor = value.detach().cpu()
        tensor = tensor.as_subclass(torch.Tensor) if type(tensor) is not torch.Tensor else tensor
        return tensor.contiguous().clone()
    if isinstance(value, np.ndarray) and value.dtype.kind in 'biufc':
        return plain(torch.from_numpy(np.ascontiguousarray(value)), depth, budget)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, torch.Size):
        return tuple(int(size) for size in value)
    if isinstance(value, (list, tuple)):
        items = [plain(item, depth + 1, budget) for item in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {key if isinstance(key, (str, int, float, bool)) or key is None else repr(key)[:200]:
                plain(item, depth + 1, budget) for key, item in value.items()}
    return f'<a {type(value).__name__} object, not a tensor or numbers>'


def answer(exercise, given, cases, path, shown):
    """The student's file loaded and their functions run on the cases: {'outcomes': [...], 'not_started': bool,
    'notes': [...]}, plain data only."""
    from common.exercises import answer_outcomes, not_started
    sys.path.insert(0, str(path.parent))  # As `python file.py` has it: the student's own modules beside the file
    try:
        namespace, notes = load_cells(path, shown)
    except (OSError, ValueError) as error:
        return {'outcomes': [{'error': str(error), 'not_started': False} for _ in cases], 'not_started': False,
                'notes': [str(error)]}
    try:
        stale = bool(not_started(exercise, namespace, given))
    except Exception:  # noqa: BLE001 (a function whose source cannot be read: it has been changed)
        stale = False
    try:
        outcomes = answer_outcomes(exercise, namespace, cases)
    except BaseException as error:  # noqa: B036 (sys.exit() inside the answer ends every case)
        outcomes = [{'error': f'the answer stopped the check: {type(error).__name__} {short(error)}'.strip(),
                     'not_started': False} for _ in cases]
    missing = [name for name in exercise.functions if not callable(namespace.get(name))]
    for outcome in outcomes:
        if not isinstance(outcome, dict) or 'error' not in outcome:
            continue
        outcome['error'] = str(outcome['error'])[:MAX_ERROR]
        if missing and notes:  # Not defined because a cell did not compile or stopped: not "not started"
            outcome.update(error=f"{', '.join(missing)} is not defined: {notes[-1]}", not_started=False)
    return {'outcomes': [plain(outcome) for outcome in outcomes], 'not_started': stale and not missing,
            'notes': notes}


def serialized(payload):
    """The payload as bytes for the grader (`torch.save`); what cannot be saved becomes the line that says so."""
    import torch
    buffer = io.BytesIO()
    try:
        torch.save(payload, buffer)
    except Exception as error:  # noqa: BLE001
        buffer = io.BytesIO()
        outcomes = [{'error': f'what the answer gave back cannot be sent: {short(error)}', 'not_started': False}
                    for _ in payload.get('outcomes', [])]
        torch.save({'outcomes': outcomes, 'not_started': False, 'notes': payload.get('notes', [])}, buffer)
    return buffer.getvalue()


# The process ----------------------------------------------------------------------------------------------------------
def limit_memory(extra):
    """Cap this process's address space at what it uses now plus `extra` bytes (RLIMIT_AS; Linux and macOS).
    Return None, or why the limit could not be set."""
    try:
        import resource  # POSIX only: imported here, never where Windows imports this file
    except ImportError:
        return 'no memory limit on this system'
    try:
        with open('/proc/self/statm', encoding='utf-8') as file:
            used = int(file.read().split()[0]) * os.sysconf('SC_PAGE_SIZE')
    except (OSError, ValueError):
        used = 0
    try:
        resource.setrlimit(resource.RLIMIT_AS, (used + extra, used + extra))
    except (ValueError, OSError) as error:
        return f'the memory limit cannot be set here ({error})'
    return None


def die_with_parent():
    """Linux: this child is killed when the worker dies (even killed by the student's code)."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run_forked(request, exercise, given, cases, path, shown, private):
    """Run one exercise in a forked child, within its time and memory limits; return (status, detail, bytes)."""
    import select
    read_end, write_end = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # The child: the student's code runs here, and nowhere else
        try:
            os.close(read_end)
            for fd in private:  # The worker's own channels: the student's code never gets them
                os.close(fd)
            os.setsid()
            die_with_parent()
            limit_memory(request['memory_limit'])
            data = serialized(answer(exercise, given, cases, path, shown))
            with os.fdopen(write_end, 'wb') as out:
                out.write(len(data).to_bytes(8, 'little') + data)
        finally:
            os._exit(0)
    os.close(write_end)
    received, deadline, eof = bytearray(), start + request['time_limit'], False
    while not eof and len(received) <= MAX_SEND + 8 and time.monotonic() < deadline:
        ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            chunk = os.read(read_end, 1 << 20)
            received += chunk
            eof = not chunk
    os.close(read_end)
    code = None
    while time.monotonic() < deadline:  # It gave everything back: now it ends, or is ended at the deadline
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = status
            break
        time.sleep(0.005)
    killed = code is None
    if killed:
        kill_group(pid)
        _, code = os.waitpid(pid, 0)
    size = int.from_bytes(received[:8], 'little') if len(received) >= 8 else -1
    if size >= 0 and len(received) == size + 8 and size <= MAX_SEND:
        return 'answered', f'{time.monotonic() - start:.2f} s', bytes(received[8:])
    if len(received) > MAX_SEND + 8:
        return 'ended', f'the answer gave back more than {MAX_SEND // 2**20} MiB', b''
    if killed:
        return 'timeout', f'it took more than {request["time_limit"]:g} s (an endless loop?)', b''
    how = (f'by signal {-os.waitstatus_to_exitcode(code)} (a crash)' if os.WIFSIGNALED(code)
           else f'with exit code {os.waitstatus_to_exitcode(code)}')
    return 'ended', f'the answer ended its process {how} before giving anything back', b''


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def kill_others():
    """In the sandbox's own process namespace: end every process but this one and the sandbox's init (what a
    student's code left running: a daemon, a thread of a child). Never called outside a sandbox."""
    for name in os.listdir('/proc'):
        if name.isdigit() and int(name) not in (1, os.getpid()):
            try:
                os.kill(int(name), signal.SIGKILL)
            except OSError:
                pass


def cpu_seconds():
    """CPU time so far of this process and of the children it waited for (each exercise's), for
    benchmarks/grade_class.py: the grader cannot count it itself through bwrap's process namespace."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    return sum(usage.ru_utime + usage.ru_stime for usage in (resource.getrusage(resource.RUSAGE_SELF),
                                                             resource.getrusage(resource.RUSAGE_CHILDREN)))


def cases_of(inputs, name):
    """The exercise's cases, as the grader sent them (plain args and kwargs, torch.save)."""
    import torch

    from common.exercises import Case
    path = Path(inputs) / f'{name}.pt'
    try:
        sent = torch.load(path, weights_only=True)
    except Exception:  # noqa: BLE001 (inputs that are not plain data: the grader's own file, read-only here)
        sent = torch.load(path, weights_only=False)
    return [Case(case['label'], tuple(case['args']), dict(case['kwargs']), case['hint'], case['function'])
            for case in sent]


def main(argv=None):
    parser = argparse.ArgumentParser(description="The answer's side of grading: one submission's process.")
    parser.add_argument('--source', type=Path, required=True, help="the student's files (read only)")
    parser.add_argument('--work', type=Path, required=True, help='their own temporary copy (made here)')
    parser.add_argument('--inputs', type=Path, required=True, help="the grader's inputs, one file per exercise")
    parser.add_argument('--sandboxed', action='store_true', help='in a sandbox of its own: end what is left over')
    args = parser.parse_args(argv)
    # The answers go out on a copy of stdout, the requests come in on a copy of stdin (forking: the children get
    # neither); what the student's code prints goes nowhere
    status = os.dup(sys.stdout.fileno())
    requests = os.fdopen(os.dup(sys.stdin.fileno()), 'r', encoding='utf-8') if FORKING else sys.stdin
    quiet = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2) if FORKING else (1, 2):
        os.dup2(quiet, fd)
    out = os.fdopen(status, 'wb')
    if args.work.resolve() != args.source.resolve():
        shutil.copytree(args.source, args.work, dirs_exist_ok=True, symlinks=True)

    import torch  # noqa: F401 (before 'ready': an exercise's time is its own)

    from common.exercises import find_exercise, given_functions, load_exercise
    note = None if FORKING else limit_memory(int(os.environ.get('DL_GRADE_MEMORY', 2**31)))
    out.write((json.dumps({'status': 'ready', 'forking': FORKING, 'note': note, 'cpu': cpu_seconds()}) + '\n')
              .encode('utf-8'))
    out.flush()
    loaded = {}
    for line in requests:
        request = json.loads(line)
        name = request['exercise']
        if name not in loaded:
            entry = find_exercise(name)
            loaded[name] = (load_exercise(entry), given_functions(entry), cases_of(args.inputs, name))
        exercise, given, cases = loaded[name]
        shown = request['file']
        path = args.work / shown
        os.chdir(path.parent)
        start = time.monotonic()
        if FORKING:
            gc.freeze()  # What the worker holds, out of the children's garbage collections: copied on write, not read
            state, detail, data = run_forked(request, exercise, given, cases, path, shown,
                                             (status, requests.fileno()))
            if args.sandboxed:
                kill_others()
        else:
            state, detail = 'answered', ''
            data = serialized(answer(exercise, given, cases, path, shown))
            detail = f'{time.monotonic() - start:.2f} s'
        header = {'exercise': name, 'status': state, 'detail': detail, 'size': len(data), 'cpu': cpu_seconds()}
        out.write((json.dumps(header) + '\n').encode('utf-8') + data)
        out.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
