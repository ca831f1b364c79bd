"""A guided tour: run every script of the tutorial in slide order, headless, and print a table.

    python run_all.py                 # quick settings (a few minutes on a laptop CPU)
    python run_all.py --full          # the scripts' real settings (the slides' runs)
    python run_all.py 03_nn_iris      # only the scripts whose path contains one of these words
    python run_all.py --gallery       # redraw the README's pictures in docs/ (real settings, about 5 minutes)
    python run_all.py --notebooks DIR # every section script as a .ipynb for Google Colab (README, "Notebooks")
    python run_all.py --check         # this Python, its packages, device, data and output folder (check_env.py)
    python run_all.py --site DIR      # the tutorial as a website, every script run (docs/build_site.py)

Teachers: run it on a lab machine before class. It exits with code 1 if any script fails.
Figures go to results/run_all/<script>/ (quick) or each script's own results/<script>/ (--full);
each script's full output is kept in results/run_all/logs/<script>.log.
"""
import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

REPO_ROOT = Path(__file__).resolve().parent
QUICK_OUT = REPO_ROOT / 'results' / 'run_all'
FULL_OUT = REPO_ROOT / 'results'      # Each script's own default output folder is results/<script>/
DOCS = REPO_ROOT / 'docs'
DDP = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2']

# (script, options for a quick run, options for --full). In the options, `{out}` is the script's output
# folder and `{out:name}` that of the script `name` (e.g. the model that cnn_mnist.py saved).
SCRIPTS = [
    ('01_tensors/create_tensor.py', [], []),
    ('01_tensors/reshape_tensor.py', [], []),
    ('01_tensors/line_fitting.py', [], []),
    ('01_tensors/cpu_vs_gpu.py', ['--device', 'all', '--n', '1000', '--out-dir', '{out}'], []),
    ('02_autograd/autograd.py', [], []),
    ('02_autograd/autograd_analysis.py', [], []),
    ('02_autograd/grad_descent.py', ['--out-dir', '{out}'], []),
    ('02_autograd/grad_descent_optim.py', ['--out-dir', '{out}'], []),
    ('03_nn_iris/activation_funcs.py', ['--out-dir', '{out}'], []),
    ('03_nn_iris/vanishing_grad.py', ['--out-dir', '{out}'], []),
    ('03_nn_iris/iris_classification.py', ['--epochs', '1000', '--out-dir', '{out}'], []),
    ('03_nn_iris/iris_my_style.py', ['--epochs', '1000', '--out-dir', '{out}'], []),
    ('04_cnn_mnist/concepts/conv_output_size.py', [], []),
    ('04_cnn_mnist/mnist_dataset.py', ['--out-dir', '{out}'], []),
    ('04_cnn_mnist/cnn_mnist.py', ['--epochs', '1', '--train-size', '5000', '--out-dir', '{out}'], []),
    ('04_cnn_mnist/cnn_mnist_load.py', ['--model', '{out:cnn_mnist}/cnn_mnist.pt', '--out-dir', '{out}'], []),
    ('04_cnn_mnist/further/draw_digit.py', ['--demo', '--model', '{out:cnn_mnist}/cnn_mnist.pt', '--out-dir', '{out}'],
     ['--demo']),
    ('04_cnn_mnist/lr_schedulers.py', ['--out-dir', '{out}'], []),
    ('04_cnn_mnist/cnn_class_styles.py', [], []),
    ('04_cnn_mnist/further/cnn_mnist_ddp.py', ['--epochs', '1', '--train-size', '2000', '--out-dir', '{out}'], []),
    ('04_cnn_mnist/further/cnn_mnist_further.py', ['--epochs', '1', '--train-size', '5000', '--out-dir', '{out}'], []),
    ('05_rnn_name2lang/rnn_name2lang.py', ['--epochs', '2', '--out-dir', '{out}'], []),
    ('05_rnn_name2lang/further/rnn_name2lang_further.py', ['--epochs', '1', '--models', '2', '--out-dir', '{out}'], []),
    ('05_rnn_name2lang/rnn_name2lang_load.py', ['--model', '{out:rnn_name2lang}/rnn_name2lang.pt', 'Choi', 'Tanaka'],
     ['Choi', 'Jane', 'Daniel', 'Chow', 'Tanaka']),
]

# The README's pictures: (script, the figure it saves, its name in docs/), drawn with the real settings
GALLERY = [
    ('02_autograd/grad_descent.py', 'grad_descent.png', 'grad_descent.png'),
    ('03_nn_iris/activation_funcs.py', 'activation_funcs.png', 'activation_funcs.png'),
    ('03_nn_iris/iris_my_style.py', 'iris_my_style_boundaries.png', 'iris_boundaries.png'),
    ('04_cnn_mnist/cnn_mnist.py', 'cnn_mnist_loss.png', 'mnist_loss.png'),
    ('04_cnn_mnist/cnn_mnist.py', 'cnn_mnist_confusion.png', 'mnist_confusion.png'),
    ('04_cnn_mnist/further/draw_digit.py', 'draw_digit_demo.png', 'draw_digit.png'),
    ('05_rnn_name2lang/rnn_name2lang.py', 'rnn_name2lang_confusion.png', 'name2lang_confusion.png'),
]
FULL_WIDTH, THUMB_WIDTH = 800, 240  # Pixels of a picture in docs/ and of its thumbnail in docs/thumbs/


def output_folder(script, full):
    return (FULL_OUT if full else QUICK_OUT) / Path(script).stem


def build_command(script, options, full):
    """The command line that runs `script` (through torchrun for the DDP script), placeholders filled in."""
    launcher = DDP if script.endswith('_ddp.py') else [sys.executable]
    root = FULL_OUT if full else QUICK_OUT
    filled = [option.replace('{out}', str(output_folder(script, full))).replace('{out:', f'{root}/').replace('}', '')
              for option in options]
    return launcher + [str(REPO_ROOT / script)] + filled


def run_script(script, options, full, log_dir):
    """Run one script headless; return (status, seconds, number of figures written, last error line)."""
    command = build_command(script, options, full)
    out_dir = output_folder(script, full)
    env = dict(os.environ, MPLBACKEND='Agg', PYTHONUNBUFFERED='1')
    start = time.time()
    with open(log_dir / f'{Path(script).stem}.log', 'w') as log:
        result = subprocess.run(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    seconds = time.time() - start
    figures = [p for p in out_dir.glob('*.png') if p.stat().st_mtime >= start - 1] if out_dir.is_dir() else []
    last_line = ''
    if result.returncode != 0:
        lines = (log_dir / f'{Path(script).stem}.log').read_text().strip().splitlines()
        last_line = lines[-1] if lines else f'exit code {result.returncode}'
    return ('ok' if result.returncode == 0 else 'FAILED'), seconds, len(figures), last_line


def export_gallery():
    """Copy the gallery's figures from results/ into docs/ (at most FULL_WIDTH wide) with thumbnails; return paths."""
    written, docs = [], DOCS
    (docs / 'thumbs').mkdir(parents=True, exist_ok=True)
    for script, figure, name in GALLERY:
        with Image.open(output_folder(script, full=True) / figure) as image:
            image = image.convert('RGB')
        for folder, width in [(docs, FULL_WIDTH), (docs / 'thumbs', THUMB_WIDTH)]:
            scaled = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS) \
                if image.width > width else image
            scaled.quantize(colors=128).save(folder / name, optimize=True)  # Plots need few colours: small files
            written.append(folder / name)
    return written


# The first cell of an exported notebook: it does something only on Google Colab, where nothing is installed
COLAB_CELL = """\
# Google Colab: get this repository and install it, then go on (elsewhere this cell does nothing)
import os, subprocess, sys
os.environ['GIT_TERMINAL_PROMPT'] = '0'  # An address that needs a password fails at once, instead of waiting
if 'google.colab' in sys.modules and not os.path.isdir({folder!r}):
    subprocess.run(['git', 'clone', '-q', {url!r}, {folder!r}], check=True)
    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '-r', 'requirements.txt'], cwd={folder!r}, check=True)
if 'google.colab' in sys.modules:
    sys.path.insert(0, os.path.abspath({folder!r}))  # The kernel runs on: it finds the new install here"""


def section_scripts():
    """Every script of the sections (each starts with the setup cell); the other files are modules beside them."""
    return sorted(path for path in REPO_ROOT.glob('0[1-5]_*/**/*.py') if '# %% Setup:' in path.read_text(encoding='utf-8'))


def origin_url(repo=REPO_ROOT):
    """The address of this checkout's `origin` remote (`git remote get-url origin`), or None."""
    try:
        result = subprocess.run(['git', '-C', str(repo), 'remote', 'get-url', 'origin'], capture_output=True, text=True)
    except OSError:  # No git
        return None
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else None


def export_notebook(path, url):
    """The script at `path` as a notebook (jupytext), with the Colab cell that clones `url` first."""
    import jupytext
    import nbformat
    notebook = jupytext.read(path)
    folder = re.sub(r'\.git$', '', url.rstrip('/').rsplit('/', 1)[-1].rsplit(':', 1)[-1]) or 'dl-tutorial'
    notebook.cells.insert(0, nbformat.v4.new_code_cell(COLAB_CELL.format(url=url, folder=folder)))
    notebook.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    return notebook


def colab_link(url, relpath):
    """The Colab address of a notebook committed at `relpath` of a GitHub repository `url` (else None)."""
    match = re.match(r'(?:https://github\.com/|git@github\.com:)([^/]+)/([^/]+?)(?:\.git)?/?$', url)
    if not match:
        return None
    branch = subprocess.run(['git', '-C', str(REPO_ROOT), 'branch', '--show-current'], capture_output=True,
                            text=True).stdout.strip() or 'main'
    return f'https://colab.research.google.com/github/{match[1]}/{match[2]}/blob/{branch}/{relpath}'


def export_notebooks(out_dir, url):
    """Write every section script as `out_dir/<section>/<script>.ipynb`; return the paths written."""
    import nbformat
    written = []
    for path in section_scripts():
        target = Path(out_dir) / path.parent.name / f'{path.stem}.ipynb'
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(export_notebook(path, url), str(target))
        written.append(target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description='Run every script of the tutorial in slide order, headless.')
    parser.add_argument('only', nargs='*', help='run only the scripts whose path contains one of these words')
    parser.add_argument('--full', action='store_true', help="use the scripts' real settings, not quick ones")
    parser.add_argument('--gallery', action='store_true',
                        help="run the scripts of the README's pictures with their real settings and redraw docs/")
    parser.add_argument('--notebooks', metavar='DIR',
                        help='write every section script as a notebook (.ipynb) into DIR, for Google Colab')
    parser.add_argument('--repo-url', metavar='URL',
                        help="the address the notebooks clone on Colab (default: this checkout's `origin` remote)")
    parser.add_argument('--check', action='store_true',
                        help='check this Python, its packages, the device, the data and the output folder')
    parser.add_argument('--site', metavar='DIR', help='build the tutorial as a website into DIR (docs/build_site.py; '
                        'with --full, the scripts\' real settings)')
    args = parser.parse_args(argv)

    if args.check:
        import check_env
        return check_env.main([])
    if args.site:
        return subprocess.call([sys.executable, str(DOCS / 'build_site.py'), args.site, *args.only] +
                               (['--full'] if args.full else []))
    if args.notebooks:
        url = args.repo_url or origin_url()
        if not url:
            print("run_all.py: error: no address to clone on Colab: this checkout has no 'origin' remote "
                  '(git remote get-url origin); give --repo-url URL, the address learners can clone', file=sys.stderr)
            return 2
        written = export_notebooks(args.notebooks, url)
        print(f'{len(written)} notebooks in {Path(args.notebooks).resolve()}, cloning {url} on Colab')
        for path in written:
            relpath = path.resolve().relative_to(REPO_ROOT) if REPO_ROOT in path.resolve().parents else None
            link = colab_link(url, relpath) if relpath else None
            print(f'  {path}' + (f'  (once committed and pushed: {link})' if link else ''))
        return 0

    if args.gallery:
        args.full = True
        args.only = [script for script, _, _ in GALLERY]
    selected = [entry for entry in SCRIPTS if not args.only or any(word in entry[0] for word in args.only)]
    if not selected:
        parser.error(f'no script matches {args.only}')
    log_dir = QUICK_OUT / 'logs'
    log_dir.mkdir(parents=True, exist_ok=True)

    print(f'{"script":<42} {"status":<7} {"seconds":>8} {"figures":>8}')
    n_failed, total = 0, time.time()
    for script, quick, full in selected:
        status, seconds, n_figures, last_line = run_script(script, full if args.full else quick, args.full, log_dir)
        print(f'{script:<42} {status:<7} {seconds:>8.1f} {n_figures:>8}', flush=True)
        if last_line:
            print(f'    {last_line}  (log: {log_dir / Path(script).stem}.log)')
            n_failed += 1
    print(f'{len(selected) - n_failed} passed, {n_failed} failed in {time.time() - total:.0f} seconds')
    if args.gallery and not n_failed:
        written = export_gallery()
        print(f'Gallery: {len(written)} pictures in {DOCS} ({sum(p.stat().st_size for p in written) // 1024} KB)')
    return 1 if n_failed else 0


if __name__ == '__main__':
    sys.exit(main())
