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

The module holds the decoder (block state, fragments, duplicates, frames); the byte primitives are
in :mod:`nmea_bytes`, locating sentences and their times in :mod:`nmea_lines`, and the 6-bit
fields and message layouts in :mod:`sixbit`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import polars as pl

from watchfloor.sources.ais.batch import AisBatch, OrderCheck, conform_positions, conform_static
from watchfloor.sources.ais.files import DEFAULT_CHUNK_BYTES, Block, iter_blocks, open_binary
from watchfloor.sources.ais.nmea_bytes import (
    BoolArray,
    ByteArray,
    ByteMatrix,
    IntArray,
    _leading_number,
    _strings,
)
from watchfloor.sources.ais.nmea_lines import (
    _checksums_match,
    _context,
    _context_ts,
    _Fragment,
    _locate,
    _Located,
    _Messages,
    _times_from_text,
    _ts_series,
)
from watchfloor.sources.ais.report import Cause, ReadReport
from watchfloor.sources.ais.sixbit import (
    _NEED_BITS,
    _POSITION_LAYOUTS,
    NEED_BITS,
    _decode_positions,
    bits,
    impossible_position,
    sixbit_rows,
    sixbit_text,
)
from watchfloor.sources.ais.times import NO_TS, iso_micros

__all__ = ["NEED_BITS", "NmeaDecoder", "decode_nmea_lines", "impossible_position", "read_nmea"]

POSITION_TYPES = (1, 2, 3, 18, 19, 27)
STATIC_TYPES = (5, 19, 24)
SUPPORTED_TYPES = frozenset((*POSITION_TYPES, *STATIC_TYPES))

_PAD = 80  # zero bytes after a block, so that fixed look-aheads never index past its end
_NO_TS = NO_TS  # "no timestamp" in int64 microsecond arrays
_DUPLICATE_WINDOW_US = 60_000_000  # equal payloads within a minute are one transmission


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
