"""Cutting files into blocks of whole lines: bounded size, exact line numbers, any line ending."""

from __future__ import annotations

import io
import random

from watchfloor.sources.ais.files import iter_blocks


def test_blocks_are_bounded_whole_lines_numbered_exactly() -> None:
    rng = random.Random(1)
    lines = [bytes(rng.randrange(32, 127) for _ in range(rng.randint(0, 120))) for _ in range(3000)]
    lines[-1] = b"end"  # (an empty last line would be indistinguishable from a final newline)
    data = b"\n".join(lines)  # no newline at the end
    blocks = list(iter_blocks(io.BytesIO(data), chunk_bytes=1000))
    assert len(blocks) > 50
    assert all(len(block.data) <= 1000 + 121 for block in blocks)
    rebuilt: list[bytes] = []
    for block in blocks:
        assert block.first_line == len(rebuilt) + 1
        rebuilt += block.data.split(b"\n")
    assert rebuilt == lines


def test_a_line_longer_than_a_block_is_kept_whole() -> None:
    data = b"short\n" + b"x" * 5000 + b"\nlast\n"
    blocks = list(iter_blocks(io.BytesIO(data), chunk_bytes=1000))
    lines = [line for block in blocks for line in block.data.split(b"\n")]
    assert lines == [b"short", b"x" * 5000, b"last"]
