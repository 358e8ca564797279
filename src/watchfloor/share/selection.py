"""What one export may carry: the store's records at or below a partner's TLP level, in a window.

Every export (STIX file, FtM file, TAXII collection) reads the store through
:func:`select_for_partner`, so TLP enforcement happens in one place. A record's effective marking
is the strictest of its own and of what it rests on (a claim inherits its document's and its
event's, a sighting its vessel's); TLP:RED never passes, whatever the level asked for. The
assessment a report carries is recomputed from the selected evidence only, so nothing withheld
shapes its words.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from watchfloor.assess.assessment import Assessment, assess_evidence
from watchfloor.assess.evidence import load_evidence
from watchfloor.assess.policy import Policy, load_policy
from watchfloor.model.schema import Schema
from watchfloor.share.tlp import Tlp, exportable, parse_tlp, strictest
from watchfloor.store.models import (
    Claim,
    Document,
    Entity,
    Event,
    ListEntryRecord,
    ListVersion,
    MaritimeEvent,
    Mention,
    Provenance,
    Review,
)


@dataclass
class EventSelection:
    event: Event
    claims: list[Claim]
    tlp: Tlp


@dataclass
class Selection:
    """The records one export may carry, each with its effective TLP level."""

    level: Tlp
    since: date | None
    policy: Policy
    documents: dict[str, Document] = field(default_factory=dict)
    events: list[EventSelection] = field(default_factory=list)
    claim_tlp: dict[str, Tlp] = field(default_factory=dict)
    maritime: list[tuple[MaritimeEvent, Tlp]] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    """Exportable entities that were not merged into another, by id."""
    list_entries: dict[str, ListEntryRecord] = field(default_factory=dict)
    """Exportable entries of the active list versions, by ``source:entry_id``."""
    mentions: list[Mention] = field(default_factory=list)
    quotes: dict[str, Provenance] = field(default_factory=dict)
    """The document span each selected claim rests on, by claim id."""
    reviews: list[Review] = field(default_factory=list)
    assessment: Assessment | None = None
    withheld: Counter[str] = field(default_factory=Counter)
    """How many records of each kind stayed in the store (above the level, or TLP:RED)."""

    def entity_tlp(self, entity_id: str) -> Tlp:
        return parse_tlp(self.entities[entity_id].tlp, "entity")


def _allowed(marking: str | Tlp, level: Tlp) -> bool:
    return exportable(marking, level)


def _event_in_window(
    event: Event, claims: list[Claim], docs: dict[str, Document], since: date | None
) -> bool:
    if since is None:
        return True
    days: list[date | None] = [event.date_end or event.date_start] if event.date_start else []
    days += [c.claimed_until or c.claimed_on for c in claims if c.claimed_on]
    days += [docs[c.document_id].published for c in claims if c.document_id in docs]
    known = [d for d in days if d is not None]
    return not known or max(known) >= since


def select_for_partner(
    session: Session, level: str | Tlp, since: date | None = None, policy: Policy | None = None
) -> Selection:
    """The store's records a partner cleared for ``level`` may receive, from ``since`` on."""
    tlp = parse_tlp(level)
    sel = Selection(tlp, since, policy or load_policy())
    all_docs = {d.id: d for d in session.scalars(select(Document))}
    for doc in all_docs.values():
        if _allowed(doc.tlp, tlp):
            sel.documents[doc.id] = doc
        else:
            sel.withheld["document"] += 1
    claims_by_event: dict[str, list[Claim]] = defaultdict(list)
    for claim in session.scalars(select(Claim).order_by(Claim.id)):
        claims_by_event[claim.event_id].append(claim)
    for event in session.scalars(select(Event).order_by(Event.id)):
        claims = claims_by_event.get(event.id, [])
        if not _event_in_window(event, claims, all_docs, since):
            continue
        if not _allowed(event.tlp, tlp):
            sel.withheld["event"] += 1
            sel.withheld["claim"] += len(claims)
            continue
        kept = []
        for claim in claims:
            source_doc = all_docs.get(claim.document_id)
            effective = strictest(claim.tlp, event.tlp, source_doc.tlp if source_doc else "red")
            if claim.document_id in sel.documents and _allowed(effective, tlp):
                kept.append(claim)
                sel.claim_tlp[claim.id] = effective
            else:
                sel.withheld["claim"] += 1
        if claims and not kept:
            sel.withheld["event"] += 1
            continue
        marks = [event.tlp, *(sel.claim_tlp[c.id] for c in kept)]
        sel.events.append(EventSelection(event, kept, strictest(*marks) if kept else parse_tlp(event.tlp)))
    stmt = select(Entity).where(Entity.merged_into.is_(None)).order_by(Entity.id)
    for entity in session.scalars(stmt.options(selectinload(Entity.names), selectinload(Entity.identifiers))):
        if _allowed(entity.tlp, tlp):
            sel.entities[entity.id] = entity
        else:
            sel.withheld["entity"] += 1
    _select_maritime(session, sel)
    _select_list_entries(session, sel)
    event_ids = {e.event.id for e in sel.events}
    for review in session.scalars(select(Review).order_by(Review.id)):
        if review.subject_id not in event_ids and review.subject_id not in sel.entities:
            continue
        if _allowed(review.tlp, tlp):
            sel.reviews.append(review)
        else:
            sel.withheld["review"] += 1
    for mention in session.scalars(select(Mention).order_by(Mention.id)):
        if mention.document_id in sel.documents and mention.entity_id in sel.entities:
            sel.mentions.append(mention)
    spans = select(Provenance).where(Provenance.subject_kind == "claim", Provenance.kind == "document_span")
    for span in session.scalars(spans.order_by(Provenance.id)):
        if span.subject_id in sel.claim_tlp and span.document_id in sel.documents:
            sel.quotes.setdefault(span.subject_id, span)
    sel.assessment = _assessment(session, sel)
    return sel


def _select_maritime(session: Session, sel: Selection) -> None:
    vessel_tlp: dict[str, Tlp] = {}
    for entity in session.scalars(select(Entity).where(Entity.schema == Schema.VESSEL.value).options(
        selectinload(Entity.identifiers)
    )):  # fmt: skip
        for ident in entity.identifiers:
            if ident.scheme in ("imo", "mmsi"):
                key = f"{ident.scheme}:{ident.value}"
                vessel_tlp[key] = strictest(vessel_tlp.get(key), entity.tlp)
    stmt = select(MaritimeEvent).order_by(MaritimeEvent.start, MaritimeEvent.id)
    for row in session.scalars(stmt):
        if sel.since is not None and row.end.date() < sel.since:
            continue
        keys = [f"mmsi:{row.mmsi}"] + ([f"mmsi:{row.other_mmsi}"] if row.other_mmsi else [])
        keys += [f"imo:{row.imo}"] if row.imo else []
        effective = strictest(row.tlp, *(vessel_tlp.get(k) for k in keys))
        if _allowed(effective, sel.level):
            sel.maritime.append((row, effective))
        else:
            sel.withheld["maritime_event"] += 1


def _select_list_entries(session: Session, sel: Selection) -> None:
    wanted: set[str] = set()
    for entity in sel.entities.values():
        key = (entity.data or {}).get("list_entry")
        if isinstance(key, str):
            wanted.add(key)
    for row, _tlp in sel.maritime:
        wanted.update(str(k) for k in row.list_entries or [])
    if not wanted:
        return
    active = select(ListVersion.id).where(ListVersion.active.is_(True))
    by_source: dict[str, set[str]] = defaultdict(set)
    for key in wanted:
        source, _, entry_id = key.partition(":")
        by_source[source].add(entry_id)
    for source, entries in sorted(by_source.items()):
        stmt = select(ListEntryRecord).where(
            ListEntryRecord.version_id.in_(active),
            ListEntryRecord.source == source,
            ListEntryRecord.entry_id.in_(sorted(entries)),
        )
        for entry in session.scalars(stmt):
            if _allowed(entry.tlp, sel.level):
                sel.list_entries[f"{entry.source}:{entry.entry_id}"] = entry
            else:
                sel.withheld["list_entry"] += 1


def _assessment(session: Session, sel: Selection) -> Assessment:
    """The assessment of the selected evidence only (withheld claims and sightings left out)."""
    evidence = load_evidence(session)
    claims = set(sel.claim_tlp)
    maritime = {row.id for row, _ in sel.maritime}
    events = []
    for record in evidence.events:
        kept = tuple(c for c in record.claims if c.id in claims)
        if kept:
            events.append(replace(record, claims=kept))
    evidence.events = events
    evidence.maritime = [m for m in evidence.maritime if m.id in maritime]
    evidence.documents = {k: v for k, v in evidence.documents.items() if k in sel.documents}
    return assess_evidence(evidence, sel.policy)
