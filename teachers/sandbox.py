"""Where a submission's code runs: a process of its own (teachers/worker.py), with a time limit per exercise and a
memory limit, inside a bubblewrap sandbox where `bwrap` is installed and works (Linux; Debian's package `bubblewrap`).

The sandbox has no network, sees the system, Python and this repository read-only, and nothing else: not the home
folder, not the other submissions, not the grades, not the repository's own writable places (`results/`, `data/`,
`my_exercises/`). Its only writable places are two small folders in memory: its own copy of the student's files
(/sandbox/work) and /tmp. It runs as an unprivileged user with no capabilities, in its own process namespace, so
whatever the student's code starts ends with it.

Without a sandbox (macOS, Windows, or a Linux where bwrap cannot make one, e.g. in a container that forbids user
namespaces) a submission still runs in a process of its own, with the same time limit and a memory limit (RLIMIT_AS
on Linux and macOS, a job object on Windows), and, where the grader runs as root, as the user `nobody`; but it can
read what that user can, and the grader says so in one line before grading starts.
"""
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common.paths import REPO_ROOT

BWRAP = '/usr/bin/bwrap'
START_TIMEOUT = 300     # Seconds a worker may take to start (PyTorch's import on a busy machine)
GRACE = 30              # Seconds the grader waits beyond an exercise's time limit before it ends the worker itself
MAX_HEADER = 65536
MAX_PAYLOAD = 64 * 2**20
SANDBOX_DISK = 256 * 2**20  # Bytes of each writable folder in the sandbox (in memory)
HIDDEN_IN_REPO = ('results', 'data', 'my_exercises', '.git')
ETC_FILES = ('/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/alternatives', '/etc/localtime')
WORKER = REPO_ROOT / 'teachers' / 'worker.py'
CPU_USED = {'seconds': 0.0}  # The workers' CPU time, as each said it last before it stopped (a benchmark's figure)
CPU_LOCK = threading.Lock()


class StartError(Exception):
    """The worker did not start: the grader's problem (a sandbox that fails, a broken install), not the student's."""


# The sandbox ----------------------------------------------------------------------------------------------------------
def python_folders():
    """The folders this Python needs: its prefixes (the standard library, site-packages, the executable) and any
    other folder of packages on its path (a user's site-packages); not the working folder, not this repository."""
    folders = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix), Path(sys.executable).resolve().parent}
    for entry in sys.path:
        path = Path(entry) if entry else None
        if path and path.exists() and path.name in ('site-packages', 'dist-packages'):
            folders.add(path)
    folders = sorted({folder.resolve() for folder in folders})
    return [folder for folder in folders if not any(other != folder and folder.is_relative_to(other)
                                                    for other in folders)]


def hide(path):
    """bwrap's arguments that hide `path` inside a folder already bound: an empty read-only folder over a folder,
    an empty file over a file."""
    if path.is_dir():
        return ['--tmpfs', str(path), '--remount-ro', str(path)]
    if path.exists():
        return ['--ro-bind', os.devnull, str(path)]
    return []


def bwrap_command(bwrap, source, inputs, hidden, command, newer=True):
    """The bwrap command line that runs `command` in a sandbox: the student's files (`source`) read-only at
    /sandbox/submission, the grader's inputs read-only at /sandbox/inputs, the rest as the module docstring says;
    each of `hidden` (the submissions, the grades, the home folder) hidden where a bound folder holds it. `newer`:
    bwrap 0.8's options too (no user namespace inside, a size for each folder in memory)."""
    size = ['--size', str(SANDBOX_DISK)] if newer else []
    args = [bwrap, '--unshare-user', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts',
            '--unshare-cgroup-try', *(['--disable-userns'] if newer else []), '--uid', '65534', '--gid', '65534',
            '--hostname', 'grading', '--die-with-parent', '--new-session', '--cap-drop', 'ALL',
            '--proc', '/proc', '--dev', '/dev', *size, '--tmpfs', '/tmp', '--ro-bind', '/usr', '/usr']
    for name in ('bin', 'lib', 'lib32', 'lib64', 'sbin'):
        path = Path('/') / name
        if path.is_symlink():
            args += ['--symlink', os.readlink(path), str(path)]
        elif path.is_dir():
            args += ['--ro-bind', str(path), str(path)]
    for path in ETC_FILES:
        args += ['--ro-bind-try', path, path]
    bound = [*python_folders(), REPO_ROOT]
    for folder in bound:  # After /tmp's own folder: a Python or a repository in /tmp stays in sight
        args += ['--ro-bind', str(folder), str(folder)]
    hidden = [REPO_ROOT / name for name in HIDDEN_IN_REPO] + [Path(path).resolve() for path in hidden]
    for path in hidden:
        if any(path.is_relative_to(folder) and path != folder for folder in bound):
            args += hide(path)
    args += ['--ro-bind', str(source), '/sandbox/submission', '--ro-bind', str(inputs), '/sandbox/inputs',
             *size, '--tmpfs', '/sandbox/work', '--chdir', '/sandbox/work']
    return args + ['--'] + command


class Bwrap:
    """A bubblewrap that works here: its path, and whether it takes bwrap 0.8's options."""

    def __init__(self, path, newer):
        self.path, self.newer = path, newer

    def command(self, source, inputs, hidden, command):
        return bwrap_command(self.path, source, inputs, hidden, command, self.newer)


def find_sandbox(use_sandbox=True):
    """(a `Bwrap`, None) where a bubblewrap sandbox works here, else (None, the one line that says why not and what
    still holds)."""
    holds = 'each submission still runs in a process of its own with its time and memory limits'
    if not use_sandbox:
        return None, f'no sandbox (--no-sandbox): {holds}, but it can read and change what the grader can'
    if not sys.platform.startswith('linux'):
        system = {'darwin': 'macOS', 'win32': 'Windows'}.get(sys.platform, sys.platform)
        return None, (f"no sandbox on {system} (bubblewrap is Linux's): {holds}, but it can read and change what "
                      'you can; grade on Linux with bubblewrap installed to keep it in a sandbox')
    path = shutil.which('bwrap') or (BWRAP if Path(BWRAP).is_file() else None)
    if path is None:
        return None, (f'no sandbox: bubblewrap is not installed (Debian, Ubuntu: apt install bubblewrap): {holds}, '
                      'but it can read and change what the grader can')
    why = ''
    for newer in (True, False):  # bwrap 0.8 (Debian 12), else an older one without its options
        probe = bwrap_command(path, REPO_ROOT, REPO_ROOT, [], [sys.executable, '-S', '-c', 'pass'], newer)
        try:
            result = subprocess.run(probe, capture_output=True, encoding='utf-8', timeout=60, env=minimal_env())
        except (OSError, subprocess.TimeoutExpired) as error:
            result = subprocess.CompletedProcess(probe, 1, '', str(error))
        if result.returncode == 0:
            return Bwrap(path, newer), None
        why = why or ' '.join(result.stderr.split())[:200] or f'exit code {result.returncode}'
    return None, (f'no sandbox: bubblewrap cannot make one here ({why}): {holds}, but it can read and change '
                  'what the grader can')


def minimal_env():
    return {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'LANG': 'C.UTF-8'}


def sandbox_line(bwrap):
    return (f'sandbox: bubblewrap ({bwrap.path}) for each submission: no network; the system, Python and the '
            'repository read-only; the home folder, the other submissions and the grades out of sight; only the '
            "student's own temporary copy writable")


# One submission's worker ----------------------------------------------------------------------------------------------
def worker_env(home, threads, memory_limit):
    """The environment of a worker: this repository's `common` first, a home and a temporary folder of its own, no
    window, one thread per worker (several workers share the cores), and nothing else of the grader's."""
    extra = [str(folder) for folder in python_folders() if folder.name in ('site-packages', 'dist-packages')
             and not any(folder.is_relative_to(prefix) for prefix in (Path(sys.prefix).resolve(),
                                                                      Path(sys.base_prefix).resolve()))]
    env = {'PYTHONPATH': os.pathsep.join([str(REPO_ROOT), *extra]), 'HOME': str(home), 'MPLBACKEND': 'Agg',
           'OMP_NUM_THREADS': str(threads), 'MKL_NUM_THREADS': str(threads), 'PYTHONIOENCODING': 'utf-8',
           'PYTHONDONTWRITEBYTECODE': '1', 'PYTHONNOUSERSITE': '1', 'DL_GRADE_MEMORY': str(memory_limit),
           'LANG': 'C.UTF-8', 'PATH': os.pathsep.join(['/usr/bin', '/bin']) if os.name != 'nt' else os.environ.get(
               'PATH', '')}
    if os.environ.get('DL_GRADE_NO_FORK'):
        env['DL_GRADE_NO_FORK'] = '1'
    if os.name == 'nt':
        env['SYSTEMROOT'] = os.environ.get('SYSTEMROOT', r'C:\Windows')
        env['TEMP'] = env['TMP'] = str(home)
    else:
        env['TMPDIR'] = '/tmp'
        env['MPLCONFIGDIR'] = '/tmp/matplotlib'
    return env


class Worker:
    """The process that runs one submission's code (teachers/worker.py), in the sandbox where there is one.
    `ask(exercise, file, time_limit)` returns (status, detail, bytes): 'answered' with the outcomes (torch.save),
    'timeout' or 'ended' (the answer ended its process, or the worker)."""

    def __init__(self, source, inputs, bwrap=None, hidden=(), memory_limit=2**31, threads=1, live=None,
                 stopping=None):
        self.source, self.inputs, self.bwrap, self.hidden = Path(source), Path(inputs), bwrap, hidden
        self.memory_limit, self.threads = memory_limit, threads
        self.process, self.forking, self.live = None, False, live if live is not None else set()
        self.note = None                # Why a limit could not be set, where one could not
        self.stopping = stopping        # Set when the grading stops (Ctrl-C): no worker starts then
        self.log = self.source.parent / 'worker-errors.txt'
        self.cpu = 0.0                  # CPU seconds the running worker said it used, so far

    def command(self):
        if self.bwrap:  # bwrap passes on its environment: the worker's, and nothing else of the grader's
            worker = [sys.executable, str(WORKER), '--source', '/sandbox/submission', '--work', '/sandbox/work',
                      '--inputs', '/sandbox/inputs', '--sandboxed']
            command = self.bwrap.command(self.source, self.inputs, self.hidden, worker)
            return command, worker_env('/sandbox/work', self.threads, self.memory_limit), None
        command = [sys.executable, str(WORKER), '--source', str(self.source), '--work', str(self.source),
                   '--inputs', str(self.inputs)]
        return command, worker_env(self.source, self.threads, self.memory_limit), self.source

    def start(self):
        if self.stopping is not None and self.stopping.is_set():
            raise StartError('the grading was stopped')
        command, env, cwd = self.command()
        options = {}
        if os.name == 'nt':
            options['creationflags'] = subprocess.CREATE_NEW_PROCESS_GROUP
        else:
            options['start_new_session'] = True  # Ctrl-C in the terminal reaches the grader, not the student's code
            if not self.bwrap and os.geteuid() == 0:
                options.update(as_nobody(self.source, self.inputs))
        with open(self.log, 'wb') as errors:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                                            env=env, cwd=cwd, **options)
        self.live.add(self)
        if os.name == 'nt':
            self.note = limit_windows_memory(self.process, self.memory_limit)
        self.frames = queue.Queue()
        threading.Thread(target=self.read_frames, args=(self.process.stdout, self.frames), daemon=True).start()
        ready = self.next_frame(time.monotonic() + START_TIMEOUT)
        if ready is None or ready[0].get('status') != 'ready':
            self.stop()
            raise StartError(f'the grading process did not start: {self.errors() or "no reason given"}')
        self.forking = bool(ready[0].get('forking'))
        self.said_cpu(ready[0])

    def errors(self):
        try:
            return ' '.join(self.log.read_text(encoding='utf-8', errors='replace').split()[-60:])
        except OSError:
            return ''

    @staticmethod
    def read_frames(stream, frames):
        """The worker's answers, as (header, bytes); None where it ended or sent what is not an answer."""
        try:
            while True:
                line = stream.readline(MAX_HEADER)
                if not line:
                    break
                header = json.loads(line)
                size = int(header.get('size', 0)) if isinstance(header, dict) else -1
                if not 0 <= size <= MAX_PAYLOAD:
                    break
                data = stream.read(size) if size else b''
                if len(data) != size:
                    break
                frames.put((header, data))
        except (ValueError, OSError):
            pass
        frames.put(None)

    def next_frame(self, deadline):
        while True:
            try:
                return self.frames.get(timeout=max(0.01, min(0.5, deadline - time.monotonic())))
            except queue.Empty:
                if time.monotonic() >= deadline:
                    return 'timeout'

    def ask(self, exercise, file, time_limit):
        if self.process is None or self.process.poll() is not None:
            self.stop()
            self.start()
        request = {'exercise': exercise, 'file': Path(file).as_posix(), 'time_limit': time_limit,
                   'memory_limit': self.memory_limit}
        try:
            self.process.stdin.write((json.dumps(request) + '\n').encode('utf-8'))
            self.process.stdin.flush()
        except OSError:
            self.stop()
            return 'ended', 'the answer ended the grading process', b''
        frame = self.next_frame(time.monotonic() + time_limit + (GRACE if self.forking else 1))
        if frame == 'timeout':
            self.stop()
            return 'timeout', f'it took more than {time_limit:g} s (an endless loop?)', b''
        if frame is None or frame[0].get('exercise') != exercise:
            self.stop()
            return 'ended', 'the answer ended the grading process (or wrote into its channel)', b''
        header, data = frame
        self.said_cpu(header)
        return str(header.get('status')), str(header.get('detail', ''))[:500], data

    def said_cpu(self, header):
        cpu = header.get('cpu')
        if isinstance(cpu, (int, float)) and cpu >= self.cpu:
            self.cpu = float(cpu)

    def stop(self):
        with CPU_LOCK:  # Outside a sandbox the grader counts it itself (its child, waited for)
            CPU_USED['seconds'] += self.cpu if self.bwrap else 0.0
        self.cpu = 0.0
        if self.process is not None:
            kill_tree(self.process)
            for stream in (self.process.stdin, self.process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            self.live.discard(self)
            self.process = None


def kill_tree(process):
    """End a worker and everything it started (its process group; bwrap ends its sandbox with it)."""
    try:
        if os.name == 'nt':
            process.kill()
        else:
            import signal
            os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass


def readable_by_all(path):
    """True where every user can read `path` and reach it (its folders have o+x, the path o+r)."""
    path = Path(path).resolve()
    try:
        return bool(path.stat().st_mode & 0o004) and all(parent.stat().st_mode & 0o001 for parent in path.parents)
    except OSError:
        return False


def as_nobody(*folders):
    """Popen's options that run a worker as the user `nobody` where the grader runs as root without a sandbox (e.g.
    in Gradescope's container), so that it cannot change the grader's files: `folders` (its own) handed to that
    user. Nothing where `nobody` could not run Python or read the repository (e.g. a Python in /root)."""
    import pwd  # POSIX only
    try:
        nobody = pwd.getpwnam('nobody')
    except KeyError:
        return {}
    if not all(readable_by_all(path) for path in (sys.executable, REPO_ROOT / 'common', *python_folders())):
        return {}
    temporary = Path(tempfile.gettempdir()).resolve()
    for folder in folders:
        for parent in Path(folder).resolve().parents:  # The grader's temporary folders: reachable, not readable
            if parent.is_relative_to(temporary) and parent != temporary and not parent.stat().st_mode & 0o001:
                os.chmod(parent, parent.stat().st_mode | 0o001)
        for path in [Path(folder), *Path(folder).rglob('*')]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid, follow_symlinks=False)
    return {'user': nobody.pw_uid, 'group': nobody.pw_gid, 'extra_groups': []}


def limit_windows_memory(process, limit):
    """Windows: put the worker in a job object whose processes may commit at most `limit` bytes each. Return None,
    or why it could not (then there is no memory limit)."""
    try:
        import ctypes
        from ctypes import wintypes

        class IoCounters(ctypes.Structure):
            _fields_ = [(name, ctypes.c_ulonglong) for name in ('ReadOperationCount', 'WriteOperationCount',
                        'OtherOperationCount', 'ReadTransferCount', 'WriteTransferCount', 'OtherTransferCount')]

        class BasicLimits(ctypes.Structure):
            _fields_ = [('PerProcessUserTimeLimit', ctypes.c_int64), ('PerJobUserTimeLimit', ctypes.c_int64),
                        ('LimitFlags', wintypes.DWORD), ('MinimumWorkingSetSize', ctypes.c_size_t),
                        ('MaximumWorkingSetSize', ctypes.c_size_t), ('ActiveProcessLimit', wintypes.DWORD),
                        ('Affinity', ctypes.c_size_t), ('PriorityClass', wintypes.DWORD),
                        ('SchedulingClass', wintypes.DWORD)]

        class ExtendedLimits(ctypes.Structure):
            _fields_ = [('BasicLimitInformation', BasicLimits), ('IoInfo', IoCounters),
                        ('ProcessMemoryLimit', ctypes.c_size_t), ('JobMemoryLimit', ctypes.c_size_t),
                        ('PeakProcessMemoryUsed', ctypes.c_size_t), ('PeakJobMemoryUsed', ctypes.c_size_t)]

        kernel32 = ctypes.WinDLL('kernel32', use_last_error=True)
        kernel32.CreateJobObjectW.restype = wintypes.HANDLE
        job = kernel32.CreateJobObjectW(None, None)
        limits = ExtendedLimits()
        limits.BasicLimitInformation.LimitFlags = 0x100 | 0x2000  # PROCESS_MEMORY, KILL_ON_JOB_CLOSE
        limits.ProcessMemoryLimit = limit
        if not job or not kernel32.SetInformationJobObject(wintypes.HANDLE(job), 9, ctypes.byref(limits),
                                                           ctypes.sizeof(limits)):
            return f'no memory limit (the job object failed: error {ctypes.get_last_error()})'
        if not kernel32.AssignProcessToJobObject(wintypes.HANDLE(job), wintypes.HANDLE(int(process._handle))):
            return f'no memory limit (the job object failed: error {ctypes.get_last_error()})'
        process._memory_job = job  # Kept open as long as the worker lives
        return None
    except (OSError, AttributeError, ValueError) as error:
        return f'no memory limit ({error})'
