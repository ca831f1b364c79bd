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
### BEGIN SOLUTION
EPOCH_MAX = 8
BATCH_SIZE = 32                # Names of one length per step, as the lesson's
LEARN_RATE = 0.008             # Adam's, at the peak of a one-cycle schedule
### END SOLUTION
### BEGIN SLIDE CODE
# EPOCH_MAX = 10
# BATCH_SIZE = 32                # Names of one length per step
# LEARN_RATE = 0.1               # SGD with momentum 0.9
### END SLIDE CODE


# %% Your model: the lesson's MyRNN, changed (the check builds MyBetterRNN(57, 18) and loads your checkpoint)
class MyBetterRNN(MyRNN):
    """Reads L x N x 57 one-hot names of one length; returns N x 18 scores."""

    def __init__(self, input_size, output_size):
        ### BEGIN SOLUTION
        super().__init__(input_size, output_size)
        self.rnn = nn.GRU(input_size, 192, bidirectional=True)  # Each name read forward and backward
        self.fc = nn.Linear(2 * 192, output_size)

    def forward(self, x):
        output, _ = self.rnn(x)                   # L x N x 384: both directions after each letter
        return self.fc(output.max(dim=0).values)  # Each unit's largest output over the letters, not only the last
        ### END SOLUTION
        ### BEGIN SLIDE CODE
        # super().__init__(input_size, output_size, rnn_type='gru', hidden_size=128)  # The lesson's model
        ### END SLIDE CODE


# %% Your training (the lesson's steps 2 and 3.1)
def train_model(model, data_train, data_valid, epochs, batch_size, lr):
    """Train `model` on (one-hot name, target) pairs, evaluating it on the held-out ones after each epoch."""
    loss_func = nn.CrossEntropyLoss()
    ### BEGIN SOLUTION
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    steps = len(batches_of_one_length(data_train, batch_size))  # The same number every epoch
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, epochs=epochs, steps_per_epoch=steps)
    per_batch, per_epoch = scheduler, None  # One-cycle: a step after every batch
    ### END SOLUTION
    ### BEGIN SLIDE CODE
    # optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    # scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.5)
    # per_batch, per_epoch = None, scheduler  # StepLR: a step after every epoch
    ### END SLIDE CODE
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


# %% The check: the lesson's held-out names, your model's languages for them, the lesson's numbers
import json

from common.paths import find_names_folder

LESSON_README = {'accuracy': 0.8242, 'train_seconds': 16.0,  # 05_rnn_name2lang/README.md, "Measured": 16.1, 15.7, 16.2
                 'machine': 'cpu, a quiet 2-core Intel Xeon with AMX',
                 'where': "05_rnn_name2lang/README.md's, whole runs on a quiet 2-core Intel Xeon with AMX; no "
                          'results/rnn_name2lang/metrics.json of your own run'}
LABELS = {}  # The held-out names' languages, by the names sent: they stay on the checker's side


def data_folder():
    """The names data's folder: --data-dir where the command line has one (the learner's, or a grader's), else
    $DL_DATA_DIR, else data/."""
    return common.make_parser(SCRIPT, None, data_dir=True).parse_known_args()[0].data_dir


def cases(generator):
    """One check: the lesson's held-out names (none where the data is not there: nothing is downloaded here)."""
    folder = data_folder()
    if find_names_folder(folder) is None and not (folder / 'data.zip').is_file():
        return [common.Case(f"the lesson's held-out names: no names data in {folder} (--data-dir, $DL_DATA_DIR)",
                            ([], []))]
    data, targets, target_names = load_name_dataset(common.find_name_files(folder))
    _, names_valid, _, targets_valid = held_out_split(data, targets)
    LABELS[tuple(names_valid)] = torch.tensor(targets_valid)
    return [common.Case(f"the lesson's {len(names_valid)} held-out names of {len(data)} ({VALID_RATIO:.0%}, "
                        f"stratified, seed {RANDOM_SEED}) in {len(target_names)} languages",
                        (names_valid, target_names),
                        hint='slide "Name2Lang ... (3/7)": try its "Try"s, then what further/rnn_name2lang_further.py '
                             'measures')]


def lesson_numbers(n_valid):
    """The lesson's accuracy and training time: its metrics.json where rnn_name2lang.py ran on these names with its
    seed, else its README's numbers; and where they come from."""
    for folder in dict.fromkeys([common.results_dir('rnn_name2lang'), common.default_out_dir('rnn_name2lang')]):
        path = Path(folder) / 'metrics.json'
        try:
            metrics = json.loads(path.read_text(encoding='utf-8'))
        except (OSError, ValueError):
            continue
        if isinstance(metrics, dict) and metrics.get('seed') == RANDOM_SEED and metrics.get('n_valid') == n_valid:
            machine = f"{metrics.get('device', 'a device not named')}, {metrics.get('machine', 'a machine not named')}"
            return {'accuracy': float(metrics['accuracy']), 'train_seconds': float(metrics['train_seconds']),
                    'machine': machine, 'where': f"your run's training ({path}; {machine})"}
    return LESSON_README


def languages(names, target_names):
    """The answer expected: each held-out name's language (the lesson's targets), and the lesson's numbers."""
    return {'labels': LABELS.get(tuple(names), torch.zeros(0, dtype=torch.long)), 'lesson': lesson_numbers(len(names))}


def model_file(namespace):
    """Where the learner's model is, and where it was looked for. A run of the file: where it saves (its --out-dir),
    else beside the file. A file loaded by a grader or `python exercises.py` (no options): beside it (a grader's
    submission), and for a file of this repository (an exercise, or your copy in my_exercises/), its results folder."""
    file = Path(namespace['__file__']).resolve() if namespace.get('__file__') else None
    beside = [file.parent] if file is not None else []
    if hasattr(namespace.get('args'), 'out_dir'):
        places = [Path(namespace['args'].out_dir)] + beside
    else:
        ours = file is not None and file.is_relative_to(common.REPO_ROOT)
        places = beside + ([common.default_out_dir(SCRIPT)] if ours else [])
    return next((place / MODEL_FILE for place in places if (place / MODEL_FILE).is_file()), None), places


def run(namespace, case):
    """The learner's side: MyBetterRNN loaded from its checkpoint, the language it gives each name sent (a tensor of
    labels, in the order of the names), and the training time its checkpoint says."""
    names, target_names = case.args
    path, places = model_file(namespace)
    if path is None:
        raise NotImplementedError(f'no {MODEL_FILE} in {", ".join(str(place) for place in places)}: run this file '
                                  f'without --check-only (it trains your model and saves it in {places[0]})')
    if not names:  # No names data on the checker's side: nothing to ask the model
        return {'predictions': torch.zeros(0, dtype=torch.long), 'train_seconds': None, 'machine': None}
    model = namespace['MyBetterRNN'](len(LETTER_DICT), len(target_names))
    with common.checkpoint_errors(path, trained_by='this file'):
        checkpoint = torch.load(path, map_location='cpu', weights_only=True)
        model.load_state_dict(checkpoint['model'])
    pairs = [(text2onehot(name), torch.LongTensor([index])) for index, name in enumerate(names)]
    predictions = torch.zeros(len(names), dtype=torch.long)
    model.eval()
    with torch.no_grad():  # Only the languages
        for x, indices in batches_of_one_length(pairs, 1000, shuffle=False):
            predictions[indices] = model(x).argmax(dim=1)
    seconds, machine = checkpoint.get('train_seconds'), checkpoint.get('machine')
    return {'predictions': predictions, 'train_seconds': float(seconds) if isinstance(seconds, (int, float)) else None,
            'machine': machine[:200] if isinstance(machine, str) else None}


def accuracy_of(want, got):
    """(right, accuracy) of the learner's predictions against the held-out languages, or (None, what is wrong)."""
    predictions = got.get('predictions') if isinstance(got, dict) else None
    if not torch.is_tensor(predictions) or predictions.shape != want['labels'].shape:
        return None, f'expected {len(want["labels"])} languages, got {common.exercises.show(predictions)}'
    if not len(want['labels']):
        return None, 'no held-out names to measure on: put the names data where --data-dir or $DL_DATA_DIR says'
    right = int((predictions == want['labels']).sum())
    return right, right / len(want['labels'])


def beats_the_lesson(want, got):
    """None (a pass) when the learner's accuracy is above the lesson's, else what it lacks."""
    right, accuracy = accuracy_of(want, got)
    if right is None:
        return accuracy
    lesson = want['lesson']['accuracy']
    return None if accuracy > lesson else (f'{accuracy:.4f} is not above the lesson\'s {lesson:.4f} yet: change the '
                                           'model or its training, and train again')


def compared(want, got):
    """The line of how the learner's model did, beside the lesson's accuracy and time."""
    right, accuracy = accuracy_of(want, got)
    if right is None:
        return None
    lesson = want['lesson']
    seconds, machine = got.get('train_seconds'), got.get('machine')
    yours = f'trained in {seconds:.1f} s' if seconds is not None else 'training time not saved'
    yours += (' on the same device and machine' if machine == lesson['machine'] else f' ({machine})' if machine
              else '')
    ratio = f', {seconds / lesson["train_seconds"]:.2g}x its time' if seconds is not None else ''
    points = 100 * (accuracy - lesson['accuracy'])
    return (f"yours {accuracy:.4f} ({right} of {len(want['labels'])} right), {yours}; the lesson "
            f"{lesson['accuracy']:.4f} in {lesson['train_seconds']:.1f} s: {points:+.1f} points{ratio} (the lesson's "
            f"numbers: {lesson['where']})")


EXERCISE = common.Exercise(answer='MyBetterRNN', cases=cases, expected=languages, run=run, compare=beats_the_lesson,
                           describe=compared, kind='challenge', show_values=False,
                           reference="the held-out names' languages")

# %% Check your model: run this cell (in a terminal: python 05_rnn_name2lang/exercises/09_beat_name2lang.py)
common.check_exercise('beat_name2lang', globals())
