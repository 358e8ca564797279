"""Report ingest over a real store (issue 17's metadata items; issue 13's feed ingest): metadata
read or given is stored, re-ingest with a date, source or grade updates the stored document and
its claims, undated and ungraded reports are said so, and a polled feed stores each item once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from watchfloor.errors import FetchError, InputError
from watchfloor.service.reports import ingest_feed, ingest_report_files, ingest_reports
from watchfloor.sources.feeds import FeedState
from watchfloor.sources.reports import Report, read_reports
from watchfloor.store import open_store
from watchfloor.store.models import Claim, Document

FEED = Path(__file__).resolve().parents[1] / "extract" / "fixtures" / "feed_2024-11.rss"


def _founding_text(founding_report: Path) -> str:
    return read_reports(founding_report).reports[0].text


def test_plain_text_with_a_dateline_is_dated_and_sourced(tmp_path: Path, founding_report: Path) -> None:
    path = tmp_path / "wire.txt"
    path.write_text("SEOUL, Oct. 29, 2024 (AP) — " + _founding_text(founding_report), encoding="utf-8")
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    outcome = ingest_report_files(store, [path])
    assert outcome.errors == [] and outcome.warnings == []
    with store.session() as session:
        [document] = session.scalars(select(Document))
        assert (document.published, document.source_grade) == (date(2024, 10, 29), "B")
    store.close()


def test_reingest_with_date_source_and_grade_updates_document_and_claims(
    tmp_path: Path, founding_report: Path
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    bare = Report(text=_founding_text(founding_report), published=None, origin="pasted.txt")
    first = ingest_reports(store, [bare])
    assert any("undated" in w for w in first.warnings) and any("ungraded" in w for w in first.warnings)
    again = ingest_reports(
        store, [Report(bare.text, date(2024, 10, 29), "pasted.txt", source="Associated Press")], grade="c"
    )
    assert again.warnings == [] and again.summary()["already_stored"] == 1
    with store.session() as session:
        [document] = session.scalars(select(Document))
        assert (document.published, document.source, document.source_grade) == (
            date(2024, 10, 29),
            "Associated Press",
            "C",
        )
        grades = set(session.scalars(select(Claim.reliability).where(Claim.document_id == document.id)))
        assert grades == {"C"}
    with pytest.raises(InputError, match="A-F"):
        ingest_reports(store, [bare], grade="Z")
    store.close()


@pytest.fixture
def feed_server() -> Iterator[str]:
    body = FEED.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/down":
                self.send_error(500)
                return
            if self.headers.get("If-None-Match") == '"1"':
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", '"1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_feed_items_are_ingested_once_and_a_broken_feed_keeps_its_state(
    tmp_path: Path, feed_server: str
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    first = ingest_feed(store, f"{feed_server}/rss", FeedState(), timeout=5)
    assert first.ingest.summary()["stored"] == 2 and len(first.ingest.errors) == 2
    assert first.ingest.summary()["events_new"] > 0
    second = ingest_feed(store, f"{feed_server}/rss", first.state, timeout=5)
    assert second.poll.not_modified and second.ingest.results == []
    with pytest.raises(FetchError, match="HTTP 500"):
        ingest_feed(store, f"{feed_server}/down", FeedState(), timeout=5)
    with store.session() as session:
        assert len(list(session.scalars(select(Document)))) == 2
    store.close()


def test_a_report_not_about_the_watched_pair_stores_no_events(tmp_path: Path, shared_data: Path) -> None:
    """A real UN list narrative on an Al-Qaida entry (it names Russia once, in passing) against the
    founding report, both ingested with relevant_only."""
    import defusedxml.ElementTree as ET

    root = ET.parse(shared_data / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml").getroot()
    texts = {
        (e.findtext("REFERENCE_NUMBER") or "").strip(): " ".join((e.findtext("COMMENTS1") or "").split())
        for e in root.iter("INDIVIDUAL")
    }
    other = Report(text=texts["QDi.290"], published=date(2026, 2, 27), origin="un:QDi.290", source="UN")
    founding = read_reports(shared_data / "reports" / "ap_2024-10-29_dprk_troops_kursk.txt").reports[0]
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    outcome = ingest_reports(store, [other, founding], relevant_only=True)
    assert [line.split(":")[0:2] for line in outcome.irrelevant] == [["un", "QDi.290"]]
    assert "in passing" in outcome.irrelevant[0]
    with store.session() as session:
        assert len(list(session.scalars(select(Document)))) == 2
        documents = {c.document_id for c in session.scalars(select(Claim))}
        assert documents == {founding.content_hash}
    store.close()


def test_watched_feeds_take_only_new_items_and_keep_their_registration(tmp_path: Path) -> None:
    """``feeds add`` is stored once (a second add updates source and grade); a feed that gains an
    item between polls gives only that item; the state is kept under the watch's own key."""
    from xml.sax.saxutils import escape

    from watchfloor.service.reports import add_feed, feed_state_key, list_feeds, poll_feeds
    from watchfloor.watch.state import get_state

    items = [("urn:1", "North Korea has shipped artillery shells to Russia, Seoul said on Monday.")]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            entries = "".join(
                f"<entry><id>{i}</id><title>t</title><updated>2024-11-04T08:00:00Z</updated>"
                f"<content type='text'>{escape(t)}</content></entry>"
                for i, t in items
            )
            body = (
                "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Yonhap</title>"
                f"<id>urn:y</id><updated>2024-11-04T08:00:00Z</updated>{entries}</feed>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/atom"
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        assert add_feed(store, url, source="Yonhap News Agency")[1] is True
        again, added = add_feed(store, f" {url} ", grade="b")
        assert added is False and (again.source, again.grade) == ("Yonhap News Agency", "B")
        with pytest.raises(InputError, match="http"):
            add_feed(store, "ftp://example.org/feed")
        [feed] = list_feeds(store, [])
        [first] = poll_feeds(store, [feed], timeout=5)
        assert (first.status, first.new_items, first.ingest.summary()["stored"]) == ("ok", 1, 1)
        items.insert(0, ("urn:2", "Russia delivered air defence missiles to North Korea, Seoul said."))
        [second] = poll_feeds(store, list_feeds(store, []), timeout=5)
        assert (second.new_items, second.ingest.summary()["stored"]) == (1, 1)
        [third] = poll_feeds(store, list_feeds(store, []), timeout=5)
        assert (third.status, third.new_items) == ("ok", 0)
        with store.session() as session:
            assert len(list(session.scalars(select(Document)))) == 2
            assert {d.source_grade for d in session.scalars(select(Document))} == {"B"}
            saved = get_state(session, feed_state_key(url))
        assert '"urn:1"' in saved["state"] and '"urn:2"' in saved["state"]
    finally:
        store.close()
        server.shutdown()
        server.server_close()
