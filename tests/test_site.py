"""Tests of the website (docs/build_site.py): the build's plan (every page's title: its slide, or what a further
script does), the staged pages of a section and the no-output check; then a real build of two small scripts'
pages, opened in headless Chromium (Debian's `chromium`, driven by Playwright): each page shows its code, a value
its slide prints and its figures, and its download links lead to the files; served as a reader serves it, every
page of that site passes axe-core on a phone and a desktop (issue 38; tests/test_play.py checks the Play page)."""
import ast
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import load_script

from common import REPO_ROOT
from common.exercises import find_exercises, load_exercise

BUILD_SITE = REPO_ROOT / 'docs' / 'build_site.py'
audit_tools = load_script('docs/audit_tools.py')  # Chromium and its flags, a static server, axe-core
CHROMIUM, CHROMIUM_FLAGS = audit_tools.CHROMIUM, audit_tools.CHROMIUM_FLAGS
# axe-core's sizes (issue 38): a phone and a laptop
AXE_SIZES = {'phone': {'width': 390, 'height': 844}, 'desktop': {'width': 1280, 'height': 720}}
# The two pages built for the browser: (script, a line of its code, a value its slide prints, its figures)
PAGES = [('02_autograd/grad_descent.py', 'y.backward()', 'x = 6.147', 1),
         ('03_nn_iris/vanishing_grad.py', "plt.title('Gradients with the sigmoid function')",
          'sigmoid 1-layer: max dy/dx = 0.2500', 2)]
EXERCISE_PAGE = '02_autograd/exercises/02_retain_grad.py'  # An exercise's page: its task and its check


def load_build_site():
    spec = importlib.util.spec_from_file_location('build_site', BUILD_SITE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_site = load_build_site()


# The plan and the check, without Sphinx ------------------------------------------------------------
def test_quick_options_are_run_all_ones_and_outputs_stay_out_of_the_repository(tmp_path):
    import run_all
    plan = build_site.make_plan([], False, tmp_path, tmp_path / 'out')
    scripts = [entry['script'] for entry in plan['scripts']]
    exercises = [script for script in scripts if '/exercises/' in script]
    assert [script for script in scripts if script not in exercises] == [script for script, _, _ in run_all.SCRIPTS]
    assert sorted(exercises) == sorted(entry.exercise.relative_to(REPO_ROOT).as_posix() for entry in find_exercises())
    for exercise, page in [('04_cnn_mnist/exercises/02_convolve.py', '04_cnn_mnist/concepts/convolution.py'),
                           ('03_nn_iris/exercises/02_activations.py', '03_nn_iris/activation_funcs.py'),
                           ('03_nn_iris/exercises/05_loss_curve.py', '03_nn_iris/iris_classification.py')]:
        # After the last page of its slide: "Convolution"; "Activation Function", which no page names, then the
        # next slide its task quotes, "Practice) Visualizing ..."; "(2/3)" of a page's "(1/3)-(3/3)"
        between = scripts[scripts.index(page) + 1:scripts.index(exercise)]  # Only other exercises of that slide
        assert scripts.index(exercise) > scripts.index(page) and all('/exercises/' in other for other in between), \
            exercise
    assert scripts.index('03_nn_iris/exercises/02_activations.py') > scripts.index(
        '03_nn_iris/exercises/03_backprop.py')
    pages = {entry['script']: entry for entry in plan['scripts']}
    challenges = [entry.exercise.relative_to(REPO_ROOT).as_posix() for entry in find_exercises()
                  if load_exercise(entry).kind == 'challenge']
    assert all(pages[script]['argv'] == ['--seed', '0'] for script in exercises  # The same checks at every build
               if script not in challenges)
    for script in challenges:  # Its check alone (no training for minutes), no model in the build's folder
        assert pages[script]['argv'] == ['--seed', '0', '--check-only', '--out-dir', str(tmp_path / 'out' /
                                                                                        Path(script).stem)]
    for script, quick, _ in run_all.SCRIPTS:  # The same options, with the output folders in the build's one
        out = tmp_path / 'out'
        assert pages[script]['argv'] == [option.replace('{out}', str(out / Path(script).stem))
                                         .replace('{out:', f'{out}/').replace('}', '') for option in quick]
    mnist = pages['04_cnn_mnist/cnn_mnist.py']
    assert mnist['argv'][-2:] == ['--out-dir', str(tmp_path / 'out' / 'cnn_mnist')]
    assert mnist['command'].startswith('python 04_cnn_mnist/cnn_mnist.py --epochs 1 ')
    assert mnist['command'].endswith(' --out-dir TMP/cnn_mnist')
    load = pages['04_cnn_mnist/cnn_mnist_load.py']['argv']
    assert load[load.index('--model') + 1] == str(tmp_path / 'out' / 'cnn_mnist' / 'cnn_mnist.pt')
    for entry in plan['scripts']:
        assert str(REPO_ROOT) not in ' '.join(entry['argv'])
        assert Path(entry['out_dir']).parent == tmp_path / 'out'
    not_run = {entry['script']: entry['run_line'] for entry in plan['scripts'] if entry['not_run']}
    assert not_run == {'04_cnn_mnist/further/draw_digit.py': 'python 04_cnn_mnist/further/draw_digit.py',
                       '04_cnn_mnist/further/cnn_mnist_ddp.py':
                           'torchrun --standalone --nproc_per_node 2 04_cnn_mnist/further/cnn_mnist_ddp.py'}


def is_a_title(title):
    """A page title, not a number ("99.03 %"), a half-sentence or a paragraph: a capital first, parentheses and
    quotes closed, no colon or sentence's end in it, at most 70 characters."""
    return (len(title) <= 70 and title[:1].isupper() and not re.fullmatch(r'[\d\s.,%]+', title)
            and title.count('(') == title.count(')') and title.count('"') % 2 == 0
            and not re.search(r'[:;]|(?<!vs)\. |[.,]$', title))


# The pages the issue found titled by a number, a half-sentence or a paragraph, and some of each form of docstring
TITLES = {
    '04_cnn_mnist/cnn_mnist.py': 'Digit Classification with the MNIST Dataset (1/4)-(4/4)',
    '04_cnn_mnist/further/cnn_mnist_further.py': 'Training the MNIST CNN better in the same time',
    '04_cnn_mnist/further/cnn_mnist_ddp.py': 'Data-parallel training of the MNIST CNN',
    '04_cnn_mnist/further/draw_digit.py': 'Draw a digit with the mouse',
    '01_tensors/create_tensor.py': 'Creating a Tensor (1/2)-(2/2)',
    '04_cnn_mnist/mnist_dataset.py': 'MNIST Dataset and Loading the MNIST Dataset',
    '02_autograd/grad_descent.py': 'Gradient Descent by Hands',
}


def test_every_page_of_the_site_is_titled_by_its_slide_or_what_it_does(tmp_path):
    import run_all
    plan = build_site.make_plan([], False, tmp_path, tmp_path / 'out')
    titles = {entry['script']: entry['title'] for entry in plan['scripts']}
    assert {script: titles[script] for script in TITLES} == TITLES
    for entry in plan['scripts']:
        script, title = entry['script'], entry['title']
        assert is_a_title(title), (script, title)
        assert title == run_all.script_title(script) and entry['kind'] == run_all.script_kind(script)
        docstring = ast.get_docstring(ast.parse((REPO_ROOT / script).read_text(encoding='utf-8')))
        if entry['kind'] in ('further', 'exercise'):  # What it does (what to write): the start of its docstring
            assert docstring.startswith(title), (script, title)
        else:  # The title is made of the slides quoted in the docstring (after `Slide` or `Slides`), joined
            assert re.search(r'^Slides? "', docstring, re.M), script
            rest = title
            for topic in re.findall(r'^Slide "[^"]+" (\([^()"]+\))', docstring, re.M):  # Which part of the slide
                rest = rest.replace(topic, '')
            for quoted in sorted(re.findall(r'"(?:Practice\) )?([^"]+)"', docstring), key=len, reverse=True):
                rest = rest.replace(quoted, '')
            assert re.fullmatch(r'(?:\s|,|-|\band\b)*', rest), (script, title, rest)


def test_the_whole_site_links_the_play_page_from_its_home_and_the_two_models_lessons(tmp_path):
    plan = build_site.make_plan([], False, tmp_path, tmp_path / 'out')
    assert build_site.with_play(plan)  # Every page: the Play page is built, with the models of these lessons
    assert [lesson for lesson, _, _ in build_site.PLAY_MODELS] == ['04_cnn_mnist/cnn_mnist.py',
                                                                   '05_rnn_name2lang/rnn_name2lang.py']
    examples = build_site.stage(plan, tmp_path / 'source')
    assert '`Play page <play/index.html>`_' in (examples / 'GALLERY_HEADER.rst').read_text(encoding='utf-8')
    linked = [path.relative_to(examples).as_posix() for path in examples.rglob('*.py')
              if '<../play/index.html>`_' in path.read_text(encoding='utf-8')]
    assert sorted(linked) == ['04_cnn_mnist/cnn_mnist.py', '05_rnn_name2lang/rnn_name2lang.py']
    few = build_site.make_plan(['cnn_mnist.py'], False, tmp_path / 'few', tmp_path / 'few_out')
    assert not build_site.with_play(few)  # A few pages: no Play page, no link to it
    assert 'play/index.html' not in build_site.stage(few, tmp_path / 'few_source').joinpath(
        '04_cnn_mnist', 'cnn_mnist.py').read_text(encoding='utf-8')


def test_staged_pages_of_a_section_hold_its_lesson_concept_and_further_scripts(tmp_path):
    words = ['concepts/conv_output_size', 'draw_digit', 'cnn_class_styles']  # Not the exercise 01_conv_output_size
    plan = build_site.make_plan(words, False, tmp_path, tmp_path)
    assert [(entry['page'], entry['kind']) for entry in plan['scripts']] == [
        ('04_cnn_mnist/conv_output_size', 'concept'), ('04_cnn_mnist/draw_digit', 'further'),
        ('04_cnn_mnist/cnn_class_styles', 'lesson')]  # Slide order, the pages side by side in their section
    assert '04_cnn_mnist/helpers/make_test_digit.py' in plan['unlisted']  # Said: it gets no page
    examples = build_site.stage(plan, tmp_path / 'source')
    staged = sorted(path.relative_to(examples).as_posix() for path in examples.rglob('*') if path.is_file())
    assert staged == ['04_cnn_mnist/GALLERY_HEADER.rst', '04_cnn_mnist/cnn_class_styles.py',
                      '04_cnn_mnist/conv_output_size.py', '04_cnn_mnist/draw_digit.py', 'GALLERY_HEADER.rst']
    assert (examples / '04_cnn_mnist' / 'draw_digit.py').read_text(encoding='utf-8').startswith(
        '"""Draw a digit with the mouse\n===========================\n\nDraw a digit with the mouse:')


def test_full_build_runs_the_defaults_but_keeps_the_build_folders(tmp_path):
    plan = build_site.make_plan(['cnn_mnist_load', 'rnn_name2lang_load', 'cpu_vs_gpu'], True, tmp_path, tmp_path)
    argv = {Path(entry['script']).name: entry['argv'] for entry in plan['scripts']}
    assert argv['cpu_vs_gpu.py'] == ['--out-dir', str(tmp_path / 'cpu_vs_gpu')]  # No --n 1000: its default
    assert argv['cnn_mnist_load.py'] == ['--model', str(tmp_path / 'cnn_mnist' / 'cnn_mnist.pt'),
                                         '--out-dir', str(tmp_path / 'cnn_mnist_load')]
    assert argv['rnn_name2lang_load.py'] == ['--model', str(tmp_path / 'rnn_name2lang' / 'rnn_name2lang.pt'),
                                             'Choi', 'Jane', 'Daniel', 'Chow', 'Tanaka']


def test_staged_script_has_the_slide_title_and_a_heading_per_cell(tmp_path):
    script = tmp_path / 'demo.py'
    script.write_text('"""Do a thing.\n\nSlide "Demo", on purpose:\n- a list\n  of two lines\n- another"""\n'
                      '# %% Setup\nimport os\n\n# %% 1. Print\n'
                      '# a comment of the code\nprint(1)\n# %%\nprint(2)\n', encoding='utf-8')
    staged = build_site.staged_source(script, 'Demo Slide')
    assert staged.startswith('"""Demo Slide\n==========\n\nDo a thing.\n\nSlide "Demo", on purpose:\n\n- a list\n'
                             '  of two lines\n- another"""\n')  # A blank line before the list (reST needs it)
    assert '# %%\n# Setup\n# -----\nimport os' in staged
    assert '# %%\n# 1. Print\n# --------\n\n# a comment of the code\nprint(1)' in staged  # The comment stays code
    assert '# %%\nprint(2)' in staged


def fake_page(source, site, section, stem, rst_body):
    (source / section).mkdir(parents=True, exist_ok=True)
    (site / section).mkdir(parents=True, exist_ok=True)
    (source / section / f'{stem}.rst').write_text(rst_body, encoding='utf-8')
    (site / section / f'{stem}.html').write_text('<html></html>', encoding='utf-8')


def test_the_check_fails_a_page_without_output_but_not_a_page_that_is_not_run(tmp_path, capsys):
    source, site = tmp_path / 'source', tmp_path / 'site'
    plan = {'scripts': [{'script': 's/printed.py', 'page': 's/printed', 'not_run': None},
                        {'script': 's/further/drew.py', 'page': 's/drew', 'not_run': None},
                        {'script': 's/window.py', 'page': 's/window', 'not_run': 'it needs a window'}]}
    fake_page(source, site, 's', 'printed', '.. rst-class:: sphx-glr-script-out\n\n .. code-block:: none\n\n    1\n')
    fake_page(source, site, 's', 'drew', '.. image-sg:: /s/images/sphx_glr_drew_001.png\n   :alt: x\n')
    fake_page(source, site, 's', 'window', '.. code-block:: Python\n\n    x = 1\n')
    assert build_site.check_pages(plan, source, site) == 0
    plan['scripts'].append({'script': 's/silent.py', 'page': 's/silent', 'not_run': None})
    fake_page(source, site, 's', 'silent', '.. code-block:: Python\n\n    x = 1\n\n**Total running time of the '
                                           'script:** (0 minutes 0.000 seconds)\n')
    plan['scripts'].append({'script': 's/missing.py', 'page': 's/missing', 'not_run': None})
    assert build_site.check_pages(plan, source, site) == 2
    out = capsys.readouterr().out
    assert 's/silent.py' in out and 'NO OUTPUT' in out and 'MISSING' in out


# A real build, in a real browser --------------------------------------------------------------------
def docs_packages_missing():
    missing = [name for name in ('sphinx', 'sphinx_gallery', 'furo', 'playwright')
               if importlib.util.find_spec(name) is None]
    return f"docs packages missing: {', '.join(missing)} (pip install -r docs/requirements.txt)" if missing else ''


def section_files(sections):
    return {section: sorted(path.name for path in (REPO_ROOT / section).iterdir() if path.name != '__pycache__')
            for section in sections}


def test_figures_and_thumbnails_after_the_first_row_load_lazily():
    pytest.importorskip('docutils', reason='the docs packages are missing (docs/requirements.txt)')
    site_pages = load_script('docs/site/site_pages.py')
    thumbnails = ''.join(f'<div class="sphx-glr-thumbcontainer"><img alt="" src="_images/sphx_glr_s{i}_thumb.png" />'
                         f'</div>' for i in range(6))
    figure = '<img src="../_images/sphx_glr_s_001.png" alt="s" class = "sphx-glr-single-img"/>'
    other = '<p><img alt="a logo" src="logo.png" /><img loading="eager" class="sphx-glr-multi-img" src="x.png"/></p>'
    page = site_pages.lazy_images(thumbnails + figure + other)
    tags = re.findall(r'<img[^>]*>', page)
    assert ['loading="lazy"' in tag for tag in tags] == [False] * 4 + [True] * 3 + [False, False]
    assert page.replace('<img loading="lazy"', '<img') == thumbnails + figure + other  # Nothing else changed


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    """The site of the two PAGES' scripts, built with quick settings by `python docs/build_site.py`."""
    if docs_packages_missing():
        pytest.skip(docs_packages_missing())
    folder = tmp_path_factory.mktemp('site') / 'site'
    words = [Path(script).name for script, _, _, _ in PAGES] + [Path(EXERCISE_PAGE).name]
    sections = sorted({Path(script).parent.name for script, _, _, _ in PAGES} | {EXERCISE_PAGE.split('/')[0]})
    before = section_files(sections)
    result = subprocess.run([sys.executable, str(BUILD_SITE), str(folder), *words], cwd=REPO_ROOT,
                            capture_output=True, encoding='utf-8', timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    after = section_files(sections)
    assert after == before  # Nothing staged or written beside the scripts
    return folder, result.stdout


@pytest.fixture(scope='module')
def browser():
    """Headless Chromium (Debian's), driven by Playwright; no browser of Playwright's own is downloaded."""
    if docs_packages_missing():
        pytest.skip(docs_packages_missing())
    if not Path(CHROMIUM).is_file():
        pytest.skip(f'{CHROMIUM} is missing (Debian: apt-get install chromium)')
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def local_file(url):
    """The file that a file:// link leads to."""
    return Path(unquote(urlparse(url).path))


@pytest.mark.xdist_group('site')  # One xdist worker builds the small site for them all
@pytest.mark.slow
def test_build_reports_each_page_with_output(site):
    folder, out = site
    for script, _, _, n_figures in PAGES:
        line = next(line for line in out.splitlines() if line.startswith(script))
        seconds, outputs, figures = line.split()[1:4]
        assert float(seconds) > 0 and int(outputs) >= 1 and int(figures) == n_figures, line
    assert (folder / 'index.html').is_file()


@pytest.mark.xdist_group('site')  # One xdist worker builds the small site for them all
@pytest.mark.slow
@pytest.mark.parametrize('script, code_line, value, n_figures', PAGES)
def test_page_shows_code_output_figures_and_downloads(site, browser, script, code_line, value, n_figures):
    folder, _ = site
    page = browser.new_page()
    page.goto((folder / script).with_suffix('.html').as_uri())
    article = page.inner_text('article')
    assert f'This page is {script}, a lesson script' in article and 'Built with quick settings' in article
    code = '\n'.join(page.locator('div.highlight-Python pre').all_inner_texts())
    assert code_line in code
    printed = '\n'.join(page.locator('div.sphx-glr-script-out pre').all_inner_texts())
    assert value in printed
    figures = page.locator('article img.sphx-glr-single-img, article img.sphx-glr-multi-img')
    for figure in figures.all():  # Loaded as the reader scrolls to it (issue 38: not before the first paint)
        assert figure.get_attribute('loading') == 'lazy'
        figure.scroll_into_view_if_needed()
        figure.evaluate('image => image.complete || new Promise(done => image.addEventListener("load", done))')
    widths = figures.evaluate_all('images => images.map(image => image.complete ? image.naturalWidth : 0)')
    assert len(widths) == n_figures and all(width > 100 for width in widths), widths  # Shown, not broken
    assert 'Total running time of the script' in page.inner_text('article')
    links = {}
    for kind in ('python', 'jupyter'):
        link = page.locator(f'div.sphx-glr-download-{kind} a').first
        links[kind] = local_file(page.evaluate('link => link.href', link.element_handle()))
    page.close()
    # The script as it is in the repository
    assert links['python'].read_text(encoding='utf-8') == (REPO_ROOT / script).read_text(encoding='utf-8')
    notebook = json.loads(links['jupyter'].read_text(encoding='utf-8'))
    code_cells = [''.join(cell['source']) for cell in notebook['cells'] if cell['cell_type'] == 'code']
    assert any(code_line in cell for cell in code_cells)


@pytest.mark.xdist_group('site')  # One xdist worker builds the small site for them all
@pytest.mark.slow
def test_home_page_lists_the_pages_in_slide_order_with_thumbnails(site, browser):
    folder, _ = site
    page = browser.new_page()
    page.goto((folder / 'index.html').as_uri())
    titles = page.locator('div.sphx-glr-thumbnail-title').all_inner_texts()
    assert titles == ["Mend the slide's y,retain_grad()",  # The exercise of "Automatic Differentiation - More
                      'Gradient Descent by Hands', "Write the slide's gradient descent by hand",  # Analysis", the
                      'Observing Vanishing Gradients']  # slides' titles and the exercise of "Gradient Descent by Hands"
    sidebar = [title.replace('\u2019', "'") for title in page.locator('.sidebar-tree a').all_inner_texts()]
    assert [title for title in sidebar if title in titles] == titles  # The same titles in the sidebar
    headings = page.locator('article h2').all_inner_texts()
    assert [heading.split(':')[0] for heading in headings] == ['02_autograd', '03_nn_iris']
    widths = page.eval_on_selector_all('div.sphx-glr-thumbcontainer img', 'images => images.map(i => i.naturalWidth)')
    assert len(widths) == len(titles) and all(width > 0 for width in widths)
    # The first screen's thumbnails are loaded at once (lazy ones only after the first row)
    assert page.locator('div.sphx-glr-thumbcontainer img[loading]').count() == 0
    page.locator('div.sphx-glr-thumbcontainer').nth(1).click()  # A click on the thumbnail opens its page
    assert page.url.endswith('02_autograd/grad_descent.html')
    page.close()


@pytest.mark.xdist_group('site')  # One xdist worker builds the small site for them all
@pytest.mark.slow
def test_an_exercise_page_shows_its_task_and_its_check_not_its_solution(site, browser):
    folder, _ = site
    page = browser.new_page()
    page.goto((folder / EXERCISE_PAGE.replace('/exercises/', '/')).with_suffix('.html').as_uri())
    article = page.inner_text('article')
    assert f'This page is {EXERCISE_PAGE}, an exercise: download it' in article
    assert 'Only a leaf tensor (x) keeps its gradient' in article.replace('\n', ' ')
    code = '\n'.join(page.locator('div.highlight-Python pre').all_inner_texts())
    assert 'y,retain_grad()' in code and 'y.retain_grad()' not in code  # The slide's code, not the solution
    printed = '\n'.join(page.locator('div.sphx-glr-script-out pre').all_inner_texts())
    assert "not started: analyze() is still the slide's code as printed" in printed
    assert "NameError: name 'retain_grad' is not defined" in printed and '  FAIL 1. ' in printed
    link = page.locator('div.sphx-glr-download-python a').first
    downloaded = local_file(page.evaluate('link => link.href', link.element_handle()))
    page.close()
    assert downloaded.read_text(encoding='utf-8') == (REPO_ROOT / EXERCISE_PAGE).read_text(encoding='utf-8')


@pytest.fixture(scope='module')
def axe():
    """axe-core's script, at the version docs/package-lock.json pins (npm ci once, then from the cache)."""
    if shutil.which('npm') is None:
        pytest.skip('npm is missing (Debian: apt-get install npm): axe-core comes from the npm registry')
    return audit_tools.axe_script()


def problems(violations):
    """The violations that fail a page: serious or critical ones, and landmarks without a name of their own."""
    return [f"{each['id']} ({each['impact']}): {each['help']}: {each['nodes'][:3]}" for each in violations
            if each['impact'] in audit_tools.SERIOUS or each['id'].startswith('landmark')]


@pytest.mark.xdist_group('site')  # One xdist worker builds the small site for them all
@pytest.mark.slow
@pytest.mark.parametrize('size', AXE_SIZES)
def test_every_page_passes_axe_core_describes_itself_and_asks_for_nothing_missing(site, browser, axe, size):
    folder, _ = site
    pages = sorted(path.relative_to(folder).as_posix() for path in folder.rglob('*.html')
                   if not path.relative_to(folder).parts[0].startswith('_'))
    assert {'index.html', '02_autograd/index.html', '03_nn_iris/vanishing_grad.html', 'search.html'} <= set(pages)
    server = audit_tools.Server(folder)  # As a reader serves it (python -m http.server): /favicon.ico and all
    context = browser.new_context(viewport=AXE_SIZES[size], is_mobile=size == 'phone', has_touch=size == 'phone')
    page = context.new_page()
    missing, errors, found = [], [], {}
    page.on('response', lambda response: response.status >= 400 and missing.append(response.url))
    page.on('console', lambda message: message.type == 'error' and errors.append(message.text))
    try:
        for name in pages:
            page.goto(server.url + name)
            found[name] = problems(audit_tools.axe_violations(page, axe))
            description = page.get_attribute('meta[name="description"]', 'content') or ''
            # Text, no tag (a page's prose may hold a '<', as an exercise's update x <- x - learn_rate * f'(x))
            assert len(description) >= 20 and not re.search(r'</?[a-zA-Z]', description), (name, description)
    finally:
        context.close()
        server.close()
    assert {name: bad for name, bad in found.items() if bad} == {}
    assert missing == [] and errors == []


@pytest.mark.xdist_group('site')  # One xdist worker builds the small site for them all
@pytest.mark.slow
def test_thumbnails_are_links_named_by_their_titles_and_a_keyboard_opens_the_pages_and_scrolls_code(site, browser):
    folder, _ = site
    context = browser.new_context(viewport=AXE_SIZES['phone'], is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto((folder / 'index.html').as_uri())
        for title in ('Gradient Descent by Hands', 'Observing Vanishing Gradients'):  # What a screen reader says
            assert page.get_by_role('link', name=title, exact=True).count() == 1, title
        page.goto((folder / '02_autograd' / 'grad_descent.html').as_uri())
        drawer = page.locator('.sidebar-drawer')  # On a phone, the list of pages is a drawer, closed
        assert not drawer.is_visible() and drawer.bounding_box()['x'] < 0
        focused = 'document.activeElement.getAttribute("aria-label")'
        for _ in range(3):  # The skip link, then the menu's icon: a button (site.js), named
            page.keyboard.press('Tab')
            if page.evaluate(focused) == 'Toggle site navigation sidebar':
                break
        assert page.evaluate(focused) == 'Toggle site navigation sidebar'
        menu = page.get_by_role('button', name='Toggle site navigation sidebar')
        assert menu.get_attribute('aria-expanded') == 'false'
        page.keyboard.press('Space')  # Opens it
        page.wait_for_function('document.querySelector(".sidebar-drawer").getBoundingClientRect().x >= 0')
        assert drawer.is_visible() and drawer.get_by_role('link', name=re.compile('^03_nn_iris: ')).is_visible()
        assert menu.get_attribute('aria-expanded') == 'true'  # What a screen reader says of it
        page.keyboard.press('Enter')  # Closes it
        page.wait_for_function('!document.querySelector(".sidebar-drawer").checkVisibility({visibilityProperty: true})')
        assert menu.get_attribute('aria-expanded') == 'false'
        page.keyboard.press('Enter')
        page.wait_for_function('document.querySelector(".sidebar-drawer").getBoundingClientRect().x >= 0')
        page.keyboard.press('Tab')  # The focus moves on (the header's next link); Escape closes the drawer, and the
        # focus is back on the icon
        page.keyboard.press('Escape')
        page.wait_for_function('!document.querySelector(".sidebar-drawer").checkVisibility({visibilityProperty: true})')
        assert page.evaluate(focused) == 'Toggle site navigation sidebar'
        blocks = page.locator('article pre')
        assert blocks.count() >= 4
        assert all(block.get_attribute('tabindex') == '0' for block in blocks.all())  # Tab reaches each one
        names = [block.get_attribute('aria-label') for block in blocks.all()]
        assert len(set(names)) == len(names) and all(name.startswith(('Code: ', 'Output: ')) for name in names)
        wide = next(block for block in blocks.all()
                    if block.evaluate('pre => pre.scrollWidth > pre.clientWidth + 20'))  # Wider than a phone
        page.keyboard.press('Tab')  # From the page into its links and blocks, until this block has the focus
        for _ in range(200):
            if wide.evaluate('pre => document.activeElement === pre'):
                break
            page.keyboard.press('Tab')
        assert wide.evaluate('pre => document.activeElement === pre')
        for _ in range(5):
            page.keyboard.press('ArrowRight')
        # The arrow keys scroll it, smoothly: an animation that a busy machine starts late
        page.wait_for_function('pre => pre.scrollLeft > 0', arg=wide.element_handle(), timeout=10000)
        assert wide.evaluate('pre => pre.scrollLeft') > 0
    finally:
        context.close()


def test_build_site_says_what_to_install_without_the_docs_packages(tmp_path):
    # A Python that cannot import sphinx-gallery: the wrapper says what to install, in one line
    code = ('import runpy, sys; sys.modules["sphinx_gallery"] = None; sys.argv[0] = "build_site.py"; '
            f'runpy.run_path({str(BUILD_SITE)!r}, run_name="__main__")')
    result = subprocess.run([sys.executable, '-c', code, str(tmp_path / 'site')], capture_output=True, encoding='utf-8',
                            cwd=REPO_ROOT)
    assert result.returncode == 1 and result.stderr.strip().endswith("run 'pip install -r docs/requirements.txt'")


def test_models_that_are_not_there_are_said_before_the_build(tmp_path, monkeypatch):
    # --models DIR without DIR/rnn_name2lang/rnn_name2lang.pt: one line naming it and how to train it, nothing built
    (tmp_path / 'models' / 'cnn_mnist').mkdir(parents=True)
    (tmp_path / 'models' / 'cnn_mnist' / 'cnn_mnist.pt').write_bytes(b'')
    monkeypatch.setattr(build_site, 'make_plan', lambda *args: pytest.fail('the build started'))
    with pytest.raises(SystemExit) as error:
        build_site.build_site(tmp_path / 'site', models_dir=tmp_path / 'models')
    missing = tmp_path / 'models' / 'rnn_name2lang'
    assert str(error.value) == (f'error: --models {tmp_path / "models"}: no {missing / "rnn_name2lang.pt"} '
                                f'(python 05_rnn_name2lang/rnn_name2lang.py --out-dir {missing})')
    assert not (tmp_path / 'site').exists()


def test_audit_tools_axe_says_what_it_needs_without_a_site(tmp_path):
    # python docs/audit_tools.py axe on a folder that no build made: one line of usage, no traceback
    result = subprocess.run([sys.executable, 'docs/audit_tools.py', 'axe', str(tmp_path)], capture_output=True,
                            text=True, encoding='utf-8', cwd=REPO_ROOT)
    assert result.returncode == 2 and 'Traceback' not in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith('axe needs SITE_DIR, a folder that python '
                                                           'docs/build_site.py SITE_DIR built')
