"""Shuttle routes found by bisection give what scanning every visit gives (random port calls)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from watchfloor.assess.evidence import MaritimeRecord
from watchfloor.assess.matching import MaritimeMatch, _port_is, match_maritime
from watchfloor.assess.policy import MaritimeMatcher, load_policy

PORTS = ["Rajin", "Chongjin", "Nampo", "Dunai", "Vostochny", "Vladivostok", "Busan"]


def _scan(matcher: MaritimeMatcher, records: list[MaritimeRecord]) -> list[tuple[str, str]]:
    """The route rule as first written: every visit of the vessel looked at for every anchor."""
    assert matcher.ports_each is not None
    kinds = {k.lower() for k in matcher.kinds}
    ports = [p for group in matcher.ports_each for p in group]
    pool = [r for r in records if r.kind.lower() in kinds and (r.listed or not matcher.listed_only)]
    pool = [r for r in pool if any(_port_is(r, p) for p in ports)]
    by_vessel: dict[int, list[MaritimeRecord]] = defaultdict(list)
    for record in pool:
        by_vessel[record.imo or record.mmsi].append(record)
    window = timedelta(days=matcher.within_days)
    found: dict[str, str] = {}
    for visits in by_vessel.values():
        groups = [[v for v in visits if any(_port_is(v, p) for p in g)] for g in matcher.ports_each]
        if not all(groups):
            continue
        for anchor in groups[0]:
            chain = [anchor]
            for candidates in groups[1:]:
                near = [v for v in candidates if abs(v.start - anchor.start) <= window]
                if not near:
                    break
                chain.append(min(near, key=lambda v: abs(v.start - anchor.start)))
            else:
                route = " and ".join(sorted({v.port or "?" for v in chain}))
                for visit in chain:
                    found.setdefault(visit.id, route)
    return sorted(found.items())


def _visits(rng: random.Random, n: int) -> list[MaritimeRecord]:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    records = []
    for i in range(n):
        mmsi = 273000000 + rng.randrange(6)
        # Whole days only, so that two visits are often exactly as far from an anchor (ties).
        when = start + timedelta(days=rng.randrange(200))
        entries = (f"list-{mmsi}",) if mmsi % 2 else ()
        records.append(
            MaritimeRecord(f"m{i:04d}", "port_visit", mmsi, None, None, None, when, when + timedelta(hours=6),
                           None, None, rng.choice(PORTS), entries, {})
        )  # fmt: skip
    return records


def _routes(found: list[MaritimeMatch]) -> list[tuple[str, str]]:
    return sorted(
        (m.record.id, m.reason.split(" within ")[0].removeprefix("same vessel called at ")) for m in found
    )


@pytest.mark.parametrize("seed", range(8))
def test_routes_by_bisection_equal_the_scan_of_every_visit(seed: int) -> None:
    rng = random.Random(seed)
    matcher = next(m for s in load_policy().indicators for m in s.maritime if m.ports_each)
    records = sorted(_visits(rng, rng.randrange(20, 200)), key=lambda r: (r.start, r.id))
    found = match_maritime(matcher, records)
    assert found, "the random calls make some route"
    assert _routes(found) == _scan(matcher, records)
    shuffled = records[:]
    rng.shuffle(shuffled)  # out of start order the scan is used, with the same answer
    assert _routes(match_maritime(matcher, shuffled)) == _scan(matcher, shuffled)
