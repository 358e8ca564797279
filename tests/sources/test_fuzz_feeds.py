"""Fuzzing the feeds reader over real HTTP (``poll_feed``: RSS, Atom, an HTML article page).

A loopback ``http.server`` answers with a damaged copy of a real seed (``tests/fuzzing.py``
mutations) under a Content-Type drawn from the real ones and some wrong ones (an unknown charset,
UTF-16, none). The invariant: a ``FeedPoll`` whose reports have text and whose item errors name
the feed's URL — or a ``WatchfloorError`` naming it; never another exception, never a hang.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import PER_INPUT_SECONDS, fuzz_settings, mutate, mutations
from tests.sources.test_feeds import _atom
from watchfloor.errors import InputError, WatchfloorError
from watchfloor.sources.feeds import poll_feed
from watchfloor.sources.reports import Report

FIXTURES = Path(__file__).resolve().parents[1] / "extract" / "fixtures"
FOUNDING = Path(__file__).resolve().parents[2] / "src" / "watchfloor" / "data" / "reports"


def seeds() -> dict[str, bytes]:
    founding = next(FOUNDING.glob("*.txt")).read_text(encoding="utf-8")
    return {
        "rss": (FIXTURES / "feed_2024-11.rss").read_bytes(),
        "html": (FIXTURES / "article_2024-11-04.html").read_bytes(),
        "atom": _atom(
            [("urn:ap:1", "DPRK troops in Kursk", founding[:3000]), ("urn:ap:2", "Second", "Text.")]
        ),
    }


SEEDS = seeds()
CONTENT_TYPES = [
    "application/rss+xml; charset=utf-8",
    "application/atom+xml",
    "text/html; charset=utf-8",
    "text/html; charset=x-unknown",
    "text/html; charset=utf-16",
    "text/xml; charset=latin-1",
    "",
]


class Served:
    body = b""
    content_type = ""


@pytest.fixture(scope="module")
def feed_url() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            if Served.content_type:
                self.send_header("Content-Type", Served.content_type)
            self.send_header("Content-Length", str(len(Served.body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(Served.body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/feed"
    finally:
        server.shutdown()
        server.server_close()


def check_poll(url: str, body: bytes, content_type: str) -> list[Report]:
    Served.body, Served.content_type = body, content_type
    started = time.monotonic()
    reports: list[Report] = []
    try:
        poll = poll_feed(url, timeout=PER_INPUT_SECONDS)
        for report in poll.reports:
            assert isinstance(report, Report) and report.text.strip(), "a report without text"
            reports.append(report)
        for error in poll.errors:
            assert isinstance(error, InputError) and url in str(error), f"item error without the URL: {error}"
    except WatchfloorError as error:
        assert url in str(error), f"error does not name the feed: {error}"
    assert time.monotonic() - started < PER_INPUT_SECONDS, "polling took too long"
    return reports


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_the_seeds_read_cleanly(feed_url: str, kind: str) -> None:
    content_type = {"rss": CONTENT_TYPES[0], "atom": CONTENT_TYPES[1], "html": CONTENT_TYPES[2]}[kind]
    assert check_poll(feed_url, SEEDS[kind], content_type), f"the {kind} seed gave no reports"


@fuzz_settings
@given(kind=st.sampled_from(sorted(SEEDS)), steps=mutations, content_type=st.sampled_from(CONTENT_TYPES))
def test_mutated_feeds_over_http(feed_url: str, kind: str, steps: list, content_type: str) -> None:  # type: ignore[type-arg]
    check_poll(feed_url, mutate(SEEDS[kind], steps), content_type)
