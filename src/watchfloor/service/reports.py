"""Reports over a store: read files into reports, extract events and claims, store them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from watchfloor.assess.evidence import is_synthetic_document
from watchfloor.errors import InputError, WatchfloorError
from watchfloor.extract.records import Extraction
from watchfloor.extract.reports import extract_reports
from watchfloor.model.grades import SourceGrade
from watchfloor.sources.feeds import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, FeedPoll, FeedState, poll_feed
from watchfloor.sources.grades import source_table
from watchfloor.sources.reports import Report, read_many
from watchfloor.store import Store
from watchfloor.store.extractions import IngestResult, list_events, save_extraction
from watchfloor.store.models import Document
from watchfloor.watch.state import get_state, put_state


def read_batch(
    paths: Sequence[Path], when: date | None = None, source: str | None = None
) -> tuple[list[Report], list[InputError]]:
    """Read every file; reports with no source get one from the file name (``ap_...``) if known."""
    outcome = read_many(list(paths), when, source)
    table = source_table()
    reports = [
        r if r.source else replace(r, source=table.source_from_name(Path(r.origin.split("#")[0])))
        for r in outcome.reports
    ]
    return reports, outcome.errors


@dataclass
class ReportIngest:
    """What one batch of reports added to the store, and the files or items that were skipped."""

    results: list[IngestResult] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """Reports stored with no date or with an ungraded (F) source: said, never guessed."""
    irrelevant: list[str] = field(default_factory=list)
    """Reports stored without events because they are not about the watched states (relevance-v1)."""

    def summary(self) -> dict[str, Any]:
        return {
            "irrelevant": len(self.irrelevant),
            "warnings": list(self.warnings),
            "stored": sum(r.created for r in self.results),
            "already_stored": sum(not r.created for r in self.results),
            "events_new": sum(r.events_new for r in self.results),
            "events_merged": sum(r.events_merged for r in self.results),
            "claims": sum(r.claims for r in self.results),
            "errors": [str(e) for e in self.errors],
        }


def ingest_reports(
    store: Store,
    reports: Sequence[Report],
    *,
    processes: int = 1,
    progress: Callable[[], None] | None = None,
    grade: str | None = None,
    relevant_only: bool = False,
) -> ReportIngest:
    """Extract and store each report in its own transaction (a stored text is skipped, but takes
    the date, source and grade given this time: ``store.documents.save_report``).

    ``grade`` (A-F) overrides the source table's grade for every report of the batch, and the
    reliability of each of its claims, the same wherever it is shown. With ``relevant_only`` (the
    default for feeds), a report that is not about the watched states is stored with no events.
    """
    given = parse_grade(grade) if grade is not None else None
    outcome = ReportIngest()
    for report, extraction in zip(reports, extract_reports(list(reports), n_process=processes), strict=True):
        if given is not None:
            extraction = regraded(extraction, given)
        if relevant_only and not extraction.relevant:
            extraction = replace(extraction, events=[])
            outcome.irrelevant.append(f"{report.origin}: {extraction.relevance}")
        with store.session() as session:
            outcome.results.append(save_extraction(session, report, extraction))
        outcome.warnings.extend(_warnings(report, extraction))
        if progress is not None:
            progress()
    return outcome


def parse_grade(value: str) -> str:
    """An Admiralty source grade A-F, or a clear error."""
    try:
        return SourceGrade(value.strip().upper()).value
    except ValueError as exc:
        raise InputError("--grade", f"grade must be one of A-F, not {value!r}") from exc


def regraded(extraction: Extraction, grade: str) -> Extraction:
    """The extraction with its source grade, and every claim's reliability, set to ``grade``."""
    for event in extraction.events:
        for claim in event.claims:
            claim.reliability = grade
    return replace(extraction, source_grade=grade)


def _warnings(report: Report, extraction: Extraction) -> list[str]:
    found = []
    if report.published is None:
        found.append(f"{report.origin}: stored undated (no date given or found in the text); give --date")
    if extraction.source_grade == SourceGrade.F.value:
        who = extraction.source or report.source or "unknown source"
        found.append(f"{report.origin}: source {who!r} is ungraded (F); give --source or --grade")
    return found


def ingest_report_files(
    store: Store,
    paths: Sequence[Path],
    when: date | None = None,
    source: str | None = None,
    grade: str | None = None,
) -> ReportIngest:
    """Read and ingest report files; unreadable files are skipped and reported, the rest go on."""
    reports, errors = read_batch(paths, when, source)
    outcome = ingest_reports(store, reports, grade=grade)
    outcome.errors.extend(errors)
    return outcome


@dataclass
class FeedIngest:
    """One feed polled and its new items ingested; ``state`` is what to keep for the next poll."""

    poll: FeedPoll
    ingest: ReportIngest

    @property
    def state(self) -> FeedState:
        return self.poll.state


def ingest_feed(
    store: Store,
    url: str,
    state: FeedState | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    source: str | None = None,
    grade: str | None = None,
    relevant_only: bool = True,
) -> FeedIngest:
    """Poll one feed (:func:`watchfloor.sources.feeds.poll_feed`) and ingest its new items.

    Raises what ``poll_feed`` raises (``FetchError``, ``InputError``) for a feed that cannot be
    read; the caller keeps the old state then, and goes on with its other feeds. Items are stored
    before the new state is returned, so an item is never marked seen without being stored. Items
    not about the watched states are stored with no events (``relevant_only``).
    """
    poll = poll_feed(url, state, timeout=timeout, max_bytes=max_bytes, source=source)
    outcome = (
        ingest_reports(store, poll.reports, grade=grade, relevant_only=relevant_only)
        if poll.reports
        else ReportIngest()
    )
    outcome.errors.extend(poll.errors)
    return FeedIngest(poll, outcome)


def events(store: Store, event_type: str | None = None, since: date | None = None) -> list[dict[str, Any]]:
    """Stored events with their claims; each claim, and each event told only by such claims, says
    whether it comes from a synthetic document (``synthetic``), for the faces' SYNTHETIC label."""
    with store.session() as session:
        rows = list_events(session, event_type, since)
        synthetic: dict[str, bool] = {}
        for row in rows:
            for claim in row["claims"]:
                doc_id = claim["document"]
                if doc_id not in synthetic:
                    doc = session.get(Document, doc_id)
                    synthetic[doc_id] = doc is not None and is_synthetic_document(doc.meta, doc.origin)
                claim["synthetic"] = synthetic[doc_id]
            row["synthetic"] = bool(row["claims"]) and all(c["synthetic"] for c in row["claims"])
        return rows


# --- watched feeds --------------------------------------------------------------------------------

FEEDS_KEY = "feeds.added"
"""``watch_state`` key of the feeds added with ``watchfloor feeds add`` (those in settings are not stored)."""


def feed_state_key(url: str) -> str:
    """``watch_state`` key of one feed's poll state; the same key as the watch's feeds job, so a
    ``feeds poll`` and the running watch share what each feed has already given."""
    return f"feed:{url}"


@dataclass
class Feed:
    """One watched feed: where it is, who publishes it, and what its last polls left."""

    url: str
    source: str | None = None
    grade: str | None = None
    added: str | None = None
    origin: str = "store"
    """``store`` (added with ``feeds add``) or ``settings`` (``watch_feeds``)."""
    state: FeedState = field(default_factory=FeedState)

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "source": self.source,
            "grade": self.grade,
            "added": self.added,
            "origin": self.origin,
            "last_polled": self.state.last_polled,
            "items_seen": len(self.state.seen),
            "failures": self.state.failures,
            "last_error": self.state.last_error,
            "retry_after": self.state.retry_after,
        }


def check_feed_url(url: str) -> str:
    """``url`` stripped, or an error naming it: only http(s) URLs with a host can be polled."""

    value = url.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(value or "(empty)", "a feed must be an http:// or https:// URL with a host")
    return value


def add_feed(
    store: Store, url: str, source: str | None = None, grade: str | None = None
) -> tuple[Feed, bool]:
    """Store a feed to watch; ``(feed, added)`` where ``added`` is False for one already stored
    (whose source and grade are then updated when given)."""

    url = check_feed_url(url)
    given = parse_grade(grade) if grade is not None else None
    with store.session() as session:
        stored = get_state(session, FEEDS_KEY).get("feeds") or []
        entries = [dict(e) for e in stored]
        current = next((e for e in entries if e["url"] == url), None)
        added = current is None
        if current is None:
            current = {"url": url, "added": datetime.now(UTC).isoformat(timespec="seconds")}
            entries.append(current)
        if source is not None:
            current["source"] = source
        if given is not None:
            current["grade"] = given
        put_state(session, FEEDS_KEY, {"feeds": entries})
    return Feed(current["url"], current.get("source"), current.get("grade"), current.get("added")), added


def remove_feed(store: Store, url: str) -> bool:
    """Stop watching a stored feed (its items stay stored); False when it was not stored."""

    with store.session() as session:
        entries = [dict(e) for e in get_state(session, FEEDS_KEY).get("feeds") or []]
        kept = [e for e in entries if e["url"] != url.strip()]
        if len(kept) == len(entries):
            return False
        put_state(session, FEEDS_KEY, {"feeds": kept})
    return True


def list_feeds(store: Store, settings_feeds: Sequence[str] = ()) -> list[Feed]:
    """The feeds in settings and those stored, each once (settings first), with their poll state."""

    with store.session() as session:
        stored = get_state(session, FEEDS_KEY).get("feeds") or []
        feeds = [Feed(url, origin="settings") for url in dict.fromkeys(settings_feeds)]
        known = {f.url for f in feeds}
        for entry in stored:
            if entry["url"] in known:
                continue
            feeds.append(Feed(entry["url"], entry.get("source"), entry.get("grade"), entry.get("added")))
            known.add(entry["url"])
        for feed in feeds:
            feed.state = FeedState.from_json(get_state(session, feed_state_key(feed.url)).get("state"))
    return feeds


@dataclass
class FeedOutcome:
    """What one poll of one feed did: ``status`` is ``ok``, ``not_modified``, ``failed`` or
    ``backing_off`` (not polled: inside the backoff of earlier failures)."""

    url: str
    status: str
    http_status: int | None = None
    new_items: int = 0
    ingest: ReportIngest = field(default_factory=ReportIngest)
    item_errors: list[str] = field(default_factory=list)
    error: str | None = None
    retry_after: str | None = None

    def as_dict(self) -> dict[str, Any]:
        summary = self.ingest.summary()
        return {
            "url": self.url,
            "status": self.status,
            "http_status": self.http_status,
            "new_items": self.new_items,
            "stored": summary["stored"],
            "already_stored": summary["already_stored"],
            "events_new": summary["events_new"],
            "events_merged": summary["events_merged"],
            "irrelevant": summary["irrelevant"],
            "item_errors": list(self.item_errors),
            "error": self.error,
            "retry_after": self.retry_after,
        }


def poll_feeds(
    store: Store,
    feeds: Sequence[Feed],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    force: bool = False,
) -> list[FeedOutcome]:
    """Poll each feed once and ingest its new items (:func:`ingest_feed`), one feed at a time.

    A feed that fails (HTTP error, timeout, over the size cap, unreadable) is reported in its
    outcome and its state keeps what it had seen, with the failure counted for backoff; the other
    feeds go on. A failing feed is skipped until its backoff ends unless ``force``. The new state
    is saved only after the feed's items are stored, so an item is never marked seen unstored.
    """

    outcomes: list[FeedOutcome] = []
    for feed in feeds:
        key = feed_state_key(feed.url)
        with store.session() as session:
            saved = get_state(session, key)
        state = FeedState.from_json(saved.get("state"))
        if not force and not state.due():
            outcomes.append(
                FeedOutcome(feed.url, "backing_off", error=state.last_error, retry_after=state.retry_after)
            )
            continue
        try:
            done = ingest_feed(
                store,
                feed.url,
                state,
                timeout=timeout,
                max_bytes=max_bytes,
                source=feed.source,
                grade=feed.grade,
            )
        except WatchfloorError as exc:  # this feed is down or broken: say so, keep its state, go on
            failed = state.failed(exc)
            with store.session() as session:
                put_state(session, key, {**saved, "state": failed.to_json(), "status": None})
            outcomes.append(FeedOutcome(feed.url, "failed", error=str(exc), retry_after=failed.retry_after))
            continue
        item_errors = [str(e) for e in done.poll.errors]
        with store.session() as session:
            put_state(
                session,
                key,
                {"state": done.state.to_json(), "status": done.poll.status, "item_errors": item_errors},
            )
        outcomes.append(
            FeedOutcome(
                feed.url,
                "not_modified" if done.poll.not_modified else "ok",
                done.poll.status,
                len(done.poll.reports),
                done.ingest,
                item_errors,
            )
        )
    return outcomes
