"""The readers on every real AIS file in ``../shared/data/ais/`` (see its PROVENANCE.md).

Every file must read with no preprocessing, in the layout it is in; what is kept must be
physically possible; every line or row is either kept or counted by cause. Expected figures are
computed here from the raw files with the standard library (``csv``, ``json``) or with pyais,
never taken from the reader under test.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
from collections import Counter
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from watchfloor.sources.ais.batch import AisBatch
from watchfloor.sources.ais.reader import AIS_SUFFIXES, AisFormat, detect_format, read_ais
from watchfloor.sources.ais.report import Cause, ReadReport

#: Every file of the folder and the layout it must be recognised as.
LAYOUTS = {
    "dma_aisabnormal_drift_212123000_2014-10-02.nmea.gz": AisFormat.NMEA,
    "dma_aisabnormal_drift_538004030_2014-09-28.nmea.gz": AisFormat.NMEA,
    "dma_aisabnormal_sample_2013-11-12.nmea.gz": AisFormat.NMEA,
    "dma_aisdk_2022-09-17_10k.csv.gz": AisFormat.CSV,
    "dma_aislib_stream_2010-06-11.nmea": AisFormat.NMEA,
    "dma_close_approach_2017-07-05_utm32n.geojson": AisFormat.GEOJSON,
    "gpsd_sample.aivdm": AisFormat.NMEA,
    "kystverket_ais1000lines_2019-08-07.nm4": AisFormat.NMEA,
    "kystverket_vestland_5vessels_2022-09-01.csv.gz": AisFormat.CSV,
    "libais_uscg_test.aivdm": AisFormat.NMEA,
    "noaa_marinecadastre_2022-01-03_first99999.csv.gz": AisFormat.CSV,
    "solent_stonesoup_2016-01-12.csv.gz": AisFormat.CSV,
}


@pytest.fixture(scope="module")
def ais_dir(shared_data: Path) -> Path:
    return shared_data / "ais"


def _raw(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


def _read(path: Path) -> tuple[AisBatch, ReadReport]:
    report = ReadReport(str(path))
    return AisBatch.concat(list(read_ais(path, report, chunk_bytes=256 * 1024))), report


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    text = _raw(path).decode("utf-8")
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=dialect))
    return rows[0], [r for r in rows[1:] if r]


def test_the_folder_holds_exactly_the_files_listed(ais_dir: Path) -> None:
    files = {p.name for p in ais_dir.iterdir() if p.is_file() and p.name != "PROVENANCE.md"}
    assert files == set(LAYOUTS), "a file was added or removed: list it in LAYOUTS with its layout"
    assert all(any(name.endswith(s) for s in AIS_SUFFIXES) for name in files)  # `ais ingest DIR` takes each


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_every_file_reads_in_its_layout(ais_dir: Path, name: str) -> None:
    path = ais_dir / name
    assert detect_format(path) is LAYOUTS[name]
    batch, report = _read(path)
    positions = batch.positions
    assert report.lines > 0 and report.format == LAYOUTS[name].value
    if LAYOUTS[name] is AisFormat.NMEA:  # every physical line is accounted for
        assert report.lines == len(_raw(path).splitlines())
    if name != "gpsd_sample.aivdm":  # the gpsd decoder test file carries no time at all
        assert positions.height > 0
    if positions.height:
        assert positions["lat"].abs().max() <= 90  # type: ignore[operator]
        assert positions["lon"].abs().max() <= 180  # type: ignore[operator]
        assert positions["ts"].null_count() == 0
        assert positions.filter((pl.col("lat") == 0) & (pl.col("lon") == 0)).is_empty()
        assert positions["src_line"].min() >= 1  # type: ignore[operator]
    assert report.positions == positions.height


@pytest.mark.parametrize("name", [n for n, f in LAYOUTS.items() if f is AisFormat.CSV])
def test_every_csv_row_is_kept_or_counted(ais_dir: Path, name: str) -> None:
    path = ais_dir / name
    _, rows = _csv_rows(path)
    batch, report = _read(path)
    assert report.lines == len(rows) + 1  # the header too
    assert batch.positions.height + report.dropped == len(rows)
    mmsi_col = next(i for i, c in enumerate(_csv_rows(path)[0]) if c.strip().lower() == "mmsi")
    assert set(batch.positions["mmsi"].unique().to_list()) <= {int(r[mmsi_col]) for r in rows}


def test_solent_csv(ais_dir: Path) -> None:
    path = ais_dir / "solent_stonesoup_2016-01-12.csv.gz"
    header, rows = _csv_rows(path)
    assert header == ["Time", "MMSI", "Latitude_degrees", "Longitude_degrees", "COG_degrees", "SOG_knots"]
    repeats = len(rows) - len({tuple(r) for r in rows})
    batch, report = _read(path)
    assert repeats == 3 and report.causes[Cause.DUPLICATE] == repeats
    positions = batch.positions
    assert positions["mmsi"].n_unique() == len({r[1] for r in rows}) == 91
    first = positions.row(0, named=True)
    assert (first["mmsi"], first["lat"], first["lon"]) == (
        int(rows[0][1]),
        float(rows[0][2]),
        float(rows[0][3]),
    )
    assert (first["cog"], first["sog"]) == pytest.approx((float(rows[0][4]), float(rows[0][5])))
    cog_na = sum(1 for r in rows if float(r[4]) == 360.0)
    assert positions["cog"].null_count() >= cog_na - repeats  # 360 is "not available"


def test_vestland_csv(ais_dir: Path) -> None:
    path = ais_dir / "kystverket_vestland_5vessels_2022-09-01.csv.gz"
    header, rows = _csv_rows(path)
    assert header[0] == ""  # the unnamed pandas index column
    col = {name: i for i, name in enumerate(header)}
    batch, report = _read(path)
    positions = batch.positions
    assert positions.height == len(rows) == 10_001 and report.dropped == 0
    assert sorted(positions["mmsi"].unique().to_list()) == sorted({int(r[col["mmsi"]]) for r in rows})
    assert Counter(positions["msg_type"].to_list()) == Counter(int(r[col["message_nr"]]) for r in rows)
    imos = {int(r[col["mmsi"]]): int(r[col["imo_nr"]]) for r in rows}
    assert dict(batch.static.select("mmsi", "imo").iter_rows()) == imos
    start = min(r[col["date_time_utc"]] for r in rows)
    assert positions["ts"].min().strftime("%Y-%m-%d %H:%M:%S") == start  # type: ignore[union-attr]
    heading = positions.filter(pl.col("src_line") == 2)["heading"].item()
    assert heading == float(rows[0][col["true_heading"]])


def test_dma_aisdk_csv_drops_base_stations_and_aids(ais_dir: Path) -> None:
    path = ais_dir / "dma_aisdk_2022-09-17_10k.csv.gz"
    header, rows = _csv_rows(path)
    mobile = header.index("Type of mobile")
    not_ships = sum(1 for r in rows if r[mobile] in ("Base Station", "AtoN", "SAR Airborne"))
    batch, report = _read(path)
    assert not_ships == 470 and report.causes[Cause.NOT_A_VESSEL] == not_ships
    ships = {int(r[header.index("MMSI")]) for r in rows if r[mobile] in ("Class A", "Class B")}
    assert set(batch.positions["mmsi"].to_list()) <= ships
    lat91 = sum(
        1 for r in rows if r[mobile] in ("Class A", "Class B") and float(r[header.index("Latitude")]) > 90
    )
    assert report.causes[Cause.IMPOSSIBLE_POSITION] == lat91


def test_noaa_csv(ais_dir: Path) -> None:
    path = ais_dir / "noaa_marinecadastre_2022-01-03_first99999.csv.gz"
    header, rows = _csv_rows(path)
    batch, _ = _read(path)
    assert batch.positions["mmsi"].n_unique() == len({r[0] for r in rows}) == 10_631
    imo = header.index("IMO")
    with_imo = {int(r[0]) for r in rows if r[imo].startswith("IMO") and int(r[imo][3:] or 0) > 0}
    assert set(batch.static.filter(pl.col("imo").is_not_null())["mmsi"].to_list()) == with_imo


def test_dma_geojson_in_utm_is_read_in_degrees(ais_dir: Path) -> None:
    path = ais_dir / "dma_close_approach_2017-07-05_utm32n.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    features = collection["features"]
    batch, report = _read(path)
    positions = batch.positions
    assert positions.height + report.dropped == len(features) == 257
    assert Counter(positions["mmsi"].to_list()) <= Counter(int(f["properties"]["MMSI"]) for f in features)
    names = dict(batch.static.select("mmsi", "name").iter_rows())
    assert names == {265410000: "STENA JUTLANDICA", 265550210: "TANKSKAR"}
    # Gothenburg harbour mouth (the movingpandas sample is "near Gothenburg")
    assert positions["lat"].is_between(57.6, 57.8).all() and positions["lon"].is_between(11.6, 12.0).all()
    # the converted track must be consistent with the speeds the ship reported: distance between
    # fixes a minute or more apart over time, against the mean SOG in between
    ferry = positions.filter(pl.col("mmsi") == 265410000).sort("ts")
    lat, lon = np.radians(ferry["lat"].to_numpy()), np.radians(ferry["lon"].to_numpy())
    t = ferry["ts"].dt.epoch("s").to_numpy()
    sog = ferry["sog"].to_numpy()
    ratios = []
    step = 20
    for i in range(0, len(t) - step, step):
        j = i + step
        a = (
            math.sin((lat[j] - lat[i]) / 2) ** 2
            + math.cos(lat[i]) * math.cos(lat[j]) * math.sin((lon[j] - lon[i]) / 2) ** 2
        )
        metres = 2 * 6_371_008.8 * math.asin(math.sqrt(a))
        knots = metres / (t[j] - t[i]) / 0.514444
        ratios.append(knots / float(np.mean(sog[i : j + 1])))
    assert len(ratios) >= 5
    assert 0.9 < float(np.median(ratios)) < 1.1


def test_real_nmea_files_decode_as_pyais_does(ais_dir: Path) -> None:
    """Every message type and every kept position agree with pyais on the same lines (repeats and
    untimed messages kept for the comparison; pyais zero-pads short payloads, watchfloor refuses them)."""
    from pyais.stream import IterMessages

    from watchfloor.sources.ais.nmea import NEED_BITS, decode_nmea_lines

    files = [ais_dir / n for n, f in LAYOUTS.items() if f is AisFormat.NMEA]
    for path in files:
        lines = _raw(path).decode("ascii", "replace").splitlines()
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
        invalid = sum(n for t, n in types.items() if not 1 <= t <= 27)
        assert report.types == types, path.name
        assert report.causes[Cause.INVALID_TYPE] == invalid, path.name  # type 28 of the libais file
        ours = Counter(
            (m, t, round(a, 4), round(o, 4))
            for m, t, a, o in batch.positions.select("mmsi", "msg_type", "lat", "lon").iter_rows()
        )
        assert ours == expected, path.name


def test_duplicate_receptions_are_dropped(ais_dir: Path) -> None:
    """The drift track of 538004030 is received via AISD, IALA, AISSAT and MSSIS: the same payload
    several times. Kept positions are one per distinct payload (pyais assembles, we compare)."""
    from pyais.stream import IterMessages

    path = ais_dir / "dma_aisabnormal_drift_538004030_2014-09-28.nmea.gz"
    lines = _raw(path).decode("ascii", "replace").splitlines()
    payloads = [m.payload for m in IterMessages([ln.encode() for ln in lines if ln.startswith(("!", "\\"))])]
    batch, report = _read(path)
    assert report.causes[Cause.DUPLICATE] > 0
    assert report.causes[Cause.DUPLICATE] <= len(payloads) - len(set(payloads))
    assert batch.positions.select("mmsi", "ts", "lat", "lon").is_duplicated().sum() == 0


def test_kystverket_tag_blocks_with_stale_checksums_are_kept(ais_dir: Path) -> None:
    """The Ais.Net sample prepends ``g:`` sentence groups to tag blocks without updating the tag
    checksum (``\\g:1-2-9999,c:1565218798*53\\`` carries the checksum of ``c:...`` alone)."""
    path = ais_dir / "kystverket_ais1000lines_2019-08-07.nm4"
    lines = _raw(path).decode("ascii").splitlines()
    stale = 0
    for line in lines:
        body, _, rest = line[1:].partition("*")
        checksum = 0
        for ch in body:
            checksum ^= ord(ch)
        stale += rest[:2].upper() != f"{checksum:02X}"
    _, report = _read(path)
    assert stale == 246 and report.causes[Cause.TAG_CHECKSUM] == stale
    assert report.causes[Cause.BAD_CHECKSUM] == 0
