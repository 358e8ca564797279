# Over 500 lines on purpose: one Watch whose jobs share its held detector, assessor and state.
"""The watch: one long-running loop over a :class:`Watchfloor` that keeps the store current.

Jobs, each on its own interval (``Settings.watch_schedule``), run one at a time in one thread:

- ``lists`` (only when ``Settings.watch_lists`` names some): download the official lists and swap
  them in atomically (a failed download keeps the previous version; the run records the error);
- ``ais_inbox``: take the AIS files dropped in the inbox (:mod:`watchfloor.watch.inbox`);
- ``detect``: detect maritime events when the AIS store or the lists changed since the last
  detection, reading only the time windows with new positions
  (:class:`~watchfloor.maritime.incremental.IncrementalDetector`) and writing only new or changed
  events;
- ``assess``: resolve (which links new names to the lists) and assess when the evidence changed
  since the last assessment, raising alerts: an :class:`~watchfloor.assess.assessment.IncrementalAssessor`
  held between runs takes what arrived since its last read (a full assessment after a start,
  a review or a maritime event changed in place);
- ``deliver``: send the alerts owed to subscriptions (:mod:`watchfloor.watch.delivery`).

A job that finds new input makes the next one due at once, so a planted file reaches a webhook in
one pass. Live NMEA streams (``Settings.watch_streams``) run in their own threads and write to the
AIS store, which the ``detect`` job then sees. Every run is recorded in ``watch_runs`` and logged
as a JSON line; a failing job is recorded and retried at its next time, never stopping the rest.
All state is in the store, so a restarted watch resumes where it stopped. One watch per store:
a lock file in ``data_dir`` keeps a second one out.

- ``feeds`` (only when ``Settings.watch_feeds`` names some), before ``assess``: poll each feed
  (:func:`watchfloor.sources.feeds.poll_feed`, a conditional GET), ingest its new items through
  ``Watchfloor.ingest_reports``, then keep its state under ``watch_state`` key ``feed:<url>``.
  The state is saved only after the items are stored, so a crash in between polls them again and
  the ingest (idempotent by content hash) stores nothing twice; a feed that fails keeps its state
  and the others go on.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import select, update

from watchfloor.assess.alerts import raise_alerts
from watchfloor.assess.assessment import Assessment, IncrementalAssessor
from watchfloor.errors import ConfigError, StoreError, WatchfloorError
from watchfloor.graph.resolve import rescreen_names
from watchfloor.maritime.detect import Detectors
from watchfloor.maritime.incremental import IncrementalDetector
from watchfloor.service.app import Watchfloor
from watchfloor.service.lists import loaded, update_lists
from watchfloor.service.maritime import list_index
from watchfloor.service.reports import feed_state_key, list_feeds
from watchfloor.service.screening import index_from_store
from watchfloor.service.users import Principal, Role
from watchfloor.settings import Settings
from watchfloor.sources.feeds import FeedState, poll_feed
from watchfloor.sources.lists.records import ListSource
from watchfloor.store.ais import POSITIONS, STATIC, AisStore, store_root
from watchfloor.store.maritime import save_events
from watchfloor.store.models import MaritimeEvent, WatchRun
from watchfloor.watch import state
from watchfloor.watch.delivery import Deliverer, DeliveryPolicy, SmtpServer
from watchfloor.watch.inbox import Inbox
from watchfloor.watch.log import log_event
from watchfloor.watch.stream import NmeaStream, StreamAddress, StreamCounters, StreamSink
from watchfloor.watch.subscriptions import load_subscriptions

if TYPE_CHECKING:
    from watchfloor.maritime.incremental import IncrementalDetector
    from watchfloor.maritime.links import VesselListIndex

WATCH = Principal("watch", Role.ANALYST)
"""Who the audit log says made the watch's writes."""

JOB_ORDER = ("ais_inbox", "detect", "assess", "deliver")
DEFAULT_INTERVALS = {
    "lists": 86400.0,
    "ais_inbox": 30.0,
    "detect": 300.0,
    "feeds": 900.0,
    "assess": 300.0,
    "deliver": 30.0,
}
STATIC_TABLES = ("alerts", "audit_log", "alert_deliveries", "delivery_attempts", "provenance", "api_users")
"""Tables whose rows the watch's own jobs write: not a sign of new evidence for ``assess``."""


@dataclass
class JobResult:
    """What a job did (JSON-ready counts) and whether it produced input for the jobs after it."""

    counts: dict[str, Any]
    changed: bool = False
    error: str | None = None  # a part failed (one list of several): the run is recorded as failed


@dataclass
class Job:
    """One scheduled step: a name, seconds between runs, what to run, which job its output feeds."""

    name: str
    interval_s: float
    run: Callable[[], JobResult]
    feeds: str | None = None
    next_due: float = 0.0


def ais_fingerprint(data_dir: Path) -> dict[str, Any]:
    """Parts, bytes and newest change time of the AIS store: equal means nothing new to detect."""
    root = store_root(data_dir)
    parts = total = newest = 0
    for kind in (POSITIONS, STATIC):
        for part in (root / kind).glob("day=*/*.parquet"):
            info = part.stat()
            parts += 1
            total += info.st_size
            newest = max(newest, info.st_mtime_ns)
    return {"parts": parts, "bytes": total, "newest_ns": newest}


class WatchLock:
    """An exclusive lock file so that two watches never work on one store."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise StoreError(f"another watch is running on this store (lock {self.path} is held)") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


class Watch:
    """The watch over one :class:`Watchfloor`: its jobs, its streams and its state."""

    def __init__(self, service: Watchfloor, settings: Settings | None = None) -> None:
        self.service = service
        self.settings = settings or service.settings
        self.data_dir = Path(self.settings.data_dir)
        inbox = self.settings.watch_inbox or self.data_dir / "ais_inbox"
        self.inbox = Inbox(inbox, service.store, self.data_dir, self.settings.watch_settle_s)
        self.deliverer = Deliverer(
            service.store,
            load_subscriptions(self.settings.watch_subscriptions_file),
            DeliveryPolicy(
                attempts=self.settings.watch_delivery_attempts,
                backoff_s=self.settings.watch_delivery_backoff_s,
                backoff_max_s=self.settings.watch_delivery_backoff_max_s,
                timeout_s=self.settings.watch_delivery_timeout_s,
            ),
            SmtpServer(
                self.settings.watch_smtp_host,
                self.settings.watch_smtp_port,
                self.settings.watch_smtp_from,
                self.settings.watch_smtp_starttls,
            ),
        )
        self._subscriptions_seen = self._subscriptions_stamp()
        self.addresses = [StreamAddress.parse(url) for url in self.settings.watch_streams]
        self.streams: list[NmeaStream] = []
        intervals = {**DEFAULT_INTERVALS, **self.settings.watch_schedule}
        self.jobs: dict[str, Job] = {}
        try:
            self.list_sources = [ListSource(name) for name in self.settings.watch_lists]
        except ValueError as exc:
            known = ", ".join(s.value for s in ListSource)
            raise ConfigError(f"watch_lists: {exc} (known: {known})") from None
        if self.list_sources:
            self.add_job(Job("lists", float(intervals["lists"]), self._lists_job, "detect"))
        for name, run, feeds in (
            ("ais_inbox", self._inbox_job, "detect"),
            ("detect", self._detect_job, "assess"),
            ("assess", self._assess_job, "deliver"),
            ("deliver", self._deliver_job, None),
        ):
            self.add_job(Job(name, float(intervals[name]), run, feeds))
        if self.settings.watch_feeds or list_feeds(service.store):  # also those added with `feeds add`
            self.add_job(Job("feeds", float(intervals["feeds"]), self._feeds_job, "assess"), before="assess")
        self.stop_event = threading.Event()
        self.running = False
        self._lock = WatchLock(self.data_dir / "watch.lock")
        self._detector: IncrementalDetector | None = None
        self._saved_events: dict[str, str] = {}
        self._list_index: tuple[list[str], VesselListIndex] | None = None
        self._assessor: IncrementalAssessor | None = None
        self._since: datetime | None = None
        self._assessed_reviews = -1
        self._assess_full = False

    def add_job(self, job: Job, before: str | None = None) -> None:
        """Schedule one more job (run before ``before`` in a pass, or last)."""
        items = list(self.jobs.items())
        at = next((i for i, (name, _) in enumerate(items) if name == before), len(items))
        items.insert(at, (job.name, job))
        self.jobs = dict(items)

    # --- jobs -----------------------------------------------------------------------------------

    def _lists_job(self) -> JobResult:
        outcome = update_lists(
            self.service.store,
            self.list_sources,
            folder=self.data_dir / "lists",
            timeout=self.settings.http_timeout_s,
            base_url=self.settings.watch_lists_base_url,
        )
        updated = [r.source for r in outcome.results]
        failed = [e["source"] for e in outcome.errors]
        if updated:
            self.service.audit(WATCH, "lists.update", ", ".join(updated), {"failed": failed})
        error = "; ".join(f"{e['source']}: {e['error']}" for e in outcome.errors) or None
        new = [r.source for r in outcome.results if r.created]  # a version already loaded is no change
        return JobResult({"updated": updated, "new_versions": new, "failed": failed}, bool(new), error)

    def _feeds_job(self) -> JobResult:
        counts: dict[str, Any] = {
            "feeds": 0,
            "not_modified": 0,
            "new_items": 0,
            "stored": 0,
            "item_errors": 0,
        }
        errors: list[str] = []
        for feed in list_feeds(self.service.store, self.settings.watch_feeds):
            url, key = feed.url, feed_state_key(feed.url)
            with self.service.session() as session:
                saved = state.get_state(session, key)
            try:
                poll = poll_feed(
                    url,
                    FeedState.from_json(saved.get("state")),
                    timeout=self.settings.http_timeout_s,
                    max_bytes=int(self.settings.watch_feed_max_mib * 2**20),
                    source=feed.source,
                )
            except WatchfloorError as exc:  # this feed is down or broken; its state stays, others go on
                errors.append(str(exc))
                log_event("feed.failed", level=40, url=url, error=str(exc))
                continue
            counts["feeds"] += 1
            counts["not_modified"] += int(poll.not_modified)
            counts["new_items"] += len(poll.reports)
            counts["item_errors"] += len(poll.errors)
            if poll.reports:
                outcome = self.service.ingest_reports(poll.reports, WATCH, grade=feed.grade)
                counts["stored"] += int(outcome.summary()["stored"])
            with self.service.session() as session:
                state.put_state(
                    session,
                    key,
                    {
                        "state": poll.state.to_json(),
                        "status": poll.status,
                        "item_errors": [str(e) for e in poll.errors],
                    },
                )
            log_event("feed.polled", url=url, status=poll.status, new_items=len(poll.reports))
        return JobResult(counts, counts["stored"] > 0, "; ".join(errors) or None)

    def _inbox_job(self) -> JobResult:
        def ingest(path: Path) -> dict[str, Any]:
            (result,) = self.service.ingest_ais([path], WATCH)
            summary: dict[str, Any] = result.as_dict()
            return summary

        outcome = self.inbox.sweep(ingest)
        return JobResult(outcome.counts(), outcome.new_data or bool(outcome.resumed))

    def _lists_stamp(self) -> list[str]:
        """The active list versions: a change means vessels must be linked to the lists again."""

        return sorted(f"{item.source}:{item.version_id}" for item in loaded(self.service.store))

    def _detect_job(self) -> JobResult:
        """Detection on what changed: only the time windows with new positions are read again
        (:class:`~watchfloor.maritime.incremental.IncrementalDetector`, equal to a full pass), and
        only new or changed events are written. A list change links every event again."""

        fingerprint = ais_fingerprint(self.data_dir)
        lists = self._lists_stamp()
        with self.service.session() as session:
            last = state.get_state(session, "detect")
        if fingerprint["parts"] == 0 or (
            last.get("fingerprint") == fingerprint and last.get("lists") == lists
        ):
            return JobResult({"skipped": True, "parts": fingerprint["parts"]})
        if self._detector is None:
            self._detector = IncrementalDetector(AisStore(self.data_dir), Detectors.load())
            self._saved_events = stored_event_digests(self.service)
        if self._list_index is None or self._list_index[0] != lists:
            self._list_index = (lists, list_index(self.service.store))
        run = self._detector.update(self._list_index[1])
        digests = {event.id: event_digest(event.to_dict()) for event in run.result.events}
        write = [e for e in run.result.events if self._saved_events.get(e.id) != digests[e.id]]
        updated = sum(1 for e in write if e.id in self._saved_events)
        if write:
            save_events(self.service.store, write)
            self._saved_events.update((e.id, digests[e.id]) for e in write)
        if updated:
            self._assess_full = True  # a stored maritime event changed in place: reassess in full
        counts = {
            "events": len(run.result.events),
            "new": len(write) - updated,
            "updated": updated,
            **run.counts(),
            **run.result.counts,
        }
        self.service.audit(WATCH, "ais.detect", f"{len(run.result.events)} events", {"counts": counts})
        with self.service.session() as session:
            state.put_state(
                session,
                "detect",
                {"fingerprint": fingerprint, "lists": lists, "events": len(run.result.events)},
            )
        return JobResult(counts, bool(write) or last.get("lists") != lists)

    def _evidence_fingerprint(self) -> dict[str, Any]:
        counts = {
            k: v for k, v in self.service.counts().items() if k not in STATIC_TABLES and "watch" not in k
        }
        with self.service.session() as session:
            detected = state.get_state(session, "detect").get("fingerprint")
        return {"counts": counts, "detect": detected}

    def _assess_job(self) -> JobResult:
        fingerprint = self._evidence_fingerprint()
        with self.service.session() as session:
            last = state.get_state(session, "assess")
        if last.get("fingerprint") == fingerprint:
            return JobResult({"skipped": True})
        self.service.resolve()  # links new names and vessels (to the lists when they are loaded)
        rescreen = self._rescreen()
        assessment, mode = self._assessment()
        with self.service.session() as session:
            raised = [a.title for a in raise_alerts(session, assessment)]
        fingerprint = self._evidence_fingerprint()  # resolution may have merged entities
        stage = assessment.current_stage
        with self.service.session() as session:
            state.put_state(session, "assess", {"fingerprint": fingerprint, "stage": stage.level})
        for title in raised:
            log_event("alert.raised", title=title)
        counts = {
            "stage": stage.level,
            "stage_name": stage.name,
            "alerts_raised": len(raised),
            "mode": mode,
            "indicators_recomputed": len(self._assessor.recomputed) if self._assessor else 0,
            **rescreen,
        }
        return JobResult(counts, True)

    def _rescreen(self) -> dict[str, int]:
        """After a list changed, the report names no list matched are screened again against
        the new versions (:func:`watchfloor.graph.resolve.rescreen_names`). The versions screened
        are kept under ``watch_state`` ``rescreen`` after the merges are stored, so a crash in
        between screens them again (a merge already made is not made twice)."""

        lists = self._lists_stamp()
        with self.service.session() as session:
            done = state.get_state(session, "rescreen").get("lists")
        if not lists or done == lists:
            return {}
        index = index_from_store(self.service.store)
        with self.service.session() as session:
            report = rescreen_names(session, index)
        with self.service.session() as session:
            state.put_state(session, "rescreen", {"lists": lists, "merges": report.merges_made})
        log_event("names.rescreened", lists=lists, merges=report.merges_made)
        return {"names_rescreened_merges": report.merges_made}

    def _assessment(self) -> tuple[Assessment, str]:
        """The assessment now: the held :class:`IncrementalAssessor` brought up to date with what
        arrived since its last read, or a full one when that cannot be exact (first run after a
        start, a review, a maritime event changed in place, or rows the delta missed)."""
        counts = self.service.counts()
        read_at = state.now()  # before reading: what is stored while we read is in the next delta
        reviews = counts.get("reviews", 0)
        mode = "incremental"
        assessor = self._assessor
        if assessor is None or self._assess_full or reviews != self._assessed_reviews or self._since is None:
            mode = "full"
        else:
            with self.service.session() as session:
                assessment = assessor.update_from_store(session, self._since)
            if not _holds_all(assessment, counts):
                mode = "full (the delta missed rows)"
        if mode != "incremental":
            with self.service.session() as session:
                assessor = IncrementalAssessor.from_store(session)
        assert assessor is not None
        self._assessor, self._since, self._assessed_reviews = assessor, read_at, reviews
        self._assess_full = False
        return assessor.assessment, mode

    @property
    def assessment(self) -> Assessment | None:
        """The assessment the ``assess`` job holds (None before its first run in this process)."""
        return self._assessor.assessment if self._assessor is not None else None

    def _subscriptions_stamp(self) -> int | None:
        path = self.settings.watch_subscriptions_file
        try:
            return path.stat().st_mtime_ns if path is not None else None
        except OSError:
            return None

    def _deliver_job(self) -> JobResult:
        stamp = self._subscriptions_stamp()
        if stamp != self._subscriptions_seen:  # the file was edited: take it in without a restart
            subscriptions = load_subscriptions(self.settings.watch_subscriptions_file)
            self.deliverer.subscriptions = {s.name: s for s in subscriptions}
            self._subscriptions_seen = stamp
            log_event("deliver.subscriptions", names=sorted(self.deliverer.subscriptions))
        counts = self.deliverer.run()
        return JobResult(counts.as_dict(), False)

    # --- running --------------------------------------------------------------------------------

    def run_job(self, job: Job) -> JobResult | None:
        """Run ``job`` once, recording the run; an exception is the run's error, not the watch's."""
        try:
            with self.service.session() as session:
                run_id = state.begin_run(session, job.name)
        except StoreError as exc:  # the store is away (a PostgreSQL restart): try at the next time
            log_event("job.not_started", level=40, job=job.name, error=str(exc))
            return None
        started = time.monotonic()
        try:
            result = job.run()
        except Exception as exc:  # one failed run is recorded and logged; the watch goes on
            error = f"{type(exc).__name__}: {exc}"
            try:
                with self.service.session() as session:
                    state.end_run(session, run_id, {}, error)
            except StoreError as store_exc:
                log_event("job.not_recorded", level=40, job=job.name, error=str(store_exc))
            log_event("job.failed", level=40, job=job.name, error=error)
            return None
        with self.service.session() as session:
            state.end_run(session, run_id, result.counts, result.error)
        seconds = round(time.monotonic() - started, 3)
        if result.error is not None:
            log_event("job.partly_failed", level=40, job=job.name, error=result.error, **result.counts)
        else:
            log_event("job.done", job=job.name, seconds=seconds, **result.counts)
        return result

    def _close_interrupted(self) -> int:
        """Runs a crash left open (``ok`` null) are marked as interrupted."""
        with self.service.session() as session:
            done = session.execute(
                update(WatchRun)
                .where(WatchRun.ok.is_(None))
                .values(
                    ok=False, finished_at=state.now(), error="interrupted: the watch stopped during this run"
                )
            )
            return int(getattr(done, "rowcount", 0) or 0)

    def run_once(self) -> dict[str, JobResult | None]:
        """Every job one time, in order (what ``watchfloor watch --once`` and tests use)."""
        self._lock.acquire()
        try:
            interrupted = self._close_interrupted()
            if interrupted:
                log_event("watch.resumed", interrupted_runs=interrupted)
            return {name: self.run_job(job) for name, job in self.jobs.items()}
        finally:
            self._lock.release()

    def _save_stream(self, counters: StreamCounters) -> None:
        try:
            with self.service.session() as session:
                state.put_state(session, f"stream:{counters.url}", counters.as_dict())
        except StoreError as exc:
            log_event("stream.state_error", level=30, url=counters.url, error=str(exc))

    def start_streams(self) -> None:
        """Start a reader thread for each configured stream."""
        for address in self.addresses:
            sink = StreamSink(
                address,
                self.data_dir,
                batch=self.settings.watch_stream_batch,
                flush_s=self.settings.watch_stream_flush_s,
                on_flush=self._save_stream,
            )
            stream = NmeaStream(
                address,
                sink,
                reconnect_s=self.settings.watch_reconnect_s,
                reconnect_max_s=self.settings.watch_reconnect_max_s,
            )
            stream.start()
            self.streams.append(stream)

    def run_forever(self, *, locked: bool = False) -> None:
        """Run the jobs on their schedule (and the streams) until :meth:`stop` is called.

        ``locked``: the caller already holds the watch lock (:meth:`start_background`).
        """
        if not locked:
            self._lock.acquire()
        self.running = True
        try:
            interrupted = self._close_interrupted()
            log_event(
                "watch.start",
                jobs={j.name: j.interval_s for j in self.jobs.values()},
                streams=[a.url for a in self.addresses],
                interrupted_runs=interrupted,
            )
            self.start_streams()
            while not self.stop_event.is_set():
                for job in list(self.jobs.values()):
                    if self.stop_event.is_set():
                        break
                    if time.monotonic() < job.next_due:
                        continue
                    result = self.run_job(job)
                    job.next_due = time.monotonic() + job.interval_s
                    if result is not None and result.changed and job.feeds in self.jobs:
                        self.jobs[job.feeds].next_due = 0.0
                wake = min(job.next_due for job in self.jobs.values())
                self.stop_event.wait(max(0.0, min(wake - time.monotonic(), 1.0)))
        finally:
            for stream in self.streams:
                stream.close()
                self._save_stream(stream.counters)
            self.streams.clear()
            self.running = False
            self._lock.release()
            log_event("watch.stop")

    def stop(self) -> None:
        """Ask :meth:`run_forever` to finish the job under way and return."""
        self.stop_event.set()

    def start_background(self) -> threading.Thread:
        """Run the watch in a daemon thread (``watchfloor serve --watch``)."""
        self._lock.acquire()  # here, so that a second watch on the store fails at once, loudly
        thread = threading.Thread(
            target=self.run_forever, kwargs={"locked": True}, name="watchfloor watch", daemon=True
        )
        thread.start()
        return thread

    def status(self) -> dict[str, Any]:
        """The stored state, plus what only the running process knows (live stream counters)."""
        summary = watch_status(self.service)
        summary["running"] = self.running
        summary["inbox"] = str(self.inbox.folder)
        if self.running:
            live = {s.address.url: {**s.counters.as_dict(), "alive": s.alive} for s in self.streams}
            summary["streams"] = live or summary["streams"]
            now = time.monotonic()
            summary["next_due_s"] = {j.name: round(max(0.0, j.next_due - now), 1) for j in self.jobs.values()}
        return summary


def _holds_all(assessment: Assessment, counts: dict[str, int]) -> bool:
    """Whether an assessment read every claim and maritime event the store held before it read."""
    seen = assessment.counts
    claims = seen["claims"] + seen["synthetic_claims_ignored"]
    maritime = seen["maritime_events"] + seen["synthetic_maritime_ignored"]
    return claims >= counts.get("claims", 0) and maritime >= counts.get("maritime_events", 0)


def event_digest(data: Any) -> str:
    """A digest of a maritime event as stored (its JSON), to write only events that changed."""
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def stored_event_digests(service: Watchfloor) -> dict[str, str]:
    """The digest of every maritime event the store holds (what a restarted watch compares with)."""

    with service.session() as session:
        return {
            row.id: event_digest(row.data)
            for row in session.execute(select(MaritimeEvent.id, MaritimeEvent.data))
        }


def watch_status(service: Watchfloor) -> dict[str, Any]:
    """The watch's state as the store records it (works with no watch running)."""
    with service.session() as session:
        summary = state.status(session)
    summary["running"] = False
    return summary
