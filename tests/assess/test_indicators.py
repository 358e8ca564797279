"""Indicator status from graded, independent evidence (unit tests on builder-made rows).

These tests use :class:`EvidenceBuilder` rows, not the extraction pipeline, so that each rule
(independence, hedging, speculation, denial, rejection, AIS corroboration) is tested alone; the
acceptance tests run the real pipeline.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from tests.assess.evidence_builder import EvidenceBuilder
from watchfloor.assess.evidence import load_evidence
from watchfloor.assess.indicators import evaluate_indicator, indicator_timeline
from watchfloor.assess.policy import Status, load_policy

KIRBY = (
    "North Korea has delivered more than 1,000 containers of military equipment and munitions to Russia, "
    "a White House spokesperson said on Friday."
)
NIS = (
    "North Korea has shipped more than 13,000 containers of artillery shells and missiles to Russia since "
    "August last year, South Korea's intelligence service told lawmakers on Friday."
)
SPECULATION = "Officials fear Russia may offer North Korea missile technology in return for the shells."


def _munitions(session: Session, day: date | None = None):  # type: ignore[no-untyped-def]
    policy = load_policy()
    return evaluate_indicator(policy.indicator("munitions_kp_to_ru"), load_evidence(session, day), policy)


def _shipment(builder: EvidenceBuilder) -> str:
    return builder.event("arms_transfer", "kp", "ru", "containers of artillery shells and munitions")


def test_one_source_is_reported(session: Session, builder: EvidenceBuilder) -> None:
    event = _shipment(builder)
    doc = builder.document(KIRBY, date(2023, 10, 13), "Reuters")
    builder.claim(event, doc, KIRBY[:80], "White House spokesperson", "us")
    result = _munitions(session)
    assert result.status is Status.REPORTED
    assert result.independent_sources == 1
    assert "1 more independent source" in (result.next_status or "")


def test_two_outlets_repeating_one_wire_story_are_one_source(
    session: Session, builder: EvidenceBuilder
) -> None:
    event = _shipment(builder)
    first = builder.document(NIS, date(2024, 10, 18), "Yonhap News Agency")
    copy = builder.document(NIS + " (Yonhap)", date(2024, 10, 18), "Korea JoongAng Daily", grade="F")
    builder.claim(event, first, NIS[:90], "South Korea's intelligence service", "kr")
    builder.claim(event, copy, NIS[:90], "South Korea's intelligence service", "kr")
    result = _munitions(session)
    assert result.status is Status.REPORTED
    assert result.independent_sources == 1
    (source,) = [s for s in result.sources if s.counts]
    assert "Yonhap News Agency" in source.label and "Korea JoongAng Daily" in source.label
    assert any("near-identical" in why for why in source.joined_because)


def test_same_wire_origin_in_metadata_is_one_source(session: Session, builder: EvidenceBuilder) -> None:
    event = _shipment(builder)
    wire = builder.document(KIRBY, date(2023, 10, 13), "Associated Press")
    rewritten = builder.document(
        "A different lede. " + NIS,
        date(2023, 10, 14),
        "Local Paper",
        grade="C",
        meta={"wire": "Associated Press"},
    )
    builder.claim(event, wire, KIRBY[:80], "White House spokesperson", "us")
    builder.claim(event, rewritten, NIS[:90], "South Korea's intelligence service", "kr")
    assert _munitions(session).independent_sources == 1


def test_independent_sources_corroborate(session: Session, builder: EvidenceBuilder) -> None:
    event = _shipment(builder)
    a = builder.document(KIRBY, date(2023, 10, 13), "Reuters")
    b = builder.document(NIS, date(2024, 10, 18), "Yonhap News Agency")
    builder.claim(event, a, KIRBY[:80], "White House spokesperson", "us")
    builder.claim(event, b, NIS[:90], "South Korea's intelligence service", "kr")
    result = _munitions(session)
    assert result.status is Status.CORROBORATED
    # Press reports of official statements corroborate; they do not confirm.
    assert all(c.grade.credibility == 1 for c in result.claims)
    assert [
        (c.on, c.status)
        for c in indicator_timeline(
            load_policy().indicator("munitions_kp_to_ru"), load_evidence(session), load_policy()
        )
    ] == [(date(2023, 10, 13), Status.REPORTED), (date(2024, 10, 18), Status.CORROBORATED)]
    # As of before the second report, only one source was known.
    assert _munitions(session, date(2024, 1, 1)).status is Status.REPORTED


def test_too_weak_sources_do_not_corroborate(session: Session, builder: EvidenceBuilder) -> None:
    event = _shipment(builder)
    a = builder.document(KIRBY, date(2023, 10, 13), "Reuters")
    b = builder.document(NIS, date(2024, 10, 18), "Anonymous social media post", grade="E")
    builder.claim(event, a, KIRBY[:80], "White House spokesperson", "us")
    builder.claim(event, b, NIS[:90], "anonymous account", None, hedged=True, reliability="E", credibility=5)
    result = _munitions(session)
    assert result.status is Status.REPORTED
    assert "too weak to count" in result.explanation


def test_speculation_only_is_speculative(session: Session, builder: EvidenceBuilder) -> None:
    policy = load_policy()
    event = builder.event("technology_transfer", "ru", "kp", "missile technology")
    doc = builder.document(SPECULATION, date(2024, 10, 29), "Associated Press")
    builder.claim(event, doc, SPECULATION, "Officials", None, stance="speculates", hedged=True)
    result = evaluate_indicator(policy.indicator("tech_ru_to_kp"), load_evidence(session), policy)
    assert result.status is Status.SPECULATIVE
    assert result.claims[0].grade.credibility == 6


def test_denial_by_the_accused_is_recorded_not_refutation(session: Session, builder: EvidenceBuilder) -> None:
    event = _shipment(builder)
    a = builder.document(KIRBY, date(2023, 10, 13), "Reuters")
    b = builder.document(NIS, date(2024, 10, 18), "Yonhap News Agency")
    denial_text = "Moscow and Pyongyang called the reports of arms deliveries groundless."
    c = builder.document(denial_text, date(2024, 10, 20), "TASS", grade="D")
    builder.claim(event, a, KIRBY[:80], "White House spokesperson", "us")
    builder.claim(event, b, NIS[:90], "South Korea's intelligence service", "kr")
    builder.claim(event, c, denial_text, "Moscow and Pyongyang", "ru", stance="denies", reliability="D")
    result = _munitions(session)
    assert result.status is Status.CORROBORATED
    (denial,) = result.denials
    assert denial.role.startswith("denial by accused party")


def test_rejected_event_is_left_out(session: Session, builder: EvidenceBuilder) -> None:
    event = builder.event("arms_transfer", "kp", "ru", "artillery shells", status="rejected")
    doc = builder.document(KIRBY, date(2023, 10, 13), "Reuters")
    builder.claim(event, doc, KIRBY[:80], "White House spokesperson", "us")
    result = _munitions(session)
    assert result.status is Status.NOT_OBSERVED
    assert result.rejected_events == [event]


def test_ais_backs_reports_but_does_not_report_alone(session: Session, builder: EvidenceBuilder) -> None:
    t0 = datetime(2024, 9, 10, tzinfo=UTC)
    builder.port_visit(273610310, "ANGARA", "rajin", t0, imo=9179842, list_entries=["us_ofac_sdn:1"])
    builder.port_visit(
        273610310,
        "ANGARA",
        "dunai",
        datetime(2024, 9, 14, tzinfo=UTC),
        imo=9179842,
        list_entries=["us_ofac_sdn:1"],
    )
    builder.port_visit(999000001, "SYN BULK", "dunai", t0)  # not list-linked: not counted
    alone = _munitions(session)
    assert alone.status is Status.NOT_OBSERVED
    assert {m.port for m in alone.maritime} == {"rajin", "dunai"}
    event = _shipment(builder)
    doc = builder.document(KIRBY, date(2023, 10, 13), "Reuters")
    builder.claim(event, doc, KIRBY[:80], "White House spokesperson", "us")
    backed = _munitions(session)
    assert backed.status is Status.CORROBORATED
    assert {s.kind for s in backed.sources if s.counts} == {"document", "ais"}


def test_listed_port_call_alone_is_reported(session: Session, builder: EvidenceBuilder) -> None:
    policy = load_policy()
    builder.port_visit(
        273610310, "ANGARA", "Dunai", datetime(2024, 9, 14, tzinfo=UTC), list_entries=["us_ofac_sdn:1"]
    )
    builder.port_visit(999000001, "SYN BULK", "Dunai", datetime(2024, 9, 14, tzinfo=UTC))
    result = evaluate_indicator(policy.indicator("listed_vessel_port_call"), load_evidence(session), policy)
    assert result.status is Status.REPORTED
    assert [m.vessel_name for m in result.maritime] == ["ANGARA"]
