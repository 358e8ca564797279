"""Assessment scaling on a store: full against incremental, 1k to 100k reports (issue 15).

Run: ``PYTHONPATH=src /work/main/.venv/bin/python benchmarks/assess_bench.py`` (1,000, 10,000 and
100,000 reports; minutes) or ``... --quick`` (1,000 and 10,000), or name the sizes
(``... 1000 4000 16000``).

Input, built here and SYNTHETIC (never evidence; every document's origin is ``assess-bench``): N
reports over one year, written straight into a fresh SQLite store (bulk inserts in the real
schema: documents, events, claims, the claims' document spans, maritime events), seeded. Their
sentences are the real report fixtures' sentences (tests/extract/fixtures, the founding AP report)
with a third of the words swapped, so that reports differ as real ones do; a quarter are
syndicated copies of an earlier report (same text plus a tail, within three days), which the
independence links must find. Each report carries one to three claims with the shapes of the
fixtures' claims (the event types, actors, objects and places of ``tests/assess/random_corpus.py``;
stances, hedging and grades drawn at random) about events dated near the report; one port call
or encounter per 20 reports. The documents of the last day are stored as ingested later.

Figures, per N, each a fresh computation in this process:
- ``from_store``: an :class:`IncrementalAssessor` built from the store as it stood before the
  last day (reading it and the full computation); ``us/report`` and the growth against the first
  size (``growth`` for ``input`` times the reports: linear is 1.00x);
- ``load_s``, ``full_s``: reading the whole store (:func:`load_evidence`) and
  :func:`assess_evidence` on it (up to ``CHECK_MAX`` reports);
- ``add_day_s``: the held assessor reads what was ingested since and updates
  (``update_from_store``); ``from_store/add`` is the ratio. Checked equal to the full assessment;
- ``review_s``: rejecting one shipment event (``review``), and which indicators it recomputed,
  checked equal to a full assessment of the evidence with that event rejected.
Above ``CHECK_MAX`` reports the two checks are not run (see there).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from tests.assess.random_corpus import EVENT_SHAPES, OUTLETS, PORTS, TEXT_FILES  # noqa: E402

from watchfloor.assess.assessment import IncrementalAssessor, assess_evidence  # noqa: E402
from watchfloor.assess.evidence import (  # noqa: E402
    ClaimRecord,
    DocumentInfo,
    EventRecord,
    Evidence,
    MaritimeRecord,
    Span,
    load_evidence,
)
from watchfloor.assess.policy import Policy, load_policy  # noqa: E402
from watchfloor.model.stance import Stance  # noqa: E402
from watchfloor.store import Store, open_store  # noqa: E402
from watchfloor.store.models import Claim, Document, Event, MaritimeEvent, Provenance  # noqa: E402

START = date(2024, 1, 1)
DAYS = 365


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
                    f"clm-{doc.id}-{j}",
                    event_id,
                    doc.id,
                    rng.choice(["officials", "Kirby", "the ministry"]),
                    None,
                    stance,
                    rng.random() < 0.3,
                    doc.source_grade,
                    rng.randrange(1, 7),
                    published,
                    published,
                    (Span(f"prov-{doc.id}-{j}", doc.id, offset, offset + len(quote), quote),),
                )
            )
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
            MaritimeRecord(
                f"mev{k:06d}",
                kind,
                mmsi,
                None,
                mmsi - 264000000,
                f"SYNTHETIC {mmsi % 100}",
                when,
                when + timedelta(hours=8),
                None,
                None,
                port,
                entries,
                {"benchmark": "SYNTHETIC"},
            )
        )
    maritime.sort(key=lambda m: (m.start, m.id))
    return Evidence(None, records, maritime, docs)


Rows = list[tuple[Any, list[dict[str, Any]]]]


def write_store(evidence: Evidence, url: str) -> tuple[Store, datetime, Rows]:
    """Write the SYNTHETIC corpus into a fresh store but for the last day's documents, claims and
    maritime events, which are returned to be written later (:func:`insert`), with a time between."""
    store = open_store(url)
    last = max(d.published for d in evidence.documents.values() if d.published)
    early = datetime(2025, 1, 1, tzinfo=UTC)
    since = early + timedelta(hours=1)
    late = early + timedelta(hours=2)
    day_of = {d.id: d.published for d in evidence.documents.values()}
    documents = [
        {
            "id": d.id,
            "kind": "report",
            "fmt": "text",
            "origin": d.origin,
            "title": None,
            "url": None,
            "source": d.source,
            "source_grade": d.source_grade,
            "published": d.published,
            "length": len(d.text),
            "text": d.text,
            "meta": {},
            "ingested_at": late if d.published == last else early,
            "tlp": "clear",
        }
        for d in evidence.documents.values()
    ]
    events, claims, spans = [], [], []
    for e in evidence.events:
        events.append(
            {
                "id": e.id,
                "type": e.type,
                "plover": None,
                "source_actor": e.source_actor,
                "target_actor": e.target_actor,
                "object": e.object,
                "place": e.place,
                "date_start": e.date_start,
                "date_end": e.date_end,
                "summary": e.summary,
                "status": e.status,
                "data": {},
                "created_at": early,
                "tlp": "clear",
            }
        )
        for c in e.claims:
            claims.append(
                {
                    "id": c.id,
                    "event_id": e.id,
                    "document_id": c.document_id,
                    "speaker": c.speaker,
                    "speaker_actor": c.speaker_actor,
                    "stance": c.stance.value,
                    "hedged": c.hedged,
                    "reliability": c.reliability,
                    "credibility": c.credibility,
                    "claimed_on": c.claimed_on,
                    "claimed_until": None,
                    "data": {},
                    "created_at": late if day_of[c.document_id] == last else early,
                    "tlp": "clear",
                }
            )
            spans.extend(
                {
                    "id": sp.provenance_id,
                    "subject_kind": "claim",
                    "subject_id": c.id,
                    "kind": "document_span",
                    "document_id": sp.document_id,
                    "start": sp.start,
                    "end": sp.end,
                    "quote": sp.quote,
                    "list_entry_key": None,
                    "maritime_event_id": None,
                    "ais": None,
                }
                for sp in c.spans
            )
    maritime = [
        {
            "id": m.id,
            "kind": m.kind,
            "mmsi": m.mmsi,
            "other_mmsi": m.other_mmsi,
            "imo": m.imo,
            "vessel_name": m.vessel_name,
            "start": m.start,
            "end": m.end,
            "lat": m.lat,
            "lon": m.lon,
            "port": m.port,
            "list_entries": list(m.list_entries),
            "data": m.data,
            "created_at": late if m.reported_on == last else early,
            "tlp": "clear",
        }
        for m in evidence.maritime
    ]
    tables: Rows = [(Document, documents), (Event, events), (Claim, claims), (Provenance, spans)]
    tables.append((MaritimeEvent, maritime))
    later_claims = {r["id"] for r in claims if r["created_at"] == late}

    def early_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            r
            for r in rows
            if r.get("ingested_at", r.get("created_at")) != late and r.get("subject_id") not in later_claims
        ]

    insert_rows(store, [(model, early_rows(rows)) for model, rows in tables])
    later: Rows = [
        (model, [r for r in rows if r.get("ingested_at", r.get("created_at")) == late])
        for model, rows in tables[:3]
    ]
    later.append((Provenance, [r for r in spans if r["subject_id"] in later_claims]))
    later.append((MaritimeEvent, [r for r in maritime if r["created_at"] == late]))
    return store, since, later


def insert_rows(store: Store, tables: Rows) -> None:
    """Bulk inserts, table by table, in one transaction."""
    with store.session() as session:
        for model, rows in tables:
            for i in range(0, len(rows), 5000):
                session.execute(insert(model), rows[i : i + 5000])


def _plain(assessment: Any) -> dict[str, Any]:
    data: dict[str, Any] = assessment.to_dict()
    data.pop("computed_at")
    return data


def _rejected(evidence: Evidence, event_id: str) -> Evidence:
    events = [replace(e, status="rejected") if e.id == event_id else e for e in evidence.events]
    return Evidence(None, events, list(evidence.maritime), dict(evidence.documents))


CHECK_MAX = 10_000
"""Above this size the whole store is not assessed a second time (one full computation there takes
many minutes on a shared machine): the held assessor's build is the full figure, and equality with
the full computation is left to the sizes below and to tests/assess/test_incremental.py."""


def run(n: int, policy: Policy, directory: Path, first: tuple[int, float] | None) -> tuple[int, float]:
    t0 = time.perf_counter()
    corpus = build(n)
    store, since, later = write_store(corpus, f"sqlite:///{directory / f'assess-{n}.db'}")
    write_s = time.perf_counter() - t0
    with store.session() as session:
        t0 = time.perf_counter()
        assessor = IncrementalAssessor.from_store(session, policy)
        held_s = time.perf_counter() - t0
        held_claims = assessor.assessment.counts["claims"]
    insert_rows(store, later)
    full = None
    load_s = full_s = float("nan")
    if n <= CHECK_MAX:
        with store.session() as session:
            t0 = time.perf_counter()
            evidence = load_evidence(session)
            load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        full = assess_evidence(evidence, policy)
        full_s = time.perf_counter() - t0
    with store.session() as session:
        t0 = time.perf_counter()
        added = assessor.update_from_store(session, since)
        add_s = time.perf_counter() - t0
    claims = added.counts["claims"]
    checked = "not checked"
    if full is not None:
        assert _plain(added) == _plain(full), "incremental and full assessments differ"
        checked = "= full"
    add_recomputed = sorted(assessor.recomputed)
    shipment = next(e.id for e in assessor.evidence.events if e.type == "arms_transfer")
    snapshot = Evidence(None, list(assessor.evidence.events), list(assessor.evidence.maritime),
                        dict(assessor.evidence.documents))  # fmt: skip
    t0 = time.perf_counter()
    reviewed = assessor.review([shipment], "rejected")
    review_s = time.perf_counter() - t0
    review_checked = "not checked"
    if full is not None:
        assert _plain(reviewed) == _plain(assess_evidence(_rejected(snapshot, shipment), policy))
        review_checked = "= full"
    us = held_s / n * 1e6
    growth = "" if first is None else f" growth={us / first[1]:.2f}x per report for {n / first[0]:.0f}x input"
    print(
        f"reports={n:7d} claims={claims:7d} maritime={len(assessor.evidence.maritime):5d} "
        f"write_s={write_s:6.1f}\n"
        f"    from_store (load + full, all but the last day, {held_claims} claims) {held_s:.2f} s, "
        f"us/report={us:6.0f}{growth}\n"
        f"    whole store: load_s={load_s:6.2f} full_s={full_s:7.2f}\n"
        f"    add_day_s={add_s:6.3f} (claims {claims - held_claims}, recomputed {add_recomputed}, {checked}) "
        f"from_store/add={held_s / add_s:6.1f}x\n"
        f"    review_s={review_s:6.3f} recomputed {sorted(assessor.recomputed)} "
        f"of {len(policy.indicators)} ({review_checked}); "
        f"comparisons={assessor.index.comparisons} ({assessor.index.comparisons / n:.1f}/report) "
        f"stage={added.current_stage.level}",
        flush=True,
    )
    store.engine.dispose()
    return (n, us) if first is None else first


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    sizes = [int(a) for a in argv if a != "--quick"] or (
        [1_000, 10_000] if quick else [1_000, 10_000, 100_000]
    )
    policy = load_policy()
    print("SYNTHETIC input (see the docstring); times in seconds on this machine, one process")
    first: tuple[int, float] | None = None
    with tempfile.TemporaryDirectory(prefix="assess-bench-") as directory:
        for n in sizes:
            first = run(n, policy, Path(directory), first)


if __name__ == "__main__":
    main(sys.argv[1:])
