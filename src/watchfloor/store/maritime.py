"""Persist maritime events (and what they rest on) in the store, and read them back.

Each :class:`watchfloor.maritime.records.MaritimeEvent` becomes one ``maritime_events`` row (its
full record in ``data``) plus :class:`~watchfloor.store.models.Provenance` rows: one ``ais`` row per
AIS position it cites (MMSI, time, file and line) and one ``list_entry`` row per sanctions-list
entry its vessels link to on an identifier (IMO, MMSI, call sign). Name-only links are weak (many
ships share a name): they stay in ``data`` but not in ``list_entries`` or the provenance. Ids are
the events' deterministic ids, so saving the same detection twice changes nothing.

An event resting on a simulated input file (``watchfloor ais simulate``) is stored with
``data["synthetic"] = True``: that flag is the contract with the assessment, the brief and the
faces, which must show it as SYNTHETIC and never count it as evidence (issue #17).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, or_, select

from watchfloor.maritime.records import EventKind, MaritimeEvent
from watchfloor.model.ids import stable_id
from watchfloor.store.engine import Store
from watchfloor.store.models import MaritimeEvent as MaritimeEventRow
from watchfloor.store.models import Provenance

SUBJECT = "maritime_event"


def _vessel(event: MaritimeEvent) -> tuple[int | None, str | None]:
    """The IMO and name the event's first vessel broadcast (or its strongest list link)."""
    info = event.details.get("vessels", {}).get(str(event.mmsi), {})
    imos = info.get("imo") or []
    names = info.get("name") or []
    return (int(imos[0]) if imos else None), (names[0] if names else None)


def _has_imo(event: MaritimeEvent, imo: str) -> bool:
    vessels = event.details.get("vessels", {}).values()
    return any(imo in info.get("imo", []) for info in vessels) or str(event.details.get("imo", "")) == imo


def _provenance(event: MaritimeEvent) -> list[Provenance]:
    rows = []
    for ref in event.positions:
        rows.append(
            Provenance(
                id=stable_id("prov", SUBJECT, event.id, "ais", ref.src_file, ref.src_line, ref.role),
                subject_kind=SUBJECT,
                subject_id=event.id,
                kind="ais",
                maritime_event_id=event.id,
                ais=ref.to_dict(),
            )
        )
    for key in sorted({link.entry_key for link in event.links if link.strong}):
        rows.append(
            Provenance(
                id=stable_id("prov", SUBJECT, event.id, "list_entry", key),
                subject_kind=SUBJECT,
                subject_id=event.id,
                kind="list_entry",
                maritime_event_id=event.id,
                list_entry_key=key,
            )
        )
    return rows


def save_events(store: Store, events: list[MaritimeEvent]) -> int:
    """Insert or update ``events`` with their own provenance; returns how many were written.

    Rows are updated in place, never deleted and re-inserted: other records (alerts, merges)
    point at maritime events through their own provenance rows, and those must survive a re-run.
    Only this event's own provenance (``subject_kind == "maritime_event"``) is replaced.
    """
    now = datetime.now(UTC)
    with store.session() as session:
        ids = [e.id for e in events]
        existing: dict[str, MaritimeEventRow] = {}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            session.execute(
                delete(Provenance).where(Provenance.subject_kind == SUBJECT, Provenance.subject_id.in_(part))
            )
            existing.update(
                (row.id, row)
                for row in session.scalars(select(MaritimeEventRow).where(MaritimeEventRow.id.in_(part)))
            )
        session.flush()
        for event in events:
            imo, name = _vessel(event)
            values = {
                "kind": event.kind.value,
                "mmsi": event.mmsi,
                "other_mmsi": event.other_mmsi,
                "imo": imo,
                "vessel_name": name,
                "start": event.start,
                "end": event.end,
                "lat": event.lat,
                "lon": event.lon,
                "port": event.details.get("port"),
                "list_entries": sorted({link.entry_key for link in event.links if link.strong}),
                "data": event.to_dict(),
            }
            row = existing.get(event.id)
            if row is None:
                session.add(MaritimeEventRow(id=event.id, created_at=now, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)
        session.flush()
        session.add_all([row for event in events for row in _provenance(event)])
    return len(events)


def is_synthetic_row(row: MaritimeEventRow) -> bool:
    """Whether a stored maritime event rests on simulated AIS (never evidence)."""
    return bool((row.data or {}).get("synthetic", False))


def load_events(
    store: Store,
    kind: EventKind | None = None,
    vessel: str | None = None,
    listed_only: bool = False,
    synthetic: bool | None = None,
) -> list[MaritimeEvent]:
    """Events from the store, by kind and/or vessel (a 7-digit IMO or a 9-digit MMSI), in time order;
    ``synthetic`` False keeps real events only, True simulated ones only, None both."""
    query = select(MaritimeEventRow)
    if kind is not None:
        query = query.where(MaritimeEventRow.kind == kind.value)
    if vessel is not None:
        digits = "".join(ch for ch in vessel if ch.isdigit())
        if not digits:
            return []
        number = int(digits)
        if len(digits) != 7:  # an MMSI; IMOs are matched below on every vessel of the event
            query = query.where(or_(MaritimeEventRow.mmsi == number, MaritimeEventRow.other_mmsi == number))
    query = query.order_by(MaritimeEventRow.start, MaritimeEventRow.id)
    with store.session() as session:
        rows = list(session.scalars(query))
        events = [MaritimeEvent.from_dict(row.data) for row in rows]
    if vessel is not None and len(digits) == 7:
        events = [e for e in events if _has_imo(e, digits)]
    if synthetic is not None:
        events = [e for e in events if e.synthetic is synthetic]
    return [e for e in events if e.listed] if listed_only else events
