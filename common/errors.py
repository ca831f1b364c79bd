"""The one exception type that means "the learner's input is wrong", not "the code is wrong"."""


class UserError(Exception):
    """A problem the user can fix (a missing file, an empty name, no data offline, ...).

    `common.run(main)` prints it as one line on stderr and exits with code 1, without a traceback.
    """
