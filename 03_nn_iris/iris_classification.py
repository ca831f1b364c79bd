"""Iris flower classification with raw tensors: a 2-4-3 network trained on the whole dataset at once.

Slides "Practice) Iris Flower Classification (1/3)-(3/3)": two features (sepal length and width),
4 hidden units with ReLU, cross entropy, SGD with lr 0.01, 10,000 epochs of one step on all
150 samples. It draws the training loss curve and the decision boundaries, with the balanced
accuracy in the title. The Iris data ships with scikit-learn, so nothing is downloaded.

Bugs of the slide, fixed: its loss plot uses an undefined `epochs` (the loop counts `epoch_max`),
and it appends tensors to the loss list (each keeps its graph alive) where `loss.item()` is a number.
"""
# %% Imports
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
from matplotlib.colors import ListedColormap
from sklearn import datasets, metrics

from common import make_parser, run, save_figure
from common.cli import positive_float, positive_int

# %% Hyperparameters (the slide's)
EPOCH_MAX = 10000
LEARNING_RATE = 0.01
HIDDEN_SIZE = 4
OPTIMIZERS = {'sgd': torch.optim.SGD, 'adam': torch.optim.Adam}  # Try other optimizers
IRIS_COLOR = np.array([(1, 0, 0), (0, 1, 0), (0, 0, 1)])  # Red, green, blue for the three classes


# %% Train and visualize
def main(argv=None):
    parser = make_parser(__doc__, __file__)
    parser.add_argument('--epochs', type=positive_int, default=EPOCH_MAX, help='number of epochs to train')
    parser.add_argument('--lr', type=positive_float, default=LEARNING_RATE, help='learning rate')
    parser.add_argument('--hidden-size', type=positive_int, default=HIDDEN_SIZE, help='number of hidden units')
    parser.add_argument('--optimizer', choices=list(OPTIMIZERS), default='sgd', help='optimizer')
    args = parser.parse_args(argv)
    torch.manual_seed(args.seed)
    dev_name = args.device
    print(f'Device: {dev_name}')

    # 1.1. Load a dataset partially
    iris = datasets.load_iris()
    iris.data = iris.data[:, 0:2]  # Only sepal length and width, so the result can be drawn in 2D
    iris.feature_names = iris.feature_names[0:2]

    # 1.2. Load the dataset as tensors
    x = torch.tensor(iris.data, device=dev_name).float()
    y = torch.tensor(iris.target, device=dev_name).long()

    # 2. Define a model
    # - Try the different number of hidden units (--hidden-size)
    # - Try less or more layers with different transfer functions
    input_size, output_size = len(iris.feature_names), len(iris.target_names)
    model = nn.Sequential(
        nn.Linear(input_size, args.hidden_size),   # (N, 2) -> (N, 4)
        nn.ReLU(),
        nn.Linear(args.hidden_size, output_size),  # (N, 4) -> (N, 3)
    ).to(dev_name)

    # 3. Train the model
    loss_func = nn.CrossEntropyLoss()
    optimizer = OPTIMIZERS[args.optimizer](model.parameters(), lr=args.lr)
    # One thread: this tiny network gains nothing from more, and waiting for a busy core costs much
    default_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    model.train()  # Notify layers (e.g. Dropout, BatchNorm) that it's now training
    loss_list = []
    start = time.time()
    for _ in range(args.epochs):
        # Train one iteration
        optimizer.zero_grad()
        output = model(x)
        loss = loss_func(output, y)
        loss.backward()
        optimizer.step()

        # Record the loss: a number (the slide appends the tensor and divides it by len(x), but
        # CrossEntropyLoss already returns the mean over the samples)
        loss_list.append(loss.item())
    elapse = time.time() - start
    torch.set_num_threads(default_threads)
    print(f'Final training loss: {loss_list[-1]:.4f} ({elapse:.2f} sec)')  # Final training loss: 0.4462 (3.54 sec)

    # 4.1. Visualize the training loss curve
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.set_title(f'Training Loss (time: {elapse / 60:.2f} [min] @ {dev_name})')
    ax.plot(range(1, args.epochs + 1), loss_list)
    ax.set_xlabel('Epochs')
    ax.set_ylabel('Loss values')
    ax.set_xlim((1, max(args.epochs, 2)))
    ax.grid()
    save_figure(fig, args.out_dir, 'iris_classification_loss')

    # 4.2. Visualize training results (decision boundaries)
    model.eval()  # Notify layers that it's now testing
    with torch.no_grad():  # No gradients are needed to predict: faster and less memory (no .detach())
        x_min, x_max = iris.data[:, 0].min() - 1, iris.data[:, 0].max() + 1
        y_min, y_max = iris.data[:, 1].min() - 1, iris.data[:, 1].max() + 1
        xx, yy = np.meshgrid(np.arange(x_min, x_max, 0.01), np.arange(y_min, y_max, 0.01))
        xy = np.vstack((xx.flatten(), yy.flatten())).T
        xy_tensor = torch.from_numpy(xy).float().to(dev_name)
        zz = torch.argmax(model(xy_tensor), dim=1).cpu().numpy()
        predict = torch.argmax(model(x), dim=1).cpu().numpy()
    fig, ax = plt.subplots(figsize=(7, 5.5))
    ax.contourf(xx, yy, zz.reshape(xx.shape), cmap=ListedColormap(IRIS_COLOR), alpha=0.2)

    # 4.3. Visualize data with their classification (fill: true class, edge: predicted class)
    accuracy = metrics.balanced_accuracy_score(iris.target, predict)
    print(f'Balanced accuracy: {accuracy:.3f}')  # Balanced accuracy: 0.760
    ax.set_title(f'Fully-connected NN (accuracy: {accuracy:.3f})')
    ax.scatter(iris.data[:, 0], iris.data[:, 1], c=IRIS_COLOR[iris.target], edgecolors=IRIS_COLOR[predict])
    ax.set_xlabel(iris.feature_names[0])
    ax.set_ylabel(iris.feature_names[1])
    save_figure(fig, args.out_dir, 'iris_classification_boundaries')


# %% Run
if __name__ == '__main__':
    run(main)
