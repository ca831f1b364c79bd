"""Iris flower classification in "my style": MyDNN, mini-batches, train/evaluate functions and a log line.

Slides "Practice) Iris Flower Classification - My Style (1/5)-(5/5)": a two-layer network with Xavier
initialization learns the three Iris classes from two features (sepal length and width), in shuffled
mini-batches of 50, with SGD (lr 0.01) for 10,000 epochs. As on the slide, it is evaluated on its own
training data every epoch: there is no held-out data, so VaLoss and VaAcc are the loss and the accuracy
on the training data. It draws the loss curves and the decision boundaries and saves metrics.json.
In a notebook, `model`, `loss_list`, `x` and `y` stay after the last cell, to inspect.

Changed from the slide, each where it is: losses are true per-sample means (the slide divides the
batch mean by the number of samples once more), and each mini-batch is taken with one index.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch  # noqa: I001 (imports in the order of the slide)
import torch.nn as nn
import torch.nn.functional as F
import numpy as np
import matplotlib.pyplot as plt
from sklearn import datasets, metrics
from matplotlib.colors import ListedColormap
import time

# %% Define hyperparameters (the slide's; the options below start from them)
EPOCH_MAX = 10000
EPOCH_LOG = 1000
OPTIMIZER_PARAM = {'lr': 0.01}
DATA_LOADER_PARAM = { 'batch_size': 50, 'shuffle': True }
USE_CUDA = torch.cuda.is_available()
RANDOM_SEED = 777


# %% A two-layer NN model
class MyDNN(nn.Module):
    def __init__(self, input_size=2, output_size=3):
        super(MyDNN, self).__init__()
        self.fc1 = nn.Linear(input_size, 4)   # (N, 2) -> (N, 4)
        self.fc2 = nn.Linear(4, output_size)  # (N, 4) -> (N, 3)

        nn.init.xavier_uniform_(self.fc1.weight)
        nn.init.xavier_uniform_(self.fc2.weight)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return x  # Scores (logits); F.cross_entropy applies the softmax itself


# %% Train a model with the given batches
def train(model, batch_data, loss_func, optimizer):
    model.train() # Notify layers (e.g. DropOut, BatchNorm) that it's now training
    train_loss, n_data = 0, 0
    dev = next(model.parameters()).device
    for batch_idx, (x, y) in enumerate(batch_data):  # noqa: B007 (batch_idx as on the slide)
        x, y = x.to(dev), y.to(dev)
        optimizer.zero_grad()
        output = model(x)
        loss = loss_func(output, y)
        loss.backward()
        optimizer.step()

        train_loss += loss.item() * len(y)  # The slide: loss.item(), a batch mean, and so divides by n_data twice
        n_data += len(y)
    return train_loss / n_data


# %% Evaluate a model with the given batches
def evaluate(model, batch_data, loss_func):
    model.eval() # Notify layers (e.g. DropOut, BatchNorm) that it's now testing
    test_loss, n_correct, n_data = 0, 0, 0
    with torch.no_grad():
        dev = next(model.parameters()).device
        for x, y in batch_data:
            x, y = x.to(dev), y.to(dev)
            output = model(x)
            loss = loss_func(output, y)
            y_pred = torch.argmax(output, dim=1)

            test_loss += loss.item() * len(y)  # The slide: loss.item(), as in train
            n_correct += (y == y_pred).sum().item()
            n_data += len(y)
    return test_loss / n_data, n_correct / n_data


# %% Steps 0-5 of the slides
if __name__ == '__main__':
    # 0. Preparation
    parser = common.make_parser('iris_my_style', __doc__, device='auto', seed=RANDOM_SEED, out_dir=True,
                                epochs=EPOCH_MAX, batch_size=DATA_LOADER_PARAM['batch_size'], lr=OPTIMIZER_PARAM['lr'])
    args = parser.parse_args()  # A notebook has no command line: the defaults, which are the constants above
    EPOCH_MAX, RANDOM_SEED, OPTIMIZER_PARAM['lr'], DATA_LOADER_PARAM['batch_size'] = \
        args.epochs, args.seed, args.lr, args.batch_size  # What the options say, in the slide's names
    torch.manual_seed(RANDOM_SEED)
    if USE_CUDA:
        torch.cuda.manual_seed_all(RANDOM_SEED)
    dev = args.device  # The slide: cuda if USE_CUDA, else cpu; --device auto (the default) also finds mps
    print(f'Device: {dev}')
    if dev.type == 'cpu':  # Not on the slide: one thread, as fast for batches of 32 x 2, and never waiting for a
        torch.set_num_threads(1)  # core that another program keeps busy (benchmarks/busy_machine.py)

    # 1.1. Load the Iris dataset partially
    iris = datasets.load_iris()
    iris.data = iris.data[:,0:2]  # Only sepal length and width, so the result can be drawn in 2D
    iris.feature_names = iris.feature_names[0:2]
    iris.color = np.array([(1, 0, 0), (0, 1, 0), (0, 0, 1)])  # Red, green, blue for the three classes

    # 1.2. Wrap the dataset with torch.utils.data.DataLoader
    x = torch.tensor(iris.data, dtype=torch.float32, device=dev)
    y = torch.tensor(iris.target, dtype=torch.long, device=dev)
    data_train = torch.utils.data.TensorDataset(x, y)
    generator = torch.Generator().manual_seed(RANDOM_SEED)  # The shuffling's own random numbers, seeded too
    # The slide: torch.utils.data.DataLoader(data_train, **DATA_LOADER_PARAM); this one takes a batch with one index
    loader_train = common.tensor_loader(*data_train.tensors, **DATA_LOADER_PARAM, generator=generator)

    # 2. Instantiate a model, loss function, and optimizer
    model = MyDNN().to(dev)
    loss_func = F.cross_entropy
    optimizer = torch.optim.SGD(model.parameters(), **OPTIMIZER_PARAM)

    # 3. Train the model
    print('VaLoss, VaAcc: on the training data, as on the slide (no held-out data)')
    loss_list = []
    start = time.time()
    for epoch in range(1, EPOCH_MAX + 1):
        train_loss = train(model, loader_train, loss_func, optimizer)
        valid_loss, valid_accuracy = evaluate(model, [(x, y)], loss_func)  # The slide: loader_train (same numbers)

        loss_list.append([epoch, train_loss, valid_loss, valid_accuracy])
        if epoch % EPOCH_LOG == 0:
            elapse = time.time() - start
            print(f'{epoch:>6} ({elapse:>6.2f} sec), TrLoss={train_loss:.6f}, VaLoss={valid_loss:.6f}, VaAcc={valid_accuracy:.3f}')  # noqa: E501
            #   1000 (  7.71 sec), TrLoss=0.009773, VaLoss=0.009769, VaAcc=0.707  (the slide's first line)
            #  10000 ( 75.14 sec), TrLoss=0.007928, VaLoss=0.007880, VaAcc=0.800  (the slide's last line)
            # Here the losses are about 50 times the slide's (0.49 to 0.39): not divided by 50 once more
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
    common.save_figure(fig, args.out_dir, 'iris_my_style_loss')

    # 4.2. Visualize training results (decision boundaries), as on slide "Iris Flower Classification (3/3)"
    fig, ax = plt.subplots(figsize=(7, 5.5))
    x_min, x_max = iris.data[:, 0].min() - 1, iris.data[:, 0].max() + 1
    y_min, y_max = iris.data[:, 1].min() - 1, iris.data[:, 1].max() + 1
    xx, yy = np.meshgrid(np.arange(x_min, x_max, 0.01), np.arange(y_min, y_max, 0.01))
    xy = np.vstack((xx.flatten(), yy.flatten())).T
    xy_tensor = torch.from_numpy(xy).float().to(dev)
    zz = torch.argmax(model(xy_tensor), dim=1).cpu().detach().numpy()
    ax.contourf(xx, yy, zz.reshape(xx.shape), cmap=ListedColormap(iris.color), alpha=0.2)

    # 4.3. Visualize data with their classification (fill: true class, edge: predicted class)
    predict = torch.argmax(model(x), dim=1).cpu().detach().numpy()
    balanced_accuracy = metrics.balanced_accuracy_score(iris.target, predict)
    ax.set_title(f'My DNN on its training data (balanced accuracy: {balanced_accuracy:.3f})')
    ax.scatter(iris.data[:,0], iris.data[:,1], c=iris.color[iris.target], edgecolors=iris.color[predict])
    ax.set_xlabel(iris.feature_names[0])
    ax.set_ylabel(iris.feature_names[1])
    common.save_figure(fig, args.out_dir, 'iris_my_style_boundaries')
    print(f'Accuracy on the training data: {valid_accuracy:.3f}, balanced: {balanced_accuracy:.3f}, '
          f'training time: {elapse:.2f} sec')  # Accuracy on the training data: 0.800, balanced: 0.800, ...

    # 5. Save the numbers for later (written atomically: never half-written)
    metrics_path = common.save_json({
        'train_accuracy': valid_accuracy, 'train_balanced_accuracy': float(balanced_accuracy),
        'train_loss': train_loss, 'epochs': EPOCH_MAX, 'batch_size': DATA_LOADER_PARAM['batch_size'],
        'lr': OPTIMIZER_PARAM['lr'], 'seed': RANDOM_SEED, 'train_seconds': elapse,
        'seconds_per_1000_epochs': elapse / EPOCH_MAX * 1000, 'device': str(dev), 'machine': common.describe_machine(),
    }, args.out_dir / 'metrics.json')
    print(f'Metrics saved: {metrics_path}')
