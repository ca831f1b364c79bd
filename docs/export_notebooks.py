"""Every section script as a Jupyter notebook for Google Colab, whose first cell gets the repository there.

    python docs/export_notebooks.py notebooks                      # clones this checkout's `origin` on Colab
    python docs/export_notebooks.py notebooks --repo-url URL       # clones URL instead (e.g. your fork)

Each script becomes DIR/<its path>.ipynb (e.g. notebooks/04_cnn_mnist/concepts/pooling.ipynb) by jupytext, one
cell per `# %%` cell, with one cell first: on Colab it clones the repository and installs its requirements
(elsewhere it does nothing). Commit and push DIR to a GitHub repository, and each notebook opens on Colab at the
address printed beside it.
"""
import argparse
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # This checkout's run_all and common
import run_all  # noqa: E402  (the section scripts)
from common.paths import REPO_ROOT  # noqa: E402

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
GITHUB = re.compile(r'(?:https://github\.com/|git@github\.com:)([^/]+)/([^/]+?)(?:\.git)?/?$')


def git(*args, repo=REPO_ROOT):
    """The output of `git -C repo args...`, stripped, or None where git is missing or fails."""
    try:
        result = subprocess.run(['git', '-C', str(repo), *args], capture_output=True, encoding='utf-8',
                                errors='replace')
    except OSError:  # No git
        return None
    return (result.stdout.strip() or None) if result.returncode == 0 else None


def origin_url(repo=REPO_ROOT):
    """The address of this checkout's `origin` remote (`git remote get-url origin`), or None."""
    return git('remote', 'get-url', 'origin', repo=repo)


def clone_folder(url):
    """The folder that `git clone url` makes: the address's last part without `.git`."""
    return re.sub(r'\.git$', '', url.rstrip('/').rsplit('/', 1)[-1].rsplit(':', 1)[-1]) or 'dl-tutorial'


def export_notebook(path, url):
    """The script at `path` as a notebook (jupytext), with the Colab cell that clones `url` first."""
    import jupytext
    import nbformat
    notebook = jupytext.read(path)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(COLAB_CELL.format(url=url, folder=clone_folder(url))))
    notebook.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    return notebook


def colab_link(url, relpath):
    """The Colab address of a notebook committed at `relpath` of a GitHub repository `url` (else None)."""
    match = GITHUB.match(url)
    if not match:
        return None
    branch = git('branch', '--show-current') or 'main'
    return f'https://colab.research.google.com/github/{match[1]}/{match[2]}/blob/{branch}/{relpath}'


def export_notebooks(out_dir, url):
    """Write every section script as `out_dir/<section>/.../<script>.ipynb`; return the paths written."""
    import nbformat
    written = []
    for path in run_all.section_scripts():
        target = (Path(out_dir) / path.relative_to(REPO_ROOT)).with_suffix('.ipynb')
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(export_notebook(path, url), str(target))
        written.append(target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description='Write every section script as a notebook (.ipynb) for Google '
                                                 'Colab, its first cell cloning the repository there.')
    parser.add_argument('out_dir', metavar='DIR', help='folder for the notebooks (e.g. notebooks)')
    parser.add_argument('--repo-url', metavar='URL',
                        help="the address the notebooks clone on Colab (default: this checkout's `origin` remote)")
    args = parser.parse_args(argv)
    url = args.repo_url or origin_url()
    if not url:
        parser.exit(2, "export_notebooks.py: error: no address to clone on Colab: this checkout has no 'origin' "
                       'remote (git remote get-url origin); give --repo-url URL, the address learners can clone\n')
    written = export_notebooks(args.out_dir, url)
    print(f'{len(written)} notebooks in {Path(args.out_dir).resolve()}, cloning {url} on Colab')
    for path in written:
        relpath = path.resolve().relative_to(REPO_ROOT) if REPO_ROOT in path.resolve().parents else None
        link = colab_link(url, relpath) if relpath else None
        print(f'  {path}' + (f'  (once committed and pushed: {link})' if link else ''))
    return 0


if __name__ == '__main__':
    sys.exit(main())
