"""What went wrong while reading an AIS file, counted by cause.

Real AIS feeds are noisy: radio errors flip bits (bad checksums), receivers drop the second half
of a two-sentence message, transponders that have no GPS fix send the "not available" position
91N 181E, and badly configured ones send 0/0. None of this may stop an ingest; every record that
is dropped (or kept but flagged) is counted here so that the user sees what the feed looked like.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum


class Cause(StrEnum):
    """Why a line or a message was dropped (or, for ``OUT_OF_ORDER``, flagged and kept)."""

    BAD_CHECKSUM = "bad_checksum"  # NMEA sentence or tag block checksum does not match
    ORPHAN_FRAGMENT = "orphan_fragment"  # a later part of a multi-sentence message with no first part
    TRUNCATED_MESSAGE = "truncated_message"  # a multi-sentence message whose later parts never came
    BAD_PAYLOAD = "bad_payload"  # payload characters outside the 6-bit alphabet, or too few bits
    UNSUPPORTED_TYPE = "unsupported_type"  # a valid AIS message of a type we do not store (4, 8, 21...)
    INVALID_TYPE = "invalid_type"  # message type 0 or 28-63: not defined by ITU-R M.1371-5
    DUPLICATE = "duplicate"  # the same message received again (another station, another source)
    NOT_A_VESSEL = "not_a_vessel"  # a CSV row from a base station, aid to navigation or SAR aircraft
    COMMENT = "comment"  # a '#' comment line (decoder test files)
    OTHER_SENTENCE = "other_sentence"  # an NMEA sentence that is not AIS ($PSTT, $PFEC, ...)
    IMPOSSIBLE_POSITION = "impossible_position"  # |lat| > 90, |lon| > 180 (91/181 = n/a) or exactly 0/0
    NO_TIMESTAMP = "no_timestamp"  # no tag block time, no log time: the message cannot be placed
    BAD_VALUE = "bad_value"  # a CSV row whose MMSI, time or position does not parse
    UNPARSEABLE = "unparseable"  # a line that is neither an AIS sentence nor a CSV row (binary junk)
    OUT_OF_ORDER = "out_of_order"  # kept: earlier than a time already seen for the same MMSI
    TAG_CHECKSUM = "tag_checksum"  # kept: a tag block whose own checksum is wrong, the sentence's is right


#: Causes whose records are kept in the output (they are flagged, not dropped).
KEPT_CAUSES: frozenset[Cause] = frozenset({Cause.OUT_OF_ORDER, Cause.TAG_CHECKSUM})


@dataclass
class ReadReport:
    """Counts for one input file: lines read, records produced, problems by cause."""

    src_file: str
    format: str = "unknown"
    lines: int = 0
    bytes_read: int = 0  # of the (uncompressed) input, for progress bars
    messages: int = 0  # AIS messages decoded (multi-sentence messages count once); CSV rows
    positions: int = 0
    static: int = 0
    context_lines: int = 0  # lines that only qualify the next sentence: lone tag blocks, $PGHP times
    causes: Counter[Cause] = field(default_factory=Counter)
    types: Counter[int] = field(default_factory=Counter)  # valid AIS messages by message type

    def add(self, cause: Cause, count: int = 1) -> None:
        """Count ``count`` occurrences of ``cause`` (zero is ignored)."""
        if count:
            self.causes[cause] += int(count)

    @property
    def dropped(self) -> int:
        """Records dropped for any cause (flagged causes such as out-of-order are not drops)."""
        return sum(n for cause, n in self.causes.items() if cause not in KEPT_CAUSES)

    @classmethod
    def from_dict(cls, value: dict[str, object]) -> ReadReport:
        """The report saved by :meth:`as_dict` (e.g. in a store manifest)."""

        def number(key: str) -> int:
            item = value.get(key, 0)
            return int(item) if isinstance(item, int | float | str) else 0

        causes = value.get("causes", {})
        counts: Counter[Cause] = Counter()
        known = {cause.value for cause in Cause}
        if isinstance(causes, dict):
            for name, count in causes.items():
                if name in known and isinstance(count, int) and count:
                    counts[Cause(name)] = count
        return cls(
            src_file=str(value.get("src_file", "")),
            format=str(value.get("format", "unknown")),
            lines=number("lines"),
            messages=number("messages"),
            positions=number("positions"),
            static=number("static"),
            context_lines=number("context_lines"),
            causes=counts,
            types=_types(value.get("types", {})),
        )

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary, every cause listed (zero where it did not occur)."""
        return {
            "src_file": self.src_file,
            "format": self.format,
            "lines": self.lines,
            "messages": self.messages,
            "positions": self.positions,
            "static": self.static,
            "context_lines": self.context_lines,
            "dropped": self.dropped,
            "types": {str(t): int(n) for t, n in sorted(self.types.items())},
            "causes": {cause.value: int(self.causes.get(cause, 0)) for cause in Cause},
        }


def _types(value: object) -> Counter[int]:
    counts: Counter[int] = Counter()
    if isinstance(value, dict):
        for key, count in value.items():
            if str(key).isdigit() and isinstance(count, int) and count:
                counts[int(key)] = count
    return counts
