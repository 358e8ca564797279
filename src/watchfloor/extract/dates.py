"""Resolve time expressions ("Monday", "last week", "on Oct. 28") against a report's date.

News style: a bare weekday means the most recent such day on or before the report date
("Monday" in a Tuesday report is the day before); "last week" is the previous Monday-Sunday week.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from watchfloor.extract.records import DateRange

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DAY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?(?:,?\s+(\d{4}))?\b")
_MONTH_YEAR = re.compile(r"\b(?:in\s+)?([A-Za-z]{3,9})\.?\s+(\d{4})\b")
_YEAR = re.compile(r"^(?:in\s+)?(\d{4})$")


def _day(text: str, reference: date) -> DateRange:
    return DateRange(reference, reference, text, "text")


def _month_range(year: int, month: int, text: str) -> DateRange:
    first = date(year, month, 1)
    last = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
    return DateRange(first, last, text, "text")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve(expression: str, reference: date | None) -> DateRange | None:
    """The date or range an expression names, or None when it cannot be pinned down."""
    text = expression.strip()
    for joiner in (" to ", " until ", " through ", "–"):
        if joiner in text:  # "Oct. 8 to Oct. 13": both ends resolved, the range spans them
            left, right = (resolve(part, reference) for part in text.split(joiner, 1))
            if left and right and left.start and right.end and left.start <= right.end:
                return DateRange(left.start, right.end, text, "text")
    return _resolve_one(text, reference)


def _resolve_one(text: str, reference: date | None) -> DateRange | None:
    low = text.lower().removeprefix("on ").removeprefix("the ").strip()
    if match := _ISO.search(text):
        found = _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return DateRange(found, found, text, "text") if found else None
    if reference is None:
        return None
    if low in {"today", "this morning", "this afternoon", "tonight", "this evening"}:
        return _day(text, reference)
    if low in {"yesterday", "last night"}:
        return _day(text, reference - timedelta(days=1))
    if low in _WEEKDAYS:
        back = (reference.weekday() - _WEEKDAYS.index(low)) % 7
        return _day(text, reference - timedelta(days=back))
    if low == "last week":
        monday = reference - timedelta(days=reference.weekday() + 7)
        return DateRange(monday, monday + timedelta(days=6), text, "text")
    if low == "this week":
        monday = reference - timedelta(days=reference.weekday())
        return DateRange(monday, reference, text, "text")
    if low == "last month":
        year, month = (
            (reference.year, reference.month - 1) if reference.month > 1 else (reference.year - 1, 12)
        )
        return _month_range(year, month, text)
    if low == "this month":
        return DateRange(reference.replace(day=1), reference, text, "text")
    if low == "last year":
        return DateRange(date(reference.year - 1, 1, 1), date(reference.year - 1, 12, 31), text, "text")
    if low == "this year":
        return DateRange(date(reference.year, 1, 1), reference, text, "text")
    if low.startswith(("earlier this", "initially", "earlier", "previously")):
        return DateRange(None, reference, text, "before")
    if match := _MONTH_DAY.search(text):
        named: int | None = _MONTHS.get(match.group(1).lower())
        if named:
            year = int(match.group(3)) if match.group(3) else _year_before(reference, named)
            found = _safe_date(year, named, int(match.group(2)))
            return DateRange(found, found, text, "text") if found else None
    if match := _DAY_MONTH.search(text):
        named = _MONTHS.get(match.group(2).lower())
        if named:
            year = int(match.group(3)) if match.group(3) else _year_before(reference, named)
            found = _safe_date(year, named, int(match.group(1)))
            return DateRange(found, found, text, "text") if found else None
    if match := _MONTH_YEAR.search(text):
        named = _MONTHS.get(match.group(1).lower())
        if named:
            return _month_range(int(match.group(2)), named, text)
    if low in _MONTHS and len(low) > 3:
        month = _MONTHS[low]
        return _month_range(_year_before(reference, month), month, text)
    if match := _YEAR.match(low):
        year = int(match.group(1))
        return DateRange(date(year, 1, 1), date(year, 12, 31), text, "text")
    return None


def _year_before(reference: date, month: int) -> int:
    """The year of a month named without one: the latest such month not after the report."""
    return reference.year if month <= reference.month else reference.year - 1
