"""Check this Python for the tutorial: versions, the device the scripts would use, the data, the output folder.

    python check_env.py                  # or: python run_all.py --check
    python check_env.py --data-dir DIR   # check another data folder (as the scripts' --data-dir)

It ends with `OK`, or with one line per problem and its fix (exit code 1). It needs nothing but Python to start:
a package that is missing or outside what requirements.txt allows is one of the problems it reports.
"""
import argparse
import importlib.metadata
import os
import platform
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent
REQUIREMENTS = REPO_ROOT / 'requirements.txt'
# The versions a learner most often asks about come first; the rest of requirements.txt is checked too
SHOWN = ['torch', 'torchvision', 'numpy']
INSTALL = "run 'pip install -r requirements.txt' in the repository folder"
MNIST_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']


def requirements(path=REQUIREMENTS):
    """{package: specifier text} of requirements.txt, e.g. {'torch': '>=2.3,<3'} (options and `-e .` left out)."""
    wanted = {}
    for line in path.read_text(encoding='utf-8').splitlines():
        line = line.split('#', 1)[0].strip()
        if not line or line.startswith('-'):
            continue
        name = line.split(';')[0]
        for mark in '<>=!~[ ':
            name = name.split(mark, 1)[0]
        wanted[name.lower()] = line[len(name):].split(';')[0].strip()
    return wanted


def installed_version(package):
    """The installed version of `package` (a distribution name, e.g. 'scikit-learn'), or None."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def version_problems(wanted, version_of=installed_version):
    """(lines to print, problems) for the packages of requirements.txt: each version, and what is outside its range."""
    lines, problems = [f'Python: {platform.python_version()} ({sys.executable})'], []
    try:
        from packaging.specifiers import SpecifierSet
        from packaging.version import Version
    except ModuleNotFoundError:  # It comes with matplotlib: nothing of requirements.txt is installed yet
        return lines, [f'the packages of requirements.txt are not installed for this Python: {INSTALL}']
    versions = {}
    for package in SHOWN + sorted(set(wanted) - set(SHOWN)):
        version = versions[package] = version_of(package)
        if package in SHOWN:
            lines.append(f'{package}: {version or "not installed"}')
        if version is None:
            problems.append(f'{package} is not installed: {INSTALL}')
        elif wanted.get(package) and Version(version) not in SpecifierSet(wanted[package]):
            problems.append(f'{package} {version} is outside what requirements.txt allows '
                            f'({package}{wanted[package]}): {INSTALL}')
    torch, numpy = versions.get('torch'), versions.get('numpy')
    if torch and numpy and Version(torch).release < (2, 3) and Version(numpy).major >= 2:
        problems.append(f'torch {torch} was built for NumPy 1.x and fails with NumPy {numpy} ("Numpy is not '
                        "available\"): run 'pip install \"numpy<2\"', or a newer torch with "
                        "'pip install -r requirements.txt'")
    return lines, problems


def device_line():
    """The device `--device auto` would use: the CUDA GPU (name, memory), Apple's MPS, or the CPU (threads)."""
    import torch
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        return f'Device: cuda ({props.name}, {props.total_memory / 2**30:.0f} GiB; {torch.cuda.device_count()} GPU(s))'
    if torch.backends.mps.is_available():
        return 'Device: mps (Apple GPU)'
    from common.machine import cpu_name
    build = f'a CUDA {torch.version.cuda} build' if torch.version.cuda else 'a CPU-only build'
    return f'Device: cpu ({cpu_name()}, {torch.get_num_threads()} threads; no GPU found by this torch, {build})'


def data_lines(data_dir):
    """Whether MNIST and the names data are in `data_dir` or would be downloaded at the first run."""
    raw = data_dir / 'MNIST' / 'raw'
    missing = [name for name in MNIST_FILES if not (raw / name).is_file() and not (raw / f'{name}.gz').is_file()]
    mnist = 'present' if not missing else f'would be downloaded into {raw} (missing: {len(missing)} of 4 files)'
    folders = (data_dir / 'names', data_dir / 'data' / 'names')  # Extracted, or the archive extracted in place
    names = next((f'present ({len(files)} files in {folder})' for folder in folders
                  if (files := sorted(folder.glob('*.txt')))), None)
    if names is None:
        names = 'present (data.zip, extracted at the first run)' if (data_dir / 'data.zip').is_file() else \
            f'would be downloaded into {data_dir / "names"}'
    return [f'Data folder: {data_dir}', f'  MNIST: {mnist}', f'  names: {names}']


def out_dir_problem(out_dir):
    """None when results can be written into `out_dir` (tried for real), else the problem and its fix."""
    existing = out_dir
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        os.rmdir(tempfile.mkdtemp(dir=existing, prefix='.write-test-'))
    except OSError:
        return f"the output folder {out_dir} cannot be written: give the scripts --out-dir DIR (a folder of yours)"
    return None


def own_results_folder():
    """The folder of the user's own where the scripts write when the repository's results/ cannot be written
    (`common.paths.default_out_dir`), or None where there is none (or `common` cannot be imported)."""
    try:
        from common.paths import default_out_dir
    except ImportError:
        return None
    folder = default_out_dir('check_env').parent
    return folder if folder != REPO_ROOT / 'results' else None


def main(argv=None):
    parser = argparse.ArgumentParser(prog='check_env.py', description=__doc__.split('\n\n')[0])
    parser.add_argument('--data-dir', default=None,
                        help='data folder to check (default: $DL_DATA_DIR, else data/ in the repository)')
    args = parser.parse_args(argv)
    lines, problems = version_problems(requirements(), installed_version)
    if installed_version('torch') is None:
        lines.append('Device: not known without torch')
    else:
        lines.append(device_line())
    data_dir = Path(args.data_dir or os.environ.get('DL_DATA_DIR') or REPO_ROOT / 'data').expanduser().resolve()
    if data_dir.is_dir():
        lines += data_lines(data_dir)
    else:
        problems.append(f'the data folder {data_dir} does not exist: give an existing one (--data-dir, $DL_DATA_DIR)')
    out_dir = REPO_ROOT / 'results'
    problem = out_dir_problem(out_dir)
    fallback = own_results_folder() if problem else None
    if fallback:  # A read-only installation: the scripts write into the user's own folder instead
        problem = None
        lines.append(f'Output folder: {out_dir} (not writable by this user: the scripts write into {fallback})')
    else:
        lines.append(f'Output folder: {out_dir} ({"not writable" if problem else "writable"})')
    print('\n'.join(lines))
    if problem:
        problems.append(problem)
    for problem in problems:
        print(f'problem: {problem}')
    print('OK' if not problems else f'{len(problems)} problem(s): fix them, then run this check again')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.path.insert(0, str(REPO_ROOT))  # common.machine, also before `pip install -e .`
    sys.exit(main())
