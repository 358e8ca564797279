"""The out-of-order count: vectorised, carried from block to block, equal to the plain definition."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import polars as pl

from watchfloor.sources.ais.batch import OrderCheck
from watchfloor.sources.ais.schema import POSITION_SCHEMA


def _positions(rows: list[tuple[int, datetime]]) -> pl.DataFrame:
    frame = pl.DataFrame({"mmsi": [m for m, _ in rows], "ts": [t for _, t in rows]})
    return frame.with_columns(pl.col("ts").cast(POSITION_SCHEMA["ts"]))


def _plain_count(rows: list[tuple[int, datetime]]) -> int:
    """The definition: a row is late if its vessel was already seen at a later time."""
    latest: dict[int, datetime] = {}
    late = 0
    for mmsi, ts in rows:
        if mmsi in latest and ts < latest[mmsi]:
            late += 1
        latest[mmsi] = max(ts, latest.get(mmsi, ts))
    return late


def test_counts_match_the_definition_across_blocks() -> None:
    rng = random.Random(3)
    start = datetime(2024, 10, 29, tzinfo=UTC)
    rows = [
        (rng.randint(1, 40), start + timedelta(seconds=i + rng.choice([0, 0, 0, -300]))) for i in range(5000)
    ]
    check = OrderCheck()
    counted = sum(check.count(_positions(rows[i : i + 700])) for i in range(0, len(rows), 700))
    assert counted == _plain_count(rows) > 0


def test_vessels_far_apart_in_time_and_an_empty_block() -> None:
    check = OrderCheck()
    old = datetime(1990, 1, 1, tzinfo=UTC)
    new = datetime(2030, 1, 1, tzinfo=UTC)
    assert check.count(_positions([(1, new), (2, old), (1, old), (2, old)])) == 1
    assert check.count(_positions([])) == 0
    assert check.count(_positions([(2, old - timedelta(seconds=1)), (3, old)])) == 1
