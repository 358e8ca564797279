"""AIS payload bits: 6-bit armour to bit fields, text fields, and the position report layouts.

Payloads are laid out as an (n, width) matrix of 6-bit values; each field is cut for all messages
of a type with one vectorised shift-and-mask. Layouts follow ITU-R M.1371-5.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from watchfloor.sources.ais.nmea_bytes import _BAD, _SIXBIT_U8, BoolArray, ByteArray, ByteMatrix, IntArray


def sixbit_rows(
    raw: ByteArray, starts: IntArray, lengths: IntArray, width: int
) -> tuple[ByteMatrix, BoolArray]:
    """Payloads at ``raw[starts[i]:starts[i]+lengths[i]]`` as an (n, width) matrix of 6-bit values,
    cut or zero-padded to ``width`` characters, and whether each row has a character outside the
    armour within its first ``width``. ``raw`` must be padded by at least ``width`` bytes."""
    windows = np.lib.stride_tricks.sliding_window_view(raw, width)
    matrix: ByteMatrix = _SIXBIT_U8[windows[starts]]
    if starts.size and int(lengths.min()) < width:
        matrix[np.arange(width) >= lengths[:, None]] = 0
    invalid: BoolArray = np.asarray((matrix == _BAD).any(axis=1), dtype=np.bool_)
    if invalid.any():
        matrix[matrix == _BAD] = 0
    return matrix, invalid


def bits(matrix: ByteMatrix, start: int, width: int, signed: bool = False) -> IntArray:
    """The ``width``-bit field at bit ``start`` of every row, as integers (two's complement if signed)."""
    first, last = start // 6, (start + width - 1) // 6
    acc = np.zeros(matrix.shape[0], dtype=np.int64)
    for col in range(first, last + 1):
        acc = (acc << 6) | matrix[:, col].astype(np.int64)
    acc >>= 6 * (last + 1) - (start + width)
    acc &= (1 << width) - 1
    if signed:
        acc = np.where(acc >= (1 << (width - 1)), acc - (1 << width), acc)
    return acc


def sixbit_text(matrix: ByteMatrix, start: int, chars: int) -> pl.Series:
    """The 6-bit ASCII text field at bit ``start`` of every row; cut at the first ``@`` and
    stripped, as pyais does; null where nothing is left."""
    if matrix.shape[0] == 0:
        return pl.Series(dtype=pl.String)
    codes = np.stack([bits(matrix, start + 6 * k, 6) for k in range(chars)], axis=1).astype(np.uint8)
    codes = np.where(codes < 32, codes + 64, codes).astype(np.uint8)
    raw = codes.tobytes().decode("ascii")
    out: list[str | None] = []
    for i in range(matrix.shape[0]):
        text = raw[i * chars : (i + 1) * chars].split("@", 1)[0].strip()
        out.append(text or None)
    return pl.Series(out, dtype=pl.String)


# ---------------------------------------------------------------------------------------------
# Message layouts (bit offsets from ITU-R M.1371-5)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PositionLayout:
    """Where one family of position reports keeps its fields, and its units and "not available"."""

    types: tuple[int, ...]
    lon: tuple[int, int]
    lat: tuple[int, int]
    divisor: float  # raw lat/lon units per degree
    sog: tuple[int, int]
    sog_divisor: float
    sog_na: int
    cog: tuple[int, int]
    cog_divisor: float
    cog_na: int
    heading: tuple[int, int] | None
    need_bits: int  # bits a payload must hold for the fields we read


_POSITION_LAYOUTS = (
    # Class A position report (types 1, 2, 3)
    _PositionLayout(
        (1, 2, 3), (61, 28), (89, 27), 600_000.0, (50, 10), 10.0, 1023, (116, 12), 10.0, 3600, (128, 9), 137
    ),
    # Class B standard (18) and extended (19) position reports
    _PositionLayout(
        (18, 19), (57, 28), (85, 27), 600_000.0, (46, 10), 10.0, 1023, (112, 12), 10.0, 3600, (124, 9), 133
    ),
    # Long-range broadcast (27): 1/10 minute positions, whole knots and degrees
    _PositionLayout((27,), (44, 18), (62, 17), 600.0, (79, 6), 1.0, 63, (85, 9), 1.0, 511, None, 94),
)

# Bits a payload must hold, by message type, for what we read from it.
NEED_BITS = _NEED_BITS = np.full(64, 1 << 30, dtype=np.int64)
for _layout in _POSITION_LAYOUTS:
    for _t in _layout.types:
        _NEED_BITS[_t] = _layout.need_bits
_NEED_BITS[19] = 271  # name and ship type as well
_NEED_BITS[5] = 302  # up to the destination (shorter destinations are read as far as they go)
_NEED_BITS[24] = 40  # part number; each part is checked below


def _nullable(values: npt.NDArray[np.float64], invalid: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    out = values.astype(np.float64)
    out[invalid] = np.nan
    return out


def _decode_positions(matrix: ByteMatrix, layout: _PositionLayout) -> dict[str, npt.NDArray[np.float64]]:
    lon = bits(matrix, *layout.lon, signed=True) / layout.divisor
    lat = bits(matrix, *layout.lat, signed=True) / layout.divisor
    sog_raw = bits(matrix, *layout.sog)
    cog_raw = bits(matrix, *layout.cog)
    if layout.heading is not None:
        hdg_raw = bits(matrix, *layout.heading)
        heading = _nullable(hdg_raw.astype(np.float64), hdg_raw > 359)
    else:
        heading = np.full(matrix.shape[0], np.nan)
    return {
        "mmsi": bits(matrix, 8, 30).astype(np.float64),
        "msg_type": bits(matrix, 0, 6).astype(np.float64),
        "lat": lat,
        "lon": lon,
        "sog": _nullable(sog_raw / layout.sog_divisor, sog_raw == layout.sog_na),
        "cog": _nullable(cog_raw / layout.cog_divisor, cog_raw >= layout.cog_na),
        "heading": heading,
    }


def impossible_position(lat: pl.Expr, lon: pl.Expr) -> pl.Expr:
    """True where a position cannot be real: off the globe (91/181 is AIS "not available"),
    not a number, or exactly 0/0 (a receiver with no fix)."""
    return (
        lat.is_null()
        | lon.is_null()
        | lat.is_nan()
        | lon.is_nan()
        | (lat.abs() > 90)
        | (lon.abs() > 180)
        | ((lat == 0) & (lon == 0))
    )
