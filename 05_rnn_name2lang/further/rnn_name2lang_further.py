"""Training Name2Lang better: the best recipe we found for a few minutes of a 2-core CPU, and an ablation of its parts.

Beyond the slides "Practice) Name2Lang Classification with a Character-level RNN (1/7)-(7/7)": the lesson's data,
functions and MyRNN (rnn_name2lang.py), extended here by a bidirectional GRU whose outputs are max-pooled over the
letters, class weights, label smoothing, Adam with a one-cycle schedule, and the average of several models.
`--ablation` goes from the lesson's batched RNN to this recipe one change at a time (a table and a bar chart).
What each part buys, measured: README.md. In a notebook, `model`, `results` and `target_names` stay.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import argparse
import math
import random
import time

import matplotlib.pyplot as plt
import numpy as np
import sklearn.metrics
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split
from torch.nn.utils.rnn import PackedSequence, pack_sequence, pad_packed_sequence

from common import evaluate, save_checkpoint, save_figure, save_json, set_seed, train

common.add_to_path('05_rnn_name2lang')  # The lesson script one folder up, from any folder (VS Code, Colab)
from rnn_name2lang import (
    LETTER_DICT,
    RANDOM_SEED,
    RNN_UNITS,
    VALID_RATIO,
    MyRNN,
    load_name_dataset,
    report_predict,
    text2onehot,
)

# %% Define hyperparameters (the best recipe we found for about 2 minutes; README.md)
EPOCH_MAX = 8
EPOCH_LOG = 1
BATCH_SIZE = 128               # Names of any length per step, packed (the lesson: of one length)
LEARN_RATE = 0.008             # Adam, the peak of the one-cycle schedule (stepped after each batch)
RNN_TYPE = 'gru'
HIDDEN_SIZE = 192
NUM_LAYERS = 1
DROPOUT = 0.
BIDIRECTIONAL = True           # Read each name forward and backward
POOLING = 'max'                # 'last': the lesson's output after the last letter; 'max': each unit's largest output
CLASS_WEIGHT = 0.325           # Weight each language by 1 / (its names)^0.325: 0 none, 1 balanced
LABEL_SMOOTHING = 0.1
N_MODELS = 5                   # Models from the seeds SEED, SEED+1, ..., their probabilities averaged
TEST_NAMES = ['Choi', 'Jane', 'Daniel', 'Chow', 'Tanaka']
MODEL_FILE = 'rnn_name2lang_further.pt'
CHECKPOINT_FORMAT = 'rnn_name2lang_further'
# --ablation: from the lesson's RNN (nn.RNN(57, 128), the output after the last letter) to the recipe above
ABLATION = [('RNN (the lesson)', {'rnn_type': 'rnn', 'hidden_size': 128, 'bidirectional': False, 'pooling': 'last',
                             'class_weight': 0., 'label_smoothing': 0., 'models': 1}),
            ('+ GRU (192 units)', {'rnn_type': RNN_TYPE, 'hidden_size': HIDDEN_SIZE}),
            ('+ bidirectional', {'bidirectional': True}),
            ('+ max pooling', {'pooling': 'max'}),
            ('+ class weights', {'class_weight': CLASS_WEIGHT}),
            ('+ label smoothing', {'label_smoothing': LABEL_SMOOTHING}),
            (f'+ {N_MODELS} models averaged', {'models': N_MODELS})]


# %% The lesson's MyRNN, extended (the lesson's class stays the slide's)
class MyRNNFurther(MyRNN):
    """MyRNN that may read each name both ways (`bidirectional`) and classify from each unit's largest output over
    the letters (`pooling='max'`) instead of the output after the last letter (`'last'`, the slide's)."""

    def __init__(self, input_size, output_size, rnn_type='rnn', hidden_size=128, num_layers=1, dropout=0.,
                 bidirectional=False, pooling='last'):
        super().__init__(input_size, output_size, rnn_type, hidden_size, num_layers, dropout)
        self.pooling = pooling
        if bidirectional:  # Both directions side by side: 2 x hidden_size outputs per letter
            self.rnn = RNN_UNITS[rnn_type](input_size, hidden_size, num_layers, dropout=dropout, bidirectional=True)
            self.fc = nn.Linear(2 * hidden_size, output_size)

    def forward(self, x):  # `x`: L x N x 57 (the lesson's) or a PackedSequence of names of any length
        output, hidden = self.rnn(x)
        if self.pooling == 'max':  # A unit that fires on 'sch', 'ij' or 'ova' anywhere in the name passes it on
            if isinstance(output, PackedSequence):  # longest x N x H; the padding of shorter names never wins
                output, _ = pad_packed_sequence(output, padding_value=float('-inf'))
            return self.fc(output.max(dim=0).values)
        # 'last': each name's state after its last letter (the lesson's output[-1]); bidirectional: the backward
        # direction's after the first letter beside it. An LSTM returns (h_n, c_n).
        hidden = hidden[0] if isinstance(hidden, tuple) else hidden
        return self.fc(torch.cat(list(hidden[-2:] if self.rnn.bidirectional else hidden[-1:]), dim=1))


class PackedNames:
    """Mini-batches of the lesson's (one-hot name, target) pairs, names of any length packed in one PackedSequence.

    The lesson's batches hold names of one length. Mixing the lengths in each batch, as here, trains this recipe
    better (README.md: 0.824 where packed batches reach 0.85 with one model); the RNN never reads the padding.
    A new random order every epoch when `shuffle`.
    """

    def __init__(self, data, batch_size, shuffle=False):
        self.data, self.batch_size, self.shuffle = data, batch_size, shuffle

    def __len__(self):
        return math.ceil(len(self.data) / self.batch_size)

    def __iter__(self):
        order = random.sample(range(len(self.data)), len(self.data)) if self.shuffle else range(len(self.data))
        for start in range(0, len(self.data), self.batch_size):
            pairs = [self.data[i] for i in order[start:start + self.batch_size]]
            yield (pack_sequence([x[:, 0] for x, _ in pairs], enforce_sorted=False),
                   torch.cat([y for _, y in pairs]))


class Average(nn.ModuleList):
    """Several trained models as one: the average of their probabilities, as log-probabilities (no log(0)).

    `argmax`, `softmax` and `cross_entropy` read these as they read one model's scores, so the lesson's
    `predict`, `report_predict` and `evaluate` work on it unchanged.
    """

    def forward(self, x):
        log_probs = torch.stack([model(x).log_softmax(dim=1) for model in self])
        return log_probs.logsumexp(dim=0) - math.log(len(self))


def average_of(models):
    """One trained model as it is; several as their `Average`."""
    return models[0] if len(models) == 1 else Average(models)


def device_for_further(device):
    """`device`, or the CPU where it is Apple's MPS: there packed sequences crash or lose their gradients
    (pytorch/pytorch#102911) and a GRU answers NaN (#94691), so this script's models train and predict on the CPU,
    said in one line. The lesson's RNN (rnn_name2lang.py: batches of one length, nothing packed) keeps MPS."""
    if device.type != 'mps':
        return device
    print('MPS: packed names and GRUs crash or give NaN there (pytorch/pytorch#102911, #94691): using the CPU')
    return torch.device('cpu')


def class_weights(targets, n_classes, power, device='cpu'):
    """Loss weights 1 / (names of the language)^power, with a mean of 1 over the names; power 0: None (no weights)."""
    if power == 0:
        return None
    counts = np.bincount(targets, minlength=n_classes).clip(min=1)
    weights = counts.astype(np.float64) ** -power
    weights *= len(targets) / weights[targets].sum()
    return torch.tensor(weights, dtype=torch.float32, device=device)


def model_options(recipe):
    """The keyword arguments of MyRNNFurther in `recipe` (saved with the model)."""
    keys = ['rnn_type', 'hidden_size', 'num_layers', 'dropout', 'bidirectional', 'pooling']
    return {key: recipe[key] for key in keys}


def train_recipe(recipe, data_train, batches_valid, n_classes, seed, dev):
    """Train recipe['models'] models from the seeds seed, seed+1, ...; return (model or Average, loss_list, seconds)."""
    targets_train = np.array([y.item() for _, y in data_train])
    weight = class_weights(targets_train, n_classes, recipe['class_weight'], dev)
    loss_func = nn.CrossEntropyLoss(weight=weight, label_smoothing=recipe['label_smoothing'])
    models, loss_list = [], []
    start = time.time()
    for model_seed in range(seed, seed + recipe['models']):
        set_seed(model_seed)  # Each model from its own initial weights and order of names
        print(f"Model {len(models) + 1} of {recipe['models']} (seed {model_seed})")
        model = MyRNNFurther(len(LETTER_DICT), n_classes, **model_options(recipe)).to(dev)
        optimizer = torch.optim.Adam(model.parameters(), lr=recipe['lr'])
        batches_train = PackedNames(data_train, recipe['batch_size'], shuffle=True)
        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=recipe['lr'], epochs=recipe['epochs'],
                                                        steps_per_epoch=len(batches_train))
        for epoch in range(1, recipe['epochs'] + 1):
            train_loss = train(model, batches_train, loss_func, optimizer, scheduler, progress=True)
            valid_loss, valid_accuracy = evaluate(model, batches_valid, nn.functional.cross_entropy)  # Unweighted

            loss_list.append([len(loss_list) + 1, train_loss, valid_loss, valid_accuracy])
            if epoch % EPOCH_LOG == 0:
                elapse = time.time() - start
                print(f'{epoch:>6} ({elapse:>6.2f} sec), TrLoss={train_loss:.6f}, VaLoss={valid_loss:.6f}, '
                      f'VaAcc={valid_accuracy:.3f}')
        models.append(model)
    return average_of(models), loss_list, time.time() - start


def held_out_accuracy(model, batches_valid):
    """(accuracy, balanced accuracy) of `model` on the held-out batches: balanced, each language counts the same."""
    model.eval()
    with torch.no_grad():
        dev = next(model.parameters()).device
        predicts = torch.cat([model(x.to(dev)).argmax(dim=1).cpu() for x, _ in batches_valid])
    targets = torch.cat([y.cpu() for _, y in batches_valid])
    return (sklearn.metrics.accuracy_score(targets, predicts),
            sklearn.metrics.balanced_accuracy_score(targets, predicts))


# %% Load the names as the lesson does, then train the recipe (or every row of the ablation)
if __name__ == '__main__':
    # 0. Preparation: the recipe's options
    parser = common.make_parser('rnn_name2lang_further', __doc__, device='auto', seed=RANDOM_SEED, out_dir=True,
                                data_dir=True, epochs=EPOCH_MAX, batch_size=BATCH_SIZE, lr=LEARN_RATE)
    parser.add_argument('--rnn-type', choices=RNN_UNITS, default=RNN_TYPE, help='recurrent unit')
    parser.add_argument('--hidden-size', type=common.positive_int, default=HIDDEN_SIZE, help='hidden units')
    parser.add_argument('--num-layers', type=common.positive_int, default=NUM_LAYERS, help='stacked RNN layers')
    parser.add_argument('--dropout', type=common.fraction, default=DROPOUT, help='dropout between RNN layers')
    parser.add_argument('--bidirectional', action=argparse.BooleanOptionalAction, default=BIDIRECTIONAL,
                        help='read each name forward and backward')
    parser.add_argument('--pooling', choices=['last', 'max'], default=POOLING,
                        help="what the last layer reads: 'last', the output after the last letter (the lesson's), "
                             "or 'max', each unit's largest output over all letters")
    parser.add_argument('--class-weight', type=common.non_negative_float, default=CLASS_WEIGHT,
                        help='weight the loss of each language by 1/(its names)^POWER: 0 none, 1 balanced')
    parser.add_argument('--label-smoothing', type=common.fraction, default=LABEL_SMOOTHING,
                        help='label smoothing of the cross-entropy loss')
    parser.add_argument('--models', type=common.positive_int, default=N_MODELS,
                        help='models trained from the seeds SEED, SEED+1, ...; their probabilities are averaged')
    parser.add_argument('--ablation', action='store_true',
                        help='train every step from the batched RNN to this recipe, one change at a time; '
                             'print a table and save a bar chart')
    args = parser.parse_args()
    dev = device_for_further(args.device)
    print(f'Device: {dev}')

    # 1. The lesson's names, one-hot tensors and held-out split (the same names as rnn_name2lang.py)
    data, targets, target_names = load_name_dataset(common.find_name_files(args.data_dir))
    print(f'Names: {len(data)} in {len(target_names)} languages')
    data_train = [(text2onehot(name), torch.LongTensor([target])) for name, target in zip(data, targets)]
    data_train, data_valid = train_test_split(data_train, test_size=VALID_RATIO, random_state=args.seed,
                                              stratify=targets)
    batches_valid = PackedNames(data_valid, 1000)
    print(f'Training names: {len(data_train)}, validation names: {len(data_valid)}')

    # 2. Train: the recipe, or each row of the ablation
    recipe = vars(args)
    rows = [(label, changes) for label, changes in ABLATION] if args.ablation else [('recipe', {})]
    results = []
    for label, changes in rows:
        recipe = {**recipe, **changes}
        print(f'== {label}: {model_options(recipe)}, class weight {recipe["class_weight"]}, '
              f'label smoothing {recipe["label_smoothing"]}, models {recipe["models"]}')
        model, loss_list, seconds = train_recipe(recipe, data_train, batches_valid, len(target_names), args.seed, dev)
        accuracy, balanced_accuracy = held_out_accuracy(model, batches_valid)
        print(f'Validation accuracy: {accuracy:.4f}, balanced accuracy: {balanced_accuracy:.4f} ({seconds:.1f} sec)')
        results.append({'label': label, 'accuracy': accuracy, 'balanced_accuracy': balanced_accuracy,
                        'train_seconds': seconds, 'options': model_options(recipe), 'models': recipe['models']})

    # 3. Save the last model (the recipe's), its numbers and the figures
    checkpoint = {'format': CHECKPOINT_FORMAT, 'model': model.state_dict(), 'letter_dict': LETTER_DICT,
                  'target_names': target_names, 'options': model_options(recipe), 'n_models': recipe['models']}
    print(f'Model saved: {save_checkpoint(checkpoint, args.out_dir / MODEL_FILE)}')
    save_json({'results': results, 'device': str(dev), 'machine': common.describe_machine(),
               'options': {key: value for key, value in recipe.items()
                           if key not in ('device', 'out_dir', 'data_dir')}}, args.out_dir / 'metrics.json')
    fig = common.plot_loss_curves(loss_list, f'Training and Validation Losses ({recipe["models"]} models, '
                                             f'time: {seconds:.1f} [sec] @ {dev})')
    save_figure(fig, args.out_dir, 'rnn_name2lang_further_loss')
    if args.ablation:
        print(f'\n{"step":<22} {"accuracy":>9} {"balanced":>9} {"seconds":>8}')
        for result in results:
            print(f"{result['label']:<22} {result['accuracy']:>9.4f} {result['balanced_accuracy']:>9.4f} "
                  f"{result['train_seconds']:>8.1f}")
        fig, ax = plt.subplots(figsize=(10, 4.5))
        positions = np.arange(len(results))
        ax.bar(positions - 0.2, [r['accuracy'] for r in results], 0.4, label='accuracy')
        ax.bar(positions + 0.2, [r['balanced_accuracy'] for r in results], 0.4, label='balanced accuracy')
        ax.set_xticks(positions)
        ax.set_xticklabels([f"{r['label']}\n{r['train_seconds']:.0f} s" for r in results], fontsize=8)
        ax.set_ylim(0.3, 1)
        ax.set_ylabel('Held-out accuracy')
        ax.set_title('From the batched RNN to the recipe, one change at a time')
        ax.grid(axis='y')
        ax.legend()
        save_figure(fig, args.out_dir, 'rnn_name2lang_ablation')

    # 4. Test your texts, as the lesson does
    for name in TEST_NAMES:
        report_predict(name, model, target_names)
