"""Bugs the AIS fuzz tests found, each pinned by the smallest input that showed it."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA
from watchfloor.errors import InputError
from watchfloor.sources.ais.batch import AisBatch
from watchfloor.sources.ais.reader import read_ais
from watchfloor.sources.ais.report import ReadReport

DMA_CSV = SHARED_DATA / "ais" / "dma_aisdk_2022-09-17_10k.csv.gz"
KYSTVERKET_NM4 = SHARED_DATA / "ais" / "kystverket_ais1000lines_2019-08-07.nm4"


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


def test_cut_gzip_names_the_file_and_offset(tmp_path: Path) -> None:
    """Found by the fuzzer: a gzip file cut short escaped as EOFError."""
    data = gzip.compress(KYSTVERKET_NM4.read_bytes())
    path = tmp_path / "feed.nm4.gz"
    path.write_bytes(data[:-5])
    with pytest.raises(InputError, match=r"feed\.nm4\.gz, byte \d+: damaged compressed data"):
        list(read_ais(path))


def test_corrupt_deflate_data_names_the_file(tmp_path: Path) -> None:
    """A flipped bit inside the deflate stream (zlib.error or a CRC mismatch) is one InputError."""
    data = bytearray(gzip.compress(KYSTVERKET_NM4.read_bytes()))
    data[len(data) // 2] ^= 0x10
    path = tmp_path / "feed.nm4.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"feed\.nm4\.gz, byte \d+: damaged compressed data"):
        list(read_ais(path))
