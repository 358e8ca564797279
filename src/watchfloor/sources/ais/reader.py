"""Read any supported AIS file: sniff NMEA, CSV or GeoJSON from its first lines, then stream it."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

from watchfloor.errors import InputError
from watchfloor.sources.ais.batch import AisBatch
from watchfloor.sources.ais.csv import looks_like_ais_csv, read_csv
from watchfloor.sources.ais.files import DEFAULT_CHUNK_BYTES, open_binary
from watchfloor.sources.ais.geojson import looks_like_geojson, read_geojson
from watchfloor.sources.ais.nmea import read_nmea
from watchfloor.sources.ais.report import ReadReport

#: File names an ``ais ingest DIR`` picks up.
AIS_SUFFIXES = (".nmea", ".ais", ".aivdm", ".nm4", ".txt", ".log", ".csv", ".geojson", ".gz", ".zip")


class AisFormat(StrEnum):
    """The input layouts watchfloor reads."""

    NMEA = "nmea"
    CSV = "csv"
    GEOJSON = "geojson"


def detect_format(path: Path, sniff_lines: int = 50) -> AisFormat:
    """NMEA if one of the first lines holds an ``!xxVDM``/``!xxVDO`` sentence, CSV if the first
    line is a recognised AIS header, GeoJSON if the file opens a FeatureCollection; otherwise an
    InputError naming the file."""
    with open_binary(path) as handle:
        head = [handle.readline(1 << 16) for _ in range(sniff_lines)]
    if looks_like_geojson(b"".join(head)[: 1 << 16]):
        return AisFormat.GEOJSON
    first = head[0].decode("utf-8", "replace").lstrip("\ufeff").strip() if head else ""
    if first and looks_like_ais_csv(first):
        return AisFormat.CSV
    for line in head:
        for marker in (b"VDM,", b"VDO,"):
            at = line.find(marker)
            if at >= 3 and line[at - 3 : at - 2] == b"!":
                return AisFormat.NMEA
    raise InputError(path, "neither NMEA AIS sentences nor a known AIS CSV header", "line 1")


def read_ais(
    path: Path,
    report: ReadReport | None = None,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    src_file: str | None = None,
) -> Iterator[AisBatch]:
    """Stream ``path`` as batches of positions and static rows, whatever its layout."""
    fmt = detect_format(path)
    if fmt is AisFormat.CSV:
        return read_csv(path, report, chunk_bytes, src_file)
    if fmt is AisFormat.GEOJSON:
        return read_geojson(path, report, src_file)
    return read_nmea(path, report, chunk_bytes, src_file)
