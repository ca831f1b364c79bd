"""Mend the slide's super(MyCNN_FStyle, self) in MyCNN_Functional: the class builds, with MyCNN's layers.

Slide "Practice) Different Styles for NN Classes (1/2)", functional-oriented style: only the layers with weights
are modules (conv1, conv2, fc1, fc2); ReLU, max pooling, dropout and log_softmax are functions called in forward.
The class below is the slide's code as printed, and building it (`MyCNN_Functional()`) stops before any layer is
made. Run this file, read what goes wrong, mend the line, and run it again until every check passes: the check
builds your class, counts its parameters (1,630,090, as the lesson's MyCNN) and compares its output on random
images, in evaluation mode (no dropout), with the slide's layers made from the same random weights.

The solution, after you tried: exercises/solutions/08_functional_style.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch
import torch.nn as nn
import torch.nn.functional as F


# %% The slide's code: mend it
class MyCNN_Functional(nn.Module):  # noqa: N801 (the slide's class name)
    def __init__(self):
        ### BEGIN SOLUTION
        super(MyCNN_Functional, self).__init__()  # This class's own name (or super().__init__())
        ### END SOLUTION
        ### BEGIN SLIDE CODE
        # super(MyCNN_FStyle, self).__init__()
        ### END SLIDE CODE
        self.conv1 = nn.Conv2d(1, 32, 3, 1, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1, 1)
        self.fc1 = nn.Linear(64*7*7, 512)
        self.fc2 = nn.Linear(512, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(x, 2)

        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = F.dropout(x, 0.2, self.training)
        x = torch.flatten(x, 1)

        x = F.relu(self.fc1(x))
        x = F.dropout(x, 0.2, self.training)

        x = F.log_softmax(self.fc2(x), dim=1)
        return x


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
def slide_layers(images, seed):
    """PyTorch's answer: the slide's layers as one nn.Sequential, each made in the slide's order from `seed` (so
    with the weights that the class gets from the same seed), in evaluation mode (its dropouts do nothing then)."""
    with torch.random.fork_rng(devices=[]):  # The learner's own random numbers stay as they were
        torch.manual_seed(seed)
        conv1, conv2 = nn.Conv2d(1, 32, 3, padding=1), nn.Conv2d(32, 64, 3, padding=1)
        fc1, fc2 = nn.Linear(64 * 7 * 7, 512), nn.Linear(512, 10)
    layers = nn.Sequential(conv1, nn.ReLU(), nn.MaxPool2d(2), conv2, nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                           fc1, nn.ReLU(), fc2, nn.LogSoftmax(dim=1)).eval()
    with torch.no_grad():
        return {'parameters': sum(parameter.numel() for parameter in layers.parameters()), 'output': layers(images)}


def run(namespace, case):
    """The learner's class built from the case's seed: its number of parameters and its output in evaluation mode."""
    images, seed = case.args
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = namespace['MyCNN_Functional']()
    model.eval()
    with torch.no_grad():
        return {'parameters': sum(parameter.numel() for parameter in model.parameters()), 'output': model(images)}


def cases(generator):
    hint = ('slide "Different Styles for NN Classes (1/2)": which class is this __init__ written in, and which '
            "class does its super(...) line name? nn.Module's own __init__ must run before any layer is assigned")
    checks = []
    for n in (1, 3, 8):
        images = torch.rand(n, 1, 28, 28, generator=generator)
        seed = int(torch.randint(0, 2 ** 31, (1,), generator=generator))
        checks.append(common.Case(f'random images of {n} x 1 x 28 x 28, random weights (the same in both)',
                                  (images, seed), hint=hint))
    return checks


EXERCISE = common.Exercise(answer='MyCNN_Functional', cases=cases, expected=slide_layers, run=run, kind='bug',
                           reference="the slide's layers (nn.Sequential)", atol=1e-5, rtol=1e-5)

# %% Check your answer after each change (in a terminal: python 04_cnn_mnist/exercises/08_functional_style.py)
common.check_exercise('functional_style', globals())
