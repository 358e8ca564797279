"""Where the AIS sentences are in an NMEA block, and when each was received.

Finds every line's ``!``, commas and ``*`` at once, checks the checksums, and reads the times a
line can carry: an NMEA 4.0 tag block (``c:``, on the line or on its own line before it), a
``$PGHP`` sentence, a log time before the sentence or a Unix time after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import polars as pl

from watchfloor.sources.ais.nmea_bytes import (
    _DIGIT,
    _HEX,
    _SPACE,
    _TALKER,
    BoolArray,
    ByteArray,
    IntArray,
    _first_after,
    _range_xor,
    _running_xor,
)
from watchfloor.sources.ais.times import NO_TS, epoch_to_ts, parse_times

_NO_TS = NO_TS  # "no timestamp" in int64 microsecond arrays

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
