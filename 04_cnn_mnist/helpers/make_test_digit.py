"""Drawing data/cnn_mnist_test.png, the handwritten-looking 3 that cnn_mnist.py reads in its step 5.

Slide "Digit Classification with the MNIST Dataset (3/4)", step 5 "Test your image": the slide's image
is a photo of a digit on paper; ours is drawn with PIL strokes instead of downloaded: dark ink on
light paper, larger than 28 x 28 and not square, as a learner's own image would be. Run it again to
redraw the image (the repository tracks the PNG). In a notebook, `image` stays after the last cell.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import math
from pathlib import Path

import numpy as np
import PIL.Image
import PIL.ImageDraw
import PIL.ImageFilter

from common import REPO_ROOT, UserError, make_parser, positive_int, write_atomically

# %% Define the drawing
OUTPUT = REPO_ROOT / 'data' / 'cnn_mnist_test.png'
WIDTH, HEIGHT = 180, 240   # Pixels: larger than 28 x 28 and not square
STROKE = 17                # Pen width in pixels
INK, PAPER = 40, 245       # Gray levels: dark ink on light paper


# %% Draw a 3 with a wobbling pen
def arc(center_x, center_y, radius_x, radius_y, start_deg, end_deg, steps=40):
    """Points along an elliptic arc (angles in degrees, 0 = right, 90 = down as on an image)."""
    angles = np.radians(np.linspace(start_deg, end_deg, steps))
    return [(center_x + radius_x * math.cos(a), center_y + radius_y * math.sin(a)) for a in angles]


def draw_three(width=WIDTH, height=HEIGHT, stroke=STROKE, seed=3):
    """Return a PIL 'L' image of a handwritten-looking 3: two bowls drawn with a wobbling pen."""
    rng = np.random.default_rng(seed)  # Always the same wobble: the tracked PNG is what this draws
    scale_x, scale_y = width / 180, height / 240
    # The upper bowl opens to the left, the lower one is a little larger; both meet near the middle
    upper = arc(88, 72, 46, 44, 200, 445)
    lower = arc(86, 160, 54, 50, 270, 510)
    points = upper + lower
    wobble = rng.normal(0, 1.5, size=(len(points), 2)).cumsum(axis=0) * 0.3  # A slightly unsteady hand
    points = [((x + dx) * scale_x, (y + dy) * scale_y) for (x, y), (dx, dy) in zip(points, wobble)]

    image = PIL.Image.new('L', (width, height), PAPER)
    draw = PIL.ImageDraw.Draw(image)
    draw.line(points, fill=INK, width=stroke, joint='curve')
    for x, y in (points[0], points[-1]):  # Round pen ends
        radius = stroke / 2
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=INK)
    return image.filter(PIL.ImageFilter.GaussianBlur(1.2))  # Soft edges, as ink on a scan


# %% Draw the image and save it
if __name__ == '__main__':
    parser = make_parser('make_test_digit', __doc__)
    parser.add_argument('--output', default=str(OUTPUT), help='the PNG file to write')
    parser.add_argument('--width', type=positive_int, default=WIDTH, help='image width in pixels')
    parser.add_argument('--height', type=positive_int, default=HEIGHT, help='image height in pixels')
    args = parser.parse_args()
    output = Path(args.output).expanduser().resolve()
    if output.is_dir():
        raise UserError(f"--output '{args.output}' is a folder: give a file name, e.g. {output / OUTPUT.name}")

    image = draw_three(args.width, args.height, stroke=max(2, round(STROKE * args.height / HEIGHT)))
    write_atomically(output, lambda file: image.save(file, format='PNG'))  # Never half-written
    print(f'Image saved: {output} ({image.width} x {image.height})')  # Image saved: .../cnn_mnist_test.png (180 x 240)
