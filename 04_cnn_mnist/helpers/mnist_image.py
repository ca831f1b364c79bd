"""Preparing a photo of a digit the MNIST way, for `predict` of "Digit Classification with the MNIST Dataset (4/4)".

The slide's `predict` inverts and resizes an image to 28 x 28. The MNIST digits were made with more
care: each digit was cropped, scaled into 20 x 20 keeping its aspect ratio and centered by its center
of mass in 28 x 28, white ink on black. `prepare_image` does the same to a file, a PIL image of any
mode and size, or a tensor, so a photo or scan of a digit on paper is recognised too: a phone photo
is first turned upright by its EXIF orientation, and the paper's level is taken at each place of
the sheet (`remove_paper`), so uneven light and soft shadows do not become ink. iPhone photos (HEIC)
are read with the pillow-heif package. Used by cnn_mnist.py, cnn_mnist_load.py and draw_digit.py.
"""
from pathlib import Path

import numpy as np
import PIL.Image
import PIL.ImageOps
import torch
import torch.nn.functional as F
import torchvision.transforms.functional as TF

from common import UserError

MAX_SIZE = 2048         # Pixels of the longer side at most: a larger photo is first shrunk (a digit keeps > 20 px)
PAPER_SIZE = 256        # Pixels of the longer side of the small copy on which the paper's level is estimated
PAPER_WINDOW = 1 / 5    # Window of the closing, as a part of the longer side: wider than any pen stroke
HEIF_BRANDS = {b'heic', b'heix', b'hevc', b'hevx', b'heim', b'heis', b'hevm', b'hevs', b'mif1', b'msf1'}


def is_heif(path):
    """True if the file at `path` is a HEIC/HEIF image (an iPhone's photo): 'ftyp' and a HEIF brand at its start."""
    try:
        with open(path, 'rb') as file:
            head = file.read(12)
    except OSError:  # Not readable: said as such when Pillow tries to open it
        return False
    return head[4:8] == b'ftyp' and head[8:12] in HEIF_BRANDS


def read_heif_with_pillow(path):
    """Let Pillow open HEIC/HEIF files (pillow-heif registers itself); without pillow-heif raise `UserError`."""
    try:
        import pillow_heif
    except ImportError:
        raise UserError(f"'{path}' is a HEIC/HEIF photo (an iPhone's format): install pillow-heif to read it "
                        "(pip install pillow-heif), or convert it to JPEG or PNG") from None
    pillow_heif.register_heif_opener()


def load_image(path):
    """Open the image file at `path` as a PIL image; a missing or unreadable file raises `UserError`."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"'{path}' is a folder, not an image file")
    if not path.is_file():
        raise UserError(f"image file '{path}' does not exist")
    if path.stat().st_size == 0:
        raise UserError(f"'{path}' is empty (0 bytes), not an image file")
    if is_heif(path):
        read_heif_with_pillow(path)
    try:
        with PIL.Image.open(path) as image:
            image.load()  # Read the pixels now: a truncated file fails here, not later
            return image.copy()
    except Exception as error:  # PIL raises several types (UnidentifiedImageError, OSError, ...)
        raise UserError(f"'{path}' is not an image file that can be read ({type(error).__name__})") from None


def image_to_gray(image):
    """Return a PIL image of any mode as a float array in [0, 1] (0: black, 1: white).

    Transparent pixels count as white paper (an RGBA or palette drawing of dark ink).
    """
    if image.mode in ('I', 'I;16', 'I;16B', 'I;16L', 'F'):  # 16/32-bit images: stretch to [0, 1]
        array = np.asarray(image, dtype=np.float32)
        low, high = float(array.min()), float(array.max())
        return (array - low) / (high - low) if high > low else np.zeros_like(array)
    if image.mode in ('RGBA', 'LA', 'PA') or 'transparency' in image.info:
        rgba = image.convert('RGBA')
        image = PIL.Image.alpha_composite(PIL.Image.new('RGBA', rgba.size, 'white'), rgba)
    return np.asarray(image.convert('L'), dtype=np.float32) / 255


def upright(image):
    """Turn a PIL image the way its EXIF Orientation tag says (a phone stores a portrait photo sideways)."""
    try:
        if image.getexif().get(0x0112, 1) == 1:  # 0x0112: Orientation; 1 is upright already
            return image
        return PIL.ImageOps.exif_transpose(image)
    except Exception:  # Damaged EXIF data: the pixels as they are stored
        return image


def closing(image, window):
    """Gray closing of a 2-D tensor: a `window` x `window` max filter, then a min filter.

    Dark things narrower than the window (pen strokes) are filled with the light around them; light
    that changes slowly (a lamp's gradient, a soft shadow) stays as it is. The edges are repeated
    outwards, so a shadow in a corner stays too.
    """
    pad = window // 2
    image = F.pad(image[None, None], (2 * pad,) * 4, mode='replicate')
    for sign in (1, -1):  # Max filter (sign 1), then min filter (sign -1); each as rows, then columns
        image = sign * F.max_pool2d(sign * image, (1, window), stride=1)
        image = sign * F.max_pool2d(sign * image, (window, 1), stride=1)
    return image[0, 0]


def shrink(gray, size=MAX_SIZE):
    """Return `gray`, shrunk by averaging (area) so that its longer side has at most `size` pixels."""
    height, width = gray.shape
    scale = size / max(height, width)
    if scale >= 1:
        return gray
    small_size = (max(1, round(height * scale)), max(1, round(width * scale)))
    return F.interpolate(torch.from_numpy(gray)[None, None], size=small_size, mode='area')[0, 0].numpy()


def paper_level(gray):
    """The paper's gray level at each pixel of `gray` (dark ink on light paper), as an array of its shape.

    Estimated on a small copy (`PAPER_SIZE`) by a closing whose window is wider than a pen stroke
    (`PAPER_WINDOW`), then enlarged smoothly to the image's size.
    """
    small = torch.from_numpy(shrink(np.ascontiguousarray(gray, dtype=np.float32), PAPER_SIZE))
    paper = closing(small, 2 * round(max(small.shape) * PAPER_WINDOW / 2) + 1)  # An odd window
    if paper.shape != gray.shape:
        paper = F.interpolate(paper[None, None], size=gray.shape, mode='bilinear', align_corners=False)[0, 0]
    return paper.numpy()


def remove_paper(gray):
    """Return `gray` (an array in [0, 1]) as bright ink on black, the paper's level taken at each place.

    Dark ink on light paper (the border is brighter than half the brightest part): each pixel is
    divided by the paper's level there (`paper_level`), so a stroke in a shadow is as dark as one in
    the light and the shadow itself is paper; then inverted, as the slide does. Light ink on a dark
    background (already MNIST-like) keeps its polarity; the background's level is subtracted.
    """
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    if np.median(border) > 0.5 * gray.max():  # Dark ink on light paper (the slide: any image is inverted)
        paper = paper_level(gray)
        return np.clip(1 - gray / np.maximum(paper, 1 / 255), 0, 1)
    background = 1 - paper_level(1 - gray)  # An opening: light strokes removed
    return np.clip(gray - background, 0, 1)


def center_digit(ink):
    """Place the digit of `ink` (bright ink on a dark background) the way MNIST digits were made.

    Crop it to its bounding box, scale it into 20 x 20 keeping its aspect ratio, and put its center
    of mass at the center of a 28 x 28 image. Returns a 1 x 28 x 28 float tensor.
    """
    border = np.concatenate([ink[0], ink[-1], ink[:, 0], ink[:, -1]])
    ink = np.clip(ink - np.median(border), 0, None)  # Remove the paper's gray level (e.g. a photo)
    if ink.max() < 0.1:
        raise UserError('no digit found: the image is blank')
    ink = ink / ink.max()
    rows, cols = np.nonzero(ink > 0.25)  # Ignore faint specks when finding the bounding box
    crop = torch.from_numpy(np.ascontiguousarray(ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]))
    height, width = crop.shape
    scale = 20 / max(height, width)
    size = [max(1, round(height * scale)), max(1, round(width * scale))]
    digit = TF.resize(crop.unsqueeze(0), size, antialias=True).squeeze(0).clamp(0, 1)

    # Shift so that the center of mass lands at the center (13.5, 13.5) of the 28 x 28 image
    total = digit.sum()
    center_y = (digit.sum(dim=1) * torch.arange(size[0])).sum() / total
    center_x = (digit.sum(dim=0) * torch.arange(size[1])).sum() / total
    top = min(max(round(13.5 - center_y.item()), 0), 28 - size[0])
    left = min(max(round(13.5 - center_x.item()), 0), 28 - size[1])
    tensor = torch.zeros(1, 28, 28)
    tensor[0, top:top + size[0], left:left + size[1]] = digit
    return tensor


def prepare_image(image):
    """Return `image` as a 1 x 28 x 28 float tensor in [0, 1] with white ink on black, as in MNIST.

    `image` is an MNIST tensor (uint8 in [0, 255] or float in [0, 1], bright ink on black), a file
    path or a PIL image of any mode and size. 28 x 28 tensors are MNIST digits already and are kept
    as they are; other tensors (e.g. the drawing pad's canvas) are centered the MNIST way
    (`center_digit`). A file or PIL image is first turned upright (`upright`) and its paper removed
    (`remove_paper`).
    """
    if isinstance(image, torch.Tensor):
        tensor = image.detach().cpu()
        tensor = tensor.float() / 255 if tensor.dtype == torch.uint8 else tensor.float()  # Normalize to [0, 1]
        tensor = tensor.squeeze()
        if tensor.ndim != 2:
            raise UserError(f'expected one gray image (H x W), got a tensor of shape {tuple(image.shape)}')
        if tensor.shape == (28, 28):
            return tensor.unsqueeze(0)
        return center_digit(tensor.numpy())
    if isinstance(image, (str, Path)):
        image = load_image(image)
    if not isinstance(image, PIL.Image.Image):
        raise UserError(f'cannot predict a {type(image).__name__}: give a file path, a PIL image or a tensor')
    gray = shrink(image_to_gray(upright(image)))  # A phone's 48 MP photo: 2048 x 1536
    return center_digit(remove_paper(gray))
