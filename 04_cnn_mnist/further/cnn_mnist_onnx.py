"""Export the MNIST CNN to ONNX: ONNX Runtime checked against PyTorch, the same digits, and which is faster.

Beyond slide "Why PyTorch?" (reason 9: ONNX (Open Neural Network Exchange) support). `torch.onnx.export` writes
the lesson's MyCNN, as cnn_mnist.py (or cnn_mnist_further.py) trained it, into one file, `cnn_mnist.onnx` beside
the checkpoint, for any batch size. ONNX Runtime runs that file without PyTorch (from Python, C++, C#, Java, or a
web page with onnxruntime-web). Here it reads the 10,000 test images: the digit it picks for each, the largest
difference of its outputs from PyTorch's, and the time of both on one CPU thread (as onnxruntime-web has on a web
page; --threads), one image at a time and 1,000 at once.

The file's input `image`: N x 1 x 28 x 28 float32, values 0..1, a white digit on black (what mnist_image.py's
`prepare_image` returns, batched); its output `log_probs`: N x 10 (MyCNN's log_softmax). `cnn_mnist.onnx.json`
beside it holds ONNX Runtime's test accuracy. In a notebook, `session`, `model` and `speed` stay to inspect.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import copy
import inspect
import statistics
import time
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import onnx
import onnxruntime
import torch
from tqdm import tqdm

from common import load_mnist, make_parser, positive_int, save_figure, save_json

common.add_to_path('04_cnn_mnist')  # The lesson one folder up, from any folder (VS Code, Colab)
from cnn_mnist import SAVE_MODEL, MyCNN

# %% Settings
ONNX_FILE = 'cnn_mnist.onnx'    # Beside the checkpoint
INPUT_NAME, OUTPUT_NAME = 'image', 'log_probs'
OPSET_VERSION = 17              # ONNX's set of operators: 17 runs in every ONNX Runtime since 1.13 and in browsers
N_IMAGES = 10000                # Test images to check (all of them)
BATCH_SIZE = 1000               # Images per run when timing the throughput
LATENCY_IMAGES = 500            # Images timed one at a time
REPEATS = 3                     # Timing rounds; the best round counts (the least disturbed by other programs)
THREADS = 1                     # CPU threads of each engine: onnxruntime-web on a static web page has 1
MAX_DIFFERENCE = 1e-4           # What "the same outputs" means here: float32 rounding, no more


# %% Export and run
def export_onnx(model, path):
    """Write `model` (a trained MyCNN) to the ONNX file `path`, for any batch size; return `path`.

    Input `image` N x 1 x 28 x 28 (float32, 0..1, white on black), output `log_probs` N x 10. The model is
    exported in eval mode (no dropout) from a copy on the CPU, so `model` itself stays as it is.
    """
    model = copy.deepcopy(model).cpu().eval()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The TorchScript-based exporter: the one PyTorch 2.4 has, and the one that keeps an RNN's length dynamic
    # (the torch.export-based one, the default since 2.9, fixes it; rnn_name2lang_onnx.py uses the same exporter)
    legacy = {'dynamo': False} if 'dynamo' in inspect.signature(torch.onnx.export).parameters else {}
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)  # PyTorch >= 2.9 says it prefers its newer exporter
        torch.onnx.export(model, (torch.zeros(2, 1, 28, 28),), str(path), input_names=[INPUT_NAME],
                          output_names=[OUTPUT_NAME], opset_version=OPSET_VERSION,
                          dynamic_axes={INPUT_NAME: {0: 'batch'}, OUTPUT_NAME: {0: 'batch'}}, **legacy)
    onnx.checker.check_model(str(path))  # A valid ONNX graph, or an error here rather than in a browser
    return path


def open_session(path, threads=None):
    """An ONNX Runtime session on the CPU for the ONNX file `path`, with PyTorch's number of threads by default."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or torch.get_num_threads()  # A fair race: the same cores for both
    return onnxruntime.InferenceSession(str(path), options, providers=['CPUExecutionProvider'])


def run_both(model, session, images, batch_size=BATCH_SIZE, progress=True):
    """The outputs of PyTorch and of ONNX Runtime for `images` (N x 1 x 28 x 28), in batches: two N x 10 arrays."""
    model.eval()  # No dropout
    torch_out, onnx_out = [], []
    with torch.inference_mode():  # No gradients: faster, and the same values
        for start in tqdm(range(0, len(images), batch_size), desc='check', leave=False, disable=not progress or None):
            batch = images[start:start + batch_size]
            torch_out.append(model(batch).numpy())
            onnx_out.append(session.run([OUTPUT_NAME], {INPUT_NAME: batch.numpy()})[0])
    return np.concatenate(torch_out), np.concatenate(onnx_out)


# %% Timing, both engines side by side
def time_call(function, x):
    """Seconds that the call `function(x)` takes."""
    start = time.perf_counter()
    function(x)
    return time.perf_counter() - start


def time_both(model, session, images, latency_images=LATENCY_IMAGES, batch_size=BATCH_SIZE, repeats=REPEATS,
              progress=True):
    """Time PyTorch and ONNX Runtime on the CPU, taking turns on the same inputs.

    Return {'PyTorch': (ms per image one at a time, images per second in batches), 'ONNX Runtime': (...)}:
    the median over `latency_images` single images of the best of `repeats` rounds, and the best round of
    all `images` in batches of `batch_size`.
    """
    engines = {'PyTorch': lambda x: model(x), 'ONNX Runtime': lambda x: session.run([OUTPUT_NAME], {INPUT_NAME: x})}
    inputs = {'PyTorch': images, 'ONNX Runtime': images.numpy()}  # Each engine gets what it reads
    model.eval()
    single = {name: [] for name in engines}
    per_second = {name: 0. for name in engines}
    with torch.inference_mode():
        for name, run in engines.items():  # A warm-up run each: the first call allocates and plans
            run(inputs[name][:1])
            run(inputs[name][:batch_size])
        for i in tqdm(range(min(latency_images, len(images))), desc='one at a time', leave=False,
                      disable=not progress or None):
            for name, run in engines.items():
                single[name].append(min(time_call(run, inputs[name][i:i + 1]) for _ in range(repeats)))
        for _ in tqdm(range(repeats), desc=f'batches of {batch_size}', leave=False, disable=not progress or None):
            for name, run in engines.items():
                seconds = sum(time_call(run, inputs[name][start:start + batch_size])
                              for start in range(0, len(images), batch_size))
                per_second[name] = max(per_second[name], len(images) / seconds)
    return {name: (1000 * statistics.median(single[name]), per_second[name]) for name in engines}


def plot_speed(speed, title):
    """Bars of the milliseconds per image (one at a time) and the images per second (in batches) of each engine."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    names, colors = list(speed), ['tab:orange', 'tab:blue']
    headings = ['ms per image, one at a time (lower is faster)',
                f'images per second, {BATCH_SIZE:,} at a time (higher is faster)']
    for ax, column, heading, text in zip(axes, range(2), headings, ['{:.3f}', '{:,.0f}']):
        values = [speed[name][column] for name in names]
        bars = ax.bar(names, values, color=colors)
        ax.bar_label(bars, labels=[text.format(value) for value in values])
        ax.set_title(heading, fontsize=10)
        ax.set_ylim(0, max(values) * 1.2)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


# %% Export the model, check ONNX Runtime against PyTorch, time both
if __name__ == '__main__':
    parser = make_parser('cnn_mnist_onnx', __doc__, out_dir=True, data_dir=True)
    parser.add_argument('--model', default=str(common.default_out_dir('cnn_mnist') / SAVE_MODEL),
                        help='the model saved by cnn_mnist.py or cnn_mnist_further.py (cnn_mnist.onnx goes beside it)')
    parser.add_argument('--images', type=positive_int, default=N_IMAGES, help='test images to check and time')
    parser.add_argument('--latency-images', type=positive_int, default=LATENCY_IMAGES,
                        help='images timed one at a time')
    parser.add_argument('--repeats', type=positive_int, default=REPEATS, help='timing rounds (the best counts)')
    parser.add_argument('--threads', type=positive_int, default=THREADS,
                        help='CPU threads of both engines (with 2 or more, each small step of one image waits for '
                             'the other threads: many times slower when other programs keep the cores busy)')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)  # ONNX Runtime gets as many (open_session)
    print(common.describe_machine())  # CPU: ... (AVX2, no AMX), 1 thread, torch ...

    # 1. Load the trained MyCNN on the CPU, as cnn_mnist_load.py does
    model = MyCNN()
    with common.checkpoint_errors(args.model, trained_by='04_cnn_mnist/cnn_mnist.py'):  # Else one clear line
        model.load_state_dict(torch.load(args.model, map_location='cpu',
                                         weights_only=True))  # Read tensors only: a .pt file may hold code
    model.eval()

    # 2. Export it: one file, any batch size
    onnx_path = export_onnx(model, Path(args.model).with_name(ONNX_FILE))
    print(f'Exported: {onnx_path} ({onnx_path.stat().st_size / 1e6:.1f} MB, opset {OPSET_VERSION})')
    session = open_session(onnx_path)
    print(f'Input {session.get_inputs()[0].name} {session.get_inputs()[0].shape}, '
          f'output {session.get_outputs()[0].name} {session.get_outputs()[0].shape}')
    # Input image ['batch', 1, 28, 28], output log_probs ['batch', 10]

    # 3. The test images as cnn_mnist.py feeds them: N x 1 x 28 x 28 in [0, 1]
    data_test = load_mnist(args.data_dir, train=False)
    images = data_test.data[:args.images, None] / 255.
    labels = data_test.targets[:args.images].numpy()
    torch_out, onnx_out = run_both(model, session, images)
    same = int((torch_out.argmax(axis=1) == onnx_out.argmax(axis=1)).sum())
    difference = float(np.abs(torch_out - onnx_out).max())
    torch_accuracy = float((torch_out.argmax(axis=1) == labels).mean())
    onnx_accuracy = float((onnx_out.argmax(axis=1) == labels).mean())
    print(f'The same digit for {same} of {len(images)} test images')  # The same digit for 10000 of 10000 test images
    print(f'Largest difference of log_probs: {difference:.2e} ({"within" if difference <= MAX_DIFFERENCE else "OVER"} '
          f'{MAX_DIFFERENCE:.0e})')  # Largest difference of log_probs: 2.86e-06 (within 1e-04)
    print(f'Test accuracy: PyTorch {torch_accuracy:.4f}, ONNX Runtime {onnx_accuracy:.4f}')  # 0.99.. and 0.99..
    whole = len(images) == len(data_test)  # The accuracy of the whole test set is the one the web page shows
    info_path = save_json({'accuracy': onnx_accuracy if whole else None}, onnx_path.with_name(ONNX_FILE + '.json'))
    print(f'Saved: {info_path}')

    # 4. Time both on the CPU: one image at a time, and 1,000 at once. ONNX Runtime optimizes the whole graph first
    #    (each ReLU fused into the layer before it, images in blocks of 8 or 16 channels for the CPU's vector units,
    #    max pooling without PyTorch's indices); PyTorch runs one layer after another as the model's forward says
    speed = time_both(model, session, images, args.latency_images, repeats=args.repeats)
    print(f'{"":<14}{"ms per image (one at a time)":>30}{f"images/s ({BATCH_SIZE:,} at a time)":>28}')
    for name, (ms, per_second) in speed.items():
        print(f'{name:<14}{ms:>30.3f}{per_second:>28,.0f}')
    print(f'ONNX Runtime / PyTorch: {speed["PyTorch"][0] / speed["ONNX Runtime"][0]:.2f} times as fast one at a time, '
          f'{speed["ONNX Runtime"][1] / speed["PyTorch"][1]:.2f} times in batches')
    threads = torch.get_num_threads()
    fig = plot_speed(speed, f'MyCNN on the CPU, {threads} thread{"s" if threads > 1 else ""}: '
                            f'PyTorch {torch.__version__}, ONNX Runtime {onnxruntime.__version__}')
    save_figure(fig, args.out_dir, 'cnn_mnist_onnx_speed')
