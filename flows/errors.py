"""Errors meant for the person at the terminal: printed as one line, no traceback."""


class LurewatchError(Exception):
    pass
