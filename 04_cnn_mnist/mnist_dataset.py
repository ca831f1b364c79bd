"""Loading the MNIST dataset and looking inside it: sizes, data type, the first image and its label.

Slides "MNIST Dataset" and "Practice) Loading the MNIST Dataset". The files are read from
`<data-dir>/MNIST/raw/` (torchvision's layout), uncompressed or as .gz; only missing files are
downloaded (`common.load_mnist`). In a notebook, `data_train` and `data_valid` stay to inspect.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)")  # noqa: E501

# %% Imports
import matplotlib.pyplot as plt

from common import load_mnist, make_parser, save_figure

# Note) The slide sets `torchvision.datasets.MNIST.resources` to a mirror; recent torchvision already
#       tries that mirror (ossci-datasets.s3.amazonaws.com) first, so `load_mnist` keeps torchvision's list.

# %% Load the MNIST dataset and look inside of it
if __name__ == '__main__':
    args = make_parser('mnist_dataset', __doc__, out_dir=True, data_dir=True).parse_args()

    # Load the MNIST dataset (found, checked or downloaded by common.load_mnist)
    data_train = load_mnist(args.data_dir, train=True)
    data_valid = load_mnist(args.data_dir, train=False)

    # Look inside of the dataset
    print(data_train)                       # Dataset MNIST, Number of datapoints: 60000, ...
    print(data_valid)                       # Dataset MNIST, Number of datapoints: 10000, ...
    print(data_train.data.shape)            # torch.Size([60000, 28, 28])
    print(data_train.data.dtype)            # torch.uint8
    # Note) The slide writes `data_train.data[0,:,:,:]`, but `data` has three dimensions
    print(data_train.data[0])               # tensor([[0, 0, ...], ..., [..., 166, 255, 247, ...], ...])
    fig, ax = plt.subplots()
    ax.imshow(data_train.data[0].numpy(), cmap='gray')
    ax.set_title('data_train.data[0]')      # What digit is it? The label comes after the figure
    save_figure(fig, args.out_dir, 'mnist_first_image')
    print(data_train.targets[0])            # Guess and check it!  tensor(5)
