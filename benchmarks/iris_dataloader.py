"""Benchmark: Iris training loops side by side, in seconds per 1,000 epochs and as speed-ups.

Slide "Discussion) CPU vs. GPU / Data as raw tensors vs. Data as DataLoader", as something to run.
Every variant trains the same MyDNN of 03_nn_iris/iris_my_style.py from the same seed with SGD (lr 0.01):

- slide:         DataLoader(TensorDataset(x, y), batch_size=50, shuffle=True), and `evaluate()`
                 through that same loader every epoch (slide "My Style (3/5)-(4/5)")
- slide 1 thread: the same loop with PyTorch limited to one CPU thread (what the thread setting alone gives)
- tensor_loader: common.tensor_loader (a DataLoader that takes each batch with one index) and
                 validation on the whole set in one batch
- ours:          the loop of iris_my_style.py: shuffled_batches() and validation in one batch, one CPU thread
- raw tensors:   the loop of iris_classification.py: the whole set as one batch, 1 step per epoch and
                 no validation (fewer steps, so it trains less: its accuracy is not comparable)

Every variant with validation computes the validation loss and accuracy every epoch, as the slide does.
The variants take turns, 100 epochs each; the last line gives the ratio of ours to the slide's loop
round by round as well, since the speed of a shared machine changes from second to second.
On a machine with a GPU, `--device cuda` (or auto) runs every variant on the GPU as well.

    python benchmarks/iris_dataloader.py                 # 10,000 epochs per variant (a few minutes on a CPU)
    python benchmarks/iris_dataloader.py --epochs 1000   # a quick look
"""
# %% Imports
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from sklearn import datasets
from torch.utils.data import DataLoader, TensorDataset

from common import REPO_ROOT, evaluate, make_parser, run, set_seed, tensor_loader, train
from common.cli import positive_float, positive_int

sys.path.insert(0, str(REPO_ROOT / '03_nn_iris'))  # The section's scripts, to time exactly their loop
from iris_my_style import MyDNN, shuffled_batches  # noqa: E402

EPOCH_MAX = 10000
BATCH_SIZE = 50
LEARNING_RATE = 0.01
ROUND_EPOCHS = 100


# %% The training loops
def slide_loop(model, x, y, optimizer, epochs, batch_size, generator):
    """The slide's loop: a DataLoader over a TensorDataset, used to train and again to evaluate.

    As on the slide, the DataLoader shuffles with PyTorch's global random generator (seeded by
    `torch.manual_seed`), so `generator` is not used: each pass draws a new seed from it.
    """
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True)
    for _ in range(epochs):
        train(model, loader, F.cross_entropy, optimizer)
        valid_loss, valid_accuracy = evaluate(model, loader, F.cross_entropy)
    return valid_accuracy


def tensor_loader_loop(model, x, y, optimizer, epochs, batch_size, generator):
    """common.tensor_loader to train, the whole set in one batch to evaluate."""
    loader = tensor_loader(x, y, batch_size=batch_size, shuffle=True, generator=generator)
    for _ in range(epochs):
        train(model, loader, F.cross_entropy, optimizer)
        valid_loss, valid_accuracy = evaluate(model, [(x, y)], F.cross_entropy)
    return valid_accuracy


def our_loop(model, x, y, optimizer, epochs, batch_size, generator):
    """iris_my_style.py's loop: shuffled_batches() to train, the whole set in one batch to evaluate."""
    for _ in range(epochs):
        train(model, shuffled_batches(x, y, batch_size, generator), F.cross_entropy, optimizer)
        valid_loss, valid_accuracy = evaluate(model, [(x, y)], F.cross_entropy)
    return valid_accuracy


def raw_tensor_loop(model, x, y, optimizer, epochs, batch_size, generator):
    """iris_classification.py's loop: one step on the whole set per epoch (batch_size is not used)."""
    model.train()
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    valid_loss, valid_accuracy = evaluate(model, [(x, y)], F.cross_entropy)
    return valid_accuracy


# (name, loop, CPU threads: None keeps PyTorch's default)
VARIANTS = [
    ('slide', slide_loop, None),
    ('slide 1 thread', slide_loop, 1),
    ('tensor_loader', tensor_loader_loop, 1),
    ('ours', our_loop, 1),
    ('raw tensors', raw_tensor_loop, 1),
]


def new_run(device, seed, lr):
    """A fresh start for one variant: the data, a seeded MyDNN, its optimizer and its shuffling generators."""
    generator = set_seed(seed)
    iris = datasets.load_iris()
    x = torch.tensor(iris.data[:, 0:2], dtype=torch.float32, device=device)
    y = torch.tensor(iris.target, dtype=torch.long, device=device)
    model = MyDNN().to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    return {'x': x, 'y': y, 'model': model, 'optimizer': optimizer, 'generator': generator,
            'global_rng': torch.get_rng_state(),  # The slide's DataLoader shuffles with the global generator
            'seconds': 0., 'round_seconds': [], 'accuracy': None}


def time_epochs(loop, threads, state, epochs, batch_size):
    """Continue one variant's training for `epochs` epochs; add the time taken to state['seconds']."""
    default_threads = torch.get_num_threads()
    device = state['x'].device
    if device.type == 'cpu' and threads:
        torch.set_num_threads(threads)
    torch.set_rng_state(state['global_rng'])  # Each variant continues its own shuffling, whatever ran between
    if device.type == 'cuda':
        torch.cuda.synchronize()
    start = time.perf_counter()
    state['accuracy'] = loop(state['model'], state['x'], state['y'], state['optimizer'], epochs, batch_size,
                             state['generator'])  # Its .item() waits for the GPU to finish
    seconds = time.perf_counter() - start
    state['seconds'] += seconds
    state['round_seconds'].append(seconds)
    state['global_rng'] = torch.get_rng_state()
    torch.set_num_threads(default_threads)


# %% Run every variant and print the table
def main(argv=None):
    parser = make_parser(__doc__, __file__)
    parser.add_argument('--epochs', type=positive_int, default=EPOCH_MAX, help='epochs per variant')
    parser.add_argument('--batch-size', type=positive_int, default=BATCH_SIZE, help='mini-batch size')
    parser.add_argument('--lr', type=positive_float, default=LEARNING_RATE, help='learning rate')
    parser.add_argument('--round', type=positive_int, default=ROUND_EPOCHS,
                        help='epochs each variant runs before the next one takes its turn')
    args = parser.parse_args(argv)
    devices = [torch.device('cpu')]
    if args.device.type != 'cpu':
        devices.append(args.device)  # CPU vs. GPU
    print(f'Device: {", ".join(str(device) for device in devices)}')
    print(f'Iris (150 samples, 2 features), batch size {args.batch_size}, {args.epochs} epochs per variant, '
          f'PyTorch default CPU threads: {torch.get_num_threads()}')

    print(f'{"variant":<16} {"device":<7} {"sec/1000 epochs":>15} {"accuracy":>9} {"vs slide on cpu":>16}')
    # The variants take turns, `--round` epochs each, so that a burst of work from another program
    # on this machine slows all of them alike. Each one continues its own training where it stopped.
    states = {(name, device.type): new_run(device, args.seed, args.lr) for device in devices for name, _, _ in VARIANTS}
    for first in range(0, args.epochs, args.round):
        epochs = min(args.round, args.epochs - first)
        for device in devices:
            for name, loop, threads in VARIANTS:
                time_epochs(loop, threads, states[name, device.type], epochs, args.batch_size)

    results = {key: (state['seconds'] / args.epochs * 1000, state['accuracy']) for key, state in states.items()}
    for device in devices:
        for name, _, _ in VARIANTS:
            seconds, accuracy = results[name, device.type]
            ratio = results['slide', 'cpu'][0] / seconds  # The first variant is the slide's loop on the CPU
            print(f'{name:<16} {str(device):<7} {seconds:>15.3f} {accuracy:>9.3f} {ratio:>15.2f}x')

    # The speed target of our loop: at least 3x faster than the slide's, the same accuracy within 0.02
    (slide_seconds, slide_accuracy), (our_seconds, our_accuracy) = results['slide', 'cpu'], results['ours', 'cpu']
    print(f'ours vs slide on cpu: {slide_seconds / our_seconds:.2f}x faster '
          f'({results["slide 1 thread", "cpu"][0] / our_seconds:.2f}x vs slide 1 thread), '
          f'accuracy {our_accuracy:.3f} vs {slide_accuracy:.3f}')
    # e.g. ours vs slide on cpu: 3.12x faster (3.08x vs slide 1 thread), accuracy 0.800 vs 0.800 (2-core CPU)
    # The same ratio round by round: on a shared machine the speed of the CPU changes from second to
    # second, and the spread shows how much. The two turns of a round ran a fraction of a second apart.
    round_ratios = [slide / ours for slide, ours in zip(states['slide', 'cpu']['round_seconds'],
                                                       states['ours', 'cpu']['round_seconds'])]
    if len(round_ratios) >= 4:
        low, middle, high = statistics.quantiles(round_ratios, n=4)
        print(f'ours vs slide on cpu, round by round ({len(round_ratios)} rounds of up to {args.round} epochs): '
              f'median {middle:.2f}x, middle half {low:.2f}x to {high:.2f}x')
        # e.g. ... round by round (100 rounds of up to 100 epochs): median 3.21x, middle half 2.80x to 3.76x
    if len(devices) > 1:
        gpu = devices[1].type
        print(f'{gpu} vs cpu: slide {slide_seconds / results["slide", gpu][0]:.2f}x, '
              f'ours {our_seconds / results["ours", gpu][0]:.2f}x')


# %% Run
if __name__ == '__main__':
    run(main)
