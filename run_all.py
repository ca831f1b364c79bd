"""A guided tour: run every script of the tutorial in slide order, headless, and print a table.

    python run_all.py                 # quick settings (a few minutes on a laptop CPU)
    python run_all.py --full          # the scripts' real settings (the slides' runs)
    python run_all.py 03_nn_iris      # only the scripts whose path contains one of these words

Teachers: run it on a lab machine before class. It exits with code 1 if any script fails.
Figures go to results/run_all/<script>/ (quick) or each script's own results/<script>/ (--full);
each script's full output is kept in results/run_all/logs/<script>.log.

`SCRIPTS` is the tutorial's list of scripts in slide order, read by the website (docs/build_site.py) and the
README's pictures (docs/gallery.py) too; each script's title is its docstring's (`script_title`).
The other jobs have their own commands: `python check_env.py` (this Python, its packages, the device, the data),
`python docs/gallery.py`, `python docs/export_notebooks.py DIR` and `python docs/build_site.py DIR`.
"""
import argparse
import ast
import functools
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from common.cli import printable_streams
from common.paths import REPO_ROOT, results_dir

QUICK_OUT = results_dir('run_all')    # The tour's folder: results/run_all/<script>/ and logs/
DDP = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2']
SETUP_MARK = '# %% Setup:'            # The first cell of every section script

# (script, options for a quick run, options for --full), in slide order. In the options, `{out}` is the script's
# output folder and `{out:name}` that of the script `name` (e.g. the model that cnn_mnist.py saved): see fill().
SCRIPTS = [
    ('03_nn_iris/concepts/representation_learning.py', ['--epochs', '300', '--out-dir', '{out}'], []),
    ('01_tensors/create_tensor.py', [], []),
    ('01_tensors/reshape_tensor.py', [], []),
    ('01_tensors/line_fitting.py', [], []),
    ('01_tensors/cpu_vs_gpu.py', ['--device', 'all', '--n', '1000', '--out-dir', '{out}'], []),
    ('02_autograd/autograd.py', [], []),
    ('02_autograd/autograd_analysis.py', [], []),
    ('02_autograd/grad_descent.py', ['--out-dir', '{out}'], []),
    ('02_autograd/grad_descent_optim.py', ['--out-dir', '{out}'], []),
    ('03_nn_iris/concepts/perceptron_backprop.py', ['--out-dir', '{out}'], []),
    ('03_nn_iris/activation_funcs.py', ['--out-dir', '{out}'], []),
    ('03_nn_iris/vanishing_grad.py', ['--out-dir', '{out}'], []),
    ('03_nn_iris/concepts/loss_functions.py', ['--out-dir', '{out}'], []),
    ('03_nn_iris/iris_classification.py', ['--epochs', '1000', '--out-dir', '{out}'], []),
    ('03_nn_iris/iris_my_style.py', ['--epochs', '1000', '--out-dir', '{out}'], []),
    ('04_cnn_mnist/concepts/conv_output_size.py', [], []),
    ('04_cnn_mnist/concepts/convolution.py', ['--out-dir', '{out}'], []),
    ('04_cnn_mnist/concepts/pooling.py', ['--out-dir', '{out}'], []),
    ('04_cnn_mnist/concepts/dropout.py', ['--out-dir', '{out}'], []),
    ('04_cnn_mnist/concepts/skip_connection.py', ['--steps', '150', '--out-dir', '{out}'], []),
    ('04_cnn_mnist/mnist_dataset.py', ['--out-dir', '{out}'], []),
    ('04_cnn_mnist/cnn_mnist.py', ['--epochs', '1', '--train-size', '5000', '--out-dir', '{out}'], []),
    ('04_cnn_mnist/cnn_mnist_load.py', ['--model', '{out:cnn_mnist}/cnn_mnist.pt', '--out-dir', '{out}'], []),
    ('04_cnn_mnist/concepts/mnist_try.py', ['--train-size', '1000', '--out-dir', '{out}'], []),
    ('04_cnn_mnist/further/cnn_mnist_onnx.py', ['--model', '{out:cnn_mnist}/cnn_mnist.pt', '--images', '2000',
                                                '--latency-images', '100', '--out-dir', '{out}'], []),
    ('04_cnn_mnist/further/draw_digit.py', ['--demo', '--model', '{out:cnn_mnist}/cnn_mnist.pt', '--out-dir', '{out}'],
     ['--demo']),
    ('04_cnn_mnist/lr_schedulers.py', ['--out-dir', '{out}'], []),
    ('04_cnn_mnist/cnn_class_styles.py', [], []),
    ('04_cnn_mnist/further/cnn_mnist_ddp.py', ['--epochs', '1', '--train-size', '2000', '--out-dir', '{out}'], []),
    ('04_cnn_mnist/further/cnn_mnist_further.py', ['--epochs', '1', '--train-size', '5000', '--out-dir', '{out}'], []),
    ('05_rnn_name2lang/concepts/rnn_unrolled.py', ['--out-dir', '{out}'], []),
    ('05_rnn_name2lang/concepts/vanishing_in_time.py', ['--out-dir', '{out}'], []),
    ('05_rnn_name2lang/concepts/lstm_gru_equations.py', ['--out-dir', '{out}'], []),
    ('05_rnn_name2lang/concepts/onehot_letters.py', ['--out-dir', '{out}'], []),
    ('05_rnn_name2lang/rnn_name2lang.py', ['--epochs', '2', '--out-dir', '{out}'], []),
    ('05_rnn_name2lang/further/rnn_name2lang_further.py', ['--epochs', '1', '--models', '2', '--out-dir', '{out}'], []),
    ('05_rnn_name2lang/rnn_name2lang_load.py', ['--model', '{out:rnn_name2lang}/rnn_name2lang.pt', 'Choi', 'Tanaka'],
     ['Choi', 'Jane', 'Daniel', 'Chow', 'Tanaka']),
    ('05_rnn_name2lang/further/rnn_name2lang_onnx.py', ['--model', '{out:rnn_name2lang}/rnn_name2lang.pt', '--out-dir',
                                                       '{out}'], []),
    ('03_nn_iris/concepts/overfitting.py', ['--epochs', '150', '--out-dir', '{out}'], []),  # The deck's last slide
]


# The scripts and their titles ---------------------------------------------------------------------------
def section_scripts():
    """Every script of the sections, lesson, concept, further, helper and exercise (each starts with the setup cell),
    by path; the other files there are modules that the scripts import. An exercise's solution file
    (`exercises/solutions/`) is its source, not a script of its own (tests/test_exercises.py runs it)."""
    return sorted(path for path in REPO_ROOT.glob('0[1-5]_*/**/*.py') if SETUP_MARK in path.read_text(encoding='utf-8')
                  and 'solutions' not in path.relative_to(REPO_ROOT).parts)


def script_kind(script):
    """'lesson' (a slide's own code, at the top of its section), 'concept' (`concepts/`: a slide without code made
    runnable), 'further' (`further/`: beyond the slides), 'helper' (`helpers/`) or 'exercise' (`exercises/`: the
    learner writes a slide's formula or mends its bug), from the script's path."""
    parts = Path(script).parts
    folder = parts[1] if len(parts) > 2 else ''
    return {'': 'lesson', 'concepts': 'concept', 'further': 'further', 'helpers': 'helper',
            'exercises': 'exercise'}.get(folder, folder)


def docstring(script):
    """The docstring of the script at `script` (relative to the repository, or a path), read without running it."""
    path = REPO_ROOT / script
    return parsed_docstring(path, path.stat().st_mtime_ns)


@functools.cache
def parsed_docstring(path, mtime_ns):
    """docstring()'s work, once per file and version: the site's plan asks for each script's many times."""
    return ast.get_docstring(ast.parse(path.read_text(encoding='utf-8'))) or ''


SLIDE_MARK = re.compile(r'^(Slides?) "', re.M)   # `Slide "X"` or `Slides "X" and "Y"` at the start of a line


def slide_names(text):
    """The slides that a docstring names, as it quotes them: `Slide "Pooling Layer" (...)` -> ['Pooling Layer'];
    `Slides "Convolution" (1D and 2D) and "Convolutional Layer": ...` -> ['Convolution', 'Convolutional Layer'].
    After `Slides`, every quoted title outside parentheses up to the sentence's end; after `Slide`, the first."""
    match = SLIDE_MARK.search(text)
    if not match:
        return []
    names, depth, index = [], 0, match.end() - 1
    while index < len(text):
        char = text[index]
        if char == '"':  # A quoted text, skipped whole (its parentheses are not the sentence's)
            end = text.find('"', index + 1)
            end = len(text) if end < 0 else end
            if depth == 0:
                names.append(text[index + 1:end])
                if match.group(1) == 'Slide':
                    break
            index = end + 1
            continue
        depth += (char == '(') - (char == ')')
        if depth == 0 and char in '.:;' and text[index + 1:index + 2] in ('', ' ', '\n'):
            break
        index += 1
    return names


def join_slide_names(names):
    """One title for the slides named: without the slides' "Practice)" mark; a slide's later pages joined to its
    first ("Creating a Tensor (1/2)" and "(2/2)" -> "Creating a Tensor (1/2)-(2/2)"), several slides by "and"."""
    parts = []
    for name in names:
        name = re.sub(r'^(?:Practice|Discussion)\) ', '', name.strip())
        if name.startswith('(') and parts:
            parts[-1] += '-' + name
        else:
            parts.append(name)
    return ' and '.join([', '.join(parts[:-1]), parts[-1]] if len(parts) > 2 else parts)


def short_first_line(text):
    """What a script does in a few words: its docstring's first sentence, up to the first colon or sentence end."""
    first = text.strip().split('\n\n')[0].replace('\n', ' ')
    return re.split(r'[:;]\s|[.?!](?:\s|$)', first, maxsplit=1)[0].strip()


def title_from_docstring(text, kind):
    """The title in a docstring `text`: the slides that a lesson or concept script names (`Slide "..."`,
    `Slides "..." and "..."`; after one slide's name, a short topic in parentheses too), else what the script
    does (its first line, short)."""
    names = slide_names(text) if kind in ('lesson', 'concept') else []
    if not names:
        return short_first_line(text)
    title = join_slide_names(names)
    topic = re.search(r'^Slide "[^"]+" \(([^()"]+)\)', text, re.M)  # `Slide "Summary" (Issue #2, overfitting)`
    if len(names) == 1 and topic and len(title) + len(topic.group(1)) + 3 <= 70:  # Which part of the slide (the
        title += f' ({topic.group(1)})'  # deck gives four slides one title)
    return title


def script_title(script):
    """The title of a script, from its docstring (the one place it is written): the slides that a lesson or concept
    script names, or what a further script does in a few words. The website's pages and the tour's table show it;
    the section READMEs' tables are checked against it."""
    return title_from_docstring(docstring(script), script_kind(script)) or Path(script).stem


# The tour ------------------------------------------------------------------------------------------------
def output_folder(script, full, root=None):
    """Where `script` writes in the tour: `root`/<script> (default results/run_all/<script>); with --full, its own
    results folder (results/<script>, where it writes without --out-dir)."""
    return results_dir(script) if full and root is None else Path(root or QUICK_OUT) / Path(script).stem


def fill(options, script, full=False, root=None):
    """The options with `{out}` replaced by `script`'s output folder and `{out:name}` by that of the script `name`
    (see output_folder); `root`: the folder that holds them all (the website's build gives a temporary one)."""
    own = output_folder(script, full, root)
    return [re.sub(r'\{out:([^}]+)\}', lambda match: str(output_folder(match[1], full, root)),
                   option.replace('{out}', str(own))) for option in options]


def build_command(script, options, full):
    """The command line that runs `script` (through torchrun for a DDP script), placeholders filled in."""
    launcher = DDP if script.endswith('_ddp.py') else [sys.executable]
    return launcher + [str(REPO_ROOT / script)] + fill(options, script, full)


def script_env(script):
    """The environment of a script in the tour: no window; on Windows, torchrun without libuv, which PyTorch's
    Windows builds lack (pytorch/pytorch#139990: `use_libuv was requested but PyTorch was build without libuv`)."""
    env = dict(os.environ, MPLBACKEND='Agg', PYTHONUNBUFFERED='1')
    if script.endswith('_ddp.py') and sys.platform == 'win32':
        env.setdefault('USE_LIBUV', '0')
    return env


def run_script(script, options, full, log_dir):
    """Run one script headless; return (status, seconds, number of figures written, last error line)."""
    command = build_command(script, options, full)
    out_dir = output_folder(script, full)
    log_path = Path(log_dir) / f'{Path(script).stem}.log'
    start = time.time()
    with open(log_path, 'wb') as log:  # The scripts write UTF-8 into a file (common.cli.printable_streams)
        result = subprocess.run(command, cwd=REPO_ROOT, env=script_env(script), stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    seconds = time.time() - start
    figures = [p for p in out_dir.glob('*.png') if p.stat().st_mtime >= start - 1] if out_dir.is_dir() else []
    last_line = ''
    if result.returncode != 0:
        lines = log_path.read_text(encoding='utf-8', errors='replace').strip().splitlines()
        last_line = lines[-1] if lines else f'exit code {result.returncode}'
    return ('ok' if result.returncode == 0 else 'FAILED'), seconds, len(figures), last_line


def select(words, scripts=None):
    """The entries of SCRIPTS whose path contains one of `words` (all of them if none), in slide order."""
    scripts = SCRIPTS if scripts is None else scripts
    return [entry for entry in scripts if not words or any(word in entry[0] for word in words)]


def run_tour(entries, full):
    """Run each (script, quick options, full options) in turn and print one line each: its path, status, seconds,
    figures and title; return the number of scripts that failed."""
    log_dir = QUICK_OUT / 'logs'
    log_dir.mkdir(parents=True, exist_ok=True)
    width = max(len(script) for script, _, _ in entries)
    print(f'{"script":<{width}} {"status":<7} {"seconds":>8} {"figures":>8}  title')
    n_failed, total = 0, time.time()
    for script, quick, full_options in entries:
        status, seconds, n_figures, last_line = run_script(script, full_options if full else quick, full, log_dir)
        print(f'{script:<{width}} {status:<7} {seconds:>8.1f} {n_figures:>8}  {script_title(script)}', flush=True)
        if last_line:
            print(f'    {last_line}  (log: {log_dir / Path(script).stem}.log)')
            n_failed += 1
    print(f'{len(entries) - n_failed} passed, {n_failed} failed in {time.time() - total:.0f} seconds')
    return n_failed


def main(argv=None):
    parser = argparse.ArgumentParser(description='Run every script of the tutorial in slide order, headless.')
    parser.add_argument('only', nargs='*', help='run only the scripts whose path contains one of these words')
    parser.add_argument('--full', action='store_true', help="use the scripts' real settings, not quick ones")
    args = parser.parse_args(argv)
    printable_streams()  # A title's letters on any console
    entries = select(args.only)
    if not entries:
        parser.error(f'no script matches {args.only}')
    return 1 if run_tour(entries, args.full) else 0


if __name__ == '__main__':
    sys.exit(main())
