"""newstrace: who said what, according to whom, first reported where, copied by whom.

>>> import newstrace
>>> stats = newstrace.analyze(["examples/"], "story.db")  # doctest: +SKIP
"""

__version__ = "0.1.0"

from .config import Settings, load_settings  # noqa: E402
from .errors import BadInput, DatabaseBusy, MissingExtra, ModelNotInstalled, NewstraceError  # noqa: E402
from .models import (  # noqa: E402
    Annotations, Article, Attribution, Claim, InputError, Link, LocalEntity, Mention, Post, Quote,
    QuoteGroup, RawArticle, Role, Story,
)
from .pipeline import RunStats, analyze  # noqa: E402

__all__ = [
    "__version__", "Settings", "load_settings", "analyze", "RunStats", "NewstraceError",
    "BadInput", "DatabaseBusy", "MissingExtra", "ModelNotInstalled", "Annotations", "Article",
    "Attribution", "Claim", "InputError", "Link", "LocalEntity", "Mention", "Post", "Quote",
    "QuoteGroup", "RawArticle", "Role", "Story",
]
