"""An indicator's status date by date in one pass, instead of a re-evaluation per date.

As the evidence date moves forward, claims are only ever added (reviews apply whatever the date),
so the independent-source groups of an indicator are a union-find that only merges: each claim
is added once, each group keeps its best claim and its lowest credibility, and the counts the
status rule needs (:func:`watchfloor.assess.status.decide_status`) are kept up to date on
every merge. The status after each date is exactly what evaluating the indicator on the evidence
cut at that date gives; the tests compare the two on every fixture and on a random corpus.
"""

from __future__ import annotations

from dataclasses import dataclass

from watchfloor.assess.evidence import ClaimRecord, EventRecord, MaritimeRecord
from watchfloor.assess.independence import IndependenceIndex
from watchfloor.assess.matching import match_maritime
from watchfloor.assess.policy import EvidenceRole, IndicatorSpec, Policy, Status
from watchfloor.assess.status import base_grade, best_key, decide_status
from watchfloor.model.stance import Stance


@dataclass
class _Group:
    """What one independent source contributes: its best substantive claim and lowest credibility."""

    best: tuple[float, str, str] | None = None
    reliability: str = "F"
    hedged: bool = False
    min_credibility: int = 7
    weight: float = 0.0


class StatusTracker:
    """The running status of one indicator as claims and maritime matches arrive."""

    def __init__(self, spec: IndicatorSpec, policy: Policy, index: IndependenceIndex) -> None:
        self.spec = spec
        self.policy = policy
        self.index = index
        self.parent: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        self.groups: dict[str, _Group] = {}
        self.claims: set[str] = set()
        self.substantive = 0
        self.speculative = 0
        self.confirmed = False
        self.confirmed_events: set[str] = set()
        self.documents_of: dict[str, set[str]] = {}
        """Event id -> the documents its claims here come from."""
        self.counting = 0
        self.strong = 0
        self.substantive_groups = 0
        self.maritime_any = False
        self.maritime_evidence = False
        rules = policy.status
        grading = policy.grading
        ais_weight = (
            grading.reliability_weight[grading.ais_reliability]
            * grading.credibility_weight[grading.ais_credibility]
        )
        self._ais_counts = ais_weight >= rules.corroborated.min_source_weight
        self._ais_strong = (
            grading.ais_reliability in rules.confirmed.strong_reliability
            and grading.ais_credibility <= rules.confirmed.strong_credibility_max
        )

    # -- the source groups ------------------------------------------------------------------
    def _find(self, doc: str) -> str:
        parent = self.parent
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    def _contribution(self, group: _Group) -> tuple[int, int]:
        if group.best is None:
            return 0, 0
        rules = self.policy.status
        counts = group.weight >= rules.corroborated.min_source_weight
        strong = (
            counts
            and group.reliability in rules.confirmed.strong_reliability
            and not group.hedged
            and group.min_credibility <= rules.confirmed.strong_credibility_max
        )
        return int(counts), int(strong)

    def _retire(self, root: str) -> _Group:
        group = self.groups.pop(root)
        counts, strong = self._contribution(group)
        self.counting -= counts
        self.strong -= strong
        self.substantive_groups -= group.best is not None
        return group

    def _settle(self, root: str, group: _Group) -> None:
        self.groups[root] = group
        counts, strong = self._contribution(group)
        self.counting += counts
        self.strong += strong
        self.substantive_groups += group.best is not None

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        first, second = (ra, rb) if ra < rb else (rb, ra)
        one, two = self._retire(first), self._retire(second)
        self.parent[second] = first
        merged = one
        if two.best is not None and (one.best is None or two.best < one.best):
            merged = _Group(two.best, two.reliability, two.hedged, one.min_credibility, two.weight)
        merged.min_credibility = min(one.min_credibility, two.min_credibility)
        self._settle(first, merged)

    def _add_document(self, doc: str) -> None:
        if doc in self.parent:
            return
        self.parent[doc] = doc
        self._settle(doc, _Group())
        for name in self.index.names(doc):
            other = self.by_name.setdefault(name, doc)
            if other != doc:
                self._union(doc, other)
        for other, _why in self.index.links.get(doc, ()):
            if other in self.parent:
                self._union(doc, other)

    def has_documents(self, a: str, b: str) -> bool:
        return a in self.parent and b in self.parent

    # -- evidence in ------------------------------------------------------------------------
    def add_claim(self, event: EventRecord, claim: ClaimRecord) -> None:
        """Add one claim of a live (not rejected) event that matches the indicator."""
        if claim.id in self.claims:
            return
        self.claims.add(claim.id)
        self.documents_of.setdefault(event.id, set()).add(claim.document_id)
        if event.status == "confirmed":
            self.confirmed = True
            self.confirmed_events.add(event.id)
        self._add_document(claim.document_id)
        if claim.stance is Stance.SPECULATES:
            self.speculative += 1
            return
        if claim.stance not in (Stance.ASSERTS, Stance.ACCUSES):
            return
        self.substantive += 1
        grade = base_grade(self.policy, claim)
        root = self._find(claim.document_id)
        group = self._retire(root)
        key = best_key(grade.weight, claim)
        if group.best is None or key < group.best:
            group.best, group.reliability, group.hedged = key, grade.reliability, claim.hedged
            group.weight = grade.weight
        group.min_credibility = min(group.min_credibility, grade.credibility)
        self._settle(root, group)

    def set_maritime(self, records: list[MaritimeRecord]) -> None:
        """The maritime records reported so far (every one, not only this indicator's).

        Each call holds every record of the one before and more (evidence only arrives), so where
        all the indicator's matchers play one role a match, once found, stays: nothing is re-matched
        after it (re-matching the pool on every day would grow with the square of the records).
        """
        roles = {m.role for m in self.spec.maritime}
        if len(roles) == 1 and self.maritime_any:
            return
        found: dict[str, EvidenceRole] = {}
        for matcher in self.spec.maritime:
            for match in match_maritime(matcher, records):
                found.setdefault(match.record.id, match.role)
        self.maritime_any = bool(found)
        self.maritime_evidence = any(role is EvidenceRole.EVIDENCE for role in found.values())

    # -- the status out ---------------------------------------------------------------------
    def status(self) -> Status:
        return self._decide(self.substantive > 0, self.speculative > 0, self.counting, self.strong > 0,
                            self.confirmed)  # fmt: skip

    def lower_bound_without(self, event_ids: set[str]) -> Status:
        """A status the indicator keeps at least were ``event_ids`` rejected (cheap, exact bound).

        The source groups their claims do not touch stay as they are; the touched ones may split
        or vanish, so they are left out. The status rule only grows with what it counts, so the
        status on what is left is never below this.
        """
        touched = {self._find(d) for e in event_ids for d in self.documents_of.get(e, ())}
        counting, strong = self.counting, self.strong
        for root in touched:
            group_counts, group_strong = self._contribution(self.groups[root])
            counting -= group_counts
            strong -= group_strong
        substantive = self.substantive_groups - sum(1 for r in touched if self.groups[r].best is not None)
        confirmed = bool(self.confirmed_events - event_ids)
        return self._decide(substantive > 0, False, counting, strong > 0, confirmed)

    def _decide(self, substantive: bool, speculative: bool, doc_counting: int, doc_strong: bool,
                confirmed: bool) -> Status:  # fmt: skip
        anchored = substantive or self.maritime_evidence
        ais = self.maritime_any and anchored and self._ais_counts
        analyst = confirmed and anchored
        counting = doc_counting + int(ais) + int(analyst)
        strong = doc_strong or (ais and self.maritime_evidence and self._ais_strong) or analyst
        return decide_status(
            self.policy.status,
            substantive=substantive,
            speculative=speculative,
            evidence_maritime=self.maritime_evidence,
            counting=counting,
            strong=strong,
            non_analyst=counting - int(analyst),
            analyst=analyst,
        )
