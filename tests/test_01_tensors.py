"""Tests of 01_tensors: each script run as a learner runs it, its printed values checked against the slides."""
import re

import numpy as np
import pytest
import torch
from conftest import load_script, run_cli

SCRIPTS = ['create_tensor', 'reshape_tensor', 'line_fitting', 'cpu_vs_gpu']


def run_main(capsys, name, *args):
    """Run `01_tensors/<name>.py` in this process with `args`; return what it printed."""
    load_script(f'01_tensors/{name}.py').main([str(arg) for arg in args])
    return capsys.readouterr().out


def test_create_tensor_prints_the_slide_values(capsys):
    out = run_main(capsys, 'create_tensor', '--device', 'cpu').splitlines()
    assert out[:10] == [
        '2 2', '6', 'torch.Size([2, 3]) torch.Size([2, 3])',
        'torch.int64',                  # The slide's torch.int32 is Windows' NumPy < 2 default integer
        'torch.float32', 'torch.Size([3, 2])',
        'tensor([10, 18, 86])',         # A view of x: it sees x[-1, -1] = 86
        'tensor([29, 18])', 'tensor(3)', '3',
    ]
    assert 'Step 5 (CUDA tensors) skipped' in out[10]  # On the CPU the CUDA step does not run
    assert len(out) == 11


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_create_tensor_cuda_step_shows_the_error_safely(capsys):
    out = run_main(capsys, 'create_tensor', '--device', 'cuda').splitlines()
    assert out[10:14] == ['cpu', 'cuda:0', 'cpu', '[ 3 29 82]']
    assert out[14].startswith("Error! can't convert cuda:0 device type tensor to numpy")


def test_create_tensor_runs_from_any_folder(tmp_path):
    result = run_cli('01_tensors/create_tensor.py', '--device', 'cpu', cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert 'tensor([10, 18, 86])' in result.stdout
    assert result.stderr == ''


def test_reshape_tensor_views_share_memory_and_copies_do_not(capsys):
    out = run_main(capsys, 'reshape_tensor')
    assert 'torch.Size([8]) tensor([29,  3, 18, 10, 27, 10, 12,  5])' in out
    assert 'torch.Size([1, 8]) tensor([[29,  3, 18, 10, 27, 10, 12,  5]])' in out
    for shape in ['[2, 4]', '[2, 4, 1]', '[1, 2, 4]', '[2, 1, 4]']:
        assert f'torch.Size({shape}) tensor(' in out
    # is_contiguous() of t_021, c_021, t_102 and t_201, in the order of the slide
    assert re.findall(r'\]\]\]\) (True|False)', out) == ['False', 'True', 'False', 'False']
    # y[0,0,0] = 27 shows in the view p and the transposed t_021, not in the contiguous copy c_021
    assert 'tensor([27,  3, 18, 10, 27, 10, 12,  5])' in out
    tail = out.split('tensor([27,  3, 18, 10, 27, 10, 12,  5])')[1]
    first_rows = re.findall(r'tensor\(\[\[\[\s*(\d+),\s*(\d+)\]', tail)
    assert first_rows == [('27', '18'), ('29', '18'), ('1', '3'), ('27', '3')]  # t_021, c_021, y, z


def test_line_fitting_finds_the_line_through_both_points(capsys):
    out = run_main(capsys, 'line_fitting')
    assert 'tensor([[-0.6667],\n        [ 4.6667]])' in out
    assert '[[-0.66666667]\n [ 4.66666667]]' in out
    # Independently: the line y = a x + b through (1, 4) and (4, 2)
    slope = (2 - 4) / (4 - 1)
    np.testing.assert_allclose([slope, 4 - slope * 1], [-0.66666667, 4.66666667], atol=1e-8)


def test_cpu_vs_gpu_times_every_available_device(capsys):
    module = load_script('01_tensors/cpu_vs_gpu.py')
    module.main(['--n', '64'])
    out = capsys.readouterr().out
    devices = [str(dev) for dev in module.available_devices()]
    assert out.splitlines()[0] == f'Devices: {", ".join(devices)} (n = 64)'
    timed = re.findall(r'^Computing time by (\S+): (\d+\.\d{3}) \[sec\]$', out, flags=re.MULTILINE)
    assert [dev for dev, _ in timed] == devices
    speed_ups = re.findall(r'^Speed-up of (\S+) over cpu: \d+\.\dx$', out, flags=re.MULTILINE)
    assert speed_ups == devices[1:]  # One line per device besides the CPU, none on a CPU-only machine


def test_cpu_vs_gpu_prints_the_speed_up_of_a_gpu(capsys, monkeypatch):
    module = load_script('01_tensors/cpu_vs_gpu.py')
    # A pretend GPU that takes a quarter of the CPU's time (the timing itself is tested above)
    monkeypatch.setattr(module, 'available_devices', lambda: [torch.device('cpu'), torch.device('cuda')])
    monkeypatch.setattr(module, 'free_memory', lambda dev: None)
    monkeypatch.setattr(module, 'compute_time', lambda dev, n: 2.0 if dev.type == 'cpu' else 0.5)
    module.main(['--n', '64'])
    assert capsys.readouterr().out.splitlines() == [
        'Devices: cpu, cuda (n = 64)',
        'Computing time by cpu: 2.000 [sec]',
        'Computing time by cuda: 0.500 [sec]',
        'Speed-up of cuda over cpu: 4.0x',
    ]


def test_cpu_vs_gpu_device_cpu_times_only_the_cpu(capsys):
    out = run_main(capsys, 'cpu_vs_gpu', '--device', 'cpu', '--n', '32').splitlines()
    assert out[0] == 'Devices: cpu (n = 32)'
    assert re.fullmatch(r'Computing time by cpu: \d+\.\d{3} \[sec\]', out[1])
    assert len(out) == 2


def test_cpu_vs_gpu_too_large_n_is_one_clear_error(monkeypatch, capsys):
    module = load_script('01_tensors/cpu_vs_gpu.py')
    monkeypatch.setattr('sys.argv', ['cpu_vs_gpu.py', '--device', 'cpu', '--n', '10000000'])
    with pytest.raises(SystemExit) as exit_info:
        module.run(module.main)
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert re.fullmatch(r'error: --n 10000000 needs about \d+\.\d GiB, but cpu has .* \(try a smaller --n\)\n', err)


@pytest.mark.parametrize('name', SCRIPTS)
def test_help_works(capsys, name):
    with pytest.raises(SystemExit, match='^0$'):
        run_main(capsys, name, '--help')
    assert capsys.readouterr().out.startswith(f'usage: {name}.py [-h] [--device DEVICE] [--seed SEED]')


@pytest.mark.parametrize('name, args', [
    ('cpu_vs_gpu', ['--n', '0']),
    ('cpu_vs_gpu', ['--n', 'many']),
    ('create_tensor', ['--device', 'gpu']),
    ('reshape_tensor', ['--seed', 'x']),
    ('line_fitting', ['--device', 'tpu']),
])
def test_bad_values_exit_2_with_one_line(capsys, name, args):
    with pytest.raises(SystemExit, match='^2$'):
        run_main(capsys, name, *args)
    assert re.fullmatch(f'{name}.py: error: argument {args[0]}: [^\n]+ \\(see --help\\)\n', capsys.readouterr().err)
