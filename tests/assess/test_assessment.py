"""The stage the indicators support, what would move it, and the as-of cut (builder-made rows)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tests.assess.evidence_builder import EvidenceBuilder
from watchfloor.assess.assessment import assess
from watchfloor.assess.policy import Status

KIRBY = "North Korea has delivered more than 1,000 containers of munitions to Russia, the White House said."
NIS = (
    "North Korea has shipped 13,000 containers of artillery shells to Russia, the intelligence service said."
)
TROOPS = (
    "Some North Korean soldiers were believed to be heading for the Kursk border region, the Pentagon said."
)


def _scene(builder: EvidenceBuilder) -> dict[str, str]:
    shells = builder.event("arms_transfer", "kp", "ru", "containers of artillery shells and munitions")
    troops = builder.event("troop_deployment", "North Korea", "Russia", None, "Kursk")
    a = builder.document(KIRBY, date(2023, 10, 13), "Reuters")
    b = builder.document(NIS, date(2024, 10, 18), "Yonhap News Agency")
    c = builder.document(TROOPS, date(2024, 10, 29), "Associated Press")
    builder.claim(shells, a, KIRBY, "White House", "us")
    builder.claim(shells, b, NIS, "intelligence service", "kr")
    builder.claim(troops, c, TROOPS, "Pentagon spokesperson", "us", hedged=True, credibility=3)
    return {"shells": shells, "troops": troops}


def test_stage_follows_the_triggers_and_names_what_would_move_it(
    session: Session, builder: EvidenceBuilder
) -> None:
    ids = _scene(builder)
    assessment = assess(session)
    assert assessment.current_stage.level == 2
    assert assessment.indicator("munitions_kp_to_ru").status is Status.CORROBORATED
    # State names in the store ("North Korea") resolve to the canonical actors.
    assert assessment.indicator("troops_kp_in_ru").status is Status.REPORTED
    assert assessment.next_stage == "stage-3"
    missing = {t.indicator: t for t in assessment.missing_for_next}
    assert missing["troops_kp_in_ru"].required is Status.CORROBORATED
    assert "1 more independent source" in (missing["troops_kp_in_ru"].needs or "")
    stage1 = next(s for s in assessment.stages if s.level == 1)
    stage2 = next(s for s in assessment.stages if s.level == 2)
    assert (stage1.first_supported, stage2.first_supported) == (date(2023, 10, 13), date(2024, 10, 18))
    assert assessment.stage_timeline == [(date(2023, 10, 13), 1), (date(2024, 10, 18), 2)]
    # The shipment event alone holds stage 2: rejecting it would lower the stage.
    assert [lp.event_id for lp in assessment.linchpins] == [ids["shells"]]
    assert assessment.linchpins[0].stage_without == 1
    assert assessment.cooperation is not None
    assert 0 < assessment.cooperation.score < 100
    assert "never" in assessment.cooperation.explanation or "summary" in assessment.cooperation.explanation


def test_as_of_ignores_what_was_reported_later(session: Session, builder: EvidenceBuilder) -> None:
    _scene(builder)
    early = assess(session, date(2024, 10, 1))
    assert early.current_stage.level == 1
    assert early.indicator("munitions_kp_to_ru").status is Status.REPORTED
    assert early.indicator("troops_kp_in_ru").status is Status.NOT_OBSERVED
    assert early.counts["claims_after_as_of_ignored"] == 2
    before_all = assess(session, date(2023, 1, 1))
    assert before_all.current_stage.level == 0
    assert before_all.counts["claims"] == 0


def test_to_dict_is_json_ready(session: Session, builder: EvidenceBuilder) -> None:
    import json

    _scene(builder)
    data = assess(session).to_dict()
    text = json.dumps(data)
    assert data["current_stage"]["level"] == 2
    assert data["algorithm"] == "watchfloor-stage-v1"
    assert {i["id"]: i["status"] for i in data["indicators"]}["munitions_kp_to_ru"] == "corroborated"
    assert "2023-10-13" in text
