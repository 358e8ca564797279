"""Assessment scaling: full against incremental, and against the per-date re-evaluation it replaced.

Run: ``/work/main/.venv/bin/python benchmarks/assess_bench.py [N ...]`` (default 200 800 3200 12800).

Input, built here and SYNTHETIC (never evidence; every document's origin is ``assess-bench``): N
reports over one year, in the assessment's record types (not flagged ``synthetic`` in the
records, or the assessment would rightly set them all aside). Their sentences are the real report
fixtures' sentences (tests/extract/fixtures, the founding AP report) with a third of the words
swapped, so that reports differ as real ones do; a quarter are syndicated copies of an earlier
report (same text plus a tail, within three days), which the independence links must find. Each
report carries one to three claims with the shapes of the fixtures' claims (the event types,
actors, objects and places of ``tests/assess/random_corpus.py``; stances, hedging and grades
drawn at random) about events dated near the report; one port call or encounter per 20 reports.

Figures, per N, each a fresh computation in this process:
- ``per_date_s``: the v1 timeline: every indicator re-evaluated on the evidence cut at each date
  its evidence arrived (what ``assess`` did before; 800 reports took 18.4 s on 2026-11-25). Only
  run up to 800 reports: it grows quadratically.
- ``full_s``: :func:`assess_evidence`, the whole year at once (one pass over the dates).
- ``add_day_s``: an :class:`IncrementalAssessor` holding every day but the last is given the
  last day's claims and maritime events (``add``); ``full/add`` is the ratio.
- ``review_s``: rejecting one shipment event (``review``).
The full and incremental results are checked equal on each run.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.assess.random_corpus import EVENT_SHAPES, OUTLETS, PORTS, TEXT_FILES  # noqa: E402

from watchfloor.assess.assessment import IncrementalAssessor, assess_evidence  # noqa: E402
from watchfloor.assess.evidence import (  # noqa: E402
    ClaimRecord,
    DocumentInfo,
    EventRecord,
    Evidence,
    MaritimeRecord,
    Span,
)
from watchfloor.assess.indicators import evaluate_indicator, relevant_days  # noqa: E402
from watchfloor.assess.policy import Policy, load_policy  # noqa: E402
from watchfloor.model.stance import Stance  # noqa: E402

START = date(2024, 1, 1)
DAYS = 365
PER_DATE_MAX = 800


def _sentences() -> tuple[list[list[str]], list[str]]:
    sentences: list[list[str]] = []
    vocabulary: set[str] = set()
    for path in TEXT_FILES:
        text = " ".join(path.read_text(encoding="utf-8").split())
        for sentence in text.split(". "):
            words = sentence.split()
            if len(words) >= 8:
                sentences.append(words)
                vocabulary.update(words)
    return sentences, sorted(vocabulary)


def build(n_reports: int, seed: int = 15) -> Evidence:
    """A SYNTHETIC year of ``n_reports`` reports (see the module docstring)."""
    rng = random.Random(seed)
    sentences, vocabulary = _sentences()

    def sentence() -> str:
        words = [rng.choice(vocabulary) if rng.random() < 0.33 else w for w in rng.choice(sentences)]
        return " ".join(words) + "."

    n_events = max(4, n_reports // 4)
    events = [
        (f"evt{i:06d}", rng.choice(EVENT_SHAPES), START + timedelta(days=rng.randrange(DAYS)))
        for i in range(n_events)
    ]
    by_week: dict[int, list[int]] = {}
    for index, (_, _, on) in enumerate(events):
        by_week.setdefault((on - START).days // 7, []).append(index)
    docs: dict[str, DocumentInfo] = {}
    claims: dict[str, list[ClaimRecord]] = {e[0]: [] for e in events}
    earlier: list[DocumentInfo] = []
    for i in range(n_reports):
        if earlier and rng.random() < 0.25:
            original = rng.choice(earlier[-50:])
            assert original.published is not None
            published = original.published + timedelta(days=rng.randrange(3))
            text = original.text + " Reporting by staff; editing by the desk."
        else:
            published = START + timedelta(days=rng.randrange(DAYS))
            text = " ".join(sentence() for _ in range(6))
        source = rng.choice(OUTLETS) if rng.random() < 0.3 else f"Outlet {i % 900}"
        grade = rng.choice("ABBCCDF")
        doc = DocumentInfo(f"doc{i:06d}", source, grade, None, published, "assess-bench", None, {}, text)
        docs[doc.id] = doc
        earlier.append(doc)
        week = (published - START).days // 7
        near = by_week.get(week) or by_week.get(week - 1) or [rng.randrange(n_events)]
        parts = text.split(". ")
        for j in range(rng.choice([1, 1, 1, 2, 2, 3])):
            event_id = events[rng.choice(near)][0]
            quote = parts[j % len(parts)]
            offset = text.index(quote)
            stance = rng.choice([Stance.ASSERTS] * 5 + [Stance.ACCUSES, Stance.SPECULATES, Stance.DENIES])
            claims[event_id].append(
                ClaimRecord(
                    f"clm-{doc.id}-{j}", event_id, doc.id, rng.choice(["officials", "Kirby", "the ministry"]),
                    None, stance, rng.random() < 0.3, doc.source_grade, rng.randrange(1, 7), published,
                    published, (Span(f"prov-{doc.id}-{j}", doc.id, offset, offset + len(quote), quote),),
                )
            )  # fmt: skip
    records = [
        EventRecord(eid, t, s, g, o, p, on, on, None, "extracted", tuple(claims[eid]))
        for eid, (t, s, g, o, p), on in events
        if claims[eid]
    ]
    maritime = []
    for k in range(max(1, n_reports // 20)):
        when = datetime.combine(START + timedelta(days=rng.randrange(DAYS)), datetime.min.time(), UTC)
        mmsi = 273000000 + rng.randrange(40)
        kind = "encounter" if rng.random() < 0.3 else "port_visit"
        port = rng.choice(PORTS) if kind == "port_visit" else None
        entries = (f"list-{mmsi}",) if mmsi % 3 else ()
        maritime.append(
            MaritimeRecord(f"mev{k:06d}", kind, mmsi, None, mmsi - 264000000, f"SYNTHETIC {mmsi % 100}", when,
                           when + timedelta(hours=8), None, None, port, entries, {"benchmark": "SYNTHETIC"})
        )  # fmt: skip
    maritime.sort(key=lambda m: (m.start, m.id))
    return Evidence(None, records, maritime, docs)


def per_date(evidence: Evidence, policy: Policy) -> None:
    """The v1 timeline: each indicator re-evaluated on the cut at every date its evidence arrived."""
    evidence.independence(policy.grading.near_duplicate_ratio)
    for spec in policy.indicators:
        for day in sorted(relevant_days(spec, evidence)):
            evaluate_indicator(spec, evidence.cut(day), policy)


def split_last_day(evidence: Evidence) -> tuple[Evidence, list[EventRecord], list[MaritimeRecord]]:
    last = max(evidence.dates())
    before: list[EventRecord] = []
    today: list[EventRecord] = []
    for event in evidence.events:
        old = tuple(c for c in event.claims if c.reported_on != last)
        new = tuple(c for c in event.claims if c.reported_on == last)
        if old:
            before.append(replace(event, claims=old))
        if new:
            today.append(replace(event, claims=new))
    maritime_before = [m for m in evidence.maritime if m.reported_on != last]
    maritime_today = [m for m in evidence.maritime if m.reported_on == last]
    return Evidence(None, before, maritime_before, dict(evidence.documents)), today, maritime_today


def _plain(assessment: Any) -> dict[str, Any]:
    data: dict[str, Any] = assessment.to_dict()
    data.pop("computed_at")
    return data


def main(sizes: list[int]) -> None:
    policy = load_policy()
    print("SYNTHETIC input (see the docstring); times in seconds on this machine, one process")
    for n in sizes:
        evidence = build(n)
        claims = sum(len(e.claims) for e in evidence.events)
        old_s = float("nan")
        if n <= PER_DATE_MAX:
            fresh = build(n)
            t0 = time.perf_counter()
            per_date(fresh, policy)
            old_s = time.perf_counter() - t0
        fresh = build(n)
        t0 = time.perf_counter()
        full = assess_evidence(fresh, policy)
        full_s = time.perf_counter() - t0
        held, today, maritime_today = split_last_day(evidence)
        assessor = IncrementalAssessor(policy, held)
        t0 = time.perf_counter()
        added = assessor.add(today, maritime_today, evidence.documents)
        add_s = time.perf_counter() - t0
        assert _plain(added) == _plain(full), "incremental and full assessments differ"
        shipment = next(e.id for e in evidence.events if e.type == "arms_transfer")
        t0 = time.perf_counter()
        assessor.review([shipment], "rejected")
        review_s = time.perf_counter() - t0
        today_claims = sum(len(e.claims) for e in today)
        print(
            f"reports={n:6d} claims={claims:6d} maritime={len(evidence.maritime):5d} "
            f"per_date_s={old_s:8.2f} full_s={full_s:7.2f} per_date/full={old_s / full_s:6.1f} "
            f"add_day_s={add_s:6.3f} (claims {today_claims:3d}) full/add={full_s / add_s:6.1f} "
            f"review_s={review_s:6.3f} recomputed={sorted(assessor.recomputed)} "
            f"stage={full.current_stage.level} comparisons={assessor.index.comparisons}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [200, 800, 3200, 12800])
