"""Iris flower classification in "my style": MyDNN, DataLoader mini-batches, train/evaluate functions, a log line.

Slides "Practice) Iris Flower Classification - My Style (1/5)-(5/5)": a two-layer network with Xavier
initialization learns the three Iris classes from two features (sepal length and width), in shuffled
mini-batches of 50. As on the slide, it is evaluated on its own training data every epoch: there is no
held-out data, so VaLoss and VaAcc are the loss and the accuracy on the training data.
In a notebook, `model`, `loss_list`, `x` and `y` stay after the last cell, to inspect.

Differences from the slide, on purpose:
- Losses are true per-sample means (common/training.py): about 0.49 where the slide's log shows 0.0097,
  because the slide divides each batch's mean loss by the number of samples once more.
- The DataLoader takes each mini-batch with one index (`common.tensor_loader`) where the slide's builds
  it sample by sample, and the evaluation takes all 150 samples in one batch: the same batches and
  numbers, about 2.2x faster on a 2-core AMD EPYC CPU (benchmarks/iris_dataloader.py).
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)")  # noqa: E501

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

from common import evaluate, make_parser, predict, save_figure, save_json, set_seed, tensor_loader, train

# %% Define hyperparameters (the slide's)
EPOCH_MAX = 10000
EPOCH_LOG = 1000
OPTIMIZER_PARAM = {'lr': 0.01}
DATA_LOADER_PARAM = {'batch_size': 50, 'shuffle': True}
RANDOM_SEED = 777
IRIS_COLOR = np.array([(1, 0, 0), (0, 1, 0), (0, 0, 1)])  # Red, green, blue for the three classes


# %% A two-layer NN model
class MyDNN(nn.Module):
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


# %% Steps 0-5 of the slides (`train` and `evaluate` of "My Style (2/5)" are in common/training.py)
if __name__ == '__main__':
    # 0. Preparation
    args = make_parser('iris_my_style', __doc__, device='auto', seed=RANDOM_SEED, out_dir=True, epochs=EPOCH_MAX,
                       batch_size=DATA_LOADER_PARAM['batch_size'], lr=OPTIMIZER_PARAM['lr']).parse_args()
    generator = set_seed(args.seed)  # The same seed gives the same batches and the same numbers on the CPU
    dev = args.device
    print(f'Device: {dev}')

    # 1.1. Load the Iris dataset partially
    iris = datasets.load_iris()
    iris.data = iris.data[:, 0:2]  # Only sepal length and width, so the result can be drawn in 2D
    iris.feature_names = iris.feature_names[0:2]

    # 1.2. Wrap the dataset with torch.utils.data.DataLoader
    x = torch.tensor(iris.data, dtype=torch.float32, device=dev)
    y = torch.tensor(iris.target, dtype=torch.long, device=dev)
    loader_train = tensor_loader(x, y, batch_size=args.batch_size, shuffle=DATA_LOADER_PARAM['shuffle'],
                                 generator=generator)  # A DataLoader that takes each batch with one index
    valid_batches = [(x, y)]  # The slide evaluates through loader_train; all 150 samples in one batch give the same

    # 2. Instantiate a model, loss function, and optimizer
    model = MyDNN(len(iris.feature_names), len(iris.target_names)).to(dev)
    loss_func = F.cross_entropy
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)

    # 3. Train the model
    print('VaLoss, VaAcc: on the training data, as on the slide (no held-out data)')
    loss_list = []
    start = time.time()
    for epoch in tqdm(range(1, args.epochs + 1), desc='epochs', leave=False, disable=None):
        train_loss = train(model, loader_train, loss_func, optimizer)
        valid_loss, valid_accuracy = evaluate(model, valid_batches, loss_func)

        loss_list.append([epoch, train_loss, valid_loss, valid_accuracy])
        if epoch % EPOCH_LOG == 0:
            elapse = time.time() - start
            tqdm.write(f'{epoch:>6} ({elapse:>6.2f} sec), TrLoss={train_loss:.6f}, '
                       f'VaLoss={valid_loss:.6f}, VaAcc={valid_accuracy:.3f}')
            #   1000 (  1.30 sec), TrLoss=0.491188, VaLoss=0.488416, VaAcc=0.707 (slide: 0.009773, 0.009769, 0.707)
            #  10000 ( 12.54 sec), TrLoss=0.394841, VaLoss=0.394008, VaAcc=0.800 (VaAcc: all 10 as on the slide)
    elapse = time.time() - start

    # 4.1. Visualize the loss curves
    loss_array = np.array(loss_list)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(12, 4.5))
    ax_loss.set_title(f'Training and Validation Losses (time: {elapse:.2f} [sec] @ {dev})')
    ax_loss.plot(loss_array[:, 0], loss_array[:, 1], label='Training loss')
    ax_loss.plot(loss_array[:, 0], loss_array[:, 2], label='Validation loss (on the training data)', linestyle='--')
    ax_loss.set_xlabel('Epochs')
    ax_loss.set_ylabel('Loss values (per sample)')
    ax_loss.grid()
    ax_loss.legend()
    ax_acc.plot(loss_array[:, 0], loss_array[:, 3], color='tab:green')
    ax_acc.set_xlabel('Epochs')
    ax_acc.set_ylabel('Validation accuracy (on the training data)')
    ax_acc.grid()
    save_figure(fig, args.out_dir, 'iris_my_style_loss')

    # 4.2. Visualize training results (decision boundaries)
    x_min, x_max = iris.data[:, 0].min() - 1, iris.data[:, 0].max() + 1
    y_min, y_max = iris.data[:, 1].min() - 1, iris.data[:, 1].max() + 1
    xx, yy = np.meshgrid(np.arange(x_min, x_max, 0.01), np.arange(y_min, y_max, 0.01))
    xy = np.vstack((xx.flatten(), yy.flatten())).T
    zz = predict(torch.from_numpy(xy).float(), model).numpy()
    fig, ax = plt.subplots(figsize=(7, 5.5))
    ax.contourf(xx, yy, zz.reshape(xx.shape), cmap=ListedColormap(IRIS_COLOR), alpha=0.2)

    # 4.3. Visualize data with their classification (fill: true class, edge: predicted class)
    predicted = predict(x, model).numpy()
    balanced_accuracy = metrics.balanced_accuracy_score(iris.target, predicted)
    ax.set_title(f'My DNN on its training data (balanced accuracy: {balanced_accuracy:.3f})')
    ax.scatter(iris.data[:, 0], iris.data[:, 1], c=IRIS_COLOR[iris.target], edgecolors=IRIS_COLOR[predicted])
    ax.set_xlabel(iris.feature_names[0])
    ax.set_ylabel(iris.feature_names[1])
    save_figure(fig, args.out_dir, 'iris_my_style_boundaries')
    print(f'Accuracy on the training data: {valid_accuracy:.3f}, balanced: {balanced_accuracy:.3f}, '
          f'training time: {elapse:.2f} sec')  # Accuracy on the training data: 0.800, balanced: 0.800, ...

    # 5. Save the numbers for later (written atomically: never half-written)
    metrics_path = save_json({
        'train_accuracy': valid_accuracy, 'train_balanced_accuracy': float(balanced_accuracy),
        'train_loss': train_loss, 'epochs': args.epochs, 'batch_size': args.batch_size, 'lr': args.lr,
        'seed': args.seed, 'train_seconds': elapse, 'seconds_per_1000_epochs': elapse / args.epochs * 1000,
        'device': str(dev), 'machine': common.describe_machine(),
    }, args.out_dir / 'metrics.json')
    print(f'Metrics saved: {metrics_path}')
