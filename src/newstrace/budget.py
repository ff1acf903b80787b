"""Time budgets for the per-article stages: ``time_limit(seconds)`` raises :class:`Timeout`.

The budget is a repeating SIGALRM, so it holds in the main thread of a process only; off the main
thread the work runs without a limit and a warning says so once per thread. Code that needs the
budget elsewhere runs in a child process (:mod:`newstrace.workers`), which reports each budget's
start and end to its parent through :func:`set_budget_hook` so that a child stuck in native code
is killed (issue #7).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Timeout", "set_budget_hook", "time_limit"]


class Timeout(BaseException):
    """A time budget ran out. Not an Exception: a library's ``except Exception`` must not swallow it."""


# Called with the seconds when a budget starts and with None when it ends. A child process that
# runs budgeted work for --jobs or a Dask task (workers.child_main) reports these to its parent,
# whose watchdog kills the child if the budget's SIGALRM does not get through (C code that never
# returns to the interpreter) -- issue #7.
_budget_hook: Callable[[float | None], None] | None = None
_warned_threads: set[int] = set()


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`Timeout` in the block if it runs longer than ``seconds`` (0: no limit).

    >>> with time_limit(2.0):  # doctest: +SKIP
    ...     annotate(doc, article)
    """
    # SIGALRM works only in the main thread of a process. Elsewhere (a thread pool, a Dask
    # worker's task thread) the work runs without a limit and says so once per thread: code
    # that needs the budget off the main thread runs it in a child process (workers.py).
    use = seconds > 0 and hasattr(signal, "setitimer")
    if use and threading.current_thread() is not threading.main_thread():
        use = False
        if threading.get_ident() not in _warned_threads:
            _warned_threads.add(threading.get_ident())
            logging.getLogger(__name__).warning(
                "max_seconds_per_article is not enforced in thread %r (SIGALRM needs the main "
                "thread); run the per-article stages in the main thread or a worker process",
                threading.current_thread().name)
    old = signal.signal(signal.SIGALRM, _raise_timeout) if use else None
    if use:
        if _budget_hook is not None:
            _budget_hook(seconds)
        # Repeating: an exception raised from a signal handler is swallowed ("Exception
        # ignored in ...") when the signal lands in a __del__ or gc callback, so the alarm
        # fires again every half second until the block is left.
        signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        if use:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
            if _budget_hook is not None:
                _budget_hook(None)


def _raise_timeout(signum: int, frame: Any) -> None:
    raise Timeout()


def set_budget_hook(hook: Callable[[float | None], None] | None) -> None:
    """Call ``hook(seconds)`` when a time budget starts and ``hook(None)`` when it ends.

    A child process of :mod:`newstrace.workers` sets it to tell its parent, whose watchdog kills
    the child when a budget's SIGALRM cannot get through (issue #7). ``None`` removes the hook.
    """
    global _budget_hook
    _budget_hook = hook
