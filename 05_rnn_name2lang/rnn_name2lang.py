"""Name2Lang classification with a character-level RNN: which language does a name come from?

Slides "Recurrent Neural Network (RNN)", "Long Short-Term Memory (LSTM)", "Gated Recurrent Unit (GRU)"
and "Name2Lang Classification with a Character-level RNN (1/7-7/7)". The data and the idea come from
the PyTorch tutorial https://pytorch.org/tutorials/intermediate/char_rnn_classification_tutorial.

Differences from the slide, on purpose (each is one flag away, see README.md):
- The names are split into training and validation data (stratified, 80/20); the slide measures
  only on the data it trained on, which hides overfitting.
- Many names per optimizer step, padded and packed (`pack_sequence`), instead of one name per step:
  the same model, over 20x faster per epoch (benchmarks/rnn_batching.py). The output used is that of
  each name's last real letter.
- The defaults are a bidirectional GRU trained with Adam and a one-cycle schedule, which reaches about
  0.84 validation accuracy in under 3 minutes on a 2-core CPU. The slide's model is
  `--rnn rnn --hidden 128 --no-bidirectional`.
"""
# %% Imports
import argparse
import shutil
import string
import tempfile
import time
import unicodedata
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
from sklearn import metrics
from sklearn.model_selection import train_test_split
from torch.nn.utils.rnn import pack_sequence
from torch.utils.data import DataLoader
from torchvision.datasets.utils import download_and_extract_archive

from common import (UserError, evaluate, fraction, make_parser, non_negative_float, plot_loss_curves, positive_int,
                    run, save_checkpoint, save_figure, save_json, set_seed, train)

# %% Hyperparameters (the slide's values in the comments where ours differ)
EPOCH_MAX = 15                  # The slide: 20
EPOCH_LOG = 1
BATCH_SIZE = 64                 # The slide: 1 (one name per optimizer step)
LEARN_RATE = 0.005              # The slide: 0.01 (SGD with StepLR); ours is Adam's peak rate in a one-cycle schedule
RNN_TYPE = 'gru'                # The slide: 'rnn' (try 'lstm' and 'gru')
HIDDEN_SIZE = 192               # The slide: 128
NUM_LAYERS = 1
BIDIRECTIONAL = True            # The slide: False (reads each name forward only)
DROPOUT = 0.                    # Between RNN layers (used only with 2 or more layers)
CLASS_WEIGHT = 0.2              # The slide: 0 (no weights); 1 weights each language by 1 / its number of names
LABEL_SMOOTHING = 0.1           # The slide: 0
VALID_RATIO = 0.2               # The slide: 0 (it validates on its training data)
DATA_URL = 'https://download.pytorch.org/tutorial/data.zip'  # Its data/names/ holds the 18 <Language>.txt
LETTER_DICT = string.ascii_letters + " .,;'"  # 52 letters and 5 special characters: 57
TEST_NAMES = ['Choi', 'Jane', 'Daniel', 'Chow', 'Tanaka']
MODEL_FILE = 'rnn_name2lang.pt'
CHECKPOINT_FORMAT = 'rnn_name2lang'


# %% A simple RNN model
# - Try a different RNN unit such LSTM and GRU (`--rnn lstm`, `--rnn gru`)
# - Try less or more hidden units (`--hidden 64`)
# - Try more layers (e.g. 'num_layers=2') and dropout (e.g. 'dropout=0.4') (`--layers 2 --dropout 0.4`)
class MyRNN(nn.Module):
    RNN_UNITS = {'rnn': nn.RNN, 'lstm': nn.LSTM, 'gru': nn.GRU}

    def __init__(self, input_size, output_size, rnn_type='rnn', hidden_size=128, num_layers=1, dropout=0.,
                 bidirectional=False):
        super().__init__()
        self.rnn = self.RNN_UNITS[rnn_type](input_size, hidden_size, num_layers=num_layers, bidirectional=bidirectional,
                                            dropout=dropout if num_layers > 1 else 0.)  # L x N x 57 -> L x N x H
        self.n_directions = 2 if bidirectional else 1
        self.fc = nn.Linear(self.n_directions * hidden_size, output_size)              # N x H -> N x 18

    def forward(self, x):
        # `x`: a tensor (sequence x batch x 57, as on the slide) or a PackedSequence of names of any lengths.
        # The slide takes `output[-1]`, the output at the last time step. With padded names of different
        # lengths, the last step is padding for the shorter ones, so we take the final hidden state of
        # the last layer instead: it is the output at each name's last real letter (the same as
        # `output[-1]` for a tensor, and the RNN never sees the padding of a PackedSequence).
        output, hidden = self.rnn(x)
        if isinstance(hidden, tuple):  # An LSTM returns (h_n, c_n)
            hidden = hidden[0]
        # The last layer's final state (a bidirectional RNN: forward after the last letter, backward after the first)
        x = self.fc(torch.cat(list(hidden[-self.n_directions:]), dim=1))
        return x


# %% The slide's functions
# Convert Unicode to ASCII
# e.g. Ślusàrski to Slusarski
def unicode2ascii(s):
    return ''.join(
        c for c in unicodedata.normalize('NFD', s)
        if unicodedata.category(c) != 'Mn' and c in LETTER_DICT)


def has_letter(text):
    """True when `text` has at least one letter a-z or A-Z (not only spaces and punctuation)."""
    return any(c in string.ascii_letters for c in text)


def clean_name(text):
    """Return `text` folded to ASCII, or raise `UserError` when no letter is left (e.g. '', '...', '李')."""
    name = unicode2ascii(str(text).strip())
    if not has_letter(name):
        raise UserError(f"name {text!r} has no letters A-Z after converting it to ASCII; give a name like 'Choi'")
    return name


# Read raw files which contain names belong to each language
# Note) Each filename is used as its target's name.
def load_name_dataset(files):
    """Return (data, targets, target_names, n_dropped) from the files `<Language>.txt`, one name a line.

    Names left without letters after `unicode2ascii` are dropped and counted in `n_dropped`.
    """
    files = sorted(Path(file) for file in files)
    if not files:
        raise UserError('no name files found: put the 18 <Language>.txt files into <data-dir>/names/')
    data, targets, target_names, n_dropped = [], [], [], 0
    for idx, filename in enumerate(files):
        lang = filename.stem
        names = [unicode2ascii(name) for name in filename.read_text(encoding='utf-8').strip().splitlines()]
        kept = [name for name in names if has_letter(name)]
        if not kept:
            raise UserError(f"'{filename}' holds no names (one name a line is expected)")
        data += kept
        targets += [idx] * len(kept)
        target_names.append(lang)
        n_dropped += len(names) - len(kept)
    return data, targets, target_names, n_dropped


def find_name_files(data_dir):
    """Return the files `<data_dir>/names/*.txt`; when there are none, download them (announced)."""
    names_dir = Path(data_dir) / 'names'
    files = sorted(names_dir.glob('*.txt'))
    if files:
        return files
    print(f'Downloading the names data from {DATA_URL} into {names_dir} ...')
    with tempfile.TemporaryDirectory(dir=data_dir, prefix='.names_download_') as tmp_dir:
        try:
            download_and_extract_archive(DATA_URL, download_root=data_dir, extract_root=tmp_dir)
        except Exception as error:
            raise UserError(f'could not download {DATA_URL} ({type(error).__name__}); offline, put the 18 '
                            f'<Language>.txt files (Arabic.txt ... Vietnamese.txt) into {names_dir}/') from None
        extracted = Path(tmp_dir) / 'data' / 'names'
        if not sorted(extracted.glob('*.txt')):
            raise UserError(f'{DATA_URL} holds no data/names/*.txt; put the 18 <Language>.txt files into {names_dir}/')
        if names_dir.exists():
            names_dir.rmdir()  # Empty (no .txt files): make room for the downloaded folder
        shutil.move(str(extracted), str(names_dir))  # One rename: the folder appears complete or not at all
    return sorted(names_dir.glob('*.txt'))


# Transform the given text to its one-hot encoded tensor
# Note) Tensor size: len(text) x 1 x len(LETTER_DICT)
#                    sequence_length x batch_size x input_size
def text2onehot(text, device='cpu'):
    index = torch.tensor([LETTER_DICT.index(letter) for letter in text], device=device)
    return nn.functional.one_hot(index, len(LETTER_DICT)).float().unsqueeze(1)


def collate_names(batch):
    """Make a batch from a list of (one-hot name, target): a PackedSequence and a tensor of targets.

    `pack_sequence` lines up names of different lengths without padding values that the RNN
    would read; `enforce_sorted=False` sorts them by length inside and restores the order.
    """
    onehots, targets = zip(*batch)
    return pack_sequence([onehot[:, 0] for onehot in onehots], enforce_sorted=False), torch.tensor(targets)


def name_loader(data, targets, batch_size, shuffle=False, generator=None):
    """A DataLoader over names (strings) and their targets that yields (PackedSequence, targets)."""
    dataset = [(text2onehot(name), target) for name, target in zip(data, targets)]
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=generator,
                      collate_fn=collate_names)


def predict_logits(model, batch_data):
    """Return the model's outputs (N x 18 logits, on the CPU) for all batches of `batch_data`."""
    model.eval()           # Notify layers (e.g. Dropout) that it's now testing
    with torch.no_grad():  # No gradients are needed for testing: faster and less memory
        dev = next(model.parameters()).device
        return torch.cat([model(x.to(dev)).cpu() for x, _ in batch_data])


# Predict the best result of the given text
def predict(text, model):
    model.eval()
    with torch.no_grad():
        dev = next(model.parameters()).device
        text_tensor = text2onehot(clean_name(text), dev)  # Convert text to one-hot vectors
        output = model(text_tensor)[0]                     # Get the output of its only name
        lang = torch.argmax(output)                        # Get the best among 18 classes
    return lang.item()


# Predict and report top-k results of the given text
def report_predict(text, model, target_names, n_predict=5):
    name = clean_name(text)
    print(f'* Name: {text}')
    model.eval()
    with torch.no_grad():
        dev = next(model.parameters()).device
        text_tensor = text2onehot(name, dev)
        output = model(text_tensor)[0]
        prob = nn.functional.softmax(output, dim=0)                # Make output as probability
        top_val, top_idx = prob.topk(min(n_predict, len(prob)))  # Get top-k among 18 classes
        for i in range(len(top_val)):
            # The slide's f-string `{...:{<10}:` does not parse; this prints '  1. Korean    : 50.5 %'
            print(f'  {i+1}. {target_names[top_idx[i].item()]:<10}: {top_val[i]*100:4.1f} %')
    return [(target_names[idx.item()], val.item()) for val, idx in zip(top_val, top_idx)]


def class_weights(targets, n_classes, power):
    """Loss weights 1 / (names of the class)^power, scaled to a mean of 1 over the training names.

    power 0: no weights (the slide); 1: every language counts the same; in between: milder.
    """
    counts = np.bincount(targets, minlength=n_classes).clip(min=1)
    weights = counts.astype(np.float64) ** -power
    weights *= len(targets) / (weights[targets].sum())
    return torch.tensor(weights, dtype=torch.float32)


def plot_confusion_matrix(targets, predicts, target_names):
    """The normalized confusion matrix with the language names on both axes.

    The slide sets tick labels before tick positions, which shifts every label by one;
    ConfusionMatrixDisplay puts each name on its own row and column.
    """
    fig, ax = plt.subplots(figsize=(10, 9))
    metrics.ConfusionMatrixDisplay.from_predictions(
        targets, predicts, labels=range(len(target_names)), display_labels=target_names, normalize='true',
        xticks_rotation=90, values_format='.2f', ax=ax, colorbar=True, text_kw={'fontsize': 7})
    ax.set_title('Confusion matrix of the validation names (each row sums to 1)')
    return fig


def make_arg_parser():
    parser = make_parser(__doc__, __file__, training=True, epochs=EPOCH_MAX, batch_size=BATCH_SIZE, lr=LEARN_RATE)
    parser.add_argument('--rnn', choices=sorted(MyRNN.RNN_UNITS), default=RNN_TYPE,
                        help="recurrent unit (the slide: 'rnn')")
    parser.add_argument('--hidden', type=positive_int, default=HIDDEN_SIZE, help='hidden units (the slide: 128)')
    parser.add_argument('--layers', type=positive_int, default=NUM_LAYERS, help='stacked RNN layers')
    parser.add_argument('--dropout', type=fraction, default=DROPOUT,
                        help='dropout between RNN layers (needs --layers 2 or more)')
    parser.add_argument('--bidirectional', action=argparse.BooleanOptionalAction, default=BIDIRECTIONAL,
                        help='read each name forward and backward (the slide: forward only)')
    parser.add_argument('--class-weight', type=non_negative_float, default=CLASS_WEIGHT,
                        help='weight the loss of each language by 1/(its names)^POWER: 0 none (the slide), 1 balanced')
    parser.add_argument('--label-smoothing', type=fraction, default=LABEL_SMOOTHING,
                        help='label smoothing of the cross-entropy loss (the slide: 0)')
    parser.add_argument('--valid-ratio', type=_open_fraction, default=VALID_RATIO,
                        help='fraction of the names held out for validation (stratified by language)')
    parser.add_argument('--top-k', type=positive_int, default=5, help='languages reported for each test name')
    return parser


def _open_fraction(text):
    """argparse type: a number in (0, 1)."""
    value = fraction(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f'must be between 0 and 1, not {text}')
    return value


# %% Main: the slide's steps
def main(argv=None):
    # 0. Preparation
    args = make_arg_parser().parse_args(argv)
    generator = set_seed(args.seed)
    dev = args.device
    print(f'Device: {dev}')
    wall_start = time.time()

    # 1. Load the name2lang dataset and split it into training and validation data
    data, targets, target_names, n_dropped = load_name_dataset(find_name_files(args.data_dir))
    print(f'Names: {len(data)} in {len(target_names)} languages ({n_dropped} dropped: no letters left in ASCII)')
    idx_train, idx_valid = train_test_split(np.arange(len(data)), test_size=args.valid_ratio, random_state=args.seed,
                                            stratify=targets)
    targets = np.array(targets)
    data_train, data_valid = [data[i] for i in idx_train], [data[i] for i in idx_valid]
    targets_train, targets_valid = targets[idx_train], targets[idx_valid]
    loader_train = name_loader(data_train, targets_train, args.batch_size, shuffle=True, generator=generator)
    loader_valid = name_loader(data_valid, targets_valid, batch_size=512)
    print(f'Training names: {len(data_train)}, validation names: {len(data_valid)}')

    # 2. Instantiate a model, loss function, and optimizer
    model = MyRNN(len(LETTER_DICT), len(target_names), rnn_type=args.rnn, hidden_size=args.hidden,
                  num_layers=args.layers, dropout=args.dropout, bidirectional=args.bidirectional).to(dev)
    weight = class_weights(targets_train, len(target_names), args.class_weight).to(dev)
    loss_func = nn.CrossEntropyLoss(weight=weight, label_smoothing=args.label_smoothing)
    # Validation loss: plain cross entropy, comparable between runs (TrLoss includes the weights and smoothing)
    loss_valid = nn.CrossEntropyLoss()
    # Different from the slide's SGD and StepLR, on purpose: Adam with a one-cycle schedule (warm up, then anneal)
    # trains this small RNN well in a few epochs, with a fixed schedule (no epoch chosen on the validation data)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, epochs=args.epochs,
                                                    steps_per_epoch=len(loader_train))  # Stepped every batch

    # 3.1. Train the model
    loss_list = []
    train_seconds = 0.
    start = time.time()
    for epoch in range(1, args.epochs + 1):
        train_start = time.time()
        train_loss = train(model, loader_train, loss_func, optimizer, scheduler, progress=True)
        train_seconds += time.time() - train_start
        valid_loss, valid_accuracy = evaluate(model, loader_valid, loss_valid)

        loss_list.append([epoch, train_loss, valid_loss, valid_accuracy])
        if epoch % EPOCH_LOG == 0:
            elapse = time.time() - start
            print(f'{epoch:>6} ({elapse:>6.2f} sec), TrLoss={train_loss:.6f}, VaLoss={valid_loss:.6f}, '
                  f'VaAcc={valid_accuracy:.3f}')
    elapse = time.time() - start

    # 3.2. Save the trained model with what it needs to be used again
    checkpoint = {
        'format': CHECKPOINT_FORMAT,
        'model': model.state_dict(),
        'letter_dict': LETTER_DICT,
        'target_names': list(target_names),
        'options': {'rnn_type': args.rnn, 'hidden_size': args.hidden, 'num_layers': args.layers,
                    'dropout': args.dropout, 'bidirectional': args.bidirectional},
    }
    model_path = save_checkpoint(checkpoint, args.out_dir / MODEL_FILE)
    print(f'Model saved: {model_path}')

    # 4.1. Visualize the loss curves
    fig = plot_loss_curves(loss_list, f'Training and Validation Losses (time: {elapse:.1f} [sec] @ {dev})')
    save_figure(fig, args.out_dir, 'rnn_name2lang_loss')

    # 4.2. Visualize the confusion matrix (of the validation names, which the model has never seen)
    predicts = predict_logits(model, loader_valid).argmax(dim=1).numpy()
    save_figure(plot_confusion_matrix(targets_valid, predicts, target_names), args.out_dir, 'rnn_name2lang_confusion')
    accuracy = metrics.accuracy_score(targets_valid, predicts)
    balanced_accuracy = metrics.balanced_accuracy_score(targets_valid, predicts)
    per_class = metrics.recall_score(targets_valid, predicts, labels=range(len(target_names)), average=None,
                                     zero_division=0)
    majority = float(np.bincount(targets_valid).max() / len(targets_valid))
    print(f'Validation accuracy: {accuracy:.3f}, balanced accuracy: {balanced_accuracy:.3f} '
          f'(always the largest language: {majority:.3f})')
    for lang, acc, count in zip(target_names, per_class, np.bincount(targets_valid, minlength=len(target_names))):
        print(f'  {lang:<10}: {acc:.3f} ({count} names)')
    save_json({
        'accuracy': accuracy, 'balanced_accuracy': balanced_accuracy,
        'per_class_accuracy': dict(zip(target_names, per_class.tolist())),
        'majority_class_accuracy': majority,
        'epochs': args.epochs, 'train_seconds': train_seconds, 'wall_seconds': time.time() - wall_start,
        'device': str(dev), 'n_train': len(data_train), 'n_valid': len(data_valid), 'n_dropped': n_dropped,
        'options': {'rnn': args.rnn, 'hidden': args.hidden, 'layers': args.layers, 'dropout': args.dropout,
                    'bidirectional': args.bidirectional, 'batch_size': args.batch_size, 'lr': args.lr,
                    'class_weight': args.class_weight, 'label_smoothing': args.label_smoothing, 'valid_ratio': args.valid_ratio, 'seed': args.seed},
    }, args.out_dir / 'metrics.json')
    print(f"Metrics saved: {args.out_dir / 'metrics.json'}")

    # 5. Test your texts
    for name in TEST_NAMES:
        report_predict(name, model, target_names, n_predict=args.top_k)
    return model, target_names


if __name__ == '__main__':
    run(main)
