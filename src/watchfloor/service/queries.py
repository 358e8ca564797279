# Over 500 lines on purpose: every TLP-filtered read of the faces in one module, so none skips the filter.
"""What the faces read: pages of documents, events with their claims, entities, maritime events,
tracks, alerts and reviews, as JSON-ready dictionaries, each with the pointer to what it rests on.

Every query takes the reader's TLP clearance and never returns a row marked above it (an unknown
marking counts as RED), so no face can show what its user may not see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from watchfloor.errors import NotFoundError
from watchfloor.share.tlp import Tlp
from watchfloor.store.models import (
    Alert,
    Claim,
    Document,
    Entity,
    EntityName,
    Event,
    ListEntryRecord,
    MaritimeEvent,
    Mention,
    Provenance,
    Review,
)

T = TypeVar("T")
MAX_LIMIT = 500
"""The largest page any list query returns."""


@dataclass(frozen=True)
class Page:
    """One page of a list: ``total`` rows matched, ``items`` from ``offset``."""

    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "limit": self.limit, "offset": self.offset, "items": self.items}


def allowed_levels(clearance: Tlp) -> list[str]:
    """The stored markings a reader cleared for ``clearance`` may see."""
    return [level.value for level in Tlp if level.rank <= clearance.rank]


def _page(session: Session, query: Select[Any], limit: int, offset: int) -> tuple[int, list[Any]]:
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return total, list(session.scalars(query.limit(limit).offset(offset)))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _synthetic_document(doc: Document) -> bool:
    return bool((doc.meta or {}).get("synthetic")) or "synthetic" in (doc.origin or "").lower()


# --- documents ----------------------------------------------------------------------------------


def document_dict(doc: Document, *, text: bool = True) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": doc.id,
        "title": doc.title,
        "source": doc.source,
        "date": _iso(doc.published),
        "grade": doc.source_grade,
        "origin": doc.origin,
        "url": doc.url,
        "format": doc.fmt,
        "length": doc.length,
        "tlp": doc.tlp,
        "synthetic": _synthetic_document(doc),
    }
    if text:
        item["text"] = doc.text
    return item


def documents(session: Session, clearance: Tlp, *, limit: int = 50, offset: int = 0) -> Page:
    """Stored documents, newest first, without their text."""
    query = (
        select(Document)
        .where(Document.tlp.in_(allowed_levels(clearance)))
        .order_by(Document.published.desc().nulls_last(), Document.id)
    )
    total, rows = _page(session, query, limit, offset)
    return Page(total, limit, offset, [document_dict(d, text=False) for d in rows])


def document(session: Session, clearance: Tlp, document_id: str) -> dict[str, Any]:
    """One document with its text (404 if missing or above the reader's clearance)."""
    doc = session.get(Document, document_id)
    if doc is None or doc.tlp not in allowed_levels(clearance):
        raise NotFoundError(f"no document {document_id!r}")
    return document_dict(doc)


# --- events and claims --------------------------------------------------------------------------


def _spans(session: Session, kind: str, ids: Sequence[str]) -> dict[str, list[Provenance]]:
    found: dict[str, list[Provenance]] = {}
    if not ids:
        return found
    rows = session.scalars(
        select(Provenance).where(Provenance.subject_kind == kind, Provenance.subject_id.in_(list(ids)))
    )
    for row in rows:
        found.setdefault(row.subject_id, []).append(row)
    return found


def _claim_dict(claim: Claim, doc: Document | None, span: Provenance | None) -> dict[str, Any]:
    data = claim.data or {}
    return {
        "id": claim.id,
        "event_id": claim.event_id,
        "document_id": claim.document_id,
        "source": doc.source if doc else None,
        "document_title": doc.title if doc else None,
        "reliability": claim.reliability,
        "credibility": claim.credibility,
        "grade": f"{claim.reliability}{claim.credibility}",
        "grade_rule": data.get("credibility_explanation"),
        "stance": claim.stance,
        "hedges": list(data.get("hedges") or []),
        "speaker": claim.speaker,
        "speaker_actor": claim.speaker_actor,
        "sentence": span.quote if span else None,
        "span": [span.start, span.end] if span else None,
        "date": _iso(claim.claimed_on),
        "date_until": _iso(claim.claimed_until),
        "tlp": claim.tlp,
        "synthetic": bool(doc and _synthetic_document(doc)),
    }


def _event_dicts(session: Session, clearance: Tlp, rows: Sequence[Event]) -> list[dict[str, Any]]:
    levels = allowed_levels(clearance)
    claims = [c for e in rows for c in e.claims if c.tlp in levels]
    docs = {
        d.id: d
        for d in session.scalars(select(Document).where(Document.id.in_({c.document_id for c in claims})))
    }
    claim_spans = _spans(session, "claim", [c.id for c in claims])
    event_spans = _spans(session, "event", [e.id for e in rows])
    items = []
    for event in rows:
        shown = []
        for c in event.claims:
            doc = docs.get(c.document_id)
            if c.tlp in levels and doc is not None and doc.tlp in levels:
                spans = claim_spans.get(c.id)
                shown.append(_claim_dict(c, doc, spans[0] if spans else None))
        items.append(
            {
                "id": event.id,
                "type": event.type,
                "plover": event.plover,
                "date_start": _iso(event.date_start),
                "date_end": _iso(event.date_end),
                "actor": event.source_actor,
                "recipient": event.target_actor,
                "object": event.object,
                "place": event.place,
                "summary": event.summary,
                "status": event.status,
                "tlp": event.tlp,
                "synthetic": bool(shown) and all(c["synthetic"] for c in shown),
                "spans": [
                    {"document_id": p.document_id, "span": [p.start, p.end], "text": p.quote}
                    for p in event_spans.get(event.id, [])
                    if p.document_id in docs
                ],
                "claims": shown,
            }
        )
    return items


def events(
    session: Session,
    clearance: Tlp,
    *,
    since: date | None = None,
    until: date | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    grade: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Events with their claims (newest first), filtered by date, type, actor, source grade, status."""
    query = select(Event).where(Event.tlp.in_(allowed_levels(clearance)))
    if since:
        query = query.where(or_(Event.date_end >= since, Event.date_start >= since))
    if until:
        query = query.where(or_(Event.date_start <= until, Event.date_end <= until))
    if event_type:
        query = query.where(Event.type == event_type)
    if actor:
        query = query.where(or_(Event.source_actor == actor, Event.target_actor == actor))
    if status:
        query = query.where(Event.status == status)
    if grade:
        wanted = grade.strip().upper()[:1]
        query = query.where(Event.claims.any(Claim.reliability <= wanted))
    query = query.order_by(Event.date_end.desc().nulls_last(), Event.id)
    total, rows = _page(session, query, limit, offset)
    return Page(total, limit, offset, _event_dicts(session, clearance, rows))


def event(session: Session, clearance: Tlp, event_id: str) -> dict[str, Any]:
    """One event with its claims (404 if missing or above the reader's clearance)."""
    row = session.get(Event, event_id)
    if row is None or row.tlp not in allowed_levels(clearance):
        raise NotFoundError(f"no event {event_id!r}")
    return _event_dicts(session, clearance, [row])[0]


# --- entities -----------------------------------------------------------------------------------


def _entity_summary(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "schema": entity.schema,
        "caption": entity.caption,
        "country": entity.country,
        "merged_into": entity.merged_into,
        "names": sorted({n.name for n in entity.names}),
        "identifiers": [{"scheme": i.scheme, "value": i.value} for i in entity.identifiers],
        "tlp": entity.tlp,
    }


def entities(
    session: Session,
    clearance: Tlp,
    *,
    q: str | None = None,
    schema: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Entities (people, companies, vessels, states) by name fragment and schema."""
    query = select(Entity).where(Entity.tlp.in_(allowed_levels(clearance)))
    if schema:
        query = query.where(Entity.schema == schema)
    if q:
        pattern = f"%{q.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Entity.caption).like(pattern),
                Entity.names.any(func.lower(EntityName.name).like(pattern)),
            )
        )
    query = query.order_by(Entity.caption, Entity.id)
    total, rows = _page(session, query, limit, offset)
    return Page(total, limit, offset, [_entity_summary(e) for e in rows])


def entity(session: Session, clearance: Tlp, entity_id: str) -> dict[str, Any]:
    """One entity with its names, identifiers, list entries, mentions and merges."""
    row = session.get(Entity, entity_id)
    levels = allowed_levels(clearance)
    if row is None or row.tlp not in levels:
        raise NotFoundError(f"no entity {entity_id!r}")
    item = _entity_summary(row)
    merged = list(session.scalars(select(Entity).where(Entity.merged_into == row.id)))
    ids = [row.id, *(m.id for m in merged)]
    mentions = session.scalars(
        select(Mention)
        .join(Document, Document.id == Mention.document_id)
        .where(Mention.entity_id.in_(ids), Document.tlp.in_(levels))
        .order_by(Mention.document_id, Mention.start)
        .limit(200)
    )
    item["mentions"] = [
        {"document_id": m.document_id, "span": [m.start, m.end], "text": m.text, "label": m.label}
        for m in mentions
    ]
    keys = sorted(
        {p.list_entry_key for p in _spans(session, "merge", ids).get(row.id, []) if p.list_entry_key}
        | set((row.data or {}).get("list_entries") or [])
    )
    item["list_entries"] = list_entries(session, clearance, keys)
    item["merges"] = [
        {
            "id": m.id,
            "caption": m.caption,
            "evidence": [
                {
                    "kind": p.kind,
                    "document_id": p.document_id,
                    "list_entry": p.list_entry_key,
                    "quote": p.quote,
                }
                for p in _spans(session, "merge", [m.id]).get(m.id, [])
            ],
        }
        for m in merged
    ]
    return item


def list_entries(session: Session, clearance: Tlp, keys: Sequence[str]) -> list[dict[str, Any]]:
    """Active list entries by key (``source:entry_id``), with the list they come from."""
    found = []
    levels = allowed_levels(clearance)
    for key in keys:
        source, _, entry_id = key.partition(":")
        row = session.scalar(
            select(ListEntryRecord)
            .where(ListEntryRecord.source == source, ListEntryRecord.entry_id == entry_id)
            .order_by(ListEntryRecord.listed_on.desc().nulls_last())
            .limit(1)
        )
        if row is not None and row.tlp in levels:
            found.append(
                {
                    "key": key,
                    "source": row.source,
                    "entry_id": row.entry_id,
                    "schema": row.schema,
                    "caption": row.caption,
                    "programmes": row.programmes,
                    "listed_on": _iso(row.listed_on),
                    "url": row.url,
                }
            )
    return found


# --- maritime -----------------------------------------------------------------------------------


def _maritime_dict(session: Session, clearance: Tlp, row: MaritimeEvent) -> dict[str, Any]:
    data = row.data or {}
    details = dict(data.get("details") or {})
    infos = details.get("vessels") or {}
    links = data.get("links") or []
    vessels = []
    for mmsi in [row.mmsi, row.other_mmsi]:
        if mmsi is None:
            continue
        info = infos.get(str(mmsi), {})
        keys = sorted(
            {link["entry_key"] for link in links if link.get("mmsi") == mmsi and link.get("strong", True)}
        )
        names = info.get("name") or []
        imos = info.get("imo") or []
        vessels.append(
            {
                "mmsi": mmsi,
                "imo": (imos[0] if isinstance(imos, list) and imos else imos) or None,
                "name": names[0] if isinstance(names, list) and names else (names or None),
                "listed": bool(keys),
                "list_entries": list_entries(session, clearance, keys),
            }
        )
    return {
        "id": row.id,
        "kind": row.kind,
        "start": _iso(row.start),
        "end": _iso(row.end),
        "lat": row.lat,
        "lon": row.lon,
        "port": row.port,
        "vessels": vessels,
        "details": details,
        "ais_messages": data.get("positions") or [],
        "synthetic": bool(details.get("synthetic") or data.get("synthetic"))
        or any("synthetic" in str(p.get("src_file", "")).lower() for p in data.get("positions") or []),
        "tlp": row.tlp,
    }


def maritime_events(
    session: Session,
    clearance: Tlp,
    *,
    kind: str | None = None,
    vessel: str | None = None,
    since: date | None = None,
    until: date | None = None,
    listed: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Maritime events in time order, by kind, vessel (MMSI or IMO), time window and list links."""
    query = select(MaritimeEvent).where(MaritimeEvent.tlp.in_(allowed_levels(clearance)))
    if kind:
        query = query.where(MaritimeEvent.kind == kind)
    if vessel:
        digits = "".join(ch for ch in vessel if ch.isdigit())
        number = int(digits) if digits else -1
        query = query.where(
            or_(MaritimeEvent.mmsi == number, MaritimeEvent.other_mmsi == number, MaritimeEvent.imo == number)
        )
    if since:
        query = query.where(MaritimeEvent.end >= _day_start(since))
    if until:
        query = query.where(MaritimeEvent.start < _day_start(until + timedelta(days=1)))
    if listed:
        query = query.where(MaritimeEvent.list_entries != [])
    query = query.order_by(MaritimeEvent.start, MaritimeEvent.id)
    total, rows = _page(session, query, limit, offset)
    return Page(total, limit, offset, [_maritime_dict(session, clearance, r) for r in rows])


def maritime_event(session: Session, clearance: Tlp, event_id: str) -> dict[str, Any]:
    """One maritime event with its vessels, list entries and AIS messages."""
    row = session.get(MaritimeEvent, event_id)
    if row is None or row.tlp not in allowed_levels(clearance):
        raise NotFoundError(f"no maritime event {event_id!r}")
    return _maritime_dict(session, clearance, row)


# --- alerts and reviews -------------------------------------------------------------------------


def alerts(
    session: Session, clearance: Tlp, *, kind: str | None = None, limit: int = 50, offset: int = 0
) -> Page:
    """Alerts, newest first, with the evidence they rest on."""
    query = select(Alert).where(Alert.tlp.in_(allowed_levels(clearance)))
    if kind:
        query = query.where(Alert.kind == kind)
    query = query.order_by(Alert.created_at.desc(), Alert.id)
    total, rows = _page(session, query, limit, offset)
    evidence = _spans(session, "alert", [a.id for a in rows])
    items = [
        {
            "id": a.id,
            "kind": a.kind,
            "title": a.title,
            "severity": a.severity,
            "as_of": _iso(a.as_of),
            "created_at": _iso(a.created_at),
            "data": a.data,
            "tlp": a.tlp,
            "evidence": [
                {
                    "kind": p.kind,
                    "document_id": p.document_id,
                    "span": [p.start, p.end] if p.start is not None else None,
                    "quote": p.quote,
                    "list_entry": p.list_entry_key,
                    "maritime_event_id": p.maritime_event_id,
                }
                for p in evidence.get(a.id, [])
            ],
        }
        for a in rows
    ]
    return Page(total, limit, offset, items)


def reviews(session: Session, clearance: Tlp, *, limit: int = 50, offset: int = 0) -> Page:
    """The append-only log of review decisions, newest first: who, when, why, on what."""
    query = select(Review).where(Review.tlp.in_(allowed_levels(clearance))).order_by(Review.id.desc())
    total, rows = _page(session, query, limit, offset)
    items = [
        {
            "id": r.id,
            "target_kind": r.subject_kind,
            "target_id": r.subject_id,
            "decision": r.decision,
            "who": r.analyst,
            "when": _iso(r.at),
            "why": r.reason,
        }
        for r in rows
    ]
    return Page(total, limit, offset, items)


def review_queue(session: Session, clearance: Tlp, *, limit: int = 50, offset: int = 0) -> Page:
    """Merges awaiting an analyst's decision, then extracted events, as one paged list."""
    levels = allowed_levels(clearance)
    reviewed = select(Review.subject_id).where(Review.subject_kind == "merge")
    merged = session.scalars(
        select(Entity)
        .where(Entity.merged_into.is_not(None), Entity.tlp.in_(levels), Entity.id.not_in(reviewed))
        .order_by(Entity.id)
    )
    merges = [
        {"target_kind": "merge", "target_id": e.id, "caption": e.caption, "merged_into": e.merged_into}
        for e in merged
    ]
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    items: list[dict[str, Any]] = merges[offset : offset + limit]
    event_offset, event_limit = max(0, offset - len(merges)), limit - len(items)
    pending = events(session, clearance, status="extracted", limit=max(1, event_limit), offset=event_offset)
    if event_limit > 0:
        items += [{"target_kind": "event", "target_id": e["id"], "event": e} for e in pending.items]
    return Page(len(merges) + pending.total, limit, offset, items)


# --- redaction ----------------------------------------------------------------------------------


def hidden_ids(session: Session, clearance: Tlp) -> set[str]:
    """Ids of every stored item marked above ``clearance`` (documents, events, claims, alerts...)."""
    levels = allowed_levels(clearance)
    hidden: set[str] = set()
    for model in (Document, Event, Claim, MaritimeEvent, Alert, Entity, ListEntryRecord):
        hidden.update(session.scalars(select(model.id).where(model.tlp.not_in(levels))))
    for key in session.scalars(
        select(ListEntryRecord.source + ":" + ListEntryRecord.entry_id).where(
            ListEntryRecord.tlp.not_in(levels)
        )
    ):
        hidden.add(key)
    return hidden


def _mentions_hidden(value: Any, hidden: set[str]) -> bool:
    if isinstance(value, str):
        return value in hidden
    if isinstance(value, dict):
        return any(_mentions_hidden(v, hidden) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_mentions_hidden(v, hidden) for v in value)
    return False


def redact(value: Any, hidden: set[str]) -> Any:
    """``value`` without any list element (record) that refers to a hidden id, at any depth."""
    if not hidden:
        return value
    if isinstance(value, dict):
        return {k: redact(v, hidden) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [
            redact(v, hidden)
            for v in value
            if not (isinstance(v, dict | str) and _mentions_hidden(v, hidden))
        ]
    return value
