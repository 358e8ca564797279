"""Polling feeds over real HTTP (http.server on a loopback port): conditional GET, each item once,
per-feed errors that leave the state as it was, hostile bodies refused."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from watchfloor.errors import FetchError, InputError
from watchfloor.sources.feeds import FeedState, poll_feed
from watchfloor.sources.reports import read_reports

FIXTURES = Path(__file__).resolve().parents[1] / "extract" / "fixtures"


@dataclass
class Route:
    body: bytes
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    etag: str | None = None
    delay: float = 0.0
    declared_length: int | None = None


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    conditional_hits: list[str] = field(default_factory=list)
    base: str = ""


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = state.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if route.delay:
                time.sleep(route.delay)
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                state.conditional_hits.append(self.path)
                self.send_response(304)
                self.send_header("ETag", route.etag)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(route.declared_length or len(route.body)))
            if route.etag:
                self.send_header("ETag", route.etag)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(route.body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _atom(entries: list[tuple[str, str, str]]) -> bytes:
    items = "".join(
        f"<entry><id>{escape(i)}</id><title>{escape(t)}</title><updated>2024-10-29T08:00:00Z</updated>"
        f"<content type='text'>{escape(c)}</content></entry>"
        for i, t, c in entries
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>AP wire</title><id>urn:ap</id><updated>2024-10-29T08:00:00Z</updated>{items}</feed>"
    ).encode()


def test_rss_items_once_then_not_modified(site: Site) -> None:
    site.routes["/rss"] = Route((FIXTURES / "feed_2024-11.rss").read_bytes(), etag='"v1"')
    first = poll_feed(f"{site.base}/rss", FeedState(), timeout=5, max_bytes=1_000_000)
    assert first.status == 200 and first.kind == "feed"
    assert [r.title for r in first.reports] == [
        "N. Korea shipped artillery shells to Russia, Seoul says",
        "Seoul weighs weapons for Ukraine",
    ]
    assert all(r.source == "Yonhap News Agency" and r.published for r in first.reports)
    assert len(first.errors) == 2 and all(site.base in str(e) for e in first.errors)
    assert first.state.etag == '"v1"' and len(first.state.seen) == 4
    again = poll_feed(
        f"{site.base}/rss", FeedState.from_json(first.state.to_json()), timeout=5, max_bytes=1_000_000
    )
    assert again.not_modified and again.reports == [] and again.errors == []
    assert site.conditional_hits == ["/rss"]
    assert again.state.seen == first.state.seen


def test_atom_without_etag_returns_only_new_items(site: Site, founding_report: Path) -> None:
    text = read_reports(founding_report).reports[0].text
    paragraphs = [p for p in text.split("\n") if p.strip()]
    site.routes["/atom"] = Route(_atom([("urn:1", "Troops", paragraphs[0])]), "application/atom+xml")
    first = poll_feed(f"{site.base}/atom", None, timeout=5, max_bytes=1_000_000)
    assert [r.text for r in first.reports] == [paragraphs[0]]
    site.routes["/atom"] = Route(
        _atom([("urn:2", "Yoon", paragraphs[1]), ("urn:1", "Troops", paragraphs[0])]), "application/atom+xml"
    )
    second = poll_feed(f"{site.base}/atom", first.state, timeout=5, max_bytes=1_000_000)
    assert [r.text for r in second.reports] == [paragraphs[1]]
    third = poll_feed(f"{site.base}/atom", second.state, timeout=5, max_bytes=1_000_000)
    assert third.status == 200 and third.reports == []


def test_html_article_page(site: Site) -> None:
    site.routes["/article"] = Route(
        (FIXTURES / "article_2024-11-04.html").read_bytes(), "text/html; charset=utf-8"
    )
    first = poll_feed(f"{site.base}/article", FeedState(), timeout=5, max_bytes=1_000_000)
    assert first.kind == "html" and len(first.reports) == 1
    assert "clashed with North Korean troops" in first.reports[0].text
    assert first.reports[0].url
    assert poll_feed(f"{site.base}/article", first.state, timeout=5, max_bytes=1_000_000).reports == []


def test_server_error_and_timeout_raise_and_keep_the_state(site: Site) -> None:
    state = FeedState(seen=["urn:1"])
    site.routes["/500"] = Route(b"oops", "text/plain", status=500)
    site.routes["/slow"] = Route(_atom([("urn:9", "x", "y " * 20)]), delay=2.0)
    with pytest.raises(FetchError, match="HTTP 500"):
        poll_feed(f"{site.base}/500", state, timeout=5, max_bytes=1_000_000)
    with pytest.raises(FetchError, match="timed out"):
        poll_feed(f"{site.base}/slow", state, timeout=0.5, max_bytes=1_000_000)
    assert state.seen == ["urn:1"]


def test_billion_laughs_is_refused(site: Site) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b"<rss><channel><item><title>&lol3;</title></item></channel></rss>"
    )
    site.routes["/bomb"] = Route(bomb)
    with pytest.raises(InputError, match="refused unsafe XML"):
        poll_feed(f"{site.base}/bomb", FeedState(), timeout=5, max_bytes=1_000_000)


def test_huge_and_truncated_feeds_are_refused(site: Site) -> None:
    site.routes["/huge"] = Route(_atom([(f"urn:{i}", "t", "word " * 200) for i in range(400)]))
    with pytest.raises(FetchError, match="byte limit"):
        poll_feed(f"{site.base}/huge", FeedState(), timeout=5, max_bytes=100_000)
    whole = (FIXTURES / "feed_2024-11.rss").read_bytes()
    site.routes["/cut"] = Route(whole[: len(whole) // 2], declared_length=len(whole))
    with pytest.raises(FetchError, match="truncated"):
        poll_feed(f"{site.base}/cut", FeedState(), timeout=5, max_bytes=1_000_000)
    site.routes["/cut-xml"] = Route(whole[: len(whole) // 2])
    with pytest.raises(InputError, match="malformed XML"):
        poll_feed(f"{site.base}/cut-xml", FeedState(), timeout=5, max_bytes=1_000_000)


def test_only_http_urls(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="only http"):
        poll_feed((tmp_path / "x.rss").as_uri(), FeedState(), timeout=1, max_bytes=10)


def test_backoff_after_failures_and_reset_after_a_good_poll(site: Site) -> None:
    from datetime import UTC, datetime, timedelta

    site.routes["/flaky"] = Route(b"down", "text/plain", status=503)
    state = FeedState(seen=["urn:1"])
    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    for expected_minutes in (5, 10, 20):
        with pytest.raises(FetchError) as caught:
            poll_feed(f"{site.base}/flaky", state, timeout=5, max_bytes=1_000_000)
        state = FeedState.from_json(state.failed(caught.value, now).to_json())
        assert state.seen == ["urn:1"] and "HTTP 503" in (state.last_error or "")
        assert not state.due(now + timedelta(minutes=expected_minutes) - timedelta(seconds=1))
        assert state.due(now + timedelta(minutes=expected_minutes))
    assert state.failures == 3
    site.routes["/flaky"] = Route(_atom([("urn:2", "t", "North Korea sent troops to Russia, Seoul said.")]))
    good = poll_feed(f"{site.base}/flaky", state, timeout=5, max_bytes=1_000_000)
    assert [r.text for r in good.reports] == ["North Korea sent troops to Russia, Seoul said."]
    assert (good.state.failures, good.state.retry_after, good.state.seen) == (0, None, ["urn:1", "urn:2"])
