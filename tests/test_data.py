"""The data sets in every form their official sources hand out (common/data.py), offline and broken ones too."""
import gzip
import shutil
import subprocess
import sys
import zipfile

import pytest
import torchvision
from conftest import FAKE_MNIST_SIZES, fake_digits, make_fake_mnist, make_fake_names, write_idx

import common
from common import data

UNREACHABLE = ['http://127.0.0.1:9/']  # A mirror that refuses at once: "offline"


def gzip_all(raw):
    """Replace every raw MNIST file by its .gz, as the mirrors serve them."""
    for path in list(raw.iterdir()):
        with open(path, 'rb') as source, gzip.open(f'{path}.gz', 'wb') as target:
            shutil.copyfileobj(source, target)
        path.unlink()


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setattr(torchvision.datasets.MNIST, 'mirrors', UNREACHABLE)
    monkeypatch.setattr(data, 'NAMES_URL', UNREACHABLE[0] + 'data.zip')


# MNIST ---------------------------------------------------------------------------------------------
def test_mnist_as_gz_files_offline(tmp_path, offline, capsys):
    raw = make_fake_mnist(tmp_path) / 'MNIST' / 'raw'
    gzip_all(raw)
    train = common.load_mnist(tmp_path, train=True)
    test = common.load_mnist(tmp_path, train=False)
    assert (len(train), len(test)) == (FAKE_MNIST_SIZES['train'], FAKE_MNIST_SIZES['t10k'])
    assert train.targets[0].item() == fake_digits(FAKE_MNIST_SIZES['train'], 1)[1][0]
    out = capsys.readouterr().out
    assert out.count('Unpacked') == 4 and 'Downloading' not in out
    assert f'Unpacked train-images-idx3-ubyte.gz into {raw / "train-images-idx3-ubyte"}\n' in out
    assert sorted(p.name for p in raw.iterdir() if not p.name.endswith('.gz')) == sorted(data.MNIST_FILES)


def test_mnist_mixed_forms_and_only_the_missing_file_is_downloaded(tmp_path, monkeypatch, capsys):
    raw = make_fake_mnist(tmp_path) / 'MNIST' / 'raw'
    labels = (raw / 't10k-labels-idx1-ubyte').read_bytes()
    (raw / 't10k-labels-idx1-ubyte').unlink()
    with gzip.open(raw / 'train-labels-idx1-ubyte.gz', 'wb') as file:  # One as .gz, one missing
        file.write((raw / 'train-labels-idx1-ubyte').read_bytes())
    (raw / 'train-labels-idx1-ubyte').unlink()
    fetched = []

    def fake_download(url, root, md5=None, **kwargs):  # The mirror serves the missing file
        fetched.append(url)
        with gzip.open(root / url.rsplit('/', 1)[1], 'wb') as file:
            file.write(labels)
    monkeypatch.setattr(data, 'download_url', fake_download)
    assert len(common.load_mnist(tmp_path, train=False)) == FAKE_MNIST_SIZES['t10k']
    assert fetched == [torchvision.datasets.MNIST.mirrors[0] + 't10k-labels-idx1-ubyte.gz']
    out = capsys.readouterr().out
    assert f'Downloading MNIST into {raw} (missing: t10k-labels-idx1-ubyte) ...\n' in out
    assert 'Unpacked train-labels-idx1-ubyte.gz' in out and 'Unpacked t10k-labels-idx1-ubyte.gz' in out


def test_mnist_missing_offline_says_what_to_put_where(tmp_path, offline):
    with pytest.raises(common.UserError) as error:
        common.load_mnist(tmp_path)
    raw = tmp_path / 'MNIST' / 'raw'
    assert str(error.value) == (f'MNIST could not be downloaded: put the four files train-images-idx3-ubyte, '
                                f'train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte '
                                f'(each as it is or as .gz) into {raw}')
    assert not (tmp_path / 'MNIST').exists()  # No empty folders, no half-downloaded files left behind


@pytest.mark.parametrize('damage, problem', [
    (lambda path: path.write_bytes(path.read_bytes()[:-100]), 'bytes where its header promises'),
    (lambda path: path.write_bytes(b'\0\0\x08\x03garbage'), 'not an MNIST IDX file of this kind'),
    (lambda path: write_idx(path, fake_digits(5, 0)[0][:, :14, :14]), 'items of shape (14, 14), not (28, 28)'),
])
def test_a_corrupt_mnist_file_is_named(tmp_path, damage, problem):
    raw = make_fake_mnist(tmp_path) / 'MNIST' / 'raw'
    damage(raw / 'train-images-idx3-ubyte')
    with pytest.raises(common.UserError) as error:
        common.load_mnist(tmp_path)
    assert str(error.value).startswith(f"'{raw / 'train-images-idx3-ubyte'}' is broken (")
    assert problem in str(error.value) and str(error.value).endswith('delete it to download it again, or replace it')


def test_a_corrupt_gz_is_named_and_nothing_half_unpacked_stays(tmp_path, offline):
    raw = make_fake_mnist(tmp_path) / 'MNIST' / 'raw'
    (raw / 't10k-images-idx3-ubyte').unlink()
    (raw / 't10k-images-idx3-ubyte.gz').write_bytes(gzip.compress(bytes(range(256)) * 100)[:400])  # Cut short
    with pytest.raises(common.UserError, match=r"t10k-images-idx3-ubyte.gz' is not a readable .gz file"):
        common.load_mnist(tmp_path)
    assert not (raw / 't10k-images-idx3-ubyte').exists()
    assert not [p for p in raw.iterdir() if p.name.endswith('.tmp')]


def test_read_only_data_is_only_read(tmp_path):
    raw = make_fake_mnist(tmp_path) / 'MNIST' / 'raw'
    before = {p: p.stat().st_mtime_ns for p in raw.iterdir()}
    common.load_mnist(tmp_path)
    assert {p: p.stat().st_mtime_ns for p in raw.iterdir()} == before


# Names ---------------------------------------------------------------------------------------------
def make_names_zip(path, languages=('Korean', 'Japanese')):
    """The PyTorch tutorial's data.zip layout: data/names/<Language>.txt (and other folders)."""
    with zipfile.ZipFile(path, 'w') as archive:
        for language in languages:
            archive.writestr(f'data/names/{language}.txt', f'{language}name\n')
        archive.writestr('data/eng-fra.txt', 'not names\n')
    return path


def test_names_folder_as_it_is(tmp_path):
    make_fake_names(tmp_path)
    assert [p.stem for p in common.find_name_files(tmp_path)] == ['English', 'Japanese', 'Korean']


def test_names_archive_is_extracted_offline(tmp_path, offline, capsys):
    make_names_zip(tmp_path / 'data.zip')
    files = common.find_name_files(tmp_path)
    assert files == [tmp_path / 'names' / 'Japanese.txt', tmp_path / 'names' / 'Korean.txt']
    assert capsys.readouterr().out == f'Extracted the names data of {tmp_path / "data.zip"} into {tmp_path / "names"}\n'
    assert not (tmp_path / 'names' / 'eng-fra.txt').exists()


def test_names_archive_beside_a_names_folder_without_names(tmp_path, offline):
    (tmp_path / 'names').mkdir()
    (tmp_path / 'names' / '.DS_Store').write_bytes(b'\0\0\0\1Bud1')  # What macOS leaves in a folder it showed
    make_names_zip(tmp_path / 'data.zip')
    assert [p.stem for p in common.find_name_files(tmp_path)] == ['Japanese', 'Korean']
    assert (tmp_path / 'names' / '.DS_Store').is_file()  # Kept, beside the extracted names
    assert sorted(p.name for p in tmp_path.iterdir()) == ['data.zip', 'names']  # No temporary folder left


def test_names_archive_extracted_in_place(tmp_path, offline):
    with zipfile.ZipFile(make_names_zip(tmp_path / 'data.zip')) as archive:
        archive.extractall(tmp_path)
    (tmp_path / 'data.zip').unlink()
    assert [p.stem for p in common.find_name_files(tmp_path)] == ['Japanese', 'Korean']


def test_names_downloaded_when_missing(tmp_path, monkeypatch, capsys):
    fetched = []

    def fake_download(url, root, filename=None, **kwargs):
        fetched.append(url)
        make_names_zip(root / filename, ['Greek'])
    monkeypatch.setattr(data, 'download_url', fake_download)
    assert [p.stem for p in common.find_name_files(tmp_path)] == ['Greek']
    assert fetched == [data.NAMES_URL]
    assert capsys.readouterr().out.startswith(f'Downloading the names data from {data.NAMES_URL} into {tmp_path} ...\n')


def test_names_missing_offline_says_what_to_put_where(tmp_path, offline):
    with pytest.raises(common.UserError) as error:
        common.find_name_files(tmp_path)
    assert str(error.value) == (f'could not download {data.NAMES_URL} (URLError); offline, put the 18 '
                                f'<Language>.txt files into {tmp_path / "names"}/, or the archive data.zip '
                                f'into {tmp_path}/')
    assert list(tmp_path.iterdir()) == []


def test_a_broken_names_archive_is_named(tmp_path, offline):
    (tmp_path / 'data.zip').write_bytes(b'PK\x03\x04 not really a zip')
    with pytest.raises(common.UserError, match="data.zip' is not a readable zip file"):
        common.find_name_files(tmp_path)
    assert not (tmp_path / 'names').exists()


# Text ----------------------------------------------------------------------------------------------
def test_text_in_utf8_latin1_and_with_a_bom(tmp_path, capsys):
    (tmp_path / 'utf8.txt').write_text('Ślusàrski\nMüller\n', encoding='utf-8')
    (tmp_path / 'bom.txt').write_bytes('Müller\n'.encode('utf-8-sig'))
    (tmp_path / 'German.txt').write_bytes('Abel\nMüller\n'.encode('latin-1'))
    assert common.read_text(tmp_path / 'utf8.txt') == 'Ślusàrski\nMüller\n'
    assert common.read_text(tmp_path / 'bom.txt') == 'Müller\n'
    assert capsys.readouterr().err == ''
    assert common.read_text(tmp_path / 'German.txt') == 'Abel\nMüller\n'
    assert capsys.readouterr().err == (f"warning: '{tmp_path / 'German.txt'}' is not UTF-8 (line 2); "
                                       'read it as Latin-1\n')


def test_text_in_utf16_with_its_mark(tmp_path, capsys):
    (tmp_path / 'German.txt').write_text('Abel\nMüller\n', encoding='utf-16')  # Windows Notepad's "Unicode"
    assert common.read_text(tmp_path / 'German.txt') == 'Abel\nMüller\n'
    assert capsys.readouterr().err == ''


def test_binary_data_is_not_text(tmp_path):
    (tmp_path / 'Korean.txt').write_bytes(b'Ahn\nBaik\n\x89PNG\r\n\x1a\n\x00\x00')
    with pytest.raises(common.UserError) as error:
        common.read_text(tmp_path / 'Korean.txt')
    assert str(error.value) == (f"'{tmp_path / 'Korean.txt'}' is not a text file (line 4 holds the control byte "
                                "b'\\x1a'); save it as UTF-8 text")


def test_importing_common_imports_nothing_heavy_and_changes_nothing():
    """`import common` imports neither torch nor torchvision (2-3 s to import) and leaves the process as it was
    (its umask too); `common.save_figure` imports torch, torchvision waits for the MNIST functions."""
    code = ('import os, sys; os.umask(0o027); import common; print("torch" in sys.modules, "torchvision" in '
            'sys.modules, oct(os.umask(0o027))); common.save_figure; print("torch" in sys.modules, '
            '"torchvision" in sys.modules)')
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, encoding='utf-8', check=True)
    assert result.stdout.split() == ['False', 'False', '0o27', 'True', 'False']
