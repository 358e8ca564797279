"""The columnar schemas that every AIS reader produces and every detector reads.

Positions and static (voyage) data are Polars frames with exactly these columns and dtypes;
the Parquet store partitions them by UTC day. ``src_file`` and ``src_line`` are the provenance of a
row (the input file and the 1-based line or row of the sentence or record it came from; for a
multi-sentence message, the first line), kept on every derived event.
"""

from __future__ import annotations

import polars as pl

POSITION_SCHEMA: dict[str, pl.DataType] = {
    "mmsi": pl.Int64(),
    "ts": pl.Datetime("us", "UTC"),
    "lat": pl.Float64(),
    "lon": pl.Float64(),
    "sog": pl.Float32(),  # knots; null when not available (102.3)
    "cog": pl.Float32(),  # degrees; null when not available (360)
    "heading": pl.Float32(),  # degrees; null when not available (511)
    "msg_type": pl.Int8(),
    "src_file": pl.Categorical(),
    "src_line": pl.Int64(),
}

STATIC_SCHEMA: dict[str, pl.DataType] = {
    "mmsi": pl.Int64(),
    "ts": pl.Datetime("us", "UTC"),
    "imo": pl.Int64(),  # null when not given or 0
    "name": pl.String(),
    "call_sign": pl.String(),
    "ship_type": pl.Int16(),
    "destination": pl.String(),
    "msg_type": pl.Int8(),
    "src_file": pl.Categorical(),
    "src_line": pl.Int64(),
}


def empty_positions() -> pl.DataFrame:
    """A positions frame with no rows and the right columns."""
    return pl.DataFrame(schema=POSITION_SCHEMA)


def empty_static() -> pl.DataFrame:
    """A static-data frame with no rows and the right columns."""
    return pl.DataFrame(schema=STATIC_SCHEMA)
