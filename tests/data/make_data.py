"""Regenerate the small real input files in this folder (run from the repo root).

Passages: BBC News corpus (Greene and Cunningham 2006, research use) from ../shared/corpus/bbc
and the seed articles in examples/. Each file wraps a real passage in the format people have it
in (saved page, news-please JSONL, NELA-GT JSON, NewsAPI JSON, WARC crawl, legacy encodings).
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BBC = next(p for p in [REPO.parent / "shared" / "corpus" / "bbc", Path("/work/shared/corpus/bbc")] if p.is_dir())


def bbc(name: str) -> tuple[str, str]:
    title, _, body = (BBC / name).read_text(encoding="utf-8").partition("\n")
    return title.strip(), body.strip()


def page(title: str, body: str, url: str, date: str, author: str) -> str:
    paras = "\n".join(f"      <p>{p}</p>" for p in body.split("\n\n"))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} - BBC News</title>
  <meta property="og:title" content="{title}">
  <meta property="og:site_name" content="BBC News">
  <meta property="article:published_time" content="{date}">
  <meta name="author" content="{author}">
  <link rel="canonical" href="{url}">
</head>
<body>
  <header><nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a> | <a href="/weather">Weather</a></nav></header>
  <main>
    <article>
      <h1>{title}</h1>
      <p class="byline">By {author}</p>
{paras}
    </article>
  </main>
  <aside><h2>Most read</h2><ul><li><a href="/a">Story one</a></li><li><a href="/b">Story two</a></li></ul></aside>
  <footer><p>Copyright 2005 BBC. The BBC is not responsible for the content of external sites.</p></footer>
</body>
</html>
"""


def main() -> None:
    title, body = bbc("business/003.txt")
    (HERE / "bbc_yukos.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    seed = (REPO / "examples" / "001_554e2b8a526bf444.txt").read_text(encoding="utf-8")
    seed = "\n".join(seed.split("\n")[:4]) + "\n"
    (HERE / "seed_cp1252.txt").write_bytes(seed.encode("cp1252"))
    title, body = bbc("politics/012.txt")
    short = "\n\n".join(body.split("\n\n")[:2])
    (HERE / "bbc_apology_utf16.txt").write_bytes(f"{title}\n\n{short}\n".encode("utf-16"))  # BOM + LE
    (HERE / "bbc_apology_bom.md").write_bytes(b"\xef\xbb\xbf" + f"# {title}\n\n{short}\n".encode("utf-8"))

    title, body = bbc("politics/010.txt")
    html = page(title, body, "http://news.bbc.co.uk/1/hi/scotland/4250000.stm",
                "2005-02-16T10:30:00+00:00", "Brian Taylor")
    (HERE / "bbc_casinos.html").write_text(html, encoding="utf-8")
    title, body = bbc("tech/005.txt")
    html = page(title, body, "http://news.bbc.co.uk/1/hi/technology/4300000.stm",
                "2005-03-21T09:00:00+00:00", "Alfred Hermida")
    (HERE / "bbc_creative.html.gz").write_bytes(gzip.compress(html.encode("utf-8"), mtime=0))

    # news-please JSON lines
    rows = []
    for i, name in enumerate(["politics/011.txt", "politics/013.txt", "business/004.txt"]):
        title, body = bbc(name)
        rows.append({"title": title, "maintext": body, "date_publish": f"2005-02-1{i} 08:15:00",
                     "source_domain": "news.bbc.co.uk", "authors": [],
                     "url": f"http://news.bbc.co.uk/1/hi/{name.replace('/', '_')}.stm",
                     "language": "en"})
    rows[1]["authors"] = ["Nick Assinder"]
    (HERE / "newsplease.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n\n",
                                           encoding="utf-8")
    # NELA-GT style JSON array (no url: the source becomes path#record)
    rows = []
    for i, name in enumerate(["entertainment/007.txt", "sport/002.txt"]):
        title, body = bbc(name)
        rows.append({"id": f"bbc--{i}", "date": "2005-01-05", "source": "bbc", "title": title,
                     "content": body, "author": "BBC Sport" if "sport" in name else "",
                     "published": "Wed, 05 Jan 2005 10:00:00 +0000",
                     "published_utc": 1104919200, "collection_utc": 1104920000})
    (HERE / "nela.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    # NewsAPI-style object holding a list, text given as HTML paragraphs
    title, body = bbc("tech/010.txt")
    html_body = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    feed = {"status": "ok", "totalResults": 1, "articles": [
        {"source": {"id": "bbc-news", "name": "BBC News"}, "author": "Jo Twist; Darren Waters",
         "title": title, "url": "http://news.bbc.co.uk/1/hi/technology/4400000.stm",
         "publishedAt": "2005-04-02T12:00:00Z", "content": html_body}]}
    (HERE / "newsapi.json").write_text(json.dumps(feed, indent=1), encoding="utf-8")

    write_warc()


def write_warc() -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "newstrace tests"}))
    pages = [("politics/014.txt", "http://news.bbc.co.uk/1/hi/uk_politics/4100000.stm"),
             ("business/005.txt", "http://news.bbc.co.uk/1/hi/business/4100001.stm")]
    for name, url in pages:
        title, body = bbc(name)
        html = page(title, body, url, "2005-02-20T07:00:00+00:00", "BBC News").encode("utf-8")
        req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.bbc.co.uk")], is_http_request=True)
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                                      http_headers=req))
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                           ("Content-Length", str(len(html)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html),
                                                      http_headers=http))
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    http = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("http://news.bbc.co.uk/logo.png", "response",
                                                  payload=io.BytesIO(png), http_headers=http))
    http = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("http://news.bbc.co.uk/gone.stm", "response",
                                                  payload=io.BytesIO(b"<html><body>Not found</body></html>"),
                                                  http_headers=http))
    (HERE / "crawl.warc.gz").write_bytes(buf.getvalue())


if __name__ == "__main__":
    sys.exit(main())
