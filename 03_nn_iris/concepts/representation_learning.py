"""Deep learning is representation learning: the slide's ConvNetJS net learns features where a line separates the data.

Slide "What is Deep Learning?" (representation learning: draw a line to separate the red circles and
the green circles): the slide's ConvNetJS `layer_defs` (2 -> fc 6 tanh -> fc 2 tanh -> softmax 2) and
its `SGDTrainer` (lr 0.01, momentum 0.1, batch 10, l2_decay 0.001), written in PyTorch and trained on the
ConvNetJS demo's circle data: 50 green points inside radius 2, 50 red ones on a ring of radius 3 to 5.
No line separates them in the input space; in the 2-D space of the second tanh layer, one does.
It prints the trainer's update by hand beside torch.optim.SGD, then a linear classifier's accuracy on the
raw inputs (near chance) and on the 2-D hidden features (near 100 %), and draws both spaces.
In a notebook, `model`, `x`, `y` and `features` stay after the last cell, to inspect.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
from matplotlib.colors import ListedColormap
from sklearn.linear_model import LogisticRegression

# %% The slide's network and trainer (ConvNetJS), as constants
# layer_defs.push({type:'input', out_sx:1, out_sy:1, out_depth:2});
# layer_defs.push({type:'fc', num_neurons:6, activation: 'tanh'});
# layer_defs.push({type:'fc', num_neurons:2, activation: 'tanh'});
# layer_defs.push({type:'softmax', num_classes:2});
INPUT_DEPTH = 2
HIDDEN_NEURONS = [6, 2]
NUM_CLASSES = 2
# trainer = new convnetjs.SGDTrainer(net, {learning_rate:0.01, momentum:0.1, batch_size:10, l2_decay:0.001});
TRAINER = {'learning_rate': 0.01, 'momentum': 0.1, 'batch_size': 10, 'l2_decay': 0.001}
EPOCH_MAX = 1000      # Passes over the 100 points (the demo trains until you stop it; about 500 reach 100 %)
EPOCH_LOG = 200
RANDOM_SEED = 777
COLORS = np.array([(0.8, 0.4, 0.4), (0.4, 0.8, 0.4)])  # Class 0: red (the ring), class 1: green (the disk)


# %% The data: ConvNetJS's classify2d demo, `circle_data()`
def circle_data(rng, n=50):
    """The demo's circles: n green points (label 1) at a random radius 0-2, n red ones (label 0) at radius 3-5."""
    r, t = rng.uniform(0.0, 2.0, n), rng.uniform(0.0, 2 * math.pi, n)
    inner = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
    r, t = rng.uniform(3.0, 5.0, n), 2 * math.pi * np.arange(n) / n  # The demo: evenly spaced angles
    outer = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
    return np.concatenate([inner, outer]), np.array([1] * n + [0] * n)


# %% The slide's layer_defs in PyTorch
def make_net():
    """2 -> fc 6 tanh -> fc 2 tanh -> softmax 2, initialized as ConvNetJS does.

    ConvNetJS puts an fc layer of `num_classes` neurons in front of its softmax layer by itself (its
    `desugar`), so `softmax 2` is Linear(2, 2) here; the softmax is inside nn.CrossEntropyLoss.
    ConvNetJS draws every weight from N(0, 1/fan_in) and starts the biases at 0 (bias_pref, for tanh).
    """
    model = nn.Sequential(
        nn.Linear(INPUT_DEPTH, HIDDEN_NEURONS[0]), nn.Tanh(),         # fc 6, tanh
        nn.Linear(HIDDEN_NEURONS[0], HIDDEN_NEURONS[1]), nn.Tanh(),   # fc 2, tanh: the 2-D features drawn below
        nn.Linear(HIDDEN_NEURONS[1], NUM_CLASSES),                    # softmax 2: its fc layer (scores)
    )
    for layer in model:
        if isinstance(layer, nn.Linear):
            nn.init.normal_(layer.weight, 0.0, math.sqrt(1.0 / layer.in_features))
            nn.init.zeros_(layer.bias)
    return model


def features_of(model, x):
    """The output of the 2-D tanh layer: the representation the network learned."""
    return model[:4](x)


# %% The slide's trainer in PyTorch, and the same update by hand
def make_optimizer(model, trainer=TRAINER):
    """torch.optim.SGD doing what ConvNetJS's SGDTrainer does.

    ConvNetJS's decay loss is l2_decay * w^2 / 2 per weight: its gradient l2_decay * w is the form of
    PyTorch's `weight_decay`. But ConvNetJS adds it once per batch to the *summed* gradient and then
    divides by batch_size, and it never decays the biases (l2_decay_mul 0). So on the mean loss, the
    equivalent is weight_decay = l2_decay / batch_size = 0.0001 on the weights and 0 on the biases;
    `weight_decay=0.001` on every parameter would decay 10 times harder (and the biases too).
    ConvNetJS's momentum, dx = momentum * dx - lr * g, is PyTorch's (dampening 0) at a constant lr.
    """
    weights = [p for name, p in model.named_parameters() if name.endswith('weight')]
    biases = [p for name, p in model.named_parameters() if name.endswith('bias')]
    weight_decay = trainer['l2_decay'] / trainer['batch_size']
    return torch.optim.SGD([{'params': weights, 'weight_decay': weight_decay},
                            {'params': biases, 'weight_decay': 0.0}],
                           lr=trainer['learning_rate'], momentum=trainer['momentum'])


def convnetjs_update(params, grads, gsum, l2_decay_muls, trainer=TRAINER):
    """ConvNetJS's SGDTrainer update (trainer.js), weight by weight: `grads` are summed over the batch."""
    lr, momentum = trainer['learning_rate'], trainer['momentum']
    for p, g, gsumi, l2_decay_mul in zip(params, grads, gsum, l2_decay_muls):
        p, g, gsumi = p.view(-1), g.view(-1), gsumi.view(-1)
        l2_decay = trainer['l2_decay'] * l2_decay_mul
        for j in range(len(p)):
            l2grad = l2_decay * p[j]
            gij = (l2grad + g[j]) / trainer['batch_size']  # raw batch gradient
            dx = momentum * gsumi[j] - lr * gij              # step
            gsumi[j] = dx                                    # back this up for next iteration of momentum
            p[j] += dx                                       # apply corrected gradient


def compare_trainers(x, y, n_steps=3, seed=RANDOM_SEED):
    """Train two float64 copies for `n_steps` batches: ConvNetJS's update by hand, and `make_optimizer`.

    Returns the largest difference of their weights, and that against SGD with weight_decay=l2_decay
    on every parameter (the literal translation of the slide's setting).
    """
    torch.manual_seed(seed)
    model = make_net().double()
    by_hand, literal = make_net().double(), make_net().double()
    by_hand.load_state_dict(model.state_dict())
    literal.load_state_dict(model.state_dict())
    optimizer = make_optimizer(model)
    optimizer_literal = torch.optim.SGD(literal.parameters(), lr=TRAINER['learning_rate'],
                                        momentum=TRAINER['momentum'], weight_decay=TRAINER['l2_decay'])
    params = list(by_hand.parameters())
    gsum = [torch.zeros_like(p) for p in params]
    l2_decay_muls = [1.0 if name.endswith('weight') else 0.0 for name, _ in by_hand.named_parameters()]
    loss_func = nn.CrossEntropyLoss()
    x = x.double()
    batch_size = TRAINER['batch_size']
    for step in range(n_steps):
        xb, yb = x[step * batch_size:(step + 1) * batch_size], y[step * batch_size:(step + 1) * batch_size]
        for net, opt in ((model, optimizer), (literal, optimizer_literal)):
            opt.zero_grad()
            loss_func(net(xb), yb).backward()  # The mean over the batch
            opt.step()
        by_hand.zero_grad()
        nn.functional.cross_entropy(by_hand(xb), yb, reduction='sum').backward()  # ConvNetJS sums the samples
        with torch.no_grad():
            convnetjs_update(params, [p.grad for p in params], gsum, l2_decay_muls)
    return largest_difference(by_hand, model), largest_difference(by_hand, literal)


def largest_difference(model_a, model_b):
    return max((p - q).abs().max().item() for p, q in zip(model_a.parameters(), model_b.parameters()))


# %% Training as the demo does: mini-batches of 10 in the data's order, epoch after epoch
def train(model, optimizer, x, y, epochs, batch_size=TRAINER['batch_size'], log_every=EPOCH_LOG):
    """Train with the mean cross-entropy of each mini-batch; return [[epoch, loss, accuracy], ...]."""
    loss_func = nn.CrossEntropyLoss()
    history = []
    for epoch in range(1, epochs + 1):
        model.train()  # No dropout or batch norm here; said anyway, as in every loop of the tutorial
        for i in range(0, len(x), batch_size):
            optimizer.zero_grad()
            loss = loss_func(model(x[i:i + batch_size]), y[i:i + batch_size])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():  # Only measuring: no graph
            output = model(x)
            loss, accuracy = loss_func(output, y).item(), (output.argmax(dim=1) == y).float().mean().item()
        history.append([epoch, loss, accuracy])
        if log_every and (epoch % log_every == 0 or epoch == epochs):
            print(f'Epoch {epoch:5d}: loss {loss:.4f}, accuracy {accuracy:.2f}')
    return history


def linear_accuracy(features, labels):
    """The training accuracy of a linear classifier (logistic regression: one line) on `features`."""
    return LogisticRegression().fit(features, labels).score(features, labels)


# %% The figure: the input space with the decision regions, and the 2-D tanh layer's space
def draw_spaces(model, x, y, n_grid_lines=13, limit=6.0):
    """Left: the input space, colored by the network's decision. Right: the same points after the 2-D tanh
    layer, the input space's grid lines bent by it, and the line the last layer draws there."""
    fig, (ax_in, ax_hid) = plt.subplots(1, 2, figsize=(12, 5.5))
    x_np, y_np = x.cpu().numpy(), y.cpu().numpy()
    dev = next(model.parameters()).device
    with torch.no_grad():  # Drawing only
        xx, yy = np.meshgrid(np.linspace(-limit, limit, 241), np.linspace(-limit, limit, 241))
        grid = torch.tensor(np.stack([xx.ravel(), yy.ravel()], axis=1), dtype=torch.float32, device=dev)
        zz = model(grid).argmax(dim=1).cpu().numpy().reshape(xx.shape)
        ax_in.contourf(xx, yy, zz, levels=[-0.5, 0.5, 1.5], cmap=ListedColormap(COLORS), alpha=0.3)
        ax_in.scatter(x_np[:, 0], x_np[:, 1], c=COLORS[y_np], edgecolors='k')
        ax_in.set(title='Input space: no line separates them; the network does',
                  xlabel='$x_1$', ylabel='$x_2$', aspect='equal')

        # The grid lines of the input space, as the 2-D tanh layer bends them (as the ConvNetJS demo draws them)
        line = torch.linspace(-limit, limit, 200, device=dev)
        for c in np.linspace(-limit, limit, n_grid_lines):
            for points in (torch.stack([line, torch.full_like(line, c)], 1),
                           torch.stack([torch.full_like(line, c), line], 1)):
                h = features_of(model, points).cpu().numpy()
                ax_hid.plot(h[:, 0], h[:, 1], color='0.75', linewidth=0.6)
        h = features_of(model, x).cpu().numpy()
        ax_hid.scatter(h[:, 0], h[:, 1], c=COLORS[y_np], edgecolors='k', zorder=3)
        # The last layer (softmax 2) decides class 1 where score_1 > score_0: a line in (h_1, h_2)
        w, b = model[4].weight.cpu().numpy(), model[4].bias.cpu().numpy()
        dw, db = w[1] - w[0], b[1] - b[0]
        hh1, hh2 = np.meshgrid(np.linspace(-1.05, 1.05, 211), np.linspace(-1.05, 1.05, 211))
        side = (dw[0] * hh1 + dw[1] * hh2 + db > 0).astype(int)
        ax_hid.contourf(hh1, hh2, side, levels=[-0.5, 0.5, 1.5], cmap=ListedColormap(COLORS), alpha=0.3)
        ax_hid.contour(hh1, hh2, dw[0] * hh1 + dw[1] * hh2 + db, levels=[0.0], colors='k', linewidths=1.5)
        ax_hid.set(title='The 2-D tanh layer: the same points, separated by a line',
                   xlabel='$h_1$', ylabel='$h_2$', xlim=(-1.05, 1.05), ylim=(-1.05, 1.05), aspect='equal')
    return fig


# %% Steps
if __name__ == '__main__':
    # 0. Options (the slide's settings are fixed: edit TRAINER to try others, as the demo lets you)
    parser = common.make_parser('representation_learning', __doc__, device='cpu', seed=RANDOM_SEED, out_dir=True,
                                epochs=EPOCH_MAX)
    args = parser.parse_args()  # A notebook has no command line: the defaults, which are the constants above
    common.set_seed(args.seed)
    dev = args.device  # A network of 38 numbers: the CPU is quickest
    if dev.type == 'cpu':
        torch.set_num_threads(1)  # Tiny steps: with two threads each waits for the other (10 times slower when busy)

    # 1. The data: the demo's circles
    x_np, y_np = circle_data(np.random.default_rng(args.seed))
    x = torch.tensor(x_np, dtype=torch.float32, device=dev)
    y = torch.tensor(y_np, dtype=torch.long, device=dev)

    # 2. The slide's network and trainer
    model = make_net().to(dev)
    print(model)
    print('Parameters:', sum(p.numel() for p in model.parameters()))  # 38 (2*6+6 + 6*2+2 + 2*2+2)
    optimizer = make_optimizer(model)
    difference, difference_literal = compare_trainers(x.cpu(), y.cpu())
    print(f'ConvNetJS SGDTrainer by hand vs torch.optim.SGD (weight_decay = l2_decay / batch_size on the weights), '
          f'3 batches, float64: largest difference {difference:.1g}')  # about 1e-17
    print(f'... vs torch.optim.SGD(weight_decay=l2_decay) on every parameter: largest difference '
          f'{difference_literal:.1g} (not the same update)')

    # 3. Train it
    history = train(model, optimizer, x, y, args.epochs)

    # 4. A line on the raw inputs, and a line on the learned features
    model.eval()
    with torch.no_grad():
        features = features_of(model, x)
    accuracy_raw = linear_accuracy(x_np, y_np)
    accuracy_features = linear_accuracy(features.cpu().numpy(), y_np)
    print(f'Linear classifier on the raw inputs (x1, x2):      accuracy {accuracy_raw:.2f}')       # about 0.5 (chance)
    print(f'Linear classifier on the 2-D tanh features (h1, h2): accuracy {accuracy_features:.2f}')  # 1.00
    print(f'The network itself: accuracy {history[-1][2]:.2f}')  # 1.00

    # 5. The figure
    fig = draw_spaces(model, x, y)
    common.save_figure(fig, args.out_dir, 'representation_learning')
