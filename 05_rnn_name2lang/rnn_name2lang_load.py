"""Name2Lang with a trained RNN: load the model saved by rnn_name2lang.py and guess the language of names.

Slide "Name2Lang Classification with a Character-level RNN (6/7-7/7)" (`report_predict`).

    python 05_rnn_name2lang/rnn_name2lang_load.py Choi Jane Daniel Chow Tanaka
"""
# %% Imports
from common import REPO_ROOT, UserError, load_checkpoint, make_parser, run
from common.cli import positive_int
from rnn_name2lang import CHECKPOINT_FORMAT, LETTER_DICT, MODEL_FILE, MyRNN, clean_name, report_predict

# %% Defaults
# The model file that rnn_name2lang.py saves by default (its default --out-dir)
MODEL_PATH = REPO_ROOT / 'results' / 'rnn_name2lang' / MODEL_FILE
TOP_K = 5


# %% Load the model
def load_model(path, device='cpu'):
    """Return (model, target_names) from a checkpoint of rnn_name2lang.py; `UserError` for any other file."""
    checkpoint = load_checkpoint(path, device)
    if not isinstance(checkpoint, dict) or checkpoint.get('format') != CHECKPOINT_FORMAT:
        raise UserError(f"'{path}' is not a model saved by rnn_name2lang.py")
    if checkpoint.get('letter_dict') != LETTER_DICT:
        raise UserError(f"'{path}' was trained with another alphabet than this script's {len(LETTER_DICT)} letters")
    target_names = list(checkpoint['target_names'])
    try:
        model = MyRNN(len(LETTER_DICT), len(target_names), **checkpoint['options'])
        model.load_state_dict(checkpoint['model'])
    except (KeyError, TypeError, RuntimeError) as error:
        raise UserError(f"'{path}' does not match the model of rnn_name2lang.py ({type(error).__name__})") from None
    return model.to(device), target_names


# %% Main
def main(argv=None):
    parser = make_parser(__doc__, __file__)
    parser.add_argument('names', nargs='+', metavar='NAME', help="names to classify, e.g. Choi 'van der Berg'")
    parser.add_argument('--model', default=str(MODEL_PATH), help='model file saved by rnn_name2lang.py')
    parser.add_argument('--top-k', type=positive_int, default=TOP_K, help='number of languages to report per name')
    args = parser.parse_args(argv)
    print(f'Device: {args.device}')

    # 1. Check the names first: a name without letters is reported before any work is done
    for name in args.names:
        clean_name(name)

    # 2. Load the trained model
    model, target_names = load_model(args.model, args.device)

    # 3. Report the top-k languages of each name
    return [report_predict(name, model, target_names, n_predict=args.top_k) for name in args.names]


if __name__ == '__main__':
    run(main)
