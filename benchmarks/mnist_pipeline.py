"""Training throughput on MNIST: our pipeline (cnn_mnist_further.py's) against the slide's, side by side.

The slide's pipeline: torchvision MNIST with a `ToTensor()` transform per image, a DataLoader with
batch size 100, float32. Ours: the whole uint8 tensor converted to float once, batches taken with
one index (`common.tensor_loader`), batch size 128, channels-last memory and, where the hardware
has it, bfloat16 mixed precision. Same model (`MyCNN`), same optimizer. The two are measured in
alternating rounds in one run (so both see the same machine load) and the median is reported.

    python benchmarks/mnist_pipeline.py --data-dir ../shared/data
"""
import statistics
import time

import torch
import torch.nn.functional as F
import torchvision

import common
from common import load_mnist, make_parser, positive_int, set_seed, tensor_loader

common.add_to_path('04_cnn_mnist', '04_cnn_mnist/further')  # The lesson and its further script, from any folder
from cnn_mnist import RANDOM_SEED, MyCNN  # noqa: E402
from cnn_mnist_further import BATCH_SIZE, bf16_available  # noqa: E402


def images_per_second(model, batches, optimizer, n_images, bf16=False, channels_last=False):
    """Train `model` on `n_images` images from the iterator `batches`; return images per second."""
    model.train()  # Dropout on, as in training
    done, start = 0, time.perf_counter()
    with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16, cache_enabled=False):
        while done < n_images:
            x, y = next(batches)
            if channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            done += len(y)
    return done / (time.perf_counter() - start)


def endless(loader):
    """Yield batches of `loader` again and again."""
    while True:
        yield from loader


def main():
    parser = make_parser('mnist_pipeline', __doc__, seed=RANDOM_SEED, data_dir=True)
    parser.add_argument('--images', type=positive_int, default=6000, help='images per round and pipeline')
    parser.add_argument('--rounds', type=positive_int, default=3, help='alternating rounds')
    args = parser.parse_args()
    print(common.describe_machine())  # CPU: ... (AVX2, no AMX), 2 threads, torch ...
    generator = set_seed(args.seed)
    dev = torch.device('cpu')
    bf16 = bf16_available(dev)

    # The slide's pipeline
    data_slide = load_mnist(args.data_dir, train=True, transform=torchvision.transforms.ToTensor())
    loader_slide = torch.utils.data.DataLoader(data_slide, batch_size=100, shuffle=True, generator=generator)
    model_slide = MyCNN()
    optimizer_slide = torch.optim.SGD(model_slide.parameters(), lr=0.01)
    batches_slide = endless(loader_slide)

    # Ours (cnn_mnist_further.py's)
    data_ours = load_mnist(args.data_dir, train=True)
    loader_ours = tensor_loader(data_ours.data[:, None] / 255., data_ours.targets, batch_size=BATCH_SIZE,
                                shuffle=True, generator=generator)
    model_ours = MyCNN().to(memory_format=torch.channels_last)
    optimizer_ours = torch.optim.SGD(model_ours.parameters(), lr=0.01)
    batches_ours = endless(loader_ours)

    # Warm up both (first batches allocate memory and pick convolution algorithms)
    images_per_second(model_slide, batches_slide, optimizer_slide, 300)
    images_per_second(model_ours, batches_ours, optimizer_ours, 300, bf16, channels_last=True)
    slide, ours = [], []
    for round_ in range(1, args.rounds + 1):
        slide.append(images_per_second(model_slide, batches_slide, optimizer_slide, args.images))
        ours.append(images_per_second(model_ours, batches_ours, optimizer_ours, args.images, bf16, channels_last=True))
        print(f'Round {round_}: slide {slide[-1]:7.0f} images/s, ours {ours[-1]:7.0f} images/s')
    slide_median, ours_median = statistics.median(slide), statistics.median(ours)
    print(f"Slide's pipeline (ToTensor per image, batch 100, float32): {slide_median:7.0f} images/s")
    print(f"Our pipeline (one float tensor, batch {BATCH_SIZE}, channels-last, {'bf16' if bf16 else 'fp32'}): "
          f'{ours_median:7.0f} images/s')
    print(f'Ratio: {ours_median / slide_median:.2f}x')
    return slide_median, ours_median


if __name__ == '__main__':
    main()
