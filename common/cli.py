"""The command-line options every script shares, and `run(main)` for clean error messages.

    parser = make_parser(__doc__, __file__, training=True, epochs=EPOCH_MAX, batch_size=50, lr=0.01)
    parser.add_argument(...)            # the script's own options
    args = parser.parse_args(argv)      # args.device is a torch.device, args.out_dir a Path
"""
import argparse
import math
import os
import sys
from pathlib import Path

from .device import get_device
from .errors import UserError
from .paths import default_out_dir, resolve_data_dir


def positive_int(text):
    """argparse type: an integer > 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an integer") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f'must be a positive integer, not {value}')
    return value


def finite_float(text):
    """argparse type: any finite number (not nan or inf)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"'{text}' is not a finite number")
    return value


def positive_float(text):
    """argparse type: a finite number > 0."""
    value = finite_float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f'must be a positive number, not {text}')
    return value


def non_negative_float(text):
    """argparse type: a finite number >= 0."""
    value = finite_float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f'must be zero or more, not {text}')
    return value


def fraction(text):
    """argparse type: a number from 0 up to (not including) 1, e.g. a dropout rate."""
    value = finite_float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f'must be at least 0 and less than 1, not {text}')
    return value


def device_type(text):
    """argparse type: a device name, checked against this machine (see `get_device`)."""
    try:
        return get_device(text)
    except UserError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class DefaultsFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Show '(default: ...)' in --help, unless the help already says it or the default is None."""

    def _get_help_string(self, action):
        if action.default is None or '(default' in (action.help or ''):
            return action.help
        return super()._get_help_string(action)


class TutorialParser(argparse.ArgumentParser):
    """An ArgumentParser that reports a bad option in one line and fills in the default folders."""

    def __init__(self, script_file, **kwargs):
        super().__init__(**kwargs)
        self.script_file = script_file

    def error(self, message):
        self.exit(2, f'{self.prog}: error: {message} (see --help)\n')

    def parse_known_args(self, args=None, namespace=None):
        if args is None and 'ipykernel' in sys.modules:
            args = []  # Run as a notebook cell: sys.argv holds the kernel's options, not ours
        args, extras = super().parse_known_args(args, namespace)
        if getattr(args, 'out_dir', 'missing') is None:
            args.out_dir = default_out_dir(self.script_file)
        elif hasattr(args, 'out_dir'):
            args.out_dir = Path(args.out_dir).expanduser().resolve()
        if hasattr(args, 'data_dir'):
            try:
                args.data_dir = resolve_data_dir(args.data_dir)
            except UserError as error:
                self.error(str(error))
        return args, extras


def make_parser(description, script_file, training=False, epochs=None, batch_size=None, lr=None,
                seed=777, data=False):
    """Return a parser with the shared options; the defaults are the slide's constants.

    Every script gets --device, --seed and --out-dir; training scripts (`training=True`)
    also get --data-dir, --epochs, --batch-size and --lr with the given defaults, and scripts that
    only read data (`data=True`) get --data-dir.
    """
    parser = TutorialParser(script_file, prog=Path(script_file).name,
                            description=(description or '').strip().splitlines()[0] if description else None,
                            formatter_class=DefaultsFormatter)
    parser.add_argument('--device', type=device_type, default='auto',
                        help='device to compute on: auto (cuda, then mps, then cpu), cpu, cuda, cuda:N or mps')
    parser.add_argument('--seed', type=int, default=seed, help='random seed')
    parser.add_argument('--out-dir', default=None,
                        help=f'folder for figures and results (default: results/{Path(script_file).stem}/ '
                             'in the repository)')
    if training or data:
        parser.add_argument('--data-dir', default=None,
                            help='data folder (default: $DL_DATA_DIR, else data/ in the repository)')
    if training:
        parser.add_argument('--epochs', type=positive_int, default=epochs, help='number of epochs to train')
        parser.add_argument('--batch-size', type=positive_int, default=batch_size, help='mini-batch size')
        parser.add_argument('--lr', type=positive_float, default=lr, help='learning rate')
    return parser


def run(main):
    """Run a script's `main()`: a `UserError` or Ctrl-C ends in one line on stderr, not a traceback."""
    try:
        main()
    except UserError as error:
        print(f'error: {error}', file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print('interrupted: stopped before finishing (nothing half-written was left behind)', file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:  # e.g. `python script.py | head -2` closed the pipe: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # As the Python docs advise
        sys.exit(1)
