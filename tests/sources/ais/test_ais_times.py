"""Timestamps in the layouts AIS logs and archives use, parsed to UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from watchfloor.sources.ais.times import parse_times

WHEN = datetime(2024, 10, 29, 6, 0, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-10-29 06:00:03", WHEN),
        ("2024-10-29T06:00:03", WHEN),  # MarineCadastre BaseDateTime
        ("2024-10-29T06:00:03Z", WHEN),
        ("2024-10-29T06:00:03.250", WHEN + timedelta(milliseconds=250)),
        ("2024-10-29 06:00:03.123456789", WHEN + timedelta(microseconds=123456)),
        ("2024-10-29 06:00:03 UTC", WHEN),
        ("2024-10-29T09:00:03+03:00", WHEN),  # Moscow time, converted
        ("2024-10-29T06:00:03+00:00", WHEN),
        ("29/10/2024 06:00:03", WHEN),  # Danish Maritime Authority, day first
        (str(int(WHEN.timestamp())), WHEN),  # Unix seconds
        (str(int(WHEN.timestamp()) * 1000 + 500), WHEN + timedelta(milliseconds=500)),  # milliseconds
        ("2024-13-29 06:00:03", None),  # no 13th month
        ("yesterday", None),
        ("", None),
    ],
)
def test_layouts(text: str, expected: datetime | None) -> None:
    parsed = parse_times(pl.Series("t", [text])).to_list()[0]
    assert parsed == expected
    if parsed is not None:
        assert parsed.utcoffset() == timedelta(0)


def test_a_column_of_mixed_layouts_parses_row_by_row() -> None:
    texts = ["2024-10-29 06:00:03", None, "29/10/2024 06:00:03", "junk", str(int(WHEN.timestamp()))]
    assert parse_times(pl.Series("t", texts)).to_list() == [WHEN, None, WHEN, None, WHEN]
