"""Shared parsing for list readers: safe streaming XML, strict CSV decoding, countries, dates.

Every list file is untrusted input. XML goes through ``defusedxml`` (no entity expansion, no
external entities, no DTD tricks) and is read incrementally; CSV bytes are decoded strictly so
that a file in an unexpected encoding is reported instead of read as mojibake.
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from watchfloor.errors import InputError
from watchfloor.settings import get_settings

GZIP_MAGIC = b"\x1f\x8b"


def open_binary(path: Path) -> IO[bytes]:
    """Open a list file for reading bytes, transparently un-gzipping ``.gz`` files."""
    try:
        handle: IO[bytes] = path.open("rb")
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from exc
    head = handle.read(2)
    handle.seek(0)

    limit = get_settings().max_file_bytes
    if head == GZIP_MAGIC:
        return io.BufferedReader(_CheckedGzip(gzip.GzipFile(fileobj=handle, mode="rb"), handle, path, limit))
    size = path.stat().st_size
    if size > limit:
        handle.close()
        raise InputError(
            path, f"file is {size:,} bytes, over the {limit:,}-byte cap (WATCHFLOOR_MAX_FILE_BYTES)"
        )
    return handle


class _CheckedGzip(io.RawIOBase):
    """A gzip stream whose damage (bad CRC, cut member, corrupt deflate data) is an InputError.

    ``gzip`` reports damage as ``OSError``, ``EOFError`` or ``zlib.error`` wherever the read
    happens to be; readers see one ``InputError`` naming the file and the uncompressed offset.
    """

    def __init__(self, inner: gzip.GzipFile, raw: IO[bytes], path: Path, limit: int) -> None:
        super().__init__()
        self._inner = inner
        self._raw = raw
        self._path = path
        self._offset = 0
        self._limit = limit  # most bytes after decompression: a gzip bomb stops here

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(self._path, f"damaged gzip data: {exc}", f"byte {self._offset}") from exc
        if self._offset + len(data) > self._limit:
            raise InputError(
                self._path,
                f"more than {self._limit:,} bytes after decompression: over the size cap "
                "(WATCHFLOOR_MAX_FILE_BYTES)",
                f"byte {self._limit}",
            )
        buffer[: len(data)] = data
        self._offset += len(data)
        return len(data)

    def close(self) -> None:
        self._inner.close()
        self._raw.close()
        super().close()


def head_bytes(path: Path, size: int = 4096) -> bytes:
    """The first ``size`` bytes of a (possibly gzipped) file, for format detection."""
    with open_binary(path) as handle:
        try:
            return handle.read(size)
        except (OSError, EOFError) as exc:
            raise InputError(path, f"cannot read: {exc}") from exc


def local_name(tag: str) -> str:
    """The tag without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def iter_xml(
    path: Path, tags: frozenset[str], discard: frozenset[str] = frozenset()
) -> Iterator[tuple[str, ET.Element, str]]:
    """Stream the elements of ``path`` whose local name is in ``tags``.

    Yields ``(kind, element, place)``: kind ``"root"`` once for the root element at its start
    (attributes only), then ``"item"`` for every complete matching element, which is cleared
    after the consumer resumes so that memory stays flat. ``place`` is ``/ROOT/TAG[n]``.
    Hostile or broken XML raises :class:`InputError` naming the file and the place.
    """
    counts: dict[str, int] = {}
    names: list[str] = []
    stack: list[ET.Element] = []
    open_items = 0
    last_place = "start of file"
    handle = open_binary(path)
    try:
        events = DET.iterparse(handle, events=("start", "end"), forbid_dtd=False)
        for event, elem in events:
            name = local_name(elem.tag)
            if event == "start":
                if not stack:
                    yield "root", elem, f"/{name}"
                names.append(name)
                stack.append(elem)
                if name in tags:
                    open_items += 1
                continue
            names.pop()
            stack.pop()
            done = False
            if name in tags:
                open_items -= 1
                counts[name] = counts.get(name, 0) + 1
                last_place = f"/{'/'.join(names)}/{name}[{counts[name]}]"
                yield "item", elem, last_place
                done = open_items == 0
            if (done or len(stack) == 1 or (name in discard and not open_items)) and stack:
                # Finished items (and whole top-level sections) are dropped so memory stays flat.
                elem.clear()
                stack[-1].remove(elem)
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = _xml_reason(str(exc))
        raise InputError(path, f"{reason} (after {last_place})", f"line {line}, column {column}") from exc
    except DefusedXmlException as exc:
        raise InputError(
            path,
            f"refused hostile XML: {_hostile_reason(exc)}; list files may not declare entities "
            "or refer to external resources",
            f"after {last_place}",
        ) from exc
    except (EOFError, OSError) as exc:
        raise InputError(path, f"cannot read: {exc} (file truncated?)", f"after {last_place}") from exc
    finally:
        handle.close()


def _hostile_reason(exc: DefusedXmlException) -> str:
    """``EntitiesForbidden`` and friends, with the entity's name (never its content)."""
    name = getattr(exc, "name", None)
    system_id = getattr(exc, "system_id", None)
    what = f" {name!r}" if name else ""
    where = f" -> {system_id}" if system_id else ""
    return f"{type(exc).__name__}{what}{where}"


def _xml_reason(text: str) -> str:
    if "no element found" in text or "unclosed token" in text:
        return "XML ends before the document is complete (truncated download?)"
    return f"malformed XML: {text}"


def text_of(elem: ET.Element | None) -> str | None:
    """Stripped text of an element, ``None`` if empty, whitespace collapsed."""
    if elem is None or elem.text is None:
        return None
    value = " ".join(elem.text.split())
    return value or None


def child(elem: ET.Element, name: str) -> ET.Element | None:
    """The first direct child with local name ``name``, namespace-blind."""
    for sub in elem:
        if local_name(sub.tag) == name:
            return sub
    return None


def children(elem: ET.Element, name: str) -> list[ET.Element]:
    """All direct children with local name ``name``."""
    return [sub for sub in elem if local_name(sub.tag) == name]


def child_text(elem: ET.Element, name: str) -> str | None:
    return text_of(child(elem, name))


def descendants(elem: ET.Element, name: str) -> list[ET.Element]:
    return [sub for sub in elem.iter() if local_name(sub.tag) == name]


# -- text files -----------------------------------------------------------------------------


def decode_text(path: Path, data: bytes, encoding: str | None) -> str:
    """Decode a whole text file, strictly, with a message that says what went wrong.

    ``encoding=None`` accepts UTF-8 (with or without BOM) and falls back to Windows-1252, the
    encoding OFAC has used for its legacy files; UTF-16/32 and binary data are refused.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)):
        raise InputError(path, "file is UTF-16/UTF-32 encoded; expected UTF-8 or Windows-1252 text", "byte 0")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(
            path,
            "file contains NUL bytes: wrong encoding (UTF-16?) or not a text file; "
            "expected UTF-8 or Windows-1252 text",
            f"byte {nul}",
        )
    candidates = [encoding] if encoding else ["utf-8-sig", "cp1252"]
    last: UnicodeDecodeError | None = None
    for candidate in candidates:
        try:
            return data.decode(candidate)
        except UnicodeDecodeError as exc:
            last = exc
        except LookupError as exc:
            raise InputError(path, f"unknown encoding {candidate!r}") from exc
    assert last is not None
    line = data.count(b"\n", 0, last.start) + 1
    raise InputError(
        path,
        f"cannot decode as {' or '.join(candidates)}: byte {data[last.start]:#04x} is invalid "
        "(wrong encoding?)",
        f"line {line}, byte {last.start}",
    )


def read_text(path: Path, encoding: str | None = None) -> str:
    """Read and decode a (possibly gzipped) text file; see :func:`decode_text`."""
    with open_binary(path) as handle:
        try:
            data = handle.read()
        except (OSError, EOFError) as exc:
            raise InputError(path, f"cannot read: {exc} (file truncated?)") from exc
    return decode_text(path, data, encoding)


def text_stream(path: Path, encoding: str | None = None) -> io.StringIO:
    """A decoded, newline-preserving stream of a text file, for :mod:`csv`."""
    return io.StringIO(read_text(path, encoding), newline="")


# -- values ---------------------------------------------------------------------------------

_NOT_A_COUNTRY = {"na", "n/a", "unknown", "none", "-0-", "stateless"}


@lru_cache(maxsize=4096)
def country_code(value: str | None) -> str | None:
    """ISO 3166-1 alpha-2, lower case, of a country name or code; ``None`` if unknown."""
    if value is None:
        return None
    text = value.strip().strip(".")
    if not text or text.lower() in _NOT_A_COUNTRY:
        return None
    from followthemoney.types import registry  # lazy: importing FtM costs about a second

    code = registry.country.clean(text)
    if isinstance(code, str) and len(code) == 2:
        return code.lower()
    return None


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}


def partial_date(
    year: str | int | None, month: str | int | None = None, day: str | int | None = None
) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` from parts; zero, missing or placeholder parts
    (``00``, ``mm``, ``dd``) are left off."""

    def number(part: str | int | None) -> int:
        if isinstance(part, int):
            return part
        text = (part or "").strip()
        return int(text) if text.isdigit() else 0

    y, m, d = number(year), number(month), number(day)
    if not 1000 <= y <= 2999:
        return None
    if not 1 <= m <= 12:
        return f"{y:04d}"
    if not 1 <= d <= 31:
        return f"{y:04d}-{m:02d}"
    try:
        date(y, m, d)
    except ValueError:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


_DMY_TEXT = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_partial_date(text: str | None, *, day_first: bool = True) -> str | None:
    """Parse the date forms found on lists: ``08 Jan 1984``, ``Jan 1984``, ``1984``,
    ``1984-01-08``, ``08/01/1984`` (day first unless told), ``00/00/1964``."""
    if not text:
        return None
    value = text.strip()
    if match := _ISO.match(value):
        return partial_date(*match.groups())
    if match := _DMY_TEXT.match(value):
        day, month, year = match.groups()
        month_no = _MONTHS.get(month.lower()[:3])
        return partial_date(year, month_no, day) if month_no else None
    if match := _SLASHED.match(value):
        first, second, year = match.groups()
        day, month = (first, second) if day_first else (second, first)
        return partial_date(year, month, day)
    return None


def to_date(text: str | None) -> date | None:
    """A full date (for listing dates) from ISO or ``dd/mm/yyyy``; ``None`` if partial."""
    value = parse_partial_date(text)
    if value is None or len(value) != 10:
        return None
    return datetime.strptime(value, "%Y-%m-%d").date()


def clean(value: str | None) -> str | None:
    """Whitespace-collapsed text, ``None`` for empty and OFAC's ``-0-`` null marker."""
    if value is None:
        return None
    text = " ".join(value.split())
    if not text or text == "-0-":
        return None
    return text


def unique(values: list[str]) -> list[str]:
    """Values in first-seen order without repeats (case-sensitive)."""
    return list(dict.fromkeys(v for v in values if v))


def script_hint(value: str) -> str | None:
    """A script code for names not in Latin letters (ISO 15924)."""
    for char in value:
        code = ord(char)
        if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF:
            return "Hang"
        if 0x0400 <= code <= 0x04FF:
            return "Cyrl"
        if 0x0600 <= code <= 0x06FF:
            return "Arab"
        if 0x4E00 <= code <= 0x9FFF:
            return "Hani"
    return None


def scheme_for_label(label: str) -> str:
    """The :class:`IdScheme` value for an identifier label as lists write it.

    Returns the enum's value (a str) to keep this module free of record imports.
    """
    text = label.lower()
    if "imo" in text or "vessel registration identification" in text:
        return "imo"
    if "mmsi" in text:
        return "mmsi"
    if "call sign" in text or "callsign" in text:
        return "call_sign"
    if "passport" in text or "pasaporte" in text or "travel document" in text:
        return "passport"
    if "swift" in text or text.strip() == "bic":
        return "swift"
    if "tax" in text or text.startswith(("nit", "rif", "ruc", "inn", "r.f.c", "vat")):
        return "tax_id"
    if any(
        word in text
        for word in (
            "registration",
            "registry",
            "register",
            "company number",
            "business number",
            "enterprise number",
            "legal entity",
            "folio mercantil",
            "license",
            "licence",
            "gazette",
            "certificate of incorporation",
            "social credit",
            "ogrn",
            "chamber of commerce",
            "tail number",
            "manufacturer's serial",
        )
    ):
        return "registration"
    if any(
        word in text
        for word in (
            "national",
            "identification",
            "identity",
            "cedula",
            "id no",
            "personal id",
            "curp",
            "c.u.r.p",
            "ssn",
            "residency",
            "electoral",
            "citizen",
            "birth certificate",
        )
    ):
        return "national_id"
    return "other"


_IMO_VALUE = re.compile(r"^(?:IMO)?\s*:?\s*(\d{7})$", re.IGNORECASE)


def imo_number(value: str) -> str | None:
    """The 7 digits of an IMO number written ``9179842``, ``IMO 9179842`` or ``IMO9179842``."""
    match = _IMO_VALUE.match(value.strip())
    return match.group(1) if match else None
