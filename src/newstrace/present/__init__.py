"""Everything a person looks at: the static HTML report and the Datasette browser.

:mod:`.report` renders the static site (with ``templates/`` and ``static/``), :mod:`.serve` runs
Datasette with newstrace's metadata. Both read the database through :mod:`newstrace.store`.
This face re-exports the entry points; the report's template helpers (``slug``, ``safe_url``,
``word_diff`` ...) stay in :mod:`.report`. Note that ``newstrace.present.serve`` is the function:
reach the module with ``from newstrace.present.serve import ...``.

>>> from newstrace.present import write_report
>>> write_report("story.db", "report/")  # doctest: +SKIP
PosixPath('report/index.html')
"""

from .report import write_report
from .serve import datasette_command, serve, start, write_metadata

__all__ = ["write_report", "serve", "start", "write_metadata", "datasette_command"]
