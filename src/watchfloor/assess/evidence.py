"""The evidence an assessment reads, loaded from the store as plain records.

The assessment never writes while it reads: it takes an :class:`Evidence` snapshot (events with
their claims and the document spans they rest on, maritime events) and computes from that. The
``as_of`` cut keeps only what had been *reported* by that date: a claim counts from its
document's publication date (else the date it was claimed, else the event date), a maritime event
from its start. Analyst reviews (an event confirmed or rejected) apply whatever the date: they
correct the record rather than add evidence.

Synthetic records (the simulated AIS scenario, test corpora) are never evidence: a maritime
event flagged ``synthetic`` in its data (or whose AIS rows come from a file named synthetic, as
the scenario writes them) and every claim of a document flagged ``synthetic`` in its metadata
(or whose origin says synthetic)
are set aside (:attr:`Evidence.synthetic_maritime`, :attr:`Evidence.synthetic_claims`), counted,
and shown only under a SYNTHETIC label; they never count as a source or as corroboration.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from watchfloor.assess.independence import IndependenceIndex
from watchfloor.graph.actors import canonical_actor
from watchfloor.model.stance import Stance
from watchfloor.store.models import Claim, Document, Event, MaritimeEvent, Provenance


def is_synthetic_maritime(data: Mapping[str, Any] | None) -> bool:
    """Whether a maritime event's data marks it simulated (flag, or AIS rows from a synthetic file)."""
    if not data:
        return False
    if data.get("synthetic"):
        return True
    positions = data.get("positions")
    if not isinstance(positions, list):
        return False
    return any(isinstance(p, dict) and "synthetic" in str(p.get("src_file", "")).lower() for p in positions)


def is_synthetic_document(meta: Mapping[str, Any] | None, origin: str | None = None) -> bool:
    """Whether a document is marked synthetic (never evidence): flagged in its metadata, or read
    from an origin that says so (the same rule as the API's ``synthetic`` field)."""
    return bool(meta and meta.get("synthetic")) or "synthetic" in (origin or "").lower()


@lru_cache(maxsize=4096)
def split_actors(value: str | None) -> tuple[str, ...]:
    """Canonical actor ids of a stored actor field (one id, or several joined by commas)."""
    if not value:
        return ()
    found = (canonical_actor(part) for part in value.replace(";", ",").split(","))
    return tuple(dict.fromkeys(a for a in found if a))


@dataclass(frozen=True)
class Span:
    """A character span of a document that a claim or event rests on."""

    provenance_id: str
    document_id: str
    start: int | None
    end: int | None
    quote: str | None


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    source: str | None
    source_grade: str
    title: str | None
    published: date | None
    origin: str
    url: str | None
    meta: dict[str, Any]
    text: str

    @property
    def synthetic(self) -> bool:
        return is_synthetic_document(self.meta, self.origin)


@dataclass(frozen=True)
class ClaimRecord:
    id: str
    event_id: str
    document_id: str
    speaker: str
    speaker_actor: str | None
    stance: Stance
    hedged: bool
    reliability: str
    credibility: int
    claimed_on: date | None
    reported_on: date | None
    spans: tuple[Span, ...]

    @property
    def quote(self) -> str | None:
        for span in self.spans:
            if span.quote:
                return span.quote
        return None


@dataclass(frozen=True)
class EventRecord:
    id: str
    type: str
    source_actor: str | None
    target_actor: str | None
    object: str | None
    place: str | None
    date_start: date | None
    date_end: date | None
    summary: str | None
    status: str
    claims: tuple[ClaimRecord, ...]

    @property
    def source_actors(self) -> tuple[str, ...]:
        """The source actor(s): extraction joins several with commas (``kp,ru``)."""
        return split_actors(self.source_actor)

    @property
    def target_actors(self) -> tuple[str, ...]:
        return split_actors(self.target_actor)

    @property
    def text(self) -> str:
        """Object and place in lower case: what text conditions look at (not the summary, which
        repeats the type and the actors)."""
        return " ".join(p for p in (self.object, self.place) if p).lower()


@dataclass(frozen=True)
class MaritimeRecord:
    id: str
    kind: str
    mmsi: int
    other_mmsi: int | None
    imo: int | None
    vessel_name: str | None
    start: datetime
    end: datetime
    lat: float | None
    lon: float | None
    port: str | None
    list_entries: tuple[str, ...]
    data: dict[str, Any]

    @property
    def reported_on(self) -> date:
        return self.start.date()

    @property
    def synthetic(self) -> bool:
        return is_synthetic_maritime(self.data)

    @property
    def listed(self) -> bool:
        """Linked to a list entry; on an identifier where the detector says how it matched."""
        links = self.data.get("links")
        if isinstance(links, list) and links and all(isinstance(link, dict) for link in links):
            return any(link.get("strong", True) for link in links)
        return bool(self.list_entries)


@dataclass
class Evidence:
    """Everything the assessment reads, cut at ``as_of``."""

    as_of: date | None
    events: list[EventRecord] = field(default_factory=list)
    maritime: list[MaritimeRecord] = field(default_factory=list)
    documents: dict[str, DocumentInfo] = field(default_factory=dict)
    excluded_claims: int = 0
    excluded_maritime: int = 0
    synthetic_maritime: list[MaritimeRecord] = field(default_factory=list)
    """Simulated maritime events: shown under a SYNTHETIC label, never assessed."""
    synthetic_claims: int = 0
    """Claims of synthetic documents left out."""
    _independence: IndependenceIndex | None = field(default=None, repr=False, compare=False)

    def independence(self, near_duplicate_ratio: float) -> IndependenceIndex:
        """The document links of this snapshot (built once, shared with every cut of it)."""
        if self._independence is None:
            claims = [c for e in self.events for c in e.claims]
            cited = {c.document_id for c in claims}
            docs = [d for d in self.documents.values() if d.id in cited]
            self._independence = IndependenceIndex.build(docs, claims, near_duplicate_ratio)
        return self._independence

    def event(self, event_id: str) -> EventRecord | None:
        for item in self.events:
            if item.id == event_id:
                return item
        return None

    def dates(self) -> list[date]:
        """Every date on which evidence arrived, in order."""
        found = {c.reported_on for e in self.events for c in e.claims if c.reported_on}
        found |= {m.reported_on for m in self.maritime}
        return sorted(found)

    def cut(self, as_of: date) -> Evidence:
        """The evidence as it stood at ``as_of`` (a subset of this snapshot).

        An undated claim (no publication, claim or event date) is left out of every cut: it counts
        in the assessment of the whole snapshot, but is never placed on a timeline at a date
        another report gave.
        """
        events = []
        for item in self.events:
            claims = tuple(c for c in item.claims if c.reported_on is not None and c.reported_on <= as_of)
            if claims:
                events.append(_replace_claims(item, claims))
        maritime = [m for m in self.maritime if m.reported_on <= as_of]
        return Evidence(as_of, events, maritime, self.documents, _independence=self._independence)


def _replace_claims(event: EventRecord, claims: tuple[ClaimRecord, ...]) -> EventRecord:
    return EventRecord(
        event.id,
        event.type,
        event.source_actor,
        event.target_actor,
        event.object,
        event.place,
        event.date_start,
        event.date_end,
        event.summary,
        event.status,
        claims,
    )


def _span(row: Provenance) -> Span | None:
    if row.kind != "document_span" or row.document_id is None:
        return None
    return Span(row.id, row.document_id, row.start, row.end, row.quote)


def load_evidence(session: Session, as_of: date | None = None, *, since: datetime | None = None) -> Evidence:
    """Read the events, claims, spans, documents and maritime events from the store.

    With ``since``, only what arrived after it: the claims of documents ingested later (with those
    documents and the events they tell) and the maritime events stored later. That is the delta
    :meth:`watchfloor.assess.incremental.IncrementalAssessor.add` takes; reviews come through
    ``review`` instead.
    """
    doc_query = select(Document)
    if since is not None:
        doc_query = doc_query.where(Document.ingested_at > since)
    documents = {
        d.id: DocumentInfo(
            d.id, d.source, d.source_grade, d.title, d.published, d.origin, d.url, dict(d.meta or {}), d.text
        )
        for d in session.scalars(doc_query)
    }
    claim_query = select(Claim).order_by(Claim.id)
    if since is not None:
        claim_query = claim_query.where(Claim.document_id.in_(list(documents)))
    claims_by_event: dict[str, list[Claim]] = defaultdict(list)
    for claim in session.scalars(claim_query):
        claims_by_event[claim.event_id].append(claim)
    span_query = select(Provenance).where(Provenance.kind == "document_span")
    if since is not None:
        subjects = [c.id for cs in claims_by_event.values() for c in cs] + list(claims_by_event)
        span_query = span_query.where(Provenance.subject_id.in_(subjects))
    spans: dict[str, list[Span]] = defaultdict(list)
    for row in session.scalars(span_query):
        span = _span(row)
        if span is not None:
            spans[row.subject_id].append(span)

    evidence = Evidence(as_of, documents=documents)
    event_query = select(Event).order_by(Event.id)
    if since is not None:
        event_query = event_query.where(Event.id.in_(list(claims_by_event)))
    for event in session.scalars(event_query):
        records: list[ClaimRecord] = []
        for claim in claims_by_event.get(event.id, []):
            document = documents.get(claim.document_id)
            if document is not None and document.synthetic:
                evidence.synthetic_claims += 1
                continue
            reported = (document.published if document else None) or claim.claimed_on or event.date_start
            if as_of is not None and reported is not None and reported > as_of:
                evidence.excluded_claims += 1
                continue
            claim_spans = spans.get(claim.id) or [
                s for s in spans.get(event.id, []) if s.document_id == claim.document_id
            ]
            records.append(
                ClaimRecord(
                    id=claim.id,
                    event_id=event.id,
                    document_id=claim.document_id,
                    speaker=claim.speaker,
                    speaker_actor=canonical_actor(claim.speaker_actor),
                    stance=Stance.parse(claim.stance),
                    hedged=bool(claim.hedged),
                    reliability=claim.reliability or (document.source_grade if document else "F"),
                    credibility=claim.credibility,
                    claimed_on=claim.claimed_on,
                    reported_on=reported,
                    spans=tuple(sorted(claim_spans, key=lambda s: (s.start or 0, s.provenance_id))),
                )
            )
        if not records:
            continue
        evidence.events.append(
            EventRecord(
                id=event.id,
                type=event.type,
                source_actor=",".join(split_actors(event.source_actor)) or None,
                target_actor=",".join(split_actors(event.target_actor)) or None,
                object=event.object,
                place=event.place,
                date_start=event.date_start,
                date_end=event.date_end,
                summary=event.summary,
                status=event.status,
                claims=tuple(records),
            )
        )
    maritime_query = select(MaritimeEvent).order_by(MaritimeEvent.start, MaritimeEvent.id)
    if since is not None:
        maritime_query = maritime_query.where(MaritimeEvent.created_at > since)
    for mrow in session.scalars(maritime_query):
        if as_of is not None and mrow.start.date() > as_of:
            evidence.excluded_maritime += 1
            continue
        target = evidence.synthetic_maritime if is_synthetic_maritime(mrow.data) else evidence.maritime
        target.append(
            MaritimeRecord(
                id=mrow.id,
                kind=mrow.kind,
                mmsi=mrow.mmsi,
                other_mmsi=mrow.other_mmsi,
                imo=mrow.imo,
                vessel_name=mrow.vessel_name,
                start=mrow.start,
                end=mrow.end,
                lat=mrow.lat,
                lon=mrow.lon,
                port=mrow.port,
                list_entries=tuple(str(k) for k in (mrow.list_entries or [])),
                data=dict(mrow.data or {}),
            )
        )
    return evidence
