"""Which evidence an indicator reads: event matchers, maritime pools and shuttle routes.

The first step of evaluating an indicator (:mod:`watchfloor.assess.indicators`): an event
matches when it meets every condition of one of the indicator's matchers; a maritime event when
it is of the right kind, port and listing, and (for ``ports_each``) its vessel made the route.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise

from normality import normalize

from watchfloor.assess.evidence import EventRecord, Evidence, MaritimeRecord
from watchfloor.assess.policy import EventMatcher, EvidenceRole, IndicatorSpec, MaritimeMatcher


@lru_cache(maxsize=4096)
def _key(text: str | None) -> str:
    return normalize(text or "", lowercase=True) or ""


@lru_cache(maxsize=1024)
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"\b" + re.escape(word.lower()))


def has_word(text: str, word: str) -> bool:
    """Whether ``text`` has a word starting with ``word`` (``shell`` finds "shells", not "bombshell")."""
    return _word_pattern(word).search(text) is not None


def _actors_match(actors: tuple[str, ...], wanted: list[str | None]) -> bool:
    if not actors:
        return None in wanted
    return any(a in wanted for a in actors)


def match_event(matcher: EventMatcher, event: EventRecord) -> bool:
    """Whether ``event`` meets every condition of ``matcher``."""
    if event.type not in matcher.types and event.type.lower() not in {t.lower() for t in matcher.types}:
        return False
    if matcher.source_actors is not None and not _actors_match(event.source_actors, matcher.source_actors):
        return False
    if matcher.target_actors is not None and not _actors_match(event.target_actors, matcher.target_actors):
        return False
    text = event.text
    if matcher.text_any and not any(has_word(text, word) for word in matcher.text_any):
        return False
    return not (matcher.places_any and not any(has_word(text, word) for word in matcher.places_any))


def _port_is(record: MaritimeRecord, port: str) -> bool:
    return _key(record.port) == _key(port) or _key(record.port).replace(" ", "") == _key(port)


@dataclass(frozen=True)
class MaritimeMatch:
    record: MaritimeRecord
    role: EvidenceRole
    reason: str


def maritime_pool(matcher: MaritimeMatcher, records: list[MaritimeRecord]) -> list[MaritimeRecord]:
    """The records of the right kind, port and listing: every one a route could be made of."""
    kinds = {k.lower() for k in matcher.kinds}
    pool = [r for r in records if r.kind.lower() in kinds]
    if matcher.listed_only:
        pool = [r for r in pool if r.listed]
    if matcher.ports_any:
        pool = [r for r in pool if any(_port_is(r, p) for p in matcher.ports_any)]
    if matcher.ports_each:
        ports = [p for group in matcher.ports_each for p in group]
        pool = [r for r in pool if any(_port_is(r, p) for p in ports)]
    return pool


def relevant_days(spec: IndicatorSpec, evidence: Evidence) -> set[date]:
    """The days on which evidence that can change ``spec``'s status arrived (a superset)."""
    days: set[date] = set()
    for event in evidence.events:
        if any(match_event(m, event) for m in spec.events):
            days.update(c.reported_on for c in event.claims if c.reported_on)
    for matcher in spec.maritime:
        days.update(r.reported_on for r in maritime_pool(matcher, evidence.maritime))
    return days


def match_maritime(matcher: MaritimeMatcher, records: list[MaritimeRecord]) -> list[MaritimeMatch]:
    """The maritime events ``matcher`` selects, each with why."""
    pool = maritime_pool(matcher, records)
    listed = " (list-linked vessel)" if matcher.listed_only else ""
    if not matcher.ports_each:
        return [
            MaritimeMatch(r, matcher.role, f"{r.kind}{' at ' + r.port if r.port else ''}{listed}")
            for r in pool
        ]
    by_vessel: dict[int, list[MaritimeRecord]] = defaultdict(list)
    for record in pool:
        by_vessel[record.imo or record.mmsi].append(record)
    window = timedelta(days=matcher.within_days)
    groups = matcher.ports_each
    found: dict[str, MaritimeMatch] = {}
    for visits in by_vessel.values():
        per_group = [[v for v in visits if any(_port_is(v, p) for p in group)] for group in groups]
        if not all(per_group):
            continue
        # Visits in start order (the store's): the ones near an anchor are one slice, found by
        # bisection instead of a scan of every visit of the vessel for every anchor.
        ordered = [all(a.start <= b.start for a, b in pairwise(g)) for g in per_group]
        starts = [[v.start for v in g] for g in per_group]
        for anchor in per_group[0]:
            chain = [anchor]
            for k, candidates in enumerate(per_group[1:], 1):
                if ordered[k]:
                    lo = bisect.bisect_left(starts[k], anchor.start - window)
                    hi = bisect.bisect_right(starts[k], anchor.start + window)
                    near = candidates[lo:hi]
                else:
                    near = [v for v in candidates if abs(v.start - anchor.start) <= window]
                if not near:
                    break
                chain.append(min(near, key=lambda v: abs(v.start - anchor.start)))
            else:
                route = " and ".join(sorted({v.port or "?" for v in chain}))
                for visit in chain:
                    found.setdefault(
                        visit.id,
                        MaritimeMatch(
                            visit,
                            matcher.role,
                            f"same vessel called at {route} within {matcher.within_days} days{listed}",
                        ),
                    )
    return sorted(found.values(), key=lambda m: (m.record.start, m.record.id))
