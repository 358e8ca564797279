"""Stance: what a speaker does with an event in one claim (asserts, accuses, denies, speculates).

Extraction sets it from the cues around a claim; assessment weighs claims by it; sharing carries it.
"""

from __future__ import annotations

from enum import StrEnum


class Stance(StrEnum):
    """How a speaker relates to the event they tell of."""

    ASSERTS = "asserts"
    DENIES = "denies"
    ACCUSES = "accuses"
    SPECULATES = "speculates"

    @classmethod
    def parse(cls, value: str | None) -> Stance:
        """A stance from stored or shared text; missing or unknown text is a plain assertion."""
        try:
            return cls((value or "asserts").strip().lower())
        except ValueError:
            return cls.ASSERTS
