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
        super(MyCNN_FStyle, self).__init__()
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


# %% Check your answer after each change (in a terminal: python 04_cnn_mnist/exercises/08_functional_style.py)
common.check_exercise('functional_style', globals())
