"""Every path a learner types, in every script, and the data in the forms learners really have (issue 11).

Each bad path ends in one line on stderr with a non-zero exit code, no traceback, nothing written.
"""
import gzip
import re
import shutil

import pytest
import torchvision
from conftest import REPO_ROOT, load_script, make_fake_mnist, make_fake_names, run_main
from test_notebooks import section_scripts

SOURCES = {path.relative_to(REPO_ROOT).as_posix(): path.read_text(encoding='utf-8') for path in section_scripts()}
TAKES = {'--out-dir': r'\bout_dir=True', '--data-dir': r'\bdata_dir=True',  # How a script asks for each option
         '--model': r"add_argument\('--model'", '--output': r"add_argument\('--output'"}
SCRIPTS_WITH = {option: sorted(script for script, text in SOURCES.items() if re.search(pattern, text))
                for option, pattern in TAKES.items()}  # Read from the sources: no script runs while collecting


def test_the_scripts_with_path_options_are_the_expected_ones():
    """Scripts that read data take --data-dir, scripts that load a model take --model, every script that writes a
    file takes --out-dir (or --output), and no other option takes a path."""
    sources = SOURCES
    helps = {script: run_main(script, '--help').out for script in SOURCES}  # What each script says it takes
    assert SCRIPTS_WITH == {option: sorted(script for script, text in helps.items() if f'[{option} ' in text)
                            for option in TAKES}
    reads_data = {script for script, text in sources.items()
                  if re.search(r'prepare_mnist\(|load_mnist\(|find_name_files\(', text)}
    writes = {script for script, text in sources.items()
              if re.search(r'save_figure\(|save_checkpoint\(|save_json\(|open_atomically\(', text)}
    assert {'04_cnn_mnist/cnn_mnist.py', '04_cnn_mnist/mnist_dataset.py', '05_rnn_name2lang/rnn_name2lang.py'} <= \
        reads_data
    assert set(SCRIPTS_WITH['--data-dir']) == reads_data
    assert {'04_cnn_mnist/cnn_mnist_load.py', '04_cnn_mnist/further/draw_digit.py',
            '05_rnn_name2lang/rnn_name2lang_load.py'} <= set(SCRIPTS_WITH['--model'])
    assert SCRIPTS_WITH['--output'] == ['04_cnn_mnist/helpers/make_test_digit.py']
    assert writes - set(SCRIPTS_WITH['--output']) == set(SCRIPTS_WITH['--out-dir'])
    every_path_option = {'--out-dir', '--data-dir', '--model', '--output'}
    for script, text in helps.items():  # No other option takes a path
        options = set(re.findall(r'\[(--[a-z-]+) [A-Z_]+\]', text))
        assert options & every_path_option == {o for o in every_path_option if script in SCRIPTS_WITH[o]}


@pytest.fixture(scope='module')
def a_file(tmp_path_factory):
    path = tmp_path_factory.mktemp('paths') / 'notes.txt'
    path.write_text('a file, not a folder', encoding='utf-8')
    return path


@pytest.mark.parametrize('script', SCRIPTS_WITH['--out-dir'])
def test_an_output_folder_that_is_a_file(script, a_file):
    result = run_main(script, '--out-dir', a_file)
    assert (result.code, result.out) == (2, '')
    assert result.err == (f"{script.split('/')[-1]}: error: output folder '{a_file}' is a file, not a folder "
                          '(give another --out-dir) (see --help)\n')


@pytest.mark.parametrize('script', SCRIPTS_WITH['--out-dir'])
def test_an_output_folder_inside_a_file(script, a_file):
    result = run_main(script, '--out-dir', a_file / 'figures')
    assert (result.code, result.out) == (2, '')
    assert result.err == (f"{script.split('/')[-1]}: error: output folder '{a_file / 'figures'}' cannot be made: "
                          f"'{a_file}' is a file, not a folder (give another --out-dir) (see --help)\n")


@pytest.mark.parametrize('script', SCRIPTS_WITH['--data-dir'])
def test_a_data_folder_that_is_a_file_or_missing(script, a_file, tmp_path):
    name = script.split('/')[-1]
    result = run_main(script, '--data-dir', a_file, '--out-dir', tmp_path)
    assert (result.code, result.out) == (2, '')
    assert result.err == (f"{name}: error: data folder '{a_file}' (from --data-dir) is a file, not a folder "
                          '(see --help)\n')
    result = run_main(script, '--data-dir', tmp_path / 'none', '--out-dir', tmp_path)
    assert result.err == (f"{name}: error: data folder '{tmp_path / 'none'}' (from --data-dir) does not exist "
                          '(see --help)\n')
    assert list(tmp_path.iterdir()) == []  # Nothing written


@pytest.mark.parametrize('script', SCRIPTS_WITH['--model'])
def test_a_model_path_that_is_a_folder_or_missing(script, tmp_path):
    extra = ['--demo'] if 'draw_digit' in script else ['Choi'] if 'rnn_name2lang_load' in script else []
    result = run_main(script, '--model', tmp_path, *extra)
    assert (result.code, result.out.count('\n') <= 1) == (1, True)  # At most the 'Device: cpu' line
    assert result.err == (f"error: model file '{tmp_path}' is a folder, not a file "
                          '(give the .pt file, e.g. with --model)\n')
    result = run_main(script, '--model', tmp_path / 'none.pt', *extra)
    trainer = '05_rnn_name2lang/rnn_name2lang.py' if 'rnn' in script else '04_cnn_mnist/cnn_mnist.py'
    assert (result.code, result.err) == (1, f"error: model file '{tmp_path / 'none.pt'}' does not exist: train it "
                                            f'first with python {trainer}\n')


def test_an_image_path_that_is_a_folder(tmp_path):
    image = load_script('04_cnn_mnist/helpers/mnist_image.py')
    with pytest.raises(image.UserError) as error:
        image.prepare_image(tmp_path)
    assert str(error.value) == f"'{tmp_path}' is a folder, not an image file"


def test_make_test_digit_output_that_is_a_folder(tmp_path):
    result = run_main('04_cnn_mnist/helpers/make_test_digit.py', '--output', tmp_path)
    assert result.code == 1
    assert result.err == (f"error: --output '{tmp_path}' is a folder: give a file name, e.g. "
                          f"{tmp_path / 'cnn_mnist_test.png'}\n")


def test_make_test_digit_output_inside_a_file(a_file):
    result = run_main('04_cnn_mnist/helpers/make_test_digit.py', '--output', a_file / 'digit.png')
    assert (result.code, result.out) == (1, '')
    assert result.err == f"error: cannot write '{a_file / 'digit.png'}': '{a_file}' is a file, not a folder\n"


def test_a_names_file_that_is_binary_data_is_one_line(tmp_path):
    data_dir = make_fake_names(tmp_path / 'data')
    korean = data_dir / 'names' / 'Korean.txt'
    korean.write_bytes(bytes(range(256)))  # Not names: every byte once
    result = run_main('05_rnn_name2lang/rnn_name2lang.py', '--data-dir', data_dir, '--out-dir', tmp_path / 'out',
                      '--epochs', '1', '--device', 'cpu')
    assert (result.code, result.err) == (1, f"error: '{korean}' is not a text file (line 1 holds the control byte "
                                            "b'\\x00'); save it as UTF-8 text\n")
    assert not (tmp_path / 'out').exists()


# The forms of the data that learners have, through the scripts ------------------------------------------------
def test_mnist_dataset_reads_the_gz_files_of_the_mirrors_offline(tmp_path, monkeypatch):
    from common import data
    monkeypatch.setattr(torchvision.datasets.MNIST, 'mirrors', ['http://127.0.0.1:9/'])  # Offline
    raw = make_fake_mnist(tmp_path / 'data') / 'MNIST' / 'raw'
    for path in list(raw.iterdir()):
        with open(path, 'rb') as source, gzip.open(f'{path}.gz', 'wb') as target:
            shutil.copyfileobj(source, target)
        path.unlink()
    result = run_main('04_cnn_mnist/mnist_dataset.py', '--data-dir', tmp_path / 'data', '--out-dir', tmp_path / 'out')
    assert result.code == 0, result.err
    assert result.out.splitlines()[:4] == [f'Unpacked {name}.gz into {raw / name}' for name in data.MNIST_FILES]
    assert 'Number of datapoints: 400' in result.out and 'Downloading' not in result.out


def test_mnist_dataset_offline_without_files_says_which_files_to_put_where(tmp_path, monkeypatch):
    monkeypatch.setattr(torchvision.datasets.MNIST, 'mirrors', ['http://127.0.0.1:9/'])
    result = run_main('04_cnn_mnist/mnist_dataset.py', '--data-dir', tmp_path, '--out-dir', tmp_path / 'out')
    assert result.code == 1
    assert result.err == (f'error: MNIST could not be downloaded: put the four files train-images-idx3-ubyte, '
                          f'train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each as it is '
                          f'or as .gz) into {tmp_path / "MNIST" / "raw"}\n')
    assert list(tmp_path.iterdir()) == []


def test_rnn_reads_the_names_archive_offline(tmp_path, monkeypatch):
    import zipfile
    names = make_fake_names(tmp_path / 'made') / 'names'
    with zipfile.ZipFile(tmp_path / 'data.zip', 'w') as archive:
        for path in names.iterdir():
            archive.write(path, f'data/names/{path.name}')
    result = run_main('05_rnn_name2lang/rnn_name2lang.py', '--data-dir', tmp_path, '--out-dir', tmp_path / 'out',
                      '--epochs', '1', '--hidden-size', '8', '--device', 'cpu')
    assert result.code == 0, result.err
    assert f'Extracted the names data of {tmp_path / "data.zip"} into {tmp_path / "names"}' in result.out
    assert 'Names: 36 in 3 languages' in result.out
