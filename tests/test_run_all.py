"""The guided tour: run_all.py runs scripts in slide order, reports each in a table, and redraws the gallery."""
import re

import pytest
from conftest import REPO_ROOT, load_script
from PIL import Image
from test_notebooks import section_scripts


def test_every_script_of_the_sections_is_in_the_tour():
    run_all = load_script('run_all.py')
    in_tour = {script for script, _, _ in run_all.SCRIPTS}
    scripts = {str(path.relative_to(REPO_ROOT)) for path in section_scripts()}
    assert in_tour == scripts - {'04_cnn_mnist/helpers/make_test_digit.py'}  # That one draws a tracked file, once


def test_tour_prints_a_table_and_fails_when_a_script_fails(tmp_path, monkeypatch, capsys):
    run_all = load_script('run_all.py')
    monkeypatch.setattr(run_all, 'QUICK_OUT', tmp_path)
    monkeypatch.setattr(run_all, 'SCRIPTS', [
        ('02_autograd/grad_descent.py', ['--max-iter', '3', '--out-dir', '{out}'], []),
        ('01_tensors/cpu_vs_gpu.py', ['--n', '0'], []),  # Nonsense: exits 2
    ])
    assert run_all.main([]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ['script', 'status', 'seconds', 'figures']
    assert lines[1].split()[:2] == ['02_autograd/grad_descent.py', 'ok'] and lines[1].split()[3] == '1'
    assert lines[2].split()[:2] == ['01_tensors/cpu_vs_gpu.py', 'FAILED']
    assert 'must be a positive integer' in lines[3]
    assert lines[-1].startswith('1 passed, 1 failed in')
    assert (tmp_path / 'grad_descent' / 'grad_descent.png').is_file()
    assert 'Iter: 2, x = ' in (tmp_path / 'logs' / 'grad_descent.log').read_text()


def test_tour_selects_scripts_by_name_in_slide_order(tmp_path, monkeypatch, capsys):
    run_all = load_script('run_all.py')
    monkeypatch.setattr(run_all, 'QUICK_OUT', tmp_path)
    ran = []
    monkeypatch.setattr(run_all, 'run_script', lambda script, *_: ran.append(script) or ('ok', 0.1, 0, ''))
    assert run_all.main(['autograd_analysis', 'line_fitting']) == 0
    assert ran == ['01_tensors/line_fitting.py', '02_autograd/autograd_analysis.py']
    assert capsys.readouterr().out.splitlines()[-1].startswith('2 passed, 0 failed')
    with pytest.raises(SystemExit):
        run_all.main(['no_such_script'])


def test_commands_point_to_the_output_folders():
    run_all = load_script('run_all.py')
    command = run_all.build_command('04_cnn_mnist/cnn_mnist_load.py',
                                    ['--model', '{out:cnn_mnist}/cnn_mnist.pt', '--out-dir', '{out}'], False)
    assert command[-4:] == ['--model', str(run_all.QUICK_OUT / 'cnn_mnist' / 'cnn_mnist.pt'),
                            '--out-dir', str(run_all.QUICK_OUT / 'cnn_mnist_load')]
    command = run_all.build_command('04_cnn_mnist/further/draw_digit.py', ['--demo'], True)
    assert command[-2:] == [str(REPO_ROOT / '04_cnn_mnist' / 'further' / 'draw_digit.py'), '--demo']
    ddp = run_all.build_command('04_cnn_mnist/further/cnn_mnist_ddp.py', [], True)
    assert ddp[1:3] == ['-m', 'torch.distributed.run'] and ddp[-1].endswith('cnn_mnist_ddp.py')


def test_gallery_runs_its_scripts_with_real_settings_and_writes_small_pictures(tmp_path, monkeypatch, capsys):
    run_all = load_script('run_all.py')
    monkeypatch.setattr(run_all, 'QUICK_OUT', tmp_path / 'quick')
    monkeypatch.setattr(run_all, 'FULL_OUT', tmp_path / 'results')
    monkeypatch.setattr(run_all, 'DOCS', tmp_path / 'docs')
    ran = []

    def fake_run(script, options, full, log_dir):  # Each script "draws" its figure, 1200 x 900 pixels
        ran.append((script, full))
        for gallery_script, figure, _ in run_all.GALLERY:
            if gallery_script == script:
                folder = run_all.output_folder(script, full)
                folder.mkdir(parents=True, exist_ok=True)
                Image.new('RGB', (1200, 900), 'white').save(folder / figure)
        return 'ok', 1.0, 1, ''
    monkeypatch.setattr(run_all, 'run_script', fake_run)
    assert run_all.main(['--gallery']) == 0
    assert ran == [(script, True) for script, _, _ in run_all.SCRIPTS
                   if script in {gallery_script for gallery_script, _, _ in run_all.GALLERY}]
    for _, _, name in run_all.GALLERY:
        with Image.open(tmp_path / 'docs' / name) as full, Image.open(tmp_path / 'docs' / 'thumbs' / name) as thumb:
            assert full.size == (run_all.FULL_WIDTH, 600) and thumb.size == (run_all.THUMB_WIDTH, 180)
    assert 'Gallery: 14 pictures in' in capsys.readouterr().out


def test_whole_tour_passes_on_real_data(real_data_dir, tmp_path, monkeypatch, capsys):
    run_all = load_script('run_all.py')
    monkeypatch.setattr(run_all, 'QUICK_OUT', tmp_path)
    monkeypatch.setenv('DL_DATA_DIR', str(real_data_dir))
    status = run_all.main([])
    out = capsys.readouterr().out
    assert status == 0, out
    assert f'{len(run_all.SCRIPTS)} passed, 0 failed' in out


def test_every_picture_the_readme_shows_exists():
    readme = (REPO_ROOT / 'README.md').read_text()
    pictures = re.findall(r'\((docs/[^)\s]+\.png)\)', readme)
    run_all = load_script('run_all.py')
    assert {f'docs/{name}' for _, _, name in run_all.GALLERY} <= set(pictures)
    assert {f'docs/thumbs/{name}' for _, _, name in run_all.GALLERY} <= set(pictures)
    for picture in pictures:
        assert (REPO_ROOT / picture).is_file(), picture
    assert sum((REPO_ROOT / picture).stat().st_size for picture in set(pictures)) < 800_000
