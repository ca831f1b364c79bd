"""For teachers: grade a class's exercises (grade.py), and export them for nbgrader (nbgrader_export.py) and
Gradescope (gradescope.py). The README's "Teachers" section shows the commands."""
