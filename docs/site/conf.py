"""Sphinx configuration of the tutorial's website. Build it with `python docs/build_site.py DIR`: that
stages the scripts in a temporary source folder and runs sphinx-build with this folder as its -c."""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import site_gallery  # noqa: E402  (the plan of this build and the gallery's helpers)
import site_pages  # noqa: E402  (what every page gets: a description, focusable code blocks, named landmarks)

PLAN = site_gallery.plan()

project = 'Deep Learning Tutorial with PyTorch'
author = 'Sunglok Choi (slides); the tutorial scripts'
html_title = project
extensions = ['sphinx_gallery.gen_gallery']
html_theme = 'furo'
default_role = 'code'          # `x` in the docstrings and cell titles is code, as in the scripts
exclude_patterns = ['src', '**/*.md5', '**/*.codeobj.json']
html_copy_source = False
html_show_sourcelink = False
html_show_copyright = False
suppress_warnings = ['config.cache']
html_static_path = ['_static']
html_css_files = ['site.css']
html_js_files = [('site.js', {'defer': 'defer'})]  # The drawers' icons made buttons (a keyboard opens them)
html_favicon = '_static/favicon.svg'  # Else browsers ask for /favicon.ico, which the site lacks: a 404 on every page
templates_path = ['_templates']       # search.html with a level-one heading

sphinx_gallery_conf = {
    'examples_dirs': 'src',                      # The staged scripts, one folder per section
    'gallery_dirs': '.',                         # The pages: the home page is the gallery's index
    'filename_pattern': r'^(?!(?:%s)$)' % '|'.join(
        [r'.*[\\/]' + re.escape(entry['page'].split('/')[-1]) + r'\.py' for entry in PLAN['scripts']
         if entry['not_run']] or ['$^']),    # Run every script but those that need a window or processes
    'within_subsection_order': site_gallery.SlideOrder,
    'reset_argv': site_gallery.reset_argv,
    'image_scrapers': (site_gallery.saved_figures, 'matplotlib'),
    'capture_repr': (),                         # What the script printed, as in a terminal
    'download_all_examples': False,
    'css': ['sg_gallery'],                      # Not its binder, dataframe and HTML-output CSS: none on our pages, and
                                                # each file is one more request before a phone paints (Lighthouse)
    'write_computation_times': False,           # Its pages load jQuery and DataTables from CDNs; each page has its time
    'inspect_global_variables': False,
    'remove_config_comments': True,
    'abort_on_example_error': False,
    'only_warn_on_example_error': False,
}


def setup(app):
    app.connect('source-read', site_gallery.finish_page)
    app.connect('html-page-context', site_pages.page_context)
    app.connect('build-finished', site_pages.name_landmarks)
