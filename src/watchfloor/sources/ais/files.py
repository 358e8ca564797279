"""Open AIS files (plain, gzip or zip) and cut them into blocks of whole lines.

Readers never hold a whole file: they take blocks of about ``chunk_bytes`` cut at a line end, so
memory stays bounded however large the input. Blocks stay bytes: the parsers work on bytes, so
binary junk is a line to count, never a decode error that would stop the ingest.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from watchfloor.errors import InputError

#: Default block size: 16 MiB is ~230k NMEA lines or ~130k CSV rows; peak memory is ~15x this
DEFAULT_CHUNK_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Block:
    """A run of whole lines: ``data`` holds lines ``first_line`` .. ``first_line + n - 1`` (1-based),
    separated by newlines, without a final newline."""

    first_line: int
    data: bytes


@contextmanager
def open_binary(path: Path) -> Iterator[IO[bytes]]:
    """Open ``path`` for reading bytes, transparently un-gzipping ``.gz`` and taking a ``.zip``'s
    first member (the public AIS archives ship one CSV per zip)."""
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as handle:
                yield _checked(cast(IO[bytes], handle), path)
        elif path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if not members:
                    raise InputError(path, "zip archive holds no file")
                with archive.open(members[0]) as handle:
                    yield _checked(handle, path)
        else:
            with path.open("rb") as handle:
                yield handle
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    except zipfile.BadZipFile as exc:
        raise InputError(path, f"not a zip archive: {exc}") from exc


class _CheckedStream(io.RawIOBase):
    """A decompressing stream whose damage (a cut gzip member, corrupt deflate data, a bad CRC) is
    one InputError naming the file and the uncompressed offset, wherever the read happens."""

    def __init__(self, inner: IO[bytes], path: Path) -> None:
        super().__init__()
        self._inner = inner
        self._path = path
        self._offset = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
            raise InputError(self._path, f"damaged compressed data: {exc}", f"byte {self._offset}") from exc
        buffer[: len(data)] = data
        self._offset += len(data)
        return len(data)


def _checked(inner: IO[bytes], path: Path) -> IO[bytes]:
    return cast(IO[bytes], io.BufferedReader(_CheckedStream(inner, path)))


def iter_blocks(
    handle: IO[bytes], chunk_bytes: int = DEFAULT_CHUNK_BYTES, first_line: int = 1
) -> Iterator[Block]:
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
        yield Block(line, body)
        line += body.count(b"\n") + 1
    if carry:
        yield Block(line, carry)


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
