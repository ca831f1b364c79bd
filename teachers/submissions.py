"""A class's submissions as course platforms download them: one folder or one `.zip` per student in a folder, named
after the student; inside, the exercises' files anywhere (a zip's nested folder, the repository's layout, or flat),
each a `.py` or a `.ipynb` named as the exercise's file (`02_convolve.py`) or as the exercise (`convolve.py`).

A submission is data from outside: it is copied (never run) into a temporary folder of its own, without links
(a link could point at another student's folder), with a limit on its size and on its number of files; a zip that
cannot be read is reported, and the others go on.
"""
import shutil
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from common.exercises import exercise_name

MAX_BYTES = 200 * 2**20       # A submission larger than this (after unzipping) is not graded
MAX_FILES = 5000
SKIPPED_FOLDERS = {'solutions', '__MACOSX', '__pycache__', '.ipynb_checkpoints', '.git'}
SUFFIXES = ('.py', '.ipynb')


class SubmissionError(Exception):
    """A submission that cannot be graded at all (a broken zip, too large): the line that says why."""


@dataclass
class Submission:
    """One student's submission: their name (the folder's or the zip's, without .zip) and where it is."""
    student: str
    path: Path
    notes: list = field(default_factory=list)


def student_order(name):
    """The order of students in the progress lines and the grades: by name, whatever the letters' case."""
    return name.casefold(), name


def find_submissions(folder):
    """Every student's submission in `folder`, by name; and the lines about what was left out (a loose file, a
    folder and a zip of the same name)."""
    found, notes = {}, []
    for path in sorted(Path(folder).iterdir(), key=lambda path: student_order(path.name)):
        if path.name.startswith('.') or path.name == '__MACOSX':
            continue
        if path.is_dir() and not path.is_symlink():
            student = path.name
        elif path.is_file() and path.suffix.lower() == '.zip':
            student = path.stem
        else:
            notes.append(f'left out {path.name}: put each student\'s files in a folder or a .zip named after them')
            continue
        if student in found:
            kept = found[student].path.name
            notes.append(f'left out {path.name}: {kept} is {student}\'s submission already')
            continue
        found[student] = Submission(student, path)
    return list(found.values()), notes


def copy_submission(submission, target):
    """Copy the student's files into the folder `target` (new): a folder's files, or a zip's, without links and
    special files. Raises `SubmissionError` for a zip that cannot be read, or a submission over the limits."""
    target = Path(target)
    target.mkdir(parents=True)
    if submission.path.is_dir():
        copy_folder(submission.path, target, submission.notes)
    else:
        unzip(submission.path, target)
    return target


def copy_folder(source, target, notes):
    count, size = 0, 0
    for path in sorted(source.rglob('*')):
        relative = path.relative_to(source)
        if any(part in SKIPPED_FOLDERS for part in relative.parts[:-1]):
            continue
        if path.is_symlink():
            notes.append(f'{relative.as_posix()} is a link: not copied (only files are graded)')
            continue
        if path.is_dir() or not path.is_file():
            continue
        count, size = count + 1, size + path.stat().st_size
        check_limits(count, size)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative)


def check_limits(count, size):
    if count > MAX_FILES:
        raise SubmissionError(f'it has more than {MAX_FILES} files: not graded')
    if size > MAX_BYTES:
        raise SubmissionError(f'it is larger than {MAX_BYTES // 2**20} MiB: not graded')


def unzip(path, target):
    """Extract a zip's files into `target` (zipfile keeps every name inside it: no absolute path, no '..')."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            check_limits(len(members), sum(info.file_size for info in members))
            for info in members:
                if any(part in SKIPPED_FOLDERS for part in Path(info.filename).parts[:-1]):
                    continue
                archive.extract(info, target)
    except SubmissionError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError,
            NotImplementedError) as error:  # RuntimeError: a zip with a password
        raise SubmissionError(f'the zip cannot be read ({type(error).__name__}: {error})') from None


def answer_files(folder, entries):
    """The file that answers each exercise in the student's copy `folder`: {name: (relative path, note or None)}.
    Where several could, a `.py` before a `.ipynb`, the shallowest, then by name; the note names the others."""
    candidates = {}
    for path in sorted(Path(folder).rglob('*')):
        relative = path.relative_to(folder)
        if (path.suffix not in SUFFIXES or not path.is_file() or path.name.startswith('.')
                or any(part in SKIPPED_FOLDERS for part in relative.parts[:-1])):
            continue
        candidates.setdefault(exercise_name(path), []).append(relative)
    files = {}
    for entry in entries:
        found = sorted(candidates.get(entry.name, []), key=lambda path: (path.suffix != '.py', len(path.parts),
                                                                          path.as_posix()))
        if found:
            others = ', '.join(path.as_posix() for path in found[1:])
            files[entry.name] = (found[0], f'also found {others}: graded {found[0].as_posix()}' if others else None)
    return files
