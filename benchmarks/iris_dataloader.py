"""Benchmark: the Iris training loop of the slide against ours, side by side, in milliseconds per epoch.

Slide "Discussion) CPU vs. GPU / Data as raw tensors vs. Data as DataLoader", as something to run.
Every loop trains the MyDNN of 03_nn_iris/iris_my_style.py from the same seed with SGD (lr 0.01),
with that script's train() and evaluate():

- slide:       DataLoader(TensorDataset(x, y), batch_size=50, shuffle=True), and `evaluate()` on the
               training data through that same loader every epoch (slide "My Style (3/5)-(4/5)")
- ours:        the loop of iris_my_style.py: common.tensor_loader (a DataLoader that takes each batch
               with one index) to train, and all 150 samples in one batch to evaluate every epoch
- raw tensors: the loop of iris_classification.py: the whole set as one batch, one step per epoch and
               no evaluation (a third of the steps, so it learns less: its accuracy is not comparable)

The loops take turns, 100 epochs each, so a burst of work from another program slows all of them
alike; the last lines give the ratio of ours to the slide's loop over the whole run and round by round.
On a 2-core AMD EPYC (AVX2, no AMX, 2 threads) the slide's loop took 4.84 ms per epoch and ours 2.19:
2.21x faster (round by round: median 2.27x). With one thread (OMP_NUM_THREADS=1): 4.10 and 1.75 ms, 2.34x.
`--device cuda` (or auto on a machine with a GPU) times every loop on the GPU too.

    python benchmarks/iris_dataloader.py                 # 10,000 epochs per loop (about a minute on a quiet 2-core CPU)
    python benchmarks/iris_dataloader.py --epochs 1000   # a quick look
"""
import statistics
import time

import torch
import torch.nn.functional as F
from sklearn import datasets
from torch.utils.data import DataLoader, TensorDataset

import common
from common import make_parser, positive_int, set_seed, synchronize, tensor_loader

common.add_to_path('03_nn_iris')  # The modules of section 03, from any folder
from iris_my_style import DATA_LOADER_PARAM, EPOCH_MAX, OPTIMIZER_PARAM, RANDOM_SEED, MyDNN, evaluate, train  # noqa

ROUND_EPOCHS = 100


def slide_loop(model, x, y, optimizer, epochs, batch_size, generator):
    """The slide's loop: a DataLoader over a TensorDataset, used to train and again to evaluate.

    As on the slide, the DataLoader shuffles with PyTorch's global random generator (seeded by
    `set_seed`), so `generator` is not used.
    """
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True)
    for _ in range(epochs):
        train(model, loader, F.cross_entropy, optimizer)
        valid_loss, valid_accuracy = evaluate(model, loader, F.cross_entropy)
    return valid_accuracy


def our_loop(model, x, y, optimizer, epochs, batch_size, generator):
    """iris_my_style.py's loop: common.tensor_loader to train, all 150 samples in one batch to evaluate."""
    loader = tensor_loader(x, y, batch_size=batch_size, shuffle=True, generator=generator)
    for _ in range(epochs):
        train(model, loader, F.cross_entropy, optimizer)
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
    valid_loss, valid_accuracy = evaluate(model, [(x, y)], F.cross_entropy)  # Once, after its epochs
    return valid_accuracy


LOOPS = {'slide': slide_loop, 'ours': our_loop, 'raw tensors': raw_tensor_loop}


def new_run(device, seed, lr):
    """A fresh start for one loop: the data, a seeded MyDNN, its optimizer and its shuffling generators."""
    generator = set_seed(seed)
    iris = datasets.load_iris()
    x = torch.tensor(iris.data[:, 0:2], dtype=torch.float32, device=device)
    y = torch.tensor(iris.target, dtype=torch.long, device=device)
    model = MyDNN().to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    return {'x': x, 'y': y, 'model': model, 'optimizer': optimizer, 'generator': generator,
            'global_rng': torch.get_rng_state(),  # The slide's DataLoader shuffles with the global generator
            'seconds': 0., 'round_seconds': [], 'accuracy': None}


def time_epochs(loop, state, epochs, batch_size):
    """Continue one loop's training for `epochs` epochs; add the time taken to state['seconds']."""
    torch.set_rng_state(state['global_rng'])  # Each loop continues its own shuffling, whatever ran between
    synchronize(state['x'].device)
    start = time.perf_counter()
    state['accuracy'] = loop(state['model'], state['x'], state['y'], state['optimizer'], epochs, batch_size,
                             state['generator'])  # Its .item() waits for a GPU to finish
    seconds = time.perf_counter() - start
    state['seconds'] += seconds
    state['round_seconds'].append(seconds)
    state['global_rng'] = torch.get_rng_state()


def main():
    parser = make_parser('iris_dataloader', __doc__, device='auto', seed=RANDOM_SEED, epochs=EPOCH_MAX,
                         batch_size=DATA_LOADER_PARAM['batch_size'], lr=OPTIMIZER_PARAM['lr'])
    parser.add_argument('--round', type=positive_int, default=ROUND_EPOCHS,
                        help='epochs each loop runs before the next one takes its turn')
    args = parser.parse_args()
    print(common.describe_machine())  # CPU: AMD EPYC ... (AVX2, no AMX), 2 threads, torch ...
    devices = [torch.device('cpu')] + ([args.device] if args.device.type != 'cpu' else [])  # CPU vs. GPU
    print(f'Device: {", ".join(str(device) for device in devices)}')
    print(f'Iris (150 samples, 2 features), batch size {args.batch_size}, {args.epochs} epochs per loop, '
          f'in turns of {args.round}')

    states = {(name, device.type): new_run(device, args.seed, args.lr) for device in devices for name in LOOPS}
    for first in range(0, args.epochs, args.round):
        for device in devices:
            for name, loop in LOOPS.items():
                time_epochs(loop, states[name, device.type], min(args.round, args.epochs - first), args.batch_size)

    print(f'{"loop":<12} {"device":<7} {"ms/epoch":>9} {"accuracy":>9} {"vs slide on cpu":>16}')
    ms = {key: state['seconds'] / args.epochs * 1000 for key, state in states.items()}
    for device in devices:
        for name in LOOPS:
            key = name, device.type
            print(f'{name:<12} {str(device):<7} {ms[key]:>9.3f} {states[key]["accuracy"]:>9.3f} '
                  f'{ms["slide", "cpu"] / ms[key]:>15.2f}x')
    print(f'ours vs slide on cpu: {ms["slide", "cpu"] / ms["ours", "cpu"]:.2f}x faster, accuracy on the training data '
          f'{states["ours", "cpu"]["accuracy"]:.3f} vs {states["slide", "cpu"]["accuracy"]:.3f}')
    # The same ratio round by round: on a shared machine the speed of the CPU changes from second to
    # second, and the spread shows how much. The two turns of a round ran a fraction of a second apart.
    round_ratios = [slide / ours for slide, ours in zip(states['slide', 'cpu']['round_seconds'],
                                                       states['ours', 'cpu']['round_seconds'])]
    if len(round_ratios) >= 4:
        low, middle, high = statistics.quantiles(round_ratios, n=4)
        print(f'ours vs slide on cpu, round by round ({len(round_ratios)} rounds of up to {args.round} epochs): '
              f'median {middle:.2f}x, middle half {low:.2f}x to {high:.2f}x')
    if len(devices) > 1:
        gpu = devices[1].type
        print(f'{gpu} vs cpu: slide {ms["slide", "cpu"] / ms["slide", gpu]:.2f}x, '
              f'ours {ms["ours", "cpu"] / ms["ours", gpu]:.2f}x')


if __name__ == '__main__':
    main()
