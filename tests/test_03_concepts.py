"""Tests of 03_nn_iris/concepts: representation learning, perceptron and backpropagation, losses, overfitting.

Each formula is checked against an independent computation (PyTorch's own module or optimizer, SymPy,
SciPy or scikit-learn), on small tensors, in process; each script runs once as a notebook, with tiny options.
"""
import math
import re

import numpy as np
import pytest
import scipy.special
import sympy
import torch
import torch.nn as nn
import torch.nn.functional as F
from conftest import load_script, notebook_images, notebook_text, run_main
from sklearn.metrics import log_loss

SECTION = '03_nn_iris/concepts'
REPRESENTATION = f'{SECTION}/representation_learning.py'
PERCEPTRON = f'{SECTION}/perceptron_backprop.py'
LOSSES = f'{SECTION}/loss_functions.py'
OVERFITTING = f'{SECTION}/overfitting.py'
DIFFERENCE = re.compile(r'largest difference ([-+.\de]+)')


@pytest.fixture(scope='module')
def rep():
    return load_script(REPRESENTATION)


@pytest.fixture(scope='module')
def pb():
    return load_script(PERCEPTRON)


@pytest.fixture(scope='module')
def lf():
    return load_script(LOSSES)


@pytest.fixture(scope='module')
def of():
    return load_script(OVERFITTING)


def differences_in(text):
    """Every 'largest difference X' that a script printed, as numbers."""
    found = [float(value) for value in DIFFERENCE.findall(text)]
    assert found, text
    return found


# Representation learning (slide "What is Deep Learning?") -------------------------------------------------
def test_the_slides_layer_defs_in_pytorch(rep):
    model = rep.make_net()
    shapes = [tuple(layer.weight.shape) for layer in model if isinstance(layer, nn.Linear)]
    assert shapes == [(6, 2), (2, 6), (2, 2)]  # fc 6, fc 2, and the fc layer ConvNetJS puts before its softmax
    assert [type(layer) for layer in model][1::2] == [nn.Tanh, nn.Tanh]
    assert rep.features_of(model, torch.zeros(7, 2)).shape == (7, 2)
    assert all(layer.bias.abs().max() == 0 for layer in model if isinstance(layer, nn.Linear))


def test_circle_data_is_the_demos(rep):
    x, y = rep.circle_data(np.random.default_rng(0))
    radius = np.hypot(x[:, 0], x[:, 1])
    assert x.shape == (100, 2) and (y == 1).sum() == 50
    assert radius[y == 1].max() <= 2 and radius[y == 0].min() >= 3 and radius[y == 0].max() <= 5


def test_convnetjs_update_is_sgd_with_weight_decay_over_batch_size_on_weights_only(rep):
    """ConvNetJS's update by hand, two batches, against torch.optim.SGD set up here from the trainer's numbers."""
    torch.manual_seed(0)
    model = rep.make_net().double()
    by_hand = rep.make_net().double()
    by_hand.load_state_dict(model.state_dict())
    trainer = rep.TRAINER
    optimizer = torch.optim.SGD([
        {'params': [model[i].weight for i in (0, 2, 4)], 'weight_decay': trainer['l2_decay'] / trainer['batch_size']},
        {'params': [model[i].bias for i in (0, 2, 4)], 'weight_decay': 0.0}],
        lr=trainer['learning_rate'], momentum=trainer['momentum'])
    params = list(by_hand.parameters())
    gsum = [torch.zeros_like(p) for p in params]
    muls = [1.0 if p.dim() == 2 else 0.0 for p in params]
    for _ in range(2):
        x, y = torch.randn(10, 2, dtype=torch.float64), torch.randint(0, 2, (10,))
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
        by_hand.zero_grad()
        F.cross_entropy(by_hand(x), y, reduction='sum').backward()
        with torch.no_grad():
            rep.convnetjs_update(params, [p.grad for p in params], gsum, muls)
    for p, q in zip(by_hand.parameters(), model.parameters()):
        torch.testing.assert_close(p, q, rtol=0, atol=1e-12)
    same, literal = rep.compare_trainers(torch.randn(30, 2), torch.randint(0, 2, (30,)))
    assert same < 1e-12 and literal > 1e-7  # weight_decay=l2_decay on everything is another update


def test_representation_learning_separates_by_a_line(rep):
    """Trained briefly (lr 0.1: 10 times the slide's, to be quick), the net's 2-D tanh features are separated by
    a line; the raw inputs are not."""
    torch.set_num_threads(1)
    torch.manual_seed(0)
    x_np, y_np = rep.circle_data(np.random.default_rng(1))
    x, y = torch.tensor(x_np, dtype=torch.float32), torch.tensor(y_np)
    model = rep.make_net()
    optimizer = rep.make_optimizer(model, dict(rep.TRAINER, learning_rate=0.1))
    history = rep.train(model, optimizer, x, y, epochs=80, log_every=0)
    assert history[-1][1] < history[0][1]
    with torch.no_grad():
        features = rep.features_of(model, x).numpy()
    assert rep.linear_accuracy(x_np, y_np) < 0.7                  # A line on the raw inputs: near chance
    assert rep.linear_accuracy(features, y_np) >= 0.95            # A line on the learned features
    scores = features @ model[4].weight.detach().numpy().T + model[4].bias.detach().numpy()
    assert (scores.argmax(axis=1) == y_np).mean() >= 0.95         # The net's own last layer is that line


# test_04_concepts runs a concepts notebook;
@pytest.mark.full  # test_representation_learning_separates_by_a_line checks the work
def test_representation_learning_notebook(notebooks, tmp_path):
    nb = notebooks.run('03_nn_iris/concepts/representation_learning.py', args=['--out-dir', tmp_path, '--epochs', '2'],
                       extra_cells=['print(tuple(features.shape), sum(p.numel() for p in model.parameters()))'])
    text = notebook_text(nb)
    assert 'Parameters: 38' in text and 'Epoch     2:' in text
    assert differences_in(text)[0] < 1e-12 and differences_in(text)[1] > 1e-7
    assert re.search(r'raw inputs \(x1, x2\): +accuracy 0\.[4-6]', text)
    assert text.splitlines()[-1] == '(100, 2) 38'
    assert notebook_images(nb) == 1 and (tmp_path / 'representation_learning.png').stat().st_size > 10_000


# Perceptron, MLP, backpropagation (slides "Neural Network", "Backpropagation") -----------------------------
def test_perceptron_formula_against_sympy(pb):
    s = sympy.Rational(1, 2) - sympy.Rational(2, 4) + sympy.Rational(3, 10) + sympy.Rational(1, 5)
    exact = float(1 / (1 + sympy.exp(-s)))
    assert abs(pb.perceptron([1.0, 2.0, 3.0], [0.5, -0.25, 0.1], 0.2) - exact) < 1e-15
    x, w = [0.3, -1.2], [2.0, 0.7]
    assert abs(pb.perceptron(x, w, -0.1, phi=math.tanh) - math.tanh(0.6 - 0.84 - 0.1)) < 1e-15
    assert abs(pb.perceptron_by_pytorch(x, w, -0.1) - scipy.special.expit(0.6 - 0.84 - 0.1)) < 1e-15


@pytest.mark.parametrize('sizes, expected', [([3, 4, 2], 26), ([3, 4, 4, 1], 41), ([2, 6, 2, 2], 38),
                                             ([784, 10], 7850)])
def test_parameter_counts_by_hand_and_by_pytorch(pb, sizes, expected):
    neurons, weights, biases = pb.count_by_hand(sizes)
    assert weights + biases == expected == sum(p.numel() for p in pb.make_mlp(sizes).parameters())
    assert neurons == biases == sum(sizes[1:])


def test_chain_rule_gradients_equal_autograd_and_sgd_step(pb):
    torch.manual_seed(3)
    model = pb.make_mlp([3, 4, 4, 1]).double()
    x, y_hat = torch.randn(6, 3, dtype=torch.float64), torch.randn(6, 1, dtype=torch.float64)
    loss, grads = pb.forward_and_backward(model, x, y_hat)
    reference = F.mse_loss(model(x), y_hat)
    autograd = torch.autograd.grad(reference, list(model.parameters()))
    assert abs(loss.item() - reference.item()) < 1e-14
    for (name, _), g in zip(model.named_parameters(), autograd):
        torch.testing.assert_close(grads[name], g, rtol=0, atol=1e-14)
    new_weights = pb.sgd_step_by_hand(model, grads, lr=0.5)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for p, g in zip(model.parameters(), autograd):
        p.grad = g
    optimizer.step()
    for name, p in model.named_parameters():
        torch.testing.assert_close(new_weights[name], p.detach(), rtol=0, atol=1e-14)


# test_04_concepts runs a concepts notebook;
@pytest.mark.full  # test_chain_rule_gradients_equal_autograd_and_sgd_step checks the work
def test_perceptron_backprop_notebook(notebooks, tmp_path):
    nb = notebooks.run('03_nn_iris/concepts/perceptron_backprop.py', args=['--out-dir', tmp_path, '--seed', '5'],
                       extra_cells=['print(sorted(grads_by_hand)[0], tuple(x.shape))'])
    text = notebook_text(nb)
    assert 'by hand 0.622459  nn.Linear + nn.Sigmoid 0.622459' in text
    assert '= 26 by hand, 26 by PyTorch' in text and '= 41 by hand, 41 by PyTorch' in text
    assert len(differences_in(text)) == 9 and max(differences_in(text)) < 1e-12
    before, after = map(float, re.search(r'before the step ([\d.]+), after it ([\d.]+)', text).groups())
    assert after < before
    assert text.splitlines()[-1] == '0.bias (5, 3)'
    assert notebook_images(nb) == 1 and (tmp_path / 'perceptron_backprop_networks.png').is_file()


# Loss functions (slide "Loss Function") --------------------------------------------------------------------
def test_losses_by_the_slides_formulas_against_scipy_and_sklearn(lf):
    rng = np.random.default_rng(4)
    y, y_hat = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    assert abs(lf.mse(torch.tensor(y), torch.tensor(y_hat)).item() - ((y - y_hat) ** 2).sum(axis=1).mean()) < 1e-12
    p, truth = rng.uniform(0.05, 0.95, 8), np.array([0, 1] * 4)
    assert abs(lf.binary_cross_entropy(p.tolist(), truth.tolist()) - log_loss(truth, p)) < 1e-12
    z, classes = rng.normal(size=(4, 5)), np.array([0, 3, 4, 1])
    softmax = [lf.softmax(row) for row in z.tolist()]
    np.testing.assert_allclose(softmax, scipy.special.softmax(z, axis=1), rtol=0, atol=1e-15)
    one_hot = np.eye(5)[classes]
    expected = -scipy.special.log_softmax(z, axis=1)[np.arange(4), classes].mean()
    assert abs(lf.cross_entropy(softmax, one_hot.tolist()) - expected) < 1e-12


def test_log_softmax_twice_is_once():
    """Why MyCNN's log_softmax + F.cross_entropy is right: log_softmax is idempotent (SciPy's, independent)."""
    z = np.random.default_rng(5).normal(size=(3, 10)) * 4
    once = scipy.special.log_softmax(z, axis=1)
    np.testing.assert_allclose(scipy.special.log_softmax(once, axis=1), once, atol=1e-13)
    assert abs(F.cross_entropy(torch.tensor(once), torch.tensor([1, 2, 3])).item()
               + once[[0, 1, 2], [1, 2, 3]].mean()) < 1e-12


# test_04_concepts runs a concepts notebook;
@pytest.mark.full  # test_losses_by_the_slides_formulas_against_scipy_and_sklearn checks the work
def test_loss_functions_notebook(notebooks, tmp_path):
    nb = notebooks.run('03_nn_iris/concepts/loss_functions.py', args=['--out-dir', tmp_path],
                       extra_cells=['print(tuple(z.shape), y_hat.sum().item())'])
    text = notebook_text(nb)
    for line in ['MSE: by hand 0.127500  nn.MSELoss 0.127500', "nn.MSELoss() of these vectors: 0.291667",
                 'BCE: by hand 0.337539  nn.BCELoss 0.337539', 'softmax confidence y of the first data: [0.659, 0.242',
                 'CE: by hand 0.318540  nn.CrossEntropyLoss(scores, one-hot) 0.318540',
                 "MyCNN's loss: F.cross_entropy(log_softmax(z)) 0.318540  F.cross_entropy(z) 0.318540"]:
        assert line in text
    assert max(differences_in(text)) < 1e-12
    assert text.splitlines()[-1] == '(2, 3) 2.0'
    assert notebook_images(nb) == 1 and (tmp_path / 'loss_functions.png').stat().st_size > 10_000


# Overfitting (slide "Summary", Issue #2) -------------------------------------------------------------------
def test_l2_term_is_weight_decay(of):
    torch.manual_seed(6)
    model = of.make_model().double()
    grads = torch.autograd.grad(of.l2_term(model, 0.3), list(model.parameters()))
    for p, g in zip(model.parameters(), grads):
        torch.testing.assert_close(g, 0.3 * p.detach(), rtol=0, atol=1e-15)  # d/dw (lambda/2) w^2 = lambda w
    assert of.compare_weight_decay(torch.optim.SGD) < 1e-12 and of.compare_weight_decay(torch.optim.Adam) < 1e-12
    assert of.compare_weight_decay(torch.optim.AdamW) > 1e-4  # Decoupled: not the L2 term
    for optimizer_class in (torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW):  # lambda 0: no decay either way
        assert of.compare_weight_decay(optimizer_class, weight_decay=0.0) == 0  # (AdamW's default 0.01 is not used)


def test_splits_are_disjoint_and_the_validation_loss_turns_up(of):
    torch.set_num_threads(1)
    (x_train, y_train), (x_valid, _), (x_test, _) = of.make_data(of.RANDOM_SEED)
    assert (len(x_train), len(x_valid), len(x_test)) == (40, 40, 1000)
    rows = {tuple(row) for row in np.concatenate([x_train, x_valid, x_test]).round(12)}
    assert len(rows) == 1080
    torch.manual_seed(of.RANDOM_SEED)
    model = of.make_model()
    history, best_epoch, best_state = of.fit(model, of.to_tensors(x_train, y_train),
                                             of.to_tensors(*of.make_data(of.RANDOM_SEED)[1]), epochs=120)
    valid = np.array(history)[:, 2]
    assert best_epoch == valid.argmin() + 1 < 100 and valid[-1] > 1.2 * valid.min()  # It turns up
    assert history[-1][1] < 0.01  # While the training loss goes to 0
    model.load_state_dict(best_state)
    assert abs(of.evaluate(model, *of.to_tensors(*of.make_data(of.RANDOM_SEED)[1]))[0] - valid.min()) < 1e-6


# test_04_concepts runs a concepts notebook;
@pytest.mark.full  # test_splits_are_disjoint_and_the_validation_loss_turns_up checks the work
def test_overfitting_notebook(notebooks, tmp_path):
    nb = notebooks.run('03_nn_iris/concepts/overfitting.py', args=['--out-dir', tmp_path, '--epochs', '3'],
                       extra_cells=['print(len(history), len(x_pool))'])
    text = notebook_text(nb)
    assert 'Training 40, validation 40, test 1000 points' in text
    sgd, adam, adamw = differences_in(text)
    assert sgd < 1e-12 and adam < 1e-12 and adamw > 1e-4
    folds = re.findall(r'5-fold cross-validation, weight decay [\d.]+: validation loss [\d.]+ \+- [\d.]+', text)
    assert len(folds) == 2
    assert 'Chosen with the training and validation data only: weight decay ' in text
    assert len(re.findall(r'^On the 1000 test points, looked at once: loss [\d.]+  accuracy [\d.]+$', text, re.M)) == 1
    assert text.splitlines()[-1] == '3 80'
    assert notebook_images(nb) == 1 and (tmp_path / 'overfitting.png').stat().st_size > 10_000


def test_scripts_reject_bad_options(tmp_path):
    result = run_main(OVERFITTING, '--weight-decay', '-1', '--out-dir', tmp_path)
    assert result.code == 2 and result.err.count('\n') == 1 and '--weight-decay' in result.err
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize('script, options', [
    (REPRESENTATION, {'--device', '--seed', '--out-dir', '--epochs'}),
    (PERCEPTRON, {'--seed', '--out-dir'}),
    (LOSSES, {'--out-dir'}),
    (OVERFITTING, {'--device', '--seed', '--out-dir', '--epochs', '--weight-decay'}),
])
def test_help_is_one_sentence_and_offers_only_what_a_learner_varies(script, options):
    result = run_main(script, '--help')
    assert result.code == 0
    assert set(re.findall(r'^  (?:-h, )?(--[\w-]+)', result.out, re.M)) == options | {'--help'}
    description = ' '.join(result.out.split('\n\n')[1].split())
    assert description[0].isupper() and description.endswith('.') and '. ' not in description, description
