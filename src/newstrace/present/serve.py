"""Browse a newstrace database in Datasette: table and column help, facets, canned queries.

Runs a real Datasette process (``python -m datasette``) bound to 127.0.0.1 unless told
otherwise, with the metadata from :func:`newstrace.store.queries.datasette_metadata`.

>>> from newstrace.present import serve
>>> serve("story.db", port=8001)  # doctest: +SKIP
"""

from __future__ import annotations

import importlib.util
import json
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import webbrowser
from pathlib import Path
from typing import Any

from ..errors import MissingExtra, NewstraceError
from ..store.queries import connect, datasette_metadata, table_columns


# Talks to our own server only: never through an HTTP proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


LOOPBACK = ("127.0.0.1", "localhost", "::1")

# A Datasette plugin (written next to the metadata) that answers 421 to a request whose Host
# header is not the loopback address served: a web page the user visits cannot reach the
# server through DNS rebinding (issue #18).
_HOST_PLUGIN = """
from datasette import hookimpl

ALLOWED = {allowed!r}


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def pinned(scope, receive, send):
            if scope.get("type") == "http":
                host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").lower()
                if host not in ALLOWED:
                    await send({{"type": "http.response.start", "status": 421,
                                "headers": [(b"content-type", b"text/plain; charset=utf-8")]}})
                    await send({{"type": "http.response.body",
                                "body": b"newstrace serve: this server answers only to its own loopback address"}})
                    return
            await app(scope, receive, send)
        return pinned
    return wrap
"""


def allowed_hosts(host: str, port: int) -> set[str] | None:
    """The Host header values a loopback server answers (None: not loopback, not pinned)."""
    if host not in LOOPBACK:
        return None
    return {h for name in ("127.0.0.1", "localhost", "[::1]") for h in (name, f"{name}:{port}")}


def serve_url(host: str, port: int) -> str:
    """The base URL to print for a server bound to ``host``: all interfaces are shown as this
    machine's name, not as 127.0.0.1 (issue #18)."""
    import socket

    shown = socket.gethostname() if host in ("0.0.0.0", "", "::") else host
    return f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/"


def datasette_command(db_path: str | Path, metadata_path: str | Path, *, host: str = "127.0.0.1",
                      port: int = 8001, plugins_dir: str | Path | None = None) -> list[str]:
    """The command line that starts Datasette on a newstrace database.

    Args:
        db_path: the SQLite file.
        metadata_path: a metadata JSON file (from :func:`write_metadata`).
        host: address to bind.
        port: port to bind.
        plugins_dir: a Datasette plugins folder (the Host pin of :func:`write_host_plugin`).
    Returns:
        argv for :mod:`subprocess`.
    """
    return [sys.executable, "-m", "datasette", "serve", str(db_path), "--metadata", str(metadata_path),
            "--host", host, "--port", str(port), "--setting", "default_page_size", "50",
            "--setting", "sql_time_limit_ms", "5000", "--setting", "allow_download", "off"] + (
                ["--plugins-dir", str(plugins_dir)] if plugins_dir else [])


def write_host_plugin(folder: str | Path, host: str, port: int) -> Path | None:
    """Write the Host-pinning plugin for a loopback server into ``folder``/plugins; returns that
    folder (None when ``host`` is not loopback: a shared server answers any name)."""
    allowed = allowed_hosts(host, port)
    if allowed is None:
        return None
    plugins = Path(folder) / "plugins"
    plugins.mkdir(exist_ok=True)
    (plugins / "newstrace_host_pin.py").write_text(_HOST_PLUGIN.format(allowed=sorted(allowed)), encoding="utf-8")
    return plugins


def write_metadata(db_path: str | Path, folder: str | Path) -> Path:
    """Write the Datasette metadata for a database into a folder; returns the file."""
    path = Path(folder) / "metadata.json"
    conn = connect(db_path)
    try:
        columns = table_columns(conn)
    finally:
        conn.close()
    path.write_text(json.dumps(datasette_metadata(Path(db_path).stem, columns), indent=2), encoding="utf-8")
    return path


def _check(db_path: str | Path) -> None:
    if importlib.util.find_spec("datasette") is None:
        raise MissingExtra("newstrace serve needs Datasette: pip install 'newstrace[browse]'")
    connect(db_path).close()  # raises a clear error for a missing or foreign file


def start(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8001,
          metadata_dir: str | Path | None = None, timeout: float = 30.0) -> tuple[subprocess.Popen[bytes], str]:
    """Start Datasette in the background and wait until it answers.

    Args:
        db_path: the SQLite file.
        host: address to bind (loopback by default).
        port: port to bind.
        metadata_dir: where to write metadata.json (default: a new temporary folder).
        timeout: seconds to wait for the server to answer.
    Returns:
        The process and the base URL. Stop it with ``proc.terminate()``.
    Raises:
        NewstraceError: Datasette exited or did not answer in time (the message has its stderr).
    """
    _check(db_path)
    folder = Path(metadata_dir) if metadata_dir else Path(tempfile.mkdtemp(prefix="newstrace-serve-"))
    meta = write_metadata(db_path, folder)
    plugins = write_host_plugin(folder, host, port)
    log = open(folder / "datasette.log", "wb")  # noqa: SIM115 (closed with the process)
    proc = subprocess.Popen(datasette_command(db_path, meta, host=host, port=port, plugins_dir=plugins),
                            stdout=log, stderr=subprocess.STDOUT)
    log.close()
    # polled on loopback (always answers when bound to all interfaces)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else ('[' + host + ']' if ':' in host else host)}:{port}/"
    try:
        _wait_until_up(proc, url, folder, db_path, port, timeout)
    except BaseException:  # also Ctrl-C / SIGTERM while waiting: never leave Datasette behind
        if proc.poll() is None:
            proc.terminate()
            proc.wait(10)
        raise
    return proc, url


def _wait_until_up(proc: subprocess.Popen[bytes], url: str, folder: Path, db_path: str | Path, port: int,
                   timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = (folder / "datasette.log").read_text(errors="replace")[-2000:]
            raise NewstraceError(f"{db_path}: Datasette exited with status {proc.returncode} "
                                 f"(is port {port} free? try --port):\n{out}")
        try:
            with _OPENER.open(url + "-/versions.json", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise NewstraceError(f"{db_path}: Datasette did not answer on {url} within {timeout:.0f}s; "
                         f"see {folder / 'datasette.log'}")


def serve(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False) -> None:
    """Serve a database with Datasette until interrupted (Ctrl-C or SIGTERM).

    Args:
        db_path: the SQLite file.
        host: address to bind; loopback unless you mean to share the database.
        port: port to bind.
        open_browser: open the default browser at the database page.
    Raises:
        MissingExtra: Datasette is not installed.
        NewstraceError: the database is missing, or Datasette could not start.

    >>> serve("story.db")  # doctest: +SKIP
    """
    def _stop(*_: Any) -> None:
        raise KeyboardInterrupt

    # Installed before Datasette starts, so a SIGTERM at any point also stops the child.
    old = signal.signal(signal.SIGTERM, _stop)
    proc: subprocess.Popen[bytes] | None = None
    try:
        with tempfile.TemporaryDirectory(prefix="newstrace-serve-") as folder:
            try:
                if host not in LOOPBACK:
                    print(f"warning: serving on {host}, not loopback: anyone who can reach this "
                          "machine on the network can read the whole database", file=sys.stderr)
                proc, url = start(db_path, host=host, port=port, metadata_dir=folder)
                if host not in LOOPBACK:
                    url = serve_url(host, port)
                print(f"Serving {db_path} at {url}{Path(db_path).stem} (Ctrl-C to stop)", file=sys.stderr)
                if open_browser:
                    webbrowser.open(url + Path(db_path).stem)
                proc.wait()
            except KeyboardInterrupt:
                pass
            finally:
                if proc is not None and proc.poll() is None:
                    proc.terminate()
                    try:
                        proc.wait(10)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()
    finally:
        signal.signal(signal.SIGTERM, old)
