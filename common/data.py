"""The data sets, taken from what the learner has, in every form their official sources hand out.

Only what is missing is downloaded (announced); offline, one line says which files to put where.

- MNIST (slides "Loading the MNIST Dataset", "Digit Classification with the MNIST Dataset"):
  `<data>/MNIST/raw/` with the four IDX files, each uncompressed or as the `.gz` the mirrors serve.
- Names (slides "Name2Lang ... (4/7)"): `<data>/names/<Language>.txt`, the PyTorch tutorial's
  archive `<data>/data.zip`, or that archive extracted in place (`<data>/data/names/`).
- Text files are read as UTF-8; a file in another encoding is read as Latin-1, with one warning line.
"""
import gzip
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from .errors import UserError
from .files import write_atomically
from .paths import MNIST_FILES, find_names_folder, mnist_raw_folder

NAMES_URL = 'https://download.pytorch.org/tutorial/data.zip'  # Its data/names/ holds the 18 <Language>.txt


def unpack_gz(gz_path, path):
    """Decompress `gz_path` into `path` (atomically); a broken archive raises `UserError` naming it."""
    def write(file):
        with gzip.open(gz_path, 'rb') as source:
            shutil.copyfileobj(source, file)
    try:
        write_atomically(path, write)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise UserError(f"'{gz_path}' is not a readable .gz file ({type(error).__name__}): delete it to "
                        'download it again, or replace it') from None
    print(f'Unpacked {gz_path.name} into {path}')


def check_idx_file(path, magic, item_shape):
    """Raise `UserError` naming `path` unless it is an IDX file with this magic number and item shape."""
    header_size = 4 * (2 + len(item_shape))
    with open(path, 'rb') as file:
        header = [int.from_bytes(file.read(4), 'big') for _ in range(2 + len(item_shape))]
    size = path.stat().st_size
    expected = header_size + header[1] * int(np.prod(item_shape))
    problem = None
    if size < header_size or header[0] != magic:
        problem = 'not an MNIST IDX file of this kind'
    elif tuple(header[2:]) != item_shape:
        problem = f'items of shape {tuple(header[2:])}, not {item_shape}'
    elif size != expected:
        problem = f'{size} bytes where its header promises {expected}'
    if problem:
        raise UserError(f"'{path}' is broken ({problem}): delete it to download it again, or replace it")


def download_url(url, root, filename=None, md5=None):
    """torchvision's `download_url`. torchvision is imported here, when first needed, not with `common`: its
    import takes 2-3 s, which the scripts without MNIST (01-03, 05) then no longer wait for at every start."""
    from torchvision.datasets.utils import download_url as torchvision_download_url
    torchvision_download_url(url, root, filename=filename, md5=md5)


def download(url, folder, filename=None, md5=None):
    """Download `url` into `folder`; return None, or the error that stopped it (no network, a mirror down).

    Nothing half-downloaded stays. Ctrl-C goes on up: the learner stopped the run.
    """
    try:
        download_url(url, folder, filename=filename, md5=md5)
    except BaseException as error:
        (Path(folder) / (filename or Path(url).name)).unlink(missing_ok=True)
        if not isinstance(error, Exception):
            raise
        return error
    return None


def download_mnist_file(name, raw_folder):
    """Download `<name>.gz` with torchvision's list of mirrors into `raw_folder` and unpack it; True if done."""
    import torchvision
    # torchvision lists file names; older ones (and the slide's mirror lines) list whole addresses
    md5 = {Path(url).name: md5 for url, md5 in torchvision.datasets.MNIST.resources}[f'{name}.gz']
    for mirror in torchvision.datasets.MNIST.mirrors:
        if download(f'{mirror}{name}.gz', raw_folder, md5=md5) is None:
            unpack_gz(raw_folder / f'{name}.gz', raw_folder / name)
            return True
    return False


def prepare_mnist(data_dir):
    """Make sure the four raw MNIST files are in `<data_dir>/MNIST/raw/`, uncompressed and sound; return `data_dir`.

    Called right before the slides' `torchvision.datasets.MNIST(data_dir, ...)`, which then finds every file.
    """
    raw_folder = mnist_raw_folder(data_dir)
    for name in MNIST_FILES:  # Unpack what the learner holds as .gz
        if not (raw_folder / name).is_file() and (raw_folder / f'{name}.gz').is_file():
            unpack_gz(raw_folder / f'{name}.gz', raw_folder / name)
    missing = [name for name in MNIST_FILES if not (raw_folder / name).is_file()]
    if missing:
        print(f'Downloading MNIST into {raw_folder} (missing: {", ".join(missing)}) ...')
        existed = raw_folder.exists()
        if not all(download_mnist_file(name, raw_folder) for name in missing):
            if not existed:  # Leave no empty folders behind
                for folder in (raw_folder, raw_folder.parent):
                    if folder.is_dir() and not any(folder.iterdir()):
                        folder.rmdir()
            raise UserError(f'MNIST could not be downloaded: put the four files {", ".join(MNIST_FILES)} '
                            f'(each as it is or as .gz) into {raw_folder}')
    for name, (magic, item_shape) in MNIST_FILES.items():
        check_idx_file(raw_folder / name, magic, item_shape)
    return data_dir


def load_mnist(data_dir, train=True, transform=None):
    """Return `torchvision.datasets.MNIST` (the training or the test split) read from `data_dir`."""
    import torchvision
    prepare_mnist(data_dir)
    try:
        return torchvision.datasets.MNIST(data_dir, train=train, download=False, transform=transform)
    except Exception as error:  # e.g. labels that do not match the images
        raise UserError(f'the MNIST files in {mnist_raw_folder(data_dir)} cannot be read '
                        f'({type(error).__name__}); delete them to download them again') from None


def extract_names(archive, names_dir):
    """Extract `data/names/*.txt` of the tutorial's archive into `names_dir`; the folder appears whole or not at all."""
    try:
        with zipfile.ZipFile(archive) as zip_file, tempfile.TemporaryDirectory(dir=names_dir.parent) as tmp_dir:
            members = [m for m in zip_file.namelist() if m.startswith('data/names/') and m.endswith('.txt')]
            if not members:
                raise UserError(f"'{archive}' holds no data/names/*.txt (is it the PyTorch tutorial's data.zip?)")
            zip_file.extractall(tmp_dir, members)
            extracted = Path(tmp_dir) / 'data' / 'names'
            if names_dir.is_dir():  # It holds no .txt file; its other files (e.g. macOS's .DS_Store) join the new ones
                for item in names_dir.iterdir():
                    shutil.move(str(item), str(extracted / item.name))
                names_dir.rmdir()
            shutil.move(str(extracted), str(names_dir))
    except (zipfile.BadZipFile, EOFError) as error:
        raise UserError(f"'{archive}' is not a readable zip file ({type(error).__name__}): delete it to "
                        'download it again, or replace it') from None
    print(f'Extracted the names data of {archive} into {names_dir}')


def find_name_files(data_dir):
    """Return the 18 `<Language>.txt` files of the names data under `data_dir`, getting them if needed."""
    data_dir = Path(data_dir)
    names_dir = data_dir / 'names'
    folder = find_names_folder(data_dir)  # Extracted, or the archive extracted in place
    if folder is not None:
        return sorted(folder.glob('*.txt'))
    archive = data_dir / 'data.zip'
    if not archive.is_file():
        print(f'Downloading the names data from {NAMES_URL} into {data_dir} ...')
        error = download(NAMES_URL, data_dir, filename='data.zip')
        if error is not None:
            raise UserError(f'could not download {NAMES_URL} ({type(error).__name__}); offline, put the 18 '
                            f'<Language>.txt files into {names_dir}/, or the archive data.zip into '
                            f'{data_dir}/')
    extract_names(archive, names_dir)
    return sorted(names_dir.glob('*.txt'))


def read_text(path):
    """Return the text of the file `path`: UTF-8 (or UTF-16 with a byte order mark), or Latin-1 with one warning
    line when it is not UTF-8; a file that holds control bytes (binary data) raises `UserError`.

    Lines end in '\\n' whatever the file has (Windows' '\\r\\n', old Macs' '\\r'), as `open()` reads text.
    """
    raw = Path(path).read_bytes()
    if raw[:2] in (b'\xff\xfe', b'\xfe\xff'):  # UTF-16 with its byte order mark (Windows Notepad's "Unicode")
        raw = raw.decode('utf-16', errors='replace').encode('utf-8')
    control = re.search(rb'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]', raw)  # Binary data (or UTF-16 without its mark)
    if control:
        line = raw[:control.start()].count(b'\n') + 1
        raise UserError(f"'{path}' is not a text file (line {line} holds the control byte {control.group()!r}); "
                        'save it as UTF-8 text')
    try:
        text = raw.decode('utf-8-sig')  # '-sig': a byte order mark some editors write is not text
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b'\n') + 1
        print(f"warning: '{path}' is not UTF-8 (line {line}); read it as Latin-1", file=sys.stderr)
        text = raw.decode('latin-1')
    return text.replace('\r\n', '\n').replace('\r', '\n')  # Universal newlines, as open() in text mode
