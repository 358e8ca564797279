"""Report readers: turn report files into :class:`Report` records.

Formats: the seed's one-line ``date YYYY-MM-DD <text>`` layout (the founding report's own),
plain text (date from the caller or from a ``YYYY-MM-DD`` in the file name), HTML pages (main text
and metadata by ``trafilatura``), RSS/Atom feed files (``feedparser``; each item is a report) and
JSONL (one ``{"date", "url", "title", "text", "source"}`` object per line).

A reader refuses a whole file it cannot read by raising :class:`InputError`; a feed or JSONL file
with some bad items yields the good ones and lists the bad ones in :attr:`ReadOutcome.errors`.
Readers never touch the store.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from watchfloor.errors import InputError
from watchfloor.settings import get_settings

MAX_REPORT_BYTES = 20 * 1024 * 1024
"""Reports larger than this are refused by default (``WATCHFLOOR_MAX_REPORT_BYTES``): no real news
report is anywhere near it."""

MIN_MAIN_WORDS = 8
"""An HTML page whose main text is shorter than this is refused as having none."""

_SEED_LINE = re.compile(r"^\s*date\s+(\S+)\s+(.*\S)\s*$", re.DOTALL)
_SEED_HEAD = re.compile(r"^\s*date\s+\S+\s")
_NAME_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_DATELINE = re.compile(
    r"^\s*(?P<city>[A-Z][A-Z .'-]+?)(?:, (?P<region>[A-Z][a-z]+(?: [A-Z][a-z]+)*))?,?\s+"
    r"(?:(?P<date>[A-Z][a-z]+\.? \d{1,2}, \d{4})\s+)?"
    r"\((?P<agency>[A-Za-z][\w .&'-]{0,40})\)\s*[-\u2013\u2014]"
)


class ReportFormat(StrEnum):
    """The input formats the report reader understands."""

    SEED = "seed"
    TEXT = "text"
    HTML = "html"
    FEED = "feed"
    JSONL = "jsonl"


@dataclass(frozen=True)
class Report:
    """One report as read from its source, before any extraction."""

    text: str
    published: date | None
    origin: str
    """Where it was read from: a path, a URL, or ``path#item-3`` for one item of a feed."""
    source: str | None = None
    """Publisher or speaker (``Associated Press``); graded by the source table."""
    title: str | None = None
    url: str | None = None
    fmt: str = "text"
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """sha256 of the text: the report's identity for idempotent ingest."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class ReadOutcome:
    """The reports read from one file, and the items of it that could not be read."""

    reports: list[Report] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def read_bytes(path: Path) -> bytes:
    """Read a file's bytes, refusing missing, oversized and empty files with a clear message."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from exc
    if path.is_dir():
        raise InputError(path, "is a folder, not a report file")

    limit = get_settings().max_report_bytes
    if size > limit:
        raise InputError(path, f"file is {size:,} bytes, over the {limit:,}-byte limit")
    if size == 0:
        raise InputError(path, "empty file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from exc


def decode_text(raw: bytes, path: Path | str) -> str:
    """Decode UTF-8 text, refusing binary content (NUL bytes) and undecodable bytes."""
    if b"\x00" in raw:
        nul = raw.index(b"\x00")
        raise InputError(path, "binary content (NUL byte), not a text report", f"byte {nul}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, "binary or non-UTF-8 content, not a text report", f"byte {exc.start}") from exc
    if not text.strip():
        raise InputError(path, "empty report (only whitespace)")
    return text


def read_text_file(path: Path) -> str:
    """Read a UTF-8 text file, refusing binary, oversized and undecodable content."""
    return decode_text(read_bytes(path), path)


def parse_date(value: str, origin: Path | str, place: str | None) -> date:
    """Parse an ISO date (``2024-10-29``), an ISO timestamp or an RFC 822 date; refuse others."""
    text = value.strip()
    try:
        return date.fromisoformat(text[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}", text) else _rfc822(text)
    except ValueError as exc:
        raise InputError(origin, f"invalid date {value!r} (expected YYYY-MM-DD)", place) from exc


def _rfc822(text: str) -> date:
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError) as exc:
        raise ValueError(text) from exc


def parse_seed_line(text: str, origin: Path | str) -> tuple[date, str]:
    """Split a ``date YYYY-MM-DD <text>`` line into its date and text."""
    match = _SEED_LINE.match(text)
    if match is None:
        raise InputError(origin, "expected 'date YYYY-MM-DD <text>'", "line 1")
    published = parse_date(match.group(1), origin, "line 1")
    return published, match.group(2)


def read_seed_report(path: Path, source: str | None = None) -> Report:
    """Read a report in the seed's one-line ``date YYYY-MM-DD <text>`` format."""
    published, body = parse_seed_line(read_text_file(path), path)
    return Report(text=body, published=published, origin=str(path), source=source, fmt=ReportFormat.SEED)


def date_from_name(path: Path) -> date | None:
    """A ``YYYY-MM-DD`` in the file name (``ap_2024-10-29_x.txt``), if it is a real date."""
    match = _NAME_DATE.search(path.name)
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


_DATELINE_SPAN = 200
"""A dateline is within the first characters; matching only those keeps the regex linear."""


def read_dateline(text: str) -> tuple[date | None, str | None]:
    """Date and agency of a wire dateline (``SEOUL, March 12, 2025 (Reuters) -``, ``SEOUL (AP) -``)."""
    match = _DATELINE.match(text[:_DATELINE_SPAN])
    if match is None:
        return None, None
    when: date | None = None
    if match.group("date"):
        try:
            when = datetime.strptime(match.group("date").replace(".", ""), "%B %d, %Y").date()
        except ValueError:
            try:
                when = datetime.strptime(match.group("date").replace(".", ""), "%b %d, %Y").date()
            except ValueError:
                when = None
    return when, match.group("agency").strip()


def read_plain_text(path: Path, published: date | None = None, source: str | None = None) -> Report:
    """Read a plain-text report; the date and source come from the caller, else from a wire
    dateline in the text, else (the date) from the file name."""
    text = read_text_file(path).strip()
    line_date, agency = read_dateline(text)
    return Report(
        text=text,
        published=published or line_date or date_from_name(path),
        origin=str(path),
        source=source or agency,
        fmt=ReportFormat.TEXT,
    )


def read_html(path: Path, published: date | None = None, source: str | None = None) -> Report:
    """Read the main text and metadata (title, date, site, URL) of an HTML page with trafilatura."""
    raw = decode_text(read_bytes(path), path)
    report = parse_html(raw, str(path), published, source)
    if report.published is None:
        return Report(**{**report.__dict__, "published": date_from_name(path)})
    return report


def parse_html(raw: str, origin: str, published: date | None = None, source: str | None = None) -> Report:
    """Main text and metadata of an HTML page (a file or a page fetched from a URL)."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    try:
        doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura raises assorted lxml errors on hostile markup
        raise InputError(origin, f"cannot parse HTML: {exc}") from exc
    found: dict[str, Any] = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else {}
    text = str(found.get("text") or "").strip()
    if len(text.split()) < MIN_MAIN_WORDS:
        # trafilatura falls back to any text it finds; a few words of navigation is not an article
        raise InputError(origin, f"HTML page has no main text to extract ({len(text.split())} words)", "body")
    meta = {
        key: str(found[key])
        for key in ("title", "author", "sitename", "hostname", "date", "url", "description")
        if found.get(key)
    }
    page_date = published
    if page_date is None and meta.get("date"):
        page_date = parse_date(meta["date"], origin, "metadata date")
    return Report(
        text=text,
        published=page_date,
        origin=origin,
        source=source or meta.get("sitename") or meta.get("hostname"),
        title=meta.get("title"),
        url=meta.get("url"),
        fmt=ReportFormat.HTML,
        meta=meta,
    )


class _TextOnly(HTMLParser):
    """Strip markup from a feed item's HTML summary, keeping paragraph breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"p", "br", "div", "li"}:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def strip_markup(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, blank lines collapsed."""
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    text = html.unescape("".join(parser.parts))
    paragraphs = (re.sub(r"[ \t\r\n]+", " ", part).strip() for part in re.split(r"\n\s*\n", text))
    return "\n\n".join(part for part in paragraphs if part)


def _guard_xml(raw: bytes, path: Path | str) -> None:
    """Refuse entity expansion and external entities before feedparser sees the bytes."""

    try:
        fromstring(raw)
    except DefusedXmlException as exc:
        raise InputError(path, f"refused unsafe XML: {type(exc).__name__}") from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise InputError(path, f"malformed XML: {exc}", f"line {line}, column {column}") from exc


def read_feed(path: Path, source: str | None = None) -> ReadOutcome:
    """Read an RSS or Atom feed file: each item is a report; broken items are listed, not fatal."""
    return _outcome(parse_feed(read_bytes(path), str(path), source))


def _outcome(items: list[tuple[str, Report | InputError]]) -> ReadOutcome:
    outcome = ReadOutcome()
    for _ident, item in items:
        if isinstance(item, InputError):
            outcome.errors.append(item)
        else:
            outcome.reports.append(item)
    return outcome


def parse_feed(raw: bytes, origin: str, source: str | None = None) -> list[tuple[str, Report | InputError]]:
    """Items of an RSS 2.0 or Atom document as ``(item id, report or the error that item has)``.

    The item id is the feed's own (``guid``, Atom ``id``), else the link, else a hash of title and
    text: what a poller remembers so that no item is ingested twice. Unsafe XML (entity
    declarations, external entities) and malformed XML are refused whole, with the place.
    """
    import feedparser  # imported here: only feeds need it

    _guard_xml(raw, origin)
    parsed = feedparser.parse(raw)
    if not parsed.entries:
        raise InputError(origin, "feed has no items")
    feed_title = str(parsed.feed.get("title") or "") or None
    items: list[tuple[str, Report | InputError]] = []
    for number, entry in enumerate(parsed.entries, start=1):
        place = f"item {number}"
        ident = (
            str(entry.get("id") or entry.get("link") or "")
            or hashlib.sha256(f"{entry.get('title')}\n{entry.get('summary')}".encode()).hexdigest()
        )
        try:
            items.append(
                (ident, _feed_item(entry, f"{origin}#item-{number}", origin, place, source or feed_title))
            )
        except InputError as exc:
            items.append((ident, exc))
    return items


def _feed_item(entry: Any, origin: str, path: Path | str, place: str, source: str | None) -> Report:
    body = ""
    if entry.get("content"):
        body = str(entry["content"][0].get("value") or "")
    body = body or str(entry.get("summary") or entry.get("description") or "")
    text = strip_markup(body)
    title = str(entry.get("title") or "") or None
    if not text:
        raise InputError(path, f"item {title or '(untitled)'!r} has no text", place)
    raw_date = entry.get("published") or entry.get("updated")
    published = parse_date(str(raw_date), path, place) if raw_date else None
    return Report(
        text=text,
        published=published,
        origin=origin,
        source=source,
        title=title,
        url=str(entry.get("link") or "") or None,
        fmt=ReportFormat.FEED,
        meta={"feed_item": place},
    )


def read_jsonl(path: Path, source: str | None = None) -> ReadOutcome:
    """Read JSONL reports, one ``{"date","url","title","text","source"}`` object per line."""

    outcome = ReadOutcome()
    lines = read_text_file(path).splitlines()
    max_line = get_settings().max_record_bytes
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        place = f"line {number}"
        if len(line) > max_line:  # characters: at least as many bytes, so never under the cap
            outcome.errors.append(
                InputError(path, f"record over {max_line:,} characters (WATCHFLOOR_MAX_RECORD_BYTES)", place)
            )
            continue
        try:
            outcome.reports.append(_jsonl_record(line, path, number, place, source))
        except InputError as exc:
            outcome.errors.append(exc)
    if not outcome.reports and not outcome.errors:
        raise InputError(path, "no JSON lines")
    return outcome


def _jsonl_record(line: str, path: Path, number: int, place: str, source: str | None) -> Report:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON: {exc.msg}", f"{place}, column {exc.colno}") from exc
    if not isinstance(record, dict):
        raise InputError(path, "expected a JSON object", place)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(path, "missing or empty 'text'", place)
    raw_date = record.get("date")
    published = parse_date(str(raw_date), path, place) if raw_date else None
    return Report(
        text=text.strip(),
        published=published,
        origin=f"{path}#line-{number}",
        source=_opt_str(record.get("source")) or source,
        title=_opt_str(record.get("title")),
        url=_opt_str(record.get("url")),
        fmt=ReportFormat.JSONL,
    )


def _opt_str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def sniff_format(path: Path) -> ReportFormat:
    """Pick the reader from the suffix, then from the first bytes (seed line, HTML, feed XML)."""
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm"}:
        return ReportFormat.HTML
    if suffix in {".rss", ".atom", ".xml"}:
        return ReportFormat.FEED
    if suffix in {".jsonl", ".ndjson"}:
        return ReportFormat.JSONL
    head = read_bytes(path)[:2048]
    start = head.lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return ReportFormat.HTML
    if start.startswith(b"<?xml") or b"<rss" in start or b"<feed" in start:
        return ReportFormat.FEED
    if _SEED_HEAD.match(head.decode("utf-8", "replace")):
        return ReportFormat.SEED
    return ReportFormat.TEXT


def read_reports(path: Path, published: date | None = None, source: str | None = None) -> ReadOutcome:
    """Read every report in one file, choosing the reader by format.

    ``published`` sets the date of plain-text reports (and of HTML pages without one); ``source``
    names the publisher where the file does not.
    """
    fmt = sniff_format(path)
    if fmt is ReportFormat.FEED:
        return read_feed(path, source)
    if fmt is ReportFormat.JSONL:
        return read_jsonl(path, source)
    if fmt is ReportFormat.HTML:
        return ReadOutcome([read_html(path, published, source)])
    if fmt is ReportFormat.SEED:
        return ReadOutcome([read_seed_report(path, source)])
    return ReadOutcome([read_plain_text(path, published, source)])


def read_many(paths: Iterable[Path], published: date | None = None, source: str | None = None) -> ReadOutcome:
    """Read a batch of files; a bad file becomes one error and the batch goes on."""
    total = ReadOutcome()
    for path in paths:
        try:
            outcome = read_reports(path, published, source)
        except InputError as exc:
            total.errors.append(exc)
            continue
        total.reports.extend(outcome.reports)
        total.errors.extend(outcome.errors)
    return total
