"""Alerts: raised once, each with its evidence; lowered stages and vessel alerts too."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.assess.evidence_builder import EvidenceBuilder
from watchfloor.assess.alerts import AlertKind, list_alerts, raise_alerts
from watchfloor.assess.assessment import assess
from watchfloor.assess.review import Decision, review_event
from watchfloor.store.models import Document, MaritimeEvent, Provenance

KIRBY = "North Korea has delivered more than 1,000 containers of munitions to Russia, the White House said."
NIS = (
    "North Korea has shipped 13,000 containers of artillery shells to Russia, the intelligence service said."
)


def _scene(builder: EvidenceBuilder) -> str:
    event = builder.event("arms_transfer", "kp", "ru", "containers of artillery shells and munitions")
    a = builder.document(KIRBY, date(2023, 10, 13), "Reuters")
    b = builder.document(NIS, date(2024, 10, 18), "Yonhap News Agency")
    builder.claim(event, a, KIRBY, "White House", "us")
    builder.claim(event, b, NIS, "intelligence service", "kr")
    builder.port_visit(
        273610310,
        "ANGARA",
        "dunai",
        datetime(2024, 10, 2, tzinfo=UTC),
        imo=9179842,
        list_entries=["us_ofac_sdn:1"],
    )
    builder.port_visit(
        273214860,
        "LADY R",
        None,
        datetime(2024, 10, 2, 6, tzinfo=UTC),  # type: ignore[arg-type]
        list_entries=["us_ofac_sdn:2"],
        kind="encounter",
        other_mmsi=445120003,
    )
    return event


def test_alerts_are_raised_once_with_their_evidence(session: Session, builder: EvidenceBuilder) -> None:
    _scene(builder)
    raised = raise_alerts(session, assess(session))
    kinds = sorted(a.kind for a in raised)
    assert kinds == sorted(
        [
            AlertKind.NEW_STAGE,
            AlertKind.INDICATOR_CORROBORATED,
            AlertKind.LISTED_VESSEL_PORT_CALL,
            AlertKind.DARK_MEETING,
        ]
    )
    assert raise_alerts(session, assess(session)) == []  # idempotent
    alerts = {a.kind: a for a in list_alerts(session)}
    corroborated = alerts["indicator_corroborated"]
    assert corroborated.data["indicator"] == "munitions_kp_to_ru"
    spans = [e for e in corroborated.evidence if e.kind == "document_span"]
    assert len(spans) == 2
    for span in spans:
        document = session.get(Document, span.document_id)
        assert document is not None and document.text[span.start : span.end] == span.quote
    port_call = alerts["listed_vessel_port_call"]
    assert "ANGARA" in port_call.title and "Dunai" in port_call.title
    kinds_of_evidence = {e.kind for e in port_call.evidence}
    assert kinds_of_evidence == {"ais", "list_entry"}
    for item in port_call.evidence:
        if item.kind == "ais":
            assert session.get(MaritimeEvent, item.maritime_event_id) is not None
    assert alerts["new_stage"].data["level"] == 2


def test_no_alerts_from_an_as_of_assessment(session: Session, builder: EvidenceBuilder) -> None:
    _scene(builder)
    assert raise_alerts(session, assess(session, date(2024, 12, 31))) == []


def test_a_lowered_stage_is_alerted(session: Session, builder: EvidenceBuilder) -> None:
    event = _scene(builder)
    raise_alerts(session, assess(session))
    review_event(session, event, Decision.REJECT, "misread", "analyst")
    lowered = raise_alerts(session, assess(session))
    assert [a.kind for a in lowered if a.kind.startswith("stage")] == ["stage_lowered"]
    stage_alert = next(a for a in lowered if a.kind == "stage_lowered")
    assert stage_alert.data["previous_level"] == 2 and stage_alert.data["level"] == 1
    rows = session.scalars(select(Provenance).where(Provenance.subject_id == stage_alert.id)).all()
    assert all(r.subject_kind == "alert" for r in rows)


def test_alert_evidence_is_restored_after_maritime_events_are_rewritten(
    session: Session, builder: EvidenceBuilder
) -> None:
    _scene(builder)
    raise_alerts(session, assess(session))
    ais_rows = select(Provenance).where(Provenance.subject_kind == "alert", Provenance.kind == "ais")
    before = len(session.scalars(ais_rows).all())
    assert before > 0
    # What a re-detection that deletes and re-inserts its maritime rows does to other rows.
    for row in session.scalars(ais_rows).all():
        session.delete(row)
    session.flush()
    assert raise_alerts(session, assess(session)) == []  # nothing new ...
    assert len(session.scalars(ais_rows).all()) == before  # ... but the evidence is back
