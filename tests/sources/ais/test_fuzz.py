"""Fuzzing the AIS readers (NMEA with tag blocks and $PGHP, the CSV layouts) from real seeds.

The invariant: ``read_ais`` yields batches in exactly the shared schemas, with only physically
possible positions and provenance lines inside the file — or raises a ``WatchfloorError`` naming
the file; never another exception, never a hang. A second property: the rows do not depend on the
block size the file is cut into (multi-sentence messages and context lines cross block edges).
"""

from __future__ import annotations

import gzip
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SHARED_DATA
from tests.fuzzing import check_reader, fuzz_settings, mutate, mutations
from watchfloor.errors import WatchfloorError
from watchfloor.sources.ais.batch import AisBatch
from watchfloor.sources.ais.files import open_binary
from watchfloor.sources.ais.reader import read_ais
from watchfloor.sources.ais.report import ReadReport
from watchfloor.sources.ais.schema import POSITION_SCHEMA, STATIC_SCHEMA

AIS = SHARED_DATA / "ais"

#: Seed name -> (real file, lines taken from its start). Each covers one feature of the formats.
SEED_FILES: dict[str, tuple[str, int]] = {
    "dma_pghp.nmea": ("dma_aisabnormal_sample_2013-11-12.nmea.gz", 60),  # tag block + $PGHP times
    "dma_stream.nmea": ("dma_aislib_stream_2010-06-11.nmea", 60),  # $PGHP before each sentence
    "kystverket_tags.nm4": ("kystverket_ais1000lines_2019-08-07.nm4", 60),  # \c:...\ tag blocks
    "gpsd.aivdm": ("gpsd_sample.aivdm", 80),  # comments, multi-part messages, many types
    "dma.csv": ("dma_aisdk_2022-09-17_10k.csv.gz", 40),  # DMA layout, dd/mm/YYYY times
    "noaa.csv": ("noaa_marinecadastre_2022-01-03_first99999.csv.gz", 40),  # MarineCadastre layout
}

_SEEDS: dict[str, bytes] = {}


def seeds() -> dict[str, bytes]:
    """Seed name -> the first lines of the real file (uncompressed), read once."""
    if not _SEEDS:
        for name, (file, lines) in SEED_FILES.items():
            with open_binary(AIS / file) as handle:  # comment lines skipped: they exercise nothing
                kept = [line for line in handle if line.strip() and not line.startswith(b"#")]
            _SEEDS[name] = b"".join(kept[:lines])
    return _SEEDS


def checked_batches(
    path: Path, chunk_bytes: int, report: ReadReport | None = None, lines: int | None = None
) -> Iterator[AisBatch]:
    """``read_ais`` with every batch checked against the schemas and the physical bounds, and each
    row's ``src_line`` within ``lines`` (default: the file's line count)."""
    if lines is None and path.suffix != ".gz":
        lines = max(1, path.read_bytes().count(b"\n") + 1)
    report = report if report is not None else ReadReport(str(path))
    for batch in read_ais(path, report, chunk_bytes=chunk_bytes):
        assert dict(batch.positions.schema) == POSITION_SCHEMA
        assert dict(batch.static.schema) == STATIC_SCHEMA
        positions = batch.positions
        if positions.height:
            assert positions["lat"].is_between(-90, 90).all(), "a latitude off the globe was kept"
            assert positions["lon"].is_between(-180, 180).all(), "a longitude off the globe was kept"
            assert positions["ts"].null_count() == 0, "a position without a time was kept"
            assert positions["mmsi"].null_count() == 0
        for frame in (positions, batch.static):
            if frame.height and lines is not None:
                assert frame["src_line"].is_between(1, lines).all(), "provenance outside the file"
        yield batch


def rows(path: Path, chunk_bytes: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    batch = AisBatch.concat(list(checked_batches(path, chunk_bytes)))
    return batch.positions.sort(pl.all()), batch.static.sort(pl.all())


@pytest.mark.parametrize("name", sorted(SEED_FILES))
def test_seed_reads_cleanly(name: str, tmp_path: Path) -> None:
    """Each unmutated seed decodes (gpsd's sample has no times, so it keeps messages but no rows),
    so the mutations start from a file the reader accepts."""
    path = tmp_path / name
    path.write_bytes(seeds()[name])
    report = ReadReport(str(path))
    batches = list(checked_batches(path, 1 << 20, report))
    assert report.messages > 0 or sum(report.types.values()) > 0
    assert sum(b.positions.height + b.static.height for b in batches) > 0 or name == "gpsd.aivdm"


@fuzz_settings
@given(
    name=st.sampled_from(sorted(SEED_FILES)),
    steps=mutations,
    chunk_bytes=st.sampled_from([97, 1024, 1 << 20]),
    gzipped=st.booleans(),
)
def test_mutated_ais_files(name: str, steps: list, chunk_bytes: int, gzipped: bool) -> None:  # type: ignore[type-arg]
    data = mutate(seeds()[name], steps)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (name + (".gz" if gzipped else ""))
        path.write_bytes(gzip.compress(data) if gzipped else data)
        check_reader(path, lambda p: checked_batches(p, chunk_bytes), AisBatch)


NMEA_SEEDS = sorted(name for name in SEED_FILES if not name.endswith(".csv"))


@fuzz_settings
@given(name=st.sampled_from(NMEA_SEEDS), steps=mutations, chunk_bytes=st.integers(40, 2000))
def test_rows_do_not_depend_on_the_block_size(name: str, steps: list, chunk_bytes: int) -> None:  # type: ignore[type-arg]
    """The same NMEA file cut into small blocks or read whole gives the same rows (for CSV, see
    ``test_csv_repeat_rows_do_not_depend_on_the_block_size``)."""
    data = mutate(seeds()[name], steps)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            positions, static = rows(path, 1 << 20)
        except WatchfloorError:
            return  # a refused file is test_mutated_ais_files' business
        small_positions, small_static = rows(path, chunk_bytes)
        assert small_positions.equals(positions), "positions depend on the block size"
        assert small_static.equals(static), "static rows depend on the block size"


@fuzz_settings
@given(steps=mutations)
def test_damaged_gzip_bytes(steps: list) -> None:  # type: ignore[type-arg]
    """Damage to the compressed bytes themselves (a cut or corrupted archive)."""
    data = mutate(gzip.compress(seeds()["kystverket_tags.nm4"]), steps)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.nm4.gz"
        path.write_bytes(data)
        check_reader(path, lambda p: checked_batches(p, 1 << 20), AisBatch)


def test_csv_repeat_rows_do_not_depend_on_the_block_size(tmp_path: Path) -> None:
    head, *lines = seeds()["dma.csv"].splitlines(keepends=True)
    path = tmp_path / "dma.csv"
    path.write_bytes(head + b"".join(lines[:20]) + b"".join(lines[10:20]) + b"".join(lines[20:]))
    positions, static = rows(path, 1 << 20)
    small_positions, small_static = rows(path, 40)
    assert small_positions.equals(positions) and small_static.equals(static)
