"""The assessment: every indicator's status over time, the stage it supports and what would move it.

The same store, policy and ``as_of`` give the same assessment. Its parts carry versioned
algorithm names and explanations; the optional degree-of-cooperation score accompanies the stage
and never replaces it. The entry points live here; the computation is
:class:`~watchfloor.assess.incremental.IncrementalAssessor` (a full assessment is the assessor fed
everything at once) and the result's types are in :mod:`watchfloor.assess.result`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from watchfloor.assess.evidence import Evidence, load_evidence
from watchfloor.assess.incremental import IncrementalAssessor
from watchfloor.assess.policy import Policy, load_policy
from watchfloor.assess.result import (
    CLAIM_GRADE_ALGORITHM,
    Assessment,
    CooperationScore,
    Linchpin,
    ScoreTerm,
)

__all__ = [
    "CLAIM_GRADE_ALGORITHM",
    "Assessment",
    "CooperationScore",
    "IncrementalAssessor",
    "Linchpin",
    "ScoreTerm",
    "assess",
    "assess_evidence",
]


def assess_evidence(evidence: Evidence, policy: Policy) -> Assessment:
    """The assessment of an evidence snapshot under ``policy`` (the full computation)."""
    return IncrementalAssessor(policy, evidence).assessment


def assess(session: Session, as_of: date | None = None, policy: Policy | None = None) -> Assessment:
    """Assess what the store holds (as reported up to ``as_of``) under ``policy`` (default: settings)."""
    return assess_evidence(load_evidence(session, as_of), policy or load_policy())
