"""Name2Lang with a trained RNN loads a model that rnn_name2lang.py or rnn_name2lang_further.py saved and reports
the top languages of names.

Slides "Name2Lang Classification with a Character-level RNN (6/7)" and "(7/7)" (`report_predict`).
The further script's model: `--model results/rnn_name2lang_further/rnn_name2lang_further.pt`.

    python 05_rnn_name2lang/rnn_name2lang_load.py Choi Jane Daniel Chow Tanaka   # The names given
    python 05_rnn_name2lang/rnn_name2lang_load.py            # Asks for names until an empty line or Ctrl-D
                                                             # (Windows: Ctrl-Z, then Enter)
    echo Choi | python 05_rnn_name2lang/rnn_name2lang_load.py                   # One name a line

In a notebook (nothing to ask), it reports the slide's five names; `model` and `target_names` stay after
the last cell.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import sys

from common import UserError, load_checkpoint, make_parser, positive_int

# Modules beside this script, from any folder (VS Code, Colab)
common.add_to_path('05_rnn_name2lang', '05_rnn_name2lang/further')
from rnn_name2lang import LETTER_DICT, MODEL_FILE, MyRNN, report_predict, unicode2ascii
from rnn_name2lang_further import CHECKPOINT_FORMAT as FURTHER_FORMAT
from rnn_name2lang_further import MyRNNFurther, average_of, device_for_further

# %% Define hyperparameters
TOP_K = 5
TEST_NAMES = ['Choi', 'Jane', 'Daniel', 'Chow', 'Tanaka']  # The slide's
CHECKPOINT_FORMATS = {'rnn_name2lang': 'rnn_name2lang.py', FURTHER_FORMAT: 'rnn_name2lang_further.py'}
END_OF_INPUT = 'Ctrl-Z, then Enter' if sys.platform == 'win32' else 'Ctrl-D'  # What ends typed input
PROMPT = f'Name (an empty line or {END_OF_INPUT} ends): '


# %% Check a name, load the model
def clean_name(text):
    """`text` in ASCII, as the lesson reads its names; a name with no letter left (e.g. '', '...', '李'): an error."""
    name = unicode2ascii(str(text).strip())
    if not name.strip(" .,;'"):
        raise UserError(f"name {text!r} has no letters A-Z after converting it to ASCII; give a name like 'Choi'")
    return name


def load_model(path, device='cpu'):
    """Return (model, target_names) from a checkpoint of rnn_name2lang.py or rnn_name2lang_further.py;
    `UserError` for any other file (another model's checkpoint included)."""
    checkpoint = load_checkpoint(path, device, trained_by='05_rnn_name2lang/rnn_name2lang.py')
    kind = checkpoint.get('format') if isinstance(checkpoint, dict) else None
    if kind not in CHECKPOINT_FORMATS:
        raise UserError(f"'{path}' is not a model saved by rnn_name2lang.py or rnn_name2lang_further.py "
                        "(another model's checkpoint?)")
    if checkpoint.get('letter_dict') != LETTER_DICT:
        raise UserError(f"'{path}' was trained with another alphabet than this script's {len(LETTER_DICT)} letters")
    target_names = list(checkpoint['target_names'])
    try:
        if kind == 'rnn_name2lang':  # The lesson's MyRNN
            model = MyRNN(len(LETTER_DICT), len(target_names), **checkpoint['options'])
        else:  # The further script's: one MyRNNFurther, or several whose probabilities are averaged
            model = average_of([MyRNNFurther(len(LETTER_DICT), len(target_names), **checkpoint['options'])
                                for _ in range(checkpoint['n_models'])])
            device = device_for_further(device)  # Not on MPS (a GRU answers NaN there)
        model.load_state_dict(checkpoint['model'])
    except (KeyError, TypeError, RuntimeError, IndexError) as error:
        raise UserError(f"'{path}' does not match the model of {CHECKPOINT_FORMATS[kind]} "
                        f"({type(error).__name__})") from None
    return model.to(device), target_names


def ask_names():
    """Yield the names typed one a line (a prompt on a terminal; piped lines too) until an empty line or the end of
    input (Ctrl-D; on Windows Ctrl-Z, then Enter)."""
    prompt = PROMPT if sys.stdin.isatty() else ''
    while True:
        try:
            text = input(prompt).strip()
        except EOFError:  # Ctrl-D (Windows: Ctrl-Z, Enter), or the end of piped input
            if prompt:
                print()  # The shell's prompt on a line of its own
            return
        if not text:
            return
        yield text


# %% Steps of the slide: load the model, then report the top-k languages of each name
if __name__ == '__main__':
    # 0. Preparation
    parser = make_parser('rnn_name2lang_load', __doc__, device='auto')
    parser.add_argument('names', nargs='*', metavar='NAME',
                        help="names to classify, e.g. Choi 'van der Berg' (none: ask for them one at a time)")
    parser.add_argument('--model', default=str(common.default_out_dir('rnn_name2lang') / MODEL_FILE),
                        help='model file saved by rnn_name2lang.py or rnn_name2lang_further.py')
    parser.add_argument('--top-k', type=positive_int, default=TOP_K, help='number of languages to report per name')
    args = parser.parse_args()
    print(f'Device: {args.device}')

    # 1. Check the names first: a name without letters is reported before any work is done
    for name in args.names:
        clean_name(name)

    # 2. Load the trained model
    model, target_names = load_model(args.model, args.device)

    # 3. Report the top-k languages of each name (in a notebook, without names: the slide's five)
    if args.names or common.in_notebook():
        for name in args.names or TEST_NAMES:
            report_predict(clean_name(name), model, target_names, n_predict=args.top_k)
    else:
        for name in ask_names():
            try:
                report_predict(clean_name(name), model, target_names, n_predict=args.top_k)
            except UserError as error:  # A name without letters: say so, then ask for the next one
                print(f'error: {error}', file=sys.stderr)
