"""newstrace: who said what, according to whom, first reported where, copied by whom.

>>> import newstrace
>>> stats = newstrace.analyze(["examples/"], "story.db")  # doctest: +SKIP
"""

from .version import __version__
from .config import Settings, load_settings
from .errors import BadInput, DatabaseBusy, MissingExtra, ModelNotInstalled, NewstraceError
from .models import (
    Annotations, Article, Attribution, Claim, InputError, Link, LocalEntity, Mention, Post, Quote,
    QuoteGroup, RawArticle, Role, Story,
)
from .pipeline import RunStats, analyze

__all__ = [
    "__version__", "Settings", "load_settings", "analyze", "RunStats", "NewstraceError",
    "BadInput", "DatabaseBusy", "MissingExtra", "ModelNotInstalled", "Annotations", "Article",
    "Attribution", "Claim", "InputError", "Link", "LocalEntity", "Mention", "Post", "Quote",
    "QuoteGroup", "RawArticle", "Role", "Story",
]
