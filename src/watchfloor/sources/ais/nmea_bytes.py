"""Byte-level scanning of NMEA blocks: lookup tables, running XOR checksums, numbers and strings.

The NMEA reader (:mod:`watchfloor.sources.ais.nmea`) works on whole blocks of bytes; these are the
vectorised primitives it uses to find fields and check checksums without a Python loop per line.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ByteArray = npt.NDArray[np.uint8]
ByteMatrix = npt.NDArray[np.uint8]


def _table(pairs: Iterable[tuple[int, int]], default: int = -1) -> npt.NDArray[np.int16]:
    table = np.full(256, default, dtype=np.int16)
    for byte, value in pairs:
        table[byte] = value
    return table


_DIGIT = _table((ord("0") + d, d) for d in range(10))
_HEX = _table(
    [
        *((ord("0") + d, d) for d in range(10)),
        *((ord("A") + d, 10 + d) for d in range(6)),
        *((ord("a") + d, 10 + d) for d in range(6)),
    ]
)
_UPPER = np.zeros(256, dtype=np.bool_)
_UPPER[ord("A") : ord("Z") + 1] = True
_TALKER = _UPPER.copy()
_TALKER[ord("-")] = True  # the null talker '--' some receivers write (``!--VDM``)
# Payload armour: '0'..'W' are 0..39, '`'..'w' are 40..63; anything else is invalid.
_SIXBIT = _table([*((c, c - 48) for c in range(48, 88)), *((c, c - 56) for c in range(96, 120))])
_BAD = np.uint8(255)
_SIXBIT_U8 = np.where(_SIXBIT < 0, 255, _SIXBIT).astype(np.uint8)
_SPACE = np.zeros(256, dtype=np.bool_)
_SPACE[[9, 11, 12, 13, 32]] = True

# ---------------------------------------------------------------------------------------------
# Vectorised primitives
# ---------------------------------------------------------------------------------------------


def _first_after(marks: IntArray, starts: IntArray, ends: IntArray) -> IntArray:
    """For each line, the first of the sorted byte positions ``marks`` in ``[starts, ends)``; -1 if none."""
    if marks.size == 0:
        return np.full(starts.size, -1, dtype=np.int64)
    index = np.searchsorted(marks, starts)
    found = marks[np.minimum(index, marks.size - 1)].astype(np.int64)
    return np.where((index < marks.size) & (found < ends), found, -1)


_WORD_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)], dtype=np.uint64)


def _running_xor(raw: ByteArray) -> npt.NDArray[np.uint64]:
    """Running XOR over ``raw`` taken eight bytes at a time (``raw.size`` must be a multiple of 8):
    ``out[w]`` = XOR of the 64-bit words ``0..w-1``. Any byte range's checksum is then a few
    look-ups (:func:`_range_xor`), at an eighth of the cost of a byte-wise running XOR."""
    words = raw.view(np.uint64)
    out = np.zeros(words.size + 1, dtype=np.uint64)
    np.bitwise_xor.accumulate(words, out=out[1:])
    return out


def _prefix_lanes(raw: ByteArray, running: npt.NDArray[np.uint64], ends: IntArray) -> npt.NDArray[np.uint64]:
    """For each ``end``: the XOR, lane by lane, of every byte before ``end`` (as one 64-bit word)."""
    words = raw.view(np.uint64)
    word, offset = ends // 8, ends % 8
    partial = words[np.minimum(word, words.size - 1)] & _WORD_MASKS[offset]
    lanes: npt.NDArray[np.uint64] = running[word] ^ partial
    return lanes


def _range_xor(raw: ByteArray, running: npt.NDArray[np.uint64], starts: IntArray, ends: IntArray) -> IntArray:
    """XOR of the bytes ``raw[starts[i]:ends[i]]`` for each i, from :func:`_running_xor`."""
    value = _prefix_lanes(raw, running, ends) ^ _prefix_lanes(raw, running, starts)
    value ^= value >> np.uint64(32)
    value ^= value >> np.uint64(16)
    value ^= value >> np.uint64(8)
    return (value & np.uint64(0xFF)).astype(np.int64)


def _leading_number(raw: ByteArray, at: IntArray) -> tuple[IntArray, IntArray]:
    """The unsigned integer of up to 14 digits starting at each of ``at``, and its digit count."""
    chars = np.ascontiguousarray(np.lib.stride_tricks.sliding_window_view(raw, 14)[at].T)
    value = np.zeros(at.size, dtype=np.int64)
    count = np.zeros(at.size, dtype=np.int64)
    going = np.ones(at.size, dtype=np.bool_)
    for column in chars:
        digit = _DIGIT[column]
        going &= digit >= 0
        if not going.any():
            break
        value = np.where(going, value * 10 + digit, value)
        count += going
    return value, count


def _strings(raw: ByteArray, starts: IntArray, ends: IntArray) -> pl.Series:
    """The byte ranges as a String column (bytes >= 128 become '?', so it is always valid UTF-8)."""
    lengths = np.maximum(ends - starts, 0)
    offsets = np.zeros(lengths.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    index = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1], dtype=np.int64)
    packed = raw[index]
    packed[packed >= 128] = ord("?")
    array = pa.LargeStringArray.from_buffers(lengths.size, pa.py_buffer(offsets), pa.py_buffer(packed))
    series = pl.from_arrow(array)
    assert isinstance(series, pl.Series)
    return series
