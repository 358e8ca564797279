"""CSV exports of the large public AIS archives to position and static frames.

Layouts recognised by their header, case, spacing and punctuation ignored:

* MarineCadastre / NOAA (US coast, 2015-2023): ``MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,
  VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass`` with
  ``IMO`` written ``IMO9179842``; and the 2024+ lower-case renaming (``mmsi,base_date_time,
  latitude,longitude,...,vessel_name,imo,call_sign,vessel_type,...``);
* Danish Maritime Authority: ``# Timestamp,Type of mobile,MMSI,Latitude,Longitude,...,Heading,IMO,
  Callsign,Name,Ship type,...,Destination`` with ``dd/mm/YYYY HH:MM:SS`` times; rows whose
  ``Type of mobile`` is a base station, an aid to navigation or a SAR aircraft are counted as
  ``not_a_vessel``;
* Norwegian Coastal Administration extracts: ``;``-separated ``mmsi;imo_nr;length;date_time_utc;
  lon;lat;sog;cog;true_heading;nav_status;message_nr`` (``message_nr`` is the AIS message type);
* Stone Soup's Solent recording: ``Time,MMSI,Latitude_degrees,Longitude_degrees,COG_degrees,
  SOG_knots`` (a unit suffix on a column name is ignored);
* any export with columns named like those (``timestamp``, ``lat``/``lon``, ``speed``, ...), with
  or without a leading unnamed index column (pandas ``to_csv``).

The file is read in blocks of whole lines; each data row's provenance is its 1-based line number.
A row whose MMSI, time or position does not parse is counted as ``bad_value``; a position off the
globe or at 0/0 as ``impossible_position``; a row repeating exactly (time, position, speed,
course) the previous row of the same vessel as ``duplicate``. Static rows are written only where a vessel's
identity (IMO, name, call sign, type, destination) changes, not once per position.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from watchfloor.errors import InputError
from watchfloor.sources.ais.batch import AisBatch, OrderCheck, conform_positions, conform_static
from watchfloor.sources.ais.files import DEFAULT_CHUNK_BYTES, iter_blocks, open_binary
from watchfloor.sources.ais.nmea import impossible_position
from watchfloor.sources.ais.report import Cause, ReadReport
from watchfloor.sources.ais.schema import STATIC_SCHEMA
from watchfloor.sources.ais.times import parse_times

# Canonical column -> header spellings (lower case, letters and digits only).
ALIASES: dict[str, tuple[str, ...]] = {
    "mmsi": ("mmsi", "userid", "sourcemmsi"),
    "ts": (
        "basedatetime",
        "timestamp",
        "datetime",
        "time",
        "ts",
        "timestamputc",
        "datetimeutc",
        "date",
        "postime",
        "t",
    ),
    "lat": ("lat", "latitude", "y"),
    "lon": ("lon", "long", "lng", "longitude", "x"),
    "sog": ("sog", "speed", "speedoverground"),
    "cog": ("cog", "course", "courseoverground"),
    "heading": ("heading", "trueheading", "hdg"),
    "name": ("vesselname", "name", "shipname"),
    "imo": ("imo", "imonumber", "imonr", "imono"),
    "call_sign": ("callsign", "call_sign"),
    "ship_type": ("vesseltype", "shiptype", "shipandcargotype"),
    "destination": ("destination",),
    "msg_type": ("messagenr", "messagetype", "msgtype", "messageid"),
    "mobile_type": ("typeofmobile", "mobiletype"),
}
#: Unit suffixes dropped from a column name that is not recognised as written (``SOG_knots``).
UNIT_SUFFIXES = ("degrees", "degree", "deg", "knots", "knot", "kts", "kn", "utc")
#: ``Type of mobile`` values (DMA) that are not ships: their rows are counted as ``not_a_vessel``.
NOT_VESSELS = ("base station", "aton", "sar airborne")
REQUIRED = ("mmsi", "ts", "lat", "lon")
_REPEAT_SCHEMA: dict[str, pl.DataType] = {
    "mmsi": pl.Int64(),
    "ts": pl.Datetime("us", "UTC"),
    "lat": pl.Float64(),
    "lon": pl.Float64(),
    "sog": pl.Float64(),
    "cog": pl.Float64(),
}
STATIC_FIELDS = ("imo", "name", "call_sign", "ship_type", "destination")


def _normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.strip().lower())


def _without_unit(name: str) -> str:
    for suffix in UNIT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def map_header(columns: list[str]) -> dict[str, str]:
    """Canonical name -> the file's column, for each column recognised (first match wins; a name
    as written wins over the same name with its unit suffix dropped)."""
    normalised = {_without_unit(_normalise(c)): c for c in reversed(columns) if _normalise(c)}
    normalised.update({_normalise(c): c for c in reversed(columns) if _normalise(c)})
    found: dict[str, str] = {}
    for canonical, spellings in ALIASES.items():
        for spelling in spellings:
            column = normalised.get(_normalise(spelling))
            if column is not None:
                found[canonical] = column
                break
    return found


def looks_like_ais_csv(header_line: str) -> bool:
    """Whether a first line is the header of an AIS CSV export we can read."""
    for separator in (",", ";", "\t", "|"):
        if all(k in map_header(header_line.split(separator)) for k in REQUIRED):
            return True
    return False


def _separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t", "|")}
    return max(counts, key=lambda sep: counts[sep])


class CsvDecoder:
    """Decodes the data blocks of one CSV file; keeps the header and the out-of-order state."""

    def __init__(
        self,
        src_file: str,
        header_line: str,
        report: ReadReport | None = None,
        columns: list[str] | None = None,
        coordinates: tuple[str, str] | None = None,
    ) -> None:
        """``columns`` replaces the header's split (readers that build the table themselves);
        ``coordinates`` names the (lat, lon) columns when they are not found by name."""
        self.src_file = src_file
        self.report = report if report is not None else ReadReport(src_file, format="csv")
        self.separator = _separator(header_line)
        split = [c.strip().strip('"') for c in header_line.split(self.separator)]
        self.columns = columns if columns is not None else split
        self.mapping = map_header(self.columns)
        if coordinates is not None:
            self.mapping.update({"lat": coordinates[0], "lon": coordinates[1]})
        missing = [k for k in REQUIRED if k not in self.mapping]
        if missing:
            raise InputError(src_file, f"not an AIS CSV layout: no column for {', '.join(missing)}", "line 1")
        self._order = OrderCheck()
        self._last = pl.DataFrame(schema=_REPEAT_SCHEMA)
        self._identity = conform_static(pl.DataFrame(schema=STATIC_SCHEMA)).with_columns(
            pl.lit(0, dtype=pl.Int8).alias("_new")
        )

    def decode_block(self, data: bytes, first_line: int) -> AisBatch:
        """Decode CSV data rows (no header) whose first line is ``first_line``."""
        self.report.bytes_read += len(data) + 1
        table = self._read(data)
        if table is None:
            lines = data.count(b"\n") + 1
            self.report.lines += lines
            self.report.add(Cause.UNPARSEABLE, lines)
            return AisBatch.empty()
        self.report.lines += table.height
        return self.decode_table(table, first_line)

    def decode_table(self, table: pl.DataFrame, first_line: int) -> AisBatch:
        """Decode rows already split into this decoder's columns (all strings); row ``i`` of
        ``table`` is cited as ``first_line + i``."""
        col = self.mapping

        def text(name: str) -> pl.Expr:
            if name not in col:
                return pl.lit(None, dtype=pl.String)
            value = pl.col(col[name]).str.strip_chars()
            return pl.when(value != "").then(value)

        def number(name: str, dtype: pl.DataType) -> pl.Expr:
            return text(name).cast(pl.Float64, strict=False).cast(dtype, strict=False)

        frame = table.with_row_index("src_line", offset=first_line).select(
            pl.col("src_line").cast(pl.Int64),
            pl.all_horizontal(pl.col(c).is_null() for c in self.columns).alias("_blank"),
            text("mmsi").cast(pl.Float64, strict=False).cast(pl.Int64, strict=False).alias("mmsi"),
            text("ts").alias("ts"),
            number("lat", pl.Float64()).alias("lat"),
            number("lon", pl.Float64()).alias("lon"),
            number("sog", pl.Float64()).alias("sog"),
            number("cog", pl.Float64()).alias("cog"),
            number("heading", pl.Float64()).alias("heading"),
            text("imo").str.replace(r"(?i)^imo\s*", "").cast(pl.Int64, strict=False).alias("imo"),
            text("name").alias("name"),
            text("call_sign").alias("call_sign"),
            number("ship_type", pl.Int64()).alias("ship_type"),
            text("destination").alias("destination"),
            number("msg_type", pl.Int64()).alias("msg_type"),
            text("mobile_type").str.to_lowercase().is_in(NOT_VESSELS).fill_null(False).alias("_not_vessel"),
        )
        frame = frame.filter(~pl.col("_blank"))
        not_vessel = int(frame["_not_vessel"].sum())
        self.report.add(Cause.NOT_A_VESSEL, not_vessel)
        frame = frame.filter(~pl.col("_not_vessel"))
        frame = frame.with_columns(parse_times(frame["ts"]))
        unparsed = pl.any_horizontal(pl.col(c).is_null() for c in ("mmsi", "ts", "lat", "lon"))
        bad = frame.select(unparsed.sum()).item()
        self.report.add(Cause.BAD_VALUE, int(bad))
        frame = frame.filter(~unparsed)
        self.report.messages += frame.height
        repeat = self._repeats(frame)
        self.report.add(Cause.DUPLICATE, int(repeat.sum()))
        frame = frame.filter(~repeat)
        frame = frame.with_columns(
            pl.when(pl.col("sog") < 102.2).then(pl.col("sog")).alias("sog"),
            pl.when((pl.col("cog") >= 0) & (pl.col("cog") < 360)).then(pl.col("cog")).alias("cog"),
            pl.when((pl.col("heading") >= 0) & (pl.col("heading") < 360))
            .then(pl.col("heading"))
            .alias("heading"),
            pl.when(pl.col("imo") > 0).then(pl.col("imo")).alias("imo"),
            pl.when(pl.col("ship_type") > 0).then(pl.col("ship_type")).alias("ship_type"),
            pl.when(pl.col("msg_type").is_between(1, 27)).then(pl.col("msg_type")).alias("msg_type"),
            pl.lit(self.src_file).alias("src_file"),
        )
        static = self._static(frame)
        impossible = impossible_position(pl.col("lat"), pl.col("lon"))
        self.report.add(Cause.IMPOSSIBLE_POSITION, int(frame.select(impossible.sum()).item()))
        positions = conform_positions(frame.filter(~impossible))
        self.report.positions += positions.height
        self.report.static += static.height
        self.report.add(Cause.OUT_OF_ORDER, self._order.count(positions))
        return AisBatch(positions, static)

    def _repeats(self, frame: pl.DataFrame) -> pl.Series:
        """True for a row equal (time, position, speed, course) to the row before it of the same
        vessel, in file order; each vessel's last row is carried to the next block, so the result
        does not depend on where the blocks are cut."""
        keys = frame.select(list(_REPEAT_SCHEMA)).with_row_index("_row").with_columns(pl.lit(1).alias("_new"))
        both = pl.concat(
            [
                self._last.with_columns(
                    pl.lit(None, dtype=pl.UInt32).alias("_row"), pl.lit(0).alias("_new")
                ).select(keys.columns),
                keys,
            ],
            how="vertical_relaxed",
        ).with_columns(pl.int_range(pl.len()).alias("_order"))
        both = both.sort("mmsi", "_order")
        same = (pl.col("mmsi") == pl.col("mmsi").shift(1)) & pl.all_horizontal(
            pl.col(c).eq_missing(pl.col(c).shift(1)) for c in _REPEAT_SCHEMA if c != "mmsi"
        )
        marked = both.with_columns(same.fill_null(False).alias("_same"))
        self._last = marked.group_by("mmsi", maintain_order=True).last().select(list(_REPEAT_SCHEMA))
        flags = marked.filter(pl.col("_new") == 1).sort("_row")["_same"]
        return flags.rename("repeat")

    def _read(self, data: bytes) -> pl.DataFrame | None:
        for quote in ('"', None):
            try:
                return pl.read_csv(
                    io.BytesIO(data),
                    has_header=False,
                    new_columns=self.columns,
                    schema={c: pl.String for c in self.columns},
                    separator=self.separator,
                    quote_char=quote,
                    encoding="utf8-lossy",
                    truncate_ragged_lines=True,
                    extra_columns="ignore",  # rows wider than the header: the extra fields dropped
                    missing_columns="insert",  # rows narrower than the header: null fields
                    raise_if_empty=False,
                )
            except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, pl.exceptions.ShapeError):
                continue
        return None

    def _static(self, frame: pl.DataFrame) -> pl.DataFrame:
        """One static row where a vessel's identity fields change, in time order; the identity
        last seen for each vessel is carried from block to block, so a long file does not repeat
        it once per block."""
        has_any = pl.any_horizontal(pl.col(c).is_not_null() for c in STATIC_FIELDS)
        rows = conform_static(frame.filter(has_any)).with_columns(pl.lit(1, dtype=pl.Int8).alias("_new"))
        both = pl.concat([self._identity, rows]).sort("mmsi", "_new", "ts", "src_line")
        changed = (pl.col("mmsi") != pl.col("mmsi").shift(1)).fill_null(True) | pl.any_horizontal(
            pl.col(c).ne_missing(pl.col(c).shift(1)) for c in STATIC_FIELDS
        )
        static = both.filter(changed & (pl.col("_new") == 1)).drop("_new").sort("src_line")
        self._identity = (
            both.group_by("mmsi", maintain_order=True)
            .last()
            .with_columns(pl.lit(0, dtype=pl.Int8).alias("_new"))
        ).select(self._identity.columns)
        return static


def read_csv(
    path: Path,
    report: ReadReport | None = None,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    src_file: str | None = None,
) -> Iterator[AisBatch]:
    """Decode an AIS CSV export block by block (memory bounded by ``chunk_bytes``)."""
    name = src_file or str(path)
    with open_binary(path) as handle:
        header = handle.readline().decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r\n")
        decoder = CsvDecoder(name, header, report)
        decoder.report.format = "csv"
        decoder.report.lines += 1
        decoder.report.bytes_read += len(header) + 1
        for block in iter_blocks(handle, chunk_bytes, first_line=2):
            yield decoder.decode_block(block.data, block.first_line)
