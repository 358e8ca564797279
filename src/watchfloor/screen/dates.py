"""Dates of birth as people write them, read into the partial ISO form the lists use.

A screening query's date of birth arrives as ``21/05/1955``, ``21.05.1955``, ``21 May 1955``,
``May 21, 1955``, ``1955-05-21`` or ``1955``. Each is read to ``1955-05-21`` (or ``1955``,
``1955-05``) so that it meets the listed dates; a date that cannot be read, or that reads two
ways (``03/04/1955``: 3 April or March 4?), is refused with a message saying how to write it,
never silently mis-read: a mis-read date would turn a true hit into a date conflict.
"""

from __future__ import annotations

import re
from datetime import date

from watchfloor.errors import WatchfloorError


class BirthDateError(WatchfloorError, ValueError):
    """A date of birth that cannot be read unambiguously."""

    def __init__(self, value: str, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"date of birth {value!r}: {reason}; write it as YYYY-MM-DD, YYYY-MM or YYYY")


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "janv", "janvier", "ene", "enero"),
            ("feb", "february", "fev", "fevr", "fevrier", "febr"),
            ("mar", "march", "mars", "marzo"),
            ("apr", "april", "avr", "avril", "abr", "abril"),
            ("may", "mai", "mayo"),
            ("jun", "june", "juin", "junio"),
            ("jul", "july", "juil", "juillet", "julio"),
            ("aug", "august", "aout", "ago", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre"),
            ("oct", "october", "octobre", "octubre"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "decembre", "dic", "diciembre"),
        ],
        start=1,
    )
    for name in names
}

_ISO = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")
_NUMERIC = re.compile(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{4})")
_WORD_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[-/. ]+([a-z]+)\.?[-/., ]+(\d{4})")
_WORD_MDY = re.compile(r"([a-z]+)\.?[-/. ]+(\d{1,2})(?:st|nd|rd|th)?,?[-/. ]+(\d{4})")
_WORD_MY = re.compile(r"([a-z]+)\.?[-/., ]+(\d{4})")


def _iso(value: str, year: int, month: int | None = None, day: int | None = None) -> str:
    if not 1800 <= year <= date.today().year:
        raise BirthDateError(value, f"year {year} is not a plausible year of birth")
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise BirthDateError(value, f"month {month} does not exist")
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise BirthDateError(value, f"day {day} does not exist in month {month} of {year}") from None


def _month(value: str, word: str) -> int:
    number = _MONTHS.get(word.lower())
    if number is None:
        raise BirthDateError(value, f"{word!r} is not a month name")
    return number


def parse_birth_date(value: str, *, strict: bool = True) -> str:
    """Read a written date of birth into partial ISO form (``21/05/1955`` -> ``1955-05-21``).

    Day-first numeric dates (the form used outside the US) are read as such; a numeric date
    whose first two numbers could each be the day or the month is refused (see the module
    docstring), unless both are equal. Raises :class:`BirthDateError`. Without ``strict``, an
    ISO-shaped date that does not exist (``1974-01-32``, a typo in a record) is kept as written:
    it is unambiguous, and the scorers compare it digit by digit (one digit off is a slip).
    """
    text = value.strip().lower()
    if not text:
        raise BirthDateError(value, "empty")
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    if found := _ISO.fullmatch(text):
        year, month, day = found.groups()
        try:
            return _iso(value, int(year), int(month) if month else None, int(day) if day else None)
        except BirthDateError:
            if strict or not (month and day):
                raise
            return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    if found := _NUMERIC.fullmatch(text):
        first, second, year = (int(g) for g in found.groups())
        if first > 12 and second <= 12:
            return _iso(value, year, second, first)
        if second > 12 and first <= 12:  # the US order, 05/21/1955: only one reading exists
            return _iso(value, year, first, second)
        if first == second:
            return _iso(value, year, first, second)
        if first > 12 and second > 12:
            raise BirthDateError(value, "neither of the first two numbers is a month")
        raise BirthDateError(value, f"ambiguous: {first} {_name(second)} or {_name(first)} {second}")
    if found := _MONTH_YEAR.fullmatch(text):
        month, year = (int(g) for g in found.groups())
        return _iso(value, year, month)
    if found := _WORD_DMY.fullmatch(text):
        day, word, year = found.groups()
        return _iso(value, int(year), _month(value, word), int(day))
    if found := _WORD_MDY.fullmatch(text):
        word, day, year = found.groups()
        return _iso(value, int(year), _month(value, word), int(day))
    if found := _WORD_MY.fullmatch(text):
        word, year = found.groups()
        return _iso(value, int(year), _month(value, word))
    raise BirthDateError(value, "not a date in a form watchfloor reads")


def _name(month: int) -> str:
    return date(2000, month, 1).strftime("%B")


def near_dates(a: str, b: str) -> bool:
    """Full dates that differ by a data-entry slip: one day apart, day and month swapped, or one
    digit changed."""
    if len(a) != 10 or len(b) != 10:
        return False
    if a[:4] != b[:4]:
        return False
    if (a[5:7], a[8:10]) == (b[8:10], b[5:7]):
        return True
    try:
        da, db = date.fromisoformat(a), date.fromisoformat(b)
        if abs((da - db).days) <= 1:
            return True
    except ValueError:
        pass
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1
