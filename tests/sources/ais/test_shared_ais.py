"""The readers on real AIS files from ``../shared/data/ais/``, where the project has any.

Real feeds carry real noise; the readers must get through every file without failing, and what
they keep must be physically possible.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from watchfloor.errors import InputError
from watchfloor.sources.ais.reader import AIS_SUFFIXES, read_ais
from watchfloor.sources.ais.report import ReadReport


def _real_files(shared_data: Path) -> list[Path]:
    folder = shared_data / "ais"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in AIS_SUFFIXES)


def test_real_ais_files_read_without_failing(shared_data: Path) -> None:
    files = _real_files(shared_data)
    if not files:
        pytest.skip(f"no real AIS files in {shared_data / 'ais'}")
    for path in files:
        report = ReadReport(str(path))
        try:
            batches = list(read_ais(path, report))
        except InputError:
            continue  # not an AIS layout (e.g. a README saved as .txt): refused by name, not crashed
        positions = pl.concat([b.positions for b in batches]) if batches else None
        if positions is not None and positions.height:
            assert positions["lat"].abs().max() <= 90  # type: ignore[operator]
            assert positions["lon"].abs().max() <= 180  # type: ignore[operator]
            assert positions["ts"].null_count() == 0
        assert report.lines > 0
