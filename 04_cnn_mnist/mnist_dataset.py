"""Loading the MNIST dataset and looking inside it: sizes, data type, the first image and its label.

Slides "MNIST Dataset" and "Practice) Loading the MNIST Dataset". The files are read from
`<data-dir>/MNIST/raw/` (torchvision's layout), uncompressed or as .gz; only missing files are
downloaded (`prepare_mnist` of common/data.py). In a notebook, `data_train` and `data_valid` stay to inspect.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torchvision
import matplotlib.pyplot as plt

from common import prepare_mnist

# Note) You can download the MNIST dataset through its mirror.
# - Reference: https://stackoverflow.com/questions/66577151/http-error-when-trying-to-download-mnist-data
torchvision.datasets.MNIST.resources = [
    ('https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz', 'f68b3c2dcbeaaa9fbdd348bbdeb94873'),
    ('https://ossci-datasets.s3.amazonaws.com/mnist/train-labels-idx1-ubyte.gz', 'd53e105ee54ea40749a09fcbcd1e9432'),
    ('https://ossci-datasets.s3.amazonaws.com/mnist/t10k-images-idx3-ubyte.gz', '9fb629c4189551a2d022fa330f9573f3'),
    ('https://ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz', 'ec29112dd5afa0611ce80d1b7f02629c')
]  # Recent torchvision tries this mirror first anyway

# %% Load the MNIST dataset and look inside of it
if __name__ == '__main__':
    args = common.make_parser('mnist_dataset', __doc__, out_dir=True, data_dir=True).parse_args()

    # Load the MNIST dataset
    DATA_PATH = prepare_mnist(args.data_dir)  # The slide: './data'; the files found, checked or downloaded
    data_train = torchvision.datasets.MNIST(DATA_PATH, train=True, download=True)
    data_valid = torchvision.datasets.MNIST(DATA_PATH, train=False)

    # Look inside of the dataset
    print(data_train)                      # ... 60000 ...
    print(data_valid)                      # ... 10000 ...
    print(data_train.data.shape)           # torch.Size([60000, 28, 28])
    print(data_train.data.dtype)           # torch.uint8
    print(data_train.data[0])              # tensor([[0, 0, ...], ..., [..., 166, 255, 247, ...], ...])
    plt.imshow(data_train.data[0], cmap='gray')  # The slide: data[0,:,:,:], four indices on a 3-D tensor
    common.save_figure(plt.gcf(), args.out_dir, 'mnist_first_image')  # The slide: plt.show()
    print(data_train.targets[0])           # Guess and check it!  tensor(5)
