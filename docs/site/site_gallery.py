"""The sphinx-gallery helpers of the site (docs/build_site.py): the scripts' order, options, figures and notes.

The build's plan (docs/build_site.py writes it, a JSON file named by $DL_SITE_PLAN) lists the scripts in slide
order, each with its page (<section>/<name>), title, kind and the options it runs with; conf.py hands these
functions to sphinx-gallery. Module-level functions and classes, so that Sphinx can cache the configuration
that names them.
"""
import json
import os
import re
import shutil
from pathlib import Path

PLAN_VAR = 'DL_SITE_PLAN'  # docs/build_site.py names the build's plan (a JSON file) in this variable
_plan = {}


def plan():
    """The plan of this build (read once), or a clear error when conf.py is used without docs/build_site.py."""
    if not _plan:
        path = os.environ.get(PLAN_VAR)
        if not path or not Path(path).is_file():
            raise SystemExit('error: build the site with `python docs/build_site.py DIR` (it stages the scripts '
                             'and writes the plan that docs/site/conf.py reads)')
        _plan.update(json.loads(Path(path).read_text(encoding='utf-8')))
        _plan['pages'] = {entry['page']: entry for entry in _plan['scripts']}
    return _plan


def page_of(src_file):
    """The plan's entry of a staged script (`.../src/<section>/<name>.py`)."""
    path = Path(src_file)
    return plan()['pages'].get(f'{path.parent.name}/{path.stem}')


class SlideOrder:
    """sphinx-gallery's `within_subsection_order`: the order of run_all.py's SCRIPTS (the slides' order),
    which is also the order the scripts run in (a load script after the script that saves its model)."""

    def __init__(self, src_dir):
        self.src_dir = src_dir
        self.order = {Path(entry['page']).name: number for number, entry in enumerate(plan()['scripts'])}

    def __call__(self, filename):
        return self.order.get(Path(filename).stem, len(self.order)), filename

    def __repr__(self):
        return f'<{self.__class__.__name__}>'


def reset_argv(gallery_conf, script_vars):
    """sphinx-gallery's `reset_argv`: the options of the script's run (sys.argv[1:])."""
    entry = page_of(script_vars['src_file'])
    return list(entry['argv']) if entry else []


_seen = {}


def saved_figures(block, block_vars, gallery_conf):
    """An image scraper for `common.save_figure`, which saves each figure as PNG in the script's --out-dir and
    closes it (so matplotlib's own scraper never sees it): the PNGs written there since the last code block,
    in the order they were written, as the page's figures of this block."""
    from sphinx_gallery.scrapers import figure_rst
    entry = page_of(block_vars['src_file'])
    if not entry:
        return ''
    out_dir = Path(entry['out_dir'])
    seen = _seen.setdefault(str(out_dir), {})
    new = []
    for png in sorted(out_dir.rglob('*.png'), key=lambda p: p.stat().st_mtime_ns) if out_dir.is_dir() else []:
        stamp = (png.stat().st_mtime_ns, png.stat().st_size)
        if seen.get(str(png)) != stamp:
            seen[str(png)] = stamp
            new.append(png)
    images = []
    for png, image_path in zip(new, block_vars['image_path_iterator']):
        shutil.copyfile(png, image_path)
        images.append(image_path)
    return figure_rst(images, gallery_conf['src_dir']) if images else ''


KIND_NOTE = {'lesson': "a lesson script, the slide's own code", 'concept': 'a concept script: the slide made runnable',
             'further': 'a further script, beyond the slides',
             'exercise': ('an exercise: download it (below), write your answer where it says and run it; its last '
                          "cell checks your answer against PyTorch. Below: what it prints before you start (its "
                          'solution is in the repository, exercises/solutions/)')}


def settings_note(entry):
    """The note under a page's title: which script it is, and how the build ran it (or why it did not, and how to)."""
    kind = f'This page is ``{entry["script"]}``, {KIND_NOTE.get(entry["kind"], entry["kind"])}. '
    if entry['not_run']:
        return (f'.. note::\n\n   {kind}Not run by this build: {entry["not_run"]}. Run it on your machine with '
                f'``{entry["run_line"]}``.\n')
    if entry['kind'] == 'exercise':
        return f'.. note::\n\n   {kind}This page ran it as ``{entry["command"]}``.\n'
    if plan()['full']:
        return f'.. note::\n\n   {kind}Built with the script\'s defaults (``--full``): ``{entry["command"]}``.\n'
    if not entry['argv']:
        return (f'.. note::\n\n   {kind}Built with quick settings, those of ``python run_all.py``: this script has '
                f'none, and ran as ``{entry["command"]}``, with its defaults.\n')
    temp = ' (TMP: a temporary folder)' if 'TMP' in entry['command'] else ''
    return (f'.. note::\n\n   {kind}Built with quick settings, those of ``python run_all.py`` (the tests use them '
            f'too): ``{entry["command"]}``{temp}. Without these options the script runs with its defaults'
            + (", the slide's settings.\n" if entry['kind'] == 'lesson' else '.\n'))


ZIP_DOWNLOAD = re.compile(r'\n *\.\. container:: sphx-glr-download sphx-glr-download-zip\n\n *:download:`[^`]*`\n')


def finish_page(app, docname, source):
    """Sphinx `source-read` of a script's page: the settings note under its title; the download of the .py is
    the script as it is in the repository (the staged copy has the headings added for the page); no zip."""
    entry = plan()['pages'].get(docname)
    if entry is None:
        return
    title = re.escape(entry['title'])
    text = re.sub(rf'^({title}\n=+\n)', lambda match: match.group(1) + '\n' + settings_note(entry) + '\n',
                  source[0], count=1, flags=re.M)
    source[0] = ZIP_DOWNLOAD.sub('\n', text)
    shutil.copyfile(entry['source'], Path(app.srcdir) / f'{docname}.py')
