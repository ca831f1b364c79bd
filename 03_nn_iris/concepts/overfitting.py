"""Overfitting and what the slides do against it: data separation, early stopping, weight decay, cross-validation.

Slide "Summary" (Issue #2, overfitting): data separation (train/validation/test data),
cross-validation and early stopping, and loss functions with regularization terms.
A network of about 4,500 parameters learns 40 noisy points of two interleaved half-moons: its training loss goes
to 0 while its validation loss turns up. Early stopping keeps the weights of the best validation epoch;
weight decay (the L2 term (lambda/2) sum w^2 added to the loss, checked against PyTorch's `weight_decay`)
keeps the validation loss from turning up; 5-fold cross-validation (sklearn KFold) compares the two
settings as mean +- std. Every choice uses the training and validation data only (cross-validation chooses
lambda, early stopping the epoch); the 1,000 test points are looked at once, at the end, for the one model chosen.
The figure marks the best validation epoch on the loss curves; below, how sure three models are over the plane:
without weight decay at the last epoch (sure of every point up to its boundary: the validation loss grows), at the
early-stopping epoch, and with weight decay at the last epoch (both unsure near their boundaries).
In a notebook, `model`, `history` and the data splits stay after the last cell, to inspect.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import copy

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_moons
from sklearn.model_selection import KFold, train_test_split

# %% Hyperparameters
N_TRAIN, N_VALID, N_TEST = 40, 40, 1000  # A small training set: easy to overfit
NOISE = 0.3                              # How much the two half-moons overlap
HIDDEN = 64                              # Two hidden layers of 64: far more weights than data
EPOCH_MAX = 300                          # Full-batch steps (one step per epoch)
LR = 0.01                                # Adam
WEIGHT_DECAY = 0.01                      # lambda of the L2 term, for the runs "with weight decay"
N_FOLDS = 5
RANDOM_SEED = 777
COLORS = np.array([(0.85, 0.3, 0.3), (0.3, 0.45, 0.85)])


# %% Data separation: train / validation / test
def make_data(seed):
    """Two noisy half-moons, split into training, validation and test data (x, y each, as NumPy arrays)."""
    x, y = make_moons(N_TRAIN + N_VALID + N_TEST, noise=NOISE, random_state=seed)
    x_rest, x_test, y_rest, y_test = train_test_split(x, y, test_size=N_TEST, random_state=seed, stratify=y)
    x_train, x_valid, y_train, y_valid = train_test_split(x_rest, y_rest, test_size=N_VALID, random_state=seed,
                                                          stratify=y_rest)
    return (x_train, y_train), (x_valid, y_valid), (x_test, y_test)


def to_tensors(x, y, device='cpu'):
    return (torch.tensor(x, dtype=torch.float32, device=device), torch.tensor(y, dtype=torch.long, device=device))


def make_model():
    return nn.Sequential(nn.Linear(2, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 2))


# %% Loss functions with regularization terms: the L2 term by hand, against PyTorch's weight_decay
def l2_term(model, weight_decay):
    """(lambda / 2) sum_w w^2 over every parameter: its gradient is lambda * w, what `weight_decay` adds."""
    return weight_decay / 2 * sum((p ** 2).sum() for p in model.parameters())


def compare_weight_decay(optimizer_class, weight_decay=WEIGHT_DECAY, n_steps=3, seed=RANDOM_SEED):
    """Take `n_steps` steps (float64) two ways: the L2 term added to the loss, and `weight_decay` of the
    optimizer; return the largest difference of the weights."""
    torch.manual_seed(seed)
    x, y = torch.randn(16, 2, dtype=torch.float64), torch.randint(0, 2, (16,))
    by_hand = make_model().double()
    by_pytorch = copy.deepcopy(by_hand)
    optimizer_hand = optimizer_class(by_hand.parameters(), lr=LR, weight_decay=0.0)  # Only the L2 term (AdamW's
    # default weight_decay is 0.01, not 0)
    optimizer = optimizer_class(by_pytorch.parameters(), lr=LR, weight_decay=weight_decay)
    for _ in range(n_steps):
        optimizer_hand.zero_grad()
        (F.cross_entropy(by_hand(x), y) + l2_term(by_hand, weight_decay)).backward()
        optimizer_hand.step()
        optimizer.zero_grad()
        F.cross_entropy(by_pytorch(x), y).backward()
        optimizer.step()
    return max((p - q).abs().max().item() for p, q in zip(by_hand.parameters(), by_pytorch.parameters()))


# %% Training with a validation set and early stopping
def evaluate(model, x, y):
    """Loss (mean cross entropy, without the L2 term) and accuracy."""
    model.eval()  # No dropout or batch norm here; said anyway, as in every loop of the tutorial
    with torch.no_grad():  # Only measuring: no graph
        output = model(x)
        return F.cross_entropy(output, y).item(), (output.argmax(dim=1) == y).float().mean().item()


def fit(model, train_data, valid_data, epochs, weight_decay=0.0, lr=LR):
    """Full-batch Adam; returns [[epoch, train loss, valid loss, valid accuracy], ...], the best validation
    epoch and the weights of that epoch (early stopping: the weights to keep)."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    (x, y), history = train_data, []
    best_loss, best_epoch, best_state = float('inf'), 0, None
    for epoch in range(1, epochs + 1):
        model.train()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        train_loss, _ = evaluate(model, x, y)
        valid_loss, valid_accuracy = evaluate(model, *valid_data)
        history.append([epoch, train_loss, valid_loss, valid_accuracy])
        if valid_loss < best_loss:
            best_loss, best_epoch, best_state = valid_loss, epoch, copy.deepcopy(model.state_dict())
    return history, best_epoch, best_state


# %% Cross-validation: every point validates once
def cross_validate(x, y, weight_decay, epochs, n_folds=N_FOLDS, seed=RANDOM_SEED, device='cpu'):
    """k-fold cross-validation (sklearn KFold) on (x, y): the validation loss and accuracy of each fold's
    model after `epochs`, as an array of shape (n_folds, 2)."""
    scores = []
    for train_index, valid_index in KFold(n_folds, shuffle=True, random_state=seed).split(x):
        torch.manual_seed(seed)
        model = make_model().to(device)
        fit(model, to_tensors(x[train_index], y[train_index], device),
            to_tensors(x[valid_index], y[valid_index], device), epochs, weight_decay)
        scores.append(evaluate(model, *to_tensors(x[valid_index], y[valid_index], device)))
    return np.array(scores)


# %% The figure
def draw(runs, maps, train_np, out_grid=200):
    """Top: training and validation loss of each run (title, history, best epoch), the best validation epoch marked.
    Bottom: each map (title, model): the model's probability of the blue class over the plane, its decision boundary
    (probability 0.5) and the training data: how sure the model is, not only where its boundary lies."""
    fig = plt.figure(figsize=(16, 10), constrained_layout=True)  # Titles and labels apart
    grid_spec = fig.add_gridspec(2, 2 * len(maps), height_ratios=(1, 1.05))
    loss_axes = [fig.add_subplot(grid_spec[0, k * len(maps):(k + 1) * len(maps)]) for k in range(2)]
    map_axes = [fig.add_subplot(grid_spec[1, 2 * k:2 * k + 2]) for k in range(len(maps))]
    x_np, y_np = train_np
    xx, yy = np.meshgrid(np.linspace(-2, 3, out_grid), np.linspace(-1.6, 2.1, out_grid))
    for (title, history, best_epoch), ax in zip(runs, loss_axes):
        h = np.array(history)
        ax.plot(h[:, 0], h[:, 1], label='Training loss')
        ax.plot(h[:, 0], h[:, 2], label='Validation loss')
        ax.axvline(best_epoch, color='k', linestyle=':', label=f'Early stopping: epoch {best_epoch}')
        ax.plot(best_epoch, h[best_epoch - 1, 2], 'ko')
        ax.set(title=title, xlabel='Epochs', ylabel='Loss (cross entropy)', ylim=(0, max(1.0, h[:, 2].max() * 1.05)))
        ax.grid()
        ax.legend()
    for (title, model), ax_map in zip(maps, map_axes):
        dev = next(model.parameters()).device
        model.eval()
        with torch.no_grad():  # Only the values
            grid = torch.tensor(np.stack([xx.ravel(), yy.ravel()], axis=1), dtype=torch.float32, device=dev)
            probability = model(grid).softmax(dim=1)[:, 1].cpu().numpy().reshape(xx.shape)
        shading = ax_map.contourf(xx, yy, probability, levels=np.linspace(0, 1, 11), cmap='RdBu', alpha=0.6)
        ax_map.contour(xx, yy, probability, levels=[0.5], colors='k')
        ax_map.scatter(x_np[:, 0], x_np[:, 1], c=COLORS[y_np], edgecolors='k', zorder=3)
        ax_map.set(title=title, xlabel='$x_1$', ylabel='$x_2$')
    fig.colorbar(shading, ax=map_axes, label='Probability of the blue class (black line: 0.5)', fraction=0.02)
    return fig


# %% Steps
if __name__ == '__main__':
    parser = common.make_parser('overfitting', __doc__, device='cpu', seed=RANDOM_SEED, out_dir=True, epochs=EPOCH_MAX)
    parser.add_argument('--weight-decay', type=common.non_negative_float, default=WEIGHT_DECAY,
                        help='lambda of the L2 term for the runs with weight decay')
    args = parser.parse_args()  # A notebook has no command line: the defaults, which are the constants above
    dev = args.device  # A network of 4,500 weights on 40 points: the CPU is quickest
    if dev.type == 'cpu':
        torch.set_num_threads(1)  # Tiny steps: with two threads each waits for the other (10 times slower when busy)

    # 1. Data separation: training data to learn from, validation data to choose with, test data to report
    train_np, valid_np, test_np = make_data(args.seed)
    train_data, valid_data, test_data = (to_tensors(*part, dev) for part in (train_np, valid_np, test_np))
    print(f'Training {len(train_np[1])}, validation {len(valid_np[1])}, test {len(test_np[1])} points')
    # Training 40, validation 40, test 1000 points

    # 2. The regularization term by hand vs PyTorch's weight_decay (float64)
    for optimizer_class in (torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW):
        difference = compare_weight_decay(optimizer_class, args.weight_decay)
        print(f'Loss + (lambda/2) sum w^2 vs {optimizer_class.__name__}(weight_decay=lambda): '
              f'largest difference {difference:.1g}')
    # SGD and Adam: 0 or about 1e-16, the same method. AdamW decays the weights apart from the gradient
    # (decoupled weight decay, w <- w - lr * lambda * w beside Adam's step): another method, 0.06 apart here

    # 3. Train without and with weight decay; early stopping keeps the best validation epoch's weights
    runs, last, early_stopped = [], {}, {}
    for weight_decay in (0.0, args.weight_decay):
        common.set_seed(args.seed)  # The same initial weights for both
        model = make_model().to(dev)
        history, best_epoch, best_state = fit(model, train_data, valid_data, args.epochs, weight_decay)
        early = make_model().to(dev)
        early.load_state_dict(best_state)
        name = 'no weight decay' if weight_decay == 0 else f'weight decay {weight_decay:g}'
        valid_min, valid_last = history[best_epoch - 1][2], history[-1][2]
        print(f'{name}: training loss {history[-1][1]:.4f} at the last epoch; validation loss {valid_min:.3f} '
              f'at its best epoch ({best_epoch}), {valid_last:.3f} at the last ({args.epochs})')
        last[weight_decay], early_stopped[weight_decay] = model, (early, best_epoch)
        runs.append((f'{name.capitalize()} (Adam, lr {LR}, {len(train_np[1])} training points)', history, best_epoch))
    # no weight decay: training loss 0.0000 ...; validation loss 0.310 at its best epoch (41), 0.560 at the last (300)
    # weight decay 0.01: training loss 0.0523 ...; validation loss 0.332 at its best epoch (295), 0.332 at the last

    # 4. 5-fold cross-validation on the training and validation data together (80 points), for both settings
    x_pool = np.concatenate([train_np[0], valid_np[0]])
    y_pool = np.concatenate([train_np[1], valid_np[1]])
    cv_loss = {}
    for weight_decay in (0.0, args.weight_decay):
        scores = cross_validate(x_pool, y_pool, weight_decay, args.epochs, seed=args.seed, device=dev)
        cv_loss[weight_decay] = scores[:, 0].mean()
        print(f'{N_FOLDS}-fold cross-validation, weight decay {weight_decay:g}: validation loss '
              f'{scores[:, 0].mean():.3f} +- {scores[:, 0].std():.3f}, accuracy '
              f'{scores[:, 1].mean():.3f} +- {scores[:, 1].std():.3f}')
    # weight decay 0: validation loss 0.387 +- 0.449 (one fold's loss runs away); 0.01: 0.197 +- 0.102
    chosen = min(cv_loss, key=cv_loss.get)
    print(f'Cross-validation chooses weight decay {chosen:g} (the lower mean validation loss)')
    # Cross-validation chooses weight decay 0.01

    # 5. The held-out test data, looked at once: for the one model chosen without it
    final, final_epoch = early_stopped[chosen]
    test_loss, test_accuracy = evaluate(final, *test_data)
    print(f'Chosen with the training and validation data only: weight decay {chosen:g} (cross-validation), the '
          f'weights of epoch {final_epoch} (early stopping)')
    print(f'On the {len(test_np[1])} test points, looked at once: loss {test_loss:.3f}  accuracy {test_accuracy:.3f}')
    # On the 1000 test points, looked at once: loss 0.290  accuracy 0.866

    # 6. The figure: the model that overfits (no weight decay, the last epoch) beside the two that the slide's methods
    # give: early stopping (the same run's best validation epoch) and weight decay (its last epoch)
    maps = [(f'No weight decay, last epoch ({args.epochs}):\nvalidation loss {runs[0][1][-1][2]:.3f}', last[0.0]),
            (f'No weight decay, early stopping (epoch {early_stopped[0.0][1]}):\nvalidation loss '
             f'{runs[0][1][early_stopped[0.0][1] - 1][2]:.3f}', early_stopped[0.0][0]),
            (f'Weight decay {args.weight_decay:g}, last epoch ({args.epochs}):\nvalidation loss '
             f'{runs[-1][1][-1][2]:.3f}', last[args.weight_decay])]
    common.save_figure(draw(runs, maps, train_np), args.out_dir, 'overfitting')
