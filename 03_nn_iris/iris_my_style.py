"""Iris flower classification, "my style": MyDNN, mini-batches, train/evaluate functions and a log line.

Slides "Practice) Iris Flower Classification - My Style (1/5)-(5/5)": a two-layer network with Xavier
initialization learns the three Iris classes from two features (sepal length and width), in shuffled
mini-batches of 50, with the validation loss and accuracy computed every epoch.
It prints the slide's log line every 1000 epochs, saves the loss curves and the decision boundaries,
and writes `metrics.json` (accuracy, balanced_accuracy, epochs, train_seconds, device, ...).
The Iris data ships with scikit-learn, so nothing is downloaded (--data-dir is not used).

Differences from the slide, on purpose:
- Losses are true per-sample means (common/training.py): about 0.49 where the slide's log shows 0.0097,
  because the slide divides each batch's mean loss by the number of samples once more.
- The same kind of shuffled mini-batches, cut from the tensors shuffled in one operation instead of a
  DataLoader over a TensorDataset, and validation on the whole set in one batch: about 3x faster on
  a CPU (see `shuffled_batches` and benchmarks/iris_dataloader.py).
"""
# %% Imports
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from matplotlib.colors import ListedColormap
from sklearn import datasets, metrics
from tqdm import tqdm

from common import evaluate, make_parser, predict, run, save_figure, save_json, set_seed, train
from common.cli import positive_int

# %% Hyperparameters (the slide's)
EPOCH_MAX = 10000
EPOCH_LOG = 1000
OPTIMIZER_PARAM = {'lr': 0.01}
DATA_LOADER_PARAM = {'batch_size': 50, 'shuffle': True}  # Shuffled every epoch (see shuffled_batches)
RANDOM_SEED = 777
IRIS_COLOR = np.array([(1, 0, 0), (0, 1, 0), (0, 0, 1)])  # Red, green, blue for the three classes


# %% The model
class MyDNN(nn.Module):
    """A two-layer NN model: 2 inputs -> 4 hidden units (ReLU) -> 3 class scores."""

    def __init__(self, input_size=2, output_size=3):
        super().__init__()
        self.fc1 = nn.Linear(input_size, 4)   # (N, 2) -> (N, 4)
        self.fc2 = nn.Linear(4, output_size)  # (N, 4) -> (N, 3)

        nn.init.xavier_uniform_(self.fc1.weight)
        nn.init.xavier_uniform_(self.fc2.weight)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return x  # Scores (logits); F.cross_entropy applies the softmax itself


# %% Mini-batches and plots
def shuffled_batches(x, y, batch_size, generator=None):
    """Return one epoch of shuffled mini-batches `[(x_batch, y_batch), ...]` of tensors in memory.

    The slide's `DataLoader(TensorDataset(x, y), batch_size=50, shuffle=True)` builds every batch
    sample by sample: 50 calls of `dataset[i]` (each indexes x and y once), then it stacks the 50
    small tensors again (collation). On a CPU that bookkeeping costs about as much as the training
    step itself. Here `x[order]` shuffles the whole set in one operation, and `split` cuts it into
    batches without copying. `train()` accepts any iterable of (x, y) batches, so it does not notice.
    """
    order = torch.randperm(len(x), generator=generator).to(x.device)
    return list(zip(x[order].split(batch_size), y[order].split(batch_size)))


def plot_loss_curves(loss_list, out_dir):
    """Slide step 4.1: the training and validation loss, and the validation accuracy, per epoch."""
    loss_array = np.array(loss_list)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(12, 4.5))
    ax_loss.plot(loss_array[:, 0], loss_array[:, 1], label='Training loss')
    ax_loss.plot(loss_array[:, 0], loss_array[:, 2], label='Validation loss', linestyle='--')
    ax_loss.set_xlabel('Epochs')
    ax_loss.set_ylabel('Loss values (per sample)')
    ax_loss.grid()
    ax_loss.legend()
    ax_acc.plot(loss_array[:, 0], loss_array[:, 3], color='tab:green')
    ax_acc.set_xlabel('Epochs')
    ax_acc.set_ylabel('Validation accuracy')
    ax_acc.grid()
    return save_figure(fig, out_dir, 'iris_my_style_loss')


def plot_decision_boundaries(iris, model, predicted, accuracy, out_dir):
    """Slide steps 4.2 and 4.3: the class of every point of a grid, and the data coloured by class
    (fill) and by prediction (edge), so misclassified samples show a different edge colour."""
    dev = next(model.parameters()).device
    x_min, x_max = iris.data[:, 0].min() - 1, iris.data[:, 0].max() + 1
    y_min, y_max = iris.data[:, 1].min() - 1, iris.data[:, 1].max() + 1
    xx, yy = np.meshgrid(np.arange(x_min, x_max, 0.01), np.arange(y_min, y_max, 0.01))
    xy = np.vstack((xx.flatten(), yy.flatten())).T
    xy_tensor = torch.from_numpy(xy).float().to(dev)
    zz = predict(xy_tensor, model).numpy()

    fig, ax = plt.subplots(figsize=(7, 5.5))
    ax.contourf(xx, yy, zz.reshape(xx.shape), cmap=ListedColormap(IRIS_COLOR), alpha=0.2)
    ax.scatter(iris.data[:, 0], iris.data[:, 1], c=IRIS_COLOR[iris.target], edgecolors=IRIS_COLOR[predicted])
    ax.set_title(f'My DNN (balanced accuracy: {accuracy:.3f})')
    ax.set_xlabel(iris.feature_names[0])
    ax.set_ylabel(iris.feature_names[1])
    return save_figure(fig, out_dir, 'iris_my_style_boundaries')


# %% Train and evaluate
def main(argv=None):
    parser = make_parser(__doc__, __file__, training=True, epochs=EPOCH_MAX,
                         batch_size=DATA_LOADER_PARAM['batch_size'], lr=OPTIMIZER_PARAM['lr'])
    parser.set_defaults(seed=RANDOM_SEED)
    parser.add_argument('--epoch-log', type=positive_int, default=EPOCH_LOG, help='print the log line every N epochs')
    args = parser.parse_args(argv)

    # 0. Preparation
    generator = set_seed(args.seed)  # The same seed gives the same batches and the same numbers on the CPU
    dev = args.device
    print(f'Device: {dev}')

    # 1.1. Load the Iris dataset partially
    iris = datasets.load_iris()
    iris.data = iris.data[:, 0:2]  # Only sepal length and width, so the result can be drawn in 2D
    iris.feature_names = iris.feature_names[0:2]

    # 1.2. Keep the dataset as tensors on the device (the slide wraps them in a DataLoader here)
    x = torch.tensor(iris.data, dtype=torch.float32, device=dev)
    y = torch.tensor(iris.target, dtype=torch.long, device=dev)
    valid_batches = [(x, y)]  # Validation: the whole set (150 samples) in one batch, one forward pass

    # 2. Instantiate a model, loss function, and optimizer
    model = MyDNN(len(iris.feature_names), len(iris.target_names)).to(dev)
    loss_func = F.cross_entropy
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)

    # 3. Train the model
    # Where the slide's loop spends its time on a CPU (about 4 ms per epoch on 2 cores; ours about 1.2 ms):
    # - per-sample indexing and collation: the DataLoader calls `dataset[i]` 150 times per pass
    #   and stacks the samples into batches again; `shuffled_batches` shuffles the set in one indexing;
    # - a second pass through the loader to evaluate: 3 more batches of the same, every epoch;
    #   we evaluate the whole set in one batch instead (same loss and accuracy: a mean over 150 samples).
    # What is left is the training itself: 3 steps per epoch of forward, backward and optimizer.step().
    # This tiny network gains nothing from several CPU threads, and when other programs keep the cores
    # busy, each step waiting for a second thread can make it many times slower. So one thread here.
    default_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    loss_list = []
    start = time.time()
    for epoch in tqdm(range(1, args.epochs + 1), desc='epochs', leave=False, disable=None):
        batches = shuffled_batches(x, y, args.batch_size, generator)  # A new shuffle every epoch
        train_loss = train(model, batches, loss_func, optimizer)
        valid_loss, valid_accuracy = evaluate(model, valid_batches, loss_func)

        loss_list.append([epoch, train_loss, valid_loss, valid_accuracy])
        if epoch % args.epoch_log == 0:
            elapse = time.time() - start
            tqdm.write(f'{epoch:>6} ({elapse:>6.2f} sec), TrLoss={train_loss:.6f}, '
                       f'VaLoss={valid_loss:.6f}, VaAcc={valid_accuracy:.3f}')
            #   1000 (  1.30 sec), TrLoss=0.491188, VaLoss=0.488416, VaAcc=0.707 (slide: 0.009773, 0.009769, 0.707)
            #  10000 ( 12.54 sec), TrLoss=0.394841, VaLoss=0.394008, VaAcc=0.800 (VaAcc: all 10 as on the slide)
    elapse = time.time() - start
    torch.set_num_threads(default_threads)

    # 4.1. Visualize the loss curves
    plot_loss_curves(loss_list, args.out_dir)

    # 4.2. Visualize training results (decision boundaries) and 4.3. the data with their classification
    predicted = predict(x, model).numpy()
    balanced_accuracy = metrics.balanced_accuracy_score(iris.target, predicted)
    plot_decision_boundaries(iris, model, predicted, balanced_accuracy, args.out_dir)
    print(f'Accuracy: {valid_accuracy:.3f}, balanced accuracy: {balanced_accuracy:.3f}, '
          f'training time: {elapse:.2f} sec')  # Accuracy: 0.800, balanced accuracy: 0.800, training time: 12.5 sec

    # 5. Save the numbers for later (written atomically: never half-written)
    metrics_path = save_json({
        'accuracy': valid_accuracy,
        'balanced_accuracy': float(balanced_accuracy),
        'train_loss': train_loss,
        'valid_loss': valid_loss,
        'epochs': args.epochs,
        'batch_size': args.batch_size,
        'lr': args.lr,
        'seed': args.seed,
        'train_seconds': elapse,
        'seconds_per_1000_epochs': elapse / args.epochs * 1000,
        'device': str(dev),
    }, args.out_dir / 'metrics.json')
    print(f'Metrics saved: {metrics_path}')


# %% Run
if __name__ == '__main__':
    run(main)
