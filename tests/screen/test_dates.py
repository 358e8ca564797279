"""Dates of birth as people type them (issue 17): read to ISO, or refused; never mis-read."""

from __future__ import annotations

import pytest

from watchfloor.screen import Query
from watchfloor.screen.dates import BirthDateError, parse_birth_date


@pytest.mark.parametrize(
    "written",
    ["21/05/1955", "1955-05-21", "21.05.1955", "21-05-1955", "21 May 1955", "May 21, 1955", "21-May-1955",
     "1955/05/21", " 21/5/1955 ", "05/21/1955", "21st May 1955"],
)  # fmt: skip
def test_common_forms_read_to_the_same_day(written: str) -> None:
    assert parse_birth_date(written) == "1955-05-21"


def test_partial_dates_stay_partial() -> None:
    assert parse_birth_date("1955") == "1955"
    assert parse_birth_date("05/1955") == "1955-05"
    assert parse_birth_date("May 1955") == "1955-05"
    assert parse_birth_date("1955-05") == "1955-05"


@pytest.mark.parametrize(
    ("written", "reason"),
    [("03/04/1955", "ambiguous"), ("31/02/1955", "does not exist"), ("21 Mayo 19555", "not a date"),
     ("21/13/1955", "is a month"), ("yesterday", "not a date"), ("21 Smarch 1955", "not a month")],
)  # fmt: skip
def test_unreadable_or_ambiguous_dates_are_refused_clearly(written: str, reason: str) -> None:
    with pytest.raises(BirthDateError) as error:
        parse_birth_date(written)
    assert reason in str(error.value) and "YYYY-MM-DD" in str(error.value)


def test_a_query_reads_its_date_of_birth() -> None:
    assert Query("Sergei Shoigu", birth_date="21/05/1955").birth_date == "1955-05-21"
    assert Query("Sergei Shoigu", birth_date="  ").birth_date is None
    with pytest.raises(BirthDateError):
        Query("Sergei Shoigu", birth_date="03/04/1955")


def test_a_record_with_an_impossible_iso_date_keeps_it_as_written() -> None:
    """Typos in records (treated benchmark rows, list data) stay comparable digit by digit."""
    assert parse_birth_date("1974-01-32", strict=False) == "1974-01-32"
    assert Query("X", birth_date="1974-01-32").birth_date == "1974-01-32"
    with pytest.raises(BirthDateError):
        parse_birth_date("1974-01-32")
    with pytest.raises(BirthDateError):
        parse_birth_date("31/02/1955", strict=False)  # not ISO: never guessed
