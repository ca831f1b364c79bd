"""Write the one-hot letters of a name, as the RNN reads them: one vector of 57 per letter.

Slide "Practice) Name2Lang Classification with a Character-level RNN (2/7)" (how to represent the name): a name is
written with 57 characters, the lesson's LETTER_DICT (52 letters a-z, A-Z and 5 special characters: space . , ; ').
Each letter becomes a 57-long vector, 1 at its index in LETTER_DICT and 0 elsewhere: 'Choi' is a 4 x 57 array with
its 1s at 28 ('C'), 7 ('h'), 14 ('o') and 8 ('i'). The slide (4/7)'s `text2onehot(text, device)` gives it the shape
the RNN reads, len(text) x 1 x 57 (sequence length x batch size x input size), as floating-point numbers. Write
`text2onehot(text, device='cpu')` by hand, as the slide does (a tensor of zeros, then a 1 for each letter; not
F.one_hot), for names of the 57 letters.

Write your answer where the file says, then run the file (or its last cell): each check compares it with
F.one_hot of the letters' indices in the lesson's LETTER_DICT. The solution, after you tried:
exercises/solutions/06_text2onehot.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch

common.add_to_path('05_rnn_name2lang')  # The lesson script, from any folder (VS Code, Colab)
from rnn_name2lang import LETTER_DICT  # The 57 letters: string.ascii_letters + " .,;'"


# %% Your answer: a name as one-hot vectors, len(text) x 1 x 57
def text2onehot(text, device='cpu'):
    """`text` as a len(text) x 1 x len(LETTER_DICT) float tensor: 1 at each letter's index in LETTER_DICT."""
    ### BEGIN SOLUTION
    tensor = torch.zeros(len(text), 1, len(LETTER_DICT), device=device)
    for idx, letter in enumerate(text):
        tensor[idx][0][LETTER_DICT.find(letter)] = 1
    return tensor
    ### END SOLUTION


# %% The check: the inputs and PyTorch's answer (the learner's file has no such cell)
import torch.nn.functional as F


def one_hot(text):
    """PyTorch's answer: F.one_hot of each letter's index in the lesson's LETTER_DICT, as L x 1 x 57 floats."""
    indices = torch.tensor([LETTER_DICT.index(letter) for letter in text])
    return F.one_hot(indices, num_classes=len(LETTER_DICT)).float().unsqueeze(1)  # One name: a batch of 1


def floating_and_same(want, got):
    """What differs, as `difference` says; and first, an integer tensor (nn.RNN reads floating-point numbers)."""
    if torch.is_tensor(got) and not got.is_floating_point():
        return f'yours is {got.dtype}: nn.RNN reads floating-point numbers (torch.zeros gives float32)'
    return common.exercises.difference(want, got)


def cases(generator):
    hint = ('slide "Name2Lang ... (2/7)": one vector of len(LETTER_DICT) = 57 per letter, 1 at LETTER_DICT.find('
            'letter); "(4/7)": the shape len(text) x 1 x 57')
    names = ['Choi', 'Jane', 'Daniel', 'Chow', 'Tanaka', "O'Neal", 'De la Cruz', 'A']  # The slides', and the special
    randoms = [''.join(LETTER_DICT[int(k)] for k in torch.randint(len(LETTER_DICT), (length,), generator=generator))
               for length in torch.randint(1, 13, (3,), generator=generator).tolist()]
    labels = {'Choi': "the slide's 'Choi' (its 1s at 28, 7, 14, 8)", "O'Neal": "'O'Neal' (the last of the 57, \"'\")",
              'De la Cruz': "'De la Cruz' (a space, letter 52)"}
    return ([common.Case(labels.get(name, f"the slide's {name!r}" if len(name) > 1 else "'A' (one letter)"),
                         (name,), hint=hint) for name in names]
            + [common.Case(f'random letters of the 57: {text!r}', (text,), hint=hint) for text in randoms])


EXERCISE = common.Exercise(answer='text2onehot', cases=cases, expected=one_hot, compare=floating_and_same,
                           reference="PyTorch's F.one_hot", by_hand=('torch.nn.functional.one_hot',))

# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/06_text2onehot.py)
common.check_exercise('text2onehot', globals())
