"""Export the Name2Lang RNN to ONNX: ONNX Runtime checked against PyTorch, the same languages, and the speed.

Beyond slide "Why PyTorch?" (reason 9: ONNX (Open Neural Network Exchange) support). `torch.onnx.export` writes
the model that rnn_name2lang.py (the lesson's MyRNN) or rnn_name2lang_further.py saved into one file,
`rnn_name2lang.onnx` beside the checkpoint, for names of any length. ONNX Runtime runs that file without PyTorch
(from Python, C++, or a web page with onnxruntime-web). Here it reads the held-out names (the 20 % the lesson did
not train on): the language it picks for each, the largest difference of its scores from PyTorch's, the top 5
languages of the slide's names beside what rnn_name2lang_load.py's `report_predict` prints, and the time of both on
one CPU thread (as onnxruntime-web has on a web page; --threads), one name at a time.

The file's input `onehot`: L x 1 x 57 float32 (the lesson's `text2onehot` of a name of L letters); its output
`logits`: 1 x n_languages (softmax gives the probabilities that `report_predict` prints). `rnn_name2lang.onnx.json`
beside it: {"letter_dict", "target_names", "accuracy"} (ONNX Runtime's held-out accuracy). In a notebook,
`session`, `model` and `speed` stay to inspect.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import contextlib
import copy
import inspect
import io
import statistics
import time
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import onnx
import onnxruntime
import torch
from sklearn.model_selection import train_test_split
from tqdm import tqdm

from common import UserError, make_parser, positive_int, save_figure, save_json

common.add_to_path('05_rnn_name2lang')  # The lesson one folder up, from any folder (VS Code, Colab)
from rnn_name2lang import (
    LETTER_DICT,
    MODEL_FILE,
    RANDOM_SEED,
    VALID_RATIO,
    load_name_dataset,
    report_predict,
    text2onehot,
)
from rnn_name2lang_load import TEST_NAMES, load_model

# %% Settings
ONNX_FILE = 'rnn_name2lang.onnx'  # Beside the checkpoint
INPUT_NAME, OUTPUT_NAME = 'onehot', 'logits'
OPSET_VERSION = 17              # ONNX's set of operators: 17 runs in every ONNX Runtime since 1.13 and in browsers
TOP_K = 5
REPEATS = 3                     # Timing rounds; the best round counts (the least disturbed by other programs)
THREADS = 1                     # CPU threads of each engine: onnxruntime-web on a static web page has 1
MAX_DIFFERENCE = 1e-4           # What "the same outputs" means here: float32 rounding, no more


# %% Export and run
def export_onnx(model, path, target_names):
    """Write `model` (a trained MyRNN, or the further script's model) to the ONNX file `path`, for names of any
    length, and `<path>.json` beside it (the alphabet, the languages, accuracy null); return `path`.

    Input `onehot` L x 1 x 57 (text2onehot), output `logits` 1 x len(target_names). The model is exported in eval
    mode from a copy on the CPU, so `model` itself stays as it is.
    """
    model = copy.deepcopy(model).cpu().eval()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The TorchScript-based exporter: the one PyTorch 2.4 has, and the one that keeps the length dynamic (the
    # torch.export-based one, the default since 2.9, writes the example's length into a Reshape after the GRU)
    legacy = {'dynamo': False} if 'dynamo' in inspect.signature(torch.onnx.export).parameters else {}
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)  # PyTorch >= 2.9 says it prefers its newer exporter
        warnings.filterwarnings('ignore', 'Exporting a model to ONNX with a batch_size other than 1')  # It is 1
        warnings.simplefilter('ignore', torch.jit.TracerWarning)  # nn.GRU's checks of the sizes, fixed here: 57, 1
        torch.onnx.export(model, (text2onehot('Choi'),), str(path), input_names=[INPUT_NAME],
                          output_names=[OUTPUT_NAME], opset_version=OPSET_VERSION,
                          dynamic_axes={INPUT_NAME: {0: 'seq_len'}}, **legacy)
    onnx.checker.check_model(str(path))  # A valid ONNX graph, or an error here rather than in a browser
    save_info(path, target_names)
    return path


def save_info(path, target_names, accuracy=None):
    """Write `<path>.json`: what a program needs to use the ONNX file (LETTER_DICT, the languages) and its accuracy."""
    return save_json({'letter_dict': LETTER_DICT, 'target_names': list(target_names), 'accuracy': accuracy},
                     Path(f'{path}.json'))


def open_session(path, threads=None):
    """An ONNX Runtime session on the CPU for the ONNX file `path`, with PyTorch's number of threads by default."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or torch.get_num_threads()  # A fair race: the same cores for both
    return onnxruntime.InferenceSession(str(path), options, providers=['CPUExecutionProvider'])


def onnx_logits(session, name):
    """ONNX Runtime's 1 x n_languages scores of `name`, from the same one-hot tensor that PyTorch reads."""
    return session.run([OUTPUT_NAME], {INPUT_NAME: text2onehot(name).numpy()})[0]


def run_both(model, session, names, progress=True):
    """The scores of PyTorch and of ONNX Runtime for each of `names`, one name at a time: two N x n_languages arrays."""
    model.eval()
    torch_out, onnx_out = [], []
    with torch.inference_mode():  # No gradients: faster, and the same values
        for name in tqdm(names, desc='check', leave=False, disable=not progress or None):
            torch_out.append(model(text2onehot(name)).numpy())
            onnx_out.append(onnx_logits(session, name))
    return np.concatenate(torch_out), np.concatenate(onnx_out)


def report_onnx(session, name, target_names, n_predict=TOP_K):
    """The lines that `report_predict` prints for `name`, from ONNX Runtime's scores (a softmax, then the top k)."""
    prob = torch.softmax(torch.from_numpy(onnx_logits(session, name)[0]), dim=0)
    top_val, top_idx = prob.topk(min(n_predict, len(prob)))
    return [f'* Name: {name}'] + [f'  {i + 1}. {target_names[idx]:<10}: {val * 100:4.1f} %'
                                  for i, (val, idx) in enumerate(zip(top_val.tolist(), top_idx.tolist()))]


def compare_reports(model, session, names, target_names):
    """Print report_predict's top 5 (PyTorch) beside ONNX Runtime's for each of `names`; return the number of names
    whose printed lines are the same."""
    n_same = 0
    print(f'{"report_predict (PyTorch)":<30}ONNX Runtime')
    for name in names:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            report_predict(name, model, target_names, n_predict=TOP_K)
        torch_lines, onnx_lines = printed.getvalue().splitlines(), report_onnx(session, name, target_names)
        print(torch_lines[0])
        for torch_line, onnx_line in zip(torch_lines[1:], onnx_lines[1:]):
            print(f'{torch_line:<30}{onnx_line.strip()}{"" if torch_line == onnx_line else "  (differs)"}')
        n_same += torch_lines == onnx_lines
    return n_same


# %% Timing, both engines side by side
def time_call(function, x):
    """Seconds that the call `function(x)` takes."""
    start = time.perf_counter()
    function(x)
    return time.perf_counter() - start


def time_both(model, session, names, repeats=REPEATS, progress=True):
    """Time PyTorch and ONNX Runtime on the CPU, one name at a time, taking turns on the same one-hot tensors.

    Return {'PyTorch': (median ms per name, names per second), 'ONNX Runtime': (...)}, each name's time the best
    of `repeats` rounds.
    """
    engines = {'PyTorch': lambda x: model(x), 'ONNX Runtime': lambda x: session.run([OUTPUT_NAME], {INPUT_NAME: x})}
    tensors = [text2onehot(name) for name in names]
    inputs = {'PyTorch': tensors, 'ONNX Runtime': [x.numpy() for x in tensors]}  # Each engine gets what it reads
    model.eval()
    seconds = {name: [] for name in engines}
    with torch.inference_mode():
        for name, run in engines.items():  # A warm-up run each: the first call allocates and plans
            run(inputs[name][0])
        for i in tqdm(range(len(names)), desc='one at a time', leave=False, disable=not progress or None):
            for name, run in engines.items():
                seconds[name].append(min(time_call(run, inputs[name][i]) for _ in range(repeats)))
    return {name: (1000 * statistics.median(times), len(times) / sum(times)) for name, times in seconds.items()}


def plot_speed(speed, title):
    """Bars of the milliseconds per name of each engine."""
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    bars = ax.bar(list(speed), [ms for ms, _ in speed.values()], color=['tab:orange', 'tab:blue'])
    ax.bar_label(bars, fmt='%.3f')
    ax.set_ylabel('ms per name, one at a time (lower is faster)')
    ax.set_ylim(0, max(ms for ms, _ in speed.values()) * 1.2)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig


# %% Export the model, check ONNX Runtime against PyTorch on the held-out names, time both
if __name__ == '__main__':
    parser = make_parser('rnn_name2lang_onnx', __doc__, seed=RANDOM_SEED, out_dir=True, data_dir=True)
    parser.add_argument('--model', default=str(common.default_out_dir('rnn_name2lang') / MODEL_FILE),
                        help='model saved by rnn_name2lang.py or rnn_name2lang_further.py (the .onnx goes beside it)')
    parser.add_argument('--max-names', type=positive_int,
                        help='check and time the first N held-out names only (default: all of them)')
    parser.add_argument('--repeats', type=positive_int, default=REPEATS, help='timing rounds (the best counts)')
    parser.add_argument('--threads', type=positive_int, default=THREADS,
                        help='CPU threads of both engines (with 2 or more, each small step of one name waits for '
                             'the other threads: many times slower when other programs keep the cores busy)')
    args = parser.parse_args()  # --seed: the one the model was trained with, which chose the held-out names
    torch.set_num_threads(args.threads)  # ONNX Runtime gets as many (open_session)
    print(common.describe_machine())  # CPU: ... (AVX2, no AMX), 1 thread, torch ...

    # 1. Load the trained model on the CPU (rnn_name2lang_load.py's way: weights only, one line for a wrong file)
    model, target_names = load_model(args.model, 'cpu')
    model.eval()
    print(f'Model: {type(model).__name__} for {len(target_names)} languages')

    # 2. Export it: one file, names of any length
    onnx_path = export_onnx(model, Path(args.model).with_name(ONNX_FILE), target_names)
    print(f'Exported: {onnx_path} ({onnx_path.stat().st_size / 1e6:.2f} MB, opset {OPSET_VERSION})')
    session = open_session(onnx_path)
    print(f'Input {session.get_inputs()[0].name} {session.get_inputs()[0].shape}, '
          f'output {session.get_outputs()[0].name} {session.get_outputs()[0].shape}')
    # Input onehot ['seq_len', 1, 57], output logits [1, 18]

    # 3. The held-out names, split as rnn_name2lang.py splits them
    data, targets, data_target_names = load_name_dataset(common.find_name_files(args.data_dir))
    if data_target_names != target_names:
        raise UserError(f"the languages in {args.data_dir} are not those the model was trained on "
                        f"({len(data_target_names)} here, {len(target_names)} in '{args.model}')")
    _, names_valid, _, targets_valid = train_test_split(data, targets, test_size=VALID_RATIO, random_state=args.seed,
                                                        stratify=targets)
    names, labels = names_valid[:args.max_names], np.array(targets_valid[:args.max_names])
    torch_out, onnx_out = run_both(model, session, names)
    same = int((torch_out.argmax(axis=1) == onnx_out.argmax(axis=1)).sum())
    difference = float(np.abs(torch_out - onnx_out).max())
    torch_accuracy = float((torch_out.argmax(axis=1) == labels).mean())
    onnx_accuracy = float((onnx_out.argmax(axis=1) == labels).mean())
    print(f'The same language for {same} of {len(names)} held-out names')  # ... for 4015 of 4015 held-out names
    print(f'Largest difference of logits: {difference:.2e} ({"within" if difference <= MAX_DIFFERENCE else "OVER"} '
          f'{MAX_DIFFERENCE:.0e})')  # Largest difference of logits: 1.91e-06 (within 1e-04)
    print(f'Held-out accuracy: PyTorch {torch_accuracy:.4f}, ONNX Runtime {onnx_accuracy:.4f}')  # 0.8.. and 0.8..
    whole = len(names) == len(names_valid)  # The accuracy of all held-out names is the one the web page shows
    print(f'Saved: {save_info(onnx_path, target_names, onnx_accuracy if whole else None)}')

    # 4. The slide's names: report_predict's top 5 (PyTorch) and ONNX Runtime's
    n_same = compare_reports(model, session, TEST_NAMES, target_names)
    print(f'The same top {TOP_K} and percentages for {n_same} of {len(TEST_NAMES)} names')  # ... for 5 of 5 names

    # 5. Time both on the CPU, one name at a time
    speed = time_both(model, session, names, repeats=args.repeats)
    print(f'{"":<14}{"ms per name (median)":>24}{"names/s (one at a time)":>26}')
    for name, (ms, per_second) in speed.items():
        print(f'{name:<14}{ms:>24.3f}{per_second:>26,.0f}')
    print(f'ONNX Runtime / PyTorch: {speed["PyTorch"][0] / speed["ONNX Runtime"][0]:.2f} times as fast per name')
    threads = torch.get_num_threads()
    fig = plot_speed(speed, f'{type(model).__name__} on the CPU, {threads} thread{"s" if threads > 1 else ""}: '
                            f'PyTorch {torch.__version__}, ONNX Runtime {onnxruntime.__version__}')
    save_figure(fig, args.out_dir, 'rnn_name2lang_onnx_speed')
