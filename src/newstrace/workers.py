"""Child processes for the per-article stages: a crash or a stall costs one article, not the run.

Shared by ``analyze --jobs N`` (:class:`ChildPool`) and the Dask backend (``distributed.py``),
issue #7. Each child is a plain Python subprocess, started once and then reused, that reads
pickled requests on its stdin and runs them in its main thread, so the SIGALRM time budget
(:func:`newstrace.budget.time_limit`) holds there. The child tells its parent when each budget starts and
ends; if a budget has run out and the child still has not answered ``kill_grace`` seconds later
(native code that never returns to the interpreter, where the alarm's handler cannot run), the
parent kills it. A child that dies (the out-of-memory killer, a segfault in native code,
``os._exit``) or is killed costs only the article it was on: the rest of its batch is annotated
again one article at a time in a fresh child, which also finds the culprit.

Isolation needs POSIX (the budget is a SIGALRM, the watchdog ``select()``s on a pipe); elsewhere
the work runs in the calling process as before.

Reading too: under ``analyze --jobs N`` each input file is read and cleaned in a reader child
(:func:`read_in_child`), so a page that stalls libxml2 past the budget costs the rest of that file,
not the run (issue #18).

Test-only fault injection: when the environment variable ``NEWSTRACE_TEST_FAULT`` is
``kill:MARKER`` or ``stall:MARKER``, a child asked to annotate a batch holding an article whose
text contains MARKER kills itself with SIGKILL (as the out-of-memory killer would), or blocks
SIGALRM and sleeps inside a time budget (as native code that ignores the alarm would);
``stallread:MARKER`` does the latter in a reader child asked to read a file whose path contains
MARKER. Only the child processes read it (never ``--jobs 1`` or the parent), and only tests set it.
"""

from __future__ import annotations

import os
import logging
import pickle
import queue
import select
import signal
import struct
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

from .budget import set_budget_hook, time_limit
from .config import Settings
from .errors import NewstraceError
from .extract import worker_annotate
from .models import Annotations, Article, InputError
from .nlp import load_nlp

# POSIX only: the child's budget is a SIGALRM and the watchdog select()s on a pipe.
CAN_ISOLATE = os.name == "posix" and hasattr(signal, "setitimer")
FAULT_ENV = "NEWSTRACE_TEST_FAULT"


def kill_grace(settings: Settings) -> float:
    """Seconds past a budget's end before a child that has not stopped is killed."""
    return max(5.0, 0.5 * settings.max_seconds_per_article)


class ChildLost(Exception):
    """The child stopped answering.

    ``kind`` is "stalled" (killed past its budget), "died", "failed" (the function raised;
    the child is fine) or "closed" (its pool was closed).
    """

    def __init__(self, kind: str, detail: str, error: BaseException | None = None) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.error = error  # for "failed": the exception the function raised, when it pickles


def _send(fd: int, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(struct.pack(">Q", len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _recv(fd: int) -> Any:
    """One framed object from fd; raises EOFError when the other side is gone."""
    (size,) = struct.unpack(">Q", _read_exact(fd, 8))
    return pickle.loads(_read_exact(fd, size))


def _read_exact(fd: int, n: int) -> bytes:
    parts, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


class Child:
    """A child Python process that runs module-level functions in its main thread.

    One thread at a time drives a child (``run``); another thread may only ``shut`` it.
    """

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.closed = False  # set by shut(): no new process is started

    def _start(self) -> subprocess.Popen[bytes]:
        # A plain subprocess, not multiprocessing: Dask's worker processes are daemonic and
        # may not have multiprocessing children; and the child sees end-of-file on its stdin
        # (and exits) when its parent dies, instead of lingering.
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from newstrace.workers import child_main; child_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, env=env)
        return self.proc

    def close(self) -> None:
        """Kill the process (if running) and release its pipes; the next ``run`` starts a new one."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc is not None:
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()

    def shut(self) -> None:
        """From another thread: kill the process and start no new one (the driving thread cleans up)."""
        self.closed = True
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.kill()

    def run(self, fn: Callable[[Any], Any], arg: Any, *, grace: float) -> Iterator[Any]:
        """Yield what ``fn(arg)`` yields (or returns) in the child.

        Raises:
            ChildLost: the child was killed past a budget, died, or ``fn`` raised.
        """
        if self.closed:
            self.close()
            raise ChildLost("closed", "the worker processes were shut down")
        proc = self.proc if self.proc is not None and self.proc.poll() is None else None
        if proc is None:
            self.close()
            proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            _send(proc.stdin.fileno(), (fn, arg))
        except OSError as exc:
            self.close()
            raise ChildLost("died", f"the worker process could not be reached ({exc})") from exc
        finished = False
        try:
            yield from self._replies(proc, grace)
            finished = True
        except ChildLost as lost:
            finished = lost.kind == "failed"  # the function raised; the child is fine
            raise
        finally:
            if not finished:  # lost, or the caller stopped early: unread replies would follow
                self.close()

    def _replies(self, proc: subprocess.Popen[bytes], grace: float) -> Iterator[Any]:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        deadline: float | None = None  # when the running budget's SIGALRM should have fired
        while True:
            ready, _, _ = select.select([fd], [], [], 0.25)
            if not ready:
                if deadline is not None and time.monotonic() > deadline + grace:
                    self.close()
                    raise ChildLost("stalled", "did not stop when its time budget ran out, "
                                    f"nor {grace:g} s later; its process was killed")
                continue
            try:
                msg = _recv(fd)
            except EOFError:
                code = proc.wait()
                self.close()
                if self.closed:
                    raise ChildLost("closed", "the worker processes were shut down") from None
                how = (f"killed by {signal.Signals(-code).name}" if code < 0 and -code in
                       signal.valid_signals() else f"exit code {code}")
                raise ChildLost("died", f"the worker process died ({how}; out of memory, or a "
                                "crash in native code)") from None
            if msg[0] == "budget":
                deadline = None if msg[1] is None else time.monotonic() + msg[1]
            elif msg[0] == "item":
                yield msg[1]
            elif msg[0] == "done":
                return
            else:  # "failed": fn raised
                raise ChildLost("failed", msg[1], msg[2])


def child_main() -> None:
    """Entry point of a child: answer requests on stdin until end-of-file."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    out = os.dup(1)
    os.dup2(2, 1)  # a stray print() goes to stderr instead of corrupting the replies
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    set_budget_hook(lambda seconds: _send(out, ("budget", seconds)))
    while True:
        try:
            fn, arg = _recv(0)
        except EOFError:  # the parent is gone
            return
        try:
            result = fn(arg)
            if isinstance(result, Iterator):
                for item in result:
                    _send(out, ("item", item))
            else:
                _send(out, ("item", result))
            _send(out, ("done",))
        except BrokenPipeError:  # the parent died while this child worked: nobody to answer
            return
        except Exception as exc:
            detail = f"{type(exc).__name__}: {exc} | " + traceback.format_exc(limit=3).replace("\n", " | ")
            try:
                pickle.dumps(exc)
            except Exception:  # noqa: BLE001 - an exception that does not pickle is sent as text only
                exc = None
            _send(out, ("failed", detail, exc))


def _child_annotate(args: tuple[list[Article], Settings]) -> list[Annotations | InputError]:
    """Runs in a child: :func:`~newstrace.extract.worker_annotate`, after the test-only fault hook."""
    fault = os.environ.get(FAULT_ENV)
    if fault:
        _inject_fault(fault, *args)
    return worker_annotate(args)


def _child_read(args: tuple[Callable[..., Iterator[Any]], Any, Settings]) -> Iterator[Any]:
    """Runs in a reader child: ``read(f, settings=settings)``, after the test-only fault hook."""
    read, f, settings = args
    kind, _, marker = os.environ.get(FAULT_ENV, "").partition(":")
    if kind == "stallread" and marker and marker in f.path:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        with time_limit(settings.max_seconds_per_article):
            time.sleep(3600)
    return read(f, settings=settings)


def read_in_child(child: Child, read: Callable[..., Iterator[Any]], f: Any, *,
                  settings: Settings, what: str = "reading") -> Iterator[Any]:
    """Yield what ``read(f, settings=settings)`` yields, run in ``child`` under its watchdog.

    Args:
        child: the reader child (restarted if it died).
        read: a module-level generator function (pickled by name), e.g. ``pipeline.iter_clean``.
        f: the input file (an ``ingest.InputFile``).
        settings: the run's settings (``max_seconds_per_article`` sets the kill deadline).
        what: the work the error row names ("reading", "reading or cleaning").
    Yields:
        the items ``read`` yields; if the child stalls past a budget and is killed, or dies, an
        InputError (stage ``limit`` or ``ingest``) for the rest of the file, and nothing more.
    Raises:
        NewstraceError: raised by ``read`` in the child.
    """
    try:
        yield from child.run(_child_read, (read, f, settings), grace=kill_grace(settings))
    except ChildLost as lost:
        reraise_own(lost)
        yield lost_reader_error(lost, f.path, settings=settings, what=what)


def lost_reader_error(lost: ChildLost, path: str, *, settings: Settings, what: str) -> InputError:
    """The error row for the rest of a file whose reading child stalled past its budget and was
    killed (stage ``limit``) or died (stage ``ingest``); ``what`` names the work ("reading")."""
    if lost.kind == "stalled":
        return InputError(file=path, stage="limit",
                          reason=f"{what} took longer than {settings.max_seconds_per_article:g} s "
                                 f"(max_seconds_per_article) and {lost.detail}: the rest of the file is skipped",
                          hint="the file is probably malformed or hostile; check it, or raise "
                               "max_seconds_per_article and touch the file to read it again")
    return InputError(file=path, stage="ingest",
                      reason=f"{what} failed: {lost.detail}: the rest of the file is skipped",
                      hint="if the machine ran out of memory (see dmesg), lower max_file_bytes; "
                           "otherwise please report this with the file")


def _child_load(model: str) -> None:
    """Runs in a child: load the model, so the first batch does not wait for it."""
    load_nlp(model)


def _inject_fault(fault: str, articles: list[Article], settings: Settings) -> None:
    # Test-only (see the module docstring): make this child die or stall as native code would.
    kind, _, marker = fault.partition(":")
    if not marker or not any(marker in a.text for a in articles):
        return
    if kind == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif kind == "stall":
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        with time_limit(settings.max_seconds_per_article):
            time.sleep(3600)


def reraise_own(lost: ChildLost) -> None:
    """Re-raise newstrace's own errors from the child (the model is not installed, ...).

    They fail the run or task as they did without a child, instead of turning every article
    into an error row.
    """
    if isinstance(lost.error, NewstraceError):
        raise lost.error
    if lost.kind == "closed":
        raise RuntimeError(lost.detail)


def annotate_in_child(child: Child, articles: list[Article], *, settings: Settings,
                      work: Callable[[Any], Any] | None = None) -> list[Annotations | InputError]:
    """Annotate a batch in ``child``; a lost child costs only the article it was on.

    Args:
        child: the child process to use (restarted if it died).
        articles: the batch.
        settings: the run's settings (``max_seconds_per_article`` sets the kill deadline).
        work: the function run in the child (default: ``extract.annotate_batch`` behind the
            test-only fault hook); tests pass their own.
    Returns:
        one Annotations or InputError per article, in order. When the child dies or is killed
        on a batch, its articles are annotated again one at a time, so only the culprit
        becomes an InputError (stage "limit" for a stall, "annotate" for a death).
    Raises:
        NewstraceError: raised by the work in the child (e.g. the model is missing).
    """
    work = work or _child_annotate
    if not CAN_ISOLATE:
        return work((articles, settings))
    try:
        (results,) = child.run(work, (articles, settings), grace=kill_grace(settings))
        return results
    except ChildLost as lost:
        reraise_own(lost)
        if len(articles) > 1 and lost.kind != "failed":  # find the article: the others are annotated anew
            return [r for a in articles for r in annotate_in_child(child, [a], settings=settings, work=work)]
        article, budget = articles[0], settings.max_seconds_per_article
        if lost.kind == "stalled":
            return [InputError(file=article.source, stage="limit", record=article.id,
                               reason=f"annotating took longer than {budget:g} s "
                                      f"(max_seconds_per_article) and {lost.detail}",
                               hint="the article is stored without annotations; to annotate it, "
                                    "raise max_seconds_per_article and analyze it into a new database")]
        hint = ("the article is stored without annotations; if the machine ran out of memory "
                "(see dmesg), lower --jobs or max_article_chars and analyze it into a new "
                "database, otherwise please report this with the input file"
                if lost.kind == "died" else "please report this with the input file; the "
                "article is stored without annotations")
        return [InputError(file=a.source, stage="annotate", record=a.id,
                           reason=f"annotation failed: {lost.detail}", hint=hint) for a in articles]


class ChildPool:
    """``n`` child processes annotating batches concurrently, for ``analyze --jobs N``.

    Each submitted batch runs on a thread of a ``ThreadPoolExecutor`` that drives one idle
    child through :func:`annotate_in_child`; results come back as futures in submission order.

    >>> pool = ChildPool(2, settings=Settings())  # doctest: +SKIP
    >>> pool.submit(articles).result()  # doctest: +SKIP
    [Annotations(...), ...]
    >>> pool.close()  # doctest: +SKIP
    """

    def __init__(self, n: int, *, settings: Settings) -> None:
        self.settings = settings
        self._children = [Child() for _ in range(n)] if CAN_ISOLATE else []
        self._idle: queue.SimpleQueue[Child] = queue.SimpleQueue()
        for child in self._children:
            self._idle.put(child)
        # Without POSIX: plain worker processes (a crash stops the run, no kill past the budget)
        self._executor: Executor = (ThreadPoolExecutor(n, thread_name_prefix="newstrace-job")
                                    if CAN_ISOLATE else ProcessPoolExecutor(n))
        # Each child loads the model now, while the caller reads the first files; a failure
        # here (the model is missing) comes back with the first batch.
        for _ in self._children:
            self._executor.submit(self._warm)

    def _warm(self) -> None:
        child = self._idle.get()  # FIFO, and each warm-up holds its child: one per child
        try:
            for _ in child.run(_child_load, self.settings.model, grace=kill_grace(self.settings)):
                pass
        except ChildLost:
            pass
        finally:
            self._idle.put(child)

    def submit(self, articles: list[Article]) -> Future[list[Annotations | InputError]]:
        """Queue a batch; the future's result is one Annotations or InputError per article."""
        if not CAN_ISOLATE:
            return self._executor.submit(worker_annotate, (articles, self.settings))
        return self._executor.submit(self._annotate, articles)

    def _annotate(self, articles: list[Article]) -> list[Annotations | InputError]:
        child = self._idle.get()  # never waits long: as many children as threads
        try:
            return annotate_in_child(child, articles, settings=self.settings)
        finally:
            self._idle.put(child)

    def close(self) -> None:
        """Stop: queued batches are dropped, running ones interrupted, every child killed."""
        for child in self._children:
            child.shut()
        self._executor.shutdown(wait=True, cancel_futures=True)
        for child in self._children:
            child.close()

    def __enter__(self) -> ChildPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
