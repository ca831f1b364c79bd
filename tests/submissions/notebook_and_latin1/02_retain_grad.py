"""A file saved in Latin-1 by an old editor (its comments in French), the slide's bug mended. Expected:
retain_grad 1 point, with a note that it was read as Latin-1."""
# %% Setup
import common

# %% Imports
import torch


# %% Le code de la diapositive, corrigé (Zoé)
def analyze(x0):
    """Les étapes de la diapositive : y = x³, z = log y."""
    x = torch.tensor(x0, requires_grad=True)
    y = x ** 3
    z = torch.log(y)
    y.retain_grad()  # Un point, pas une virgule : « y.retain_grad() »
    z.retain_grad()
    z.backward()
    return x, y, z


# %% Check your answer
common.check_exercise('retain_grad', globals())
