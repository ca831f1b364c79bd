"""Different styles for NN classes: one four-layer CNN written four ways, with the same weights and the same outputs.

Slides "Practice) Different Styles for NN Classes (1/2)" and "(2/2)": My style, functional-oriented,
object-oriented and layer-oriented (nn.Sequential). Fixed from the slides: each `super()` names its own
class (the slides name classes that do not exist), and the object-oriented `forward` is completed.
In a notebook, `models`, `x` and `results` stay after the last cell, to inspect.
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

from common import make_parser


# %% The same CNN in four styles
# My style
class MyCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1, 1)
        self.pool1 = nn.MaxPool2d(2)

        self.conv2 = nn.Conv2d(32, 64, 3, 1, 1)
        self.pool2 = nn.MaxPool2d(2)
        self.drop2 = nn.Dropout(0.2)

        self.fc3 = nn.Linear(64 * 7 * 7, 512)
        self.drop3 = nn.Dropout(0.2)

        self.fc4 = nn.Linear(512, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = self.pool1(x)

        x = F.relu(self.conv2(x))
        x = self.pool2(x)
        x = self.drop2(x)
        x = torch.flatten(x, 1)

        x = F.relu(self.fc3(x))
        x = self.drop3(x)

        x = F.log_softmax(self.fc4(x), dim=1)
        return x


# Functional-oriented style: only layers with weights are modules
class MyCNN_Functional(nn.Module):  # noqa: N801 (the slide's class names)
    def __init__(self):
        super().__init__()  # The slide's `super(MyCNN_FStyle, self)` names a class that does not exist
        self.conv1 = nn.Conv2d(1, 32, 3, 1, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1, 1)
        self.fc1 = nn.Linear(64 * 7 * 7, 512)
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


# Object-oriented style: every operation is a module
class MyCNN_Object(nn.Module):  # noqa: N801
    def __init__(self):
        super().__init__()  # The slide's `super(MyCNN_ObjStyle, self)` names a class that does not exist
        self.conv1 = nn.Conv2d(1, 32, 3, 1, 1)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)

        self.conv2 = nn.Conv2d(32, 64, 3, 1, 1)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.drop2 = nn.Dropout(0.2)

        self.fc3 = nn.Linear(64 * 7 * 7, 512)
        self.relu3 = nn.ReLU()
        self.drop3 = nn.Dropout(0.2)

        self.fc4 = nn.Linear(512, 10)
        self.smax4 = nn.LogSoftmax(dim=1)

    def forward(self, x):
        x = self.conv1(x)
        x = self.relu1(x)
        x = self.pool1(x)

        x = self.conv2(x)
        x = self.relu2(x)
        x = self.pool2(x)
        x = self.drop2(x)
        x = torch.flatten(x, 1)

        x = self.fc3(x)
        x = self.relu3(x)  # The slide's forward stops after fc3; completed here
        x = self.drop3(x)

        x = self.fc4(x)
        x = self.smax4(x)
        return x


# Layer-oriented style: each layer is an nn.Sequential
class MyCNN_Layer(nn.Module):  # noqa: N801
    def __init__(self):
        super().__init__()  # The slide's `super(MyCNN_SeqStyle, self)` names a class that does not exist
        self.layer1 = nn.Sequential(
            nn.Conv2d(1, 32, 3, 1, 1),
            nn.ReLU(),
            nn.MaxPool2d(2))

        self.layer2 = nn.Sequential(
            nn.Conv2d(32, 64, 3, 1, 1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Dropout(0.2))

        self.layer3 = nn.Sequential(
            nn.Linear(64 * 7 * 7, 512),
            nn.ReLU(),
            nn.Dropout(0.2))

        self.layer4 = nn.Sequential(
            nn.Linear(512, 10),
            nn.LogSoftmax(dim=1))

    def forward(self, x):
        x = self.layer1(x)
        x = self.layer2(x)
        x = torch.flatten(x, 1)
        x = self.layer3(x)
        x = self.layer4(x)
        return x


# %% Functions to compare the styles
def count_parameters(model):
    """The number of trainable weights of `model`."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def copy_weights(source, target):
    """Load `source`'s weights into `target`; return the key mapping {target key: source key}.

    The styles name their layers differently (`fc3` / `fc1` / `layer3.0`), but hold the same
    tensors in the same order, so the i-th key of one maps to the i-th key of the other.
    """
    source_state, target_keys = source.state_dict(), list(target.state_dict().keys())
    mapping = dict(zip(target_keys, source_state.keys()))
    target.load_state_dict({key: source_state[mapping[key]] for key in target_keys})
    return mapping


# %% Compare the four styles: their parameters, and their outputs with the same weights
if __name__ == '__main__':
    make_parser('cnn_class_styles', __doc__).parse_args()  # Only --help: the results do not depend on any option

    models = {'My': MyCNN(), 'Functional': MyCNN_Functional(), 'Object': MyCNN_Object(), 'Layer': MyCNN_Layer()}
    x = torch.rand(8, 1, 28, 28)  # A batch of 8 random "images"
    reference = models['My']
    reference.eval()  # Dropout off: the outputs are deterministic
    with torch.no_grad():  # Only forward passes: no gradients needed
        y_ref = reference(x)

    results = {}
    for name, model in models.items():
        mapping = copy_weights(reference, model)
        model.eval()
        with torch.no_grad():
            output = model(x)
        results[name] = {'parameters': count_parameters(model), 'identical': torch.equal(output, y_ref)}
        print(f"{name:>10}: {results[name]['parameters']:,} parameters, "
              f"output identical to My style: {results[name]['identical']}")  # My: 1,630,090 parameters, ...: True
        if name == 'Layer':
            print(f'            key mapping e.g. {list(mapping.items())[:2]}')  # [('layer1.0.weight', ...), ...]
    print(f'Output shape: {tuple(y_ref.shape)}')  # Output shape: (8, 10)
