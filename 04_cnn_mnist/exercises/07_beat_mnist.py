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
    def __init__(self):
        super(MyCNN, self).__init__()
        # Notation: (batch_size, channel, height, width)
        # Input : (batch_size, 1, 28, 28)
        # Layer1: conv (batch_size, 32, 28, 28)
        #          pool (batch_size, 32, 14, 14)
        self.conv1 = nn.Conv2d(1, 32, kernel_size=3, stride=1, padding=1)
        self.pool1 = nn.MaxPool2d(kernel_size=2)

        # Layer2: conv (batch_size, 64, 14, 14)
        #          pool (batch_size, 64, 7, 7)
        self.conv2 = nn.Conv2d(32, 64, kernel_size=3, stride=1, padding=1)
        self.pool2 = nn.MaxPool2d(kernel_size=2)
        self.drop2 = nn.Dropout(0.2)

        # Input : (batch_size, 64*7*7)
        # Layer3: fc   (batch_size, 512)
        self.fc3 = nn.Linear(64*7*7, 512)
        self.drop3 = nn.Dropout(0.2)

        # Layer4: fc   (batch_size, 10)
        self.fc4 = nn.Linear(512, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = self.pool1(x)

        x = F.relu(self.conv2(x))
        x = self.pool2(x)
        x = self.drop2(x)
        x = torch.flatten(x, 1)

        x = F.relu(self.fc3(x))
        x = self.drop3(x)

        x = F.log_softmax(self.fc4(x), dim=1)
        return x


# %% Your training: it starts as the lesson's (slide (2/4), our defaults); change it
def train_model(model, x_train, y_train, epochs):
    """Train `model` on the images x_train (N x 1 x 28 x 28, in [0, 1]) and their digits y_train, for `epochs`."""
    loader_train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_train, y_train), batch_size=128,
                                               shuffle=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    for epoch in range(1, epochs + 1):
        train_loss = train(model, loader_train, F.cross_entropy, optimizer, progress=True)  # common/training.py
        scheduler.step()
        print(f'{epoch:>6}, TrLoss={train_loss:.6f}, lr={scheduler.get_last_lr()}')


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


# %% Check your answer after training (in a terminal: python 04_cnn_mnist/exercises/07_beat_mnist.py)
common.check_exercise('beat_mnist', globals())
