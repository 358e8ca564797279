"""The evaluation pairs built from the lists (benchmarks/data/screen_pairs.csv, issue 12)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from watchfloor.screen import ScreenIndex

PAIRS = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "screen_pairs.csv"


def test_pairs_are_many_labelled_split_and_point_at_real_entries(full_index: ScreenIndex) -> None:
    with PAIRS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 2000
    labels = Counter(r["label"] for r in rows)
    assert labels["1"] >= 1000 and labels["0"] >= 1000
    splits = Counter(r["split"] for r in rows)
    assert min(splits.values()) >= 0.4 * len(rows)
    assert {r["script"] for r in rows} >= {"Latin", "Cyrillic", "Hangul"}
    assert {r["schema"] for r in rows} >= {"Person", "Organization", "Vessel"}
    keys = {item.entry.key for item in full_index.entries}
    assert all(r["candidate"] in keys for r in rows)
    # one identity group never sits in both halves
    halves: dict[str, set[str]] = {}
    for r in rows:
        halves.setdefault(r["group"], set()).add(r["split"])
    assert all(len(v) == 1 for v in halves.values())
    # every negative points at another entry than the one its query came from
    for r in rows:
        if r["label"] == "0" and not r["query_from"].startswith("translit_pairs.csv"):
            source, rest = r["query_from"].split(":", 1)
            assert r["candidate"] != f"{source}:{rest.split(':')[0]}", r
