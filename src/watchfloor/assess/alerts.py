"""Alerts: what an analyst should look at now, each linked to the evidence behind it.

Raised from a live assessment (never from an ``--as-of`` one): a new (or lowered) stage, a newly
corroborated indicator, a list-linked vessel calling at a watched port, and a dark ship-to-ship
meeting. Ids are deterministic, so assessing twice raises nothing twice. Each alert's evidence is
stored as :class:`Provenance` rows (``subject_kind='alert'``): document spans, AIS events, list
entries.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from watchfloor.assess.assessment import Assessment
from watchfloor.assess.indicators import IndicatorResult
from watchfloor.assess.policy import Status
from watchfloor.model.ids import stable_id
from watchfloor.store.models import Alert, Provenance

STAGE_KINDS = ("new_stage", "stage_lowered")


class AlertKind(enum.StrEnum):
    NEW_STAGE = "new_stage"
    STAGE_LOWERED = "stage_lowered"
    INDICATOR_CORROBORATED = "indicator_corroborated"
    LISTED_VESSEL_PORT_CALL = "listed_vessel_port_call"
    DARK_MEETING = "dark_meeting"


@dataclass(frozen=True)
class EvidencePointer:
    """One record an alert rests on: a document span, an AIS event or a list entry."""

    kind: str
    document_id: str | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    maritime_event_id: str | None = None
    list_entry_key: str | None = None


@dataclass
class AlertDraft:
    id: str
    kind: AlertKind
    title: str
    severity: str
    as_of: date | None
    data: dict[str, Any]
    evidence: list[EvidencePointer] = field(default_factory=list)


def _indicator_evidence(
    result: IndicatorResult, spans: dict[str, tuple[str, int | None, int | None, str | None]]
) -> list[EvidencePointer]:
    pointers: list[EvidencePointer] = []
    for claim in result.claims:
        if claim.role != "supports":
            continue
        for span_id in claim.span_ids:
            doc, start, end, quote = spans[span_id]
            pointers.append(EvidencePointer("document_span", doc, start, end, quote))
    for item in result.maritime:
        pointers.append(EvidencePointer("ais", maritime_event_id=item.maritime_id))
        pointers.extend(EvidencePointer("list_entry", list_entry_key=key) for key in item.list_entries)
    return pointers


def _span_index(
    session: Session, assessment: Assessment
) -> dict[str, tuple[str, int | None, int | None, str | None]]:
    ids = {s for r in assessment.indicators for c in r.claims for s in c.span_ids}
    index: dict[str, tuple[str, int | None, int | None, str | None]] = {}
    if ids:
        for row in session.scalars(select(Provenance).where(Provenance.id.in_(ids))):
            index[row.id] = (row.document_id or "", row.start, row.end, row.quote)
    return index


def _last_stage_alert(session: Session) -> Alert | None:
    statement = (
        select(Alert)
        .where(Alert.kind.in_(STAGE_KINDS))
        .order_by(Alert.created_at.desc(), Alert.id.desc())
        .limit(1)
    )
    return session.scalars(statement).first()


def derive_alerts(session: Session, assessment: Assessment) -> list[AlertDraft]:
    """The alerts ``assessment`` calls for (stored or not)."""
    if assessment.as_of is not None:
        return []
    spans = _span_index(session, assessment)
    drafts: list[AlertDraft] = []
    current = assessment.current_stage
    last = _last_stage_alert(session)
    last_level = int(last.data.get("level", 0)) if last is not None else 0
    if current.level != last_level:
        kind = AlertKind.NEW_STAGE if current.level > last_level else AlertKind.STAGE_LOWERED
        held = [t.indicator for t in current.triggers if t.met]
        evidence = [p for r in assessment.indicators if r.id in held for p in _indicator_evidence(r, spans)]
        verb = "raised" if kind is AlertKind.NEW_STAGE else "lowered"
        drafts.append(
            AlertDraft(
                id=stable_id("alert", kind, current.id, last.id if last else None),
                kind=kind,
                title=f"Stage {verb} from {last_level} to {current.level}: {current.name}",
                severity="critical" if kind is AlertKind.NEW_STAGE else "warning",
                as_of=current.first_supported,
                data={
                    "level": current.level,
                    "stage": current.id,
                    "previous_level": last_level,
                    "because": assessment.explanation,
                    "options": current.options,
                    "algorithm": assessment.algorithm,
                },
                evidence=evidence,
            )
        )
    for result in assessment.indicators:
        if result.status.rank >= Status.CORROBORATED.rank:
            first = next((c.on for c in result.timeline if c.status.rank >= Status.CORROBORATED.rank), None)
            drafts.append(
                AlertDraft(
                    id=stable_id(
                        "alert", AlertKind.INDICATOR_CORROBORATED, result.id, assessment.policy_version
                    ),
                    kind=AlertKind.INDICATOR_CORROBORATED,
                    title=(
                        f"{result.name}: {result.status.value} by "
                        f"{result.independent_sources} independent sources"
                    ),
                    severity="warning",
                    as_of=first,
                    data={
                        "indicator": result.id,
                        "status": result.status.value,
                        "explanation": result.explanation,
                        "sources": [s.label for s in result.sources if s.counts],
                    },
                    evidence=_indicator_evidence(result, spans),
                )
            )
    vessel_kinds = {
        "listed_vessel_port_call": AlertKind.LISTED_VESSEL_PORT_CALL,
        "dark_sts_meeting": AlertKind.DARK_MEETING,
    }
    for indicator_id, kind in vessel_kinds.items():
        try:
            result = assessment.indicator(indicator_id)
        except KeyError:
            continue
        for item in result.maritime:
            where = f" at {item.port.title()}" if item.port else ""
            name = item.vessel_name or f"MMSI {item.mmsi}"
            title = (
                f"Listed vessel {name} called{where} on {item.start.isoformat()}"
                if kind is AlertKind.LISTED_VESSEL_PORT_CALL
                else f"Dark meeting: {name}{where} on {item.start.isoformat()}"
            )
            drafts.append(
                AlertDraft(
                    id=stable_id("alert", kind, item.maritime_id),
                    kind=kind,
                    title=title,
                    severity="warning",
                    as_of=item.start,
                    data={
                        "maritime_event": item.maritime_id,
                        "mmsi": item.mmsi,
                        "imo": item.imo,
                        "vessel": item.vessel_name,
                        "port": item.port,
                        "list_entries": list(item.list_entries),
                        "reason": item.reason,
                    },
                    evidence=[EvidencePointer("ais", maritime_event_id=item.maritime_id)]
                    + [EvidencePointer("list_entry", list_entry_key=k) for k in item.list_entries],
                )
            )
    return drafts


def store_alerts(session: Session, drafts: list[AlertDraft]) -> list[Alert]:
    """Store the drafts not stored yet, with their evidence; the new alerts."""
    created: list[Alert] = []
    now = datetime.now(UTC)
    for draft in drafts:
        if session.get(Alert, draft.id) is None:
            alert = Alert(
                id=draft.id,
                kind=draft.kind.value,
                title=draft.title,
                severity=draft.severity,
                as_of=draft.as_of,
                data=draft.data,
                created_at=now,
            )
            session.add(alert)
            created.append(alert)
        # Evidence rows are (re)written for stored alerts too: a re-detection that replaced a
        # maritime event must not leave an alert pointing at nothing.
        seen: set[str] = set()
        for pointer in draft.evidence:
            prov_id = stable_id(
                "prov",
                "alert",
                draft.id,
                pointer.kind,
                pointer.document_id,
                pointer.start,
                pointer.maritime_event_id,
                pointer.list_entry_key,
            )
            if prov_id in seen:
                continue
            seen.add(prov_id)
            if session.get(Provenance, prov_id) is not None:
                continue
            session.add(
                Provenance(
                    id=prov_id,
                    subject_kind="alert",
                    subject_id=draft.id,
                    kind=pointer.kind,
                    document_id=pointer.document_id,
                    start=pointer.start,
                    end=pointer.end,
                    quote=pointer.quote,
                    list_entry_key=pointer.list_entry_key,
                    maritime_event_id=pointer.maritime_event_id,
                )
            )
    session.flush()
    return created


def raise_alerts(session: Session, assessment: Assessment) -> list[Alert]:
    """Derive and store the alerts of a live assessment; the ones raised now."""
    return store_alerts(session, derive_alerts(session, assessment))


@dataclass(frozen=True)
class AlertView:
    id: str
    kind: str
    title: str
    severity: str
    as_of: date | None
    created_at: datetime
    data: dict[str, Any]
    evidence: list[EvidencePointer]


def list_alerts(session: Session, kind: str | None = None) -> list[AlertView]:
    """Stored alerts, newest first, each with its evidence pointers."""
    statement = select(Alert).order_by(Alert.created_at.desc(), Alert.as_of.desc(), Alert.id)
    if kind:
        statement = statement.where(Alert.kind == kind)
    alerts = list(session.scalars(statement))
    evidence: dict[str, list[EvidencePointer]] = {a.id: [] for a in alerts}
    if alerts:
        rows = session.scalars(
            select(Provenance).where(Provenance.subject_kind == "alert", Provenance.subject_id.in_(evidence))
        )
        for row in rows:
            evidence[row.subject_id].append(
                EvidencePointer(
                    row.kind,
                    row.document_id,
                    row.start,
                    row.end,
                    row.quote,
                    row.maritime_event_id,
                    row.list_entry_key,
                )
            )
    return [
        AlertView(
            a.id, a.kind, a.title, a.severity, a.as_of, a.created_at, dict(a.data or {}), evidence[a.id]
        )
        for a in alerts
    ]
