"""Exceptions newstrace raises. Library code raises; only the CLI exits."""


class NewstraceError(Exception):
    """Base class for every error newstrace raises on purpose."""


class BadInput(NewstraceError):
    """An input file or record cannot be read; the message names it and says what to do."""


class ModelNotInstalled(NewstraceError):
    """The spaCy English pipeline (or another optional model) is not installed."""


class MissingExtra(NewstraceError):
    """An optional feature was used without its optional dependencies installed."""


class DatabaseBusy(NewstraceError):
    """Another newstrace process is writing to the same database."""
