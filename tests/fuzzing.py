"""Shared support for the readers' fuzz tests: seeded byte mutations and a budget from the environment.

Each reader's fuzz test starts from real files (``../shared/data`` or the project's fixtures),
applies a few Hypothesis-chosen mutations (truncate, flip, insert, delete, duplicate, splice hostile
bytes, repeat a short piece up to 40,000 times) and checks the one invariant every reader promises:
typed records, or a ``WatchfloorError`` that names the file — never another exception, never a
hang. ``make test`` runs a fixed budget; ``make fuzz`` sets ``WATCHFLOOR_FUZZ_EXAMPLES`` for a
longer run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from watchfloor.errors import WatchfloorError

FUZZ_EXAMPLES = int(os.environ.get("WATCHFLOOR_FUZZ_EXAMPLES", "40"))
"""Inputs tried per reader: a fixed budget in ``make test``, more under ``make fuzz``."""

PER_INPUT_SECONDS = 20.0
"""A reader that takes longer than this on one small mutated input counts as a hang."""

HOSTILE = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]>",
    b'<!ENTITY xxe SYSTEM "file:///etc/passwd">',
    b"&xxe;",
    b"]]>",
    b'"',
    b",,,,,,,,,,,,,,,,,,,,",
    b"\r\n",
    b"\n\n\n",
    "Ким Чен Ын 김정은".encode(),
    b"\x1b[31m",
    b"{",
    b'{"id": 1, "schema": []}',
    b"-0",
    b"99999999999999999999",
    b"\xc3\x28",
]

RUNS = [b" ", b"A ", b"\t", b"<", b"<a", b"[", b"{", b",", b"\\", b"!"]
"""Pieces for the ``repeat`` mutation: whitespace, capitals, markup openers, separators."""

fuzz_settings = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,  # time is bounded per input below, with a clearer message than Hypothesis's
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=os.environ.get("WATCHFLOOR_FUZZ_RANDOM") is None,  # seeded in make test, random in make fuzz
    database=None,
)


@dataclass(frozen=True)
class Mutation:
    kind: str
    at: float
    size: int
    payload: bytes

    def apply(self, data: bytes) -> bytes:
        if not data:
            return self.payload
        pos = min(int(self.at * len(data)), len(data) - 1)
        match self.kind:
            case "truncate":
                return data[:pos]
            case "flip":
                return data[:pos] + bytes([data[pos] ^ (1 + self.size % 255)]) + data[pos + 1 :]
            case "insert":
                return data[:pos] + self.payload + data[pos:]
            case "delete":
                return data[:pos] + data[pos + self.size :]
            case "duplicate":
                return data[:pos] + data[pos : pos + self.size] * 3 + data[pos:]
            case "repeat":  # a long run of one short piece: finds quadratic regexes and loops
                return data[:pos] + self.payload[:2] * (self.size * 100) + data[pos:]
            case _:
                raise AssertionError(self.kind)


mutations = st.lists(
    st.builds(
        Mutation,
        kind=st.sampled_from(["truncate", "flip", "insert", "delete", "duplicate", "repeat"]),
        at=st.floats(0, 1, allow_nan=False),
        size=st.integers(1, 400),
        payload=st.one_of(
            st.sampled_from(HOSTILE), st.sampled_from(RUNS), st.binary(min_size=1, max_size=64)
        ),
    ),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, steps: Iterable[Mutation]) -> bytes:
    for step in steps:
        data = step.apply(data)
    return data


def head_lines(path: Path, lines: int) -> bytes:
    """The first ``lines`` lines of a (text) seed file: a small seed keeps each example fast."""
    with path.open("rb") as handle:
        return b"".join(handle.readline() for _ in range(lines))


def check_reader(path: Path, read: Callable[[Path], Iterable[object]], record_type: type) -> int:
    """Run ``read`` on ``path`` and check the readers' invariant; the number of records read."""
    started = time.monotonic()
    count = 0
    try:
        for record in read(path):
            assert isinstance(record, record_type), f"{type(record).__name__} is not {record_type.__name__}"
            count += 1
    except WatchfloorError as error:
        assert str(path) in str(error) or path.name in str(error), f"error does not name the file: {error}"
    elapsed = time.monotonic() - started
    assert elapsed < PER_INPUT_SECONDS, f"reader took {elapsed:.1f} s on a {path.stat().st_size}-byte input"
    return count
