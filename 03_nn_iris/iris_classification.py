"""Iris flower classification with raw tensors: a 2-4-3 network trained on the whole dataset in every step.

Slides "Practice) Iris Flower Classification (1/3)-(3/3)": two features (sepal length and width),
4 hidden units with ReLU, cross entropy, SGD with lr 0.01, 10,000 epochs of one step on all
150 samples. It draws the training loss curve and the decision boundaries. As on the slide, the
accuracy is measured on the training data itself (there is no held-out data): it says how well the
network fits the data it learned from, not how well it does on new flowers.
In a notebook, `model`, `loss_list`, `x` and `y` stay after the last cell, to inspect.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports and options (`python 03_nn_iris/iris_classification.py --help`; a notebook runs with the defaults)
import torch  # noqa: I001 (imports in the order of the slide)
import torch.nn as nn
import numpy as np
import matplotlib.pyplot as plt
from sklearn import (datasets, metrics)
from matplotlib.colors import ListedColormap
import time

parser = common.make_parser('iris_classification', __doc__, device='auto', seed=777, out_dir=True, epochs=10000,
                            lr=0.01)  # The defaults are the slide's values (it sets no seed)
args = parser.parse_args()
common.set_seed(args.seed)  # The same seed gives the same numbers on the CPU
if args.device.type == 'cpu':  # Not on the slide: one thread, as fast for a 150 x 2 tensor, and never waiting for
    torch.set_num_threads(1)  # a core that another program keeps busy (benchmarks/busy_machine.py)

# %% 1. Load the data
# 1.1. Load a dataset partially
iris = datasets.load_iris()
iris.data = iris.data[:,0:2]  # Only sepal length and width, so the result can be drawn in 2D
iris.feature_names = iris.feature_names[0:2]
iris.color = np.array([(1, 0, 0), (0, 1, 0), (0, 0, 1)])  # Red, green, blue for the three classes

# 1.2. Load the dataset as tensors
dev_name = str(args.device)  # The slide: cuda if available, else cpu; --device auto also finds mps (--device cpu)
print(f'Device: {dev_name}')  # Device: cpu  (cuda with a GPU)
iris.data = iris.data.astype(np.float32)  # MPS (a Mac's GPU) has no float64, NumPy's default: float32 first
x = torch.tensor(iris.data, device=dev_name).float()
y = torch.tensor(iris.target, device=dev_name).long()

# %% 2. Define a model
# - Try the different number of hidden layers
# - Try less or more layers with different transfer functions
input_size, output_size = len(iris.feature_names), len(iris.target_names)
model = nn.Sequential(
    nn.Linear(input_size, 4),   # (N, 2) -> (N, 4)
    nn.ReLU(),
    nn.Linear(4, output_size),  # (N, 4) -> (N, 3)
).to(dev_name)

# %% 3. Train the model
loss_func = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr) # Try other optimizers, e.g. torch.optim.Adam
epoch_max = args.epochs  # The slide: 10000 (the default of --epochs)
loss_list = []
start = time.time()
for i in range(epoch_max):  # noqa: B007 (i as on the slide)
    # Train one iteration
    optimizer.zero_grad()
    output = model(x)
    loss = loss_func(output, y)
    loss.backward()
    optimizer.step()

    # Record the loss
    loss_list.append(loss.item())  # The slide: loss / len(x), a tensor (it keeps its graph) divided once more
elapse = time.time() - start
print(f'Final training loss: {loss_list[-1]:.4f} ({elapse:.2f} sec)')  # Final training loss: 0.4462 (...)

# %% 4.1. Visualize the training loss curve (one cell: a notebook shows the figure at its end)
fig = plt.figure()  # A new figure, saved below
plt.title(f'Training Loss (time: {elapse/60:.2f} [min] @ {dev_name})')
plt.plot(range(1, epoch_max + 1), loss_list)  # The slide: epochs, undefined (the loop counts epoch_max)
plt.xlabel('Epochs')
plt.ylabel('Loss values')
plt.xlim((1, epoch_max))  # The slide: epochs again
plt.grid()
plt.show()
common.save_figure(fig, args.out_dir, 'iris_classification_loss', show=False)  # Saved as PNG too (prints its path)

# %% 4.2-4.3. Visualize the results (one cell: one figure)
# 4.2. Visualize training results (decision boundaries)
fig = plt.figure()
x_min, x_max = iris.data[:, 0].min() - 1, iris.data[:, 0].max() + 1
y_min, y_max = iris.data[:, 1].min() - 1, iris.data[:, 1].max() + 1
xx, yy = np.meshgrid(np.arange(x_min, x_max, 0.01), np.arange(y_min, y_max, 0.01))
xy = np.vstack((xx.flatten(), yy.flatten())).T
xy_tensor = torch.from_numpy(xy).float().to(dev_name)
zz = torch.argmax(model(xy_tensor), dim=1).cpu().detach().numpy()
plt.contourf(xx, yy, zz.reshape(xx.shape), cmap=ListedColormap(iris.color), alpha=0.2)

# 4.3. Visualize data with their classification (fill: true class, edge: predicted class)
predict = torch.argmax(model(x), dim=1).cpu().detach().numpy()
accuracy = metrics.balanced_accuracy_score(iris.target, predict)
print(f'Balanced accuracy on the training data: {accuracy:.3f}')  # Balanced accuracy on the training data: 0.760
plt.title(f'Fully-connected NN (accuracy: {accuracy:.3f} on the training data)')
plt.scatter(iris.data[:,0], iris.data[:,1], c=iris.color[iris.target], edgecolors=iris.color[predict])
plt.xlabel(iris.feature_names[0])
plt.ylabel(iris.feature_names[1])
plt.show()
common.save_figure(fig, args.out_dir, 'iris_classification_boundaries', show=False)
