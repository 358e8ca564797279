"""Bugs the AIS fuzz tests found, each pinned by the smallest input that showed it."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA
from watchfloor.sources.ais.batch import AisBatch
from watchfloor.sources.ais.reader import read_ais
from watchfloor.sources.ais.report import ReadReport

DMA_CSV = SHARED_DATA / "ais" / "dma_aisdk_2022-09-17_10k.csv.gz"


def _dma_head(lines: int) -> list[bytes]:
    with gzip.open(DMA_CSV, "rb") as handle:
        return [handle.readline() for _ in range(lines)]


@pytest.mark.parametrize(
    ("header_edit", "kept"),
    [
        (lambda h: h[1:], False),  # one column fewer than the rows: every field shifts, rows refused
        (lambda h: b",," + h, True),  # more columns than the rows: the rows are short, still read
    ],
)
def test_csv_header_and_rows_of_different_widths(
    header_edit: Callable[[bytes], bytes], kept: bool, tmp_path: Path
) -> None:
    """Found by the fuzzer: a header narrower or wider than its rows raised polars' SchemaError."""
    head, *rows = _dma_head(30)
    path = tmp_path / "dma.csv"
    path.write_bytes(header_edit(head) + b"".join(rows))
    report = ReadReport(str(path))
    batch = AisBatch.concat(list(read_ais(path, report)))
    assert report.lines == 30
    if kept:
        assert batch.positions.height > 0
    else:
        assert report.dropped > 0
