"""Tests for ``serve``: a real Datasette process on a free loopback port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from newstrace.errors import NewstraceError

pytest.importorskip("datasette", reason="Datasette not installed: pip install 'newstrace[browse]'")

from newstrace.present.serve import datasette_command, start, write_metadata  # noqa: E402

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> object:
    with _OPENER.open(url, timeout=10) as resp:
        return json.loads(resp.read())


@pytest.fixture(scope="module")
def server(report_sample_db, tmp_path_factory):
    proc, url = start(report_sample_db, port=_free_port(), metadata_dir=tmp_path_factory.mktemp("serve"))
    yield url + Path(report_sample_db).stem
    proc.terminate()
    proc.wait(10)


def _canned(server: str, query: str, **params: str) -> list[dict]:
    qs = urllib.parse.urlencode(dict(params, _shape="array"))
    return _get(f"{server}/{query}.json?{qs}")


def test_serve_command_binds_loopback_by_default(report_sample_db, tmp_path):
    meta = write_metadata(report_sample_db, tmp_path)
    cmd = datasette_command(report_sample_db, meta)
    assert cmd[:4] == [sys.executable, "-m", "datasette", "serve"]
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == "8001"
    assert json.loads(meta.read_text())["databases"]["sample"]["queries"]["who_said_what"]["title"] == "Who said what in a story"


def test_serve_canned_query_who_said_what(server):
    rows = _canned(server, "who_said_what", story="s-magnus")
    assert len(rows) == 5
    assert {r["speaker"] for r in rows} == {"Chris Magnus", "one official"}
    assert rows[0]["speaker"] == "Chris Magnus" and rows[0]["outlet"] == "The New American"


def test_serve_canned_queries_person_outlet_drift_duplicates(server):
    assert len(_canned(server, "quotes_of_person", name="Alejandro Mayorkas")) == 9
    citing = _canned(server, "articles_citing_outlet", outlet="The Washington Times")
    assert [r["article_id"] for r in citing] == ["art003", "art002"]
    drift = _canned(server, "quote_groups_with_drift")
    assert [r["id"] for r in drift] == ["g-1326"]
    dups = _canned(server, "duplicate_clusters")
    assert dups == [dict(original="art003", original_outlet="Law Enforcement Today", original_title=dups[0]["original_title"],
                         copies=1, copied_by="art002 (rewrite, 0.71)")]


def test_serve_metadata_descriptions_and_facets(server):
    base = server.rsplit("/", 1)[0]
    meta = _get(base + "/-/metadata.json")
    quotes = meta["databases"]["sample"]["tables"]["quotes"]
    assert quotes["columns"]["speaker_kind"] == "person, organisation, anonymous, outlet or unknown."
    table = _get(server + "/quotes.json?_size=0")
    assert {"kind", "speaker", "speaker_kind"} <= set(table["facet_results"])
    kinds = {f["value"]: f["count"] for f in table["facet_results"]["kind"]["results"]}
    assert kinds["direct"] == 10 and kinds["post"] == 1


def test_serve_reports_a_busy_port(report_sample_db, tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(NewstraceError, match=f"is port {port} free"):
            start(report_sample_db, port=port, metadata_dir=tmp_path, timeout=20)


def test_serve_rejects_a_missing_database(tmp_path):
    with pytest.raises(NewstraceError, match="no such database"):
        start(tmp_path / "nope.db", port=_free_port())


def test_serve_cli_serves_until_sigterm_and_stops_datasette(report_sample_db):
    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "newstrace", "serve", str(report_sample_db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        url = f"http://127.0.0.1:{port}/sample/quote_groups_with_drift.json?_shape=array"
        deadline = time.monotonic() + 30
        rows = None
        while time.monotonic() < deadline and rows is None:
            try:
                rows = _get(url)
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                time.sleep(0.3)
        assert rows and rows[0]["id"] == "g-1326"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)
    with pytest.raises(OSError):
        _get(url)  # the Datasette child is gone too
