"""Tests of the website's Play page (docs/play/, issue 30): built by docs/play/build_play.py with small models
exported to ONNX, served by a local http.server and opened in headless Chromium (Debian's `chromium`, driven by
Playwright, as tests/test_site.py does). The page runs the models with onnxruntime-web; each test checks it
against PyTorch: the 28 x 28 input that mnist_image.js prepares from a file or the pad against
`mnist_image.prepare_image`, the probabilities against the PyTorch model's.

Hermetic: models trained for one epoch on the fake MNIST and names. With DL_DATA_DIR: models trained briefly on
the real data read a 1 and a 7 drawn with the mouse, data/cnn_mnist_test.png as 3, and Tanaka as Japanese with
the probabilities that rnn_name2lang_load.py prints. The page passes axe-core on a phone and a desktop, and answers
a finger on the pad while its models load (issue 38), ONNX Runtime Web working in a worker.
"""
import importlib.util
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import REAL_DATA_DIR, load_script, run_main
from test_mnist_image import photo_classes

from common import REPO_ROOT

audit_tools = load_script('docs/audit_tools.py')  # Chromium and its flags, a static server, axe-core
CHROMIUM, CHROMIUM_FLAGS, Server = audit_tools.CHROMIUM, audit_tools.CHROMIUM_FLAGS, audit_tools.Server
CNN, RNN = '04_cnn_mnist/cnn_mnist.py', '05_rnn_name2lang/rnn_name2lang.py'
CNN_ONNX, RNN_ONNX = '04_cnn_mnist/further/cnn_mnist_onnx.py', '05_rnn_name2lang/further/rnn_name2lang_onnx.py'
TEST_IMAGE = REPO_ROOT / 'data' / 'cnn_mnist_test.png'
PAD_SIZE = 280                       # The pad's pixels (docs/play/play.js)
DESKTOP, PHONE = {'width': 1280, 'height': 800}, {'width': 390, 'height': 844}
STROKES = {  # Digits drawn on the pad, as strokes of pad pixels
    1: [[(150, 40), (135, 240)]],
    7: [[(70, 55), (210, 50), (115, 245)]],
}
NAMES = ['Tanaka', 'Choi', 'Ślusàrski', "O'Neal"]  # 'Ślusàrski': converted to ASCII as the lesson does


def browser_missing():
    for module, requirements in [('playwright', 'docs/requirements.txt'), ('onnx', 'requirements.txt')]:
        if importlib.util.find_spec(module) is None:
            return f'{module} is missing (pip install -r {requirements})'
    if not Path(CHROMIUM).is_file():
        return f'{CHROMIUM} is missing (Debian: apt-get install chromium)'
    if shutil.which('npm') is None:
        return 'npm is missing (Debian: apt-get install npm): the page needs onnxruntime-web from the npm registry'
    return None


# One xdist worker builds the page once for every test here (pyproject.toml: --dist loadgroup)
pytestmark = [pytest.mark.skipif(browser_missing() is not None, reason=str(browser_missing())),
              pytest.mark.xdist_group('play')]


# Models, exported to ONNX ----------------------------------------------------------------------------------
def accuracy_printed(text, label):
    return float(re.search(rf'{label}: ([\d.]+)', text).group(1))


def export(script, model, path, info, *args):
    """`model` as the ONNX file the page reads, by `export_onnx` of the further script; `info` as its .json."""
    load_script(script).export_onnx(model, path, *args)
    Path(f'{path}.json').write_text(json.dumps(info), encoding='utf-8')
    return path


def train_cnn(out_dir, *argv):
    """(model, cnn_mnist.onnx) of a CNN that cnn_mnist.py trained with `argv`."""
    result = run_main(CNN, '--out-dir', out_dir, '--device', 'cpu', *argv)
    assert result.code == 0, result.err
    model = result.vars['model'].cpu().eval()
    info = {'accuracy': accuracy_printed(result.out, 'Test accuracy')}
    return model, export(CNN_ONNX, model, out_dir / 'cnn_mnist.onnx', info)


def train_rnn(out_dir, *argv):
    """(model, target_names, rnn_name2lang.onnx) of an RNN that rnn_name2lang.py trained with `argv`."""
    result = run_main(RNN, '--out-dir', out_dir, '--device', 'cpu', *argv)
    assert result.code == 0, result.err
    model, target_names = result.vars['model'].cpu().eval(), result.vars['target_names']
    info = {'letter_dict': result.vars['LETTER_DICT'], 'target_names': target_names,
            'accuracy': accuracy_printed(result.out, 'Validation accuracy')}
    return model, target_names, export(RNN_ONNX, model, out_dir / 'rnn_name2lang.onnx', info, target_names)


# The built page, served, in a browser ----------------------------------------------------------------------
def pad_point(page, x, y):
    """The page's coordinates of the pad's pixel (x, y)."""
    box = page.locator('#digit-pad').bounding_box()
    return box['x'] + x * box['width'] / PAD_SIZE, box['y'] + y * box['height'] / PAD_SIZE


def draw_with_a_finger(context, page, pad_pixels):
    """A finger down on the first of `pad_pixels`, moved through the others, lifted (a phone's touch events)."""
    cdp = context.new_cdp_session(page)
    points = [dict(zip('xy', pad_point(page, x, y))) for x, y in pad_pixels]
    cdp.send('Input.dispatchTouchEvent', {'type': 'touchStart', 'touchPoints': [points[0]]})
    for point in points[1:]:
        cdp.send('Input.dispatchTouchEvent', {'type': 'touchMove', 'touchPoints': [point]})
    cdp.send('Input.dispatchTouchEvent', {'type': 'touchEnd', 'touchPoints': []})


class PlayPage:
    """The Play page open in a browser context of `viewport`, with what it logged and requested."""

    def __init__(self, browser, url, viewport, phone=False):
        self.context = browser.new_context(viewport=viewport, has_touch=phone, is_mobile=phone,
                                           device_scale_factor=3 if phone else 1)
        self.page = self.context.new_page()
        self.errors, self.requests = [], []
        self.page.on('console', lambda message: message.type == 'error' and self.errors.append(message.text))
        self.page.on('pageerror', lambda error: self.errors.append(str(error)))
        self.page.on('request', lambda request: self.requests.append(request.url))
        self.page.goto(url + 'play/')
        self.page.wait_for_function('window.playTimings.cnnReady && window.playTimings.rnnReady', timeout=60000)

    def pad_point(self, x, y):
        return pad_point(self.page, x, y)

    def wait_for_digit(self, count, source):
        self.page.wait_for_function('([count, source]) => window.digitGuessCount > count && '
                                    'window.lastDigitFrom === source && !window.digitBusy', arg=[count, source])

    def draw_with_mouse(self, strokes):
        """Draw `strokes` (lists of pad pixels) with the mouse, as a hand does; return the guess shown."""
        self.page.click('#digit-clear')
        count = self.page.evaluate('window.digitGuessCount')
        mouse = self.page.mouse
        for stroke in strokes:
            mouse.move(*self.pad_point(*stroke[0]))
            mouse.down()
            for start, end in zip(stroke, stroke[1:]):
                for t in np.linspace(0, 1, 12)[1:]:
                    mouse.move(*self.pad_point(*(np.array(start) + t * (np.array(end) - np.array(start)))))
            mouse.up()
        self.wait_for_digit(count, 'pad')
        self.guesses_while_drawing = self.page.evaluate('window.digitGuessCount') - count
        return self.page.text_content('#digit-guess')

    def choose_file(self, path):
        """Choose `path` with the file input; return the 28 x 28 input the page prepared and its probabilities."""
        count = self.page.evaluate('window.digitGuessCount')
        self.page.set_input_files('#digit-file', str(path))
        self.wait_for_digit(count, Path(path).name)
        return (np.array(self.page.evaluate('window.lastDigitInput'), dtype=np.float32).reshape(28, 28),
                np.array(self.page.evaluate('window.lastDigitProbs')))

    def type_name(self, name):
        """Type `name`; return its probabilities (the model's order of languages) and the five lines shown."""
        count = self.page.evaluate('window.nameGuessCount')
        self.page.fill('#name-input', name)
        self.page.wait_for_function('count => window.nameGuessCount > count && !window.nameBusy', arg=count)
        probs = np.array(self.page.evaluate('window.lastNameProbs.probs'))
        return probs, self.page.locator('#name-probs li').all_inner_texts()

    def close(self):
        self.context.close()


@pytest.fixture(scope='module')
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope='module')
def image_prep():
    return load_script('04_cnn_mnist/helpers/mnist_image.py')


@pytest.fixture(scope='module')
def rnn_lesson():
    return load_script(RNN)


def build_and_serve(site_dir, cnn_onnx, rnn_onnx):
    build_play = load_script('docs/play/build_play.py').build_play
    out = build_play(site_dir, cnn_onnx, rnn_onnx)
    return out, Server(site_dir)


# Hermetic: tiny models trained on the fake data ------------------------------------------------------------
@pytest.fixture(scope='module')
def tiny(fake_mnist, fake_names, tmp_path_factory):
    """The page built with tiny models, served: a namespace of the models, the site and a desktop page."""
    folder = tmp_path_factory.mktemp('play')
    cnn, cnn_onnx = train_cnn(folder, '--data-dir', fake_mnist, '--epochs', '1', '--batch-size', '50',
                              '--train-size', '100')
    rnn, target_names, rnn_onnx = train_rnn(folder, '--data-dir', fake_names, '--epochs', '1', '--batch-size', '4',
                                            '--hidden-size', '16')
    out, server = build_and_serve(folder / 'site', cnn_onnx, rnn_onnx)
    yield {'cnn': cnn, 'rnn': rnn, 'target_names': target_names, 'out': out, 'server': server,
           'cnn_onnx': cnn_onnx, 'rnn_onnx': rnn_onnx}
    server.close()


@pytest.fixture(scope='module')
def desktop(tiny, browser):
    page = PlayPage(browser, tiny['server'].url, DESKTOP)
    yield page
    page.close()


def test_the_build_is_self_contained(tiny):
    out = tiny['out']
    files = {path.relative_to(out).as_posix() for path in out.rglob('*') if path.is_file()}
    assert {'index.html', 'play.js', 'mnist_image.js', 'fetch_worker.js', 'play.css', 'cnn_mnist.onnx',
            'cnn_mnist.onnx.json', 'rnn_name2lang.onnx', 'rnn_name2lang.onnx.json', 'ort/ort.wasm.min.mjs',
            'ort/ort.wasm.min.mjs.map', 'ort/ort-wasm-simd-threaded.wasm', 'ort/ort-wasm-simd-threaded.mjs'} == files
    text = ' '.join((out / name).read_text(encoding='utf-8') for name in ('index.html', 'play.js', 'play.css'))
    assert not re.search(r'(src|href)="(https?:)?//', text)  # No CDN, no font or script from another site
    lock = json.loads((REPO_ROOT / 'docs/play/package-lock.json').read_text(encoding='utf-8'))
    pinned = json.loads((REPO_ROOT / 'docs/play/package.json').read_text(encoding='utf-8'))['dependencies']
    assert pinned['onnxruntime-web'] == lock['packages']['node_modules/onnxruntime-web']['version']  # Exact


def test_the_page_loads_names_the_models_and_asks_nothing_elsewhere(tiny, desktop):
    page = desktop.page
    assert desktop.errors == []
    assert desktop.requests and all(url.startswith(tiny['server'].url + 'play/') for url in desktop.requests)
    cnn_accuracy = json.loads(Path(f"{tiny['cnn_onnx']}.json").read_text(encoding='utf-8'))['accuracy']
    rnn_accuracy = json.loads(Path(f"{tiny['rnn_onnx']}.json").read_text(encoding='utf-8'))['accuracy']
    assert (page.text_content('#digit-model') == 'MyCNN of cnn_mnist.py: accuracy '
            f'{100 * cnn_accuracy:.1f}\N{NO-BREAK SPACE}% on the 10,000 MNIST test images')
    assert (page.text_content('#name-model') == 'MyRNN of rnn_name2lang.py: accuracy '
            f'{100 * rnn_accuracy:.1f}\N{NO-BREAK SPACE}% on held-out names, {len(tiny["target_names"])} languages')
    for element in ('digit-pad', 'digit-file', 'digit-guess', 'digit-probs', 'name-input', 'name-guess',
                    'name-probs', 'digit-clear', 'digit-input'):
        assert page.locator(f'#{element}').count() == 1
    assert page.get_attribute('#digit-file', 'accept') == 'image/*'
    assert page.locator('#digit-probs > *').count() == 10


def test_opened_as_a_file_the_page_says_how_to_serve_it(tiny, browser):
    # Browsers refuse the page's modules from file:// (a reader who double-clicks site/play/index.html)
    page = browser.new_page()
    page.goto(tiny['out'].joinpath('index.html').as_uri())
    site = tiny['out'].parent
    for element in ('#digit-model', '#name-model'):
        line = page.text_content(element)
        assert 'cannot run from a file' in line, line
        assert f'python -m http.server -d "{site}", then open http://localhost:8000/play/' in line
    page.close()


def test_the_test_image_and_photos_are_prepared_as_in_python(tiny, desktop, image_prep, tmp_path):
    photos = {('test image', ''): TEST_IMAGE, **photo_classes(tmp_path, digits=(4,))}  # Every class of photo
    for key, path in photos.items():
        prepared, probs = desktop.choose_file(path)
        expected = image_prep.prepare_image(path)[0].numpy()
        assert np.abs(prepared - expected).mean() <= 0.02, key
        with torch.no_grad():  # The probabilities of the page's input: onnxruntime-web as PyTorch
            torch_probs = tiny['cnn'](torch.from_numpy(prepared)[None, None]).exp()[0].numpy()
        assert np.abs(probs - torch_probs).max() < 1e-4, key
        assert desktop.page.text_content('#digit-guess') == str(probs.argmax())
    assert desktop.errors == []


def test_a_blank_file_and_a_file_that_is_no_image_are_said(desktop, tmp_path):
    import PIL.Image
    PIL.Image.new('L', (60, 80), 230).save(tmp_path / 'blank.png')
    (tmp_path / 'notes.txt').write_text('not an image', encoding='utf-8')
    for name, said in [('blank.png', 'no digit found: the image is blank'), ('notes.txt', 'not an image')]:
        count = desktop.page.evaluate('window.digitGuessCount')
        desktop.page.set_input_files('#digit-file', str(tmp_path / name))
        desktop.page.wait_for_function('count => window.digitGuessCount > count', arg=count)
        assert said in desktop.page.text_content('#digit-note')
        assert desktop.page.text_content('#digit-guess') == ''
    assert desktop.errors == []


def test_mouse_strokes_draw_and_the_pad_is_read_as_in_python(tiny, desktop, image_prep):
    guess = desktop.draw_with_mouse(STROKES[7])
    assert desktop.guesses_while_drawing >= 2  # The guess follows the pen, not only its last point
    ink = np.array(desktop.page.evaluate('window.padInk()'), dtype=np.float32).reshape(PAD_SIZE, PAD_SIZE)
    assert ink[50:60, 80:200].mean() > 0.9 and ink[200:, 200:].max() == 0  # The stroke, and paper elsewhere
    prepared = np.array(desktop.page.evaluate('window.lastDigitInput'), dtype=np.float32).reshape(28, 28)
    expected = image_prep.prepare_image(torch.from_numpy(ink))[0].numpy()  # draw_digit.py's way
    assert np.abs(prepared - expected).mean() <= 0.02
    with torch.no_grad():
        assert guess == str(tiny['cnn'](torch.from_numpy(prepared)[None, None]).argmax().item())
    desktop.page.click('#digit-clear')
    desktop.page.wait_for_function('window.lastDigitProbs === null')
    assert desktop.page.text_content('#digit-guess') == ''
    assert desktop.page.evaluate('Math.max(...window.padInk())') == 0


def test_typed_names_have_pytorchs_probabilities(tiny, desktop, rnn_lesson):
    for name in NAMES:
        probs, lines = desktop.type_name(name)
        text = rnn_lesson.unicode2ascii(name)
        with torch.no_grad():
            expected = torch.softmax(tiny['rnn'](rnn_lesson.text2onehot(text))[0], dim=0).numpy()
        assert np.abs(probs - expected).max() * 100 < 0.1, name  # Within 0.1 percentage point
        top = np.argsort(-expected)[:5]
        assert desktop.page.text_content('#name-guess') == tiny['target_names'][top[0]]
        assert [line.split(':')[0].split('. ')[1].strip() for line in lines] == [tiny['target_names'][i]
                                                                                 for i in top]
        printed = [float(re.search(r'([\d.]+) %', line).group(1)) for line in lines]  # '1. Japanese  : 85.3 %'
        assert np.allclose(printed, expected[top] * 100, atol=0.051), name
    desktop.page.fill('#name-input', '...')
    desktop.page.wait_for_function("document.getElementById('name-guess').textContent === ''")
    assert 'no letters A-Z' in desktop.page.text_content('#name-said')


def test_a_phone_draws_with_a_finger(tiny, browser):
    phone = PlayPage(browser, tiny['server'].url, PHONE, phone=True)
    try:
        page = phone.page
        assert page.evaluate('document.documentElement.scrollWidth') <= PHONE['width']  # Nothing wider than it
        box = page.locator('#digit-pad').bounding_box()
        assert box['x'] >= 0 and box['x'] + box['width'] <= PHONE['width'] and box['width'] >= 300
        count = page.evaluate('window.digitGuessCount')
        draw_with_a_finger(phone.context, page, [(140, 40 + 10 * i) for i in range(21)])  # A finger down the pad: a 1
        phone.wait_for_digit(count, 'pad')
        ink = np.array(page.evaluate('window.padInk()')).reshape(PAD_SIZE, PAD_SIZE)
        assert ink[40:240, 130:150].mean() > 0.9 and ink[:, :100].max() == 0  # Drawn where the finger went
        assert page.evaluate('window.scrollY') == 0  # The finger drew; the page did not scroll
        assert page.text_content('#digit-guess') in '0123456789' and page.text_content('#digit-guess')
        assert phone.errors == []
    finally:
        phone.close()


def test_a_finger_draws_at_once_while_the_models_load_and_they_guess_when_ready(tiny, browser):
    phone = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=3)
    page = phone.new_page()
    errors, held = [], []
    page.on('pageerror', lambda error: errors.append(str(error)))
    page.on('console', lambda message: message.type == 'error' and errors.append(message.text))
    phone.route('**/*.onnx', lambda route: held.append(route))  # The models come when the test lets them
    try:
        page.goto(tiny['server'].url + 'play/')
        for _ in range(600):  # Until the page has asked for both models
            if len(held) == 2:
                break
            page.wait_for_timeout(50)
        assert len(held) == 2
        draw_with_a_finger(phone, page, [(140, 40 + 10 * i) for i in range(21)])
        ink = np.array(page.evaluate('window.padInk()')).reshape(PAD_SIZE, PAD_SIZE)
        assert ink[40:200, 130:150].mean() > 0.9  # Drawn at once, before the models came
        assert 'loading' in page.text_content('#digit-note') and 'loading' in page.text_content('#digit-model')
        page.fill('#name-input', 'Tanaka')
        assert 'still loading' in page.text_content('#name-said')
        assert page.evaluate('window.digitGuessCount + window.nameGuessCount') == 0
        assert page.evaluate('window.playTimings.cnnReady') is None
        for route in held:
            route.continue_()
        page.wait_for_function('window.digitGuessCount > 0 && window.nameGuessCount > 0 && !window.digitBusy '
                               '&& !window.nameBusy', timeout=60000)  # Guessed as soon as they were ready
        assert page.text_content('#digit-guess') in list('0123456789') and page.text_content('#name-guess')
        assert page.evaluate('window.lastDigitFrom') == 'pad' and 'loading' not in page.text_content('#digit-note')
        assert page.evaluate('window.lastNameProbs.name') == 'Tanaka'
        workers = sorted(worker.url.split('/play/')[-1] for worker in page.workers)  # Off the page's main thread:
        assert workers == ['fetch_worker.js', 'ort/ort.wasm.min.mjs']  # the models' bytes, ONNX Runtime's WebAssembly
        assert errors == []
    finally:
        phone.close()


@pytest.mark.parametrize('size', ['phone', 'desktop'])
def test_the_page_passes_axe_core_with_its_guesses_shown(tiny, browser, size):
    if shutil.which('npm') is None:
        pytest.skip('npm is missing: axe-core comes from the npm registry')
    viewport = PHONE if size == 'phone' else {'width': 1280, 'height': 720}  # axe-core's sizes (issue 38)
    play = PlayPage(browser, tiny['server'].url, viewport, phone=size == 'phone')
    try:
        assert play.draw_with_mouse(STROKES[7]) != ''
        play.type_name('Tanaka')
        violations = audit_tools.axe_violations(play.page, audit_tools.axe_script())
        assert [each for each in violations if each['impact'] in audit_tools.SERIOUS
                or each['id'].startswith('landmark')] == []
        assert len(play.page.get_attribute('meta[name="description"]', 'content')) >= 20
        assert play.errors == []
    finally:
        play.close()


# Real data: models trained briefly on MNIST and the names --------------------------------------------------
@pytest.fixture(scope='module')
def real(browser, tmp_path_factory):
    if not REAL_DATA_DIR or not Path(REAL_DATA_DIR).is_dir():
        pytest.skip('real data: set DL_DATA_DIR to a folder with MNIST/raw/ and names/')
    data_dir = Path(REAL_DATA_DIR).resolve()
    folder = tmp_path_factory.mktemp('play_real')
    cnn, cnn_onnx = train_cnn(folder, '--data-dir', data_dir, '--epochs', '1', '--train-size', '20000')  # 0.97
    rnn, target_names, rnn_onnx = train_rnn(folder, '--data-dir', data_dir, '--epochs', '3')  # Tanaka: Japanese
    _, server = build_and_serve(folder / 'site', cnn_onnx, rnn_onnx)
    page = PlayPage(browser, server.url, DESKTOP)
    yield {'page': page, 'cnn': cnn, 'folder': folder}
    page.close()
    server.close()


@pytest.mark.parametrize('digit', STROKES)
def test_real_mouse_strokes_are_read(real, real_data_dir, digit):
    assert real['page'].draw_with_mouse(STROKES[digit]) == str(digit)


def test_real_test_image_and_photos_are_read_as_pytorch_reads_them(real, real_data_dir, image_prep, tmp_path):
    prepared, _ = real['page'].choose_file(TEST_IMAGE)
    assert real['page'].page.text_content('#digit-guess') == '3'
    for key, path in photo_classes(tmp_path).items():
        real['page'].choose_file(path)
        with torch.no_grad():
            expected = real['cnn'](image_prep.prepare_image(path)[None]).argmax().item()
        assert real['page'].page.text_content('#digit-guess') == str(expected) == str(key[0]), key


def test_real_tanaka_is_japanese_with_the_load_scripts_probabilities(real, real_data_dir):
    result = run_main('05_rnn_name2lang/rnn_name2lang_load.py', 'Tanaka', '--model',
                      real['folder'] / 'rnn_name2lang.pt', '--device', 'cpu')
    printed = re.findall(r'^  \d\. (\w+) *: *([\d.]+) %$', result.out, re.M)  # '  1. Japanese  : 85.3 %'
    probs, lines = real['page'].type_name('Tanaka')
    assert real['page'].page.text_content('#name-guess') == printed[0][0] == 'Japanese'
    shown = [re.search(r'\d\. (\w+) *: *([\d.]+) %', line).groups() for line in lines]
    assert [language for language, _ in shown] == [language for language, _ in printed]
    assert np.allclose([float(p) for _, p in shown], [float(p) for _, p in printed], atol=0.1)
    assert np.sort(probs)[::-1][:5] * 100 == pytest.approx([float(p) for _, p in printed], abs=0.1)
