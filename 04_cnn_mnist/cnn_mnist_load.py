"""Loading my network and testing my image: the model that cnn_mnist.py saved reads the digit in each image given.

Slide "Practice) Loading My Network and Testing My Image": data/cnn_mnist_test.png (a 3), then your photos or scans.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch, PIL.Image  # noqa: E401 (as on the slide, where `import PIL` alone does not load PIL.Image)
import matplotlib.pyplot as plt

common.add_to_path('04_cnn_mnist', '04_cnn_mnist/helpers')  # This section's modules, from any folder (VS Code, Colab)
from cnn_mnist import MyCNN, predict, SAVE_MODEL
from mnist_image import prepare_image  # Preparing a photo of a digit the MNIST way, to show what the model sees

# %% Load a model and test my images
if __name__ == '__main__':
    parser = common.make_parser('cnn_mnist_load', __doc__, device='auto', out_dir=True)
    parser.add_argument('images', nargs='*', help='your own image files of digits (photos, scans, drawings)')
    parser.add_argument('--model', default=str(common.default_out_dir('cnn_mnist') / SAVE_MODEL), help='a saved model')
    args = parser.parse_args()
    print(f'Device: {args.device}')
    paths = [common.REPO_ROOT / 'data/cnn_mnist_test.png', *args.images]
    inputs = [prepare_image(path) for path in paths]  # Each image read once: a bad path stops here, in one line

    # Load a model
    model = MyCNN()
    with common.checkpoint_errors(args.model, trained_by='04_cnn_mnist/cnn_mnist.py'):  # Else one clear line
        model.load_state_dict(torch.load(
            args.model,
            map_location=args.device,  # The slide has none: a model saved on a GPU then loads on a CPU-only machine too
            weights_only=True))        # Read tensors only: a .pt file may hold code that torch.load would run
    model = model.to(args.device)

    # Test the model
    with PIL.Image.open(common.REPO_ROOT / 'data/cnn_mnist_test.png').convert('L') as image:
        print(predict(image, model))  # 3

    # Test your own images (the slide: PIL.Image.open(path).convert('L'), which blanks 16-bit scans and transparent
    # drawings): each is its input prepared above, read once; predict takes 0-255 tensors, as MNIST's data are
    for path, tensor in zip(args.images, inputs[1:]):
        print(f'{path}: {predict(tensor * 255, model)}')  # my_digit.jpg: 7

    # Show what the network sees: each image prepared the MNIST way (28 x 28, white on black)
    fig, axes = plt.subplots(1, len(inputs), figsize=(2 * len(inputs), 2.4), squeeze=False)
    for ax, tensor, path in zip(axes[0], inputs, paths):
        ax.imshow(tensor[0].numpy(), cmap='gray')
        ax.set_title(str(path)[-20:], fontsize=8)
        ax.axis('off')
    common.save_figure(fig, args.out_dir, 'cnn_mnist_inputs')
