"""nbgrader: the exercises as an nbgrader source assignment, one notebook per exercise.

    pip install -r teachers/requirements.txt                  # nbgrader (teachers only; learners install nothing more)
    python teachers/nbgrader_export.py COURSE/                # COURSE/source/dl_exercises/NN_name.ipynb, every exercise
    python teachers/nbgrader_export.py COURSE/ --exercises convolve retain_grad --points convolve=2

Then, in COURSE/ (nbgrader's course folder; `nbgrader_config.py` is written there if it has none):

    nbgrader generate_assignment dl_exercises      # release/dl_exercises/: the students' notebooks, no solutions
    # the students' notebooks go to submitted/<student>/dl_exercises/ (nbgrader collect, or by hand)
    nbgrader autograde dl_exercises                # the points in gradebook.db (nbgrader export: a CSV)

Each notebook is made from the exercise's solution file: the task (its docstring) as a read-only markdown cell, its
cells in order, each answer cell an nbgrader solution cell (the solution between nbgrader's own marks, `### BEGIN
SOLUTION` / `### END SOLUTION`; a slide's bug keeps the slide's code as comments after it), and the exercise's
check as an autograded test cell with the exercise's points: `common.check_exercise` on the slide's numbers and on
new random inputs (hidden test data: a new seed each time it runs), the cell failing when a check fails.

nbgrader runs the student's cells and the test cells in one kernel, as the student wrote them: a student who patches
the checker in their own cell can pass its test cells. Where grades must hold, grade the same notebooks with
teachers/grade.py (it reads `submitted/`: one folder per student, each notebook named as its exercise), which keeps
each submission in a sandbox and compares answers in its own process.
"""
import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # This checkout's common and teachers, from any folder
from common.cli import DefaultsFormatter  # noqa: E402
from common.errors import UserError  # noqa: E402
from common.exercises import BEGIN, BEGIN_SLIDE, CHECK_CELL, END_SLIDE, docstring_of, find_exercises  # noqa: E402
from teachers import grade  # noqa: E402

ASSIGNMENT = 'dl_exercises'
CONFIG = '''\
"""nbgrader's settings for this course (written by teachers/nbgrader_export.py: yours to change)."""
c = get_config()  # noqa: F821 (nbgrader defines it)
c.CourseDirectory.course_id = 'dl_tutorial'
c.Execute.timeout = 300  # Seconds per cell: the first one imports PyTorch
'''
TEST_CELL = '''\
# The check (autograded, {points:g} point{plural}): PyTorch's answer on the slide's numbers and on new random inputs
results = common.check_exercise({name!r}, globals())
assert results and all(result.status == 'pass' for result in results), 'a check fails: see its line above'
'''


def cells_of(text):
    """A solution file's cells: (title, lines) for each `# %%` cell, the module docstring's part left out."""
    cells, title, lines = [], None, []
    for line in text.splitlines():
        if line.startswith('# %%'):
            if title is not None:
                cells.append((title, lines))
            title, lines = line[4:].strip(), []
        elif title is not None:
            lines.append(line)
    if title is not None:
        cells.append((title, lines))
    return cells


def slide_code_as_comments(lines):
    """The answer's lines for nbgrader: the slide's code region (`### BEGIN SLIDE CODE`) becomes comments under one
    line that says what they are; nbgrader replaces the solution before them with its stub."""
    out = []
    for line in lines:
        if line.strip() == BEGIN_SLIDE:
            indent = line[:len(line) - len(line.lstrip())]
            out.append(f"{indent}# The slide's code as printed: write it mended above, in place of raise "
                       'NotImplementedError()')
        elif line.strip() != END_SLIDE:
            out.append(line)
    return out


def metadata(grade_id, solution=False, graded=False, locked=False, points=None):
    """nbgrader's cell metadata (schema 3)."""
    data = {'grade': graded, 'grade_id': grade_id, 'locked': locked, 'schema_version': 3, 'solution': solution,
            'task': False}
    if graded:
        data['points'] = points
    return {'nbgrader': data}


def notebook_of(entry, points):
    """The exercise's source notebook for nbgrader."""
    import nbformat
    task = docstring_of(entry.solution)
    first, _, rest = task.partition('\n')
    markdown = f'# Exercise {entry.name}: {first}\n\n{rest.strip()}\n'
    notebook = nbformat.v4.new_notebook()
    notebook.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    notebook.metadata['language_info'] = {'name': 'python'}
    notebook.cells.append(nbformat.v4.new_markdown_cell(markdown, metadata=metadata(f'task_{entry.name}',
                                                                                     locked=True)))
    answers = 0
    for title, lines in cells_of(entry.solution.read_text(encoding='utf-8')):
        if f'# %% {title}'.startswith(CHECK_CELL):
            continue  # The check's inputs and PyTorch's answer: common.check_exercise reads them from the repository
        code = '\n'.join(lines).strip('\n')
        if f"common.check_exercise({entry.name!r}" in code:
            source = TEST_CELL.format(points=points, plural='' if points == 1 else 's', name=entry.name)
            cell_metadata = metadata(f'check_{entry.name}', graded=True, locked=True, points=points)
        elif any(line.strip() == BEGIN for line in lines):
            answers += 1
            source = f'# {title}\n' + '\n'.join(slide_code_as_comments(lines)).strip('\n')
            cell_metadata = metadata(f'answer_{entry.name}_{answers}', solution=True)
        elif title.startswith('Setup'):
            source, cell_metadata = f'# {title}\n{code}', metadata(f'setup_{entry.name}', locked=True)
        else:
            source, cell_metadata = f'# {title}\n{code}' if title else code, {}
        notebook.cells.append(nbformat.v4.new_code_cell(source.rstrip('\n'), metadata=cell_metadata))
    return notebook


def export(course, names=(), points=(), assignment=ASSIGNMENT):
    """Write COURSE/source/<assignment>/<exercise's file>.ipynb for each exercise (and nbgrader_config.py where
    COURSE has none); return the notebooks written."""
    import nbformat
    if not re.fullmatch(r'[A-Za-z0-9_.-]+', assignment):
        raise UserError(f"assignment name '{assignment}': use letters, digits, '_', '-' and '.'")
    entries = grade.select_exercises(names, find_exercises())
    points_of = grade.parse_points(points, entries)
    folder = Path(course) / 'source' / assignment
    folder.mkdir(parents=True, exist_ok=True)
    config = Path(course) / 'nbgrader_config.py'
    if not config.exists():
        config.write_text(CONFIG, encoding='utf-8')
    written = []
    for entry in entries:
        path = folder / Path(entry.exercise.name).with_suffix('.ipynb')
        nbformat.write(notebook_of(entry, points_of[entry.name]), str(path))
        written.append(path)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(prog='nbgrader_export.py', description=__doc__.split('\n\n')[0],
                                     formatter_class=DefaultsFormatter)
    parser.add_argument('course', type=Path, help="nbgrader's course folder (made if missing)")
    parser.add_argument('--assignment', default=ASSIGNMENT, help="the assignment's name")
    parser.add_argument('--exercises', nargs='+', metavar='NAME', help='by name or section (default: every one)')
    parser.add_argument('--points', nargs='+', metavar='N|NAME=N', help='points per exercise (default: 1 each)')
    args = parser.parse_args(argv)
    try:
        written = export(args.course, args.exercises, args.points, args.assignment)
    except UserError as error:
        print(f'error: {error}', file=sys.stderr)
        return 1
    print(f'{len(written)} notebooks in {written[0].parent if written else args.course}. Next, in {args.course}: '
          f'nbgrader generate_assignment {args.assignment}, then (the students\' notebooks in '
          f'submitted/<student>/{args.assignment}/) nbgrader autograde {args.assignment}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
