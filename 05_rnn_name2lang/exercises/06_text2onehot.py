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
    # Your answer here: then run this file, its check says what differs
    raise NotImplementedError


# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/06_text2onehot.py)
common.check_exercise('text2onehot', globals())
