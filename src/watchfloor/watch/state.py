"""The watch's state in the store: runs of each job, named state, and the status summary.

Everything the watch needs to resume after a restart lives here (never in memory only): the
fingerprints that say whether detection or assessment has new input, the files taken from the
inbox, stream counters, and the deliveries owed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from watchfloor.store.models import AlertDelivery, DeliveryAttempt, WatchFile, WatchRun, WatchState


def now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """``moment`` as an aware UTC time (SQLite hands back naive ones)."""
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def begin_run(session: Session, job: str) -> int:
    """Record that ``job`` starts now; the run's id."""
    run = WatchRun(job=job, started_at=now(), counts={})
    session.add(run)
    session.flush()
    return run.id


def end_run(session: Session, run_id: int, counts: dict[str, Any], error: str | None = None) -> None:
    """Record the end of a run: its counts, and the error that stopped it (if any)."""
    run = session.get(WatchRun, run_id)
    if run is None:
        return
    run.finished_at = now()
    run.ok = error is None
    run.error = error
    run.counts = counts


def get_state(session: Session, key: str) -> dict[str, Any]:
    """The value stored under ``key`` (empty when never stored)."""
    row = session.get(WatchState, key)
    return dict(row.value or {}) if row is not None else {}


def put_state(session: Session, key: str, value: dict[str, Any]) -> None:
    """Store ``value`` under ``key`` (replacing what was there)."""
    row = session.get(WatchState, key)
    if row is None:
        session.add(WatchState(key=key, value=value, updated_at=now()))
    else:
        row.value = value
        row.updated_at = now()


def _run_view(run: WatchRun) -> dict[str, Any]:
    started, finished = aware(run.started_at), aware(run.finished_at)
    return {
        "job": run.job,
        "started_at": started.isoformat() if started else None,
        "finished_at": finished.isoformat() if finished else None,
        "ok": run.ok,
        "error": run.error,
        "counts": dict(run.counts or {}),
        "seconds": round((finished - started).total_seconds(), 3) if started and finished else None,
    }


def status(session: Session, errors: int = 10) -> dict[str, Any]:
    """The watch as the store records it: last run of each job, recent errors, and counts."""
    latest = select(WatchRun.job, func.max(WatchRun.id)).group_by(WatchRun.job)
    ids = [run_id for _, run_id in session.execute(latest)]
    runs = {run.job: _run_view(run) for run in session.scalars(select(WatchRun).where(WatchRun.id.in_(ids)))}
    failed_runs = session.scalars(
        select(WatchRun).where(WatchRun.ok.is_(False)).order_by(WatchRun.id.desc()).limit(errors)
    )
    failed_files = session.scalars(
        select(WatchFile)
        .where(WatchFile.state == "failed")
        .order_by(WatchFile.finished_at.desc())
        .limit(errors)
    )
    run_counts = dict(session.execute(select(WatchRun.job, func.count()).group_by(WatchRun.job)).all())
    files = dict(session.execute(select(WatchFile.state, func.count()).group_by(WatchFile.state)).all())
    deliveries = dict(
        session.execute(select(AlertDelivery.status, func.count()).group_by(AlertDelivery.status)).all()
    )
    attempts = session.scalar(select(func.count()).select_from(DeliveryAttempt)) or 0
    streams = {
        row.key.removeprefix("stream:"): dict(row.value or {})
        for row in session.scalars(select(WatchState).where(WatchState.key.like("stream:%")))
    }
    return {
        "jobs": runs,
        "runs": run_counts,
        "errors": [{"job": r.job, "at": _run_view(r)["finished_at"], "error": r.error} for r in failed_runs]
        + [{"job": "ais_inbox", "file": f.name, "error": f.error} for f in failed_files],
        "files": files,
        "deliveries": {**deliveries, "attempts": attempts},
        "streams": streams,
    }
