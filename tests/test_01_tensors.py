"""Tests of 01_tensors: each script run as a learner runs it (in a terminal, in process, as a notebook), its
printed values checked against the slides and, where there is one, against an independent computation."""
import ast
import json
import re
import time

import numpy as np
import pytest
import torch
from conftest import notebook_images, notebook_text, run_cli, run_main

import common
from common.cli import first_paragraph

SECTION = '01_tensors'
USAGE = {  # Each script offers only the options it uses
    'create_tensor': '[-h] [--device DEVICE] [--seed SEED]',
    'reshape_tensor': '[-h]',
    'line_fitting': '[-h]',
    'cpu_vs_gpu': '[-h] [--out-dir OUT_DIR] [--device DEVICE] [--n N]',
}
CREATE_TENSOR_OUT = [  # The slides' values, in their order (steps 1 to 4)
    '2 2', '6', 'torch.Size([2, 3]) torch.Size([2, 3])',
    'torch.int64',                      # The slide's torch.int32 is Windows' NumPy < 2 default integer
    'torch.float32', 'torch.Size([3, 2])',
    'tensor([10, 18, 86])',             # A view of x: it sees x[-1, -1] = 86
    'tensor([29, 18])', 'tensor(3)', '3',
]
TIME_LINE = re.compile(r'^Computing time by (\S+): (\d+\.\d{3}) \[sec\]$', re.MULTILINE)
SPEED_UP_LINE = re.compile(r'^Speed-up of (\S+) over cpu: (\d+\.\d)x$', re.MULTILINE)
SLIDE_DEV_NAME = 'cuda' if torch.cuda.is_available() else 'cpu'  # The slide's dev_name, cpu_vs_gpu's default


def run(name, *args):
    """Run `01_tensors/<name>.py args...` in this process; return the `Result` (it must succeed)."""
    result = run_main(f'{SECTION}/{name}.py', *args)
    assert result.code == 0 and result.err == '', result.err
    return result


def test_create_tensor_prints_the_slide_values():
    result = run('create_tensor', '--device', 'cpu')
    out = result.out.splitlines()
    assert out[0] == 'Device: cpu'
    assert out[1:11] == CREATE_TENSOR_OUT
    assert out[11].startswith('Step 5 (CUDA tensors) skipped: the device is cpu') and len(out) == 12
    x, y, z = result.vars['x'], result.vars['y'], result.vars['z']
    assert z[-1, -1] == x[-1, -1] == 86 and y[-1, -1] == 84  # z shares x's memory; y is a copy


def test_create_tensor_seed_gives_the_same_random_tensor():
    for seed_args, seed in [((), 777), (('--seed', '5'), 5)]:  # Independently: what the seed must give
        expected = torch.rand(3, 2, generator=torch.Generator().manual_seed(seed))
        assert torch.equal(run('create_tensor', '--device', 'cpu', *seed_args).vars['p'], expected)


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_create_tensor_cuda_step_shows_the_error_safely():
    out = run('create_tensor', '--device', 'cuda').out.splitlines()
    assert out[0] == 'Device: cuda' and out[1:11] == CREATE_TENSOR_OUT
    assert out[11:15] == ['cpu', 'cuda:0', 'cpu', '[ 3 29 82]']
    assert out[15].startswith("Error! can't convert cuda:0 device type tensor to numpy")


def test_create_tensor_runs_from_any_folder(tmp_path):
    result = run_cli(f'{SECTION}/create_tensor.py', '--device', 'cpu', cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:11] == CREATE_TENSOR_OUT
    assert result.stderr == ''


def test_reshape_tensor_views_share_memory_and_copies_do_not():
    result = run('reshape_tensor')
    out = result.out
    assert out.startswith('3\ntorch.Size([2, 2, 2])\n')
    assert 'torch.Size([8]) tensor([29,  3, 18, 10, 27, 10, 12,  5])' in out
    assert 'torch.Size([1, 8]) tensor([[29,  3, 18, 10, 27, 10, 12,  5]])' in out
    for shape in ['[2, 4]', '[2, 4, 1]', '[1, 2, 4]', '[2, 1, 4]']:
        assert f'torch.Size({shape}) tensor(' in out
    # is_contiguous() of t_021, c_021, t_102 and t_201, in the order of the slide
    assert re.findall(r'\]\]\]\) (True|False)', out) == ['False', 'True', 'False', 'False']
    # y[0,0,0] = 27 shows in the view p and the transposed t_021, not in the contiguous copy c_021
    tail = out.split('tensor([27,  3, 18, 10, 27, 10, 12,  5])\n')[1]
    first_rows = re.findall(r'tensor\(\[\[\[\s*(\d+),\s*(\d+)\]', tail)
    assert first_rows == [('27', '18'), ('29', '18'), ('1', '3'), ('27', '3')]  # t_021, c_021, y, z
    # Independently: the same reshapes of the slide's NumPy array, and which tensors share y's memory
    variables = result.vars
    x = np.array([[[29, 3], [18, 10]], [[27, 10], [12, 5]]])
    x[0, 0, 0] = 1
    for name, expected in [('y', x), ('p', x.reshape(-1)), ('r', x.reshape(2, -1)), ('u1', x.reshape(2, 1, 4)),
                           ('t_021', x.transpose(0, 2, 1)), ('t_201', x.transpose(2, 0, 1))]:
        np.testing.assert_array_equal(variables[name].numpy(), expected, err_msg=name)
    y = variables['y']
    assert all(variables[name].data_ptr() == y.data_ptr() for name in ['p', 'q', 'r', 's', 'ss', 'u0', 't_021'])
    assert variables['c_021'].data_ptr() != y.data_ptr() and variables['z'].data_ptr() != y.data_ptr()


def test_line_fitting_finds_the_line_through_both_points():
    out = run('line_fitting').out
    assert out == 'tensor([[-0.6667],\n        [ 4.6667]])\n[[-0.66666667]\n [ 4.66666667]]\n'
    # Independently: the printed a and b put both points (1, 4) and (4, 2) on the line y = a x + b
    a, b = map(float, re.findall(r'-?\d+\.\d+', out.split('\n', 2)[2]))
    np.testing.assert_allclose([a * 1 + b, a * 4 + b], [4, 2], atol=1e-7)


def test_cpu_vs_gpu_times_the_slide_device_by_default(tmp_path):
    result = run('cpu_vs_gpu', '--n', '64', '--out-dir', tmp_path)
    lines = result.out.splitlines()
    assert lines[0] == f'Device: {SLIDE_DEV_NAME} (n = 64)' and lines[1] == common.describe_machine()
    assert [dev for dev, _ in TIME_LINE.findall(result.out)] == [SLIDE_DEV_NAME] and len(lines) == 4
    assert result.vars['C'].device.type == SLIDE_DEV_NAME


def test_cpu_vs_gpu_device_all_times_every_available_device(tmp_path):
    out = run('cpu_vs_gpu', '--device', 'all', '--n', '64', '--out-dir', tmp_path).out
    devices = [str(dev) for dev in common.available_devices()]
    lines = out.splitlines()
    assert lines[0] == f'Device: {", ".join(devices)} (n = 64)'
    assert lines[1] == common.describe_machine()
    assert [dev for dev, _ in TIME_LINE.findall(out)] == devices
    assert [dev for dev, _ in SPEED_UP_LINE.findall(out)] == devices[1:]  # None on a CPU-only machine
    assert len(lines) == 2 + 2 * len(devices) - 1 + 1 and lines[-1] == f'Times saved: {tmp_path / "times.json"}'
    saved = json.loads((tmp_path / 'times.json').read_text(encoding='utf-8'))
    assert saved['n'] == 64 and saved['machine'] == common.describe_machine()
    assert [f'Computing time by {dev}: {seconds:.3f} [sec]' for dev, seconds in saved['seconds'].items()] == \
        [line for line in lines if line.startswith('Computing time')]


def test_cpu_vs_gpu_prints_the_speed_up_of_a_second_device(monkeypatch, tmp_path):
    # A second device that computes nothing ('meta': shapes only) and a clock read 4 times: cpu 2 s, meta 0.5 s
    monkeypatch.setattr(common, 'available_devices', lambda: [torch.device('cpu'), torch.device('meta')])
    clock = iter([10.0, 12.0, 20.0, 20.5])
    monkeypatch.setattr(time, 'time', lambda: next(clock))  # The slide's time.time(), read only by the script
    out = run('cpu_vs_gpu', '--device', 'all', '--n', '64', '--out-dir', tmp_path).out.splitlines()
    monkeypatch.undo()
    assert out[0] == 'Device: cpu, meta (n = 64)'
    assert out[2:-1] == ['Computing time by cpu: 2.000 [sec]', 'Computing time by meta: 0.500 [sec]',
                         'Speed-up of meta over cpu: 4.0x']


def test_cpu_vs_gpu_device_cpu_times_only_the_cpu(tmp_path):
    result = run('cpu_vs_gpu', '--device', 'cpu', '--n', '32', '--out-dir', tmp_path)
    out = result.out.splitlines()
    assert out[0] == 'Device: cpu (n = 32)'
    assert re.fullmatch(r'Computing time by cpu: \d+\.\d{3} \[sec\]', out[2]) and len(out) == 4
    assert result.vars['C'].shape == (32, 32)  # The slide's C = A.inverse() * B, left to inspect
    torch.testing.assert_close(result.vars['C'], result.vars['A'].inverse() * result.vars['B'])


def test_cpu_vs_gpu_too_large_n_is_one_clear_error():
    result = run_main(f'{SECTION}/cpu_vs_gpu.py', '--device', 'cpu', '--n', '10000000')
    assert result.code == 1
    assert re.fullmatch(r'error: n = 10000000 needs about \d+\.\d GiB, but cpu has \d+\.\d GiB free '
                        r'\(try a smaller n: --n, or N in a notebook\)\n', result.err)


@pytest.mark.parametrize('name', USAGE)
def test_help_shows_the_options_and_the_first_sentence(name):
    result = run_main(f'{SECTION}/{name}.py', '--help')
    assert result.code == 0
    assert result.out.startswith(f'usage: {name}.py {USAGE[name]}\n')
    source = (common.REPO_ROOT / SECTION / f'{name}.py').read_text(encoding='utf-8')
    sentence = first_paragraph(ast.get_docstring(ast.parse(source)))
    assert re.fullmatch(r'[A-Z][^.]*(\.[^ .][^.]*)*\.', sentence), sentence  # One sentence, ending with its period
    assert sentence in ' '.join(result.out.split())


@pytest.mark.parametrize('name, args', [
    ('cpu_vs_gpu', ['--n', '0']),
    ('cpu_vs_gpu', ['--n', 'many']),
    ('cpu_vs_gpu', ['--device', 'tpu']),
    ('cpu_vs_gpu', ['--device', 'every']),   # all, or one device
    ('create_tensor', ['--device', 'gpu']),
    ('create_tensor', ['--seed', 'x']),
    ('reshape_tensor', ['--seed', '1']),      # No randomness: no --seed
    ('line_fitting', ['--device', 'cpu']),    # Nothing computed on a device: no --device
])
def test_bad_options_exit_2_with_one_line(name, args):
    result = run_main(f'{SECTION}/{name}.py', *args)
    assert result.code == 2 and result.out == ''
    assert re.fullmatch(f'{name}.py: error: [^\n]+ \\(see --help\\)\n', result.err)


# The notebook tier: each script as a learner opens it in Jupyter (defaults, cells one after the other) --------
def test_create_tensor_as_a_notebook(notebooks):
    nb = notebooks.run(f'{SECTION}/create_tensor.py', args=['--device', 'cpu'], extra_cells=['print(p.tolist())'])
    out = notebook_text(nb).splitlines()
    assert out[0] == 'Device: cpu' and out[1:11] == CREATE_TENSOR_OUT
    expected = torch.rand(3, 2, generator=torch.Generator().manual_seed(777))  # RANDOM_SEED, --seed's default
    assert out[-1] == str(expected.tolist())
    assert notebook_text(nb, 'stderr') == '' and notebook_images(nb) == 0


# test_create_tensor_as_a_notebook runs a script as a notebook;
@pytest.mark.full  # the in-process tests check what it prints
def test_reshape_tensor_as_a_notebook(notebooks):
    nb = notebooks.run(f'{SECTION}/reshape_tensor.py', extra_cells=['print(p.data_ptr() == y.data_ptr())'])
    assert notebook_text(nb) == run('reshape_tensor').out + 'True\n'  # The view p still shares y's memory
    assert notebook_text(nb, 'stderr') == '' and notebook_images(nb) == 0


# test_create_tensor_as_a_notebook runs a script as a notebook;
@pytest.mark.full  # the in-process tests check what it prints
def test_line_fitting_as_a_notebook(notebooks):
    nb = notebooks.run(f'{SECTION}/line_fitting.py', extra_cells=['print(np.allclose(A_inv @ A, np.eye(2)))'])
    assert notebook_text(nb) == run('line_fitting').out + 'True\n'  # The NumPy inverse, left to inspect
    assert notebook_text(nb, 'stderr') == '' and notebook_images(nb) == 0


# test_cnn_mnist_notebook runs a notebook with an edited constant;
@pytest.mark.full  # the in-process tests check the timing lines
def test_cpu_vs_gpu_as_a_notebook_uses_the_slide_settings(notebooks, tmp_path):
    # The slide's "Try 'cpu'" and a smaller n, edited as a learner would: they are --device's and --n's defaults
    nb = notebooks.run(f'{SECTION}/cpu_vs_gpu.py', args=['--out-dir', tmp_path], edits={
        "dev_name = 'cuda' if torch.cuda.is_available() else 'cpu'": "dev_name = 'cpu'", 'n = 5000': 'n = 48'},
        extra_cells=['print(C.shape, C.device)'])
    out = notebook_text(nb)
    assert out.startswith('Device: cpu (n = 48)\n')
    assert [dev for dev, _ in TIME_LINE.findall(out)] == ['cpu']
    assert out.endswith('torch.Size([48, 48]) cpu\n') and notebook_images(nb) == 0
