"""CSV exports in the layouts of the public AIS archives (MarineCadastre/NOAA, DMA)."""

from __future__ import annotations

import gzip
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from watchfloor.errors import InputError
from watchfloor.sources.ais.batch import AisBatch
from watchfloor.sources.ais.csv import map_header, read_csv
from watchfloor.sources.ais.reader import AisFormat, detect_format, read_ais
from watchfloor.sources.ais.report import Cause, ReadReport
from watchfloor.sources.ais.schema import POSITION_SCHEMA, STATIC_SCHEMA

MARINECADASTRE = (
    "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,"
    "Draft,Cargo,TransceiverClass"
)


def _read(path: Path, chunk_bytes: int = 1 << 20) -> tuple[AisBatch, ReadReport]:
    report = ReadReport(str(path))
    batch = AisBatch.concat(list(read_ais(path, report, chunk_bytes)))
    return batch, report


def _write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_marinecadastre_layout(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "AIS_2024_10_29.csv",
        MARINECADASTRE,
        [
            "273123456,2024-10-29T06:00:00,42.5,130.3,10.1,45.0,511,ANGARA,IMO9179842,UBCT5,70,0,120,20,7.5,70,A",
            "273123456,2024-10-29T06:10:00,42.6,130.4,102.3,360.0,44,ANGARA,IMO9179842,UBCT5,70,0,120,20,7.5,70,A",
            "",
            "273123456,2024-10-29T06:05:00,0,0,10.1,45.0,44,ANGARA,IMO9179842,UBCT5,70,0,120,20,7.5,70,A",
            "273123457,2024-10-30T23:59:59,91,181,1,1,1,LADY R,IMO9161003,,70,,,,,,B",
            "xx,junk,\x01\x02",
            "273123456,2024-10-29T06:20:00,42.7,130.5,9,44,43,ANGARA II,IMO9179842,UBCT5,70,0,1,1,1,70,A",
            "273123456,2024-10-29T05:59:00,42.4,130.2,9,44,43,ANGARA,IMO9179842,UBCT5,70,0,1,1,1,70,A",
        ],
    )
    assert detect_format(path) is AisFormat.CSV
    batch, report = _read(path)
    positions = batch.positions
    assert dict(positions.schema) == POSITION_SCHEMA and dict(batch.static.schema) == STATIC_SCHEMA
    assert positions["src_line"].to_list() == [2, 3, 8, 9]
    first, second = positions.row(0, named=True), positions.row(1, named=True)
    assert first["ts"] == datetime(2024, 10, 29, 6, 0, tzinfo=UTC)
    assert first["heading"] is None  # 511 = not available
    assert second["sog"] is None and second["cog"] is None  # 102.3 and 360 = not available
    assert report.causes[Cause.IMPOSSIBLE_POSITION] == 2  # 0/0 and 91/181
    assert report.causes[Cause.BAD_VALUE] == 1
    assert report.causes[Cause.OUT_OF_ORDER] == 1  # line 9 is earlier than lines 2-8 for the same ship
    # static rows only where the identity changes, IMO parsed from 'IMO9179842'
    static = batch.static.sort("src_line")
    assert static.select("src_line", "mmsi", "imo", "name").rows() == [
        (6, 273123457, 9161003, "LADY R"),
        (8, 273123456, 9179842, "ANGARA II"),  # the name changed at 06:20 ...
        (9, 273123456, 9179842, "ANGARA"),  # ... from the name first seen (at 05:59, line 9)
    ]


def test_2024_lower_case_layout_and_gzip(tmp_path: Path) -> None:
    header = (
        "mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,imo,call_sign,vessel_type,"
        "status,length,width,draft,cargo,transceiver"
    )
    body = (
        "\n".join(
            [
                header,
                "273000001,2024-01-01 00:00:01,132.1,43.2,0.1,12.5,100,MAIA-1,IMO9358010,UBX,70,"
                "0,100,15,5,70,A",
            ]
        )
        + "\n"
    )
    path = tmp_path / "ais-2024-01-01.csv.gz"
    path.write_bytes(gzip.compress(body.encode()))
    batch, _ = _read(path)
    row = batch.positions.row(0, named=True)
    assert (row["lat"], row["lon"]) == (43.2, 132.1)
    assert batch.static["imo"].to_list() == [9358010]


def test_danish_maritime_authority_layout_in_a_zip(tmp_path: Path) -> None:
    header = (
        "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,"
        "Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,"
        "Destination,ETA,Data source type,A,B,C,D"
    )
    rows = [
        "29/10/2024 06:00:00,Class A,219000001,55.5,11.2,Under way,0,12.1,80.2,81,Unknown,OXAB2,"
        "NORDIC STAR,Cargo,,20,150,GPS,7.1,AARHUS,,AIS,1,2,3,4"
    ]
    archive = tmp_path / "aisdk-2024-10-29.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("aisdk-2024-10-29.csv", "\n".join([header, *rows]) + "\n")
    batch, report = _read(archive)
    row = batch.positions.row(0, named=True)
    assert row["ts"] == datetime(2024, 10, 29, 6, 0, tzinfo=UTC)  # day first
    static = batch.static.row(0, named=True)
    assert (static["imo"], static["name"], static["call_sign"], static["destination"]) == (
        None,
        "NORDIC STAR",
        "OXAB2",
        "AARHUS",
    )
    assert static["ship_type"] is None  # a word, not an AIS type code
    assert report.dropped == 0


def test_header_aliases_are_case_and_punctuation_blind() -> None:
    found = map_header(["Mmsi", "Base Date Time", "lat", "LONGITUDE", "Speed", "vessel_name", "IMO Number"])
    assert found["mmsi"] == "Mmsi" and found["ts"] == "Base Date Time" and found["lon"] == "LONGITUDE"
    assert found["sog"] == "Speed" and found["name"] == "vessel_name" and found["imo"] == "IMO Number"


def test_an_unknown_csv_is_refused_with_its_name(tmp_path: Path) -> None:
    path = _write(tmp_path / "prices.csv", "date,close", ["2024-01-01,3"])
    with pytest.raises(InputError, match=r"prices\.csv"):
        list(read_csv(path))
    with pytest.raises(InputError):
        detect_format(path)


def test_streaming_in_small_blocks_gives_the_same_rows(tmp_path: Path) -> None:
    rows = [
        f"{273000000 + i % 37},2024-10-29T{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d},"
        f"{40 + i * 1e-4:.5f},{130 + i * 1e-4:.5f},5.0,90.0,90,SHIP {i % 37},IMO{9000000 + i % 37},CS,70,"
        "0,1,1,1,70,A"
        for i in range(5000)
    ]
    path = _write(tmp_path / "big.csv", MARINECADASTRE, rows)
    whole, _ = _read(path)
    parts = list(read_csv(path, chunk_bytes=8192))
    assert len(parts) > 10
    chunked = AisBatch.concat(parts)
    assert chunked.positions.equals(whole.positions)
    assert whole.positions.height == 5000
    assert chunked.positions["src_line"].to_list() == list(range(2, 5002))
    # identities are carried across blocks: one static row per vessel, however the file is cut
    assert chunked.static.equals(whole.static)
    assert whole.static.height == whole.static.select(pl.col("mmsi").n_unique()).item() == 37
