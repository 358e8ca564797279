"""Analyst review: confirm or reject an extracted event or an entity merge, kept in an audit log.

Every decision is one append-only :class:`Review` row (who, when, why). Rejecting or confirming
an event applies to the real-world event it tells, i.e. every extracted event clustered with it
(:mod:`watchfloor.graph.event_clusters`), unless ``whole_event`` is off; each one changed gets the
decision in its ``status`` (the latest decision wins; the trail stays in ``reviews``). Rejecting a
merge undoes it (see :func:`watchfloor.graph.resolve.undo_merge`). The assessment is recomputed
from the store afterwards, never patched.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from watchfloor.errors import InputError, NotFoundError
from watchfloor.graph.event_clusters import cluster_events
from watchfloor.graph.resolve import confirm_merge, undo_merge
from watchfloor.store.models import Entity, Event, Review


class Decision(enum.StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"

    @property
    def event_status(self) -> str:
        return "confirmed" if self is Decision.CONFIRM else "rejected"


@dataclass(frozen=True)
class ReviewOutcome:
    review_id: int
    subject_kind: str
    subject_id: str
    decision: Decision
    affected: tuple[str, ...]
    """Ids whose status the decision changed (the event and the events clustered with it)."""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    subject_kind: str
    subject_id: str
    decision: str
    analyst: str
    reason: str
    at: datetime


def _check_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise InputError("review", "a reason (--why) is required for every decision", "--why")
    return text


def _record(
    session: Session, kind: str, subject_id: str, decision: Decision, analyst: str, reason: str
) -> int:
    row = Review(
        subject_kind=kind,
        subject_id=subject_id,
        decision=decision.value,
        analyst=analyst,
        reason=reason,
        at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row.id


def review_event(
    session: Session,
    event_id: str,
    decision: Decision,
    reason: str,
    analyst: str,
    *,
    whole_event: bool = True,
) -> ReviewOutcome:
    """Confirm or reject ``event_id`` (and, by default, every telling of the same real-world event)."""
    why = _check_reason(reason)
    event = session.get(Event, event_id)
    if event is None:
        raise NotFoundError(f"no event {event_id!r} in the store")
    affected = [event]
    if whole_event:
        events = list(session.scalars(select(Event)))
        for cluster in cluster_events(events):
            if event_id in cluster.event_ids:
                affected = [e for e in events if e.id in cluster.event_ids]
    for item in affected:
        item.status = decision.event_status
        item.data = {**(item.data or {}), "reviewed_via": event_id}
    review_id = _record(session, "event", event_id, decision, analyst, why)
    return ReviewOutcome(review_id, "event", event_id, decision, tuple(sorted(e.id for e in affected)))


def review_merge(
    session: Session, entity_id: str, decision: Decision, reason: str, analyst: str
) -> ReviewOutcome:
    """Confirm a merge of ``entity_id`` into its canonical entity, or reject it (undo the merge)."""

    why = _check_reason(reason)
    entity = session.get(Entity, entity_id)
    if entity is None:
        raise NotFoundError(f"no entity {entity_id!r} in the store")
    if entity.merged_into is None:
        raise InputError("review", f"entity {entity_id} is not merged into another entity", entity_id)
    target = entity.merged_into
    if decision is Decision.REJECT:
        undo_merge(session, entity)
    else:
        confirm_merge(session, entity)
    review_id = _record(session, "merge", entity_id, decision, analyst, why)
    return ReviewOutcome(review_id, "merge", entity_id, decision, (entity_id, target))


def review(session: Session, subject_id: str, decision: Decision, reason: str, analyst: str) -> ReviewOutcome:
    """Review an event or a merge, whichever ``subject_id`` names."""
    if session.get(Event, subject_id) is not None:
        return review_event(session, subject_id, decision, reason, analyst)
    if session.get(Entity, subject_id) is not None:
        return review_merge(session, subject_id, decision, reason, analyst)
    raise NotFoundError(f"no event or merged entity {subject_id!r} in the store")


def audit_log(session: Session, subject_id: str | None = None) -> list[AuditEntry]:
    """The review decisions, oldest first (optionally for one subject)."""
    statement = select(Review).order_by(Review.at, Review.id)
    if subject_id:
        statement = statement.where(Review.subject_id == subject_id)
    return [
        AuditEntry(r.id, r.subject_kind, r.subject_id, r.decision, r.analyst, r.reason, r.at)
        for r in session.scalars(statement)
    ]
