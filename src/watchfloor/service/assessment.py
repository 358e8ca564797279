"""Resolve, assess, raise alerts, review and brief over a store: the assessment's operations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from watchfloor.assess.alerts import AlertView, list_alerts, raise_alerts
from watchfloor.assess.assessment import Assessment, IncrementalAssessor, assess
from watchfloor.assess.review import AuditEntry, Decision, ReviewOutcome, audit_log, review
from watchfloor.errors import InputError, WatchfloorError
from watchfloor.graph.resolve import MergeView, ResolutionReport, list_merges, needs_screening, resolve
from watchfloor.report.write import BriefResult, write_brief
from watchfloor.screen.index import ScreenIndex
from watchfloor.service.screening import index_from_store
from watchfloor.store import Store
from watchfloor.store.models import Entity, Event


def _screen_index(store: Store) -> ScreenIndex | None:
    """The screening index of the loaded lists, or None when no list is loaded."""
    try:
        return index_from_store(store)
    except WatchfloorError:
        return None


def resolve_store(store: Store, *, with_lists: bool = True) -> ResolutionReport:
    """Resolve the store's entities (states, vessels, names), merging what is one actor."""
    with store.session() as session:
        wanted = with_lists and needs_screening(session)
    index = _screen_index(store) if wanted else None
    with store.session() as session:
        return resolve(session, index)


def assess_store(store: Store, as_of: date | None, *, alerts: bool = True) -> tuple[Assessment, list[str]]:
    """Assess the store; for a live assessment, raise (store) the alerts it calls for."""
    with store.session() as session:
        assessment = assess(session, as_of)
        raised = [a.title for a in raise_alerts(session, assessment)] if alerts and as_of is None else []
    return assessment, raised


def merges(store: Store) -> list[MergeView]:
    """The entity merges made by resolution, with their evidence."""
    with store.session() as session:
        return list_merges(session)


def alerts(store: Store, kind: str | None = None) -> list[AlertView]:
    """Stored alerts, newest first, with the evidence each rests on."""
    with store.session() as session:
        return list_alerts(session, kind)


@dataclass(frozen=True)
class ReviewResult:
    """A review decision and what it changed: the stage before and after, and new alerts."""

    review: ReviewOutcome
    analyst: str
    stage_before: dict[str, Any]
    stage_after: dict[str, Any]
    alerts_raised: list[str]
    audit_log: list[AuditEntry]


def resolve_subject_id(store: Store, given: str) -> str:
    """The full id of the event or entity that ``given`` names: the id itself, or a unique prefix of
    it or of its hex part (``034a40e8`` for ``event-034a40e8...``, as ``watchfloor events`` shows)."""
    given = given.strip()
    with store.session() as session:
        if session.get(Event, given) is not None or session.get(Entity, given) is not None:
            return given
        if len(given) < 6 or not all(ch.isalnum() or ch in "-_" for ch in given):
            return given
        found: set[str] = set()
        for model in (Event, Entity):
            for pattern in (f"{given}%", f"%-{given}%"):
                found.update(session.scalars(select(model.id).where(model.id.like(pattern)).limit(5)))
    if len(found) > 1:
        raise InputError("ID", f"{given!r} is the start of several ids: {', '.join(sorted(found)[:5])}")
    return found.pop() if found else given


def review_subject(store: Store, subject_id: str, decision: Decision, why: str, analyst: str) -> ReviewResult:
    """Confirm or reject an event or a merge (append-only), then reassess and raise alerts."""
    subject_id = resolve_subject_id(store, subject_id)
    # One transaction: the decision, the alerts it raises (and the audit record, Watchfloor.audited),
    # so a crash leaves all of them or none (found by the SIGKILL-after-each-commit trial).
    with store.session() as session:
        assessor = IncrementalAssessor.from_store(session)
        before = assessor.assessment.current_stage
        outcome = review(session, subject_id, decision, why, analyst)
        if outcome.subject_kind == "event":
            # Only the indicators the reviewed events match are recomputed (equal to a full assessment).
            after = assessor.review(outcome.affected, decision.event_status)
        else:
            session.flush()
            after = assess(session, None)
        raised = [a.title for a in raise_alerts(session, after)]
    with store.session() as session:
        log = audit_log(session, subject_id)
    stage = after.current_stage
    return ReviewResult(
        outcome,
        analyst,
        {"level": before.level, "name": before.name},
        {"level": stage.level, "name": stage.name},
        raised,
        log,
    )


def reviews(store: Store, subject_id: str | None = None) -> list[AuditEntry]:
    """The append-only log of review decisions (for one subject, or all)."""
    with store.session() as session:
        return audit_log(session, subject_id)


def brief(store: Store, out: Path, as_of: date | None = None, *, pdf: bool = False) -> BriefResult:
    """Write the brief as HTML (and PDF) for the store as it is, or as of a date."""
    return write_brief(store, out, as_of=as_of, pdf=pdf)
