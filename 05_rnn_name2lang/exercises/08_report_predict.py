"""Mend the slide's f-string in report_predict: the line that prints each language's chance.

Slide "Practice) Name2Lang Classification with a Character-level RNN (7/7)": `report_predict(text, model,
target_names, n_predict)` prints the name, then its top n_predict languages with their probability, as the slide
(6/7) shows them:

    * Name: Choi
     1. Korean    : 50.5 %
     2. Chinese   : 36.1 %

each language's name left-aligned in 10 characters, then ': ', the percentage in 4.1f, ' %' (the indentation is
yours). The slide's print line is not valid Python: Python stops at it before it runs a single line of the file. So
below, report_predict holds the slide's code with that line commented out (`# # print(...)`, in two lines as the
slide prints it) and `raise NotImplementedError` in its place. Uncomment the two lines (remove the first '# ' of
each, and the raise), run the file and read Python's SyntaxError; then write the line as the slide means it, and run
the file again until every check passes (the checks give report_predict tiny models whose scores are known).

The solution, after you tried: exercises/solutions/08_report_predict.py.
"""
# %% Setup: this repository's helpers, installed by `pip install -r requirements.txt` (README, "Install")
try:
    import common
except ModuleNotFoundError as error:  # Not installed for this Python (e.g. another Jupyter kernel): say how
    raise SystemExit(f"error: {error} in {__import__('sys').executable}; run 'pip install -r requirements.txt' in the repository folder (in Jupyter: %pip install -r <repo>/requirements.txt)") from None  # noqa: E501
common.report_errors_in_one_line()  # A learner's error (a missing file, no data offline) ends in one line

# %% Imports
import torch
import torch.nn as nn

common.add_to_path('05_rnn_name2lang')  # The lesson script, from any folder (VS Code, Colab)
from rnn_name2lang import text2onehot  # The slide (4/7)'s one-hot letters of a name


# %% The slide's code: mend it
# Predict and report top-k results of the given text
def report_predict(text, model, target_names, n_predict=5):
    print(f'* Name: {text}')
    model.eval()
    with torch.no_grad():
        dev = next(model.parameters()).device
        text_tensor = text2onehot(text, dev)
        output = model(text_tensor)[0]
        prob = nn.functional.softmax(output, dim=0) # Make output as probability
        top_val, top_idx = prob.topk(n_predict)     # Get top-k among 18 classes
        for i in range(len(top_val)):
            # print(f' {i+1}. {target_names[top_idx[i].item()]}:{<10}:
            # {top_val[i]*100:4.1f} %')
            raise NotImplementedError("the slide's print line is commented out: uncomment it to read Python's error")


# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/08_report_predict.py)
common.check_exercise('report_predict', globals())
