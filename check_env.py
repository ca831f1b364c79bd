"""Check this Python for the tutorial: versions, the platform, the device the scripts would use, the data, the output
folder.

    python check_env.py
    python check_env.py --data-dir DIR   # check another data folder (as the scripts' --data-dir)

It ends with `OK`, or with one line per problem and its fix (exit code 1). It needs nothing but Python to start:
a package that is missing or outside what requirements.txt allows is one of the problems it reports.
"""
import argparse
import importlib.metadata
import locale
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # This checkout's common, also before `pip install`
# paths: the repository's folders and data files; cli: printable output; machine: Apple Silicon (none needs PyTorch)
from common import UserError, cli, paths  # noqa: E402
from common.machine import apple_silicon  # noqa: E402

REQUIREMENTS = paths.REPO_ROOT / 'requirements.txt'
# The versions a learner most often asks about come first; the rest of requirements.txt is checked too
SHOWN = ['torch', 'torchvision', 'numpy']
SCRIPT = 'check_env'  # Whose output folder is checked: any script's, results/<script>/
INSTALL = "run 'pip install -r requirements.txt' in the repository folder"


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


def platform_line(torch_installed=True):
    """(the line naming the platform: Windows, macOS with Apple Silicon or an Intel CPU, or Linux; a problem or None).
    PyTorch 2.3 and newer have no builds for Intel Macs: there a missing torch cannot be installed by pip."""
    system, machine = platform.system(), platform.machine()
    if system == 'Windows':
        return f'Platform: Windows {platform.release()} ({platform.version()}, {machine})', None
    if system == 'Darwin':
        mac = f'macOS {platform.mac_ver()[0]}'
        if machine == 'arm64':
            return f'Platform: {mac} with Apple Silicon (arm64; the GPU: MPS)', None
        if apple_silicon():  # An Intel build of Python, run by Rosetta
            return (f'Platform: {mac} with Apple Silicon, but this Python is an Intel (x86_64) build run by Rosetta',
                    None if torch_installed else 'PyTorch 2.3 and newer have no builds for an Intel Python on a Mac: '
                    'install a Python for Apple Silicon (arm64, e.g. from python.org), then requirements.txt again')
        return (f'Platform: {mac} with an Intel CPU (x86_64)', None if torch_installed else
                'PyTorch 2.3 and newer have no builds for Intel Macs (the last is 2.2.2, below the 2.4 this repository '
                'needs): run the notebooks on Google Colab (README, "Notebooks")')
    if system == 'Linux':
        try:
            distribution = platform.freedesktop_os_release().get('PRETTY_NAME', 'Linux')
        except (OSError, AttributeError):  # No /etc/os-release; Python 3.9
            distribution = 'Linux'
        wsl = ', WSL on Windows' if 'microsoft' in platform.release().lower() else ''
        return f'Platform: Linux ({distribution}{wsl}, {machine})', None
    return f'Platform: {system} {platform.release()} ({machine})', None


def console_line(stream=None):
    """How text goes out and in: the console's encoding (a terminal's, or output redirected to a file or pipe, which
    the scripts write as UTF-8) and the locale's, in which Python reads and writes files unless told."""
    stream = stream or sys.stdout
    encoding = getattr(stream, 'encoding', None) or 'unknown'
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):  # A notebook's stream, a closed one
        terminal = False
    where = 'a terminal' if terminal else 'a file or pipe'
    if encoding.lower().replace('-', '') not in ('utf8', 'unknown'):
        where += ": letters it lacks are printed as \\uXXXX" if terminal else ': the scripts write UTF-8 there'
    files = locale.getencoding() if hasattr(locale, 'getencoding') else locale.getpreferredencoding(False)
    return f'Console encoding: {encoding} ({where}); files: {files} (the scripts read and write theirs as UTF-8)'


def device_line():
    """The device the scripts' `--device auto` picks (`common.get_device`): a CUDA GPU (name, memory), Apple's MPS,
    or the CPU (its name, threads)."""
    import torch

    from common import get_device
    from common.machine import cpu_name
    device = get_device('auto')
    if device.type == 'cuda':
        props = torch.cuda.get_device_properties(0)
        return f'Device: cuda ({props.name}, {props.total_memory / 2**30:.0f} GiB; {torch.cuda.device_count()} GPU(s))'
    if device.type == 'mps':
        return 'Device: mps (Apple GPU)'
    build = f'a CUDA {torch.version.cuda} build' if torch.version.cuda else 'a CPU-only build'
    return f'Device: cpu ({cpu_name()}, {torch.get_num_threads()} threads; no GPU found by this torch, {build})'


def data_lines(data_dir):
    """Whether MNIST and the names data are in `data_dir` or would be downloaded at the first run."""
    raw = paths.mnist_raw_folder(data_dir)
    missing = [name for name in paths.MNIST_FILES if not (raw / name).is_file() and not (raw / f'{name}.gz').is_file()]
    mnist = 'present' if not missing else \
        f'would be downloaded into {raw} (missing: {len(missing)} of {len(paths.MNIST_FILES)} files)'
    folder = paths.find_names_folder(data_dir)
    if folder is not None:
        names = f'present ({len(list(folder.glob("*.txt")))} files in {folder})'
    elif (data_dir / 'data.zip').is_file():
        names = 'present (data.zip, extracted at the first run)'
    else:
        names = f'would be downloaded into {data_dir / "names"}'
    return [f'Data folder: {data_dir}', f'  MNIST: {mnist}', f'  names: {names}']


def output_line():
    """(the line about the scripts' output folder, a problem or None). Without --out-dir, a script writes into
    the repository's results/<script>/ or, where this user cannot write there (a read-only installation), into
    a folder of the user's own (`common.paths.writable_out_dir`): a problem only when none can be written."""
    repo_folder, folder = paths.results_dir(SCRIPT), paths.writable_out_dir(SCRIPT)
    results = repo_folder.parent
    if folder is None:
        return f'Output folder: {results} (not writable)', \
            f"the output folder {results} cannot be written: give the scripts --out-dir DIR (a folder of yours)"
    if folder != repo_folder:
        return f'Output folder: {results} (not writable by this user: the scripts write into {folder.parent})', None
    return f'Output folder: {results} (writable)', None


def main(argv=None):
    parser = argparse.ArgumentParser(prog='check_env.py', description=__doc__.split('\n\n')[0])
    parser.add_argument('--data-dir', default=None,
                        help='data folder to check (default: $DL_DATA_DIR, else data/ in the repository)')
    args = parser.parse_args(argv)
    console = console_line()  # Before printable_streams() makes a file or a pipe UTF-8
    cli.printable_streams()
    lines, problems = version_problems(requirements(), installed_version)
    torch_installed = installed_version('torch') is not None
    line, problem = platform_line(torch_installed)
    lines += [line, console]
    problems += [problem] if problem else []
    lines.append(device_line() if torch_installed else 'Device: not known without torch')
    try:
        data_dir = paths.resolve_data_dir(args.data_dir)
    except UserError as error:
        problems.append(f'{error}: give an existing one (--data-dir, $DL_DATA_DIR)')
    else:
        lines += data_lines(data_dir)
    line, problem = output_line()
    lines.append(line)
    problems += [problem] if problem else []
    print('\n'.join(lines))
    for problem in problems:
        print(f'problem: {problem}')
    print('OK' if not problems else f'{len(problems)} problem(s): fix them, then run this check again')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
