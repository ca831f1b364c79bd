"""The 57 letters of Name2Lang with their codes, and a name as one-hot vectors: 'Choi' as a 4 x 57 array.

Slide "Practice) Name2Lang Classification with a Character-level RNN (2/7)" (how to represent the name), with the
class list of (1/7). The lesson's LETTER_DICT holds 52 letters and 5 special characters (space . , ; '); letter k
of a name becomes a vector of 57 numbers, 1 at its index in LETTER_DICT and 0 elsewhere. Written by hand here and
checked against torch.nn.functional.one_hot and the lesson's text2onehot. The slides' mistakes, marked below:
- "'-' (0x45) in ASCII code": '-' is 0x2D (0x45 is 'E'), and '-' is not among the 57 letters. The lesson's
  unicode2ascii drops it, so the data's 'Au-Yong' is read as 'AuYong' with no word said; given to text2onehot
  directly (as predict() does with a name you type), it becomes the last letter, "'" (find() gives -1).
- The class list says "Iris" for Irish (the data's file Irish.txt).
The names data (--data-dir, else $DL_DATA_DIR) is optional: with it, the script also counts the letters that the
lesson drops from the 20,074 names. The figure draws the name's array. In a notebook, `array` stays.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import unicodedata

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

from common import make_parser, save_figure

common.add_to_path('05_rnn_name2lang')  # The lesson script one folder up, from any folder (VS Code, Colab)
from rnn_name2lang import LETTER_DICT, load_name_dataset, text2onehot, unicode2ascii

# %% Define the slides' examples
NAME = 'Choi'        # The slide's 4 x 57 array
HYPHEN_NAME = 'Au-Yong'  # A name of the data (Chinese.txt) with a letter outside the 57
LANGUAGES = ['Arabic', 'Chinese', 'Czech', 'Dutch', 'English', 'French', 'German', 'Greek', 'Irish',  # The slide:
             'Italian', 'Japanese', 'Korean', 'Polish', 'Portuguese', 'Russian', 'Scottish', 'Spanish',  # 'Iris'
             'Vietnamese']  # The 18 classes 0-17, in the order of the data's sorted file names


# %% One-hot vectors by hand, as on the slide
def onehot_by_hand(name):
    """Each letter of `name` as a list of 57 integers: 1 at its index in LETTER_DICT, 0 elsewhere."""
    return [[1 if k == LETTER_DICT.index(letter) else 0 for k in range(len(LETTER_DICT))] for letter in name]


def letter_table(columns=5):
    """The 57 letters as lines of `columns` entries: index, letter, ASCII code."""
    entries = [f"{k:2} {letter!r} 0x{ord(letter):02X}" for k, letter in enumerate(LETTER_DICT)]
    return ['   '.join(entries[i:i + columns]) for i in range(0, len(entries), columns)]


def dropped_letters(raw_names):
    """What unicode2ascii drops from each name beyond accents: {letter: (count, first name with it)}."""
    dropped = {}
    for name in raw_names:
        for letter in unicodedata.normalize('NFD', name):  # 'Ś' -> 'S' and an accent (category 'Mn'), kept as 'S'
            if unicodedata.category(letter) != 'Mn' and letter not in LETTER_DICT:
                count, first = dropped.get(letter, (0, name))
                dropped[letter] = (count + 1, first)
    return dropped


def names_files(data_dir):
    """The names data's <Language>.txt files under `data_dir`, or [] where it is not there (nothing downloaded:
    this script runs without it)."""
    if any((data_dir / 'names').glob('*.txt')) or any((data_dir / 'data' / 'names').glob('*.txt')) or \
            (data_dir / 'data.zip').is_file():
        return common.find_name_files(data_dir)
    return []


def plot_array(name, array):
    """The slide's figure: the name as a len(name) x 57 array, a column per letter of LETTER_DICT."""
    fig, ax = plt.subplots(figsize=(14, 1.0 + 0.45 * len(name)))
    ax.imshow(array, cmap='Greys', vmin=0, vmax=1.6, aspect='auto')
    for row, column in enumerate(array.argmax(dim=1).tolist()):
        ax.text(column, row, '1', ha='center', va='center', color='white', fontsize=9)
    shown = {' ': 'sp'}  # A space as 'sp', to be seen
    ax.set_xticks(range(len(LETTER_DICT)), [shown.get(letter, letter) for letter in LETTER_DICT], fontsize=8)
    ax.set_yticks(range(len(name)), [f'{shown.get(letter, letter)}:' for letter in name])
    ax.set_xticks([k - 0.5 for k in range(len(LETTER_DICT) + 1)], minor=True)
    ax.set_yticks([k - 0.5 for k in range(len(name) + 1)], minor=True)
    ax.grid(which='minor', color='lightgray', linewidth=0.5)
    ax.tick_params(which='minor', length=0)
    indices = sorted(set(array.argmax(dim=1).tolist()))
    ax.secondary_xaxis('top').set_xticks(indices, indices, fontsize=8)  # The slide's "Index) 7 8 14 28"
    ax.set_title(f"'{name}' as a {len(name)} x {len(LETTER_DICT)} array (the indices of its 1s above)", pad=14)
    return fig


# %% Steps: the 57 letters, the name as one-hot vectors, a letter outside them, the 18 classes
if __name__ == '__main__':
    parser = make_parser('onehot_letters', __doc__, out_dir=True, data_dir=True)
    parser.add_argument('--name', default=NAME, help='the name to encode (letters of the 57 only)')
    args = parser.parse_args()
    unknown = sorted(set(args.name) - set(LETTER_DICT))
    if not args.name or unknown:
        raise common.UserError(f'--name {args.name!r}: give letters of the 57 only (not {unknown})')

    # 1. The 57 letters: index, letter, ASCII code
    print(f'LETTER_DICT: {len(LETTER_DICT)} letters (index, letter, ASCII code)')  # LETTER_DICT: 57 letters ...
    print('\n'.join(letter_table()))
    print(f"ASCII codes: 'a' {hex(ord('a'))}, 'b' {hex(ord('b'))}, 'c' {hex(ord('c'))}")  # 'a' 0x61, 'b' 0x62, 'c' 0x63
    print(f"ASCII code of '-': {hex(ord('-'))}; 0x45 is {chr(0x45)!r}")  # '-': 0x2d; 0x45 is 'E' (slide: '-' (0x45))
    print(f"'-' in LETTER_DICT: {'-' in LETTER_DICT}")  # '-' in LETTER_DICT: False: '-' is not among the 57

    # 2. The name as one-hot vectors: by hand, F.one_hot and the lesson's text2onehot
    by_hand = torch.tensor(onehot_by_hand(args.name))
    by_one_hot = F.one_hot(torch.tensor([LETTER_DICT.index(letter) for letter in args.name]), len(LETTER_DICT))
    array = text2onehot(args.name).squeeze(1)  # The lesson's L x 1 x 57 (length x batch x letters)
    print(f"text2onehot('{args.name}'): {list(text2onehot(args.name).shape)}")  # text2onehot('Choi'): [4, 1, 57]
    print(f'by hand {by_hand.sum().item()} ones  F.one_hot {by_one_hot.sum().item()} ones  '
          f'largest difference {(by_hand - by_one_hot).abs().max().item()}')  # by hand 4 ones  F.one_hot 4 ones ... 0
    print(f'by hand {by_hand.sum().item()} ones  text2onehot {int(array.sum().item())} ones  '
          f'largest difference {int((by_hand - array).abs().max().item())}')  # ... largest difference 0
    for letter, row in zip(args.name, by_hand.tolist()):
        print(f"{letter}: {''.join(map(str, row))}")
    print(f'Index of each letter (the 1 of its row): {array.argmax(dim=1).tolist()}')  # [28, 7, 14, 8] for 'Choi'
    # (the slide: "Index) 7 8 14 28", sorted)
    # Why one-hot? As a number, 'a' (0x61) would be nearer to 'b' (0x62) than to 'z' (0x7A); one-hot, all are apart
    a, b, z = (F.one_hot(torch.tensor(LETTER_DICT.index(letter)), len(LETTER_DICT)).float() for letter in 'abz')
    print(f"Distance of the one-hot vectors: 'a' to 'b' {(a - b).norm():.4f}, 'a' to 'z' {(a - z).norm():.4f}")
    # 'a' to 'b' 1.4142, 'a' to 'z' 1.4142: every two letters sqrt(2) apart

    # 3. A letter outside the 57: dropped when the data is read, the last letter "'" when typed
    print(f"unicode2ascii('{HYPHEN_NAME}'): {unicode2ascii(HYPHEN_NAME)!r}")  # 'AuYong': the '-' dropped, no word said
    print(f"unicode2ascii('Ślusàrski'): {unicode2ascii('Ślusàrski')!r}")      # 'Slusarski': the accents dropped
    print(f"LETTER_DICT.find('-'): {LETTER_DICT.find('-')}")  # -1: text2onehot's tensor[idx][0][-1] = 1 marks the last
    # letter, "'"
    marked = ''.join(LETTER_DICT[k] for k in text2onehot(HYPHEN_NAME).argmax(dim=2).flatten().tolist())
    print(f"text2onehot('{HYPHEN_NAME}') reads {marked!r}")  # text2onehot('Au-Yong') reads "Au'Yong"

    # 4. The 18 classes (the slide: 'Iris' for Irish); with the data, what the lesson drops from its names
    files = names_files(args.data_dir)
    if files:
        data, targets, target_names = load_name_dataset(files)
        raw_names = [name for path in files for name in common.read_text(path).strip().split('\n')]
        dropped = dropped_letters(raw_names)
        n_names = sum(unicode2ascii(name) != name for name in raw_names)
        print(f'Names: {len(data)} in {len(target_names)} languages; unicode2ascii changes {n_names} of them')
        # Names: 20074 in 18 languages; unicode2ascii changes 185 of them
        for letter, (count, first) in sorted(dropped.items(), key=lambda item: -item[1][0]):
            print(f"  dropped {letter!r} (0x{ord(letter):02X}) {count} time{'s' * (count > 1)}, e.g. {first!r} -> "
                  f"{unicode2ascii(first)!r}")  # e.g. dropped '-' (0x2D) 25 times, e.g. 'Au-Yong' -> 'AuYong'
    else:
        target_names = LANGUAGES
        print(f'(No names data in {args.data_dir}: --data-dir or $DL_DATA_DIR counts what the lesson drops)')
    print(f'The {len(target_names)} classes: ' + ', '.join(f'{k} {name}' for k, name in enumerate(target_names)))
    # The 18 classes: 0 Arabic, ..., 8 Irish, ... (not 'Iris')

    # 5. The slide's figure
    fig = plot_array(args.name, array)
    save_figure(fig, args.out_dir, 'onehot_letters')
