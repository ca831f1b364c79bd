"""The guided tour (run_all.py): its list of scripts in slide order, each script's title read from its docstring,
the run of each script with a table; and the README's pictures, which docs/gallery.py draws through the tour."""
import re
from pathlib import Path

import pytest
from conftest import REPO_ROOT, load_script
from PIL import Image
from test_notebooks import section_scripts


@pytest.fixture(scope='module')
def run_all():
    return load_script('run_all.py')


def test_every_script_of_the_sections_is_in_the_tour(run_all):
    in_tour = [script for script, _, _ in run_all.SCRIPTS]
    scripts = {path.relative_to(REPO_ROOT).as_posix() for path in section_scripts()}
    assert len(in_tour) == len(set(in_tour))
    assert set(in_tour) == {script for script in scripts  # Helpers and exercises: not for the tour
                            if '/helpers/' not in script and '/exercises/' not in script}
    assert {path.relative_to(REPO_ROOT).as_posix() for path in run_all.section_scripts()} == scripts


# Titles: each script's docstring names its slide (or, beyond the slides, says what the script does) --------------
@pytest.mark.parametrize('docstring, kind, title', [
    ('Time C = A.inverse() * B.\n\nSlide "Practice) CPU vs. GPU-acceleration". As on the slide, ...', 'lesson',
     'CPU vs. GPU-acceleration'),
    ('Create a tensor.\n\nSlides "Practice) Creating a Tensor (1/2)" and "(2/2)". Each step is a cell', 'lesson',
     'Creating a Tensor (1/2)-(2/2)'),  # One slide's two pages
    ('Loading MNIST.\n\nSlides "MNIST Dataset" and "Practice) Loading the MNIST Dataset". The files', 'lesson',
     'MNIST Dataset and Loading the MNIST Dataset'),
    ('A perceptron.\n\nSlides "Neural Network" (a perceptron y = phi(sum_i w_i x_i + b); a 2-layer and\na 3-layer NN) '
     'and "Backpropagation" (training finds w*).\nThe perceptron is computed', 'concept',
     'Neural Network and Backpropagation'),  # A parenthesis between the slides, over two lines
    ('An RNN unrolled.\n\nSlides "Recurrent Neural Network (RNN)" (a NN with a loop, "All As have the same weight"; '
     'multi-layer RNNs). The unit', 'concept', 'Recurrent Neural Network (RNN)'),  # A quote inside the parenthesis
    ('A 3 drawn.\n\nSlide "Digit Classification with the MNIST Dataset (3/4)", step 5 "Test your image": ...',
     'concept', 'Digit Classification with the MNIST Dataset (3/4)'),  # `Slide`: the first quoted title only
    ('Draw a digit with the mouse: the model guesses it.\n\nThe slide "Loading My Network" asks you', 'further',
     'Draw a digit with the mouse'),  # Beyond the slides: what it does, up to the colon
    ('Data-parallel training of the MNIST CNN. Two machines\ntoo.\n\nSlide "X" is not its slide', 'further',
     'Data-parallel training of the MNIST CNN'),  # Up to the sentence's end; a further script has no slide
])
def test_title_is_the_slide_the_docstring_names_or_what_the_script_does(run_all, docstring, kind, title):
    assert run_all.title_from_docstring(docstring, kind) == title


def test_kind_of_a_script_is_its_folder(run_all):
    kinds = {script: run_all.script_kind(script) for script in ['04_cnn_mnist/cnn_mnist.py',
             '04_cnn_mnist/concepts/pooling.py', '04_cnn_mnist/further/draw_digit.py', '04_cnn_mnist/helpers/x.py',
             '04_cnn_mnist/exercises/02_convolve.py']}
    assert list(kinds.values()) == ['lesson', 'concept', 'further', 'helper', 'exercise']


def readme_title_rows():
    """(section README, script, the title cell) of each row of a `| Script | Slide | ...` table that names a script
    of the section (`further/draw_digit.py`, `cnn_mnist_load.py [IMAGE ...]`); rows of other tables are not read."""
    rows = []
    for readme in sorted(REPO_ROOT.glob('0[1-5]_*/README.md')):
        header = None
        for line in readme.read_text(encoding='utf-8').splitlines():
            cells = [cell.strip() for cell in line.strip().strip('|').split('|')] if line.startswith('|') else None
            if cells is None:
                header = None
            elif header is None:
                header = cells
            elif header[:2] == ['Script', 'Slide'] and (match := re.match(r'`([\w/]+\.py)', cells[0])):
                script = f'{readme.parent.name}/{match[1]}'
                if (REPO_ROOT / script).is_file():
                    rows.append((readme.relative_to(REPO_ROOT), script, cells[1]))
    return rows


def test_section_readmes_title_each_script_as_its_docstring_does(run_all):
    rows = readme_title_rows()
    assert {script for _, script, _ in rows} >= {script for script, _, _ in run_all.SCRIPTS
                                                  if run_all.script_kind(script) == 'lesson'}
    wrong = [f'{readme}: | `{Path(script).relative_to(readme.parent)}` | {run_all.script_title(script)} |'
             f'  (not {cell!r})' for readme, script, cell in rows if cell != run_all.script_title(script)]
    assert not wrong, 'the README tables should read:\n' + '\n'.join(wrong)


# The tour -----------------------------------------------------------------------------------------------------
FAKE_SCRIPTS = {  # Two scripts in a fake repository: one draws a figure, one fails as a learner's error does
    '01_fake/draws.py': '"""Draw.\n\nSlide "Practice) Drawing a Figure": ..."""\nimport sys\nfrom pathlib import Path\n'
                        'print("drawn"); Path(sys.argv[-1]).mkdir(parents=True); '
                        'Path(sys.argv[-1], "figure.png").write_bytes(b"png")\n',
    '01_fake/further/fails.py': '"""Fail in one line: on purpose."""\nimport sys\n'
                                'sys.exit("error: argument --n: must be a positive integer")\n',
}


@pytest.fixture
def fake_repo(run_all, tmp_path, monkeypatch):
    for script, text in FAKE_SCRIPTS.items():
        (tmp_path / 'repo' / script).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / 'repo' / script).write_text(text, encoding='utf-8')
    monkeypatch.setattr(run_all, 'REPO_ROOT', tmp_path / 'repo')
    monkeypatch.setattr(run_all, 'QUICK_OUT', tmp_path / 'out')
    return tmp_path


def test_tour_prints_a_table_and_fails_when_a_script_fails(run_all, fake_repo, monkeypatch, capsys):
    monkeypatch.setattr(run_all, 'SCRIPTS', [('01_fake/draws.py', ['--out-dir', '{out}'], []),
                                             ('01_fake/further/fails.py', ['--n', '0'], [])])
    assert run_all.main([]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ['script', 'status', 'seconds', 'figures', 'title']
    assert lines[1].split()[:2] == ['01_fake/draws.py', 'ok'] and lines[1].split()[3] == '1'
    assert lines[1].endswith('  Drawing a Figure')  # The slide's title, from the docstring
    assert lines[2].split()[:2] == ['01_fake/further/fails.py', 'FAILED'] and lines[2].endswith('  Fail in one line')
    assert lines[3].strip().startswith('error: argument --n: must be a positive integer  (log: ')
    assert lines[-1].startswith('1 passed, 1 failed in')
    assert (fake_repo / 'out' / 'draws' / 'figure.png').is_file()
    assert (fake_repo / 'out' / 'logs' / 'draws.log').read_text(encoding='utf-8') == 'drawn\n'


def test_tour_selects_scripts_by_name_in_slide_order(run_all, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(run_all, 'QUICK_OUT', tmp_path)
    ran = []
    monkeypatch.setattr(run_all, 'run_script', lambda script, *_: ran.append(script) or ('ok', 0.1, 0, ''))
    assert run_all.main(['autograd_analysis', 'line_fitting']) == 0
    assert ran == ['01_tensors/line_fitting.py', '02_autograd/autograd_analysis.py']
    assert capsys.readouterr().out.splitlines()[-1].startswith('2 passed, 0 failed')
    with pytest.raises(SystemExit):
        run_all.main(['no_such_script'])


def test_commands_point_to_the_output_folders(run_all):
    command = run_all.build_command('04_cnn_mnist/cnn_mnist_load.py',
                                    ['--model', '{out:cnn_mnist}/cnn_mnist.pt', '--out-dir', '{out}'], False)
    assert command[-4:] == ['--model', str(REPO_ROOT / 'results' / 'run_all' / 'cnn_mnist' / 'cnn_mnist.pt'),
                            '--out-dir', str(REPO_ROOT / 'results' / 'run_all' / 'cnn_mnist_load')]
    command = run_all.build_command('04_cnn_mnist/cnn_mnist_load.py', ['--model', '{out:cnn_mnist}/cnn_mnist.pt'], True)
    assert command[-2:] == ['--model', str(REPO_ROOT / 'results' / 'cnn_mnist' / 'cnn_mnist.pt')]  # The script's own
    command = run_all.build_command('04_cnn_mnist/further/draw_digit.py', ['--demo'], True)
    assert command[-2:] == [str(REPO_ROOT / '04_cnn_mnist' / 'further' / 'draw_digit.py'), '--demo']
    ddp = run_all.build_command('04_cnn_mnist/further/cnn_mnist_ddp.py', [], True)
    assert ddp[1:3] == ['-m', 'torch.distributed.run'] and ddp[-1].endswith('cnn_mnist_ddp.py')


def test_whole_tour_passes_on_real_data(run_all, real_data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(run_all, 'QUICK_OUT', tmp_path)
    monkeypatch.setenv('DL_DATA_DIR', str(real_data_dir))
    status = run_all.main([])
    out = capsys.readouterr().out
    assert status == 0, out
    assert f'{len(run_all.SCRIPTS)} passed, 0 failed' in out


# The README's pictures (docs/gallery.py) ------------------------------------------------------------------------
def test_gallery_runs_its_scripts_with_real_settings_and_writes_small_pictures(run_all, tmp_path, monkeypatch,
                                                                               capsys):
    gallery = load_script('docs/gallery.py')
    monkeypatch.setattr(gallery, 'DOCS', tmp_path / 'docs')
    monkeypatch.setattr(gallery.run_all, 'QUICK_OUT', tmp_path / 'quick')
    monkeypatch.setattr(gallery.run_all, 'output_folder', lambda script, full, root=None: tmp_path / Path(script).stem)
    ran = []

    def fake_run(script, options, full, log_dir):  # Each script "draws" its figures, 1200 x 900 pixels
        ran.append((script, options, full))
        for gallery_script, figure, _ in gallery.GALLERY:
            if gallery_script == script:
                (tmp_path / Path(script).stem).mkdir(exist_ok=True)
                Image.new('RGB', (1200, 900), 'white').save(tmp_path / Path(script).stem / figure)
        return 'ok', 1.0, 1, ''
    monkeypatch.setattr(gallery.run_all, 'run_script', fake_run)
    assert gallery.main([]) == 0
    assert ran == [(script, full, True) for script, _, full in run_all.SCRIPTS  # Slide order, real settings
                   if script in {gallery_script for gallery_script, _, _ in gallery.GALLERY}]
    for _, _, name in gallery.GALLERY:
        with Image.open(tmp_path / 'docs' / name) as full, Image.open(tmp_path / 'docs' / 'thumbs' / name) as thumb:
            assert full.size == (gallery.FULL_WIDTH, 600) and thumb.size == (gallery.THUMB_WIDTH, 180)
    assert 'Gallery: 14 pictures in' in capsys.readouterr().out


def test_every_picture_the_readme_shows_exists():
    readme = (REPO_ROOT / 'README.md').read_text(encoding='utf-8')
    pictures = re.findall(r'\((docs/[^)\s]+\.png)\)', readme)
    gallery = load_script('docs/gallery.py')
    assert {f'docs/{name}' for _, _, name in gallery.GALLERY} <= set(pictures)
    assert {f'docs/thumbs/{name}' for _, _, name in gallery.GALLERY} <= set(pictures)
    for picture in pictures:
        assert (REPO_ROOT / picture).is_file(), picture
    assert sum((REPO_ROOT / picture).stat().st_size for picture in set(pictures)) < 800_000


# benchmarks/busy_machine.py: each concept and lesson script quiet and with one core busy -------------------------
def test_busy_machine_benchmark_runs_every_concept_and_lesson_script_quiet_and_busy(run_all, monkeypatch, capsys):
    import sys
    bench = load_script('benchmarks/busy_machine.py')
    chosen = [script for script, _ in bench.scripts()]
    assert chosen == [script for script, _, _ in run_all.SCRIPTS if run_all.script_kind(script) in
                      ('concept', 'lesson')]  # The tour's order, no further script
    assert '04_cnn_mnist/concepts/skip_connection.py' in chosen and not any('/further/' in s for s in chosen)
    assert dict(bench.scripts(['skip_connection'])) == {'04_cnn_mnist/concepts/skip_connection.py': []}  # Defaults
    # Each script runs `runs` times in each column, beside a spinner in the busy one (a stand-in script here)
    spinners = []
    start_spinner = bench.start_spinner
    monkeypatch.setattr(bench, 'start_spinner', lambda: spinners.append(start_spinner()) or spinners[-1])
    monkeypatch.setattr(bench.run_all, 'build_command', lambda script, options, full: [sys.executable, '-c', 'pass'])
    assert bench.main(['conv_output_size', 'dropout', '--runs', '2']) == 0
    out = capsys.readouterr().out
    assert out.startswith('CPU: ') and 'load average (1, 5, 15 min) before: ' in out
    assert re.search(r'^\| `04_cnn_mnist/concepts/dropout\.py` \| concept \| \d+\.\d \(\d+\.\d-\d+\.\d\) \| '
                     r'\d+\.\d \(\d+\.\d-\d+\.\d\) \| \d+\.\d\dx( \(over 2x\))? \|$', out, re.M)
    assert '| script | kind | quiet s | one core busy s | busy / quiet |' in out
    assert len(spinners) == 4 and all(spinner.poll() is not None for spinner in spinners)  # Each one ended
    # A concept script over 2x is marked, a lesson script is not; a failed column says so
    row, ratio = bench.table_row('a.py', 'concept', {'quiet': [1.0, 1.2, 1.1], 'busy': [2.5, 2.0, 3.0]})
    assert row == '| `a.py` | concept | 1.1 (1.0-1.2) | 2.5 (2.0-3.0) | 2.27x (over 2x) |' and ratio == 2.5 / 1.1
    assert bench.table_row('a.py', 'lesson', {'quiet': [1.0], 'busy': [3.0]})[0].endswith('| 3.00x |')
    assert bench.table_row('a.py', 'concept', {'quiet': [None], 'busy': [1.0]})[0] == \
        '| `a.py` | concept | failed | 1.0 (1.0-1.0) | - |'


def test_busy_machine_benchmark_with_no_matching_script_ends_in_one_line():
    from conftest import run_main
    result = run_main('benchmarks/busy_machine.py', 'no_such_script')
    assert result.code == 1 and 'no concept or lesson script matches no_such_script' in result.err
