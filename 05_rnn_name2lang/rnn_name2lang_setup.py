"""What rnn_name2lang.py needs beyond its slides ("Name2Lang Classification with a Character-level RNN"):
its options (with --slide-setting), packed batches of names, the max pooling over the letters of MyRNN's
outputs, class weights, the average of several trained models, the confusion matrix with the language names on
its axes, and the validation metrics it prints and saves.
"""
import argparse
import math
import string

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn import metrics
from torch import nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence, pad_sequence

import common

RNN_CHOICES = ['rnn', 'lstm', 'gru']  # The units of MyRNN.RNN_UNITS
OPTIMIZER_CHOICES = ['sgd', 'adam']
SCHEDULER_CHOICES = ['step', 'onecycle']
POOLING_CHOICES = ['last', 'max']


def has_letter(text):
    """True when `text` has at least one letter a-z or A-Z (not only spaces and punctuation)."""
    return any(c in string.ascii_letters for c in text)


def names_with_letters(names, filename):
    """The names of one file that keep a letter in ASCII; `UserError` when none does (not a file of names)."""
    kept = [name for name in names if has_letter(name)]
    if not kept:
        raise common.UserError(f"'{filename}' holds no names (one name a line is expected)")
    return kept


def open_fraction(text):
    """argparse type: a number in (0, 1), e.g. the fraction of names held out."""
    value = common.fraction(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f'must be between 0 and 1, not {text}')
    return value


def parse_args(description, slide_setting, *, use_slide_setting, seed, epochs, batch_size, lr, optimizer, scheduler,
               rnn, hidden, layers, dropout, bidirectional, pooling, models, class_weight, label_smoothing, valid_ratio,
               top_k):
    """Parse the options of rnn_name2lang.py; the keyword arguments are its constants, the defaults.

    With --slide-setting (or `use_slide_setting=True`), the values of the dict `slide_setting` replace those
    defaults: the slide's model and training. Options given explicitly still win (`--slide-setting --epochs 1`).
    """
    parser = common.make_parser('rnn_name2lang', description, device='auto', seed=seed, out_dir=True,
                                data_dir=True, epochs=epochs, batch_size=batch_size, lr=lr)
    parser.add_argument('--slide-setting', action=argparse.BooleanOptionalAction, default=use_slide_setting,
                        help="train exactly as the slide: nn.RNN(57, 128) forward only, SGD lr 0.01 with StepLR "
                             "(step 5, gamma 0.5), 20 epochs, one name per step, no class weights or smoothing")
    parser.add_argument('--optimizer', choices=OPTIMIZER_CHOICES, default=optimizer,
                        help="optimizer (the slide: 'sgd')")
    parser.add_argument('--scheduler', choices=SCHEDULER_CHOICES, default=scheduler,
                        help="learning-rate schedule: 'step' (StepLR) halves the rate every 5 epochs (the slide), "
                             "'onecycle' warms up, then anneals, stepped every batch")
    parser.add_argument('--rnn', choices=RNN_CHOICES, default=rnn, help="recurrent unit (the slide: 'rnn')")
    parser.add_argument('--hidden', type=common.positive_int, default=hidden, help='hidden units (the slide: 128)')
    parser.add_argument('--layers', type=common.positive_int, default=layers, help='stacked RNN layers')
    parser.add_argument('--dropout', type=common.fraction, default=dropout,
                        help='dropout between RNN layers (needs --layers 2 or more)')
    parser.add_argument('--bidirectional', action=argparse.BooleanOptionalAction, default=bidirectional,
                        help='read each name forward and backward (the slide: forward only)')
    parser.add_argument('--pooling', choices=POOLING_CHOICES, default=pooling,
                        help="what the last layer reads: 'last', the RNN's state after the last letter (the slide), "
                             "or 'max', each unit's largest output over all letters")
    parser.add_argument('--models', type=common.positive_int, default=models,
                        help='MyRNNs trained one after another from the seeds SEED, SEED+1, ...; their probabilities '
                             'are averaged (the slide: 1)')
    parser.add_argument('--class-weight', type=common.non_negative_float, default=class_weight,
                        help='weight the loss of each language by 1/(its names)^POWER: 0 none (the slide), 1 balanced')
    parser.add_argument('--label-smoothing', type=common.fraction, default=label_smoothing,
                        help='label smoothing of the cross-entropy loss (the slide: 0)')
    parser.add_argument('--valid-ratio', type=open_fraction, default=valid_ratio,
                        help='fraction of the names held out for validation (stratified by language)')
    parser.add_argument('--top-k', type=common.positive_int, default=top_k,
                        help='languages reported for each test name')
    args = parser.parse_args()
    if args.slide_setting:
        parser.set_defaults(**slide_setting)
        args = parser.parse_args()  # Again: what was given explicitly overrides the slide's values
    return args


class PackedNames:
    """Mini-batches of names as PackedSequences, with their targets, for `common.train` and `evaluate`.

    The slide feeds one name (length x 1 x 57) per step. Here the one-hot names are padded into one
    N x longest x 57 tensor once, and each batch is cut from it with one index (`common.tensor_loader`)
    and packed: `pack_padded_sequence` lines up names of different lengths, and the RNN never reads the
    padding. With the tensor built once, not for every batch, an epoch of the slide's nn.RNN(57, 128)
    in batches of 128 takes 0.64 s where the slide's loop takes 18.8 s (29x, benchmarks/rnn_batching.py,
    on a 2-core AMD EPYC CPU without AMX).
    """

    def __init__(self, data, batch_size, shuffle=False, generator=None):
        self.batch_size = batch_size
        lengths = torch.tensor([len(onehot) for onehot, _ in data])
        padded = pad_sequence([onehot[:, 0] for onehot, _ in data], batch_first=True)  # N x longest x 57
        targets = torch.tensor([target for _, target in data])
        self.batches = common.tensor_loader(padded, lengths, targets, batch_size=batch_size, shuffle=shuffle,
                                            generator=generator)

    def __len__(self):
        return len(self.batches)

    def __iter__(self):
        for padded, lengths, targets in self.batches:
            names = padded[:, :lengths.max()]  # Only as long as the longest name of the batch
            yield pack_padded_sequence(names, lengths, batch_first=True, enforce_sorted=False), targets


def max_over_letters(output):
    """Each unit's largest output over the letters of each name: length x N x H (or packed) -> N x H.

    A unit that fires on a spelling such as 'sch', 'ij' or 'ova' anywhere in a name passes it on, wherever
    the name ends; the padding of shorter names in a packed batch never wins.
    """
    if isinstance(output, PackedSequence):
        output, _ = pad_packed_sequence(output, padding_value=float('-inf'))  # longest x N x H
    return output.max(dim=0).values


class Ensemble(nn.ModuleList):
    """Several trained models as one: the average of their probabilities, returned as log-probabilities.

    `argmax`, `softmax` and `cross_entropy` read these as they read one model's scores (the softmax of a
    log-probability is that probability). Models trained from different seeds err on different names, and
    their average errs less often (README, "What limits the accuracy").
    """

    def forward(self, x):  # log(mean of the probabilities), computed from log-probabilities: no log(0)
        log_probs = torch.stack([model(x).log_softmax(dim=1) for model in self])
        return log_probs.logsumexp(dim=0) - math.log(len(self))


def average_of(models):
    """One trained model as it is (the slide's MyRNN); several as their `Ensemble`."""
    return models[0] if len(models) == 1 else Ensemble(models)


def name_loader(data, batch_size, shuffle=False, generator=None):
    """Packed mini-batches of the slide's pairs (one-hot name: length x 1 x 57, target): `PackedNames`."""
    return PackedNames(data, batch_size, shuffle, generator)


def class_weights(data, n_classes, power, device='cpu'):
    """Loss weights 1 / (names of the class)^power for the pairs (one-hot name, target) in `data`, scaled to a
    mean of 1 over those names. power 0: no weights, None (the slide); 1: every language counts the same.
    """
    if power == 0:
        return None
    targets = np.array([target for _, target in data])
    counts = np.bincount(targets, minlength=n_classes).clip(min=1)
    weights = counts.astype(np.float64) ** -power
    weights *= len(targets) / (weights[targets].sum())
    return torch.tensor(weights, dtype=torch.float32, device=device)


def plot_confusion_matrix(targets, predicts, target_names):
    """The normalized confusion matrix (slide 5/7, step 4.2) with the language names on both axes.

    The slide sets tick labels before tick positions, which shifts every label by one;
    ConfusionMatrixDisplay puts each name on its own row and column.
    """
    fig, ax = plt.subplots(figsize=(10, 9))
    metrics.ConfusionMatrixDisplay.from_predictions(
        targets, predicts, labels=range(len(target_names)), display_labels=target_names, normalize='true',
        xticks_rotation=90, values_format='.2f', ax=ax, colorbar=True, text_kw={'fontsize': 7})
    ax.set_title('Confusion matrix of the validation names (each row sums to 1)')
    return fig


def report_metrics(targets, predicts, target_names, args, **numbers):
    """Print the validation accuracy (plain, balanced, per language) and save it with `numbers`, the options
    and the machine to `<out_dir>/metrics.json`. Returns the metrics.

    9,408 of the 20,074 names are Russian but 73 Vietnamese: always guessing the largest language
    already scores 0.47, so the balanced accuracy (the mean of the per-language accuracies) is printed too.
    """
    accuracy = metrics.accuracy_score(targets, predicts)
    balanced_accuracy = metrics.balanced_accuracy_score(targets, predicts)
    labels = range(len(target_names))
    per_class = metrics.recall_score(targets, predicts, labels=labels, average=None, zero_division=0)
    counts = np.bincount(targets, minlength=len(target_names))
    majority = float(counts.max() / len(targets))
    print(f'Validation accuracy: {accuracy:.3f}, balanced accuracy: {balanced_accuracy:.3f} '
          f'(always the largest language: {majority:.3f})')
    for lang, acc, count in zip(target_names, per_class, counts):
        print(f'  {lang:<10}: {acc:.3f} ({count} names)')
    options = {key: value for key, value in vars(args).items() if key not in ('device', 'out_dir', 'data_dir')}
    result = {'accuracy': accuracy, 'balanced_accuracy': balanced_accuracy,
              'per_class_accuracy': dict(zip(target_names, per_class.tolist())),
              'majority_class_accuracy': majority, 'n_valid': len(targets), **numbers,
              'device': str(args.device), 'machine': common.describe_machine(), 'options': options}
    path = common.save_json(result, args.out_dir / 'metrics.json')
    print(f'Metrics saved: {path}')
    return result
