"""The grading scales: one wording per grade, and anything unreadable falls to 'cannot be judged'."""

from __future__ import annotations

from watchfloor.model.grades import Credibility, SourceGrade, clean_credibility, clean_reliability


def test_every_reliability_grade_has_its_wording() -> None:
    assert [g.value for g in SourceGrade] == list("ABCDEF")
    assert SourceGrade.A.meaning == "completely reliable"
    assert SourceGrade.F.meaning == "reliability cannot be judged"


def test_every_credibility_grade_has_its_wording() -> None:
    assert [int(c) for c in Credibility] == [1, 2, 3, 4, 5, 6]
    assert Credibility.CONFIRMED.meaning == "confirmed by other sources"
    assert Credibility(6).meaning == "truth cannot be judged"


def test_unreadable_grades_cannot_be_judged() -> None:
    assert clean_reliability(" b ") == "B"
    assert clean_reliability("Z") == "F"
    assert clean_reliability(None) == "F"
    assert clean_credibility(3) == 3
    assert clean_credibility(0) == 6
    assert clean_credibility(None) == 6
