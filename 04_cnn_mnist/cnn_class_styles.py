"""Different styles for NN classes (slides "Different Styles for NN Classes (1/2, 2/2)").

The same four-layer CNN written four ways: My style, functional-oriented, object-oriented and
layer-oriented (nn.Sequential). Fixed from the slides: each `super()` names its own class (the
slides name classes that do not exist), and the object-oriented `forward` is completed.
The script shows that the four have the same number of parameters and, holding the same weights,
give identical outputs.
"""
# %% Imports
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import make_parser, run, set_seed


# %% Models
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


# %% Functions
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


# %% Main
def main(argv=None):
    parser = make_parser(__doc__, __file__)
    args = parser.parse_args(argv)
    set_seed(args.seed)

    models = {'My': MyCNN(), 'Functional': MyCNN_Functional(), 'Object': MyCNN_Object(), 'Layer': MyCNN_Layer()}
    reference = models['My']
    x = torch.rand(8, 1, 28, 28)  # A batch of 8 random "images"
    reference.eval()  # Dropout off: the outputs are deterministic
    with torch.no_grad():
        y_ref = reference(x)

    results = {}
    for name, model in models.items():
        mapping = copy_weights(reference, model)
        model.eval()
        with torch.no_grad():  # Only forward passes: no gradients needed
            output = model(x)
        same = torch.equal(output, y_ref)
        results[name] = {'parameters': count_parameters(model), 'identical': same}
        print(f'{name:>10}: {count_parameters(model):,} parameters, output identical to My style: {same}')
        if name == 'Layer':
            print(f'            key mapping e.g. {list(mapping.items())[:2]}')
    print(f'Output shape: {tuple(y_ref.shape)}')  # (8, 10)
    return results


if __name__ == '__main__':
    run(main)
