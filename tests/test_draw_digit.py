"""The drawing pad (04_cnn_mnist/further/draw_digit.py), driven headless with synthetic mouse and key events.

The model is a `MyCNN` trained here in seconds on drawings made with the pad's own pen: rings (0),
upright strokes (1) and sevens (7), each prepared the MNIST way, so it reads what a hand draws.
"""
import math

import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
import pytest
import torch
import torch.nn.functional as F
from conftest import load_script, notebook_text, run_main
from matplotlib.backend_bases import KeyEvent

import common

SCRIPT = '04_cnn_mnist/further/draw_digit.py'
pytestmark = pytest.mark.xdist_group('draw_digit')  # One xdist worker trains drawn_model once (--dist loadgroup)


def ring(cx=140, cy=140, rx=55, ry=90):
    return [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in np.linspace(-math.pi / 2, 1.5 * math.pi, 50)]


def upright(x=140, top=50, bottom=230, tilt=0):
    return [(x + tilt * t, top + (bottom - top) * t) for t in np.linspace(0, 1, 20)]


def seven(left=70, right=210, top=60, bottom=230, foot=120):
    return [(x, top) for x in np.linspace(left, right, 15)] + \
           [(right + (foot - right) * t, top + (bottom - top) * t) for t in np.linspace(0, 1, 20)[1:]]


def strokes_for(digit, rng):
    """One random variant of a drawn 0, 1 or 7."""
    jitter = lambda scale: rng.uniform(-scale, scale)  # noqa: E731
    if digit == 0:
        return ring(140 + jitter(30), 140 + jitter(20), 50 + jitter(15), 85 + jitter(15))
    if digit == 1:
        return upright(140 + jitter(60), 50 + jitter(20), 230 + jitter(20), jitter(30))
    return seven(70 + jitter(20), 210 + jitter(20), 60 + jitter(20), 230 + jitter(20), 120 + jitter(30))


@pytest.fixture(scope='module')
def pad_module():
    return load_script(SCRIPT)


@pytest.fixture(scope='module')
def drawn_model(pad_module, tmp_path_factory):
    """A MyCNN that reads drawn 0, 1 and 7, and its checkpoint file."""
    cnn = load_script('04_cnn_mnist/cnn_mnist.py')
    common.set_seed(0)
    rng = np.random.default_rng(0)
    pad = pad_module.DrawingPad(cnn.MyCNN(), tmp_path_factory.mktemp('unused'))
    images, labels = [], []
    for i in range(180):
        digit = [0, 1, 7][i % 3]
        pad.ink[:] = 0
        pad.last_point = None
        for x, y in strokes_for(digit, rng):
            pad.stroke_to(x, y)
        images.append(pad_module.prepare_image(torch.from_numpy(pad.ink)))
        labels.append(digit)
    plt.close(pad.fig)
    model = cnn.MyCNN()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loader = common.tensor_loader(torch.stack(images), torch.tensor(labels), batch_size=30, shuffle=True,
                                  generator=torch.Generator().manual_seed(0))
    for _ in range(6):
        common.train(model, loader, F.cross_entropy, optimizer)
    path = common.save_checkpoint(model.state_dict(), tmp_path_factory.mktemp('model') / 'cnn_mnist.pt')
    return model, path


def draw(pad_module, pad, points):
    pad_module.send_mouse(pad, 'button_press_event', *points[0])
    for point in points[1:]:
        pad_module.send_mouse(pad, 'motion_notify_event', *point)
    pad_module.send_mouse(pad, 'button_release_event', *points[-1])


def press_key(pad, key):
    pad.fig.canvas.callbacks.process('key_press_event', KeyEvent('key_press_event', pad.fig.canvas, key))


def test_drawing_guessing_saving_clearing_quitting(pad_module, drawn_model, tmp_path, capsys):
    model, model_path = drawn_model
    pad = pad_module.DrawingPad(model, tmp_path)
    assert not pad.probabilities.any() and pad.ax_canvas.get_title() == 'Draw a digit'

    draw(pad_module, pad, upright(150, 60, 220))           # Draw a 1
    assert pad.ink.max() == 1 and pad.ink[140, 150] == 1 and pad.ink[140, 60] == 0
    assert pad.probabilities.argmax() == 1 and pad.ax_canvas.get_title().startswith('I see a 1 (')
    assert [bar.get_height() for bar in pad.bars] == pytest.approx(pad.probabilities.tolist())
    assert pad.input_image.get_array().shape == (28, 28) and pad.input_image.get_array().max() > 0.9

    press_key(pad, 's')                                     # Save it: dark ink on white paper, like a paint program
    saved = tmp_path / 'drawing_1.png'
    assert f'Drawing saved: {saved}' in capsys.readouterr().out
    with PIL.Image.open(saved) as image:
        array = np.asarray(image)
    assert array.shape == (280, 280) and array[0, 0] == 255 and array[140, 150] == 0
    result = run_main('04_cnn_mnist/cnn_mnist_load.py', '--model', model_path, '--out-dir', tmp_path / 'load', saved)
    assert result.code == 0 and f'{saved}: 1' in result.out.splitlines()  # The saved drawing reads the same

    pad_module.send_mouse(pad, 'button_press_event', 10, 10, button=3)  # Right button: clear
    assert not pad.ink.any() and not pad.probabilities.any()

    before = None
    for i, point in enumerate(ring()):                      # Draw a 0: the guess changes while drawing
        name = 'button_press_event' if i == 0 else 'motion_notify_event'
        pad_module.send_mouse(pad, name, *point)
        pad.update()
        if i == 12:
            before = pad.probabilities.copy()
    pad_module.send_mouse(pad, 'button_release_event', *ring()[-1])
    assert pad.probabilities.argmax() == 0 and not np.allclose(before, pad.probabilities)

    press_key(pad, 'l')                                     # Matplotlib's own keys are off (l: log scale)
    assert pad.ax_prob.get_yscale() == 'linear'
    press_key(pad, 'c')
    assert not pad.ink.any() and pad.ax_canvas.get_title() == 'Draw a digit'
    press_key(pad, 'q')
    assert not plt.fignum_exists(pad.fig.number)


def test_seven_is_read_as_seven(pad_module, drawn_model, tmp_path):
    pad = pad_module.DrawingPad(drawn_model[0], tmp_path)
    draw(pad_module, pad, seven())
    assert pad.probabilities.argmax() == 7
    plt.close(pad.fig)


def test_demo_draws_a_three_and_saves_the_window(drawn_model, tmp_path):
    result = run_main(SCRIPT, '--model', drawn_model[1], '--demo', '--out-dir', tmp_path)
    assert result.code == 0, result.err
    assert 'The model sees a ' in result.out and (tmp_path / 'draw_digit_demo.png').is_file()
    assert result.vars['pad'].ink.sum() > 1000  # It drew


def test_without_a_display_one_line_and_exit_1(drawn_model):
    result = run_main(SCRIPT, '--model', drawn_model[1])
    assert result.code == 1 and result.out == ''
    assert result.err == ('error: no display to open a window: run draw_digit.py on a desktop (or with --demo to '
                          'save a drawing of a 3 as a PNG)\n')


def test_without_a_model_it_says_to_train_first(tmp_path):
    result = run_main(SCRIPT, '--model', tmp_path / 'none.pt', '--demo')
    assert result.code == 1
    assert result.err == (f"error: model file '{tmp_path / 'none.pt'}' does not exist: train it first with "
                          'python 04_cnn_mnist/cnn_mnist.py\n')


def test_as_a_notebook_it_says_where_to_run_it(notebooks):
    notebook = notebooks.run('04_cnn_mnist/further/draw_digit.py')
    assert notebook_text(notebook) == ('The drawing pad needs a window: run '
                                       '`python 04_cnn_mnist/further/draw_digit.py` on a desktop.\n')
