"""``watchfloor feeds`` as a user runs it, against a real HTTP server on a loopback port: a real
RSS file with two good items and two malformed ones, an Atom feed of the founding report, a feed
that answers 500 and one slower than the timeout. The new items are stored once, each error is
reported against its feed, and a second poll stores nothing new."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tests.cli.runner import run_in

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "extract" / "fixtures"


@dataclass
class Site:
    routes: dict[str, tuple[int, bytes, str, float]] = field(default_factory=dict)
    hits: list[tuple[str, int]] = field(default_factory=list)
    base: str = ""


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body, content_type, delay = state.routes[self.path]
            etag = f'"{hash(body) & 0xFFFF}"'
            if self.path == "/atom" and self.headers.get("If-None-Match") == etag:
                state.hits.append((self.path, 304))
                self.send_response(304)
                self.end_headers()
                return
            state.hits.append((self.path, status))  # counted on arrival, before a slow answer
            if delay:
                time.sleep(delay)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if self.path == "/atom":
                self.send_header("ETag", etag)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the slow feed's client left
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _atom(paragraphs: list[str]) -> bytes:
    entries = "".join(
        f"<entry><id>urn:ap:{n}</id><title>AP {n}</title><updated>2024-10-29T08:00:00Z</updated>"
        f"<content type='text'>{escape(p)}</content></entry>"
        for n, p in enumerate(paragraphs)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        "<title>Associated Press</title><id>urn:ap</id>"
        f"<updated>2024-10-29T08:00:00Z</updated>{entries}</feed>"
    ).encode()


def run(cwd: Path, site: Site, *args: str) -> subprocess.CompletedProcess[str]:
    feeds = json.dumps([f"{site.base}/rss", f"{site.base}/down"])
    return run_in(cwd, *args, env={"WATCHFLOOR_WATCH_FEEDS": feeds, "WATCHFLOOR_FEED_TIMEOUT_S": "1"})


def test_poll_stores_new_items_once_and_reports_errors_per_feed(
    tmp_path: Path, site: Site, founding_report: Path
) -> None:
    paragraphs = [p for p in founding_report.read_text(encoding="utf-8").split("\n") if p.strip()][:3]
    site.routes = {
        "/rss": (200, (FIXTURES / "feed_2024-11.rss").read_bytes(), "application/rss+xml", 0.0),
        "/atom": (200, _atom(paragraphs), "application/atom+xml", 0.0),
        "/down": (500, b"internal error", "text/plain", 0.0),
        "/slow": (
            200,
            _atom(["North Korea sent troops to Russia, Seoul said."]),
            "application/atom+xml",
            3.0,
        ),
    }
    for path in ("/atom", "/slow"):
        added = run(tmp_path, site, "feeds", "add", f"{site.base}{path}", "--grade", "b", "--json")
        assert added.returncode == 0, added.stderr
        assert json.loads(added.stdout)["added"] is True
    bad = run(tmp_path, site, "feeds", "add", "file:///etc/passwd")
    assert bad.returncode == 1 and "http:// or https://" in bad.stderr
    listed = json.loads(run(tmp_path, site, "feeds", "list", "--json").stdout)
    assert [(f["url"].removeprefix(site.base), f["origin"]) for f in listed] == [
        ("/rss", "settings"),
        ("/down", "settings"),
        ("/atom", "store"),
        ("/slow", "store"),
    ]

    first = run(tmp_path, site, "feeds", "poll", "--json")
    assert first.returncode == 0, first.stderr
    by_path = {row["url"].removeprefix(site.base): row for row in json.loads(first.stdout)}
    rss, atom, down, slow = (by_path[p] for p in ("/rss", "/atom", "/down", "/slow"))
    assert (rss["status"], rss["new_items"], rss["stored"]) == ("ok", 2, 2)
    assert len(rss["item_errors"]) == 2 and all("/rss, item " in e for e in rss["item_errors"])
    assert any("has no text" in e for e in rss["item_errors"])
    assert (atom["status"], atom["stored"]) == ("ok", len(paragraphs)) and atom["events_new"] > 0
    assert down["status"] == "failed" and "HTTP 500" in down["error"] and down["retry_after"]
    assert slow["status"] == "failed" and "timed out" in slow["error"]
    with sqlite3.connect(tmp_path / "wf.db") as db:
        documents = db.execute("select count(*) from documents").fetchone()[0]
        events = db.execute("select count(*) from events").fetchone()[0]
        grades = {
            g
            for (g,) in db.execute(
                "select distinct source_grade from documents where source = ?", ["Associated Press"]
            )
        }
    assert documents == 2 + len(paragraphs) and events > 0 and grades == {"B"}

    site.hits.clear()
    second = run(tmp_path, site, "feeds", "poll", "--json")
    assert second.returncode == 0, second.stderr
    again = {row["url"].removeprefix(site.base): row for row in json.loads(second.stdout)}
    assert sum(row["stored"] for row in again.values()) == 0
    assert sum(row["new_items"] for row in again.values()) == 0
    assert (again["/rss"]["status"], again["/rss"]["item_errors"]) == ("ok", [])  # seen: not retried
    assert again["/atom"]["status"] == "not_modified"  # conditional GET: 304
    assert again["/down"]["status"] == again["/slow"]["status"] == "backing_off"
    assert sorted(site.hits) == [("/atom", 304), ("/rss", 200)]  # failing feeds left alone
    with sqlite3.connect(tmp_path / "wf.db") as db:
        assert db.execute("select count(*) from documents").fetchone()[0] == documents

    forced = run(tmp_path, site, "feeds", "poll", f"{site.base}/down", "--force")
    assert forced.returncode == 1 and "HTTP 500" in forced.stdout  # every feed polled failed
    shown = json.loads(run(tmp_path, site, "feeds", "list", "--json").stdout)
    assert {f["url"].removeprefix(site.base): f["failures"] for f in shown} == {
        "/rss": 0,
        "/down": 2,
        "/atom": 0,
        "/slow": 1,
    }
