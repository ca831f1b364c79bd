"""Loading my network and testing my image (slide "Loading My Network and Testing My Image").

Loads the model that `cnn_mnist.py` saved and predicts the digit in every image given on the
command line (default: the repository's `data/cnn_mnist_test.png`), with its probability.
"""
# %% Imports
import matplotlib.pyplot as plt
from cnn_mnist import SAVE_MODEL, TEST_IMAGE, load_model, predict, prepare_image

from common import default_out_dir, make_parser, run, save_figure

# %% Constants
MODEL_PATH = default_out_dir('cnn_mnist.py') / SAVE_MODEL  # Where cnn_mnist.py saves its model


# %% Main
def main(argv=None):
    parser = make_parser(__doc__, __file__)
    parser.add_argument('images', nargs='*', default=[str(TEST_IMAGE)],
                        help=f'image files to recognise (default: {TEST_IMAGE})')
    parser.add_argument('--model', default=str(MODEL_PATH), help='the model saved by cnn_mnist.py')
    args = parser.parse_args(argv)

    # Load a model
    model = load_model(args.model, args.device)
    print(f'Model: {args.model} on {args.device}')

    # Test the model (every image is checked first, so a bad path stops before any output)
    inputs = [prepare_image(path) for path in args.images]
    for path in args.images:
        digit, prob = predict(path, model, return_prob=True)
        print(f'{path}: {digit} (probability {prob:.3f})')  # e.g. data/cnn_mnist_test.png: 3 (probability 0.999)

    # Show what the network sees: each image prepared the MNIST way (28 x 28, white on black)
    fig, axes = plt.subplots(1, len(inputs), figsize=(2 * len(inputs), 2.4), squeeze=False)
    for ax, tensor, path in zip(axes[0], inputs, args.images):
        ax.imshow(tensor[0], cmap='gray')
        ax.set_title(f'{path}'[-20:], fontsize=8)
        ax.axis('off')
    save_figure(fig, args.out_dir, 'cnn_mnist_inputs')


if __name__ == '__main__':
    run(main)
