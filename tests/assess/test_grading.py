"""Grades: hedged and speculative claims weigh less; corroboration raises credibility to 1."""

from __future__ import annotations

from watchfloor.assess.grading import Estimate, estimate, grade_claim
from watchfloor.assess.policy import Status, load_policy
from watchfloor.model.stance import Stance


def _grade(**kwargs: object):  # type: ignore[no-untyped-def]
    args = {
        "reliability": "B",
        "extracted_credibility": 2,
        "stance": Stance.ASSERTS,
        "hedged": False,
        "corroborated_elsewhere": False,
    }
    args.update(kwargs)
    return grade_claim(load_policy().grading, **args)  # type: ignore[arg-type]


def test_hedged_and_speculative_weigh_less_than_plain() -> None:
    plain, hedged, speculative = _grade(), _grade(hedged=True), _grade(stance=Stance.SPECULATES)
    assert plain.weight > hedged.weight > speculative.weight > 0
    assert (plain.credibility, hedged.credibility, speculative.credibility) == (2, 3, 6)
    assert "hedged" in hedged.explanation and "speculative" in speculative.explanation


def test_corroborated_claim_is_credibility_1_and_bad_grades_fall_back() -> None:
    assert _grade(corroborated_elsewhere=True).code == "B1"
    odd = _grade(reliability="Z", extracted_credibility=9)
    assert odd.reliability == "F"


def test_extraction_credibility_is_kept_when_worse() -> None:
    assert _grade(extracted_credibility=4).credibility == 4
    assert "extraction graded credibility 4" not in _grade(extracted_credibility=4).explanation
    assert (
        "extraction graded credibility 5"
        in _grade(extracted_credibility=5, hedged=False, stance=Stance.SPECULATES).explanation
    )


def test_estimative_language_never_outruns_the_status() -> None:
    assert estimate(Status.CONFIRMED, "C", 3)[0] is Estimate.ALMOST_CERTAIN
    assert estimate(Status.CORROBORATED, "B", 2)[0] is Estimate.HIGHLY_LIKELY
    assert estimate(Status.CORROBORATED, "D", 2)[0] is Estimate.LIKELY
    assert estimate(Status.REPORTED, "B", 3)[0] is Estimate.REALISTIC
    assert estimate(Status.SPECULATIVE, "A", 1)[0] is Estimate.NOT_ASSESSABLE
