"""Grading evidence the way analysts do: the NATO/Admiralty system and estimative language.

Every claim carries the reliability of its source (A-F) and a credibility of the information
(1-6). The credibility the assessment uses is re-judged from what the claim says and whether
independent sources back it (``watchfloor-grade-v1``): 1 confirmed by other independent sources,
2 probably true (a plain assertion), 3 possibly true (hedged), 6 cannot be judged (speculation).
A claim's weight folds both grades and the hedging into one number in [0, 1] that decides whether
a source counts towards corroboration; the grades themselves are what the brief shows.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from watchfloor.assess.policy import Grading, Status
from watchfloor.model.grades import RELIABILITY_MEANING, clean_credibility, clean_reliability
from watchfloor.model.stance import Stance

GRADE_ALGORITHM = "watchfloor-grade-v1"


@dataclass(frozen=True)
class Grade:
    """A claim's grade as the assessment uses it, and why."""

    reliability: str
    credibility: int
    extracted_credibility: int
    weight: float
    explanation: str

    @property
    def code(self) -> str:
        return f"{self.reliability}{self.credibility}"


def grade_claim(
    grading: Grading,
    *,
    reliability: str | None,
    extracted_credibility: int | None,
    stance: Stance,
    hedged: bool,
    corroborated_elsewhere: bool,
) -> Grade:
    """Grade one claim: its source's reliability and a re-judged credibility, with the weight."""
    rel = clean_reliability(reliability)
    extracted = clean_credibility(extracted_credibility)
    speculative = stance is Stance.SPECULATES
    if speculative:
        cred, why = 6, "speculation: truth cannot be judged"
    elif corroborated_elsewhere:
        cred, why = 1, "confirmed by other independent sources"
    elif hedged:
        cred, why = max(3, extracted if extracted < 6 else 3), "hedged: possibly true or worse"
    else:
        cred, why = max(2, extracted if extracted < 6 else 2), "not yet corroborated"
    weight = grading.reliability_weight[rel] * grading.credibility_weight[cred]
    factors = [
        f"reliability {rel} ({grading.reliability_weight[rel]:g})",
        f"credibility {cred} ({grading.credibility_weight[cred]:g})",
    ]
    if hedged and not speculative:
        weight *= grading.hedged_factor
        factors.append(f"hedged x{grading.hedged_factor:g}")
    if speculative:
        weight *= grading.speculative_factor
        factors.append(f"speculative x{grading.speculative_factor:g}")
    explanation = f"{rel}{cred}: {RELIABILITY_MEANING[rel]}, {why}; weight " + " * ".join(factors)
    if extracted != cred:
        explanation += f" (extraction graded credibility {extracted})"
    return Grade(rel, cred, extracted, round(weight, 4), explanation)


class Estimate(enum.StrEnum):
    """The UK PHIA probability yardstick, used for key judgements."""

    REMOTE = "remote chance"
    HIGHLY_UNLIKELY = "highly unlikely"
    UNLIKELY = "unlikely"
    REALISTIC = "a realistic possibility"
    LIKELY = "likely"
    HIGHLY_LIKELY = "highly likely"
    ALMOST_CERTAIN = "almost certain"
    NOT_ASSESSABLE = "not assessable"


def estimate(status: Status, best_reliability: str, best_credibility: int) -> tuple[Estimate, str]:
    """Estimative language for an indicator from its status and its best-graded source, and why.

    The words are tied to the grades so that the brief never sounds surer than the evidence.
    """
    strong = best_reliability in ("A", "B")
    if status is Status.CONFIRMED:
        return Estimate.ALMOST_CERTAIN, "confirmed by an analyst or by several independent sources"
    if status is Status.CORROBORATED:
        if strong:
            return Estimate.HIGHLY_LIKELY, f"corroborated; best source graded {best_reliability}"
        return Estimate.LIKELY, f"corroborated, but no source better than {best_reliability}"
    if status is Status.REPORTED:
        if strong and best_credibility <= 2:
            return Estimate.LIKELY, f"one source, graded {best_reliability}{best_credibility}"
        return Estimate.REALISTIC, f"one source, graded {best_reliability}{best_credibility} (hedged or weak)"
    if status is Status.SPECULATIVE:
        return Estimate.NOT_ASSESSABLE, "speculation only: no basis for a probability judgement"
    return Estimate.NOT_ASSESSABLE, "not observed in the evidence"


class GradeMemo:
    """:func:`grade_claim` under one grading, remembered by its arguments: an indicator's thousands
    of claims fall into a few hundred combinations of grade, stance and hedging."""

    def __init__(self, grading: Grading) -> None:
        self.grading = grading
        self._memo: dict[tuple[str | None, int | None, Stance, bool, bool], Grade] = {}

    def __call__(
        self,
        *,
        reliability: str | None,
        extracted_credibility: int | None,
        stance: Stance,
        hedged: bool,
        corroborated_elsewhere: bool,
    ) -> Grade:
        key = (reliability, extracted_credibility, stance, hedged, corroborated_elsewhere)
        grade = self._memo.get(key)
        if grade is None:
            grade = self._memo[key] = grade_claim(
                self.grading,
                reliability=reliability,
                extracted_credibility=extracted_credibility,
                stance=stance,
                hedged=hedged,
                corroborated_elsewhere=corroborated_elsewhere,
            )
        return grade
