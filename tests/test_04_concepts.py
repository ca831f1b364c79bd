"""Tests of the concept scripts of 04_cnn_mnist (04_cnn_mnist/concepts/): each by-hand formula against an
independent computation (SciPy, NumPy, PyTorch's module, finite differences, an exact expectation), and each
script once as a notebook with tiny options; with DL_DATA_DIR, the training scripts learn on the real MNIST."""
import itertools
import re

import numpy as np
import pytest
import scipy.signal
import torch
import torch.nn as nn
import torch.nn.functional as F
from conftest import load_script, notebook_images, notebook_text, run_main

SECTION = '04_cnn_mnist/concepts'
CONVOLUTION = f'{SECTION}/convolution.py'
POOLING = f'{SECTION}/pooling.py'
DROPOUT = f'{SECTION}/dropout.py'
SKIP = f'{SECTION}/skip_connection.py'
TRY = f'{SECTION}/mnist_try.py'


@pytest.fixture(scope='module')
def convolution():
    return load_script(CONVOLUTION)


@pytest.fixture(scope='module')
def pooling():
    return load_script(POOLING)


# Convolution -----------------------------------------------------------------------------------------
def test_the_slides_sum_is_scipys_convolution_and_pytorchs_is_its_correlation(convolution):
    rng = np.random.default_rng(0)
    for f, g in [([1, 2, 3, 4, 5, 6, 7], [2, 2, 2]), ([1, 2, 3, 4, 5, 6, 7], [1, 2, 3]),
                 (rng.integers(-5, 6, 11).tolist(), rng.integers(-5, 6, 4).tolist())]:
        assert convolution.convolve(f, g) == scipy.signal.convolve(f, g, mode='valid').tolist()
        by_hand, sums = convolution.cross_correlate(f, g)
        assert by_hand == scipy.signal.correlate(f, g, mode='valid').tolist()
        assert len(sums) == len(by_hand) and sums[0].count('x') == len(g)
    assert convolution.convolve([1, 2, 3, 4, 5, 6, 7], [1, 2, 3]) != scipy.signal.correlate(
        [1, 2, 3, 4, 5, 6, 7], [1, 2, 3], mode='valid').tolist()  # An asymmetric kernel: the flip shows


@pytest.mark.parametrize('padding, stride, dilation', itertools.product([0, 1, 2], [1, 2, 3], [1, 2]))
def test_padding_stride_and_dilation_by_hand_match_scipy(convolution, padding, stride, dilation):
    f, g = list(range(1, 10)), [1, -2, 3]
    dilated = np.zeros(dilation * (len(g) - 1) + 1, dtype=int)
    dilated[::dilation] = g  # Zeros between the kernel's elements
    expected = scipy.signal.correlate(np.pad(f, padding), dilated, mode='valid')[::stride]
    by_hand, _ = convolution.cross_correlate(f, g, padding=padding, stride=stride, dilation=dilation)
    assert by_hand == expected.tolist()


def test_2d_by_hand_matches_scipy_and_sobel_flips_to_its_negative(convolution):
    image = np.random.default_rng(1).random((9, 8))
    for kernel in (convolution.SOBEL_HORIZONTAL, convolution.SOBEL_VERTICAL, [[1, 2], [0, -1]]):
        by_hand = np.array(convolution.cross_correlate_2d(image.tolist(), kernel))
        assert np.allclose(by_hand, scipy.signal.correlate2d(image, kernel, mode='valid'), atol=1e-12)
    sobel = np.array(convolution.SOBEL_HORIZONTAL)
    assert np.array_equal(sobel[::-1, ::-1], -sobel) and np.array_equal(sobel.T, convolution.SOBEL_VERTICAL)
    assert np.allclose(scipy.signal.convolve2d(image, sobel, mode='valid'),
                       -scipy.signal.correlate2d(image, sobel, mode='valid'))


# test_dropout_notebook runs a concepts script as a notebook;
@pytest.mark.full  # test_the_slides_sum_is_scipys_convolution_and_pytorchs_is_its_correlation checks the work
def test_convolution_notebook(notebooks, tmp_path):
    nb = notebooks.run('04_cnn_mnist/concepts/convolution.py', args=['--out-dir', tmp_path])
    text = notebook_text(nb)
    assert 'by hand [12, 18, 24, 30, 36]  F.conv1d [12.0, 18.0, 24.0, 30.0, 36.0]  largest difference 0.0' in text
    assert '[10, 16, 22, 28, 34]  F.conv1d [14.0, 20.0, 26.0, 32.0, 38.0]' in text  # Not flipped: not the same
    assert '  1x2 + 2x2 + 3x2 = 12\n' in text and '  0x2 + 1x2 + 2x2 = 6\n' in text  # The slide's sums
    assert '  1x2 + 3x2 + 5x2 = 18\n' in text  # dilation 2
    for size in (5, 7, 2, 3):  # The slide's four settings, as conv_output_size.py prints them
        assert f'output_size {size} (formula), {size} (F.conv1d)' in text
    assert text.count('largest difference 0.0') == 9 and text.count('largest difference 0.0e+00') == 2
    # The weight counts, from the modules: FC 6 -> 4 and 6 -> 8, Conv1d 1 -> 2 and 4 -> 5, Conv2d 4 -> 5
    assert f'FC layer   {6 * 4}\n' in text and f'conv layer {3}\n' in text and f'nn.Conv1d: {3 * 1 * 2}' in text
    assert f'nn.Linear: {6 * 8}' in text and f'nn.Conv2d: {3 * 3 * 4 * 5}' in text
    assert f'nn.Conv1d: {3 * 4 * 5}' in text and '4 598 outputs, 3 weights' in text
    assert notebook_images(nb) == 2
    assert {path.name for path in tmp_path.iterdir()} == {'convolution_1d.png', 'convolution_sobel.png'}


# Pooling -------------------------------------------------------------------------------------------
def test_max_pool_by_hand_matches_numpys_windows(pooling):
    x = np.random.default_rng(2).integers(0, 100, (6, 8))
    for kernel_size, stride in [(2, None), (2, 1), (3, 2), (3, None)]:
        windows = np.lib.stride_tricks.sliding_window_view(x, (kernel_size, kernel_size))
        expected = windows[::stride or kernel_size, ::stride or kernel_size].max(axis=(2, 3))
        assert pooling.max_pool(x.tolist(), kernel_size, stride) == expected.tolist()
    assert nn.MaxPool2d(2).stride == 2


def test_receptive_fields_match_which_pixels_change_the_unit(pooling):
    """An independent check: change one input pixel at a time (no gradients) and see which change the center unit."""
    torch.manual_seed(0)
    model = pooling.MyCNN().eval()
    layers = pooling.layers_of(model)
    fields, masks = pooling.receptive_fields(layers), pooling.gradient_fields(layers, n_inputs=4)
    base = torch.rand(1, 1, 28, 28)
    inputs = base.repeat(2 * 784 + 1, 1, 1, 1)  # Input k: pixel k raised, input 784 + k: lowered, the last: `base`
    inputs.view(len(inputs), -1)[torch.arange(2 * 784), torch.arange(2 * 784) % 784] += torch.tensor(50.).repeat(
        2 * 784) * torch.cat([torch.ones(784), -torch.ones(784)])
    y = inputs
    for name, _, function in layers[:4]:  # The convolutional part, one layer after another
        with torch.no_grad():
            y = function(y)
        center = y[:, :, (y.shape[2] - 1) // 2, (y.shape[3] - 1) // 2]
        changed = (center[:-1] != center[-1]).any(dim=1).view(2, 28, 28).any(dim=0)
        rows, cols = torch.nonzero(changed, as_tuple=True)
        size = (rows.max() - rows.min() + 1).item()
        assert size == (cols.max() - cols.min() + 1).item() == fields[name] and changed.sum() == size ** 2, name
        assert torch.equal(masks[name], changed), name  # The same pixels as the gradient found
    assert fields['fc3'] == 28 and masks['fc3'].all()
    plain = pooling.layers_without_pooling(model)  # The same two convolutions, no pool1 between them
    plain_fields, plain_masks = pooling.receptive_fields(plain), pooling.gradient_fields(plain, n_inputs=4)
    assert plain_fields == {'conv1': 3, 'conv2': 5} and fields['conv2'] == 8  # Pooling widens conv2's field
    assert plain_masks['conv2'].sum() == 25 and pooling.bounding_box(plain_masks['conv2'])[2:] == (5, 5)


# test_dropout_notebook runs a concepts script as a notebook;
@pytest.mark.full  # test_max_pool_by_hand_matches_numpys_windows checks the work
def test_pooling_notebook(notebooks, tmp_path):
    nb = notebooks.run('04_cnn_mnist/concepts/pooling.py', args=['--out-dir', tmp_path])
    text = notebook_text(nb)
    x = torch.tensor([[1., 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]])
    expected = nn.MaxPool2d(2)(x[None, None])[0, 0].int().tolist()  # [[6, 8], [3, 4]]
    assert f'by hand {expected}  F.max_pool2d' in text and text.count('largest difference 0.0') == 2
    assert 'nn.MaxPool2d(2).stride: 2' in text
    for name, size in [('conv1', 3), ('pool1', 4), ('conv2', 8), ('pool2', 10), ('fc3', 28)]:
        assert f'{name}: by the rule {size} x {size}  by the gradient {size} x {size} ({size * size} pixels' in text
    assert '  conv2: by the rule 5 x 5  by the gradient 5 x 5 (25 pixels' in text  # Without pooling
    assert "conv2's receptive field: without pooling 5 x 5, with pool1 8 x 8" in text
    assert notebook_images(nb) == 1 and (tmp_path / 'pooling_layers.png').is_file()


def test_pooling_with_a_model_that_is_not_there_ends_in_one_line(tmp_path):
    result = run_main(POOLING, '--model', tmp_path / 'missing.pt', '--out-dir', tmp_path)
    assert result.code == 1 and result.err.count('\n') == 1 and 'does not exist' in result.err


# Dropout -------------------------------------------------------------------------------------------
def test_dropout_by_hand_is_nn_dropout_with_its_mask_and_dropconnect_averages_to_linear():
    dropout = load_script(DROPOUT)
    x = torch.rand(1000, dtype=torch.float64) + 0.5
    torch.manual_seed(3)
    y = nn.Dropout(0.3).train()(x)
    assert torch.allclose(dropout.dropout(x, (y != 0).double(), 0.3), y, rtol=0, atol=1e-15)
    assert 0.25 < (y == 0).double().mean() < 0.35
    torch.manual_seed(8)
    y = nn.Dropout(0.3).train()(x)
    assert torch.equal(dropout.mask_by_hand(x.shape, 0.3, seed=8), (y != 0).double())  # nn.Dropout's CPU draw
    mean, std = torch.tensor([-1., 0., 2.], dtype=torch.float64), torch.tensor([0.5, 1., 2.], dtype=torch.float64)
    samples = (mean + std * torch.randn(400_000, 3, dtype=torch.float64)).clamp(min=0).mean(0)
    assert torch.allclose(dropout.relu_of_gaussian(mean, std), samples, atol=0.01)  # E[ReLU(u)], u ~ N(mean, std^2)
    # DropConnect's exact expectation: every mask of a 2 x 3 weight, weighted by its probability, gives nn.Linear
    p, linear = 0.4, nn.Linear(3, 2).double()
    weight, bias, x = linear.weight.detach(), linear.bias.detach(), torch.randn(3, dtype=torch.float64)
    expectation = torch.zeros(2, dtype=torch.float64)
    for bits in itertools.product([0., 1.], repeat=6):
        mask = torch.tensor(bits, dtype=torch.float64).view(2, 3)
        probability = p ** (6 - mask.sum()) * (1 - p) ** mask.sum()
        expectation += probability * dropout.drop_connect(x, weight, bias, mask, p)
    assert torch.allclose(expectation, linear(x).detach(), atol=1e-12)
    column_mask = torch.tensor([1., 0., 1.], dtype=torch.float64)  # Input 2 dropped: a whole column
    assert torch.allclose(dropout.drop_connect(x, weight, bias, column_mask.expand(2, 3), p),
                          F.linear(x * column_mask / (1 - p), weight, bias), atol=1e-14)


def test_dropout_notebook(notebooks, tmp_path):
    nb = notebooks.run('04_cnn_mnist/concepts/dropout.py', args=['--out-dir', tmp_path, '--p', '0.2'])
    text = notebook_text(nb)
    dropped = float(text.split('Dropped by nn.Dropout: ')[1].split()[0])
    assert abs(dropped - 0.2) < 0.01 and 'Kept units scaled by 1.250000 = 1 / (1 - p) = 1.250000' in text
    assert "Masks: by hand (u < 1 - p) against nn.Dropout's zeros: 0 of 100000 units differ" in text  # Drawn by hand
    found = [float(value) for value in re.findall(r'largest difference (\d[\d.e+-]*)', text)]
    # by hand = nn.Dropout; eval: x; DropConnect's mean; after a ReLU: the scaling rule, the Gaussian; columns dropped
    assert len(found) == 6 and max(found[0], found[1], found[5]) <= 1e-15 and found[2] < 0.02
    assert found[4] < found[3]  # DropConnect's Gaussian inference is nearer the true mean than the scaling rule
    assert 'eval: x [0.2, 0.5, 1.0, 2.0]  nn.Dropout [0.2, 0.5, 1.0, 2.0]' in text
    without = eval(text.split('mean without the 1 / (1 - p)')[1].splitlines()[0])  # About (1 - p) x
    assert np.allclose(without, 0.8 * np.array([0.2, 0.5, 1.0, 2.0]), rtol=0.05)
    assert notebook_images(nb) == 1 and (tmp_path / 'dropout.png').is_file()


# Skip connection -----------------------------------------------------------------------------------
def test_skip_jacobian_by_hand_matches_finite_differences_and_the_plain_gradient_vanishes():
    skip = load_script(SKIP)
    torch.manual_seed(4)
    block = skip.Block(5, skip=True).double()
    x = torch.randn(5, dtype=torch.float64)
    step, columns = 1e-6, []
    with torch.no_grad():
        for i in range(5):
            e = torch.zeros(5, dtype=torch.float64)
            e[i] = step
            columns.append((x + e + block.branch(x + e) - (x - e) - block.branch(x - e)) / (2 * step))
        assert torch.allclose(skip.block_jacobian_by_hand(block, x), torch.stack(columns, dim=1), atol=1e-7)
    images, labels = torch.rand(16, 28, 28), torch.arange(16) % 10
    plain = skip.first_layer_gradient_norm(skip.DeepNet(50, skip=False), images, labels)
    residual = skip.first_layer_gradient_norm(skip.DeepNet(50, skip=True), images, labels)
    assert plain < 1e-10 < 1e-2 < residual
    assert len(skip.DeepNet(20, skip=True).blocks) == 9 and skip.smooth([1, 3, 5], 2).tolist() == [1, 2, 4]
    # The block is the pre-activation one: no ReLU after the addition, so x + F(x) passes a negative x unchanged
    block = skip.Block(5, skip=True)
    with torch.no_grad():
        block.linear2.weight.zero_(), block.linear2.bias.zero_()
        assert torch.equal(block(-torch.ones(5)), -torch.ones(5))


def test_he_initialized_plain_net_keeps_its_gradient_and_trains():
    """With He init the 50-layer plain net's gradient does not vanish (PyTorch's default: < 1e-10), and a 20-layer
    plain net learns the fake digits; the skip nets' branches start scaled by 1/sqrt(blocks)."""
    from conftest import fake_digits
    skip = load_script(SKIP)
    images, labels = fake_digits(512, seed=3)
    images, labels = torch.tensor(images) / 255., torch.tensor(labels, dtype=torch.long)
    torch.manual_seed(0)
    plain = skip.make_net(50, skip=False, init='he')
    weights = torch.cat([module.weight.flatten() for module in plain.modules() if isinstance(module, nn.Linear)][1:])
    assert abs(weights.std().item() - (2 / skip.WIDTH) ** 0.5) < 0.01  # std sqrt(2 / fan_in), fan_in = 64
    assert all((module.bias == 0).all() for module in plain.modules() if isinstance(module, nn.Linear))
    assert skip.first_layer_gradient_norm(plain, images[:64], labels[:64]) > 1e-2
    torch.manual_seed(0)
    residual = skip.make_net(20, skip=True, init='he')
    unscaled = skip.he_init(skip.DeepNet(20, skip=True), scale_branches=False)
    ratio = residual.blocks[0].linear2.weight.std() / unscaled.blocks[0].linear2.weight.std()
    assert abs(ratio.item() - 1 / 9 ** 0.5) < 0.05  # 9 blocks
    final = {}
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # As the script runs (the sums' order, so the numbers, depend on the threads)
    try:
        for init in ('he', 'default'):
            generator = torch.Generator().manual_seed(0)
            torch.manual_seed(0)
            losses = skip.train_steps(skip.make_net(20, skip=False, init=init), images, labels, 150, 32, 0.01,
                                      generator)
            final[init] = np.mean(losses[-20:])
    finally:
        torch.set_num_threads(threads)
    assert final['he'] < 2.0 < 2.25 < final['default']  # He init learns; the default stays at a guess (ln 10 = 2.30)


def test_skip_verdicts_are_built_from_the_numbers():
    skip = load_script(SKIP)
    def run(depth, is_skip, init, final, gradient):
        return skip.run_name(depth, is_skip, init), {'depth': depth, 'skip': is_skip, 'init': init,
                                                     'final_loss': final, 'gradient': gradient}
    results = dict([run(6, False, 'default', 1.2, 1e-2), run(50, False, 'default', 2.30, 1e-19),
                    run(6, True, 'default', 0.28, 0.5), run(50, True, 'default', 0.2, 0.8),
                    run(6, False, 'he', 0.22, 1.2), run(50, False, 'he', 1.52, 0.17),
                    run(6, True, 'he', 0.21, 2.2), run(50, True, 'he', 0.22, 2.0)])
    default = skip.verdicts(results, [6, 50], 'default')
    assert 'stay at a guess (50: 2.30, first-layer gradient 1e-19 (vanished))' in default[0]
    assert 'the plain nets of 50 layers do not learn because their gradient vanished' in default[2]
    assert default[2].endswith('the skip nets learn at every depth')
    he = skip.verdicts(results, [6, 50], 'he')
    assert he[0] == 'He init, plain nets, final training loss by depth: learn (6: 0.22, 50: 1.52)'
    assert 'plain +1.30, skip +0.01: the deeper plain net ends worse (the degradation problem); the skip ' \
           'connection closes the gap' in he[2]
    results.update([run(50, False, 'he', 0.24, 0.17)])
    assert skip.verdicts(results, [6, 50], 'he')[2].endswith('the deeper plain net is not worse here')


# test_dropout_notebook runs a concepts script as a notebook;
@pytest.mark.full  # test_skip_connection_one_init checks the work
def test_skip_connection_notebook(notebooks, fake_mnist, tmp_path):
    nb = notebooks.run('04_cnn_mnist/concepts/skip_connection.py',
                       args=['--out-dir', tmp_path, '--depths', '4', '20', '--steps', '3', '--batch-size', '8'],
                       data_dir=fake_mnist)
    text = notebook_text(nb)
    assert 'by hand I + dF/dx, autograd: largest difference 0.0e+00' in text
    assert "PyTorch's default init:" in text and 'He init:' in text
    for name in ('4 layers, plain', '4 layers, skip', '20 layers, plain', '20 layers, skip'):
        assert text.count(f'{name}: first layer gradient norm ') == 2  # One per initialization
    assert re.search(r'training loss \d\.\d{3} \(first step\) -> \d\.\d{3} \(last 20 steps\)  test accuracy ', text)
    assert "PyTorch's default init, plain nets, final training loss by depth: " in text
    assert 'He init, skip nets, final training loss by depth: ' in text
    assert re.search(r'He init without scaling the branches, 20 layers, skip: the loss before training \d+', text)
    assert notebook_images(nb) == 1 and (tmp_path / 'skip_connection.png').is_file()


def test_skip_connection_one_init(tmp_path, fake_mnist):
    result = run_main(SKIP, '--depths', '4', '--steps', '2', '--batch-size', '8', '--inits', 'he',
                      '--data-dir', fake_mnist, '--out-dir', tmp_path)
    assert result.code == 0, result.err
    assert list(result.vars['results']) == ['4 layers, plain, he', '4 layers, skip, he']
    assert "PyTorch's default init" not in result.out and (tmp_path / 'skip_connection.png').is_file()


def test_skip_connection_odd_depth_is_refused(tmp_path):
    result = run_main(SKIP, '--depths', '5', '--out-dir', tmp_path)
    assert result.code == 2 and 'not an even number' in result.err


# The MNIST slide's "Try" lines -----------------------------------------------------------------------
def test_batch_norm_by_hand_matches_nn_batchnorm2d_in_training_and_evaluation():
    mnist_try = load_script(TRY)
    torch.manual_seed(5)
    layer = nn.BatchNorm2d(4, momentum=0.2).double()
    nn.init.uniform_(layer.weight, 0.5, 2)
    nn.init.uniform_(layer.bias, -1, 1)
    gamma, beta = layer.weight.detach(), layer.bias.detach()
    mean, var = torch.zeros(4, dtype=torch.float64), torch.ones(4, dtype=torch.float64)
    for _ in range(2):
        x = 1 + 2 * torch.randn(3, 4, 2, 5, dtype=torch.float64)
        y, mean, var = mnist_try.batch_norm(x, gamma, beta, mean, var, training=True, momentum=0.2)
        assert torch.allclose(y, layer.train()(x).detach(), atol=1e-12)
        assert torch.allclose(mean, layer.running_mean) and torch.allclose(var, layer.running_var)
    y, _, _ = mnist_try.batch_norm(x, gamma, beta, mean, var, training=False)
    assert torch.allclose(y, layer.eval()(x).detach(), atol=1e-12)


def test_mycnn_variants_keep_mycnn_and_change_only_what_they_say():
    mnist_try = load_script(TRY)
    mycnn = mnist_try.MyCNN()
    count = mnist_try.count_parameters
    assert count(mnist_try.MyCNNVariant()) == count(mycnn)
    assert count(mnist_try.MyCNNVariant(batch_norm=True)) == count(mycnn) + 2 * (32 + 64)  # gamma and beta
    assert count(mnist_try.MyCNNVariant(extra_conv=True)) == count(mycnn) + 64 * 64 * 9 + 64
    assert count(mnist_try.MyCNNVariant(channels=(16, 32))) == (16 * 9 + 16) + (32 * 16 * 9 + 32) + \
        (32 * 7 * 7 * 512 + 512) + (512 * 10 + 10)
    for _, options in mnist_try.VARIANTS.values():
        model = mnist_try.MyCNNVariant(**options).eval()
        assert torch.allclose(model(torch.rand(2, 1, 28, 28)).exp().sum(1), torch.ones(2))


# test_dropout_notebook runs a concepts script as a notebook;
@pytest.mark.full  # test_mnist_try_work_and_claims checks the work
def test_mnist_try_notebook(notebooks, fake_mnist, tmp_path):
    nb = notebooks.run('04_cnn_mnist/concepts/mnist_try.py', data_dir=fake_mnist,
                       args=['--out-dir', tmp_path, '--device', 'cpu', '--train-size', '64', '--test-size', '40',
                             '--seeds', '2', '--variants', 'mycnn', 'skip', 'batch-norm'])
    text = notebook_text(nb)
    assert text.count('largest difference ') == 4 and 'Training images: 64 of 400, test images: 40 of 200' in text
    differences = [float(part.split()[0].rstrip(',')) for part in text.split('largest difference ')[1:]]
    assert max(differences) <= 1e-6
    assert 'Budget of every variant: 64 images, 1 epoch(s) (2 steps of 32), SGD lr 0.05 momentum 0.9, seeds 777, 778' \
        in text
    # Each variant's spread over the seeds: every seed's accuracy, and the table's mean (lowest-highest)
    rows = {name: (mean, spread) for name, mean, spread in
            re.findall(r'^\| (MyCNN|one more conv \+ skip|batch norm) \| (\S+) % \((\S+)\) \|', text, re.M)}
    assert len(rows) == 3 and len(re.findall(r'test accuracy \S+ \S+ \(seeds 777 778\), mean ', text)) == 3
    for mean, spread in rows.values():
        low, high = map(float, spread.split('-'))
        assert low <= float(mean) <= high
    assert text.count('| within the spread |') + text.count('| better (beyond the spread) |') + \
        text.count('| worse (beyond the spread) |') == 2  # A verdict for each variant against MyCNN
    assert "MyCNN's 1,630,090 parameters: 1,606,144 of them (98.5%) in fc3" in text
    assert '| 1,630,090 | 32.2 |' in text  # MyCNN's parameters and its training MFLOP per image
    assert notebook_images(nb) == 1 and (tmp_path / 'mnist_try.png').is_file()


def test_mnist_try_work_and_claims():
    mnist_try = load_script(TRY)
    # MyCNN's multiply-adds per image: conv1, conv2, fc3, fc4; a training step is the forward pass three times (the
    # forward, the gradients of the weights and of the inputs) less the gradient of the image itself (conv1's input)
    conv1, conv2, fc3, fc4 = 32 * 28 * 28 * 9, 64 * 14 * 14 * 32 * 9, 64 * 7 * 7 * 512, 512 * 10
    assert mnist_try.training_flops(mnist_try.MyCNN()) == 2 * (3 * (conv1 + conv2 + fc3 + fc4) - conv1)
    skip, more = mnist_try.VARIANTS['skip'][1], mnist_try.VARIANTS['more-layers'][1]
    assert mnist_try.training_flops(mnist_try.MyCNNVariant(**skip)) == \
        mnist_try.training_flops(mnist_try.MyCNNVariant(**more))  # The same work: a skip connection adds no product
    against = mnist_try.against
    assert against([0.7, 0.8], [0.5, 0.69]) == 'better (beyond the spread)'
    assert against([0.4, 0.5], [0.51, 0.6]) == 'worse (beyond the spread)'
    assert against([0.5, 0.8], [0.6, 0.7]) == 'within the spread' == against([0.6, 0.7], [0.65, 0.9])
    assert against([0.9], [0.1]) == 'one seed: no spread, no claim'


# The real MNIST (with DL_DATA_DIR) -----------------------------------------------------------------
@pytest.mark.realdata
def test_real_mnist_skip_connections_train_where_plain_nets_do_not(real_data_dir, tmp_path):
    result = run_main(SKIP, '--depths', '20', '--steps', '150', '--data-dir', real_data_dir, '--out-dir', tmp_path)
    assert result.code == 0, result.err
    results = result.vars['results']
    plain, residual = results['20 layers, plain, default'], results['20 layers, skip, default']
    assert np.mean(plain['losses'][-20:]) > 2.2 and np.mean(residual['losses'][-20:]) < 0.8
    assert residual['accuracy'] > 0.8 > 0.2 > plain['accuracy']
    # He init: the plain net trains (worse than the skip net), the skip net as well as from the default init
    plain_he, residual_he = results['20 layers, plain, he'], results['20 layers, skip, he']
    assert np.mean(plain_he['losses'][-20:]) < 2.0 and plain_he['accuracy'] > 0.5
    assert np.mean(residual_he['losses'][-20:]) < 0.8 and residual_he['accuracy'] > 0.8


@pytest.mark.realdata
def test_real_mnist_he_init_deeper_plain_net_is_worse_and_skip_closes_the_gap(real_data_dir, tmp_path):
    """The degradation result at the script's defaults, He init only: the 50-layer plain net ends clearly above the
    6-layer one, the skip nets end close together."""
    result = run_main(SKIP, '--depths', '6', '50', '--inits', 'he', '--data-dir', real_data_dir, '--out-dir', tmp_path)
    assert result.code == 0, result.err
    final = {name: value['final_loss'] for name, value in result.vars['results'].items()}
    assert final['50 layers, plain, he'] - final['6 layers, plain, he'] > 0.5
    assert abs(final['50 layers, skip, he'] - final['6 layers, skip, he']) < 0.1
    assert 'the deeper plain net ends worse (the degradation problem); the skip connection closes the gap' in result.out


@pytest.mark.realdata
def test_real_mnist_try_claims_hold_at_the_stated_budget(real_data_dir, tmp_path):
    """The default budget and seeds: batch norm better than MyCNN, one more conv layer worse, and the skip connection
    better than one more conv layer without it, each beyond the spread of the 3 seeds (the docstring's claims)."""
    result = run_main(TRY, '--variants', 'mycnn', 'more-layers', 'skip', 'batch-norm', '--device', 'cpu',
                      '--data-dir', real_data_dir, '--out-dir', tmp_path)
    assert result.code == 0, result.err
    results = result.vars['results']
    assert all(len(value['accuracies']) == 3 and value['accuracy'] > 0.25 for value in results.values())
    assert results['batch norm']['verdict'] == 'against MyCNN: better (beyond the spread)'
    assert results['one more conv layer']['verdict'] == 'against MyCNN: worse (beyond the spread)'
    assert results['one more conv + skip']['also'] == 'against one more conv layer: better (beyond the spread)'
