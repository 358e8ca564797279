"""``Watchfloor``: one object over a store with the operations every face needs.

The CLI, the REST API, the web dashboard and the watch hold one of these and only parse and
present. Each operation lives in the module of its area (``service/lists.py``,
``service/reports.py``, ``service/maritime.py``, ``service/assessment.py``, ``service/queries.py``,
``service/users.py``); this class binds them to one store and one settings object, keeps the
screening index warm between calls, and records every write in the audit log.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from watchfloor.assess.assessment import Assessment
from watchfloor.assess.review import Decision
from watchfloor.errors import InputError, StoreError
from watchfloor.maritime.detect import DetectionResult
from watchfloor.report.write import BriefResult
from watchfloor.screen.index import ScreenIndex
from watchfloor.screen.score import Query, ScreenResult, screen_full
from watchfloor.service import assessment as assessment_ops
from watchfloor.service import lists as list_ops
from watchfloor.service import maritime as maritime_ops
from watchfloor.service import reports as report_ops
from watchfloor.service import sharing
from watchfloor.service.screening import index_from_store
from watchfloor.service.users import Principal, Role, authenticate, hash_key, record_audit
from watchfloor.settings import Settings, get_settings
from watchfloor.sources.reports import Report
from watchfloor.store import Store, open_store
from watchfloor.store.documents import count_rows
from watchfloor.store.engine import head_revision
from watchfloor.store.lists import LoadedList, LoadResult
from watchfloor.store.models import ListVersion

LOCAL = Principal("local", Role.ADMIN)
"""The person at the command line: the store's owner, cleared for everything."""


@dataclass
class _PendingAudit:
    """The audit record of the operation running in this thread, until a transaction carries it."""

    principal: Principal
    action: str
    target: str
    detail: dict[str, Any]
    committed: bool = False


_PENDING: ContextVar[_PendingAudit | None] = ContextVar("watchfloor_pending_audit", default=None)
_WROTE = "watchfloor_wrote"  # Session.info key: this transaction has written something


@event.listens_for(Session, "do_orm_execute")
def _note_dml(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "before_flush")
def _note_flush(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        session.info[_WROTE] = True


@event.listens_for(Session, "before_commit")
def _audit_with_the_write(session: Session) -> None:
    """The first transaction of an audited operation that writes carries its audit record, so a
    crash leaves both the change and its record, or neither (never a change without audit)."""
    pending = _PENDING.get()
    if pending is None or pending.committed:
        return
    if session.info.get(_WROTE) or session.new or session.dirty or session.deleted:
        record_audit(session, pending.principal, pending.action, pending.target, pending.detail)
        session.flush()
        session.info["watchfloor_audit"] = pending


@event.listens_for(Session, "after_commit")
def _audit_committed(session: Session) -> None:
    pending = session.info.pop("watchfloor_audit", None)
    if isinstance(pending, _PendingAudit):
        pending.committed = True
    session.info.pop(_WROTE, None)


@event.listens_for(Session, "after_rollback")
def _audit_rolled_back(session: Session) -> None:
    session.info.pop("watchfloor_audit", None)
    session.info.pop(_WROTE, None)


class Watchfloor:
    """The application over one store. Thread-safe for the API's worker threads."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or get_settings()
        self._index: ScreenIndex | None = None
        self._index_key: tuple[str, ...] = ()
        self._lock = threading.Lock()
        self._versions: tuple[float, list[ListVersion]] = (0.0, [])
        self._principals: dict[str, tuple[float, Principal | None]] = {}

    @classmethod
    def open(cls, url: str | None = None, settings: Settings | None = None) -> Watchfloor:
        """Open (and migrate) the store at ``url`` or the configured one."""
        settings = settings or get_settings()
        return cls(open_store(url or settings.database_url), settings)

    def close(self) -> None:
        self.store.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One read or write transaction on the store."""
        with self.store.session() as session:
            yield session

    def audit(
        self, principal: Principal, action: str, target: str, detail: dict[str, Any] | None = None
    ) -> None:
        """Record an action made on behalf of ``principal`` that wrote nothing else to the store (its
        own transaction). Store writes use :meth:`audited`, which joins the write's transaction."""
        with self.store.session() as session:
            record_audit(session, principal, action, target, detail)

    @contextmanager
    def audited(
        self, principal: Principal, action: str, target: str, detail: dict[str, Any] | None = None
    ) -> Iterator[None]:
        """Run a write with its audit record in the same transaction as the write (the first one that
        writes, when the operation has several). An operation that wrote nothing to the store (an
        AIS ingest goes to Parquet) still gets its record, in a transaction of its own afterwards."""
        pending = _PendingAudit(principal, action, target, detail or {})
        token = _PENDING.set(pending)
        try:
            yield
        finally:
            _PENDING.reset(token)
        if not pending.committed:
            self.audit(principal, action, target, pending.detail)

    # --- the store ------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """Whether the store answers, and at which schema revision."""
        try:
            with self.store.session() as session:
                revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except StoreError as exc:
            return {"status": "error", "store": None, "detail": str(exc)}
        return {"status": "ok", "store": revision, "schema_head": head_revision()}

    def counts(self) -> dict[str, int]:
        with self.store.session() as session:
            return count_rows(session)

    # --- lists and screening --------------------------------------------------------------------

    def load_lists(
        self,
        paths: Sequence[Path],
        principal: Principal = LOCAL,
        progress: Callable[[int], None] | None = None,
    ) -> list[LoadResult]:
        """Load list files (all or nothing) and make them the active versions."""
        with self.audited(
            principal, "lists.load", ", ".join(p.name for p in paths), {"files": [str(p) for p in paths]}
        ):
            return list_ops.load_lists(self.store, paths, progress)

    def loaded_lists(self) -> list[LoadedList]:
        return list_ops.loaded(self.store)

    def active_versions(self, max_age_s: float = 2.0) -> list[ListVersion]:
        """The active version of each list (no counts), read at most every ``max_age_s`` seconds."""
        fetched, versions = self._versions
        if time.monotonic() - fetched > max_age_s:
            with self.store.session() as session:
                query = select(ListVersion).where(ListVersion.active.is_(True)).order_by(ListVersion.source)
                versions = list(session.scalars(query))
            self._versions = (time.monotonic(), versions)
        return versions

    def authenticate(self, key: str, max_age_s: float = 5.0) -> Principal | None:
        """The principal of an API key; a lookup is reused for ``max_age_s`` seconds (so a disabled
        key stops working within that time)."""
        digest = hash_key(key)
        seen = self._principals.get(digest)
        if seen is not None and time.monotonic() - seen[0] <= max_age_s:
            return seen[1]
        with self.store.session() as session:
            principal = authenticate(session, key)
        if len(self._principals) > 10_000:
            self._principals.clear()
        self._principals[digest] = (time.monotonic(), principal)
        return principal

    def screen_index(self) -> ScreenIndex:
        """The index of the active lists, rebuilt only when a list version changes."""
        with self._lock:
            key = tuple(sorted(v.id for v in self.active_versions()))
            if self._index is None or key != self._index_key:
                self._index = index_from_store(self.store)
                self._index_key = key
            return self._index

    def screen(
        self,
        query: Query,
        *,
        threshold: float | None = None,
        limit: int = 10,
        candidates: int = 20,
        algorithm: str | None = None,
    ) -> ScreenResult:
        """Screen one query against the active lists, best first, with explanations.

        ``algorithm`` names the scorer (``watchfloor-name-v1``/``-v2``; None: the default) and
        ``threshold`` None takes that algorithm's calibrated threshold.
        """
        return screen_full(
            query,
            self.screen_index(),
            threshold=threshold,
            limit=limit,
            candidates=candidates,
            algorithm=algorithm,
        )

    # --- reports --------------------------------------------------------------------------------

    def ingest_reports(
        self,
        reports: Sequence[Report],
        principal: Principal = LOCAL,
        *,
        processes: int = 1,
        progress: Callable[[], None] | None = None,
        grade: str | None = None,
    ) -> report_ops.ReportIngest:
        """Extract and store reports with their events and claims (a stored text is skipped, but
        takes the date, source and ``grade`` given this time)."""
        detail = {"reports": [r.origin for r in reports], "grade": grade}
        with self.audited(principal, "ingest.reports", f"{len(reports)} reports", detail):
            return report_ops.ingest_reports(
                self.store, reports, processes=processes, progress=progress, grade=grade
            )

    def add_feed(
        self, url: str, principal: Principal = LOCAL, *, source: str | None = None, grade: str | None = None
    ) -> tuple[report_ops.Feed, bool]:
        """Watch a feed (stored); ``(feed, added)``: added is False when it was already watched."""
        feed, added = report_ops.add_feed(self.store, url, source, grade)
        self.audit(principal, "feeds.add", feed.url, {"added": added, "source": source, "grade": feed.grade})
        return feed, added

    def remove_feed(self, url: str, principal: Principal = LOCAL) -> bool:
        removed = report_ops.remove_feed(self.store, url)
        if removed:
            self.audit(principal, "feeds.remove", url.strip())
        return removed

    def feeds(self) -> list[report_ops.Feed]:
        """The watched feeds: ``watch_feeds`` in settings, then those added, with their poll state."""
        return report_ops.list_feeds(self.store, self.settings.watch_feeds)

    def poll_feeds(
        self, principal: Principal = LOCAL, *, urls: Sequence[str] = (), force: bool = False
    ) -> list[report_ops.FeedOutcome]:
        """Poll the watched feeds (or only ``urls`` among them, or given once) and ingest their new
        items; one outcome per feed, a failing feed never stopping the others. Timeout and size cap:
        ``feed_timeout_s`` and ``watch_feed_max_mib``."""
        watched = self.feeds()
        if urls:
            known = {f.url: f for f in watched}
            watched = [
                known.get(u) or report_ops.Feed(report_ops.check_feed_url(u), origin="given") for u in urls
            ]
        outcomes = report_ops.poll_feeds(
            self.store,
            watched,
            timeout=self.settings.feed_timeout_s,
            max_bytes=int(self.settings.watch_feed_max_mib * 2**20),
            force=force,
        )
        self.audit(
            principal,
            "feeds.poll",
            f"{len(outcomes)} feeds",
            {"feeds": [{k: o.as_dict()[k] for k in ("url", "status", "stored", "error")} for o in outcomes]},
        )
        return outcomes

    # --- AIS ------------------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    def ingest_ais(self, paths: Sequence[Path], principal: Principal = LOCAL) -> list[Any]:
        """Read AIS files into the Parquet store (files already ingested are skipped)."""
        files = maritime_ops.expand_ais_paths(paths)
        with self.audited(principal, "ingest.ais", f"{len(files)} files", {"files": [str(p) for p in files]}):
            return [maritime_ops.ingest_ais(p, self.data_dir) for p in files]

    def detect(
        self,
        principal: Principal = LOCAL,
        data_dir: Path | None = None,
        *,
        dask: str | None = None,
        workers: int = 0,
        progress: Callable[[int, int], None] | None = None,
    ) -> DetectionResult:
        """Detect maritime events over the whole Parquet store (``data_dir``, or the configured one;
        on a Dask cluster when asked) and save them with their list links."""
        folder = data_dir or self.data_dir
        with self.audited(principal, "ais.detect", str(folder), {"dask": dask, "workers": workers}):
            return maritime_ops.run_detection(self.store, folder, dask, workers, progress)

    # --- resolution, assessment, review, brief --------------------------------------------------

    def resolve(self) -> Any:
        return assessment_ops.resolve_store(self.store)

    def assess(
        self, as_of: date | None = None, *, alerts: bool = True, resolve: bool = False
    ) -> tuple[Assessment, list[str]]:
        """The assessment now (raising alerts) or as of a date (read-only)."""
        if resolve and as_of is None:
            self.resolve()
        return assessment_ops.assess_store(self.store, as_of, alerts=alerts)

    def review(
        self, subject_id: str, decision: Decision, why: str, principal: Principal = LOCAL
    ) -> assessment_ops.ReviewResult:
        """Confirm or reject an event or merge as ``principal``; the assessment is recomputed."""
        analyst = self.settings.analyst if principal is LOCAL else principal.user
        subject_id = assessment_ops.resolve_subject_id(self.store, subject_id)
        with self.audited(principal, "review", subject_id, {"decision": decision.value, "why": why}):
            return assessment_ops.review_subject(self.store, subject_id, decision, why, analyst)

    def brief(self, out: Path, as_of: date | None = None, *, pdf: bool = False) -> BriefResult:
        return assessment_ops.brief(self.store, out, as_of, pdf=pdf)

    # --- sharing --------------------------------------------------------------------------------

    def export(
        self, kind: str, out: Path, principal: Principal = LOCAL, *, level: str | None = None,
        since: date | None = None,
    ) -> Any:  # fmt: skip
        """Write a STIX 2.1 bundle (``kind="stix"``) or FtM JSON lines (``"ftm"``) for a partner level
        no higher than ``principal``'s; TLP:RED never leaves (see :mod:`watchfloor.service.sharing`)."""
        if kind == "stix":
            return sharing.export_stix_file(self.store, principal, out, level=level, since=since)
        if kind == "ftm":
            return sharing.export_ftm_file(self.store, principal, out, level=level, since=since)
        raise InputError("kind", f"unknown export format {kind!r} (stix or ftm)")

    def import_stix(self, path: Path, principal: Principal = LOCAL) -> Any:
        """Take a partner's STIX bundle in as graded claims (idempotent by STIX id and version)."""
        return sharing.import_stix_file(self.store, principal, path)

    # --- reading --------------------------------------------------------------------------------

    def read(self, query: Callable[..., Any], principal: Principal, *args: Any, **kwargs: Any) -> Any:
        """Run a :mod:`watchfloor.service.queries` function at ``principal``'s TLP clearance."""
        with self.store.reading() as session:  # a read never waits for a writer (SQLite WAL snapshot)
            return query(session, principal.tlp, *args, **kwargs)
