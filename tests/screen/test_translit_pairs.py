"""The Korean/Russian evaluation pairs (benchmarks/data/translit_pairs.csv) are well-formed, rest
on real list entries, and a sample of them screens correctly."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from watchfloor.model.schema import Schema
from watchfloor.screen import Query, ScreenIndex, screen
from watchfloor.sources.lists.records import ListEntry

PAIRS = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "translit_pairs.csv"


def _rows() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_pairs_cover_both_languages_labels_and_systems(all_entries: list[ListEntry]) -> None:
    rows = _rows()
    assert len(rows) >= 300
    counts = Counter((r["language"], r["label"]) for r in rows)
    for language in ("ko", "ru"):
        assert counts[(language, "1")] >= 150 and counts[(language, "0")] >= 150
    systems = {r["query_made_by"] for r in rows}
    assert {"hangul", "ko_rr", "ko_mr", "ko_dprk", "cyrillic", "ru_iso9", "ru_gost_b", "ru_icao"} <= systems
    names = {(e.source.value, e.entry_id): {n.value for n in e.names} for e in all_entries}
    for row in rows:
        assert row["list_name"] in names[(row["list"], row["entry_id"])], row


def test_a_sample_of_pairs_screens_correctly(full_index: ScreenIndex) -> None:
    rows = _rows()
    sample = rows[::20]
    right = 0
    for row in sample:
        matches = screen(Query(row["query"], schema=Schema.PERSON), full_index, limit=50)
        predicted = any(m.key == f"{row['list']}:{row['entry_id']}" and m.match for m in matches)
        right += predicted == (row["label"] == "1")
    assert right / len(sample) >= 0.95, right / len(sample)
