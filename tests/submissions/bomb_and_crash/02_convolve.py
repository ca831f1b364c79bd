"""Hostile: a pickle that runs code where it is loaded (an object whose __reduce__ opens a file), sent as the answer
after the grader's worker in this process (its __main__) is told to send values as they are. Expected: convolve 0
points, and the grader, which loads answers with weights_only=True, never runs it (no PWNED_BY_PICKLE file)."""
# %% Setup
import common

# %% Imports
import sys


class Bomb:
    def __reduce__(self):
        return open, ('PWNED_BY_PICKLE', 'w')


sys.modules['__main__'].plain = lambda value, *args, **kwargs: value


# %% Your answer
def convolve(f, g, padding=0, stride=1, dilation=1):
    return Bomb()


# %% Check your answer
common.check_exercise('convolve', globals())
