"""Command-line options, in a terminal and in a notebook, and errors reported in one line.

    parser = make_parser('iris_my_style', __doc__, device='auto', seed=RANDOM_SEED, out_dir=True,
                         epochs=EPOCH_MAX, batch_size=BATCH_SIZE, lr=LR)   # Only the options the script uses
    parser.add_argument(...)            # The script's own options
    args = parser.parse_args()          # args.device is a torch.device, args.out_dir a Path

In a notebook (Jupyter, VS Code, PyCharm, Colab) there is no command line: `parse_args()` parses
`NOTEBOOK_ARGS`, which is empty, so it returns the defaults, which are the script's constants: editing a
constant and running again changes the run. (The tests set `common.cli.NOTEBOOK_ARGS` to tiny settings.)

Parsing only parses, and checks the folders it is given. How a run ends on bad input is set by
`report_errors_in_one_line()`, which each script calls in its first cell: a `UserError` (a missing file, no data
offline, ...) or Ctrl-C prints one line on stderr and exits with a non-zero code, without a traceback. It also
makes the output printable on any console (`printable_streams`: a Polish name never ends a run on Windows) and, on a
Mac, lets what Apple's MPS lacks run on the CPU (`enable_mps_fallback`).
"""
import argparse
import codecs
import io
import math
import os
import sys
from pathlib import Path

from .errors import UserError
from .paths import check_out_dir, resolve_data_dir, results_dir, writable_out_dir

NOTEBOOK_ARGS = []  # The options of a script run as a notebook, which has no command line: none, the constants


def number(text, convert=float, check=None, must=''):
    """argparse type: `text` as a finite int or float (`convert`) for which `check(value)` holds, else why not."""
    try:
        value = convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not {'an integer' if convert is int else 'a number'}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"'{text}' is not a finite number")
    if check is not None and not check(value):
        raise argparse.ArgumentTypeError(f'must be {must}, not {text}')
    return value


def positive_int(text):
    """argparse type: an integer > 0."""
    return number(text, int, lambda value: value > 0, 'a positive integer')


def finite_float(text):
    """argparse type: any finite number (not nan or inf)."""
    return number(text)


def positive_float(text):
    """argparse type: a finite number > 0."""
    return number(text, float, lambda value: value > 0, 'a positive number')


def non_negative_float(text):
    """argparse type: a finite number >= 0."""
    return number(text, float, lambda value: value >= 0, 'zero or more')


def fraction(text):
    """argparse type: a number from 0 up to (not including) 1, e.g. a dropout rate."""
    return number(text, float, lambda value: 0 <= value < 1, 'at least 0 and less than 1')


def device_type(text):
    """argparse type: a device name, checked against this machine (see `get_device`)."""
    from .device import get_device  # PyTorch, imported where a device is asked for: --help and check_env start sooner
    try:
        return get_device(text)
    except UserError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def in_notebook():
    """True in a notebook kernel (Jupyter, VS Code, PyCharm, Colab), whose command line is the kernel's own.

    (`%run script.py --epochs 3` in a notebook has a command line of its own: that is not a notebook cell.)
    """
    ipython = sys.modules.get('IPython')
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, 'kernel'):
        return False
    return Path(sys.argv[0]).name.endswith('_launcher.py') or any(arg == '-f' or arg.startswith('--f=')
                                                                  for arg in sys.argv)


def report_error(error):
    """Print a learner's error as one line on stderr; return the exit code, or None for a bug (not ours to hide)."""
    if isinstance(error, UserError):
        print(f'error: {error}', file=sys.stderr)
        return 1
    if isinstance(error, KeyboardInterrupt):
        print('interrupted: stopped before finishing (nothing half-written was left behind)', file=sys.stderr)
        return 130
    if isinstance(error, BrokenPipeError):  # e.g. `python script.py | head -2` closed the pipe: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # As the Python docs advise
        return 1
    return None


def _excepthook(error_type, error, traceback):
    """sys.excepthook of a script run from a terminal: one line for a learner's error, a traceback for a bug."""
    if report_error(error) is None:
        sys.__excepthook__(error_type, error, traceback)


def _notebook_error(shell, error_type, error, traceback, tb_offset=None):
    """IPython's handler for a `UserError` in a notebook cell: the same one line, no traceback."""
    report_error(error)
    return []


def printable_streams():
    """Let `print` write any letter ('Ślusàrski', '李') to stdout and stderr, whatever the console's encoding.

    Windows' Python writes output redirected to a file or a pipe (`python script.py > out.txt`, the tour's logs) in
    the ANSI code page (cp1252 in Western Europe, cp949 in Korea), where no code page has 'Ś', 'à' and 'ł' at once:
    a file or a pipe gets UTF-8 instead (the encoding Python 3.15 makes the default). A terminal keeps its own
    encoding (Windows' console and today's terminals take any letter), and a letter it lacks is printed as `\\u015a`,
    never as an error. A notebook's streams, and a test's, are not files: left as they are.
    """
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper) or codecs.lookup(stream.encoding).name == 'utf-8':
            continue
        try:
            terminal = stream.isatty()
        except ValueError:  # Closed
            continue
        stream.reconfigure(**({} if terminal else {'encoding': 'utf-8'}), errors='backslashreplace')


def enable_mps_fallback():
    """On a Mac, let an operation that Apple's MPS lacks run on the CPU instead of ending the run in a
    NotImplementedError (PYTORCH_ENABLE_MPS_FALLBACK=1, PyTorch's advice). PyTorch reads it once, when it is
    imported: every script's first cell sets it, before its imports."""
    if sys.platform == 'darwin' and 'torch' not in sys.modules:
        os.environ.setdefault('PYTORCH_ENABLE_MPS_FALLBACK', '1')


def report_errors_in_one_line():
    """From now on, end a run on a `UserError` or Ctrl-C with one line instead of a traceback; also print any letter
    on any console (`printable_streams`) and, on a Mac, run what MPS lacks on the CPU (`enable_mps_fallback`)."""
    printable_streams()
    enable_mps_fallback()
    if in_notebook():
        from IPython import get_ipython
        get_ipython().set_custom_exc((UserError,), _notebook_error)
    else:
        sys.excepthook = _excepthook


class DefaultsFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Show '(default: ...)' in --help, unless the help already says it or the default is None."""

    def _get_help_string(self, action):
        if action.default is None or '(default' in (action.help or ''):
            return action.help
        return super()._get_help_string(action)


class TutorialParser(argparse.ArgumentParser):
    """An ArgumentParser that reports a bad option in one line, reads `NOTEBOOK_ARGS` in a notebook, takes the
    slide's values as defaults with --slide-setting, and checks the folders it is given (--out-dir, --data-dir)."""

    def __init__(self, script, slide_setting=None, **kwargs):
        super().__init__(prog=f'{script}.py', formatter_class=DefaultsFormatter, **kwargs)
        self.script = script
        self.unwritable_out_dir = None
        self.slide_setting = slide_setting  # The defaults that --slide-setting puts in place

    def error(self, message):
        if in_notebook():  # Exiting would end the kernel's cell with a traceback: report it as a learner's error
            raise UserError(message)
        self.exit(2, f'{self.prog}: error: {message} (see --help)\n')

    def parse_known_args(self, args=None, namespace=None):
        if args is None and in_notebook():  # The kernel's own options are in sys.argv, not ours
            args = list(NOTEBOOK_ARGS)
        parsed, extras = super().parse_known_args(args, namespace)
        if getattr(parsed, 'slide_setting', False):  # The slide's values as defaults; options given still win
            self.set_defaults(**self.slide_setting)
            parsed, extras = super().parse_known_args(args, namespace)
        try:
            if getattr(parsed, 'out_dir', None) is not None and parsed.out_dir != self.get_default('out_dir'):
                parsed.out_dir = check_out_dir(parsed.out_dir)  # Given: can it be written?
            elif getattr(parsed, 'out_dir', None) is not None and self.unwritable_out_dir:
                check_out_dir(self.unwritable_out_dir)  # The default, and no folder can be written: why
            if hasattr(parsed, 'data_dir'):
                parsed.data_dir = resolve_data_dir(parsed.data_dir)
        except UserError as error:
            self.error(str(error))
        return parsed, extras


def first_paragraph(text):
    """The first paragraph of a docstring as one line: the one-sentence description shown by --help."""
    return ' '.join((text or '').strip().split('\n\n')[0].split())


def make_parser(script, description, *, device=None, seed=None, out_dir=False, data_dir=False,
                epochs=None, batch_size=None, lr=None, slide_setting=None, use_slide_setting=False):
    """Return a parser with only the shared options that a script uses; the defaults are its constants.

    `script` is the script's name without `.py`: its outputs go to `results/<script>/`, found here
    (`writable_out_dir`: where the repository cannot be written, `~/dl-tutorial-results/<script>/`; each saved
    file's path is printed).
    `device` ('auto' or 'cpu') adds --device, `seed` --seed, `out_dir=True` --out-dir and
    `data_dir=True` --data-dir; `epochs`, `batch_size` and `lr` add those options with that default.
    `slide_setting` (the slide's values by option name) adds --slide-setting, whose default is `use_slide_setting`.
    """
    parser = TutorialParser(script, slide_setting, description=first_paragraph(description))
    if device is not None:
        parser.add_argument('--device', type=device_type, default=device,
                            help='device to compute on: auto (cuda, then mps, then cpu), cpu, cuda, cuda:N or mps')
    if seed is not None:
        parser.add_argument('--seed', type=int, default=seed, help='random seed')
    if out_dir:
        folder = writable_out_dir(script)  # results/<script>/, or the learner's own where that cannot be written
        parser.unwritable_out_dir = None if folder else results_dir(script)  # None writable: said when parsing
        parser.add_argument('--out-dir', type=Path, default=folder or results_dir(script),
                            help=f'folder for figures and results (default: results/{script}/ in the repository; '
                                 f'where that cannot be written, ~/dl-tutorial-results/{script}/)')
    if data_dir:
        parser.add_argument('--data-dir', default=None,
                            help='data folder (default: $DL_DATA_DIR, else data/ in the repository)')
    if epochs is not None:
        parser.add_argument('--epochs', type=positive_int, default=epochs, help='number of epochs to train')
    if batch_size is not None:
        parser.add_argument('--batch-size', type=positive_int, default=batch_size, help='mini-batch size')
    if lr is not None:
        parser.add_argument('--lr', type=positive_float, default=lr, help='learning rate')
    if slide_setting is not None:
        parser.add_argument('--slide-setting', action='store_true', default=use_slide_setting,
                            help=f"the slide's values {slide_setting}; options given still win")
    return parser
