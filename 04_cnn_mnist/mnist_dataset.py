"""Loading the MNIST dataset and looking inside it (slides "MNIST Dataset", "Loading the MNIST Dataset").

The MNIST files are read from `<data-dir>/MNIST/raw/` (torchvision's layout). Missing files are
downloaded by torchvision (the download is announced); without a network, one clear message says
which four files to put where. `load_mnist` is reused by `cnn_mnist.py` and `cnn_mnist_ddp.py`.
"""
# %% Imports
import matplotlib.pyplot as plt
import torchvision

from common import UserError, make_parser, run, save_figure

# %% Constants
# The four uncompressed files torchvision reads from `<data-dir>/MNIST/raw/`
MNIST_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte',
               't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']
# Note) The slide sets `torchvision.datasets.MNIST.resources` to a mirror; recent torchvision already
#       tries that mirror (ossci-datasets.s3.amazonaws.com) first, so we keep torchvision's list.


# %% Functions
def mnist_raw_folder(data_dir):
    """Return the folder where torchvision keeps the raw MNIST files: `<data_dir>/MNIST/raw`."""
    return data_dir / 'MNIST' / 'raw'


def load_mnist(data_dir, train=True, transform=None):
    """Return `torchvision.datasets.MNIST` (training or test split) read from `data_dir`.

    The files are downloaded only when some are missing, and the download is announced.
    Offline, or with files that cannot be read, raises `UserError` with one clear line.
    """
    raw_folder = mnist_raw_folder(data_dir)
    missing = [name for name in MNIST_FILES if not (raw_folder / name).is_file()]
    if missing:
        print(f'Downloading MNIST into {raw_folder} (missing: {", ".join(missing)}) ...')
        try:
            torchvision.datasets.MNIST(data_dir, train=train, download=True)
        except Exception:  # No network, a mirror down, a disk full: say what to put where
            for folder in (raw_folder, raw_folder.parent):  # Leave no empty folders behind
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
            raise UserError(f'MNIST could not be downloaded: put the four files {", ".join(MNIST_FILES)} '
                            f'(uncompressed) into {raw_folder}') from None
    try:
        return torchvision.datasets.MNIST(data_dir, train=train, download=False, transform=transform)
    except Exception as error:  # e.g. a truncated or corrupt IDX file
        raise UserError(f'the MNIST files in {raw_folder} cannot be read ({type(error).__name__}); '
                        'delete them to download them again') from None


# %% Main
def main(argv=None):
    parser = make_parser(__doc__, __file__, data=True)
    args = parser.parse_args(argv)

    # Load the MNIST dataset
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
    ax.set_title(f'data_train.data[0] (label: {data_train.targets[0].item()})')
    save_figure(fig, args.out_dir, 'mnist_first_image')
    print(data_train.targets[0])            # tensor(5)


if __name__ == '__main__':
    run(main)
