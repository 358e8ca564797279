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


def test_real_nmea_files_decode_as_pyais_does(shared_data: Path) -> None:
    """Every message type and every kept position agree with pyais on the same lines (repeats and
    untimed messages kept for the comparison; pyais zero-pads short payloads, watchfloor refuses them)."""
    import gzip
    from collections import Counter

    from pyais.stream import IterMessages

    from watchfloor.sources.ais.nmea import NEED_BITS, decode_nmea_lines

    files = [p for p in _real_files(shared_data) if any(s in p.name for s in (".nmea", ".aivdm", ".nm4"))]
    if not files:
        pytest.skip("no real NMEA files")
    for path in files:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        lines = data.decode("ascii", "replace").splitlines()
        batch, report = decode_nmea_lines(lines, keep_untimed=True, drop_duplicates=False)
        types: Counter[int] = Counter()
        expected: Counter[tuple[int, int, float, float]] = Counter()
        for msg in IterMessages([line.encode() for line in lines if line.startswith(("!", "\\"))]):
            decoded = msg.decode()
            types[int(decoded.msg_type)] += 1
            kind = int(decoded.msg_type)
            if kind not in (1, 2, 3, 18, 19, 27) or len(msg.payload) * 6 - msg.fill_bits < NEED_BITS[kind]:
                continue
            lat, lon = decoded.lat, decoded.lon
            if abs(lat) <= 90 and abs(lon) <= 180 and not (lat == 0 and lon == 0):
                expected[(int(decoded.mmsi), kind, round(lat, 4), round(lon, 4))] += 1
        assert report.types == types, path.name
        ours = Counter(
            (m, t, round(a, 4), round(o, 4))
            for m, t, a, o in batch.positions.select("mmsi", "msg_type", "lat", "lon").iter_rows()
        )
        assert ours == expected, path.name
