"""Build the tutorial as a website: every script's page with the output and figures of a real run.

    pip install -r docs/requirements.txt     # once: Sphinx, sphinx-gallery, the Furo theme
    python docs/build_site.py DIR            # quick settings (run_all.py's), a few minutes on a CPU
    python docs/build_site.py DIR --full     # each script's defaults (the slides' runs): a GPU helps
    python docs/build_site.py DIR 01_tensors grad_descent   # only the scripts whose path has one of these words

Then open DIR/index.html: the home page lists the sections in slide order, each script with its title and a
thumbnail of its first figure. A script's title is its docstring's (`run_all.script_title`): the slide that a
lesson or concept script names, or what a further script does. A script's page shows its docstring, its `# %%`
cells in order, each followed by what it printed and the figures it drew, the run time, and buttons to download
the .py and .ipynb.

It wraps `sphinx-build` with sphinx-gallery: the scripts (those of run_all.py's SCRIPTS, in that order: lesson
scripts, and those of `concepts/` and `further/`) are copied into a staging folder, one folder per section, where
each `# %% Title` line becomes a heading of the page, and executed there with the options of run_all.py's quick
tour (or none: --full). Their outputs (figures, checkpoints) go to a temporary folder, never into the repository.
The downloads are the scripts as they are in the repository. Scripts that need a window or several processes
get a page with their code and how to run them, unrun. The build fails if a script fails, or if the page of a
script that ran shows no output at all. With every page, the build adds the Play page (docs/play/, `play_page`):
the lessons' models, exported to ONNX, run in the browser (it needs npm and the npm registry, or npm's cache).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # This checkout's run_all and common
sys.path.insert(0, str(Path(__file__).resolve().parent / 'site'))  # The gallery's helpers, beside conf.py
from site_gallery import PLAN_VAR  # noqa: E402  (the variable that names the build's plan, for conf.py)

import run_all  # noqa: E402  (the tour's list of scripts, their titles and quick options)
from common import UserError  # noqa: E402
from common.exercises import docstring_of, find_exercises, load_exercise  # noqa: E402
from common.paths import DATA_ENV_VAR, REPO_ROOT, resolve_data_dir, results_dir  # noqa: E402

CONF_DIR = Path(__file__).resolve().parent / 'site'   # conf.py and the gallery's helpers
# Scripts that the build shows but does not run: (why, how to run it). The DDP scripts are found by name.
NEEDS_A_WINDOW = {'04_cnn_mnist/further/draw_digit.py': 'it opens a window to draw a digit with the mouse'}
DDP_LINE = 'torchrun --standalone --nproc_per_node 2 {script}'
CELL_HEADER = re.compile(r'^# ?%%(.*)$')
KINDS = ("**Lesson scripts** are the slides' own code; **concept scripts** (`concepts/`) make a slide without code "
         "runnable, its formula beside PyTorch's own; **exercises** (`exercises/`) ask you to write a slide's formula "
         "or mend a slide's bug, and check your answer against PyTorch; **further scripts** (`further/`) go beyond "
         'the slides. Each page says which it is.')
# The Play page (docs/play/): the lessons' models, exported to ONNX, run in the browser. Built with every page of
# the site (not for a few of them): (the lesson that trains a model, its checkpoint, the script that exports it)
PLAY_MODELS = [
    ('04_cnn_mnist/cnn_mnist.py', 'cnn_mnist.pt', '04_cnn_mnist/further/cnn_mnist_onnx.py'),
    ('05_rnn_name2lang/rnn_name2lang.py', 'rnn_name2lang.pt', '05_rnn_name2lang/further/rnn_name2lang_onnx.py'),
]
PLAY_LINK = ('Play with {which} in your browser, with no install: draw a digit or type a name on the '
             '`Play page <{up}play/index.html>`_ (ONNX Runtime Web runs {it} there).')


def not_run_reason(script):
    """(why the build does not run `script`, the command that runs it), or None for a script that it runs."""
    if script.endswith('_ddp.py'):
        return 'it needs several processes', DDP_LINE.format(script=script)
    if script in NEEDS_A_WINDOW:
        return NEEDS_A_WINDOW[script], f'python {script}'
    return None


def section_title(section_dir):
    """The section README's first heading, e.g. '01_tensors: practice with tensors'."""
    readme = section_dir / 'README.md'
    if readme.is_file():
        for line in readme.read_text(encoding='utf-8').splitlines():
            if line.startswith('# '):
                return line[2:].strip()
    return section_dir.name


def rst_heading(text, underline):
    return f'{text}\n{underline * len(text)}\n'


def rst_lists(docstring):
    """The docstring with a blank line before each list that follows a paragraph directly ("... on purpose:" then
    "- ..."), which reStructuredText (unlike Markdown) needs to see a list."""
    out = []
    for line in docstring.split('\n'):
        previous = out[-1] if out else ''
        if line.startswith(('- ', '* ')) and previous.strip() and not previous.startswith(('- ', '* ', ' ')):
            out.append('')
        out.append(line)
    return '\n'.join(out)


def staged_source(path, title, note=''):
    """The script's text for sphinx-gallery: the slide's title on top of the docstring (and `note` below it), and
    each `# %% Title` line turned into `# %%` and a heading, so the cells' titles show on the page."""
    text = path.read_text(encoding='utf-8')
    match = re.match(r'(\s*(?:#[^\n]*\n\s*)*)[rRuU]?("""|\'\'\')', text)
    if not match:
        raise SystemExit(f'error: {path} has no docstring for its page')
    start = match.end()
    end = text.find(match.group(2), start)
    text = (text[:start] + rst_heading(title, '=') + '\n' + rst_lists(text[start:end])
            + (f'\n\n{note}\n' if note else '') + text[end:])
    lines, out = text.splitlines(), []
    for number, line in enumerate(lines):
        header = CELL_HEADER.match(line)
        if not header:
            out.append(line)
            continue
        cell_title = header.group(1).strip()
        out.append('# %%')
        if cell_title:
            out += [f'# {cell_title}', '# ' + '-' * len(cell_title)]
            next_line = lines[number + 1] if number + 1 < len(lines) else ''
            if next_line.startswith('#'):  # Keep the script's own comments in its code, not in the prose
                out.append('')
    return '\n'.join(out) + '\n'


def full_options(quick, full):
    """--full: the script's defaults, except where the quick options name the build's folders (--out-dir, the
    model that the build trained), so that outputs stay out of the repository and a load script finds the model."""
    kept = []
    for flag, value in zip(quick, quick[1:]):
        if flag.startswith('--') and '{out' in value and flag not in full:
            kept += [flag, value]
    return kept + list(full)


def spelt_out(name):
    """A slide's name without "Practice) ", a range spelt out: `"X (1/3)-(3/3)"` -> X (1/3), X (2/3), X (3/3)."""
    name = re.sub(r'^(?:Practice|Discussion)\) ', '', name)
    parts = re.fullmatch(r'(.*) \((\d+)/(\d+)\)-\((\d+)/\3\)', name)
    return [f'{parts[1]} ({part}/{parts[3]})' for part in range(int(parts[2]), int(parts[4]) + 1)] if parts else [name]


def page_slides(script):
    """The slides a page names (`spelt_out`)."""
    return [one for name in run_all.slide_names(run_all.docstring(script)) for one in spelt_out(name)]


def exercise_slides(entry):
    """The slides an exercise's task quotes (`Slide "..."` or `slide "..."`, `spelt_out`), the one it names first
    first."""
    quoted = re.findall(r'\b[Ss]lides? "([^"]+)"', docstring_of(entry.solution))
    return list(dict.fromkeys(one for name in [entry.slide] + quoted for one in spelt_out(name)))


def pages_in_slide_order():
    """(script, quick options, full options) of every page: run_all.SCRIPTS, and each exercise after the last script
    of its section that names the exercise's slide (else the next slide its task quotes; else after the section's
    first run of pages), run with a fixed seed so that its page shows the same checks at every build. An exercise's
    page shows its task and its check, not its solution (the learner's file has none). A challenge's file trains for
    minutes before its check: its page runs the check alone (--check-only), looking for a model in the build's own
    folder, where there is none."""
    pages = list(run_all.SCRIPTS)
    for entry in find_exercises():
        script = entry.exercise.relative_to(REPO_ROOT).as_posix()
        section = [index for index, (other, _, _) in enumerate(pages) if other.startswith(entry.section + '/')]
        after = next(([index for index in section if slide in page_slides(pages[index][0])][-1]
                      for slide in exercise_slides(entry) if any(slide in page_slides(pages[index][0])
                                                                 for index in section)), None)
        if after is None:  # The section's first run of pages (a page of it may sit among a later section's)
            after = section[0] if section else len(pages) - 1
            while after + 1 < len(pages) and pages[after + 1][0].startswith(entry.section + '/'):
                after += 1
        while after + 1 < len(pages) and pages[after + 1][0].startswith(f'{entry.section}/exercises/'):
            after += 1  # After the exercises already placed there
        options = ['--seed', '0'] + (['--check-only', '--out-dir', '{out}'] if load_exercise(entry).kind == 'challenge'
                                     else [])
        pages.insert(after + 1, (script, options, options))
    return pages


def make_plan(words, full, staging, out_root):
    """What to build: the pages (`pages_in_slide_order`: the scripts of run_all.SCRIPTS and the exercises) whose path
    has one of `words` (all if none), in slide order. Each script's page is <section>/<script name> (lesson, concept,
    further scripts and exercises side by side), titled by `run_all.script_title`; its outputs go to
    `out_root`/<script name>."""
    chosen = run_all.select(words, pages_in_slide_order())
    if not chosen:
        raise SystemExit(f'error: no script of run_all.py matches {words}')
    scripts = []
    for script, quick, full_opts in chosen:
        path = REPO_ROOT / script
        if not path.is_file():
            raise SystemExit(f'error: {script} (in run_all.SCRIPTS) does not exist')
        section = Path(script).parts[0]
        page = f'{section}/{path.stem}'
        if page in {entry['page'] for entry in scripts}:
            raise SystemExit(f'error: two scripts of {section} are named {path.name}: their pages would clash')
        argv = run_all.fill(full_options(quick, full_opts) if full else quick, script, root=out_root)
        shown = [option.replace(str(out_root), 'TMP') for option in argv]
        reason = not_run_reason(script)
        scripts.append({'script': script, 'source': str(path), 'section': section, 'page': page,
                        'kind': run_all.script_kind(script), 'title': run_all.script_title(script), 'argv': argv,
                        'command': ' '.join(['python', script, *shown]), 'out_dir': str(out_root / path.stem),
                        'not_run': reason and reason[0], 'run_line': reason and reason[1]})
    sections = sorted({entry['section'] for entry in scripts})
    listed = {script for script, _, _ in pages_in_slide_order()}
    unlisted = [script for script in map(str, (path.relative_to(REPO_ROOT) for path in run_all.section_scripts()))
                if Path(script).parts[0] in sections and script not in listed]
    return {'full': full, 'scripts': scripts, 'sections': sections, 'unlisted': unlisted,
            'staging': str(staging), 'out_root': str(out_root),
            'quick_from': 'run_all.py (SCRIPTS: the quick tour, the options the tests use too)'}


def stage(plan, source):
    """Write the sphinx-gallery tree: src/<section>/ with a header and a staged copy of each page's script (from the
    section's top, `concepts/` or `further/`); return the folder of the examples. Nothing else is copied: the
    scripts import their section's modules (the lesson, `helpers/`) from the repository by `common.add_to_path`,
    as they do from any folder."""
    examples = source / 'src'
    mode = "each script's defaults (`--full`)" if plan['full'] else 'quick settings, those of `python run_all.py`'
    intro = ('Every script of the tutorial in slide order, each with what it printed and drew when this site was '
             f'built ({mode}). Each page names its slide and ends with buttons to download the script as a `.py` '
             'file or a Jupyter notebook. ' + KINDS)
    examples.mkdir(parents=True)
    (examples / 'GALLERY_HEADER.rst').write_text(
        rst_heading('Deep Learning Tutorial with PyTorch', '=') + '\n' + intro + '\n', encoding='utf-8')
    for section in plan['sections']:
        (examples / section).mkdir()
        (examples / section / 'GALLERY_HEADER.rst').write_text(rst_heading(section_title(REPO_ROOT / section), '-'),
                                                               encoding='utf-8')
    if with_play(plan):
        header = examples / 'GALLERY_HEADER.rst'
        link = PLAY_LINK.format(which='the trained models', up='', it='them')
        header.write_text(f"{header.read_text(encoding='utf-8')}\n{link}\n", encoding='utf-8')
    linked = {lesson for lesson, _, _ in PLAY_MODELS} if with_play(plan) else set()
    for entry in plan['scripts']:
        link = PLAY_LINK.format(which='this model', up='../', it='it') if entry['script'] in linked else ''
        staged = staged_source(Path(entry['source']), entry['title'], link)
        (examples / f'{entry["page"]}.py').write_text(staged, encoding='utf-8')
    return examples


def with_play(plan):
    """True when the build makes the Play page: every page of the site is built (its models' lessons among them)."""
    return {entry['script'] for entry in plan['scripts']} >= {script for script, _, _ in run_all.SCRIPTS}


def run_step(command, env, what):
    """Run one step of the Play page's build (a training, an export), its output shown; stop in one line if it fails."""
    print(f'Play page: {what}')
    if subprocess.run(command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL).returncode != 0:
        raise SystemExit(f'error: the Play page could not be built: {what} failed')


def play_model(lesson, checkpoint, models_dir=None):
    """Where the Play page takes `lesson`'s model from: `models_dir`/<lesson>/`checkpoint` (a lesson's --out-dir), else
    the lesson's results/ folder."""
    return (Path(models_dir) / Path(lesson).stem if models_dir else results_dir(lesson)) / checkpoint


def play_page(site, plan, env, models_dir=None):
    """Write site/play/: each model of PLAY_MODELS is the reader's own, where its lesson saved one (results/, or
    `models_dir` as --out-dir folders: DIR/cnn_mnist/cnn_mnist.pt), else trained here with the lesson's defaults (not
    the quick settings); then exported to ONNX and checked against PyTorch by its further script, which writes the
    model's test accuracy beside it (docs/play/build_play.py)."""
    sys.path.insert(0, str(REPO_ROOT / 'docs' / 'play'))
    import build_play as play_build  # docs/play/build_play.py
    exported = []
    for lesson, checkpoint, export in PLAY_MODELS:
        folder = Path(plan['out_root']) / 'play' / Path(lesson).stem
        folder.mkdir(parents=True, exist_ok=True)
        own = play_model(lesson, checkpoint, models_dir)
        if own.is_file():
            shutil.copy2(own, folder / checkpoint)
            print(f'Play page: your model {own}')
        else:
            run_step([sys.executable, str(REPO_ROOT / lesson), '--out-dir', str(folder)], env,
                     f'training {lesson} with its defaults (no model of yours in {own.parent})')
        run_step([sys.executable, str(REPO_ROOT / export), '--model', str(folder / checkpoint),
                  '--out-dir', str(folder / 'export'), '--repeats', '1'], env, f'exporting it to ONNX ({export})')
        exported.append(folder / checkpoint.replace('.pt', '.onnx'))
    try:
        play_build.build_play(site, *exported)
    except play_build.PlayBuildError as error:
        raise SystemExit(f'error: {error}') from None
    print(f'Play page: {site / "play" / "index.html"}')


def check_pages(plan, source, site):
    """The pytorch/tutorials check: every page of a script that ran shows output (printed text or a figure).
    Print one line per page; return the number of pages without output or missing."""
    width = max([len(entry['script']) for entry in plan['scripts']] + [4])
    print(f'{"page":<{width}} {"seconds":>8} {"outputs":>8} {"figures":>8}')
    bad = 0
    for entry in plan['scripts']:
        rst, html = source / f'{entry["page"]}.rst', site / f'{entry["page"]}.html'
        text = rst.read_text(encoding='utf-8') if rst.is_file() else ''
        outputs = text.count('.. rst-class:: sphx-glr-script-out')
        figures = len(re.findall(r'image-sg:: \S*images/sphx_glr_', text))
        seconds = re.search(r'\*\*Total running time of the script:\*\*\s*\((\d+) minutes ([\d.]+) seconds\)', text)
        seconds = int(seconds.group(1)) * 60 + float(seconds.group(2)) if seconds else 0.0
        status = ''
        if not html.is_file():
            status, bad = 'MISSING', bad + 1
        elif entry['not_run']:
            status = 'not run: ' + entry['not_run']
        elif outputs + figures == 0:
            status, bad = 'NO OUTPUT', bad + 1
        print(f'{entry["script"]:<{width}} {seconds:>8.1f} {outputs:>8} {figures:>8}  {status}'.rstrip())
    return bad


def build_site(site_dir, full=False, only=(), data_dir=None, keep=False, models_dir=None):
    """Build the site into `site_dir`; return 0 when every page was built and shows output, else 1."""
    site = Path(site_dir).resolve()
    if site.exists() and not site.is_dir():
        raise SystemExit(f'error: {site_dir} is a file, not a folder')
    data_dir = resolve_data_dir(data_dir) if data_dir else None  # A folder that does not exist: said at once
    for lesson, checkpoint, _ in PLAY_MODELS if models_dir else ():  # Asked for: there before minutes of building
        model = play_model(lesson, checkpoint, models_dir)
        if not model.is_file():
            raise SystemExit(f'error: --models {models_dir}: no {model} (python {lesson} --out-dir {model.parent})')
    staging = Path(tempfile.mkdtemp(prefix='dl_tutorial_site_'))
    source, out_root = staging / 'source', staging / 'outputs'
    plan = make_plan(list(only), full, staging, out_root)
    for script in plan['unlisted']:
        print(f'(no page: {script} is not in run_all.py SCRIPTS)')
    stage(plan, source)
    plan_file = staging / 'plan.json'
    plan_file.write_text(json.dumps(plan, indent=1), encoding='utf-8')
    env = dict(os.environ, MPLBACKEND='Agg', PYTHONUNBUFFERED='1', DL_EXERCISE_EXIT='0',  # An exercise's page: its
               **{PLAN_VAR: str(plan_file)})                                               # checks, not started
    if data_dir:
        env[DATA_ENV_VAR] = str(data_dir)
    command = [sys.executable, '-m', 'sphinx', '-b', 'html', '-q', '-c', str(CONF_DIR), '-d',
               str(staging / 'doctrees'), str(source), str(site)]
    print(f'Building {len(plan["scripts"])} pages ({"full" if full else "quick"} settings) into {site}')
    start = time.time()
    code = subprocess.run(command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL).returncode
    seconds = time.time() - start
    bad = check_pages(plan, source, site) if code == 0 else 0
    if code == 0 and not bad and with_play(plan):
        play_page(site, plan, env, models_dir)
        seconds = time.time() - start
    if keep:
        print(f'Staging folder kept: {staging}')
    else:
        shutil.rmtree(staging, ignore_errors=True)
    if code != 0:
        print(f'error: sphinx-build failed (exit code {code}) after {seconds:.0f} seconds', file=sys.stderr)
        return 1
    if bad:
        print(f'error: {bad} page(s) missing or without any output', file=sys.stderr)
        return 1
    print(f'Site built in {seconds:.0f} seconds: {site / "index.html"}')
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description='Build the tutorial as a website (Sphinx, sphinx-gallery).')
    parser.add_argument('site_dir', metavar='DIR', help='folder for the site (open DIR/index.html)')
    parser.add_argument('only', nargs='*', help='build only the scripts whose path contains one of these words')
    parser.add_argument('--full', action='store_true', help="run each script with its defaults, not quick settings")
    parser.add_argument('--data-dir', default=None, help='data folder for the scripts (default: $DL_DATA_DIR, '
                                                         'else data/ in the repository)')
    parser.add_argument('--keep', action='store_true', help='keep the staging folder (for debugging the build)')
    parser.add_argument('--models', metavar='DIR', default=None,
                        help="the Play page's models, as the lessons save them with --out-dir DIR/cnn_mnist and "
                             'DIR/rnn_name2lang (default: results/ in the repository, else trained with the '
                             "lessons' defaults)")
    args = parser.parse_args(argv)
    try:
        import sphinx  # noqa: F401
        import sphinx_gallery  # noqa: F401
    except ModuleNotFoundError as error:
        raise SystemExit(f"error: {error}; run 'pip install -r docs/requirements.txt'") from None
    try:
        return build_site(args.site_dir, args.full, args.only, args.data_dir, args.keep, args.models)
    except UserError as error:
        raise SystemExit(f'error: {error}') from None


if __name__ == '__main__':
    sys.exit(main())
