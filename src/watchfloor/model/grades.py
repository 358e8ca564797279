"""The NATO/Admiralty grading scales: source reliability A-F and information credibility 1-6.

Every claim carries both; the wording of each grade is the standard one, shown in briefs and tables.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class SourceGrade(StrEnum):
    """Admiralty source-reliability grades."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"

    @property
    def meaning(self) -> str:
        """The grade's standard wording."""
        return RELIABILITY_MEANING[self.value]


class Credibility(IntEnum):
    """Admiralty information-credibility grades."""

    CONFIRMED = 1
    PROBABLY_TRUE = 2
    POSSIBLY_TRUE = 3
    DOUBTFUL = 4
    IMPROBABLE = 5
    CANNOT_BE_JUDGED = 6

    @property
    def meaning(self) -> str:
        """The grade's standard wording."""
        return CREDIBILITY_MEANING[self.value]


RELIABILITY_MEANING = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}

CREDIBILITY_MEANING = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}


def clean_reliability(value: str | None) -> str:
    """An A-F grade; anything else is F (cannot be judged)."""
    grade = (value or "F").strip().upper()[:1]
    return grade if grade in RELIABILITY_MEANING else "F"


def clean_credibility(value: int | None) -> int:
    """A 1-6 grade; anything else is 6 (cannot be judged)."""
    return value if isinstance(value, int) and 1 <= value <= 6 else 6
