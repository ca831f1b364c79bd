"""Draw a digit with the mouse: the model that cnn_mnist.py trained guesses it while you draw.

The slide "Loading My Network and Testing My Image" asks you to draw a digit in a paint program and
run a script on the file; here you draw straight into the model. Beside the canvas: the probability
of each of the 10 digits, and the 28 x 28 image the model really sees (prepared as in cnn_mnist_load.py).

    left button: draw   right button or c: clear   s: save the drawing as a PNG   q: quit

Train the model first (python 04_cnn_mnist/cnn_mnist.py). `--demo` draws a 3 by itself and saves the
window as a PNG, with or without a display.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import time

import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
import torch
from matplotlib.backend_bases import MouseEvent

from common import UserError, has_display

common.add_to_path('04_cnn_mnist', '04_cnn_mnist/helpers')  # The lesson and its helpers, from any folder (VS Code)
from cnn_mnist import SAVE_MODEL, MyCNN
from make_test_digit import arc
from mnist_image import prepare_image  # Preparing a drawing the MNIST way (mnist_image.py)

# %% Settings
CANVAS_SIZE = 280           # Pixels of the square canvas (10 x MNIST's 28)
BRUSH_RADIUS = 11           # Pen radius in canvas pixels
UPDATE_SECONDS = 0.05       # Guess at most 20 times a second while drawing
KEYS = {'left button': 'draw', 'right button or c': 'clear', 's': 'save', 'q': 'quit'}


# %% The drawing pad
class DrawingPad:
    """A matplotlib figure to draw a digit in, with the model's guess beside it."""

    def __init__(self, model, out_dir):
        self.model, self.out_dir = model, out_dir
        self.ink = np.zeros((CANVAS_SIZE, CANVAS_SIZE), dtype=np.float32)  # 0: paper, 1: ink
        self.last_point, self.last_update, self.n_saved = None, 0., 0
        self.probabilities = np.zeros(10)
        self.fig = plt.figure(figsize=(9, 5.2))
        manager = self.fig.canvas.manager  # Matplotlib's own keys off (its s opens a save dialog): ours are s, c, q
        if getattr(manager, 'key_press_handler_id', None) is not None:
            self.fig.canvas.mpl_disconnect(manager.key_press_handler_id)
        grid = self.fig.add_gridspec(2, 2, width_ratios=[1.6, 1], hspace=0.45)
        self.ax_canvas = self.fig.add_subplot(grid[:, 0])
        self.ax_prob = self.fig.add_subplot(grid[0, 1])
        self.ax_input = self.fig.add_subplot(grid[1, 1])
        self.canvas_image = self.ax_canvas.imshow(self.ink, cmap='gray_r', vmin=0, vmax=1)
        self.ax_canvas.set(xticks=[], yticks=[])
        self.bars = self.ax_prob.bar(range(10), self.probabilities, color='tab:gray')
        self.ax_prob.set(xticks=range(10), ylim=(0, 1), title='Probability of each digit')
        self.input_image = self.ax_input.imshow(np.zeros((28, 28)), cmap='gray', vmin=0, vmax=1)
        self.ax_input.set(title='What the model sees (28 x 28)', xticks=[], yticks=[])
        self.fig.text(0.5, 0.02, '   '.join(f'{key}: {action}' for key, action in KEYS.items()), ha='center')
        for name, handler in [('button_press_event', self.on_press), ('motion_notify_event', self.on_motion),
                              ('button_release_event', self.on_release), ('key_press_event', self.on_key)]:
            self.fig.canvas.mpl_connect(name, handler)
        self.update()

    def stroke_to(self, x, y):
        """Put ink along the line from the last point to (x, y), with a round pen of soft edges."""
        x0, y0 = self.last_point or (x, y)
        for t in np.linspace(0, 1, max(2, int(np.hypot(x - x0, y - y0) / 3) + 2)):
            px, py = x0 + t * (x - x0), y0 + t * (y - y0)
            top, left = max(0, int(py) - BRUSH_RADIUS - 2), max(0, int(px) - BRUSH_RADIUS - 2)
            rows, cols = np.ogrid[top:int(py) + BRUSH_RADIUS + 3, left:int(px) + BRUSH_RADIUS + 3]
            patch = self.ink[top:top + rows.shape[0], left:left + cols.shape[1]]  # Only the pixels near the pen
            distance = np.hypot(cols[:, :patch.shape[1]] - px, rows[:patch.shape[0]] - py)
            np.maximum(patch, np.clip(BRUSH_RADIUS + 1 - distance, 0, 1), out=patch)
        self.last_point = (x, y)

    def guess(self):
        """Return the model's probabilities of the 10 digits for the drawing and the 28 x 28 input (None if blank)."""
        try:
            tensor = prepare_image(torch.from_numpy(self.ink))  # Bright ink on dark: cropped, scaled, centered
        except UserError:  # A blank canvas
            return np.zeros(10), None
        self.model.eval()
        with torch.no_grad():
            dev = next(self.model.parameters()).device
            output = self.model(tensor.unsqueeze(0).to(dev))[0]
        return output.exp().cpu().numpy(), tensor[0].numpy()  # The model returns log-probabilities

    def update(self):
        """Show the drawing, the model's input and its probabilities, and the guess in the title."""
        self.probabilities, model_input = self.guess()
        self.canvas_image.set_data(self.ink)
        self.input_image.set_data(np.zeros((28, 28)) if model_input is None else model_input)
        best = int(self.probabilities.argmax())
        for digit, (bar, prob) in enumerate(zip(self.bars, self.probabilities)):
            bar.set_height(prob)
            bar.set_color('tab:blue' if digit == best and prob > 0 else 'tab:gray')
        title = 'Draw a digit' if model_input is None else f'I see a {best} ({self.probabilities[best]:.0%})'
        self.ax_canvas.set_title(title, fontsize=14)
        self.fig.canvas.draw_idle()
        self.last_update = time.monotonic()

    def on_press(self, event):
        if event.inaxes is self.ax_canvas and event.button == 1:
            self.last_point = None
            self.stroke_to(event.xdata, event.ydata)
            self.update()
        elif event.button == 3:
            self.clear()

    def on_motion(self, event):
        if event.inaxes is self.ax_canvas and event.button == 1 and self.last_point is not None:
            self.stroke_to(event.xdata, event.ydata)
            if time.monotonic() - self.last_update > UPDATE_SECONDS:
                self.update()

    def on_release(self, event):
        if self.last_point is not None:
            self.last_point = None
            self.update()

    def on_key(self, event):
        if event.key == 'c':
            self.clear()
        elif event.key == 's':
            self.save()
        elif event.key == 'q':
            plt.close(self.fig)

    def clear(self):
        self.ink[:] = 0
        self.update()

    def save(self):
        """Save the drawing as dark ink on white paper (as a paint program would) under the output folder."""
        self.n_saved += 1
        image = PIL.Image.fromarray(((1 - self.ink) * 255).astype(np.uint8), mode='L')
        path = common.write_atomically(self.out_dir / f'drawing_{self.n_saved}.png',
                                             lambda file: image.save(file, format='PNG'))
        print(f'Drawing saved: {path} (try: python 04_cnn_mnist/cnn_mnist_load.py {path})')
        return path


def send_mouse(pad, name, x, y, button=1):
    """Send the pad a mouse event at the canvas pixel (x, y), as its window would (for --demo and the tests)."""
    pixel_x, pixel_y = pad.ax_canvas.transData.transform((x, y))
    event = MouseEvent(name, pad.fig.canvas, pixel_x, pixel_y, button=button)
    pad.fig.canvas.callbacks.process(name, event)


def draw_demo(pad):
    """Draw a 3 with the mouse, as a hand would: press, move along two bowls, release."""
    points = arc(140, 85, 62, 52, 200, 445) + arc(138, 190, 70, 58, 270, 510)
    send_mouse(pad, 'button_press_event', *points[0])
    for point in points[1:]:
        send_mouse(pad, 'motion_notify_event', *point)
    send_mouse(pad, 'button_release_event', *points[-1])


def load_model(path, device):
    """The MyCNN saved at `path` (by cnn_mnist.py or cnn_mnist_further.py), as cnn_mnist_load.py loads it."""
    model = MyCNN()
    with common.checkpoint_errors(path, trained_by='04_cnn_mnist/cnn_mnist.py'):  # Else one clear line
        model.load_state_dict(torch.load(path, map_location=device, weights_only=True))
    return model.to(device)


# %% Draw
if __name__ == '__main__':
    parser = common.make_parser('draw_digit', __doc__, device='auto', out_dir=True)
    parser.add_argument('--model', default=str(common.default_out_dir('cnn_mnist') / SAVE_MODEL),
                        help='the model saved by cnn_mnist.py (or cnn_mnist_further.py)')
    parser.add_argument('--demo', action='store_true', help='draw a 3 by itself, save the window as a PNG and stop')
    args = parser.parse_args()
    if common.in_notebook() and not args.demo:
        print('The drawing pad needs a window: run `python 04_cnn_mnist/further/draw_digit.py` on a desktop.')
    elif not has_display() and not args.demo:
        raise UserError('no display to open a window: run draw_digit.py on a desktop (or with --demo to save '
                        'a drawing of a 3 as a PNG)')
    else:
        print(f'Device: {args.device}')
        model = load_model(args.model, args.device)
        pad = DrawingPad(model, args.out_dir)
        if args.demo:
            draw_demo(pad)
            print(f'The model sees a {int(pad.probabilities.argmax())} ({pad.probabilities.max():.0%})')
            common.save_figure(pad.fig, args.out_dir, 'draw_digit_demo', show=False)
        else:
            print('Draw a digit: ' + ', '.join(f'{key}: {action}' for key, action in KEYS.items()))
            plt.show()  # The window is the program, so it waits here until closed; never reached without a display
