"""Iris flower classification with raw tensors: a 2-4-3 network trained on the whole dataset in every step.

Slides "Practice) Iris Flower Classification (1/3)-(3/3)": two features (sepal length and width),
4 hidden units with ReLU, cross entropy, SGD with lr 0.01, 10,000 epochs of one step on all
150 samples. It draws the training loss curve and the decision boundaries. As on the slide, the
accuracy is measured on the training data itself (there is no held-out data): it says how well the
network fits the data it learned from, not how well it does on new flowers.
In a notebook, `model`, `loss_list`, `x` and `y` stay after the last cell, to inspect.

Bugs of the slide, fixed where they are: its loss plot uses an undefined `epochs` (the loop counts
`epoch_max`), and it appends tensors to the loss list (each keeps its graph alive).
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
from matplotlib.colors import ListedColormap
from sklearn import datasets, metrics

# %% Define hyperparameters (the slide's)
EPOCH_MAX = 10000
LEARNING_RATE = 0.01
HIDDEN_SIZE = 4
OPTIMIZER = 'sgd'  # Try other optimizers: 'adam'
OPTIMIZERS = {'sgd': torch.optim.SGD, 'adam': torch.optim.Adam}
RANDOM_SEED = 777  # The slide sets none: the same seed gives the same numbers here

# %% Steps 1-4 of the slides
if __name__ == '__main__':
    parser = common.make_parser('iris_classification', __doc__, device='auto', seed=RANDOM_SEED, out_dir=True,
                         epochs=EPOCH_MAX, lr=LEARNING_RATE)
    parser.add_argument('--hidden-size', type=common.positive_int, default=HIDDEN_SIZE, help='number of hidden units')
    parser.add_argument('--optimizer', choices=list(OPTIMIZERS), default=OPTIMIZER, help='optimizer')
    args = parser.parse_args()
    common.set_seed(args.seed)

    # 1.1. Load a dataset partially
    iris = datasets.load_iris()
    iris.data = iris.data[:, 0:2]  # Only sepal length and width, so the result can be drawn in 2D
    iris.feature_names = iris.feature_names[0:2]
    iris.color = np.array([(1, 0, 0), (0, 1, 0), (0, 0, 1)])  # Red, green, blue for the three classes

    # 1.2. Load the dataset as tensors
    dev_name = args.device  # The slide: 'cuda' if torch.cuda.is_available() else 'cpu'
    print(f'Device: {dev_name}')  # Device: cpu  (cuda with a GPU)
    x = torch.tensor(iris.data, device=dev_name).float()
    y = torch.tensor(iris.target, device=dev_name).long()

    # 2. Define a model
    # - Try the different number of hidden units (--hidden-size, HIDDEN_SIZE)
    # - Try less or more layers with different transfer functions
    input_size, output_size = len(iris.feature_names), len(iris.target_names)
    model = nn.Sequential(
        nn.Linear(input_size, args.hidden_size),   # (N, 2) -> (N, 4)
        nn.ReLU(),
        nn.Linear(args.hidden_size, output_size),  # (N, 4) -> (N, 3)
    ).to(dev_name)

    # 3. Train the model
    loss_func = nn.CrossEntropyLoss()
    optimizer = OPTIMIZERS[args.optimizer](model.parameters(), lr=args.lr)  # Try other optimizers (--optimizer)
    epoch_max = args.epochs
    model.train()  # Notify layers (e.g. Dropout, BatchNorm) that it's now training
    loss_list = []
    start = time.time()
    for _ in range(epoch_max):
        # Train one iteration
        optimizer.zero_grad()
        output = model(x)
        loss = loss_func(output, y)
        loss.backward()
        optimizer.step()

        # Record the loss: a number (the slide appends the tensor, divided by len(x) although
        # CrossEntropyLoss already returns the mean over the samples)
        loss_list.append(loss.item())
    elapse = time.time() - start
    print(f'Final training loss: {loss_list[-1]:.4f} ({elapse:.2f} sec)')  # Final training loss: 0.4462 (...)

    # 4.1. Visualize the training loss curve
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.set_title(f'Training Loss (time: {elapse / 60:.2f} [min] @ {dev_name})')
    ax.plot(range(1, epoch_max + 1), loss_list)  # The slide's undefined `epochs` is epoch_max
    ax.set_xlabel('Epochs')
    ax.set_ylabel('Loss values')
    ax.set_xlim((1, max(epoch_max, 2)))  # The slide's `epochs` again (and 2 at least: one epoch has no width)
    ax.grid()
    common.save_figure(fig, args.out_dir, 'iris_classification_loss')

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
    ax.contourf(xx, yy, zz.reshape(xx.shape), cmap=ListedColormap(iris.color), alpha=0.2)

    # 4.3. Visualize data with their classification (fill: true class, edge: predicted class)
    accuracy = metrics.balanced_accuracy_score(iris.target, predict)  # On the training data, as on the slide
    print(f'Balanced accuracy on the training data: {accuracy:.3f}')  # Balanced accuracy on the training data: 0.760
    ax.set_title(f'Fully-connected NN (balanced accuracy on the training data: {accuracy:.3f})')
    ax.scatter(iris.data[:, 0], iris.data[:, 1], c=iris.color[iris.target], edgecolors=iris.color[predict])
    ax.set_xlabel(iris.feature_names[0])
    ax.set_ylabel(iris.feature_names[1])
    common.save_figure(fig, args.out_dir, 'iris_classification_boundaries')
