"""GeoJSON AIS tracks: WGS84 and UTM collections, and what is refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from watchfloor.errors import InputError
from watchfloor.sources.ais.batch import AisBatch
from watchfloor.sources.ais.reader import AisFormat, detect_format, read_ais
from watchfloor.sources.ais.report import Cause, ReadReport
from watchfloor.sources.ais.utm import latlon_to_utm


def _write(path: Path, features: list[dict[str, Any]], crs: str | None = None) -> Path:
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(collection, indent=1), encoding="utf-8")
    return path


def _point(mmsi: int, t: str, x: float, y: float, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"MMSI": mmsi, "t": t, **props},
        "geometry": {"type": "Point", "coordinates": [x, y]},
    }


def _read(path: Path) -> tuple[AisBatch, ReadReport]:
    report = ReadReport(str(path))
    return AisBatch.concat(list(read_ais(path, report))), report


def test_wgs84_collection(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "track.geojson",
        [
            _point(273123456, "2024-10-29T06:00:00", 130.3, 42.5, SOG=10.5, Name="ANGARA"),
            _point(273123456, "2024-10-29T06:10:00", 130.4, 42.6, SOG=9.5, Name="ANGARA"),
            {"type": "Feature", "properties": {"MMSI": 1, "t": "2024-10-29T06:00:00"}, "geometry": None},
            {
                "type": "Feature",
                "properties": {"MMSI": 2, "t": "x"},
                "geometry": {"type": "LineString", "coordinates": [[0, 0]]},
            },
        ],
    )
    assert detect_format(path) is AisFormat.GEOJSON
    batch, report = _read(path)
    assert report.format == "geojson"
    assert batch.positions["lat"].to_list() == [42.5, 42.6]
    assert batch.positions["lon"].to_list() == [130.3, 130.4]
    assert batch.positions["ts"][0] == datetime(2024, 10, 29, 6, tzinfo=UTC)
    assert batch.positions["src_line"].to_list() == [1, 2]  # the feature number
    assert report.causes[Cause.BAD_VALUE] == 2  # no geometry; not a point
    assert batch.static["name"].to_list() == ["ANGARA"]


def test_utm_collection_is_converted(tmp_path: Path) -> None:
    lat, lon = np.array([57.70, 57.71]), np.array([11.80, 11.82])
    easting, northing = latlon_to_utm(lat, lon, 32)
    path = _write(
        tmp_path / "utm.json",
        [_point(265410000, f"2017-07-05T19:0{i}:00", easting[i], northing[i]) for i in range(2)],
        crs="urn:ogc:def:crs:EPSG::32632",
    )
    batch, _ = _read(path)
    assert np.allclose(batch.positions["lat"].to_numpy(), lat, atol=1e-9)
    assert np.allclose(batch.positions["lon"].to_numpy(), lon, atol=1e-9)


def test_projected_coordinates_without_crs_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "nocrs.geojson", [_point(265410000, "2017-07-05T19:00:00", 671906.5, 6397620.6)])
    with pytest.raises(InputError, match="no CRS"):
        _read(path)


def test_other_crs_is_refused_by_name(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "etrs.geojson",
        [_point(265410000, "2017-07-05T19:00:00", 671906.5, 6397620.6)],
        crs="urn:ogc:def:crs:EPSG::25832",
    )
    with pytest.raises(InputError, match="EPSG::25832") as info:
        _read(path)
    assert "etrs.geojson" in str(info.value)


def test_broken_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [\n {"type": }\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 3"):
        _read(path)
