"""Name2Lang classification with a character-level RNN learns which of 18 languages a name comes from.

Slides "Recurrent Neural Network (RNN)", "LSTM", "GRU" and "Practice) Name2Lang Classification with a
Character-level RNN (1/7)-(7/7)". The slide's model and training: `--slide-setting`. In both settings, a stratified
20 % of the names is held out for validation (the slide measures on the names it trained on: that hides overfitting).
Our defaults, what they reach: README.md. In a notebook, `model`, `loss_list`, `data`, `targets`, `target_names` stay.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)")  # noqa: E501

# %% Imports
import string
import time
import unicodedata
from pathlib import Path

import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split

from common import UserError, evaluate, save_checkpoint, save_figure, set_seed, train

common.add_to_path('05_rnn_name2lang')  # Modules beside this script, from any folder (VS Code, Colab)
import rnn_name2lang_setup as setup  # noqa: E402

# %% Define hyperparameters (ours; SLIDE_SETTING holds the slide's, used with --slide-setting)
EPOCH_MAX = 8
EPOCH_LOG = 1
BATCH_SIZE = 128                # Names per optimizer step
OPTIMIZER = 'adam'              # 'sgd' or 'adam'
LEARN_RATE = 0.008              # With 'onecycle': the peak rate
SCHEDULER = 'onecycle'          # 'step' (SCHEDULER_PARAM, after each epoch) or 'onecycle' (after each batch)
SCHEDULER_PARAM = {'step_size': 5, 'gamma': 0.5}
RNN_TYPE = 'gru'                # Try 'rnn', 'lstm' and 'gru'
HIDDEN_SIZE = 192
NUM_LAYERS = 1
DROPOUT = 0.                    # Between RNN layers (with 2 or more layers)
BIDIRECTIONAL = True            # Read each name forward and backward
POOLING = 'max'                 # Classify from 'last' (the slide: the state after the last letter) or 'max'
N_MODELS = 1                    # Try 3: MyRNNs from the seeds RANDOM_SEED, +1, +2, their probabilities averaged
CLASS_WEIGHT = 0.3              # Weight each language by 1 / (its names)^0.3: 0 none, 1 balanced
LABEL_SMOOTHING = 0.1
VALID_RATIO = 0.2               # Names held out for validation, in both settings
RANDOM_SEED = 777
TOP_K = 5
USE_SLIDE_SETTING = False       # True (or --slide-setting): SLIDE_SETTING replaces the values above
SLIDE_SETTING = {'epochs': 20, 'batch_size': 1, 'optimizer': 'sgd', 'lr': 0.01, 'scheduler': 'step', 'rnn': 'rnn',
                 'hidden': 128, 'layers': 1, 'bidirectional': False, 'pooling': 'last', 'models': 1, 'class_weight': 0.,
                 'label_smoothing': 0.}
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
                 bidirectional=False, pooling='last'):
        super().__init__()
        self.pooling = pooling
        self.rnn = self.RNN_UNITS[rnn_type](input_size, hidden_size, num_layers=num_layers, bidirectional=bidirectional,
                                            dropout=dropout if num_layers > 1 else 0.)  # L x N x 57 -> L x N x H
        self.n_directions = 2 if bidirectional else 1
        self.fc = nn.Linear(self.n_directions * hidden_size, output_size)              # N x H -> N x 18

    def forward(self, x):
        output, hidden = self.rnn(x)  # `x`: length x N x 57 (the slide) or packed names of different lengths
        if self.pooling == 'max':  # Ours: each unit's largest output over all letters of the name
            return self.fc(setup.max_over_letters(output))
        # 'last': not the slide's `output[-1]`, padding for the shorter names of a batch, but each name's last state
        hidden = hidden[0] if isinstance(hidden, tuple) else hidden  # An LSTM returns (h_n, c_n)
        return self.fc(torch.cat(list(hidden[-self.n_directions:]), dim=1))


# %% The slide's functions
# Convert Unicode to ASCII
# e.g. Ślusàrski to Slusarski
def unicode2ascii(s):
    return ''.join(
        c for c in unicodedata.normalize('NFD', s)
        if unicodedata.category(c) != 'Mn' and c in LETTER_DICT)


def clean_name(text):  # `text` in ASCII; a name left with no letter (e.g. '', '...', '李') is an error
    name = unicode2ascii(str(text).strip())
    if not setup.has_letter(name):
        raise UserError(f"name {text!r} has no letters A-Z after converting it to ASCII; give a name like 'Choi'")
    return name


# Read raw files which contain names belong to each language
# Note) Each filename is used as its target's name.
def load_name_dataset(files):
    data, targets, target_names, n_dropped = [], [], [], 0
    for idx, filename in enumerate(sorted(files)):
        names = [unicode2ascii(name) for name in common.read_text(filename).strip().splitlines()]  # Or Latin-1
        kept = setup.names_with_letters(names, filename)  # Names left with no letter are dropped
        data += kept
        targets += [idx] * len(kept)
        target_names.append(Path(filename).stem)  # The language
        n_dropped += len(names) - len(kept)
    return data, targets, target_names, n_dropped


# Transform the given text to its one-hot encoded tensor
# Note) Tensor size: len(text) x 1 x len(LETTER_DICT)
#                    sequence_length x batch_size x input_size
def text2onehot(text, device='cpu'):
    index = torch.tensor([LETTER_DICT.index(letter) for letter in text], device=device)
    return nn.functional.one_hot(index, len(LETTER_DICT)).float().unsqueeze(1)


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


# %% Steps 0-5 of the slides
if __name__ == '__main__':
    # 0. Preparation
    args = setup.parse_args(__doc__, SLIDE_SETTING, use_slide_setting=USE_SLIDE_SETTING, seed=RANDOM_SEED,
                            epochs=EPOCH_MAX, batch_size=BATCH_SIZE, lr=LEARN_RATE, optimizer=OPTIMIZER,
                            scheduler=SCHEDULER, rnn=RNN_TYPE, hidden=HIDDEN_SIZE, layers=NUM_LAYERS, dropout=DROPOUT,
                            bidirectional=BIDIRECTIONAL, pooling=POOLING, models=N_MODELS, class_weight=CLASS_WEIGHT,
                            label_smoothing=LABEL_SMOOTHING, valid_ratio=VALID_RATIO, top_k=TOP_K)  # setup module
    dev = args.device
    print(f'Device: {dev}')

    # 1. Load the name2lang dataset (common.find_name_files: names/, data.zip or a download)
    data, targets, target_names, n_dropped = load_name_dataset(common.find_name_files(args.data_dir))
    print(f'Names: {len(data)} in {len(target_names)} languages ({n_dropped} dropped: no letters left in ASCII)')
    # Names: 20074 in 18 languages (0 dropped: no letters left in ASCII)
    onehot = text2onehot('Choi')  # Slides 1/7-2/7: 'Choi' as 4 one-hot vectors of 57
    print(f"text2onehot('Choi'): {list(onehot.shape)}, the 1s at {onehot.argmax(dim=2).flatten().tolist()}")
    # text2onehot('Choi'): [4, 1, 57], the 1s at [28, 7, 14, 8]  ('C', 'h', 'o', 'i')
    idx_train, idx_valid = train_test_split(range(len(data)), test_size=args.valid_ratio, random_state=args.seed,
                                            stratify=targets)  # Held out: the slide trains on all names
    data_train = [(text2onehot(data[i]), targets[i]) for i in idx_train]
    data_valid = [(text2onehot(data[i]), targets[i]) for i in idx_valid]
    loader_valid = setup.name_loader(data_valid, batch_size=512)  # Packed names (rnn_name2lang_setup.py)
    print(f'Training names: {len(data_train)}, validation names: {len(data_valid)}')
    # Training names: 16059, validation names: 4015

    # 2. Instantiate a model, loss function, and optimizer (with --models 3: three of them, one after another)
    weight = setup.class_weights(data_train, len(target_names), args.class_weight, dev)  # Or None (rnn_name2lang_setup.py)
    loss_func = nn.CrossEntropyLoss(weight=weight, label_smoothing=args.label_smoothing)
    options = {'rnn_type': args.rnn, 'hidden_size': args.hidden, 'num_layers': args.layers, 'dropout': args.dropout,
               'bidirectional': args.bidirectional, 'pooling': args.pooling}  # MyRNN's, saved with the model
    models, loss_list = [], []
    start = time.time()
    for seed in range(args.seed, args.seed + args.models):  # The slide: one model
        generator = set_seed(seed)  # Each model from its own initial weights and order of names
        loader_train = setup.name_loader(data_train, args.batch_size, True, generator)  # Packed names
        model = MyRNN(len(LETTER_DICT), len(target_names), **options).to(dev)
        if args.optimizer == 'sgd':  # The slide's
            optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
        else:
            optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
        if args.scheduler == 'step':  # The slide's: stepped after each epoch
            scheduler = torch.optim.lr_scheduler.StepLR(optimizer, **SCHEDULER_PARAM)
        else:  # Warm up, then anneal: stepped after each batch
            scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, epochs=args.epochs,
                                                            steps_per_epoch=len(loader_train))

        # 3.1. Train the model
        print(f'Model {len(models) + 1} of {args.models} (seed {seed})')
        for epoch in range(1, args.epochs + 1):
            train_loss = train(model, loader_train, loss_func, optimizer,
                               scheduler if args.scheduler == 'onecycle' else None, progress=True)
            if args.scheduler == 'step':
                scheduler.step()
            valid_loss, valid_accuracy = evaluate(model, loader_valid, nn.functional.cross_entropy)  # Unweighted

            loss_list.append([len(loss_list) + 1, train_loss, valid_loss, valid_accuracy])  # Epochs of all models
            if epoch % EPOCH_LOG == 0:
                elapse = time.time() - start
                print(f'{epoch:>6} ({elapse:>6.2f} sec), TrLoss={train_loss:.6f}, VaLoss={valid_loss:.6f}, '
                      f'VaAcc={valid_accuracy:.3f}')
                #      8 ( 40.50 sec), TrLoss=1.292695, VaLoss=0.662599, VaAcc=0.850  (TrLoss: weighted, smoothed)
        models.append(model)
    elapse = time.time() - start
    model = setup.average_of(models)  # Several models: the average of their probabilities

    # 3.2. Save the trained model with what rnn_name2lang_load.py needs to use it again
    checkpoint = {'format': CHECKPOINT_FORMAT, 'model': model.state_dict(), 'letter_dict': LETTER_DICT,
                  'target_names': target_names, 'options': options, 'n_models': args.models}
    print(f'Model saved: {save_checkpoint(checkpoint, args.out_dir / MODEL_FILE)}')

    # 4.1. Visualize the loss curves
    fig = common.plot_loss_curves(loss_list, f'Training and Validation Losses (time: {elapse:.1f} [sec] @ {dev})')
    save_figure(fig, args.out_dir, 'rnn_name2lang_loss')

    # 4.2. Visualize the confusion matrix (of the validation names, which the model has never seen)
    targets_valid = [targets[i] for i in idx_valid]
    predicts = [predict(data[i], model) for i in idx_valid]
    fig = setup.plot_confusion_matrix(targets_valid, predicts, target_names)  # Names on the axes (rnn_name2lang_setup.py)
    save_figure(fig, args.out_dir, 'rnn_name2lang_confusion')
    setup.report_metrics(targets_valid, predicts, target_names, args, train_seconds=elapse, n_train=len(data_train),
                         n_dropped=n_dropped)  # Accuracy per language and metrics.json (rnn_name2lang_setup.py)

    # 5. Test your texts (top 1: the slide's, then ours with the defaults)
    report_predict('Choi', model, target_names, args.top_k)    # 1. Korean    : 50.5 %  (Korean   : 57.5 %)
    report_predict('Jane', model, target_names, args.top_k)    # 1. English   : 62.4 %  (English  : 38.6 %)
    report_predict('Daniel', model, target_names, args.top_k)  # 1. English   : 48.4 %  (Czech    : 25.9 %)
    report_predict('Chow', model, target_names, args.top_k)    # 1. Korean    : 69.8 %  (Korean   : 32.0 %)
    report_predict('Tanaka', model, target_names, args.top_k)  # 1. Japanese  : 84.4 %  (Japanese : 88.9 %)
