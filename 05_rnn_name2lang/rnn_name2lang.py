"""Name2Lang classification with a character-level RNN learns which of 18 languages a name comes from.

Slides "Practice) Name2Lang Classification with a Character-level RNN (1/7)-(7/7)"; its values: --slide-setting."""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import os
import random
import string
import time
import unicodedata

import matplotlib.pyplot as plt
import sklearn.metrics
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split

from common import evaluate, save_checkpoint, save_figure, train

# %% Define hyperparameters (ours; the slide's in SLIDE_SETTING, used with --slide-setting)
EPOCH_MAX = 10                  # The slide: 20
EPOCH_LOG = 1
BATCH_SIZE = 32                 # Names of one length per step (the slide: 1)
OPTIMIZER_PARAM = {'lr': 0.1, 'momentum': 0.9}  # SGD (the slide: lr 0.01, no momentum)
SCHEDULER_PARAM = {'step_size': 5, 'gamma': 0.5}  # StepLR, after each epoch
RNN_TYPE = 'gru'                # Try 'rnn' (the slide), 'lstm' and 'gru'
HIDDEN_SIZE = 128
NUM_LAYERS = 1
DROPOUT = 0.                    # Between RNN layers (with NUM_LAYERS 2 or more)
VALID_RATIO = 0.2               # Names held out (stratified): the slide measures on the names it trained on
RANDOM_SEED = 777
USE_SLIDE_SETTING = False       # True (or --slide-setting): the slide's values below replace ours
SLIDE_SETTING = {'epochs': 20, 'batch_size': 1, 'lr': 0.01, 'momentum': 0., 'rnn_type': 'rnn', 'hidden_size': 128,
                 'num_layers': 1, 'dropout': 0.}
RNN_UNITS = {'rnn': torch.nn.RNN, 'lstm': torch.nn.LSTM, 'gru': torch.nn.GRU}
LETTER_DICT = string.ascii_letters + " .,;'"  # 52 letters and 5 special characters: 57
MODEL_FILE = 'rnn_name2lang.pt'


# %% A simple RNN model
# - Try a different RNN unit such LSTM and GRU
# - Try less or more hidden units
# - Try more layers (e.g. 'num_layers=2') and dropout (e.g. 'dropout=0.4')
class MyRNN(nn.Module):
    def __init__(self, input_size, output_size,
                 rnn_type='rnn', hidden_size=128, num_layers=1, dropout=0.):  # The "Try"s, the slide's by default
        super(MyRNN, self).__init__()
        self.rnn = RNN_UNITS[rnn_type](input_size, hidden_size, num_layers, dropout=dropout)  # Slide: nn.RNN(.., 128)
        self.fc = torch.nn.Linear(hidden_size, output_size)

    def forward(self, x):
        output, hidden = self.rnn(x)
        x = self.fc(output[-1]) # Use the output of the last sequence
        return x


# %% The slide's functions
# Convert Unicode to ASCII
# e.g. Ślusàrski to Slusarski
def unicode2ascii(s):
    return ''.join(
        c for c in unicodedata.normalize('NFD', s)
        if unicodedata.category(c) != 'Mn' and c in LETTER_DICT)


# Read raw files which contain names belong to each language
# Note) Each filename is used as its target's name.
def load_name_dataset(files):
    data = []
    targets = []
    target_names = []
    for idx, filename in enumerate(files):
        lang = os.path.splitext(os.path.basename(filename))[0]
        names = common.read_text(filename).strip().split('\n')  # The slide: open(filename, encoding='utf-8').read()
        names = [name for name in names if unicode2ascii(name).strip(" .,;")]  # Ours: only names with letters in ASCII
        if not names:  # Ours: a file of no names (e.g. empty)
            raise common.UserError(f"'{filename}' holds no names (one name a line is expected)")

        data += [unicode2ascii(name) for name in names]
        targets += [idx] * len(names)
        target_names.append(lang)
    return data, targets, target_names


# Transform the given text to its one-hot encoded tensor
# Note) Tensor size: len(text) x 1 x len(LETTER_DICT)
#           sequence_length x batch_size x input_size
def text2onehot(text, device='cpu'):
    tensor = torch.zeros(len(text), 1, len(LETTER_DICT), device=device)
    for idx, letter in enumerate(text):
        tensor[idx][0][LETTER_DICT.find(letter)] = 1
    return tensor


# Predict the best result of the given text
def predict(text, model):
    model.eval()
    with torch.no_grad():
        dev = next(model.parameters()).device
        text_tensor = text2onehot(text, dev) # Convert text to one-hot vectors
        output = model(text_tensor)[0]      # Get the last output
        lang = torch.argmax(output)        # Get the best among 18 classes
    return lang.item()


# Predict and report top-k results of the given text
def report_predict(text, model, target_names, n_predict=5):
    print(f'* Name: {text}')
    model.eval()
    with torch.no_grad():
        dev = next(model.parameters()).device
        text_tensor = text2onehot(text, dev)
        output = model(text_tensor)[0]
        prob = nn.functional.softmax(output, dim=0) # Make output as probability
        n_predict = min(n_predict, len(prob))       # Ours: at most all languages
        top_val, top_idx = prob.topk(n_predict)     # Get top-k among 18 classes
        for i in range(len(top_val)):
            print(f'  {i+1}. {target_names[top_idx[i].item()]:<10}: '  # Fixed: the slide has ]}:{<10}: here
                  f'{top_val[i]*100:4.1f} %')


# %% Ours: mini-batches of names of one length, L x N x 57: `output[-1]` is the last letter of each, no padding
def batches_of_one_length(data, batch_size, shuffle=True):
    by_length = {}
    for x, y in random.sample(data, len(data)) if shuffle else data:
        by_length.setdefault(len(x), []).append((x, y))
    chunks = [same[i:i + batch_size] for same in by_length.values() for i in range(0, len(same), batch_size)]
    batches = [(torch.cat([x for x, _ in chunk], dim=1), torch.cat([y for _, y in chunk])) for chunk in chunks]
    return random.sample(batches, len(batches)) if shuffle else batches


# %% Steps 0-5 of the slides (`train` and `evaluate` of "Iris Flower Classification - My Style (2/5)": common/)
if __name__ == '__main__':
    # 0. Preparation
    parser = common.make_parser('rnn_name2lang', __doc__, device='auto', seed=RANDOM_SEED, out_dir=True, data_dir=True,
                                epochs=EPOCH_MAX, batch_size=BATCH_SIZE, lr=OPTIMIZER_PARAM['lr'],
                                slide_setting=SLIDE_SETTING, use_slide_setting=USE_SLIDE_SETTING)
    parser.add_argument('--momentum', type=common.fraction, default=OPTIMIZER_PARAM['momentum'], help='SGD momentum')
    parser.add_argument('--rnn-type', choices=RNN_UNITS, default=RNN_TYPE, help='recurrent unit')
    parser.add_argument('--hidden-size', type=common.positive_int, default=HIDDEN_SIZE, help='hidden units')
    parser.add_argument('--num-layers', type=common.positive_int, default=NUM_LAYERS, help='stacked RNN layers')
    parser.add_argument('--dropout', type=common.fraction, default=DROPOUT, help='dropout between RNN layers')
    args = parser.parse_args()  # A notebook: the constants above; --slide-setting: SLIDE_SETTING's (options still win)
    EPOCH_MAX, BATCH_SIZE, RANDOM_SEED, DATA_PATH = args.epochs, args.batch_size, args.seed, args.data_dir
    OPTIMIZER_PARAM = {'lr': args.lr, 'momentum': args.momentum}  # What the options say, in the slide's names
    RNN_TYPE, HIDDEN_SIZE, NUM_LAYERS, DROPOUT = args.rnn_type, args.hidden_size, args.num_layers, args.dropout
    random.seed(RANDOM_SEED)  # For random.shuffle of the slide's step 1
    torch.manual_seed(RANDOM_SEED)
    dev = args.device
    print(f'Device: {dev}')

    # 1. Load the name2lang dataset
    files = common.find_name_files(DATA_PATH)  # The slide: glob.glob(DATA_PATH); also data.zip or a download
    data, targets, target_names = load_name_dataset(files)
    print(f'Names: {len(data)} in {len(target_names)} languages')  # Names: 20074 in 18 languages
    onehot = text2onehot('Choi')  # Slide 2/7: 'Choi' as 4 one-hot vectors of 57
    print(f"text2onehot('Choi'): {list(onehot.shape)}, the 1s at {onehot.argmax(dim=2).flatten().tolist()}")
    # text2onehot('Choi'): [4, 1, 57], the 1s at [28, 7, 14, 8]
    data_train = [(text2onehot(data[i], device=dev), torch.LongTensor(
        [targets[i]]).to(dev)) for i in range(len(data))]
    data_train, data_valid, _, names_valid, _, targets_valid = train_test_split(
        data_train, data, targets, test_size=VALID_RATIO, random_state=RANDOM_SEED, stratify=targets)  # Ours: held out
    random.shuffle(data_train)
    batches_valid = batches_of_one_length(data_valid, 1000, shuffle=False)
    print(f'Training names: {len(data_train)}, validation names: {len(data_valid)}')
    # Training names: 16059, validation names: 4015

    # 2. Instantiate a model, loss function, and optimizer
    model = MyRNN(len(LETTER_DICT), len(target_names), RNN_TYPE, HIDDEN_SIZE, NUM_LAYERS, DROPOUT)
    model = model.to(dev)
    loss_func = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), **OPTIMIZER_PARAM)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, **SCHEDULER_PARAM)

    # 3.1. Train the model
    loss_list = []
    start = time.time()
    for epoch in range(1, EPOCH_MAX + 1):
        batches_train = batches_of_one_length(data_train, BATCH_SIZE)  # New ones every epoch
        train_loss = train(model, batches_train, loss_func, optimizer, progress=True)
        scheduler.step()
        valid_loss, valid_accuracy = evaluate(model, batches_valid, loss_func)

        loss_list.append([epoch, train_loss, valid_loss, valid_accuracy])
        if epoch % EPOCH_LOG == 0:
            elapse = time.time() - start
            print(f'{epoch:>6} ({elapse:>6.2f} sec), TrLoss={train_loss:.6f}, VaLoss={valid_loss:.6f}, '
                  f'VaAcc={valid_accuracy:.3f}')
    elapse = time.time() - start

    # 3.2. Save the trained model if necessary (with what rnn_name2lang_load.py needs to use it again)
    options = {'rnn_type': RNN_TYPE, 'hidden_size': HIDDEN_SIZE, 'num_layers': NUM_LAYERS, 'dropout': DROPOUT}
    checkpoint = {'format': 'rnn_name2lang', 'model': model.state_dict(), 'letter_dict': LETTER_DICT,
                  'target_names': target_names, 'options': options}
    print(f'Model saved: {save_checkpoint(checkpoint, args.out_dir / MODEL_FILE)}')

    # 4.1. Visualize the loss curves
    fig = common.plot_loss_curves(loss_list, f'Training and Validation Losses (time: {elapse:.1f} [sec] @ {dev})')
    save_figure(fig, args.out_dir, 'rnn_name2lang_loss')

    # 4.2. Visualize the confusion matrix (of the held-out names; the slide: of all names)
    predicts = [predict(datum, model) for datum in names_valid]
    conf_mat = sklearn.metrics.confusion_matrix(targets_valid, predicts, normalize='true')
    fig = plt.figure(figsize=(8, 8))
    plt.imshow(conf_mat)
    plt.xlabel('Predicted label')
    plt.ylabel('True label')
    plt.gca().set_xticks(range(len(target_names)))  # A tick per language, then its label (the slide sets its
    plt.gca().set_yticks(range(len(target_names)))  # labels [''] + target_names before its MultipleLocator(1)s:
    plt.gca().set_xticklabels(target_names, rotation=90)  # shifted by one where the first tick is not at -1)
    plt.gca().set_yticklabels(target_names)
    save_figure(fig, args.out_dir, 'rnn_name2lang_confusion')  # The slide: plt.show()
    accuracy = sklearn.metrics.accuracy_score(targets_valid, predicts)
    balanced_accuracy = sklearn.metrics.balanced_accuracy_score(targets_valid, predicts)  # Each language the same
    print(f'Validation accuracy: {accuracy:.4f}, balanced accuracy: {balanced_accuracy:.4f}')
    common.save_json({'accuracy': accuracy, 'train_seconds': elapse, 'seed': RANDOM_SEED, 'n_valid': len(names_valid),
                      'device': str(dev), 'machine': common.describe_machine()}, args.out_dir / 'metrics.json')  # Ours

    # 5. Test your texts
    report_predict('Choi', model, target_names)
    report_predict('Jane', model, target_names)
    report_predict('Daniel', model, target_names)
    report_predict('Chow', model, target_names)
    report_predict('Tanaka', model, target_names)
