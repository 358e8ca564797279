"""NMEA 0183 AIS sentences (``!AIVDM``/``!AIVDO``) to position and static/voyage frames, fast.

Layouts read, one per line and mixed freely in a file:

* an NMEA 4.0 tag block before the sentence: ``\\s:2573535,c:1617235200*0A\\!AIVDM,...``
  (``c:`` = Unix seconds, or milliseconds where the value is that large; the tag block's own
  checksum is checked when it has one);
* a log time before it: ``2024-10-29 06:00:00,!AIVDM,...`` or ``1730181600.123 !AIVDM,...``;
* a Unix time after it: ``!AIVDM,...*5C,1730181600``;
* a bare sentence ``!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C``, which carries no date:
  counted as ``no_timestamp``, since a position that cannot be placed in time is of no use to a
  detector.

Decoding works on whole blocks of bytes, not sentence by sentence: NumPy finds every line's
``!``, commas and ``*`` at once, checks all checksums from one running XOR over the block (taken
eight bytes at a time), lays the payloads out as an (n, width) matrix of 6-bit values and cuts
each field for all messages of a type with one vectorised shift-and-mask. Only the fragments of
multi-sentence messages (mostly type 5, a few per cent of a feed) are joined in Python. Field
layouts follow ITU-R M.1371-5 and the AIVDM/AIVDO protocol notes of gpsd (Eric S. Raymond);
``pyais`` is the reference the tests compare against, message by message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

from watchfloor.sources.ais.batch import AisBatch, OrderCheck, conform_positions, conform_static
from watchfloor.sources.ais.files import DEFAULT_CHUNK_BYTES, Block, iter_blocks, open_binary
from watchfloor.sources.ais.report import Cause, ReadReport
from watchfloor.sources.ais.times import NO_TS, epoch_to_ts, iso_micros, parse_times

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ByteArray = npt.NDArray[np.uint8]
ByteMatrix = npt.NDArray[np.uint8]

POSITION_TYPES = (1, 2, 3, 18, 19, 27)
STATIC_TYPES = (5, 19, 24)
SUPPORTED_TYPES = frozenset((*POSITION_TYPES, *STATIC_TYPES))

_PAD = 80  # zero bytes after a block, so that fixed look-aheads never index past its end
_NO_TS = NO_TS  # "no timestamp" in int64 microsecond arrays
_DUPLICATE_WINDOW_US = 60_000_000  # equal payloads within a minute are one transmission


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


# DECODER#
# ---------------------------------------------------------------------------------------------
# The decoder
# ---------------------------------------------------------------------------------------------


@dataclass
class _Messages:
    """Complete AIS messages located in a (padded) byte buffer, with their time and line."""

    raw: ByteArray
    start: IntArray
    length: IntArray
    fill: IntArray
    ts: IntArray  # microseconds since the epoch, _NO_TS where unknown
    line: IntArray


@dataclass
class _Fragment:
    line: int
    ts: int
    payload: bytes
    fill: int


def _ts_series(micros: IntArray) -> pl.Series:
    values = pl.Series("ts", micros, dtype=pl.Int64)
    values = values.set(pl.Series(micros == _NO_TS), None)
    return values.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")


def _times_from_text(texts: pl.Series, epoch_only: bool) -> IntArray:
    if epoch_only:
        frame = pl.DataFrame({"t": texts})
        column = epoch_to_ts(pl.col("t").str.extract(r"(?:^|[,;\s])(\d{9,13}(?:\.\d+)?)\s*$"))
        stamps = frame.select(column.alias("t"))["t"]
    else:
        stamps = parse_times(texts.str.strip_chars(" \t,;|"))
    micros: IntArray = stamps.dt.epoch("us").fill_null(_NO_TS).to_numpy().astype(np.int64)
    return micros


@dataclass
class _Located:
    """Where each line of a block and the parts of its sentence are (byte offsets, one per line)."""

    starts: IntArray  # line start, after leading white space
    ends: IntArray  # line end, before trailing white space
    nonblank: BoolArray
    ok: BoolArray  # the line holds a well-formed !xxVDM/!xxVDO sentence
    bang: IntArray  # the '!'
    star: IntArray  # the '*' before the checksum
    total: IntArray
    num: IntArray
    seq: IntArray  # -1 when empty
    chan: IntArray  # the channel byte, 0 when empty
    payload_start: IntArray
    payload_end: IntArray
    fill: IntArray
    checksum: IntArray
    has_tag: BoolArray
    tag_end: IntArray  # the '\\' that closes the tag block


def _locate(raw: ByteArray, size: int) -> _Located:
    """Find every line and the fields of its sentence at once: the first '!' of the line, talker
    + VDM/VDO, fixed offsets up to the sequence id, then the channel, the payload up to the first
    '*', the fill bits and two hex digits; a tag block is '\\...\\' right before the '!'."""
    body = raw[:size]
    newlines = np.flatnonzero(body == 10)
    starts = np.concatenate(([0], newlines + 1)).astype(np.int64)
    ends = np.concatenate((newlines, [size])).astype(np.int64)
    for _ in range(8):
        trim = (ends > starts) & _SPACE[raw[np.maximum(ends - 1, 0)]]
        if not trim.any():
            break
        ends -= trim
    for _ in range(8):
        trim = (ends > starts) & _SPACE[raw[starts]]
        if not trim.any():
            break
        starts += trim
    nonblank = ends > starts

    b = _first_after(np.flatnonzero(body == ord("!")), starts, ends)
    ok = nonblank & (b >= 0) & (raw[starts] != ord("#"))  # a comment may quote a sentence
    b = np.where(ok, b, 0)
    ok &= _TALKER[raw[b + 1]] & _TALKER[raw[b + 2]] & (raw[b + 3] == ord("V")) & (raw[b + 4] == ord("D"))
    ok &= ((raw[b + 5] == ord("M")) | (raw[b + 5] == ord("O"))) & (raw[b + 6] == ord(","))
    total = _DIGIT[raw[b + 7]].astype(np.int64)
    num = _DIGIT[raw[b + 9]].astype(np.int64)
    ok &= (raw[b + 8] == ord(",")) & (raw[b + 10] == ord(",")) & (total >= 1) & (num >= 1)
    seq = _DIGIT[raw[b + 11]].astype(np.int64)
    c3 = np.where(seq >= 0, b + 12, b + 11)
    ok &= raw[c3] == ord(",")
    chan = np.where(raw[c3 + 1] == ord(","), 0, raw[c3 + 1]).astype(np.int64)
    c4 = np.where(chan == 0, c3 + 1, c3 + 2)
    ok &= raw[c4] == ord(",")
    star = _first_after(np.flatnonzero(body == ord("*")), np.where(ok, b, starts), ends)
    ok &= star > c4 + 2
    star = np.where(ok, star, c4 + 3)
    c5 = star - 2
    fill = _DIGIT[raw[c5 + 1]].astype(np.int64)
    hi, lo = _HEX[raw[star + 1]].astype(np.int64), _HEX[raw[star + 2]].astype(np.int64)
    ok &= (raw[c5] == ord(",")) & (fill >= 0) & (fill <= 5) & (hi >= 0) & (lo >= 0) & (star + 3 <= ends)
    has_tag = raw[starts] == ord("\\")
    ok &= ~has_tag | (raw[np.maximum(b - 1, 0)] == ord("\\"))
    has_tag &= ok
    return _Located(
        starts=starts,
        ends=ends,
        nonblank=nonblank,
        ok=ok,
        bang=b,
        star=star,
        total=total,
        num=num,
        seq=seq,
        chan=chan,
        payload_start=c4 + 1,
        payload_end=c5,
        fill=fill,
        checksum=hi * 16 + lo,
        has_tag=has_tag,
        tag_end=np.where(has_tag, b - 1, starts),
    )


def _checksums_match(raw: ByteArray, found: _Located, rows: IntArray) -> tuple[BoolArray, BoolArray]:
    """Whether each sentence in ``rows`` is intact, and whether its tag block (where that has a
    checksum) is not. A wrong tag-block checksum under a right sentence checksum is kept and
    flagged: Kystverket's feed prepends ``g:`` groups without recomputing the tag checksum."""
    running = _running_xor(raw)
    good: BoolArray = _range_xor(raw, running, found.bang[rows] + 1, found.star[rows]) == found.checksum[rows]
    tag_bad = np.zeros(rows.size, dtype=np.bool_)
    tag_end = found.tag_end[rows]
    tagged = np.flatnonzero(found.has_tag[rows] & (raw[np.maximum(tag_end - 3, 0)] == ord("*")))
    if tagged.size:
        ends = tag_end[tagged]
        tag_sum = _range_xor(raw, running, found.starts[rows][tagged] + 1, ends - 3)
        tag_cks = _HEX[raw[ends - 2]].astype(np.int64) * 16 + _HEX[raw[ends - 1]]
        tag_bad[tagged] = tag_sum != tag_cks
    return good, tag_bad & good


@dataclass
class _Context:
    """Lines that only qualify the sentence after them, and the other non-AIS lines of a block."""

    is_context: BoolArray  # a lone tag block line or a $PGHP time line
    line_ts: IntArray  # the time such a line gives (microseconds), _NO_TS where none
    comment: BoolArray
    other: BoolArray  # another NMEA sentence ($PSTT, $PFEC, ...)


def _pghp_micros(text: str) -> int:
    """Gatehouse ``$PGHP,1,year,month,day,h,m,s,ms,...`` receive time, _NO_TS if malformed."""
    fields = text.split("*", 1)[0].split(",")
    try:
        year, month, day, hour, minute, second, milli = (int(f) for f in fields[2:9])
        stamp = datetime(year, month, day, hour, minute, second, milli * 1000, tzinfo=UTC)
    except (ValueError, TypeError):
        return _NO_TS
    return int(stamp.timestamp()) * 1_000_000 + stamp.microsecond


def _tag_micros(text: str) -> int:
    """The ``c:`` time of a tag block line (seconds or milliseconds), _NO_TS if it has none."""
    for item in text.strip("\\").split("*", 1)[0].split(","):
        if item.startswith("c:") and item[2:].isdigit():
            value = int(item[2:])
            return value * 1_000 if value >= 100_000_000_000 else value * 1_000_000
    return _NO_TS


def _context(raw: ByteArray, found: _Located) -> _Context:
    """Find lone tag block lines (DMA's ``\\si:AISD*3F\\`` above the sentence), Gatehouse
    ``$PGHP`` time lines, comments and other NMEA sentences, and the times the first two carry."""
    starts, ends = found.starts, found.ends
    rest = found.nonblank & ~found.ok
    first = raw[starts]
    lone_tag = rest & (first == ord("\\")) & (raw[np.maximum(ends - 1, 0)] == ord("\\"))
    dollar = rest & (first == ord("$"))
    pghp = dollar & (raw[starts + 1] == ord("P")) & (raw[starts + 2] == ord("G"))
    pghp &= (raw[starts + 3] == ord("H")) & (raw[starts + 4] == ord("P")) & (raw[starts + 5] == ord(","))
    line_ts = np.full(starts.size, _NO_TS, dtype=np.int64)
    for i in np.flatnonzero(lone_tag | pghp).tolist():
        text = raw[starts[i] : ends[i]].tobytes().decode("ascii", "replace")
        line_ts[i] = _pghp_micros(text) if pghp[i] else _tag_micros(text)
    other = rest & ((first == ord("$")) | (first == ord("!"))) & ~pghp
    return _Context(lone_tag | pghp, line_ts, rest & (first == ord("#")), other)


def _context_ts(context: _Context, rows: IntArray) -> IntArray:
    """For each sentence row, the time of the context lines right above it (the nearest first)."""
    out = np.full(rows.size, _NO_TS, dtype=np.int64)
    for back in (1, 2):
        above = rows - back
        inside = above >= 0
        chain = inside.copy()
        for step in range(1, back + 1):
            at = np.maximum(rows - step, 0)
            chain &= (rows - step >= 0) & context.is_context[at]
        at = np.maximum(above, 0)
        take = chain & (out == _NO_TS) & (context.line_ts[at] != _NO_TS)
        out[take] = context.line_ts[at][take]
    return out


class NmeaDecoder:
    """Decodes one NMEA file block by block, keeping the state that crosses block edges.

    The state is the multi-sentence messages still waiting for their later parts (at most one per
    talker, sequence id, channel and part count) and the latest time per MMSI for the
    out-of-order count, so memory does not grow with the file.
    """

    def __init__(
        self,
        src_file: str,
        report: ReadReport | None = None,
        keep_untimed: bool = False,
        drop_duplicates: bool = True,
    ) -> None:
        self.src_file = src_file
        self.report = report if report is not None else ReadReport(src_file, format="nmea")
        # Both switches exist for comparing the decoder with pyais line for line (tests only).
        self.keep_untimed = keep_untimed  # keep messages with no time (null ``ts``)
        self.drop_duplicates = drop_duplicates
        self._pending: dict[tuple[int, int, int, int], list[_Fragment]] = {}
        self._order = OrderCheck()
        self._carry = b""  # context lines at the end of a block, held for the sentence after them
        self._carry_first = 0
        self._seen: dict[bytes, int] = {}  # payload -> latest receive time, for duplicate receptions
        self._seen_latest = _NO_TS

    # -- public -------------------------------------------------------------------------------

    def decode_lines(self, lines: Iterable[str], first_line: int = 1) -> AisBatch:
        """Decode an in-memory sequence of lines (numbered from ``first_line``)."""
        data = "\n".join(line.rstrip("\n") for line in lines).encode("utf-8", "surrogateescape")
        return self.decode_block(Block(first_line, data))

    def finish(self) -> AisBatch:
        """End of input: lines still held are decoded; multi-sentence messages still incomplete are
        counted as truncated."""
        batch = AisBatch.empty()
        if self._carry:
            carry, self._carry = self._carry, b""
            batch = self._decode(Block(self._carry_first, carry.rstrip(b"\n")))
        for parts in self._pending.values():
            self.report.add(Cause.TRUNCATED_MESSAGE, len(parts))
        self._pending.clear()
        return batch

    def decode_block(self, block: Block) -> AisBatch:
        """Decode the lines of ``block``; problems are counted in ``self.report``. Context lines
        at its end (a tag block or ``$PGHP`` line whose sentence is in the next block) are held
        back and decoded with the next block."""
        data, first_line = block.data, block.first_line
        if self._carry:
            data, first_line = self._carry + data, self._carry_first
            self._carry = b""
        cut = len(data)  # data[:cut] is decoded now, data[cut + 1:] held back
        for _ in range(2):
            newline = data.rfind(b"\n", 0, cut)
            last = data[newline + 1 : cut].strip()
            if not (last.startswith(b"$PGHP,") or (last.startswith(b"\\") and b"!" not in last)):
                break
            cut = newline
            if cut < 0:
                break
        if cut < len(data):
            self._carry = data[cut + 1 :] + b"\n"
            self._carry_first = first_line + data[: cut + 1].count(b"\n")
            if cut < 0:
                return AisBatch.empty()
            data = data[:cut]
        return self._decode(Block(first_line, data))

    def _decode(self, block: Block) -> AisBatch:
        report = self.report
        size = len(block.data)
        report.bytes_read += size + 1
        raw = np.zeros((size + _PAD + 7) // 8 * 8, dtype=np.uint8)
        raw[:size] = np.frombuffer(block.data, dtype=np.uint8)
        found = _locate(raw, size)
        report.lines += found.starts.size
        context = _context(raw, found)
        report.context_lines += int(context.is_context.sum())
        report.add(Cause.COMMENT, int(context.comment.sum()))
        report.add(Cause.OTHER_SENTENCE, int(context.other.sum()))
        rest = found.nonblank & ~found.ok & ~context.is_context & ~context.comment & ~context.other
        report.add(Cause.UNPARSEABLE, int(rest.sum()))

        rows = np.flatnonzero(found.ok)
        good, tag_bad = _checksums_match(raw, found, rows)
        report.add(Cause.BAD_CHECKSUM, int((~good).sum()))
        report.add(Cause.TAG_CHECKSUM, int(tag_bad.sum()))
        rows = rows[good]

        ts = self._timestamps(raw, size, rows, found)
        missing = ts == _NO_TS
        if missing.any():
            ts[missing] = _context_ts(context, rows[missing])
        single = found.total[rows] == 1
        srows = rows[single]
        batches = [
            self._decode_messages(
                _Messages(
                    raw,
                    found.payload_start[srows],
                    found.payload_end[srows] - found.payload_start[srows],
                    found.fill[srows],
                    ts[single],
                    srows + block.first_line,
                )
            )
        ]
        mrows = rows[~single]
        if mrows.size:
            assembled = self._assemble(
                mrows + block.first_line,
                ts[~single],
                _strings(raw, found.payload_start[mrows], found.payload_end[mrows]).to_list(),
                found.fill[mrows],
                raw[found.bang[mrows] + 1].astype(np.int64) * 256 + raw[found.bang[mrows] + 2],
                found.seq[mrows],
                found.chan[mrows],
                found.total[mrows],
                found.num[mrows],
            )
            if assembled is not None:
                batches.append(self._decode_messages(assembled))
        batch = AisBatch.concat(batches)
        positions = batch.positions.sort("src_line") if len(batches) > 1 else batch.positions
        static = batch.static.sort("src_line") if len(batches) > 1 else batch.static
        report.add(Cause.OUT_OF_ORDER, self._order.count(positions))
        return AisBatch(positions, static)

    # -- steps --------------------------------------------------------------------------------

    @staticmethod
    def _timestamps(raw: ByteArray, size: int, rows: IntArray, found: _Located) -> IntArray:
        """Receiver time of each row: tag block ``c:``, else a log time before the sentence, else
        a Unix time after it (microseconds, ``_NO_TS`` where none)."""
        ts = np.full(rows.size, _NO_TS, dtype=np.int64)
        if rows.size == 0:
            return ts
        starts, has_tag, tag_end = found.starts, found.has_tag, found.tag_end
        if has_tag.any():
            # 'c:' inside the tag block, after its opening '\' or a ','.
            colons = np.flatnonzero(raw[:size] == ord(":"))
            colons = colons[colons >= 2]
            marks = colons[
                (raw[colons - 1] == ord("c"))
                & ((raw[colons - 2] == ord("\\")) | (raw[colons - 2] == ord(",")))
            ]
            owner = np.searchsorted(starts, marks, side="right") - 1
            inside = has_tag[owner] & (marks < tag_end[owner])
            owner, marks = owner[inside], marks[inside]
            lines_with, first = np.unique(owner, return_index=True)
            value, digits = _leading_number(raw, marks[first] + 1)
            micros = np.where(value >= 100_000_000_000, value * 1_000, value * 1_000_000)
            line_ts = np.full(starts.size, _NO_TS, dtype=np.int64)
            line_ts[lines_with] = np.where(digits > 0, micros, _NO_TS)
            ts = line_ts[rows]
        missing = ts == _NO_TS
        # A log time before the sentence (after the tag block, if any).
        prefix_start = np.where(has_tag, tag_end + 1, starts)[rows]
        bang = found.bang[rows]
        want = np.flatnonzero(missing & (bang > prefix_start))
        if want.size:
            ts[want] = iso_micros(raw, prefix_start[want])[0]
            slow = want[ts[want] == _NO_TS]
            if slow.size:
                texts = _strings(raw, prefix_start[slow], bang[slow])
                ts[slow] = _times_from_text(texts, epoch_only=False)
            missing = ts == _NO_TS
        # A Unix time after the checksum.
        after, ends = found.star[rows] + 3, found.ends[rows]
        want = np.flatnonzero(missing & (ends > after))
        if want.size:
            ts[want] = _times_from_text(_strings(raw, after[want], ends[want]), epoch_only=True)
        return ts

    def _assemble(
        self,
        lines: IntArray,
        ts: IntArray,
        payloads: list[str],
        fill: IntArray,
        talker: IntArray,
        seq: IntArray,
        chan: IntArray,
        total: IntArray,
        num: IntArray,
    ) -> _Messages | None:
        """Join the fragments of multi-sentence messages, in file order, across blocks."""
        done: list[list[_Fragment]] = []
        pending = self._pending
        rows = zip(
            lines.tolist(),
            ts.tolist(),
            payloads,
            fill.tolist(),
            talker.tolist(),
            seq.tolist(),
            chan.tolist(),
            total.tolist(),
            num.tolist(),
            strict=True,
        )
        for line, stamp, payload, bits_fill, talk, sid, channel, parts, part in rows:
            key = (talk, sid, channel, parts)
            fragment = _Fragment(line, stamp, payload.encode("ascii"), bits_fill)
            if part == 1:
                stale = pending.pop(key, None)
                if stale:
                    self.report.add(Cause.TRUNCATED_MESSAGE, len(stale))
                pending[key] = [fragment]
            else:
                group = pending.get(key)
                if group is None or len(group) != part - 1:
                    self.report.add(Cause.ORPHAN_FRAGMENT)
                    continue
                group.append(fragment)
            if len(pending[key]) == parts:
                done.append(pending.pop(key))
        if not done:
            return None
        joined = [b"".join(f.payload for f in group) for group in done]
        lengths = np.array([len(p) for p in joined], dtype=np.int64)
        offsets = np.zeros(lengths.size, dtype=np.int64)
        np.cumsum(lengths[:-1], out=offsets[1:])
        data = b"".join(joined)
        raw = np.zeros(len(data) + _PAD, dtype=np.uint8)
        raw[: len(data)] = np.frombuffer(data, dtype=np.uint8)
        stamps = [next((f.ts for f in group if f.ts != _NO_TS), _NO_TS) for group in done]
        return _Messages(
            raw,
            offsets,
            lengths,
            np.array([g[-1].fill for g in done], dtype=np.int64),
            np.array(stamps, dtype=np.int64),
            np.array([g[0].line for g in done], dtype=np.int64),
        )

    def _decode_messages(self, msgs: _Messages) -> AisBatch:
        report = self.report
        n = msgs.start.size
        if n == 0:
            return AisBatch.empty()
        matrix, invalid = sixbit_rows(msgs.raw, msgs.start, msgs.length, 28)
        long = np.flatnonzero(msgs.length > 28)
        if long.size:
            width = min(int(msgs.length[long].max()), _PAD)
            invalid[long] |= sixbit_rows(msgs.raw, msgs.start[long], msgs.length[long], width)[1]
        valid = (msgs.length > 0) & ~invalid
        report.add(Cause.BAD_PAYLOAD, int((~valid).sum()))
        if self.drop_duplicates:
            valid &= ~self._duplicates(msgs, valid)
        mtype = matrix[:, 0].astype(np.int64)
        defined = valid & (mtype >= 1) & (mtype <= 27)
        report.add(Cause.INVALID_TYPE, int((valid & ~defined).sum()))
        kinds, counts = np.unique(mtype[valid], return_counts=True)
        report.types.update(dict(zip(kinds.tolist(), counts.tolist(), strict=True)))
        nbits = msgs.length * 6 - msgs.fill
        supported = defined & np.isin(mtype, list(SUPPORTED_TYPES))
        report.add(Cause.UNSUPPORTED_TYPE, int((defined & ~supported).sum()))
        short = supported & (nbits < _NEED_BITS[mtype])
        report.add(Cause.BAD_PAYLOAD, int(short.sum()))
        untimed = supported & ~short & (msgs.ts == _NO_TS) & (not self.keep_untimed)
        report.add(Cause.NO_TIMESTAMP, int(untimed.sum()))
        keep = supported & ~short & ~untimed
        report.messages += int(keep.sum())
        positions = self._positions(msgs, matrix, mtype, keep)
        static = self._static(msgs, matrix, mtype, nbits, keep)
        report.positions += positions.height
        report.static += static.height
        return AisBatch(positions, static)

    def _duplicates(self, msgs: _Messages, valid: BoolArray) -> BoolArray:
        """Receptions of a message already seen (the same payload bits within a minute): the same
        transmission heard by several stations or through several networks (terrestrial,
        satellite). Position reports carry the second and the radio state, so two distinct
        transmissions with equal payloads within a minute do not occur in practice."""
        dup = np.zeros(msgs.start.size, dtype=np.bool_)
        seen, window = self._seen, _DUPLICATE_WINDOW_US
        raw = msgs.raw
        for i in np.flatnonzero(valid).tolist():
            start = int(msgs.start[i])
            key = raw[start : start + int(msgs.length[i])].tobytes()
            stamp = int(msgs.ts[i])
            before = seen.get(key)
            if before is not None and (
                (stamp == _NO_TS and before == _NO_TS)
                or (stamp != _NO_TS and before != _NO_TS and abs(stamp - before) <= window)
            ):
                dup[i] = True
                continue
            seen[key] = stamp
            if stamp != _NO_TS and stamp > self._seen_latest:
                self._seen_latest = stamp
        self.report.add(Cause.DUPLICATE, int(dup.sum()))
        if len(seen) > 500_000:  # keep the state bounded on long files
            horizon = self._seen_latest - window
            self._seen = {k: v for k, v in seen.items() if v != _NO_TS and v >= horizon}
        return dup

    def _positions(
        self, msgs: _Messages, matrix: ByteMatrix, mtype: IntArray, keep: BoolArray
    ) -> pl.DataFrame:
        frames = []
        for layout in _POSITION_LAYOUTS:
            rows = np.flatnonzero(keep & np.isin(mtype, layout.types))
            if rows.size == 0:
                continue
            fields = _decode_positions(matrix[rows], layout)
            frame = pl.DataFrame(fields, nan_to_null=True).with_columns(
                pl.Series("src_line", msgs.line[rows]), _ts_series(msgs.ts[rows])
            )
            frames.append(frame)
        if not frames:
            return AisBatch.empty().positions
        frame = pl.concat(frames)
        if len(frames) > 1:
            frame = frame.sort("src_line")
        bad = impossible_position(pl.col("lat"), pl.col("lon"))
        self.report.add(Cause.IMPOSSIBLE_POSITION, int(frame.select(bad.sum()).item()))
        frame = frame.filter(~bad).with_columns(pl.lit(self.src_file).alias("src_file"))
        return conform_positions(frame)

    def _static(
        self, msgs: _Messages, matrix: ByteMatrix, mtype: IntArray, nbits: IntArray, keep: BoolArray
    ) -> pl.DataFrame:
        frames: list[pl.DataFrame] = []

        def emit(rows: IntArray, msg_type: int, mat: ByteMatrix, **columns: pl.Series) -> None:
            frames.append(
                pl.DataFrame(
                    {
                        "mmsi": bits(mat, 8, 30),
                        "msg_type": np.full(rows.size, msg_type, dtype=np.int64),
                        "src_line": msgs.line[rows],
                    }
                ).with_columns(_ts_series(msgs.ts[rows]), *(s.alias(k) for k, s in columns.items()))
            )

        def code(values: IntArray) -> pl.Series:  # 0 means "not available"
            return pl.Series(values, dtype=pl.Int64).replace(0, None)

        rows5 = np.flatnonzero(keep & (mtype == 5))
        if rows5.size:
            wide = sixbit_rows(msgs.raw, msgs.start[rows5], msgs.length[rows5], 71)[0]
            emit(
                rows5,
                5,
                wide,
                imo=code(bits(wide, 40, 30)),
                call_sign=sixbit_text(wide, 70, 7),
                name=sixbit_text(wide, 112, 20),
                ship_type=code(bits(wide, 232, 8)),
                destination=sixbit_text(wide, 302, 20),
            )
        rows19 = np.flatnonzero(keep & (mtype == 19))
        if rows19.size:
            wide = sixbit_rows(msgs.raw, msgs.start[rows19], msgs.length[rows19], 52)[0]
            emit(rows19, 19, wide, name=sixbit_text(wide, 143, 20), ship_type=code(bits(wide, 263, 8)))
        rows24 = np.flatnonzero(keep & (mtype == 24))
        if rows24.size:
            part = bits(matrix[rows24], 38, 2)
            part_a = rows24[(part == 0) & (nbits[rows24] >= 160)]
            part_b = rows24[(part == 1) & (nbits[rows24] >= 132)]
            self.report.add(Cause.BAD_PAYLOAD, int(rows24.size - part_a.size - part_b.size))
            if part_a.size:
                emit(part_a, 24, matrix[part_a], name=sixbit_text(matrix[part_a], 40, 20))
            if part_b.size:
                emit(
                    part_b,
                    24,
                    matrix[part_b],
                    call_sign=sixbit_text(matrix[part_b], 90, 7),
                    ship_type=code(bits(matrix[part_b], 40, 8)),
                )
        if not frames:
            return AisBatch.empty().static
        frame = pl.concat(frames, how="diagonal_relaxed")
        if len(frames) > 1:
            frame = frame.sort("src_line")
        for column in ("imo", "name", "call_sign", "ship_type", "destination"):
            if column not in frame.columns:
                frame = frame.with_columns(pl.lit(None).alias(column))
        return conform_static(frame.with_columns(pl.lit(self.src_file).alias("src_file")))


def read_nmea(
    path: Path,
    report: ReadReport | None = None,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    src_file: str | None = None,
) -> Iterator[AisBatch]:
    """Decode an NMEA file block by block (memory bounded by ``chunk_bytes``)."""
    decoder = NmeaDecoder(src_file or str(path), report)
    decoder.report.format = "nmea"
    with open_binary(path) as handle:
        for block in iter_blocks(handle, chunk_bytes):
            yield decoder.decode_block(block)
    last = decoder.finish()
    if last.positions.height or last.static.height:
        yield last


def decode_nmea_lines(
    lines: Iterable[str], src_file: str = "<memory>", keep_untimed: bool = False, drop_duplicates: bool = True
) -> tuple[AisBatch, ReadReport]:
    """Decode sentences held in memory (tests, small inputs): the rows and the report."""
    decoder = NmeaDecoder(src_file, keep_untimed=keep_untimed, drop_duplicates=drop_duplicates)
    batch = decoder.decode_lines(lines)
    last = decoder.finish()
    return AisBatch.concat([batch, last]), decoder.report
