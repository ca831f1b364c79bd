"""Benchmark: one epoch of the slide's name-by-name loop vs. the lesson's batches of names of one length.

Slide "Name2Lang Classification with a Character-level RNN (5/7)" trains the slide's model
`nn.RNN(57, 128)` with one one-hot name per optimizer step. `rnn_name2lang.py` feeds many names of one
length per step (`batches_of_one_length`: L x N x 57, so `output[-1]` stays each name's last letter).
Both loops train the same model over the same training names for one epoch, side by side in one run;
this prints the seconds of each and their ratio. Measured: 05_rnn_name2lang/README.md.

    python benchmarks/rnn_batching.py --data-dir ../shared/data
"""
# %% Imports
import random
import time

import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split

import common
from common import make_parser, set_seed, train

common.add_to_path('05_rnn_name2lang')
import rnn_name2lang as name2lang  # noqa: E402  (the section's script: its model, data and batches)

# %% Settings: the slide's model and optimizer
HIDDEN_SIZE = 128   # The slide's nn.RNN(57, 128)
LEARN_RATE = 0.01   # The slide's SGD learning rate


# %% The slide's loop
def train_one_by_one(model, data_train, loss_func, optimizer):
    """The slide's loop: one one-hot name (sequence x 1 x 57) per optimizer step; return the mean loss."""
    model.train()
    train_loss = 0.
    for x, y in data_train:
        optimizer.zero_grad()
        loss = loss_func(model(x), y)
        loss.backward()
        optimizer.step()
        train_loss += loss.item()
    return train_loss / len(data_train)


# %% Main
def main():
    parser = make_parser('rnn_batching', __doc__, device='auto', seed=name2lang.RANDOM_SEED, data_dir=True, epochs=1,
                         batch_size=name2lang.BATCH_SIZE, lr=LEARN_RATE)
    args = parser.parse_args()
    print(common.describe_machine())
    set_seed(args.seed)
    dev = args.device
    print(f'Device: {dev}')

    # 1. The training names of rnn_name2lang.py (the same stratified 80/20 split)
    data, targets, target_names = name2lang.load_name_dataset(common.find_name_files(args.data_dir))
    idx_train, _ = train_test_split(np.arange(len(data)), test_size=name2lang.VALID_RATIO, random_state=args.seed,
                                    stratify=targets)
    names = [data[i] for i in idx_train]
    labels = [targets[i] for i in idx_train]
    print(f'Training names: {len(names)}, epochs: {args.epochs}, model: nn.RNN(57, {HIDDEN_SIZE}) + Linear')

    def new_model():
        torch.manual_seed(args.seed)
        model = name2lang.MyRNN(len(name2lang.LETTER_DICT), len(target_names), 'rnn', HIDDEN_SIZE).to(dev)
        return model, torch.optim.SGD(model.parameters(), lr=args.lr)

    loss_func = nn.CrossEntropyLoss()

    # 2. The slide's loop: its tensors are made once, before training, as on the slide
    data_train = [(name2lang.text2onehot(name, dev), torch.tensor([label], device=dev))
                  for name, label in zip(names, labels)]
    model, optimizer = new_model()
    start = time.time()
    for _ in range(args.epochs):
        random.shuffle(data_train)
        loss_slide = train_one_by_one(model, data_train, loss_func, optimizer)
    seconds_slide = (time.time() - start) / args.epochs
    print(f'Slide loop   (1 name per step):     {seconds_slide:7.2f} sec/epoch, TrLoss={loss_slide:.4f}')

    # 3. The lesson's loop: batches of names of one length through common.train, new ones every epoch
    model, optimizer = new_model()
    start = time.time()
    for _ in range(args.epochs):
        loss_batched = train(model, name2lang.batches_of_one_length(data_train, args.batch_size), loss_func, optimizer)
    seconds_batched = (time.time() - start) / args.epochs
    print(f'Batched loop ({args.batch_size} names per step): {seconds_batched:7.2f} sec/epoch, '
          f'TrLoss={loss_batched:.4f}')

    ratio = seconds_slide / seconds_batched
    print(f'Speed-up: {ratio:.1f}x')
    return seconds_slide, seconds_batched, ratio


if __name__ == '__main__':
    main()
