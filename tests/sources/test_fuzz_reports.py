"""Fuzzing the report readers (seed line format, plain text, HTML, RSS, JSONL) from real seeds.

The invariant: ``read_reports`` returns ``Report`` records with text, and lists bad items as
``InputError``s naming the file and the item — or refuses the whole file with an ``InputError``
naming it; never another exception, never a hang.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import FOUNDING_REPORT
from tests.fuzzing import check_reader, fuzz_settings, head_lines, mutate, mutations
from watchfloor.errors import InputError
from watchfloor.sources.reports import Report, read_reports

TESTS = Path(__file__).resolve().parents[1]

_SEEDS: dict[str, bytes] = {}


def seeds() -> dict[str, bytes]:
    """File name (whose suffix picks the reader) -> seed bytes, built once from real files."""
    if not _SEEDS:
        founding = FOUNDING_REPORT.read_bytes()
        _SEEDS["ap_2024-10-29_seed.txt"] = founding
        _SEEDS["ap_2024-10-29_plain.txt"] = founding.split(b" ", 2)[2]  # the text without its date line
        _SEEDS["article.html"] = (TESTS / "extract" / "fixtures" / "article_2024-11-04.html").read_bytes()
        _SEEDS["feed.rss"] = (TESTS / "extract" / "fixtures" / "feed_2024-11.rss").read_bytes()
        _SEEDS["reports.jsonl"] = head_lines(TESTS / "assess" / "fixtures" / "corroborating_reports.jsonl", 6)
    return _SEEDS


def read_checked(path: Path) -> list[Report]:
    """``read_reports`` with its outcome checked: text in every report, every item error named."""
    outcome = read_reports(path)
    for error in outcome.errors:
        assert isinstance(error, InputError), type(error).__name__
        assert path.name in str(error), f"item error does not name the file: {error}"
        assert error.place, f"item error does not name the item: {error}"
    for report in outcome.reports:
        assert isinstance(report.text, str) and report.text.strip(), "a report without text"
        assert path.name in report.origin
    return outcome.reports


@pytest.mark.parametrize("name", sorted(seeds()))
def test_seed_reads_cleanly(name: str, tmp_path: Path) -> None:
    """Each unmutated seed yields reports, so the mutations start from a file the reader accepts."""
    path = tmp_path / name
    path.write_bytes(seeds()[name])
    assert check_reader(path, read_checked, Report) > 0


@fuzz_settings
@given(name=st.sampled_from(sorted(seeds())), steps=mutations, suffixed=st.booleans())
def test_mutated_report_files(name: str, steps: list, suffixed: bool) -> None:  # type: ignore[type-arg]
    """A damaged report file; without its suffix the format is sniffed from the bytes."""
    data = mutate(seeds()[name], steps)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (name if suffixed else Path(name).stem)
        path.write_bytes(data)
        check_reader(path, read_checked, Report)


@fuzz_settings
@given(
    fields=st.dictionaries(
        st.sampled_from(["date", "url", "title", "text", "source"]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(allow_nan=True),
            st.text(max_size=40),
            st.lists(st.integers(), max_size=3),
            st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
        ),
    )
)
def test_jsonl_fields_of_any_json_type(fields: dict[str, object]) -> None:
    """Well-formed JSON whose fields have the wrong types (a date that is a list, a text that is 0)."""
    import json

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reports.jsonl"
        path.write_text(json.dumps(fields) + "\n" + seeds()["reports.jsonl"].decode(), encoding="utf-8")
        assert check_reader(path, read_checked, Report) > 0  # the good lines after the bad one still read


def test_a_capital_then_a_long_run_of_spaces_reads_quickly(tmp_path: Path) -> None:
    """Found by review of the dateline regex, then reproduced with the ``repeat`` mutation: a capital
    letter followed by a run of spaces made the wire-dateline match quadratic (40,000 spaces took
    ~30 s, the 20 MiB allowed would take days)."""
    import time

    path = tmp_path / "note.txt"
    path.write_bytes(b"A" + b" " * 1_000_000 + b"word")
    started = time.monotonic()
    [report] = read_reports(path).reports
    assert time.monotonic() - started < 5
    assert report.text.endswith("word")
