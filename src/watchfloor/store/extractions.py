"""Storing extracted events and claims, with their document spans, merging with stored events.

An event told by a report already in the store is not stored twice: a new candidate that
:func:`watchfloor.extract.events.same_event` finds equal to a stored event adds its claims to it.
Ingest is idempotent by the document's content hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from watchfloor.extract.event_identity import DATE_WINDOW_DAYS
from watchfloor.extract.events import RULES_VERSION, same_event
from watchfloor.extract.ontology import ONTOLOGY_VERSION, EventType, Plover
from watchfloor.extract.records import DateRange, Event, Extraction
from watchfloor.model.ids import stable_id
from watchfloor.sources.reports import Report
from watchfloor.store.documents import save_report
from watchfloor.store.models import Claim as ClaimRow
from watchfloor.store.models import Event as EventRow
from watchfloor.store.models import Mention as MentionRow
from watchfloor.store.models import Provenance


@dataclass(frozen=True)
class IngestResult:
    """What one report's ingest did."""

    document: str
    created: bool
    events_new: int
    events_merged: int
    claims: int


def _as_candidate(row: EventRow) -> Event:
    data = row.data or {}
    when = None
    if row.date_start or row.date_end:
        when = DateRange(
            row.date_start, row.date_end, str(data.get("date_text", "")), str(data.get("date_basis", ""))
        )
    return Event(
        id=row.id,
        type=EventType(row.type),
        plover=Plover(row.plover) if row.plover else Plover.COOPERATE,
        source_actors=list(data.get("source_actors") or []),
        target_actors=list(data.get("target_actors") or []),
        object=row.object,
        place=row.place,
        date=when,
        trigger=str(data.get("trigger", "")),
        spans=[],
        claims=[],
    )


def _find_stored(session: Session, event: Event) -> EventRow | None:
    """The stored event ``event`` tells again, if any.

    Blocked, not a scan of every stored event: the rule (``same_event``) needs the same type, a
    shared source actor and, where both are dated, ranges at most ``DATE_WINDOW_DAYS`` apart (a
    missing bound leaves the range open), so only rows of the type whose actor field names one
    of the source actors and whose dates reach that window are read (the type and date columns
    are indexed); the rule then decides on those few.
    """
    actors = [a for a in event.source_actors if a]
    if not actors:
        return None
    statement = select(EventRow).where(
        EventRow.type == event.type.value,
        or_(*(EventRow.source_actor.contains(a, autoescape=True) for a in actors)),
    )
    if event.date is not None:
        # Ranges open where a bound is missing; compatible when the gap is within the window.
        window = timedelta(days=DATE_WINDOW_DAYS)
        if event.date.start is not None:
            statement = statement.where(
                or_(EventRow.date_end.is_(None), EventRow.date_end >= event.date.start - window)
            )
        if event.date.end is not None:
            statement = statement.where(
                or_(EventRow.date_start.is_(None), EventRow.date_start <= event.date.end + window)
            )
    for row in session.scalars(statement.order_by(EventRow.id)):
        if same_event(_as_candidate(row), event):
            return row
    return None


def _span_row(
    subject_kind: str, subject_id: str, document: str, start: int, end: int, quote: str
) -> Provenance:
    return Provenance(
        id=stable_id("prov", subject_kind, subject_id, document, start, end),
        subject_kind=subject_kind,
        subject_id=subject_id,
        kind="document_span",
        document_id=document,
        start=start,
        end=end,
        quote=quote,
    )


def save_extraction(session: Session, report: Report, extraction: Extraction) -> IngestResult:
    """Store the report, its mentions, events (merged with stored ones) and claims with spans."""
    document, created = save_report(session, report, extraction.source_grade)
    if extraction.source and not document.source:
        document.source = extraction.source
    if not created:
        return IngestResult(document.id, False, 0, 0, 0)
    now = datetime.now(UTC)
    for mention in extraction.mentions:
        session.add(
            MentionRow(
                id=stable_id("mention", document.id, mention.start, mention.end, mention.label),
                document_id=document.id,
                entity_id=None,
                label=mention.label,
                actor=mention.actor,
                text=mention.text,
                start=mention.start,
                end=mention.end,
            )
        )
    new = merged = claims = 0
    for event in extraction.events:
        row = _find_stored(session, event)
        if row is None:
            row = EventRow(
                id=event.id,
                type=event.type.value,
                plover=event.plover.value,
                source_actor=",".join(event.source_actors) or None,
                target_actor=",".join(event.target_actors) or None,
                object=event.object,
                place=event.place,
                date_start=event.date.start if event.date else None,
                date_end=event.date.end if event.date else None,
                summary=event.summary,
                data={
                    "source_actors": event.source_actors,
                    "target_actors": event.target_actors,
                    "source_text": event.source_text,
                    "target_text": event.target_text,
                    "trigger": event.trigger,
                    "date_text": event.date.text if event.date else None,
                    "date_basis": event.date.basis if event.date else None,
                    "ontology": ONTOLOGY_VERSION,
                    "rules": RULES_VERSION,
                },
                created_at=now,
            )
            session.add(row)
            session.flush()
            new += 1
        else:
            merged += 1
        for span in event.spans:
            prov = _span_row("event", row.id, document.id, span.start, span.end, span.quote)
            if session.get(Provenance, prov.id) is None:
                session.add(prov)
        for claim in event.claims:
            claim_id = stable_id("claim", row.id, document.id, claim.speaker, claim.span.start, claim.stance)
            if session.get(ClaimRow, claim_id) is not None:
                continue
            when = claim.claim_date
            session.add(
                ClaimRow(
                    id=claim_id,
                    event_id=row.id,
                    document_id=document.id,
                    speaker=claim.speaker,
                    speaker_actor=claim.speaker_actor or claim.speaker_state,
                    stance=claim.stance.value,
                    hedged=bool(claim.hedges),
                    modality=claim.modality,
                    reliability=extraction.source_grade,
                    credibility=claim.credibility,
                    claimed_on=when.start or when.end if when else None,
                    claimed_until=when.end if when and when.start and when.end != when.start else None,
                    data={
                        "speaker_state": claim.speaker_state,
                        "hedges": claim.hedges,
                        "credibility_explanation": claim.credibility_explanation,
                        "claim_date_text": when.text if when else None,
                        "claim_date_basis": when.basis if when else None,
                        "statement": claim.statement,
                        "audience": claim.audience,
                        "basis": claim.basis,
                    },
                )
            )
            session.add(
                _span_row("claim", claim_id, document.id, claim.span.start, claim.span.end, claim.span.quote)
            )
            claims += 1
    session.flush()
    return IngestResult(document.id, True, new, merged, claims)


def list_events(
    session: Session, event_type: str | None = None, since: date | None = None
) -> list[dict[str, Any]]:
    """Stored events with their claims and spans, newest first; filtered by type and date."""
    statement = select(EventRow)
    if event_type:
        statement = statement.where(EventRow.type == event_type)
    if since:
        statement = statement.where((EventRow.date_end >= since) | (EventRow.date_start >= since))
    statement = statement.order_by(EventRow.date_end.desc().nulls_last(), EventRow.id)
    rows: list[dict[str, Any]] = []
    for event in session.scalars(statement):
        spans = session.scalars(
            select(Provenance).where(Provenance.subject_kind == "event", Provenance.subject_id == event.id)
        )
        rows.append(
            {
                "id": event.id,
                "type": event.type,
                "plover": event.plover,
                "source": event.source_actor,
                "target": event.target_actor,
                "object": event.object,
                "place": event.place,
                "date_start": event.date_start,
                "date_end": event.date_end,
                "summary": event.summary,
                "status": event.status,
                "spans": [{"document": p.document_id, "start": p.start, "end": p.end} for p in spans],
                "claims": [
                    {
                        "speaker": c.speaker,
                        "stance": c.stance,
                        "credibility": c.credibility,
                        "reliability": c.reliability,
                        "claimed_on": c.claimed_on,
                        "hedges": (c.data or {}).get("hedges", []),
                        "modality": c.modality,
                        "document": c.document_id,
                    }
                    for c in event.claims
                ],
            }
        )
    return rows
