"""The exercises of 04_cnn_mnist: each check catches the wrong answers a learner writes (real code, through
`assert_catches`), each slide's bug fails as printed and passes mended, and the challenge "Beat the lesson" trains,
saves and is measured as a learner and a grader do it (tiny fake MNIST here; the real test split with real data).

The generic tests (tests/test_exercises.py) run every exercise as a learner first meets it, as a notebook, and its
solution at three seeds; the challenge, which needs a trained checkpoint, is tested here.
"""
import json
import math
import shutil

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from conftest import FAKE_MNIST_SIZES, REPO_ROOT, notebook_text, run_main
from test_exercises import assert_catches, results_of

import common
from common.exercises import find_exercise, load_exercise, load_file

SECTION = '04_cnn_mnist/exercises'


# conv_output_size (slide "Convolution", the size of output vectors) ------------------------------------------------
def test_output_size_catches_an_off_by_one_and_a_kernel_span_without_dilation():
    def no_plus_one(input_size, kernel_size, padding=0, stride=1, dilation=1):  # The last output forgotten
        return (input_size + 2 * padding - (dilation * (kernel_size - 1) + 1)) // stride

    def span_without_dilation(input_size, kernel_size, padding=0, stride=1, dilation=1):  # The usual formula, no d
        return (input_size + 2 * padding - kernel_size) // stride + 1

    def padding_once(input_size, kernel_size, padding=0, stride=1, dilation=1):  # Zeros at one end only
        return (input_size + padding - (dilation * (kernel_size - 1) + 1)) // stride + 1

    def rounded_up(input_size, kernel_size, padding=0, stride=1, dilation=1):  # ceil instead of floor
        return math.ceil((input_size + 2 * padding - (dilation * (kernel_size - 1) + 1)) / stride) + 1

    def not_rounded(input_size, kernel_size, padding=0, stride=1, dilation=1):  # / without the floor: a float
        return (input_size + 2 * padding - (dilation * (kernel_size - 1) + 1)) / stride + 1

    for wrong in (no_plus_one, span_without_dilation, padding_once, rounded_up, not_rounded):
        assert_catches('conv_output_size', output_size=wrong)


def test_output_size_says_what_differs_on_the_slides_numbers():
    """The off-by-one fails the slide's first example with both numbers: PyTorch's 5 and the answer's 4."""
    def no_plus_one(input_size, kernel_size, padding=0, stride=1, dilation=1):
        return (input_size + 2 * padding - (dilation * (kernel_size - 1) + 1)) // stride

    first = results_of(find_exercise('conv_output_size'), {'output_size': no_plus_one}, 0)[0]
    assert first.status == 'fail' and first.line == "the slide's input_size=7, kernel_size=3"
    assert first.detail.endswith('expected 5, yours 4')


# convolve (slide "Convolution") ------------------------------------------------------------------------------------
def test_convolve_catches_a_flipped_kernel_padding_at_one_end_and_a_missing_last_output():
    def flipped(f, g, padding=0, stride=1, dilation=1):  # The slide's sum f(i) g(k - i): the kernel flipped
        f = torch.cat([f.new_zeros(padding), f, f.new_zeros(padding)])
        span = dilation * (len(g) - 1) + 1
        return torch.stack([(f[k:k + span:dilation] * g.flip(0)).sum() for k in range(0, len(f) - span + 1, stride)])

    def padded_at_one_end(f, g, padding=0, stride=1, dilation=1):
        f = torch.cat([f.new_zeros(padding), f])
        span = dilation * (len(g) - 1) + 1
        return torch.stack([(f[k:k + span:dilation] * g).sum() for k in range(0, len(f) - span + 1, stride)])

    def last_output_missing(f, g, padding=0, stride=1, dilation=1):  # range() one short: an off-by-one
        f = torch.cat([f.new_zeros(padding), f, f.new_zeros(padding)])
        span = dilation * (len(g) - 1) + 1
        return torch.stack([(f[k:k + span:dilation] * g).sum() for k in range(0, len(f) - span, stride)])

    for wrong in (flipped, padded_at_one_end, last_output_missing):
        assert_catches('convolve', convolve=wrong)


# max_pool (slide "Pooling Layer") ----------------------------------------------------------------------------------
def test_max_pool_catches_a_default_stride_of_one_partial_windows_and_a_max_that_starts_at_zero():
    def stride_one(x, kernel_size, stride=None):  # Not PyTorch's default (kernel_size)
        stride = stride or 1
        rows, cols = (x.shape[0] - kernel_size) // stride + 1, (x.shape[1] - kernel_size) // stride + 1
        return torch.stack([torch.stack([x[r * stride:r * stride + kernel_size, c * stride:c * stride + kernel_size]
                                         .max() for c in range(cols)]) for r in range(rows)])

    def partial_windows(x, kernel_size, stride=None):  # Windows cut short at the edges kept (ceil_mode)
        stride = stride or kernel_size
        return torch.stack([torch.stack([x[r:r + kernel_size, c:c + kernel_size].max()
                                         for c in range(0, x.shape[1], stride)]) for r in range(0, x.shape[0], stride)])

    def max_from_zero(x, kernel_size, stride=None):  # A running max that starts at 0: negative windows give 0
        stride = stride or kernel_size
        rows, cols = (x.shape[0] - kernel_size) // stride + 1, (x.shape[1] - kernel_size) // stride + 1
        out = x.new_zeros(rows, cols)
        for r in range(rows):
            for c in range(cols):
                for i in range(kernel_size):
                    for j in range(kernel_size):
                        out[r, c] = max(out[r, c], x[r * stride + i, c * stride + j])
        return out

    def average(x, kernel_size, stride=None):  # Average pooling
        stride = stride or kernel_size
        return F.avg_pool2d(x[None, None], kernel_size, stride)[0, 0]

    for wrong in (stride_one, partial_windows, max_from_zero, average):
        assert_catches('max_pool', max_pool=wrong)


# dropout (slide "Dropout") -----------------------------------------------------------------------------------------
def test_dropout_catches_no_scaling_dropping_in_evaluation_and_scaling_at_test_time():
    def no_scaling(x, mask, p, training=True):  # Units dropped, the kept ones not times 1 / (1 - p)
        return x * mask if training else x

    def also_in_evaluation(x, mask, p, training=True):  # training ignored
        return x * mask / (1 - p)

    def scaled_in_evaluation(x, mask, p, training=True):  # The original paper's way: weights times (1 - p) at test
        return x * mask if training else x * (1 - p)

    def mask_inverted(x, mask, p, training=True):  # Keeps the dropped units
        return x * (1 - mask) / (1 - p) if training else x

    for wrong in (no_scaling, also_in_evaluation, scaled_in_evaluation, mask_inverted):
        assert_catches('dropout', dropout=wrong)


def test_dropouts_check_uses_nn_dropouts_own_draw():
    """The mask each case gives is what nn.Dropout kept from the case's seed: PyTorch's answer is zero where the mask
    is, and x where the layer is in evaluation mode."""
    exercise = load_exercise(find_exercise('dropout'))
    for case in common.exercises.make_cases(exercise, 4):
        x, mask, p, training, _ = case.args
        expected = exercise.expected_for(case)
        if training:
            assert torch.equal(expected != 0, mask.bool()) and torch.allclose(expected, x * mask / (1 - p))
        else:
            assert torch.equal(expected, x)
    masks = torch.cat([case.args[1].reshape(-1) for case in common.exercises.make_cases(exercise, 4)
                       if case.args[3] and case.args[2] > 0])
    assert 0.2 < masks.mean() < 0.8  # Units dropped and kept


# first_image (slide "Loading the MNIST Dataset": four indices on a 3-D tensor) -------------------------------------
def test_first_image_fails_the_slides_four_indices_and_catches_a_fixed_index_a_slice_and_the_wrong_axis():
    def slide(data, index):  # The slide's code as printed
        return data[index, :, :, :]

    def always_the_first(data, index):  # The slide's 0 kept
        return data[0]

    def a_slice(data, index):  # One image, but 1 x H x W
        return data[index:index + 1]

    def wrong_axis(data, index):
        return data[:, index]

    for wrong in (slide, always_the_first, a_slice, wrong_axis):
        assert_catches('first_image', image_at=wrong)
    results = results_of(find_exercise('first_image'), {'image_at': slide}, 0)
    assert 'IndexError: too many indices for tensor of dimension 3' in results[0].detail


# batch_norm (slide "Digit Classification with the MNIST Dataset (1/4)", its Try line) --------------------------------
def batch_norm_with(var_for_y='biased', var_kept='unbiased', eval_uses_batch=False, momentum_reversed=False,
                    dims=(0, 2, 3)):
    """A learner's batch_norm, right but for one choice: which variance normalizes y and which one the running
    variance keeps, the batch's statistics in evaluation too, the momentum the other way round, or the statistics
    over other dimensions."""
    def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
        def channels(values):
            return values.view(1, -1, 1, 1)

        variances = {'biased': x.var(dim=(0, 2, 3), unbiased=False), 'unbiased': x.var(dim=(0, 2, 3))}
        if training or eval_uses_batch:
            mean, var = x.mean(dim=dims, keepdim=True), x.var(dim=dims, unbiased=False, keepdim=True)
            if dims == (0, 2, 3):
                var = channels(variances[var_for_y])
            if training:
                keep, new = (momentum, 1 - momentum) if momentum_reversed else (1 - momentum, momentum)
                running_mean = keep * running_mean + new * x.mean(dim=(0, 2, 3))
                running_var = keep * running_var + new * variances[var_kept]
        else:
            mean, var = channels(running_mean), channels(running_var)
        return channels(gamma) * (x - mean) / torch.sqrt(var + eps) + channels(beta), running_mean, running_var
    return batch_norm


def test_batch_norm_catches_the_variances_swapped_batch_statistics_in_evaluation_and_momentum_reversed():
    assert_catches('batch_norm', batch_norm=batch_norm_with('unbiased', 'biased'))  # The two variances swapped
    assert_catches('batch_norm', batch_norm=batch_norm_with(var_kept='biased'))  # The biased one kept too
    assert_catches('batch_norm', batch_norm=batch_norm_with(eval_uses_batch=True))  # The batch's statistics in eval
    assert_catches('batch_norm', batch_norm=batch_norm_with(momentum_reversed=True))  # Keras's meaning of momentum
    assert_catches('batch_norm', batch_norm=batch_norm_with(dims=(2, 3)))  # Each sample's statistics: instance norm
    # The same code with every choice right passes: each wrong answer above differs from a right one by one choice
    results = results_of(find_exercise('batch_norm'), {'batch_norm': batch_norm_with()}, 0)
    assert all(result.status == 'pass' for result in results)


# functional_style (slide "Different Styles for NN Classes (1/2)": super(MyCNN_FStyle, ...)) --------------------------
def test_functional_style_fails_the_slides_class_and_catches_another_classs_name_and_no_init():
    class SlidesForward(nn.Module):  # The slide's forward, unchanged: each class below mends __init__ its own way
        forward = load_file(find_exercise('functional_style').solution)['MyCNN_Functional'].forward

        def layers(self):
            self.conv1, self.conv2 = nn.Conv2d(1, 32, 3, 1, 1), nn.Conv2d(32, 64, 3, 1, 1)
            self.fc1, self.fc2 = nn.Linear(64 * 7 * 7, 512), nn.Linear(512, 10)

    class MyCNN(nn.Module):  # The slide's "My style" class, whose name a learner copies into super()
        pass

    class AsPrinted(SlidesForward):
        def __init__(self):
            super(MyCNN_FStyle, self).__init__()  # noqa: F821 (the slide's name, undefined)
            self.layers()

    class AnotherClassName(SlidesForward):
        def __init__(self):
            super(MyCNN, self).__init__()
            self.layers()

    class NoSuper(SlidesForward):  # The line deleted
        def __init__(self):
            self.layers()

    class NotCalled(SlidesForward):
        def __init__(self):
            super().__init__  # noqa: B018 (a learner's typo: no parentheses)
            self.layers()

    for wrong, error in [(AsPrinted, "NameError: name 'MyCNN_FStyle' is not defined"),
                         (AnotherClassName, 'TypeError: super(type, obj): obj must be an instance or subtype of type'),
                         (NoSuper, 'AttributeError: cannot assign module before Module.__init__() call'),
                         (NotCalled, 'AttributeError: cannot assign module before Module.__init__() call')]:
        assert_catches('functional_style', MyCNN_Functional=wrong)
        results = results_of(find_exercise('functional_style'), {'MyCNN_Functional': wrong}, 0)
        assert results[0].status == 'error' and error in results[0].detail, results[0].detail


def test_functional_style_checks_the_parameters_and_the_output():
    """A class that builds but has other layers (fc1 of 64 x 14 x 14 inputs, one pooling left out) fails."""
    solution = load_file(find_exercise('functional_style').solution)

    class OnePoolingLess(solution['MyCNN_Functional']):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(64 * 14 * 14, 512)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), 2)
            x = torch.flatten(F.relu(self.conv2(x)), 1)
            return F.log_softmax(self.fc2(F.relu(self.fc1(x))), dim=1)

    assert_catches('functional_style', MyCNN_Functional=OnePoolingLess)
    result = results_of(find_exercise('functional_style'), {'MyCNN_Functional': OnePoolingLess}, 0)[0]
    assert 'parameters: expected 1630090, yours ' in result.detail


# beat_mnist (the challenge "Beat the lesson") ----------------------------------------------------------------------
CHALLENGE = f'{SECTION}/07_beat_mnist.py'
CHALLENGE_SOLUTION = f'{SECTION}/solutions/07_beat_mnist.py'


@pytest.fixture
def results_folders(tmp_path, monkeypatch):
    """The default results folders (results/<script>/) in tmp_path: no checkpoint or metrics.json of a real run in
    this repository is found by these tests."""
    folders = tmp_path / 'results'
    monkeypatch.setattr(common, 'default_out_dir', lambda script: folders / script)
    return folders


@pytest.fixture(scope='module')
def trained_solution(fake_mnist, tmp_path_factory):
    """The solution's MyCNN and training, 1 epoch on the fake MNIST, then its check: (out_dir, Result)."""
    out_dir, folders = tmp_path_factory.mktemp('beat_mnist'), tmp_path_factory.mktemp('results')
    with pytest.MonkeyPatch.context() as monkeypatch:  # No lesson's metrics.json of a real run here
        monkeypatch.setattr(common, 'default_out_dir', lambda script: folders / script)
        result = run_main(CHALLENGE_SOLUTION, '--train', '--epochs', '1', '--data-dir', fake_mnist, '--out-dir',
                          out_dir, '--device', 'cpu')
    return out_dir, result


def test_the_unchanged_challenge_says_how_to_start_and_trains_nothing(fake_mnist, results_folders, tmp_path):
    result = run_main(CHALLENGE, '--data-dir', fake_mnist, '--out-dir', tmp_path / 'out')
    assert result.code == 1 and result.err == ''
    lines = result.out.splitlines()
    assert lines[0].startswith('Exercise beat_mnist (slide "Digit Classification with the MNIST Dataset (1/4)-(2/4)")')
    assert lines[1] == ('not started: no trained model of yours yet. Change MyCNN(), train_model() or its training '
                        'where the file says, then run the file: it trains, saves the model, and this check '
                        'measures it.')
    assert f"  todo 1. your MyCNN with its beat_mnist.pt on MNIST's {FAKE_MNIST_SIZES['t10k']} test images" in lines
    assert f'no beat_mnist.pt yet (looked in {REPO_ROOT / SECTION} and {tmp_path / "out"})' in result.out
    assert lines[-1].startswith('0 of 1 check passed. The solution: 04_cnn_mnist/exercises/solutions/07_beat_mnist')
    assert not (tmp_path / 'out').exists()  # No --train: nothing trained, nothing written


def test_training_saves_a_state_dict_atomically_and_the_check_measures_it(trained_solution, fake_mnist):
    out_dir, result = trained_solution
    assert result.code == 0 and result.err == '', result.out
    checkpoint = out_dir / 'beat_mnist.pt'
    assert f'Model saved: {checkpoint} (' in result.out
    assert sorted(path.name for path in out_dir.iterdir()) == ['beat_mnist.json', 'beat_mnist.pt']  # No temporary
    state_dict = torch.load(checkpoint, weights_only=True)  # A plain state_dict of the solution's MyCNN
    model = result.vars['MyCNN']()
    assert list(state_dict) == list(model.state_dict())
    trained = json.loads((out_dir / 'beat_mnist.json').read_text(encoding='utf-8'))
    assert trained['epochs'] == 1 and trained['train_size'] == FAKE_MNIST_SIZES['train'] and trained['seconds'] > 0
    lines = result.out.splitlines()
    n_test = FAKE_MNIST_SIZES['t10k']
    assert f"  ok   1. your MyCNN with its beat_mnist.pt on MNIST's {n_test} test images" in lines
    verdict = next(line for line in lines if f'of {n_test} right: ' in line)
    right = int(verdict.split()[0])
    model.load_state_dict(state_dict)  # The check's count, recounted here: the same model on the same images
    data = common.load_mnist(fake_mnist, train=False)
    with torch.no_grad():
        assert right == int((model.eval()(data.data[:, None] / 255.).argmax(1) == data.targets).sum()) > 0.9 * n_test
    assert verdict.endswith(', beaten') and lines[-1] == 'The check passed.'
    timed = next(line for line in lines if 'training: yours ' in line)  # The README's lesson: no ratio of times
    assert timed.startswith(f"       training: yours {trained['seconds']:.1f} s (train_model, as your run measured "
                            "it), the lesson's ") and timed.endswith(" s (a whole run, on the README's machine)")


def test_the_check_compares_with_the_lessons_own_run_when_there_is_one(trained_solution, fake_mnist,
                                                                         results_folders):
    """The lesson's metrics.json (cnn_mnist.py writes it into results/cnn_mnist/) is what the challenge compares with;
    a better lesson run than the learner's model fails the challenge, and the times are compared on one machine."""
    out_dir, _ = trained_solution
    lesson = results_folders / 'cnn_mnist' / 'metrics.json'
    lesson.parent.mkdir(parents=True)
    machine = json.loads((out_dir / 'beat_mnist.json').read_text(encoding='utf-8'))['machine']
    lesson.write_text(json.dumps({'accuracy': 1.0, 'seconds': 10.0, 'epochs': 3, 'train_size': 60000,
                                  'machine': machine}), encoding='utf-8')
    result = run_main(CHALLENGE_SOLUTION, '--data-dir', fake_mnist, '--out-dir', out_dir)
    assert result.code == 1 and result.err == ''
    assert f"(your run of cnn_mnist.py: 3 epochs on 60,000 images, {lesson})" in result.out
    assert 'the lesson 100.00 %' in result.out and ', not beaten yet\n' in result.out
    assert "the lesson's 10.0 s (its loop of 3 epochs, an evaluation after each): " in result.out
    assert ' times as long' in result.out  # The same machine: a ratio


def test_the_readme_gives_the_lessons_numbers_where_it_was_not_run_or_only_quickly(results_folders):
    solution = load_file(find_exercise('beat_mnist').solution)
    lesson = solution['lesson_result']()
    assert lesson['accuracy'] == 0.9903 and 40 < lesson['seconds'] < 120  # 04_cnn_mnist/README.md, "Measured"
    assert lesson['source'] == '04_cnn_mnist/README.md, "Measured"; run cnn_mnist.py to measure it here'
    metrics = results_folders / 'cnn_mnist' / 'metrics.json'  # A quick run (--train-size 400): not the lesson
    metrics.parent.mkdir(parents=True)
    for epochs, train_size in [(3, 400), (1, 60000)]:
        metrics.write_text(json.dumps({'accuracy': 0.8, 'seconds': 2.0, 'epochs': epochs, 'train_size': train_size}),
                           encoding='utf-8')
        lesson = solution['lesson_result']()
        assert lesson['accuracy'] == 0.9903 and lesson['source'] == (
            f'04_cnn_mnist/README.md, "Measured"; your run of cnn_mnist.py in {metrics.parent} was a quick one '
            f'({epochs} epochs on {train_size:,} images)')


def test_a_grader_finds_the_checkpoint_handed_in_beside_the_file_and_nothing_else(trained_solution, fake_mnist,
                                                                                    results_folders, tmp_path,
                                                                                    monkeypatch):
    """As teachers/grade.py runs it, the two sides apart: the checker's side makes the case (the test images, never
    their digits) from $DL_DATA_DIR; the answer's side loads the file handed in and returns predictions only. Without
    a checkpoint beside the file, it is not started, even where this repository's results folder holds one."""
    out_dir, _ = trained_solution
    monkeypatch.setenv('DL_DATA_DIR', str(fake_mnist))
    entry = find_exercise('beat_mnist')
    exercise = load_exercise(entry)
    cases = common.exercises.make_cases(exercise, 0)  # No options: a grader's
    assert len(cases) == 1 and [tuple(arg.shape) for arg in cases[0].args] == [(FAKE_MNIST_SIZES['t10k'], 28, 28)]
    expected = [exercise.expected_for(case) for case in cases]
    handed_in = tmp_path / 'alice'
    handed_in.mkdir()
    shutil.copyfile(REPO_ROOT / CHALLENGE_SOLUTION, handed_in / '07_beat_mnist.py')
    (results_folders / 'beat_mnist').mkdir(parents=True)  # A checkpoint in the grader's own results folder
    shutil.copyfile(out_dir / 'beat_mnist.pt', results_folders / 'beat_mnist' / 'beat_mnist.pt')
    namespace = load_file(handed_in / '07_beat_mnist.py')
    outcomes = common.exercises.answer_outcomes(exercise, namespace, cases)
    assert outcomes[0]['not_started'] and f'looked in {handed_in}' in outcomes[0]['error']
    shutil.copyfile(out_dir / 'beat_mnist.pt', handed_in / 'beat_mnist.pt')  # Handed in beside the file
    outcomes = common.exercises.answer_outcomes(exercise, namespace, cases)
    value = outcomes[0]['value']
    assert set(value) == {'predictions', 'checkpoint', 'seconds', 'machine'} and value['seconds'] is None
    assert value['predictions'].dtype == torch.int64 and value['checkpoint'] == str(handed_in / 'beat_mnist.pt')
    result, = common.exercises.judge(exercise, cases, expected, outcomes)
    assert result.status == 'pass' and 'beaten' in result.detail


def test_a_checkpoint_of_another_model_is_one_line(trained_solution, fake_mnist, tmp_path):
    """The lesson's MyCNN (the unchanged exercise) cannot load the solution's batch-norm weights: said in one line."""
    out_dir, _ = trained_solution
    result = run_main(CHALLENGE, '--data-dir', fake_mnist, '--out-dir', out_dir)
    assert result.code == 1 and result.err == '' and 'Traceback' not in result.out
    assert f"UserError: '{out_dir / 'beat_mnist.pt'}' holds another model, not a MyCNN" in result.out
    assert 'after changing MyCNN, train again (--train)' in result.out  # The hint


def test_without_mnist_the_check_says_where_it_looked_and_downloads_nothing(results_folders, tmp_path):
    result = run_main(CHALLENGE, '--data-dir', tmp_path, '--out-dir', tmp_path / 'out')
    assert result.code == 1 and result.err == '' and not (tmp_path / 'MNIST').exists()
    assert f"MNIST's test images: not in {tmp_path / 'MNIST' / 'raw'} (training downloads them" in result.out


def test_the_challenge_trains_and_checks_as_a_notebook(notebooks, fake_mnist, tmp_path):
    """In a notebook: TRAIN = True trains in its cell (the options from NOTEBOOK_ARGS), then the last cell checks."""
    nb = notebooks.run(CHALLENGE, args=['--epochs', '1', '--train-size', '100', '--device', 'cpu', '--out-dir',
                                        str(tmp_path)],
                       data_dir=fake_mnist, edits={'TRAIN = False ': 'TRAIN = True '})
    out = notebook_text(nb)
    assert f'Model saved: {tmp_path / "beat_mnist.pt"}' in out and 'Exercise beat_mnist ' in out
    assert 'not started' not in out  # A trained model, the lesson's class or not, is measured
    assert f"of {FAKE_MNIST_SIZES['t10k']} right: " in out and notebook_text(nb, 'stderr') == ''


@pytest.mark.realdata
def test_real_mnist_the_check_reads_the_10000_test_images(real_data_dir, results_folders, tmp_path):
    """On the real data: a model trained briefly (the solution's, 1 epoch on 5,000 images) is measured on the whole
    test split and does not beat the lesson's 99.03 % (04_cnn_mnist/README.md)."""
    result = run_main(CHALLENGE_SOLUTION, '--train', '--epochs', '1', '--train-size', '5000', '--device', 'cpu',
                      '--data-dir', real_data_dir, '--out-dir', tmp_path)
    assert result.err == '' and result.code == 1, result.out
    verdict = next(line for line in result.out.splitlines() if 'of 10,000 right: ' in line)
    right = int(verdict.split()[0].replace(',', ''))
    assert 8000 < right < 9903 and verdict.endswith('not beaten yet')
    assert 'the lesson 99.03 % (04_cnn_mnist/README.md, "Measured"' in verdict
