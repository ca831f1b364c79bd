"""The one exception type that means "the learner's input is wrong", not "the code is wrong"."""


class UserError(Exception):
    """A problem the user can fix (a missing file, an empty name, no data offline, ...).

    A script that parsed its options with `common.make_parser` ends on it with one line on stderr
    (`error: ...`) and exit code 1, without a traceback (in a notebook: that one line under the cell).
    """
