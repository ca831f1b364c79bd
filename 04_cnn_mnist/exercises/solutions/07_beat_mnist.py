"""Beat the lesson's CNN on MNIST: change MyCNN or its training, and read more test digits right.

Slides "Practice) Digit Classification with the MNIST Dataset (1/4)-(2/4)": the lesson (cnn_mnist.py) trains MyCNN
with SGD (lr 0.05, momentum 0.9), StepLR halving the rate after every epoch and batches of 128 for 3 epochs, and
reads 99.03 % of the test digits right, in one to two minutes on a 2-core CPU (04_cnn_mnist/README.md,
"Measured"). Do better: change `MyCNN` below (the slide's Try lines: more or less layers, channels and kernel size,
batch normalization, a skip connection) or `train_model` (the optimizer, its schedule, the batch size; ideas in
further/cnn_mnist_further.py). Both start as the lesson's. Then train, in a terminal:

    python 04_cnn_mnist/exercises/07_beat_mnist.py --train      (also --epochs, --device, --data-dir, --out-dir)

or, in a notebook, set TRAIN = True and run the cells. It saves your MyCNN's weights (a state_dict) as
beat_mnist.pt in results/beat_mnist/ and says where. Then the check loads them into your MyCNN (torch.load with
weights_only=True), reads the 10,000 test images with it, and says how it compares with the lesson's accuracy and
training time: the lesson as you ran it (results/cnn_mnist/metrics.json, where you trained it on all 60,000
images for its 3 epochs or more), else the README's numbers. It passes when yours reads more of them right. Without
--train the file only checks (a beat_mnist.pt beside this file is found too, e.g. one handed in). Two rules: MyCNN()
takes no arguments, and its forward takes the images as the lesson gives them (N x 1 x 28 x 28, values in [0, 1]):
any other scaling goes inside forward.

The solution, after you tried: exercises/solutions/07_beat_mnist.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from common import train


# %% Your model: it starts as the lesson's MyCNN (slide (1/4)); change it
class MyCNN(nn.Module):
    ### BEGIN SOLUTION
    """The lesson's MyCNN with batch normalization after each convolution (the slide's Try line): every channel
    starts each layer with mean 0 and variance 1, so a larger learning rate trains it quickly."""
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, kernel_size=3, padding=1, bias=False)  # No bias: the batch norm's beta is one
        self.norm1 = nn.BatchNorm2d(32)
        self.conv2 = nn.Conv2d(32, 64, kernel_size=3, padding=1, bias=False)
        self.norm2 = nn.BatchNorm2d(64)
        self.drop2 = nn.Dropout(0.2)
        self.fc3 = nn.Linear(64 * 7 * 7, 512)
        self.drop3 = nn.Dropout(0.2)
        self.fc4 = nn.Linear(512, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.norm1(self.conv1(x))), 2)                  # 32 x 14 x 14
        x = self.drop2(F.max_pool2d(F.relu(self.norm2(self.conv2(x))), 2))      # 64 x 7 x 7
        x = self.drop3(F.relu(self.fc3(torch.flatten(x, 1))))
        return F.log_softmax(self.fc4(x), dim=1)
    ### END SOLUTION
    ### BEGIN SLIDE CODE
    # def __init__(self):
    #     super(MyCNN, self).__init__()
    #     # Notation: (batch_size, channel, height, width)
    #     # Input : (batch_size, 1, 28, 28)
    #     # Layer1: conv (batch_size, 32, 28, 28)
    #     #          pool (batch_size, 32, 14, 14)
    #     self.conv1 = nn.Conv2d(1, 32, kernel_size=3, stride=1, padding=1)
    #     self.pool1 = nn.MaxPool2d(kernel_size=2)
    #
    #     # Layer2: conv (batch_size, 64, 14, 14)
    #     #          pool (batch_size, 64, 7, 7)
    #     self.conv2 = nn.Conv2d(32, 64, kernel_size=3, stride=1, padding=1)
    #     self.pool2 = nn.MaxPool2d(kernel_size=2)
    #     self.drop2 = nn.Dropout(0.2)
    #
    #     # Input : (batch_size, 64*7*7)
    #     # Layer3: fc   (batch_size, 512)
    #     self.fc3 = nn.Linear(64*7*7, 512)
    #     self.drop3 = nn.Dropout(0.2)
    #
    #     # Layer4: fc   (batch_size, 10)
    #     self.fc4 = nn.Linear(512, 10)
    #
    # def forward(self, x):
    #     x = F.relu(self.conv1(x))
    #     x = self.pool1(x)
    #
    #     x = F.relu(self.conv2(x))
    #     x = self.pool2(x)
    #     x = self.drop2(x)
    #     x = torch.flatten(x, 1)
    #
    #     x = F.relu(self.fc3(x))
    #     x = self.drop3(x)
    #
    #     x = F.log_softmax(self.fc4(x), dim=1)
    #     return x
    ### END SLIDE CODE


# %% Your training: it starts as the lesson's (slide (2/4), our defaults); change it
def train_model(model, x_train, y_train, epochs):
    """Train `model` on the images x_train (N x 1 x 28 x 28, in [0, 1]) and their digits y_train, for `epochs`."""
    ### BEGIN SOLUTION
    # Adam, with a OneCycleLR schedule stepped after every batch: up to max_lr over the first 30 % of the batches,
    # then down to almost 0 (further/cnn_mnist_further.py; batch normalization takes the larger rate)
    loader_train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_train, y_train), batch_size=128,
                                               shuffle=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.005)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.005, epochs=epochs,
                                                    steps_per_epoch=len(loader_train))
    for epoch in range(1, epochs + 1):
        train_loss = train(model, loader_train, F.cross_entropy, optimizer, scheduler, progress=True)
        print(f'{epoch:>6}, TrLoss={train_loss:.6f}, lr={scheduler.get_last_lr()}')
    ### END SOLUTION
    ### BEGIN SLIDE CODE
    # loader_train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_train, y_train), batch_size=128,
    #                                            shuffle=True)
    # optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    # scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    # for epoch in range(1, epochs + 1):
    #     train_loss = train(model, loader_train, F.cross_entropy, optimizer, progress=True)  # common/training.py
    #     scheduler.step()
    #     print(f'{epoch:>6}, TrLoss={train_loss:.6f}, lr={scheduler.get_last_lr()}')
    ### END SLIDE CODE


# %% Train when asked: python 04_cnn_mnist/exercises/07_beat_mnist.py --train (in a notebook: TRAIN = True)
TRAIN = False                 # True: this cell trains (a notebook has no command line); --train does it in a terminal
EPOCH_MAX = 3                 # The lesson's
RANDOM_SEED = 777             # The lesson's
CHECKPOINT = 'beat_mnist.pt'  # Saved into --out-dir (results/beat_mnist/); the check also finds it beside this file


def command_line():
    """This file's options: --train and its settings, and where the check finds MNIST's test images (--data-dir)."""
    parser = common.make_parser('beat_mnist', __doc__, device='auto', seed=RANDOM_SEED, out_dir=True, data_dir=True,
                                epochs=EPOCH_MAX)
    parser.prog = '07_beat_mnist.py'  # Its errors name this file (its results still go to results/beat_mnist/)
    parser.add_argument('--train', action='store_true', default=TRAIN,
                        help='train MyCNN with train_model and save its weights, then check (without it: only check)')
    parser.add_argument('--train-size', type=common.positive_int, help='train on the first N images only (quick runs)')
    parser.add_argument('--check-only', action='store_true',
                        help='only check the saved model, even where TRAIN is True (without --train, only the check)')
    return parser


if __name__ == '__main__':  # (Not when `python exercises.py` or a grader loads this file for its MyCNN)
    args = command_line().parse_args()
    if args.train and not args.check_only:
        torch.manual_seed(args.seed)
        print(f'Device: {args.device}')
        data_train = common.load_mnist(args.data_dir, train=True)  # Found, checked or downloaded (common/data.py)
        x_train, y_train = data_train.data[:args.train_size, None] / 255., data_train.targets[:args.train_size]
        model = MyCNN().to(args.device)
        start = time.time()
        train_model(model, x_train, y_train, args.epochs)
        seconds = time.time() - start
        path = common.save_checkpoint(model.state_dict(), args.out_dir / CHECKPOINT)  # Atomically: never half-written
        common.save_json({'seconds': seconds, 'epochs': args.epochs, 'train_size': len(y_train), 'seed': args.seed,
                          'device': str(args.device), 'machine': common.describe_machine()}, path.with_suffix('.json'))
        print(f'Model saved: {path} ({seconds:.1f} s of training)')


# %% The check: the checker's side (MNIST's test images, their digits, the lesson's result) and the answer's side
# (`run`: the learner's checkpoint in their MyCNN, the digits it reads); the learner's file has no such cell
import hashlib
import json
import re
from pathlib import Path

from common.paths import MNIST_FILES, mnist_raw_folder

README = common.REPO_ROOT / '04_cnn_mnist' / 'README.md'
BATCH = 200          # Test images per forward pass: 1000 at a time outgrow the caches (twice as slow on one core)
LESSON_EPOCHS, LESSON_TRAIN_SIZE = 3, 60000  # cnn_mnist.py's EPOCH_MAX and MNIST's training split: the lesson
_digits = {}         # The checker's side: the test images' digits, by a digest of the images (never sent to `run`)


def digest(images):
    return hashlib.sha256(images.contiguous().numpy().tobytes()).hexdigest()


def test_split(data_dir):
    """MNIST's test images (uint8, N x 28 x 28) and digits in `data_dir`, or None where its files are not there (the
    check downloads nothing: training does)."""
    raw = mnist_raw_folder(data_dir)
    if not all((raw / name).is_file() or (raw / f'{name}.gz').is_file() for name in MNIST_FILES):
        return None
    data = common.load_mnist(data_dir, train=False)
    return data.data, data.targets


def cases(generator, options):
    """One check: the learner's checkpoint on MNIST's test images (from --data-dir, $DL_DATA_DIR or data/)."""
    data_dir = options.data_dir if options is not None else common.resolve_data_dir()
    hint = ('slides "Digit Classification with the MNIST Dataset (1/4)-(2/4)": try batch normalization (a Try line) '
            'or Adam with a OneCycleLR schedule stepped every batch (further/cnn_mnist_further.py); after changing '
            'MyCNN, train again (--train)')
    split = test_split(data_dir)
    if split is None:
        return [common.Case(f"MNIST's test images: not in {mnist_raw_folder(data_dir)} (training downloads them; or "
                            'give --data-dir)', (None,), hint=hint)]
    images, digits = split
    _digits[digest(images)] = digits
    return [common.Case(f"your MyCNN with its {CHECKPOINT} on MNIST's {len(digits):,} test images", (images,),
                        hint=hint)]


def test_digits(images):
    """The checker's answer: the digit of each test image (None where MNIST's files are missing)."""
    return None if images is None else _digits[digest(images)]


def find_checkpoint(namespace):
    """The learner's checkpoint: beside their file, else in the folder their training saves into (their --out-dir,
    or results/beat_mnist/), but never a results folder of someone else's (a grader's, for a file handed in)."""
    file = namespace.get('__file__')
    places = [Path(file).resolve().parent / CHECKPOINT] if file else []
    options = namespace.get('args')  # The learner's own run parsed its options (their --out-dir)
    if getattr(options, 'out_dir', None) is not None:
        places.append(Path(options.out_dir) / CHECKPOINT)
    elif not file or Path(file).resolve().is_relative_to(common.REPO_ROOT):  # A notebook, or a file of this repository
        places.append(common.default_out_dir('beat_mnist') / CHECKPOINT)
    for place in places:
        if place.is_file():
            return place
    raise NotImplementedError(f'no {CHECKPOINT} yet (looked in {" and ".join(str(place.parent) for place in places)})'
                              ': train first (--train), then check again')


def run(namespace, case):
    """The answer's side: the learner's checkpoint loaded into their MyCNN (weights_only=True) and the digit it reads
    in each test image it is given (a tensor of labels), with what their training said of itself."""
    images, = case.args
    path = find_checkpoint(namespace)
    model = namespace['MyCNN']()
    with common.checkpoint_errors(path):  # A missing, damaged or other model's file: one line
        model.load_state_dict(torch.load(path, map_location='cpu', weights_only=True))
    model.eval()
    predictions = None
    if images is not None:
        with torch.no_grad():  # The images as the lesson gives them: N x 1 x 28 x 28 in [0, 1]
            predictions = torch.cat([model(batch[:, None].float() / 255).argmax(dim=1)
                                     for batch in images.split(BATCH)])
    try:
        trained = json.loads(path.with_suffix('.json').read_text(encoding='utf-8'))
    except (OSError, ValueError):
        trained = {}
    return {'predictions': predictions, 'checkpoint': str(path), 'seconds': trained.get('seconds'),
            'machine': trained.get('machine')}


def lesson_result():
    """The lesson's test accuracy and training seconds: its metrics.json where the learner ran cnn_mnist.py as the
    lesson trains (all 60,000 training images, at least its 3 epochs), else the numbers measured in the section's
    README (and why: no run, or a quick one)."""
    path = common.default_out_dir('cnn_mnist') / 'metrics.json'
    why = 'run cnn_mnist.py to measure it here'
    try:
        metrics = json.loads(path.read_text(encoding='utf-8'))
        run = f'{metrics["epochs"]} epochs on {metrics["train_size"]:,} images'
        if metrics['train_size'] >= LESSON_TRAIN_SIZE and metrics['epochs'] >= LESSON_EPOCHS:
            return {'accuracy': float(metrics['accuracy']), 'seconds': float(metrics['seconds']),
                    'machine': metrics.get('machine'), 'source': f'your run of cnn_mnist.py: {run}, {path}',
                    'timed': f'its loop of {metrics["epochs"]} epochs, an evaluation after each'}
        why = f'your run of cnn_mnist.py in {path.parent} was a quick one ({run})'
    except (OSError, ValueError, KeyError, TypeError):
        pass
    row = re.search(r"^\| `cnn_mnist\.py` \(the lesson's default[^|]*\| ([\d.]+) % \| ([\d.]+),",
                    README.read_text(encoding='utf-8'), re.MULTILINE)
    return {'accuracy': float(row.group(1)) / 100, 'seconds': float(row.group(2)), 'machine': None,
            'source': f'04_cnn_mnist/README.md, "Measured"; {why}', 'timed': "a whole run, on the README's machine"}


def compare(digits, answer):
    """The checker's side: (passed, what it says). Passed when the learner's model reads more test digits right than
    the lesson; the training times are said beside it, not judged (machines and loads differ)."""
    if digits is None:
        return False, "no test images to read: MNIST's files are missing (see the line above)"
    predictions = answer.get('predictions') if isinstance(answer, dict) else None
    if not torch.is_tensor(predictions) or tuple(predictions.shape) != tuple(digits.shape):
        return False, (f'expected a digit for each of the {len(digits):,} test images, got '
                       f'{common.exercises.show(predictions)}')
    lesson = lesson_result()
    right = int((predictions.long() == digits).sum())
    accuracy = right / len(digits)
    lines = [f'checkpoint: {answer.get("checkpoint")}']
    seconds = answer.get('seconds')
    if isinstance(seconds, (int, float)):
        lines.append(f'training: yours {seconds:.1f} s (train_model, as your run measured it), the lesson\'s '
                     f'{lesson["seconds"]:.1f} s ({lesson["timed"]})'
                     + (f': {seconds / lesson["seconds"]:.2f} times as long (one machine; its load moves both)'
                        if lesson.get('machine') and
                        lesson['machine'] == answer.get('machine') else ''))
    passed = accuracy > lesson['accuracy']
    lines.append(f'{right:,} of {len(digits):,} right: {100 * accuracy:.2f} %, the lesson '
                 f'{100 * lesson["accuracy"]:.2f} % '
                 f'({lesson["source"]}): {100 * (accuracy - lesson["accuracy"]):+.2f} points, '
                 + ('beaten' if passed else 'not beaten yet'))
    return passed, '\n'.join(lines)


EXERCISE = common.Exercise(answer=('MyCNN', 'train_model'), cases=cases, expected=test_digits, run=run,
                           compare=compare, kind='challenge', parser=command_line,
                           reference="the lesson's test accuracy (cnn_mnist.py)")

# %% Check your answer after training (in a terminal: python 04_cnn_mnist/exercises/07_beat_mnist.py)
common.check_exercise('beat_mnist', globals())
