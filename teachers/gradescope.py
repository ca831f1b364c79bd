"""Gradescope: the exercises as an autograder zip in Gradescope's documented layout, and what runs inside it.

    python teachers/gradescope.py export autograder.zip                       # every exercise, 1 point each
    python teachers/gradescope.py export autograder.zip --exercises convolve retain_grad --points convolve=2

Upload autograder.zip as the assignment's autograder (Gradescope: "Programming Assignment", autograder "Zip file
upload", a base image of Ubuntu). Its root holds `setup.sh` (run once, when Gradescope builds the image: Python,
PyTorch's CPU build, this tutorial's packages, bubblewrap, the data a challenge needs) and `run_autograder` (run for
each submission). The rest is what grading needs from this repository (common/, teachers/, the exercises and their
solution files) and `teachers/gradescope.json` (the exercises and their points). For each submission,
`run_autograder` grades /autograder/submission as teachers/grade.py grades one student (the same checks, in the
same kind of process with the same limits) and writes /autograder/results/results.json: one test per exercise with
its score, max_score and output (what its checks said).

    python teachers/gradescope.py run SUBMISSION_FOLDER RESULTS_JSON         # what run_autograder runs
    python teachers/gradescope.py prepare                                     # what setup.sh runs (data)

`run_autograder` takes its root from $AUTOGRADER_ROOT (default /autograder) and its Python from $AUTOGRADER_PYTHON
(default the image's /autograder/venv): tests/test_grading.py runs it in a temporary folder that way.
"""
import argparse
import json
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # This checkout's common and teachers, from any folder
from common.cli import DefaultsFormatter  # noqa: E402
from common.errors import UserError  # noqa: E402
from common.exercises import find_exercises  # noqa: E402
from common.paths import REPO_ROOT  # noqa: E402
from teachers import grade  # noqa: E402
from teachers.submissions import Submission  # noqa: E402

CONFIG = 'teachers/gradescope.json'
SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image (Ubuntu): Python, PyTorch's CPU build, this
# tutorial's packages, bubblewrap (a sandbox for each submission, where the image lets it make one), then the
# exercises' checks once, which downloads the data a challenge needs (MNIST, the names).
set -euo pipefail
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-pip python3-venv bubblewrap
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install -q torch torchvision --index-url https://download.pytorch.org/whl/cpu
/autograder/venv/bin/pip install -q -r /autograder/source/requirements.txt
cd /autograder/source && /autograder/venv/bin/python teachers/gradescope.py prepare
"""
RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission: it grades /autograder/submission and writes
# /autograder/results/results.json (one test per exercise). $AUTOGRADER_ROOT and $AUTOGRADER_PYTHON change where.
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PYTHON="${AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}"
mkdir -p "$ROOT/results"
exec "$PYTHON" "$ROOT/source/teachers/gradescope.py" run "$ROOT/submission" "$ROOT/results/results.json"
"""
SECTION_FILES = '0[1-5]_*/**/*.py'  # The exercises, their solutions and the scripts a solution imports


def source_files():
    """The repository's files that grading needs: common/, teachers/ and the sections' Python files."""
    files = [*REPO_ROOT.glob('common/*.py'), *REPO_ROOT.glob('teachers/*.py'), *REPO_ROOT.glob(SECTION_FILES)]
    return sorted(path for path in files if '__pycache__' not in path.parts)


def requirements():
    """The learners' requirements.txt without its `-e .` (the zip's folder is the repository)."""
    lines = (REPO_ROOT / 'requirements.txt').read_text(encoding='utf-8').splitlines()
    return '\n'.join(line for line in lines if line.split('#')[0].strip() != '-e .') + '\n'


def member(name, mode=0o644):
    """A zip entry with its Unix mode (setup.sh and run_autograder: -rwxr-xr-x, as Gradescope runs them)."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def export(zip_path, names=(), points=(), time_limit=grade.TIME_LIMIT,
           challenge_time_limit=grade.CHALLENGE_TIME_LIMIT, memory_gb=grade.MEMORY_LIMIT_GB):
    """Write the autograder zip; return its path."""
    entries = grade.select_exercises(names, find_exercises())
    config = {'exercises': [entry.name for entry in entries], 'points': grade.parse_points(points, entries),
              'time_limit': time_limit, 'challenge_time_limit': challenge_time_limit, 'memory_gb': memory_gb}
    zip_path = Path(zip_path)
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = zip_path.with_name(f'.{zip_path.name}.tmp')
    with zipfile.ZipFile(temporary, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member('setup.sh', 0o755), SETUP_SH)
        archive.writestr(member('run_autograder', 0o755), RUN_AUTOGRADER)
        archive.writestr(member('requirements.txt'), requirements())
        archive.writestr(member(CONFIG), json.dumps(config, indent=2) + '\n')
        for path in source_files():
            archive.write(path, path.relative_to(REPO_ROOT).as_posix())
    temporary.replace(zip_path)
    return zip_path, config


def results_json(result, prepared, note, seconds):
    """Gradescope's results.json: a test per exercise (name, score, max_score, status, output), and a note."""
    tests = []
    for number, item in enumerate(prepared, start=1):
        graded = result.graded.get(item.entry.name)
        tests.append({'name': f'{item.entry.name} (slide "{item.entry.slide}")', 'number': str(number),
                      'score': graded.points if graded else 0, 'max_score': item.points,
                      'status': 'passed' if graded and graded.passed else 'failed',
                      'output': graded.text if graded else result.error})
    notes = [f'not graded: {result.error}'] if result.error else []
    notes += [*result.notes, note]
    return {'tests': tests, 'output': '\n'.join(notes), 'execution_time': round(seconds, 1),
            'stdout_visibility': 'hidden'}


def run(submission, results):
    """Grade one submission folder (Gradescope's /autograder/submission) and write Gradescope's results.json."""
    start = time.monotonic()
    config = json.loads((REPO_ROOT / CONFIG).read_text(encoding='utf-8'))
    entries = grade.select_exercises(config['exercises'], find_exercises())
    results = Path(results)
    try:
        with grade.grading_run(entries, config['points'], config['time_limit'], config['challenge_time_limit'],
                               config['memory_gb'], hidden=[results.parent]) as (prepared, grading, note):
            result = grade.grade_student(Submission('submission', Path(submission)), prepared, grading)
        data = results_json(result, prepared, note, time.monotonic() - start)
    except Exception as error:  # noqa: BLE001 (the grader's own failure: said in results.json, for the teacher)
        data = {'score': 0, 'output': f'the autograder failed: {type(error).__name__}: {error}',
                'execution_time': round(time.monotonic() - start, 1), 'tests': []}
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(data, indent=2) + '\n', encoding='utf-8')
    total = sum(test['score'] for test in data['tests'])
    print(f'{total:g} of {sum(test["max_score"] for test in data["tests"]):g} points: {results}'
          + (f' ({data["output"]})' if not data['tests'] else ''))
    return 0


def prepare():
    """Make each exercise's checks once (what setup.sh runs): a challenge's test data is downloaded now."""
    config = json.loads((REPO_ROOT / CONFIG).read_text(encoding='utf-8'))
    for entry in grade.select_exercises(config['exercises'], find_exercises()):
        exercise = grade.load_exercise(entry)
        grade.make_cases(exercise, 0)
        print(f'{entry.name}: ready')
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog='gradescope.py', description=__doc__.split('\n\n')[0])
    commands = parser.add_subparsers(dest='command', required=True)
    exporting = commands.add_parser('export', help='write the autograder zip', formatter_class=DefaultsFormatter)
    exporting.add_argument('zip', type=Path, help='the zip to write, e.g. autograder.zip')
    exporting.add_argument('--exercises', nargs='+', metavar='NAME', help='by name or section (default: every one)')
    exporting.add_argument('--points', nargs='+', metavar='N|NAME=N', help='points per exercise (default: 1 each)')
    exporting.add_argument('--time-limit', type=float, default=grade.TIME_LIMIT, help='seconds per exercise')
    exporting.add_argument('--challenge-time-limit', type=float, default=grade.CHALLENGE_TIME_LIMIT,
                           help='seconds per challenge')
    exporting.add_argument('--memory-limit', type=float, default=grade.MEMORY_LIMIT_GB, metavar='GB',
                           help="memory of the submission's process beyond PyTorch's own")
    running = commands.add_parser('run', help="grade one submission (run_autograder's command)")
    running.add_argument('submission', type=Path)
    running.add_argument('results', type=Path)
    commands.add_parser('prepare', help="make each exercise's checks once (setup.sh's command)")
    args = parser.parse_args(argv)
    try:
        if args.command == 'export':
            path, config = export(args.zip, args.exercises, args.points, args.time_limit, args.challenge_time_limit,
                                  args.memory_limit)
            print(f'{path}: {len(config["exercises"])} exercises, {sum(config["points"].values()):g} points. Upload it '
                  'as the assignment\'s autograder ("Zip file upload", an Ubuntu base image).')
            return 0
        return run(args.submission, args.results) if args.command == 'run' else prepare()
    except UserError as error:
        print(f'error: {error}', file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
