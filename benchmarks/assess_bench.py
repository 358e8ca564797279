"""Assessment scaling: time to assess a store of N reports telling M events (synthetic rows).

Run: ``.venv/bin/python benchmarks/assess_bench.py [N ...]``. The rows are made by the test
builder (SYNTHETIC sentences, real schema): each report tells one shipment event (several reports
per event, a share of them near-identical syndicated copies) and some carry a troop claim. It
prints, per N, the wall time of a full assessment (every indicator's status at every evidence
date, the stage timeline and the linchpin analysis). There is no peer tool to compare against.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "assess"))

from evidence_builder import EvidenceBuilder  # noqa: E402

from watchfloor.assess.assessment import assess  # noqa: E402
from watchfloor.store import open_store  # noqa: E402

OUTLETS = ["Reuters", "Associated Press", "Yonhap News Agency", "BBC News", "38 North", "NK News",
           "Agence France-Presse", "Local Daily", "Regional Post", "Weekly Review"]  # fmt: skip


WORDS = [
    "port",
    "rail",
    "container",
    "ship",
    "imagery",
    "analyst",
    "sanctions",
    "ministry",
    "statement",
    "vessel",
    "cargo",
    "border",
    "artillery",
    "shipment",
    "satellite",
    "official",
    "report",
    "week",
    "month",
    "agency",
    "spokesperson",
    "evidence",
]


def build(n_reports: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    folder = tempfile.mkdtemp(prefix="assess-bench-")
    url = f"sqlite:///{folder}/bench.db"
    store = open_store(url)
    with store.session() as session:
        b = EvidenceBuilder(session)
        events = [b.event("arms_transfer", "kp", "ru", f"shipment {i} of artillery shells") for i in
                  range(max(1, n_reports // 5))]  # fmt: skip
        troops = b.event("troop_deployment", "kp", "ru", None, "Kursk")
        start = date(2023, 8, 1)
        for i in range(n_reports):
            day = start + timedelta(days=rng.randrange(0, 500))
            lede = " ".join(rng.choice(WORDS) for _ in range(12))
            base = (
                f"Report {i}: {lede}, North Korea shipped artillery shells to Russia through Rajin, "
                f"officials said on {day.isoformat()}. " + " ".join(rng.choice(WORDS) for _ in range(300))
            )
            syndicated = i % 4 == 3
            text = base + (" (wire copy)" if syndicated else f" Unique analysis {rng.random()}.")
            doc = b.document(text, day, OUTLETS[i % len(OUTLETS)] + ("" if i < 10 else f" {i}"))
            quote = text[: text.index(".") + 1]
            b.claim(events[i % len(events)], doc, quote, "officials", None, hedged=bool(i % 3 == 0))
            if i % 7 == 0:
                b.claim(troops, doc, quote, "officials", None, hedged=True)
    store.close()
    return url


def main(sizes: list[int]) -> None:
    for n in sizes:
        url = build(n)
        store = open_store(url)
        t0 = time.perf_counter()
        with store.session() as session:
            result = assess(session)
        elapsed = time.perf_counter() - t0
        store.close()
        print(
            f"reports={n:5d} events={result.counts['events']:4d} claims={result.counts['claims']:5d} "
            f"stage_changes={len(result.stage_timeline):2d} stage={result.current_stage.level} "
            f"assess_s={elapsed:7.2f}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [50, 100, 200])
