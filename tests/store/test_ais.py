"""The day-partitioned Parquet store: idempotent, atomic ingest and lazy scans for the detectors."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sources" / "ais"))
from tests.sources.ais.ais_samples import random_lines, tag_block
from watchfloor.errors import InputError
from watchfloor.sources.ais.schema import POSITION_SCHEMA, STATIC_SCHEMA
from watchfloor.store.ais import (
    ingest_file,
    ingested,
    scan_positions,
    scan_static,
    store_root,
)

DAY = 86_400


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    """Three days of encoded traffic (a new day every 1000 messages)."""
    lines = []
    for day in range(3):
        for line in random_lines(1000, seed=day, start=1_730_160_000 + day * DAY):
            lines.append(line)
    path = tmp_path / "feed.nmea"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_ingest_partitions_by_utc_day_and_reads_back_lazily(feed: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = ingest_file(feed, data)
    root = store_root(data)
    days = sorted(p.name for p in (root / "positions").iterdir())
    assert days == ["day=2024-10-29", "day=2024-10-30", "day=2024-10-31"]
    positions = scan_positions(data)
    assert isinstance(positions, pl.LazyFrame)
    frame = positions.collect()
    assert dict(frame.schema) == POSITION_SCHEMA
    assert frame.height == result.report.positions > 800
    assert dict(scan_static(data).collect().schema) == STATIC_SCHEMA
    # every row sits in the partition of its own UTC day
    for part in (root / "positions").glob("day=*/*.parquet"):
        day = date.fromisoformat(part.parent.name.removeprefix("day="))
        assert set(pl.read_parquet(part)["ts"].dt.date()) == {day}
    # provenance survives the round trip
    assert set(frame["src_file"].cast(pl.String)) == {str(feed.resolve())}
    assert frame["src_line"].min() >= 1


def test_day_range_prunes_partitions(feed: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest_file(feed, data)
    one_day = scan_positions(data, start=date(2024, 10, 30), end=date(2024, 10, 30)).collect()
    assert set(one_day["ts"].dt.date()) == {date(2024, 10, 30)}
    assert scan_positions(data, start=date(2030, 1, 1)).collect().height == 0


def test_reingesting_the_same_file_adds_nothing(feed: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = ingest_file(feed, data)
    copy = tmp_path / "copy-of-feed.nmea"
    copy.write_bytes(feed.read_bytes())
    again = ingest_file(feed, data)
    same_bytes = ingest_file(copy, data)
    assert not first.skipped and again.skipped and same_bytes.skipped
    assert again.report.as_dict()["causes"] == first.report.as_dict()["causes"]  # the stored report
    assert again.report.positions == first.report.positions
    assert scan_positions(data).collect().height == first.report.positions
    assert len(ingested(data)) == 1


def test_a_changed_file_replaces_its_rows(feed: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest_file(feed, data)
    lines = feed.read_text().splitlines()[:500]
    feed.write_text("\n".join(lines) + "\n")
    result = ingest_file(feed, data)
    assert result.replaced
    assert scan_positions(data).collect().height == result.report.positions
    assert len(ingested(data)) == 1


def test_an_interrupted_ingest_is_redone_without_double_rows(feed: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    full = ingest_file(feed, data, chunk_bytes=16_384)
    # simulate a crash after the parts were written but before the manifest
    for manifest in (store_root(data) / "manifests").glob("*.json"):
        manifest.unlink()
    redone = ingest_file(feed, data, chunk_bytes=64_000)  # other block size, other part names
    assert not redone.skipped
    assert scan_positions(data).collect().height == full.report.positions


def test_writes_are_atomic_and_leave_no_temporary_files(feed: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest_file(feed, data, chunk_bytes=16_384)
    leftovers = [p for p in store_root(data).rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []


def test_small_blocks_store_the_same_rows(feed: Path, tmp_path: Path) -> None:
    big = ingest_file(feed, tmp_path / "a")
    small = ingest_file(feed, tmp_path / "b", chunk_bytes=8_192)
    key = ["src_line"]
    a = scan_positions(tmp_path / "a").collect().sort(key)
    b = scan_positions(tmp_path / "b").collect().sort(key)
    assert a.equals(b)
    assert big.report.as_dict()["causes"] == small.report.as_dict()["causes"]


def test_an_empty_store_scans_as_empty_frames(tmp_path: Path) -> None:
    assert scan_positions(tmp_path / "nothing").collect().schema == pl.Schema(POSITION_SCHEMA)
    assert scan_static(tmp_path / "nothing").collect().height == 0


def test_junk_files_are_reported_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "noisy.nmea"
    good = random_lines(20, seed=4)
    path.write_bytes(
        b"\n".join(line.encode() for line in good[:10])
        + b"\n\x00\xff\xfe garbage \x01\n"
        + (tag_block(1_730_181_600) + "!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*00").encode()
        + b"\n"
        + b"\n".join(line.encode() for line in good[10:])
    )
    result = ingest_file(path, tmp_path / "data")
    assert result.report.causes["unparseable"] == 1
    assert result.report.causes["bad_checksum"] == 1
    assert result.report.messages == 20


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        ingest_file(tmp_path / "absent.nmea", tmp_path / "data")
