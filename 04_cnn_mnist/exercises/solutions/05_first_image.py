"""Mend the slide's four indices on a 3-D tensor: one MNIST image out of data_train.data.

Slide "Practice) Loading the MNIST Dataset": `data_train.data` is a uint8 tensor of torch.Size([60000, 28, 28]),
60000 images of 28 x 28 pixels, and the slide looks at its first image with `print(data_train.data[0,:,:,:])` and
`plt.imshow(data_train.data[0,:,:,:], cmap='gray')`. `image_at(data, index)` below is the slide's indexing as
printed, for any images tensor and index: run this file, read what goes wrong, mend the line, and run it again until
every check passes. The checks give it small random uint8 tensors in MNIST's shape (N x 28 x 28) and others of
N x H x W; it must return image `index` (H x W), as the slide means: the first image of MNIST is a handwritten 5.

The solution, after you tried: exercises/solutions/05_first_image.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch


# %% The slide's code: mend it
def image_at(data, index):
    """Image `index` of `data` (N x H x W images), as the slide's data_train.data[0,:,:,:] means it for index 0."""
    ### BEGIN SOLUTION
    return data[index, :, :]  # Three indices for a 3-D tensor (or data[index]: the rows and columns stay)
    ### END SOLUTION
    ### BEGIN SLIDE CODE
    # return data[index,:,:,:]
    ### END SLIDE CODE


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
def select(data, index):
    """PyTorch's answer: data.select(0, index), the image `index` along the first dimension."""
    return data.select(0, index)


def cases(generator):
    hint = ('slide "Loading the MNIST Dataset": data_train.data has 3 dimensions (images, rows, columns), so it '
            'takes at most 3 indices; one index picks an image and its rows and columns stay')
    checks = []
    for n, height, width, index, label in [(60, 28, 28, 0, " (as data_train.data), the slide's index 0"),
                                           (10, 28, 28, 7, ', index 7'), (6, 5, 7, 3, ', index 3'),
                                           (4, 3, 2, -1, ', index -1 (the last image)')]:
        data = torch.randint(0, 256, (n, height, width), generator=generator, dtype=torch.uint8)
        checks.append(common.Case(f'random uint8 images of {n} x {height} x {width}{label}', (data, index),
                                  hint=hint))
    return checks


EXERCISE = common.Exercise(answer='image_at', cases=cases, expected=select, kind='bug',
                           reference="PyTorch's data.select(0, index)", atol=0, rtol=0)

# %% Check your answer after each change (in a terminal: python 04_cnn_mnist/exercises/05_first_image.py)
common.check_exercise('first_image', globals())
