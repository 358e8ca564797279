"""GeoJSON AIS tracks: a FeatureCollection of Point features, one per position report.

Properties are matched to the canonical columns with the same header aliases as the CSV reader
(``MMSI``, ``Timestamp``/``t``, ``SOG``, ``COG``, ``Name``, ...). Coordinates are WGS84 degrees
(RFC 7946) unless the collection names a WGS84 UTM CRS (the pre-2016 ``crs`` member, e.g.
``urn:ogc:def:crs:EPSG::32632``), in which case they are converted with :mod:`.utm`; any other
CRS is refused by name, and so are projected-looking coordinates without a CRS. Each row's
``src_line`` is the 1-based number of its feature. A feature that is not a Point, or has no
usable coordinates, is counted as ``bad_value``.

The file is parsed whole (GeoJSON has no line structure to cut at); it is meant for track
extracts of thousands of points, not for archives, which come as CSV or NMEA.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from watchfloor.errors import InputError
from watchfloor.sources.ais.batch import AisBatch
from watchfloor.sources.ais.csv import REQUIRED, CsvDecoder, map_header
from watchfloor.sources.ais.files import open_binary
from watchfloor.sources.ais.report import ReadReport
from watchfloor.sources.ais.utm import utm_to_latlon, utm_zone_of_crs

#: Columns the reader adds for the (converted) coordinates.
LAT_COLUMN, LON_COLUMN = "__wgs84_lat", "__wgs84_lon"


def looks_like_geojson(head: bytes) -> bool:
    """Whether the first bytes of a file are a GeoJSON FeatureCollection."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"{") and b'"FeatureCollection"' in head


def _crs_name(collection: dict[str, Any]) -> str | None:
    crs = collection.get("crs")
    if not isinstance(crs, dict):
        return None
    props = crs.get("properties")
    name = props.get("name") if isinstance(props, dict) else None
    return str(name) if name is not None else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def read_geojson(
    path: Path, report: ReadReport | None = None, src_file: str | None = None
) -> Iterator[AisBatch]:
    """Decode a GeoJSON FeatureCollection of AIS points to one batch."""
    name = src_file or str(path)
    report = report if report is not None else ReadReport(name)
    report.format = "geojson"
    with open_binary(path) as handle:
        raw = handle.read()
    report.bytes_read += len(raw)
    report.lines += raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    try:
        collection = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f"line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else "start"
        raise InputError(name, f"not valid JSON: {exc}", where) from exc
    except RecursionError:  # found by fuzzing: thousands of nested brackets
        raise InputError(name, "JSON nested too deeply", "start") from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise InputError(name, "not a GeoJSON FeatureCollection", "top level")
    features = collection.get("features")
    if not isinstance(features, list):
        raise InputError(name, "GeoJSON FeatureCollection without a features list", "features")
    crs = _crs_name(collection)
    utm = utm_zone_of_crs(crs) if crs is not None else None
    if crs is not None and utm is None and not crs.upper().endswith(("CRS84", "4326")):
        raise InputError(
            name, f"coordinates in {crs}: only WGS84 degrees and WGS84 UTM zones are read", "crs"
        )

    keys: list[str] = []
    seen: set[str] = set()
    xs: list[float] = []
    ys: list[float] = []
    rows: list[dict[str, Any]] = []
    for feature in features:
        props = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        point = isinstance(geometry, dict) and geometry.get("type") == "Point"
        if not point or not isinstance(coords, list) or len(coords) < 2:
            xs.append(float("nan"))
            ys.append(float("nan"))
        else:
            try:  # both converted before either is kept: one list per coordinate, one entry per feature
                x_value, y_value = float(coords[0]), float(coords[1])
            except (TypeError, ValueError):
                x_value = y_value = float("nan")
            xs.append(x_value)
            ys.append(y_value)
        props = props if isinstance(props, dict) else {}
        for key in props:
            if key not in seen:
                seen.add(key)
                keys.append(key)
        rows.append(props)
    x, y = np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64)
    if utm is not None:
        lat, lon = utm_to_latlon(x, y, utm[0], utm[1])
    else:
        lat, lon = y, x
        finite = np.isfinite(x) & np.isfinite(y)
        if finite.any() and (np.abs(x[finite]).max() > 360 or np.abs(y[finite]).max() > 180):
            raise InputError(name, "coordinates look projected (metres) but the file names no CRS", "crs")
    mapping = map_header(keys)
    missing = [k for k in REQUIRED if k not in mapping and k not in ("lat", "lon")]
    if missing:
        raise InputError(name, f"AIS GeoJSON without a property for {', '.join(missing)}", "feature 1")
    columns = [*keys, LAT_COLUMN, LON_COLUMN]
    table = pl.DataFrame(
        {key: [_text(row.get(key)) for row in rows] for key in keys}
        | {
            LAT_COLUMN: [None if not np.isfinite(v) else repr(float(v)) for v in lat],
            LON_COLUMN: [None if not np.isfinite(v) else repr(float(v)) for v in lon],
        },
        schema={c: pl.String for c in columns},
    )
    decoder = CsvDecoder(
        name, ",".join(columns), report, columns=columns, coordinates=(LAT_COLUMN, LON_COLUMN)
    )
    decoder.report.format = "geojson"
    yield decoder.decode_table(table, first_line=1)
