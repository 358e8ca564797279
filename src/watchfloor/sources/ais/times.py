"""Timestamps as AIS logs and archives write them, parsed column-wise to UTC microseconds.

Seen in the wild: Unix epoch seconds or milliseconds (NMEA 4.0 tag block ``c:``, many loggers),
ISO 8601 with ``T`` or a space, with or without fraction and ``Z`` (MarineCadastre/NOAA
``BaseDateTime``), and day-first ``dd/mm/YYYY HH:MM:SS`` (Danish Maritime Authority exports).
Times without a zone are taken as UTC, which is what those sources document.
"""

from __future__ import annotations

import polars as pl

TS_DTYPE = pl.Datetime("us", "UTC")

_FORMATS = (
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y/%m/%d %H:%M:%S%.f",
    "%d/%m/%Y %H:%M:%S%.f",
    "%d-%m-%Y %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
)

#: Epoch values above this are milliseconds (1e11 s is the year 5138).
_MS_THRESHOLD = 100_000_000_000


def epoch_to_ts(expr: pl.Expr) -> pl.Expr:
    """Epoch seconds or milliseconds (a string or number column) to a UTC datetime."""
    value = expr.cast(pl.Float64, strict=False)
    micros = (
        pl.when(value.abs() >= _MS_THRESHOLD).then(value * 1_000).otherwise(value * 1_000_000).round(0)
    ).cast(pl.Int64, strict=False)
    return pl.from_epoch(micros, time_unit="us").dt.replace_time_zone("UTC")


def text_to_ts(expr: pl.Expr) -> pl.Expr:
    """A column of timestamps written in any of the layouts above to UTC; null where none fits."""
    text = (
        expr.str.strip_chars()
        .str.replace(r"(?i)(Z|\s*UTC|\+00:?00)$", "")
        .str.replace(r"^(\d{4}-\d{2}-\d{2})T", "$1 ")
    )
    is_epoch = text.str.contains(r"^\d{9,13}(\.\d+)?$")
    parsed = [text.str.to_datetime(fmt, strict=False, time_unit="us", time_zone="UTC") for fmt in _FORMATS]
    return pl.when(is_epoch).then(epoch_to_ts(text)).otherwise(pl.coalesce(parsed)).cast(TS_DTYPE)
