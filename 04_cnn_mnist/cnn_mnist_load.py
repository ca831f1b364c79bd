"""Loading my network and testing my image: the model that cnn_mnist.py saved reads the digit in each image given.

Slide "Practice) Loading My Network and Testing My Image". Default image: data/cnn_mnist_test.png (a 3);
give your own photos or scans of digits. In a notebook, `model` stays after the last cell, to inspect.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)")  # noqa: E501

# %% Imports
from pathlib import Path

import matplotlib.pyplot as plt

common.add_to_path('04_cnn_mnist')  # Modules beside this script, from any folder (VS Code, Colab)
from cnn_mnist import SAVE_MODEL, TEST_IMAGE, load_model, predict
from mnist_image import prepare_image  # Preparing a photo of a digit the MNIST way (mnist_image.py)

# %% Load a model and test my images
if __name__ == '__main__':
    parser = common.make_parser('cnn_mnist_load', __doc__, device='auto', out_dir=True)
    parser.add_argument('images', nargs='*', default=[str(TEST_IMAGE)], help='image files of digits')
    parser.add_argument('--model', default=str(common.default_out_dir('cnn_mnist') / SAVE_MODEL),
                        help='the model saved by cnn_mnist.py')
    args = parser.parse_args()
    print(f'Device: {args.device}')

    # Load a model
    model = load_model(args.model, args.device)

    # Test the model (every image is prepared first, so a bad path stops before any output)
    inputs = [prepare_image(path) for path in args.images]
    digits = []
    for path, tensor in zip(args.images, inputs):
        digit, prob = predict(tensor, model, return_prob=True)
        digits.append(digit)
        print(f'{path}: {digit} (probability {prob:.3f})')  # .../data/cnn_mnist_test.png: 3 (probability 0.99...)

    # Show what the network sees: each image prepared the MNIST way (28 x 28, white on black), and its digit
    fig, axes = plt.subplots(1, len(inputs), figsize=(2 * len(inputs), 2.4), squeeze=False)
    for ax, tensor, path, digit in zip(axes[0], inputs, args.images, digits):
        ax.imshow(tensor[0].numpy(), cmap='gray')
        ax.set_title(f'{Path(path).name[:20]}: {digit}', fontsize=8)
        ax.axis('off')
    common.save_figure(fig, args.out_dir, 'cnn_mnist_inputs')
