"""Analyst review: decisions change the assessment and stay in the append-only audit log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.assess.evidence_builder import EvidenceBuilder
from watchfloor.assess.assessment import assess
from watchfloor.assess.policy import Status
from watchfloor.assess.review import Decision, audit_log, review, review_event
from watchfloor.errors import InputError, NotFoundError
from watchfloor.store.models import Event

KIRBY = "North Korea has delivered more than 1,000 containers of munitions to Russia, the White House said."
NIS = (
    "North Korea has shipped 13,000 containers of artillery shells to Russia, the intelligence service said."
)


def _two_tellings(builder: EvidenceBuilder) -> tuple[str, str]:
    """The same shipments, extracted as two events from two reports."""
    first = builder.event("arms_transfer", "kp", "ru", "containers of munitions", on=date(2023, 10, 1))
    second = builder.event(
        "arms_transfer", "kp", "ru", "containers of munitions and shells", on=date(2023, 11, 1)
    )
    a = builder.document(KIRBY, date(2023, 10, 13), "Reuters")
    b = builder.document(NIS, date(2024, 10, 18), "Yonhap News Agency")
    builder.claim(first, a, KIRBY, "White House", "us")
    builder.claim(second, b, NIS, "intelligence service", "kr")
    return first, second


def test_rejecting_an_event_rejects_every_telling_and_lowers_the_stage(
    session: Session, builder: EvidenceBuilder
) -> None:
    first, second = _two_tellings(builder)
    assert assess(session).current_stage.level == 2
    outcome = review(session, first, Decision.REJECT, "the containers were fertiliser", "analyst-1")
    assert set(outcome.affected) == {first, second}
    assert {session.get(Event, e).status for e in (first, second)} == {"rejected"}  # type: ignore[union-attr]
    after = assess(session)
    assert after.current_stage.level == 0
    assert after.indicator("munitions_kp_to_ru").status is Status.NOT_OBSERVED
    (entry,) = audit_log(session)
    assert (entry.subject_id, entry.decision, entry.analyst) == (first, "reject", "analyst-1")
    assert entry.reason == "the containers were fertiliser"


def test_confirming_a_corroborated_event_confirms_the_indicator(
    session: Session, builder: EvidenceBuilder
) -> None:
    first, _ = _two_tellings(builder)
    review_event(session, first, Decision.CONFIRM, "matches our own imagery", "analyst-2")
    result = assess(session)
    assert result.indicator("munitions_kp_to_ru").status is Status.CONFIRMED
    assert result.current_stage.level == 3


def test_decisions_are_appended_never_rewritten(session: Session, builder: EvidenceBuilder) -> None:
    first, _ = _two_tellings(builder)
    review_event(session, first, Decision.REJECT, "first look", "a")
    review_event(session, first, Decision.CONFIRM, "second look, new imagery", "b")
    log = audit_log(session, first)
    assert [(e.decision, e.analyst) for e in log] == [("reject", "a"), ("confirm", "b")]
    assert session.get(Event, first).status == "confirmed"  # type: ignore[union-attr]


def test_a_reason_is_required_and_unknown_ids_are_refused(session: Session, builder: EvidenceBuilder) -> None:
    first, _ = _two_tellings(builder)
    with pytest.raises(InputError, match="reason"):
        review(session, first, Decision.REJECT, "  ", "a")
    with pytest.raises(NotFoundError):
        review(session, "event-does-not-exist", Decision.REJECT, "why", "a")
    assert audit_log(session) == []
