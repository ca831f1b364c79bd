"""The guided tour: run_all.py runs scripts in slide order and reports each in a table."""
from conftest import REPO_ROOT, load_script


def test_every_script_of_the_sections_is_in_the_tour():
    run_all = load_script('run_all.py')
    in_tour = {script for script, _, _ in run_all.SCRIPTS}
    on_disk = {str(path.relative_to(REPO_ROOT)) for path in REPO_ROOT.glob('0[1-5]_*/*.py')}
    helpers = {'02_autograd/gd_common.py', '04_cnn_mnist/make_test_digit.py'}  # Imported or run once, not slides
    assert in_tour == on_disk - helpers


def test_tour_prints_a_table_and_fails_when_a_script_fails(tmp_path, monkeypatch, capsys):
    run_all = load_script('run_all.py')
    monkeypatch.setattr(run_all, 'QUICK_OUT', tmp_path)
    monkeypatch.setattr(run_all, 'SCRIPTS', [
        ('01_tensors/line_fitting.py', [], []),
        ('02_autograd/grad_descent.py', ['--max-iter', '3'], []),
        ('01_tensors/cpu_vs_gpu.py', ['--n', '0'], []),  # Nonsense: exits 2
    ])
    assert run_all.main([]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ['script', 'status', 'seconds', 'figures']
    assert lines[1].split()[:2] == ['01_tensors/line_fitting.py', 'ok'] and lines[1].split()[3] == '0'
    assert lines[2].split()[:2] == ['02_autograd/grad_descent.py', 'ok'] and lines[2].split()[3] == '1'
    assert lines[3].split()[:2] == ['01_tensors/cpu_vs_gpu.py', 'FAILED']
    assert 'must be a positive integer' in lines[4]
    assert lines[-1].startswith('2 passed, 1 failed in')
    assert (tmp_path / 'grad_descent' / 'grad_descent.png').is_file()
    assert (tmp_path / 'logs' / 'line_fitting.log').read_text().count('-0.6667') == 1


def test_tour_selects_scripts_by_name(tmp_path, monkeypatch, capsys):
    run_all = load_script('run_all.py')
    monkeypatch.setattr(run_all, 'QUICK_OUT', tmp_path)
    assert run_all.main(['line_fitting', 'autograd_analysis']) == 0
    out = capsys.readouterr().out
    assert '01_tensors/line_fitting.py' in out and '02_autograd/autograd_analysis.py' in out
    assert 'create_tensor' not in out and out.splitlines()[-1].startswith('2 passed, 0 failed')


def test_whole_tour_passes_on_real_data(real_data_dir, tmp_path, monkeypatch, capsys):
    run_all = load_script('run_all.py')
    monkeypatch.setattr(run_all, 'QUICK_OUT', tmp_path)
    monkeypatch.setenv('DL_DATA_DIR', str(real_data_dir))
    status = run_all.main([])
    out = capsys.readouterr().out
    assert status == 0, out
    assert f'{len(run_all.SCRIPTS)} passed, 0 failed' in out
