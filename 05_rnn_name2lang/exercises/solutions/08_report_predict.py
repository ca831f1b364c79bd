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
            ### BEGIN SOLUTION
            print(f' {i+1}. {target_names[top_idx[i].item()]:<10}: {top_val[i]*100:4.1f} %')  # The slide: ]}:{<10}:
            ### END SOLUTION
            ### BEGIN SLIDE CODE
            # # print(f' {i+1}. {target_names[top_idx[i].item()]}:{<10}:
            # # {top_val[i]*100:4.1f} %')
            # raise NotImplementedError("the slide's print line is commented out: uncomment it to read Python's error")
            ### END SLIDE CODE


# %% The check: the inputs and the lines expected (the learner's file has no such cell)
import contextlib
import io
import math

LANGUAGES = ['Arabic', 'Chinese', 'Czech', 'Dutch', 'English', 'French', 'German', 'Greek', 'Irish', 'Italian',
             'Japanese', 'Korean', 'Polish', 'Portuguese', 'Russian', 'Scottish', 'Spanish', 'Vietnamese']  # (1/7)


class KnownScores(nn.Module):
    """A tiny model whose scores are known: the same `scores` (one per language) for any name."""

    def __init__(self, scores):
        super().__init__()
        self.scores = nn.Parameter(scores)

    def forward(self, x):  # x: L x N x 57, the lesson's one-hot names; one row of scores per name
        return self.scores.expand(x.shape[1], -1)


def run(namespace, case):
    """What the learner's report_predict prints for a model of known scores, line by line."""
    text, scores, target_names = case.args
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        namespace['report_predict'](text, KnownScores(scores), list(target_names), **case.kwargs)
    return printed.getvalue().splitlines()


def slide_lines(text, scores, target_names, n_predict=5):
    """The slide's lines (6/7): the name, then each of the top n_predict languages, its probability in 4.1f %."""
    top_val, top_idx = torch.softmax(scores, dim=0).topk(n_predict)
    percents = (top_val * 100).tolist()  # As report_predict computes them, in float32
    return [f'* Name: {text}'] + [f' {i + 1}. {target_names[k]:<10}: {percent:4.1f} %'
                                  for i, (k, percent) in enumerate(zip(top_idx.tolist(), percents))]


def same_lines(want, got):
    """What differs between the slide's lines and the printed ones (their indentation left aside)."""
    if not isinstance(got, list):
        return f'expected the printed lines, got {type(got).__name__}'
    return common.exercises.difference([line.lstrip() for line in want], [line.lstrip() for line in got])


def slide_scores(percents):
    """Scores whose softmax gives the slide's percentages (6/7), the other languages sharing what is left."""
    left = (100 - sum(percents.values())) / (len(LANGUAGES) - len(percents))
    return torch.tensor([math.log(percents.get(language, left)) for language in LANGUAGES])


def cases(generator):
    hint = ('slide "Name2Lang ... (7/7)": in an f-string, a value\'s format (<10, 4.1f) goes inside that value\'s '
            'braces, after a colon; and a quoted string stays on one line')
    choi = {'Korean': 50.5, 'Chinese': 36.1, 'Vietnamese': 11.8, 'Russian': 0.9, 'Arabic': 0.5}
    tanaka = {'Japanese': 84.4, 'Russian': 14.0, 'Czech': 1.3, 'English': 0.11, 'Irish': 0.09}
    checks = [common.Case(f"the slide's {text} (6/7): {', '.join(f'{k} {v:.1f} %' for k, v in percents.items())}",
                          (text, slide_scores(percents), LANGUAGES), hint=hint)
              for text, percents in [('Choi', choi), ('Tanaka', tanaka)]]
    for n_languages, n_predict in [(6, 5), (4, 3), (12, 2)]:
        picked = torch.randperm(len(LANGUAGES), generator=generator)[:n_languages].tolist()
        scores = 2 * torch.randn(n_languages, generator=generator)
        checks.append(common.Case(f'random scores of {n_languages} languages, n_predict={n_predict}',
                                  ('Daniel', scores, [LANGUAGES[k] for k in picked]), {'n_predict': n_predict},
                                  hint=hint))
    return checks


EXERCISE = common.Exercise(answer='report_predict', cases=cases, expected=slide_lines, run=run, compare=same_lines,
                           kind='bug', reference="the slide's lines (6/7)")

# %% Check your answer: run this cell (in a terminal: python 05_rnn_name2lang/exercises/08_report_predict.py)
common.check_exercise('report_predict', globals())
