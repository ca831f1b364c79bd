"""Benchmark: every concept and lesson script's default run on a quiet machine and with one core busy.

A learner's laptop has a browser and an editor running. This runs each concept and lesson script of run_all.py
(in its order, with its --full options: the scripts' defaults, as the README's table) `--runs` times quiet and
`--runs` times beside one spinning process (`while True: pass`, started and ended by this benchmark), taking turns
(quiet, busy, quiet, busy, ...) so that a change in the machine's load touches both columns alike. It prints the
machine, the load average before and after, and per script the median seconds of each column, their range, and
busy / quiet; a concept script whose busy median is over 2x its quiet one is marked. It cannot make the machine
quiet: other programs that run meanwhile count in both columns (the load average says how busy it was).
Measured: README.md ("Seconds").

    python benchmarks/busy_machine.py --data-dir ../shared/data                 # every script, 3 + 3 runs each
    python benchmarks/busy_machine.py --data-dir ../shared/data concepts --runs 1  # the scripts whose path has it
"""
# %% Imports
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import common
from common import make_parser
from common.paths import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT))
import run_all  # noqa: E402  (the tour's scripts, their options and kinds)

common.report_errors_in_one_line()  # A learner's error (no script matches) ends in one line

# %% Settings
RUNS = 3          # Runs of each script in each column
KINDS = ('concept', 'lesson')
LIMIT = 2.0       # A concept script's busy median should be at most this many times its quiet one
SPIN = 'while True: pass'  # The busy core: one Python process that never waits


# %% Running a script, quiet or beside a spinning process
def scripts(words=()):
    """(script, its default options) of run_all.SCRIPTS of KINDS, in the tour's order; with `words`, only the
    scripts whose path contains one of them."""
    return [(script, full) for script, _, full in run_all.select(list(words))
            if run_all.script_kind(script) in KINDS]


def run_once(script, options, env):
    """Seconds of one run of `script`, start to end, headless, its output thrown away; None if it failed."""
    command = run_all.build_command(script, options, full=True)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, encoding='utf-8')
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        print(f'  {script} failed: {lines[-1] if lines else f"exit code {result.returncode}"}')
        return None
    return seconds


def start_spinner():
    """One process that keeps one core busy until stop_spinner."""
    return subprocess.Popen([sys.executable, '-c', SPIN], stdin=subprocess.DEVNULL)


def stop_spinner(spinner):
    spinner.kill()
    spinner.wait()


def measure(script, options, runs, env):
    """{'quiet': [seconds, ...], 'busy': [...]}: `runs` of each, taking turns."""
    times = {'quiet': [], 'busy': []}
    for _ in range(runs):
        times['quiet'].append(run_once(script, options, env))
        spinner = start_spinner()
        try:
            time.sleep(0.2)  # The spinner is running before the script starts
            times['busy'].append(run_once(script, options, env))
        finally:
            stop_spinner(spinner)
    return times


def summary(times):
    """(median, lowest, highest) of the runs that ended well, or None if none did."""
    ok = [t for t in times if t is not None]
    return (float(np.median(ok)), min(ok), max(ok)) if ok else None


def table_row(script, kind, times):
    """One Markdown row: script, kind, quiet and busy medians with their ranges, busy / quiet."""
    quiet, busy = summary(times['quiet']), summary(times['busy'])
    cell = lambda s: f'{s[0]:.1f} ({s[1]:.1f}-{s[2]:.1f})' if s else 'failed'  # noqa: E731
    ratio = busy[0] / quiet[0] if quiet and busy else None
    mark = ' (over 2x)' if kind == 'concept' and ratio is not None and ratio > LIMIT else ''
    return (f'| `{script}` | {kind} | {cell(quiet)} | {cell(busy)} | '
            f'{f"{ratio:.2f}x" if ratio is not None else "-"}{mark} |'), ratio


def load_average():
    return ', '.join(f'{value:.2f}' for value in os.getloadavg()) if hasattr(os, 'getloadavg') else 'not known'


# %% Main
def main(argv=None):
    parser = make_parser('busy_machine', __doc__, data_dir=True)
    parser.add_argument('words', nargs='*', help='only the scripts whose path contains one of these words')
    parser.add_argument('--runs', type=common.positive_int, default=RUNS, help='runs of each script in each column')
    args = parser.parse_args(argv)
    chosen = scripts(args.words)
    if not chosen:
        raise common.UserError(f'no concept or lesson script matches {" ".join(args.words)}')
    env = dict(os.environ, MPLBACKEND='Agg', PYTHONUNBUFFERED='1')
    if args.data_dir:
        env['DL_DATA_DIR'] = str(Path(args.data_dir).resolve())
    print(common.describe_machine())
    print(f'{os.cpu_count()} cores; load average (1, 5, 15 min) before: {load_average()}')
    print(f'{len(chosen)} scripts, their default runs, {args.runs} quiet and {args.runs} busy (one spinning '
          'process) each, taking turns; seconds start to end: median (lowest-highest)')
    rows, over = ['| script | kind | quiet s | one core busy s | busy / quiet |', '|---|---|---:|---:|---:|'], []
    for script, options in chosen:
        kind = run_all.script_kind(script)
        times = measure(script, options, args.runs, env)
        row, ratio = table_row(script, kind, times)
        rows.append(row)
        print(row, flush=True)
        if kind == 'concept' and ratio is not None and ratio > LIMIT:
            over.append(script)
    print()
    print('\n'.join(rows))
    print(f'\nLoad average (1, 5, 15 min) after: {load_average()} (with no other program running, the quiet '
          'column has about 0 and the busy one about 1 besides the script)')
    print(f'Concept scripts over {LIMIT:g}x busy / quiet: {", ".join(over) if over else "none"}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
