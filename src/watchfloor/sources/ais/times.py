"""Timestamps as AIS logs and archives write them, parsed column-wise to UTC microseconds.

Seen in the wild: Unix epoch seconds or milliseconds (NMEA 4.0 tag block ``c:``, many loggers),
ISO 8601 with ``T`` or a space, with or without fraction and ``Z`` (MarineCadastre/NOAA
``BaseDateTime``), and day-first ``dd/mm/YYYY HH:MM:SS`` (Danish Maritime Authority exports).
Times without a zone are taken as UTC, which is what those sources document; times with an offset
(``+03:00``) are converted to UTC.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

IntArray = npt.NDArray[np.int64]
NO_TS = np.iinfo(np.int64).min  # "no time" in int64 microsecond arrays

TS_DTYPE = pl.Datetime("us", "UTC")

_FORMATS = (
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y/%m/%d %H:%M:%S%.f",
    "%d/%m/%Y %H:%M:%S%.f",
    "%d-%m-%Y %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S%.f%z",  # with a zone offset, converted to UTC
    "%d/%m/%Y %H:%M:%S%.f%z",
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


def iso_micros(raw: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64]) -> tuple[IntArray, IntArray]:
    """``YYYY-MM-DD HH:MM:SS[.ffffff]`` (or with ``T``) at byte offsets ``starts`` of ``raw``
    (padded by 26 bytes), parsed with NumPy without building strings: microseconds since the epoch
    (``NO_TS`` where the bytes are not in that layout or a zone offset follows) and the number of
    bytes each time took."""
    chars = np.ascontiguousarray(np.lib.stride_tricks.sliding_window_view(raw, 26)[starts].T)
    digit = chars.astype(np.int16) - ord("0")
    is_digit = (digit >= 0) & (digit <= 9)
    ok = (chars[4] == ord("-")) & (chars[7] == ord("-")) & (chars[13] == ord(":")) & (chars[16] == ord(":"))
    ok &= (chars[10] == ord(" ")) | (chars[10] == ord("T"))
    ok &= is_digit[[0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]].all(axis=0)
    ok &= ~((chars[19:] == ord("+")) | (chars[19:] == ord("-"))).any(axis=0)  # a zone offset: slow path

    def number(first: int, last: int) -> IntArray:
        value = np.zeros(starts.size, dtype=np.int64)
        for col in range(first, last + 1):
            value = value * 10 + digit[col]
        return value

    year, month, day = number(0, 3), number(5, 6), number(8, 9)
    hour, minute, second = number(11, 12), number(14, 15), number(17, 18)
    ok &= (
        (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31) & (hour < 24) & (minute < 60) & (second < 61)
    )
    month = np.where(ok, month, 1)
    years = (np.where(ok, year, 1970) - 1970).astype("datetime64[Y]")
    days = (years.astype("datetime64[M]") + (month - 1)).astype("datetime64[D]").astype(np.int64) + day - 1
    micros = ((days * 24 + hour) * 60 + minute) * 60_000_000 + second * 1_000_000
    # optional fraction: '.' and up to six digits
    going = chars[19] == ord(".")
    used = np.full(starts.size, 19, dtype=np.int64) + going
    scale = 100_000
    for col in range(20, 26):
        going &= is_digit[col]
        micros += np.where(going, digit[col].astype(np.int64) * scale, 0)
        used += going
        scale //= 10
    result: IntArray = np.where(ok, micros, NO_TS)
    return result, used


def _iso_fast_path(text: pl.Series) -> pl.Series:
    """ISO times parsed with :func:`iso_micros` (null where a string is not exactly that)."""
    array = text.fill_null("").to_arrow()
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    array = array.cast(pa.large_string())
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int64)[array.offset : array.offset + len(array) + 1]
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else np.zeros(0, np.uint8)
    raw = np.zeros(len(data) + 32, dtype=np.uint8)
    raw[: len(data)] = data
    starts = offsets[:-1].astype(np.int64)
    micros, used = iso_micros(raw, starts)
    exact = (micros != NO_TS) & (used == np.diff(offsets))
    values = pl.Series(text.name, np.where(exact, micros, 0), dtype=pl.Int64)
    values = values.set(pl.Series(~exact), None)
    return values.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")


def parse_times(texts: pl.Series) -> pl.Series:
    """A column of timestamps in any of the layouts above to UTC; null where none fits.

    Formats are tried one after the other on the rows still unparsed, so a file in one layout
    (the usual case) costs one parse.
    """
    text = texts.cast(pl.String).str.strip_chars()
    if text.str.ends_with("UTC").any() or text.str.contains("+00", literal=True).any():
        text = text.str.replace(r"(?i)(\s*UTC|\+00:?00)$", "")
    text = text.str.strip_suffix("Z")
    result = _iso_fast_path(text)
    if result.null_count() == 0:
        return result.alias(texts.name)
    text = text.str.replace(r"^(\d{4}-\d{2}-\d{2})T", "$1 ")
    epoch = text.str.contains(r"^\d{9,13}(\.\d+)?$").fill_null(False)
    if epoch.any():
        stamps = pl.DataFrame({"t": text}).select(epoch_to_ts(pl.col("t")))["t"]
        result = stamps.zip_with(epoch & result.is_null(), result).cast(TS_DTYPE)
    for fmt in _FORMATS:
        todo = result.is_null() & text.is_not_null() & (text != "")
        if not todo.any():
            break
        rows = todo.arg_true()
        parsed = text.gather(rows).str.to_datetime(fmt, strict=False, time_unit="us", time_zone="UTC")
        result = result.scatter(rows, parsed)
    return result.alias(texts.name)
