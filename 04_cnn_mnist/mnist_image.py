"""Preparing a photo of a digit the MNIST way, for `predict` of "Digit Classification with the MNIST Dataset (4/4)".

The slide's `predict` inverts and resizes an image to 28 x 28. The MNIST digits were made with more
care: each digit was cropped, scaled into 20 x 20 keeping its aspect ratio and centered by its center
of mass in 28 x 28, white ink on black. `prepare_image` does the same to a file, a PIL image of any
mode and size, or a tensor, so a photo or scan of a digit on paper is recognised too.
Used by cnn_mnist.py, cnn_mnist_load.py and anything else that reads a learner's digit.
"""
from pathlib import Path

import numpy as np
import PIL.Image
import torch
import torchvision.transforms.functional as TF

from common import UserError


def load_image(path):
    """Open the image file at `path` as a PIL image; a missing or unreadable file raises `UserError`."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"'{path}' is a folder, not an image file")
    if not path.is_file():
        raise UserError(f"image file '{path}' does not exist")
    if path.stat().st_size == 0:
        raise UserError(f"'{path}' is empty (0 bytes), not an image file")
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
    as they are; everything else is centered the MNIST way (`center_digit`).
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
    gray = image_to_gray(image)
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    if np.median(border) > 0.5:
        gray = 1 - gray  # Invert dark ink on light paper (white to black), as the slide does
    return center_digit(gray)
