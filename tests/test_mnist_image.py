"""Tests of mnist_image.py on photos as phones store them (issue 22): a digit written with a thick pen on a
large sheet of paper, photographed upright, sideways (rotated pixels and an EXIF Orientation tag), under a
desk lamp (light from bright to dim across the sheet and a soft shadow in a corner), and as an iPhone's
HEIC file; and what stayed: a 48 MP photo, WebP, a 16-bit gray scan, damaged files said as such.
With DL_DATA_DIR, a small CNN trained here on the real MNIST reads the digit of every photo.
"""
import functools
import gzip

import numpy as np
import PIL.Image
import PIL.ImageDraw
import PIL.ImageFilter
import pytest
import torch
from conftest import load_script

import common

PHOTO_SIZE = (600, 800)     # Width, height of a portrait photo (a phone's is larger: the same, scaled)
PAPER, INK = 0.92, 0.13     # Gray levels of the sheet and the pen in even light
ORIENTATIONS = {6: PIL.Image.Transpose.ROTATE_90, 8: PIL.Image.Transpose.ROTATE_270,
                3: PIL.Image.Transpose.ROTATE_180}  # EXIF tag: how the phone stored the upright pixels
STROKES = {  # Each digit as pen strokes, in parts of its box (x: 0 left, 1 right; y: 0 top, 1 bottom)
    1: [[(0.58, 0.0), (0.42, 1.0)]],
    4: [[(0.35, 0.0), (0.1, 0.62), (0.95, 0.62)], [(0.72, 0.2), (0.7, 1.0)]],
    7: [[(0.08, 0.05), (0.92, 0.05), (0.38, 1.0)]],
}


@pytest.fixture(scope='module')
def image_prep():
    return load_script('04_cnn_mnist/helpers/mnist_image.py')


def draw_on_paper(digit, size=PHOTO_SIZE, seed=0):
    """An evenly lit photo of `digit` written with a thick pen in the middle of a sheet: a gray array in [0, 1]."""
    width, height = size
    box = (0.33 * width, 0.3 * height, 0.67 * width, 0.7 * height)  # The digit's box: a third of the sheet's width
    canvas = PIL.Image.new('L', size, 0)
    draw = PIL.ImageDraw.Draw(canvas)
    pen = round(0.045 * height)  # A thick felt pen: 36 px of an 800 px photo
    for stroke in STROKES[digit]:
        points = [(box[0] + x * (box[2] - box[0]), box[1] + y * (box[3] - box[1])) for x, y in stroke]
        draw.line(points, fill=255, width=pen, joint='curve')
        for x, y in (points[0], points[-1]):  # Round pen ends
            draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=255)
    ink = np.asarray(canvas.filter(PIL.ImageFilter.GaussianBlur(2)), dtype=np.float32) / 255  # A camera's softness
    rng = np.random.default_rng(seed)
    return PAPER + (INK - PAPER) * ink + rng.normal(0, 0.015, ink.shape).astype(np.float32)  # Paper grain, noise


@functools.lru_cache(maxsize=None)
def lamp_light(size=PHOTO_SIZE):
    """The light on a sheet under a desk lamp: from bright (top left) to dim (bottom right), and a soft shadow
    (of a hand, a phone) in the bottom left corner; 1 is the light of the evenly lit photo."""
    width, height = size
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    gradient = 1.05 - 0.45 * (0.6 * x / width + 0.4 * y / height)  # 1.05 .. 0.6
    corner = np.hypot(x / width, (height - y) / width)  # Distance from the bottom left corner, in sheet widths
    shadow = 1 - 0.5 / (1 + np.exp((corner - 0.4) / 0.06))  # Half the light in the corner, soft edge
    return gradient * shadow, corner < 0.3  # The light, and where the shadow is deep


def to_image(gray):
    return PIL.Image.fromarray((np.clip(gray, 0, 1) * 255).round().astype(np.uint8), 'L')


def save_photo(gray, path, orientation=1, quality=92):
    """Save `gray` (upright) as a phone does: a JPEG, its pixels stored as `orientation` says (EXIF tag 0x0112)."""
    image = to_image(gray).convert('RGB')
    exif = PIL.Image.Exif()
    if orientation != 1:
        image = image.transpose(ORIENTATIONS[orientation])
        exif[0x0112] = orientation
    image.save(path, 'JPEG', quality=quality, exif=exif.tobytes())
    return path


def photo_classes(folder, digits=tuple(STROKES)):
    """Every photo class of each digit, as files in `folder`: {(digit, class): path}."""
    light, _ = lamp_light()
    photos = {}
    for digit in digits:
        gray = draw_on_paper(digit, seed=digit)
        photos[digit, 'upright'] = save_photo(gray, folder / f'{digit}_upright.jpg')
        for tag in ORIENTATIONS:
            photos[digit, f'sideways {tag}'] = save_photo(gray, folder / f'{digit}_orientation_{tag}.jpg', tag)
        photos[digit, 'lamp'] = save_photo(gray * light, folder / f'{digit}_lamp.jpg')
    return photos


@pytest.fixture(scope='module')
def photos(tmp_path_factory):
    return photo_classes(tmp_path_factory.mktemp('photos'))


def mean_difference(a, b):
    return (a - b).abs().mean().item()


# Sideways: rotated pixels and an EXIF Orientation tag ---------------------------------------------------
@pytest.mark.parametrize('orientation', ORIENTATIONS)
@pytest.mark.parametrize('digit', STROKES)
def test_a_sideways_photo_is_turned_upright(image_prep, photos, digit, orientation):
    with PIL.Image.open(photos[digit, f'sideways {orientation}']) as stored:
        assert stored.size == PHOTO_SIZE[::-1] or orientation == 3  # Stored sideways (or upside down)
    upright = image_prep.prepare_image(photos[digit, 'upright'])
    assert mean_difference(image_prep.prepare_image(photos[digit, f'sideways {orientation}']), upright) < 0.01


def test_a_photo_opened_as_the_slide_does_is_turned_upright_too(image_prep, photos):
    upright = image_prep.prepare_image(photos[7, 'upright'])
    with PIL.Image.open(photos[7, 'sideways 6']) as image:  # The slide: PIL.Image.open(...).convert('L')
        assert mean_difference(image_prep.prepare_image(image.convert('L')), upright) < 0.01


# Lamp-lit: light from bright to dim across the sheet, a soft shadow in a corner -------------------------------
@pytest.mark.parametrize('digit', STROKES)
def test_a_lamp_lit_photo_is_read_as_in_even_light(image_prep, photos, digit):
    even = image_prep.prepare_image(photos[digit, 'upright'])
    assert mean_difference(image_prep.prepare_image(photos[digit, 'lamp']), even) < 0.02
    with PIL.Image.open(photos[digit, 'lamp']) as image:
        ink = image_prep.remove_paper(image_prep.image_to_gray(image))  # The whole sheet, bright ink on black
    _, deep_shadow = lamp_light()
    assert ink[deep_shadow].max() < 0.15  # The shadow is paper: no ink there (the old preparation: 0.3 there)
    assert np.percentile(ink, 99) > 0.7   # The pen is ink, in the light and in the dim


def test_a_blank_sheet_under_a_lamp_is_blank(image_prep, tmp_path):
    light, _ = lamp_light()
    path = save_photo(np.full(light.shape, PAPER, np.float32) * light, tmp_path / 'blank.jpg')
    with pytest.raises(common.UserError, match='no digit found: the image is blank'):
        image_prep.prepare_image(path)


# HEIC (iPhone) -----------------------------------------------------------------------------------------
def test_a_heic_photo_is_read_with_pillow_heif(image_prep, tmp_path):
    pillow_heif = pytest.importorskip('pillow_heif')
    pillow_heif.register_heif_opener()  # To write one here
    gray = draw_on_paper(4, size=(300, 400), seed=4)  # Small: HEIC is slow to write
    upright = image_prep.prepare_image(to_image(gray))
    image = to_image(gray).convert('RGB').transpose(ORIENTATIONS[6])
    exif = PIL.Image.Exif()
    exif[0x0112] = 6
    image.save(tmp_path / 'IMG_0001.HEIC', quality=90, exif=exif.tobytes())  # Stored sideways, as an iPhone does
    assert image_prep.is_heif(tmp_path / 'IMG_0001.HEIC')
    assert mean_difference(image_prep.prepare_image(tmp_path / 'IMG_0001.HEIC'), upright) < 0.01
    damaged = tmp_path / 'damaged.heic'
    damaged.write_bytes((tmp_path / 'IMG_0001.HEIC').read_bytes()[:300])
    with pytest.raises(common.UserError, match=r"'.*damaged.heic' is not an image file that can be read \("):
        image_prep.prepare_image(damaged)


def test_a_heic_photo_without_pillow_heif_says_what_to_do(image_prep, tmp_path, monkeypatch):
    monkeypatch.setitem(__import__('sys').modules, 'pillow_heif', None)  # As if not installed
    path = tmp_path / 'IMG_0002.heic'
    path.write_bytes(b'\0\0\0\x18ftypheic\0\0\0\0mif1heic' + b'\0' * 100)  # How an iPhone's photo begins
    with pytest.raises(common.UserError) as error:
        image_prep.prepare_image(path)
    assert str(error.value) == (f"'{path}' is a HEIC/HEIF photo (an iPhone's format): install pillow-heif to read "
                                "it (pip install pillow-heif), or convert it to JPEG or PNG")


# What worked goes on working -------------------------------------------------------------------------------
def test_a_48_megapixel_photo_webp_and_a_16_bit_scan(image_prep, photos, tmp_path):
    upright = image_prep.prepare_image(photos[7, 'upright'])
    with PIL.Image.open(photos[7, 'lamp']) as image:  # A phone's 48 MP photo (8000 x 6000), sideways, lamp-lit
        large = image.convert('RGB').resize((6000, 8000), PIL.Image.Resampling.BILINEAR)
    exif = PIL.Image.Exif()
    exif[0x0112] = 8
    large.transpose(ORIENTATIONS[8]).save(tmp_path / 'large.jpg', quality=85, exif=exif.tobytes())
    del large
    assert mean_difference(image_prep.prepare_image(tmp_path / 'large.jpg'), upright) < 0.02
    gray = np.asarray(to_image(draw_on_paper(7, seed=7)))
    to_image(gray / 255).save(tmp_path / 'photo.webp', quality=90)
    PIL.Image.fromarray(gray.astype(np.uint16) * 257).save(tmp_path / 'scan.png')  # 16-bit gray
    with PIL.Image.open(tmp_path / 'scan.png') as scan:
        assert scan.mode.startswith('I')
    for path in ['photo.webp', 'scan.png']:
        assert mean_difference(image_prep.prepare_image(tmp_path / path), upright) < 0.01


def test_a_truncated_photo_is_said_to_be_damaged(image_prep, photos, tmp_path):
    path = tmp_path / 'truncated.jpg'
    path.write_bytes(photos[1, 'sideways 6'].read_bytes()[:20000])  # A copy that stopped halfway
    with pytest.raises(common.UserError, match=r"'.*truncated.jpg' is not an image file that can be read \(OSError\)"):
        image_prep.prepare_image(path)


def test_drawing_pad_tensors_are_prepared_as_before(image_prep):
    canvas = torch.zeros(280, 280)
    canvas[60:220, 130:150] = 1  # A 1 drawn on the pad: bright ink on black, no paper to remove
    tensor = image_prep.prepare_image(canvas)
    expected = torch.zeros(1, 28, 28)
    expected[0, 4:24, 13:15] = 1  # 20 rows high, 2.5 columns wide: scaled into 20 x 20 and centered
    assert tensor.shape == (1, 28, 28) and (tensor - expected).abs().sum() < 12


# The real MNIST: a CNN trained on it reads every photo class ---------------------------------------------------
def read_idx(path):
    """An IDX file of MNIST (as it is, or .gz) as a uint8 array: magic 0x0000 08 ndim, the sizes, the bytes."""
    data = gzip.decompress(path.read_bytes()) if path.suffix == '.gz' else path.read_bytes()
    shape = np.frombuffer(data[4:4 + 4 * data[3]], '>i4')
    return np.frombuffer(data[4 + 4 * data[3]:], np.uint8).reshape(shape)


@pytest.fixture
def mnist_cnn(real_data_dir):
    """A small CNN trained here for one pass over 20,000 real MNIST digits (about 97 %: enough to read clear digits)."""
    raw = real_data_dir / 'MNIST' / 'raw'
    found = {name: next(raw.glob(f'{name}*')) for name in ['train-images', 'train-labels']}
    images = torch.from_numpy(read_idx(found['train-images'])[:20000].copy()).float().unsqueeze(1) / 255
    labels = torch.from_numpy(read_idx(found['train-labels'])[:20000].astype(np.int64))
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 16, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Conv2d(16, 32, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Flatten(), torch.nn.Linear(32 * 7 * 7, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()  # Training mode (no dropout here, but as every loop of the tutorial)
    for start in range(0, len(labels), 100):
        loss = torch.nn.functional.cross_entropy(model(images[start:start + 100]), labels[start:start + 100])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


@pytest.mark.realdata
def test_real_mnist_cnn_reads_every_photo_class(image_prep, photos, mnist_cnn):
    with torch.no_grad():  # No gradients needed to read a digit
        read = {key: int(mnist_cnn(image_prep.prepare_image(path).unsqueeze(0)).argmax())
                for key, path in photos.items()}
    assert read == {(digit, kind): digit for digit, kind in photos}
