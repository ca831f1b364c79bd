"""Beat the lesson's Name2Lang accuracy: change its model or its training, train, and check on held-out names.

Slide "Practice) Name2Lang Classification with a Character-level RNN (3/7)" (MyRNN and its "Try"s: another
recurrent unit, fewer or more hidden units, more layers and dropout) and the lesson, rnn_name2lang.py: a GRU of 128
units, trained 10 epochs by SGD, names 0.824 of the 4,015 held-out names' languages right. Do better: change
`MyBetterRNN` below (it starts as the lesson's MyRNN), its training (`train_model` and the constants above it), or
both, then run this file. It trains on the lesson's training names (the same split as rnn_name2lang.py: 20 % held
out, stratified, with its seed 777 whatever --seed says), saves the model's state_dict atomically
(results/09_beat_name2lang/beat_name2lang.pt, or in --out-dir) and prints where; then its last cell checks it.

The check never trains: it builds MyBetterRNN(57, 18) as this file defines it, loads your checkpoint
(weights_only=True), asks it for the language of each held-out name, counts the right ones, and says how that
compares with the lesson's accuracy and time: your own run of rnn_name2lang.py where there is one
(results/rnn_name2lang/metrics.json), else the numbers its README measured. It passes when yours is higher. Your
model reads what the lesson's reads, a batch of N names of one length L as one-hot letters (L x N x 57, the lesson's
text2onehot), and returns N x 18 scores. `--check-only` checks the saved model without training again; a teacher's
grader finds beat_name2lang.pt beside this file. Ideas: the slide's "Try"s, Adam, a bidirectional GRU, and what
further/rnn_name2lang_further.py measures (README.md there).

    python 05_rnn_name2lang/exercises/09_beat_name2lang.py --data-dir ../shared/data   # Train, then check
    python 05_rnn_name2lang/exercises/09_beat_name2lang.py --check-only                 # Check the saved model

The solution, after you tried: exercises/solutions/09_beat_name2lang.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import random
import time
from pathlib import Path

import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split

from common import evaluate, save_checkpoint, train

common.add_to_path('05_rnn_name2lang')  # The lesson script, from any folder (VS Code, Colab)
from rnn_name2lang import (
    LETTER_DICT,
    RANDOM_SEED,
    VALID_RATIO,
    MyRNN,
    batches_of_one_length,
    load_name_dataset,
    text2onehot,
)

# %% Your training's settings (the lesson's: 10 epochs, 32 names of one length per step, SGD lr 0.1, momentum 0.9)
SCRIPT = '09_beat_name2lang'   # Its results folder: results/09_beat_name2lang/
MODEL_FILE = 'beat_name2lang.pt'
EPOCH_MAX = 10
BATCH_SIZE = 32                # Names of one length per step
LEARN_RATE = 0.1               # SGD with momentum 0.9


# %% Your model: the lesson's MyRNN, changed (the check builds MyBetterRNN(57, 18) and loads your checkpoint)
class MyBetterRNN(MyRNN):
    """Reads L x N x 57 one-hot names of one length; returns N x 18 scores."""

    def __init__(self, input_size, output_size):
        super().__init__(input_size, output_size, rnn_type='gru', hidden_size=128)  # The lesson's model


# %% Your training (the lesson's steps 2 and 3.1)
def train_model(model, data_train, data_valid, epochs, batch_size, lr):
    """Train `model` on (one-hot name, target) pairs, evaluating it on the held-out ones after each epoch."""
    loss_func = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.5)
    per_batch, per_epoch = None, scheduler  # StepLR: a step after every epoch
    batches_valid = batches_of_one_length(data_valid, 1000, shuffle=False)
    start = time.time()
    for epoch in range(1, epochs + 1):
        batches_train = batches_of_one_length(data_train, batch_size)  # New ones every epoch
        train_loss = train(model, batches_train, loss_func, optimizer, per_batch, progress=True)
        if per_epoch is not None:
            per_epoch.step()
        valid_loss, valid_accuracy = evaluate(model, batches_valid, loss_func)
        print(f'{epoch:>6} ({time.time() - start:>6.2f} sec), TrLoss={train_loss:.6f}, VaLoss={valid_loss:.6f}, '
              f'VaAcc={valid_accuracy:.3f}')
    return time.time() - start


# %% The lesson's names and its held-out split
def held_out_split(data, targets):
    """The lesson's split of the names (rnn_name2lang.py, step 1): (names_train, names_valid, targets_train,
    targets_valid), 20 % held out, stratified, with the lesson's seed."""
    return train_test_split(data, targets, test_size=VALID_RATIO, random_state=RANDOM_SEED, stratify=targets)


# %% Train and save (python <this file> --check-only: no training, only the check below)
if __name__ == '__main__':
    parser = common.make_parser(SCRIPT, __doc__, device='auto', seed=RANDOM_SEED, out_dir=True, data_dir=True,
                                epochs=EPOCH_MAX, batch_size=BATCH_SIZE, lr=LEARN_RATE)
    parser.add_argument('--check-only', action='store_true', help='check the saved model, without training it again')
    args = parser.parse_args()
    if not args.check_only:
        random.seed(args.seed)  # The order of the names
        torch.manual_seed(args.seed)  # The initial weights
        print(f'Device: {args.device}')
        data, targets, target_names = load_name_dataset(common.find_name_files(args.data_dir))
        names_train, names_valid, targets_train, targets_valid = held_out_split(data, targets)
        data_train = [(text2onehot(name), torch.LongTensor([target])) for name, target in zip(names_train,
                                                                                              targets_train)]
        data_valid = [(text2onehot(name), torch.LongTensor([target])) for name, target in zip(names_valid,
                                                                                              targets_valid)]
        print(f'Training names: {len(data_train)}, validation names: {len(data_valid)}')
        model = MyBetterRNN(len(LETTER_DICT), len(target_names)).to(args.device)
        seconds = train_model(model, data_train, data_valid, args.epochs, args.batch_size, args.lr)
        checkpoint = {'model': model.state_dict(), 'train_seconds': seconds,  # What the check says beside the lesson's
                      'machine': f'{args.device}, {common.describe_machine()}'}
        print(f'Model saved: {save_checkpoint(checkpoint, args.out_dir / MODEL_FILE)} ({seconds:.1f} s of training)')


# %% Check your model: run this cell (in a terminal: python 05_rnn_name2lang/exercises/09_beat_name2lang.py)
common.check_exercise('beat_name2lang', globals())
