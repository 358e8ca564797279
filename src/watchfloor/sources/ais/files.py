"""Open AIS files (plain, gzip or zip) and cut them into blocks of whole lines.

Readers never hold a whole file: they take blocks of about ``chunk_bytes`` cut at a line end, so
memory stays bounded however large the input. Bytes are decoded as Latin-1, which maps every byte
to one character and never fails, so binary junk reaches the parsers as odd characters to count
rather than as a decode error that would stop the ingest.
"""

from __future__ import annotations

import gzip
import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from watchfloor.errors import InputError

#: Default block size: ~32 MiB is ~400k NMEA lines or ~250k CSV rows.
DEFAULT_CHUNK_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Block:
    """A run of whole lines: ``text`` holds lines ``first_line`` .. ``first_line + n - 1`` (1-based)."""

    first_line: int
    text: str


@contextmanager
def open_binary(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for reading bytes, transparently un-gzipping ``.gz`` and taking a ``.zip``'s
    first member (the public AIS archives ship one CSV per zip)."""
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as handle:
                yield handle  # type: ignore[misc]
        elif path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if not members:
                    raise InputError(path, "zip archive holds no file")
                with archive.open(members[0]) as handle:
                    yield handle
        else:
            with path.open("rb") as handle:
                yield handle
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    except zipfile.BadZipFile as exc:
        raise InputError(path, f"not a zip archive: {exc}") from exc


def iter_blocks(handle: BinaryIO, chunk_bytes: int = DEFAULT_CHUNK_BYTES, first_line: int = 1) -> Iterator[Block]:
    """Yield the rest of ``handle`` as blocks of whole lines of about ``chunk_bytes`` each."""
    carry = b""
    line = first_line
    while True:
        data = handle.read(chunk_bytes)
        if not data:
            break
        data = carry + data
        cut = data.rfind(b"\n")
        if cut < 0:  # one enormous line: keep reading until it ends
            carry = data
            continue
        carry = data[cut + 1 :]
        body = data[:cut]  # without the final newline, so the block holds exactly count+1 lines
        yield Block(line, body.decode("latin-1"))
        line += body.count(b"\n") + 1
    if carry:
        yield Block(line, carry.decode("latin-1"))


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file's bytes as stored (what makes a re-ingest recognisable)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    return digest.hexdigest()
