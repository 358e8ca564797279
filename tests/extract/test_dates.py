"""Time expressions resolved against the report date (a Tuesday, 2024-10-29, as in the founding report)."""

from __future__ import annotations

from datetime import date

import pytest

from watchfloor.extract.dates import resolve

TUESDAY = date(2024, 10, 29)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Monday", date(2024, 10, 28), date(2024, 10, 28)),
        ("Tuesday", TUESDAY, TUESDAY),
        ("Wednesday", date(2024, 10, 23), date(2024, 10, 23)),
        ("last week", date(2024, 10, 21), date(2024, 10, 27)),
        ("this week", date(2024, 10, 28), TUESDAY),
        ("yesterday", date(2024, 10, 28), date(2024, 10, 28)),
        ("last month", date(2024, 9, 1), date(2024, 9, 30)),
        ("Oct. 8 to Oct. 13", date(2024, 10, 8), date(2024, 10, 13)),
        ("Sept. 30, 2023", date(2023, 9, 30), date(2023, 9, 30)),
        ("December", date(2023, 12, 1), date(2023, 12, 31)),
        ("August 2023", date(2023, 8, 1), date(2023, 8, 31)),
        ("2024-06-19", date(2024, 6, 19), date(2024, 6, 19)),
        ("initially", None, TUESDAY),
    ],
)
def test_resolve(text: str, start: date | None, end: date) -> None:
    found = resolve(text, TUESDAY)
    assert found is not None
    assert (found.start, found.end, found.text) == (start, end, text)


def test_unresolvable_and_undated() -> None:
    assert resolve("the coming weeks", TUESDAY) is None
    assert resolve("Feb. 30", TUESDAY) is None
    assert resolve("Monday", None) is None
    assert resolve("2024-06-19", None) is not None
