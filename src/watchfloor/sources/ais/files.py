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

import numpy as np

from watchfloor.errors import InputError
from watchfloor.settings import get_settings

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
    first member (the public AIS archives ship one CSV per zip). The stream enforces the size caps
    (``max_record_bytes`` per line, ``max_file_bytes`` per file, after decompression)."""
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
                yield _checked(handle, path)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    except zipfile.BadZipFile as exc:
        raise InputError(path, f"not a zip archive: {exc}") from exc


class _CheckedStream(io.RawIOBase):
    """The bytes of one input file, checked as they are read: damage to a compressed stream (a cut
    gzip member, corrupt deflate data, a bad CRC) and a file or a line over its size cap are each
    one InputError naming the file and the place, wherever the read happens. Only the line still
    open at the end of a read is tracked, so the check costs one pass over the bytes."""

    def __init__(self, inner: IO[bytes], path: Path, max_line: int, max_bytes: int) -> None:
        super().__init__()
        self._inner = inner
        self._path = path
        self._offset = 0
        self._line = 1  # the line being read
        self._open_line = 0  # bytes of that line read so far
        self._max_line = max_line
        self._max_bytes = max_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
            raise InputError(self._path, f"damaged compressed data: {exc}", f"byte {self._offset}") from exc
        size = len(data)
        if self._offset + size > self._max_bytes:
            raise InputError(
                self._path,
                f"more than {self._max_bytes:,} bytes (after decompression): over the size cap "
                "(WATCHFLOOR_MAX_FILE_BYTES)",
                f"byte {self._max_bytes}",
            )
        self._check_lines(data)
        buffer[:size] = data
        self._offset += size
        return size

    def _check_lines(self, data: bytes) -> None:
        newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
        if newlines.size == 0:
            self._open_line += len(data)
            longest, at = self._open_line, self._line
        else:
            lengths = np.diff(newlines) - 1  # lines wholly inside this read
            first = self._open_line + int(newlines[0])
            inner = int(lengths.argmax()) if lengths.size else -1
            if inner >= 0 and int(lengths[inner]) > first:
                longest, at = int(lengths[inner]), self._line + inner + 1
            else:
                longest, at = first, self._line
            self._line += int(newlines.size)
            self._open_line = len(data) - int(newlines[-1]) - 1
            if self._open_line > longest:
                longest, at = self._open_line, self._line
        if longest > self._max_line:
            raise InputError(
                self._path,
                f"line longer than {self._max_line:,} bytes: over the record size cap "
                "(WATCHFLOOR_MAX_RECORD_BYTES)",
                f"line {at}",
            )


def _checked(inner: IO[bytes], path: Path) -> IO[bytes]:

    settings = get_settings()
    stream = _CheckedStream(inner, path, settings.max_record_bytes, settings.max_file_bytes)
    return cast(IO[bytes], io.BufferedReader(stream, buffer_size=1 << 16))


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
