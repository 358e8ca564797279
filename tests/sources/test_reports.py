"""Report readers: every format, and bad input refused with the file and the place named."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from watchfloor.errors import InputError
from watchfloor.sources.reports import (
    MAX_REPORT_BYTES,
    ReportFormat,
    read_many,
    read_reports,
    sniff_format,
    strip_markup,
)

FIXTURES = Path(__file__).resolve().parents[1] / "extract" / "fixtures"


def test_seed_line_of_the_founding_report(founding_report: Path) -> None:
    outcome = read_reports(founding_report)
    assert outcome.errors == []
    [report] = outcome.reports
    assert report.published == date(2024, 10, 29)
    assert report.fmt == ReportFormat.SEED
    assert report.text.startswith("South Korean and Western leaders")
    assert report.text.endswith("active conflict.")
    assert len(report.text) == 2616
    assert report.content_hash == read_reports(founding_report).reports[0].content_hash


def test_plain_text_takes_its_date_from_the_flag_then_the_file_name(tmp_path: Path) -> None:
    named = tmp_path / "note_2024-11-02.txt"
    named.write_text("Russia and North Korea held talks.\n", encoding="utf-8")
    assert read_reports(named).reports[0].published == date(2024, 11, 2)
    assert read_reports(named, published=date(2024, 1, 5)).reports[0].published == date(2024, 1, 5)
    plain = tmp_path / "note.txt"
    plain.write_text("No date anywhere.", encoding="utf-8")
    report = read_reports(plain, source="Reuters").reports[0]
    assert report.published is None
    assert report.source == "Reuters"
    assert report.fmt == ReportFormat.TEXT


def test_html_main_text_and_metadata() -> None:
    [report] = read_reports(FIXTURES / "article_2024-11-04.html").reports
    assert report.fmt == ReportFormat.HTML
    assert report.title == "North Korean troops engaged in Kursk, Ukraine says"
    assert report.published == date(2024, 11, 4)
    assert report.source == "Reuters"
    assert "clashed with North Korean troops" in report.text
    assert "All rights reserved" not in report.text  # boilerplate is not main text
    assert "Home" not in report.text.split()


def test_feed_items_are_reports_and_broken_items_are_listed() -> None:
    outcome = read_reports(FIXTURES / "feed_2024-11.rss")
    assert [r.title for r in outcome.reports] == [
        "N. Korea shipped artillery shells to Russia, Seoul says",
        "Seoul weighs weapons for Ukraine",
    ]
    first = outcome.reports[0]
    assert first.origin.endswith("feed_2024-11.rss#item-1")
    assert first.published == date(2024, 11, 7)
    assert first.source == "Yonhap News Agency"
    assert first.text.startswith("North Korea has shipped more than 9,000 containers")
    assert "<p>" not in first.text
    messages = [str(e) for e in outcome.errors]
    assert len(messages) == 2
    assert "item 3" in messages[0] and "has no text" in messages[0]
    assert "item 4" in messages[1] and "invalid date 'not a date at all'" in messages[1]
    assert all("feed_2024-11.rss" in m for m in messages)


def test_jsonl_lines_with_bad_lines_reported(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    good = {
        "date": "2024-10-29",
        "url": "https://x.test/1",
        "title": "T",
        "text": "Moscow said so.",
        "source": "AP",
    }
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({**good, "date": "2024-02-30"}),
        json.dumps({"date": "x"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = read_reports(path)
    assert [(r.published, r.source, r.url, r.title) for r in outcome.reports] == [
        (date(2024, 10, 29), "AP", "https://x.test/1", "T")
    ]
    places = [e.place for e in outcome.errors]
    assert places == ["line 2, column 2", "line 3", "line 4"]
    assert "invalid date '2024-02-30'" in str(outcome.errors[1])
    assert "missing or empty 'text'" in str(outcome.errors[2])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n  ", "empty report"),
        ("junk.bin", bytes(range(256)) * 4, "binary content"),
        ("latin1.txt", "Pyongyang caf\xe9".encode("latin-1"), "not a text report"),
        ("wrongdate.txt", b"date 2024-13-45 North Korea sent troops.", "invalid date '2024-13-45'"),
        (
            "nomain.html",
            b"<html><head><title>x</title></head><body><nav>Home</nav></body></html>",
            "no main text",
        ),
        ("bomb.xml", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>', "unsafe XML"),
        ("bad.rss", b"<rss><channel><item><title>x</title></channel>", "malformed XML"),
    ],
)
def test_bad_input_names_the_file_and_the_problem(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_reports(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_oversized_text_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # 50 MB of text
        handle.write(b"North Korea shipped shells to Russia. " * (50 * 1024 * 1024 // 38))
    assert path.stat().st_size > MAX_REPORT_BYTES
    with pytest.raises(InputError, match="over the 20,971,520-byte limit"):
        read_reports(path)


def test_a_batch_goes_on_past_bad_files(tmp_path: Path, founding_report: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02")
    outcome = read_many([empty, founding_report, junk, FIXTURES / "feed_2024-11.rss"])
    assert len(outcome.reports) == 3  # the founding report and two feed items
    assert [Path(e.path).name for e in outcome.errors] == [
        "empty.txt",
        "junk.txt",
        "feed_2024-11.rss",
        "feed_2024-11.rss",
    ]


def test_sniffing_and_markup_stripping(tmp_path: Path) -> None:
    page = tmp_path / "page"
    page.write_text("<!DOCTYPE html><html><body><p>x</p></body></html>", encoding="utf-8")
    assert sniff_format(page) is ReportFormat.HTML
    seed = tmp_path / "seed"
    seed.write_text("date 2024-10-29 text", encoding="utf-8")
    assert sniff_format(seed) is ReportFormat.SEED
    assert strip_markup("<p>One &amp; two</p><p>Three<br>four</p>") == "One & two\n\nThree\n\nfour"


def test_atom_feed_entries(tmp_path: Path) -> None:
    path = tmp_path / "feed.atom"
    path.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>38 North</title>
<entry><title>Rajin port activity</title><link href="https://example.test/a"/>
<updated>2024-10-30T08:00:00Z</updated>
<content type="html">&lt;p&gt;Satellite imagery shows containers moved from Rajin to Russia.
&lt;/p&gt;</content>
</entry></feed>""",
        encoding="utf-8",
    )
    [report] = read_reports(path).reports
    assert (report.title, report.published, report.source, report.url) == (
        "Rajin port activity",
        date(2024, 10, 30),
        "38 North",
        "https://example.test/a",
    )
    assert report.text == "Satellite imagery shows containers moved from Rajin to Russia."


def test_wire_dateline_gives_date_and_source(tmp_path: Path) -> None:
    """Issue 17: "SEOUL, March 12, 2025 (Reuters) -" was stored with no date and grade F."""
    from watchfloor.sources.grades import source_table
    from watchfloor.sources.reports import read_reports

    path = tmp_path / "report.txt"
    path.write_text(
        "SEOUL, March 12, 2025 (Reuters) - North Korea sent more troops to Russia, officials said.\n"
    )
    (report,) = read_reports(path).reports
    assert report.published == date(2025, 3, 12)
    assert report.source == "Reuters"
    assert source_table().grade(report.source).grade.value == "B"
    bare = tmp_path / "bare.txt"
    bare.write_text("SEOUL (AP) - Officials met on Tuesday.\n")
    (undated,) = read_reports(bare).reports
    assert undated.published is None and undated.source == "AP"
    (overridden,) = read_reports(path, date(2025, 3, 13), "Yonhap").reports
    assert overridden.published == date(2025, 3, 13) and overridden.source == "Yonhap"


def test_dateline_forms_of_issue_17() -> None:
    from watchfloor.sources.reports import read_dateline

    assert read_dateline("SEOUL, March 12, 2025 (Reuters) - North Korea fired") == (
        date(2025, 3, 12),
        "Reuters",
    )
    assert read_dateline("KYIV, Ukraine (AP) — Ukrainian forces") == (None, "AP")
    assert read_dateline("SEOUL, Nov. 5, 2024 (Yonhap) -- South Korea") == (date(2024, 11, 5), "Yonhap")
    assert read_dateline("North Korea has sent troops (officials said) - to Russia") == (None, None)


def test_html_meta_tags_give_date_and_site() -> None:
    """Issue 17: ``article:published_time`` and ``og:site_name`` are read, not guessed."""
    from watchfloor.sources.reports import parse_html

    body = " ".join(["North Korean troops were deployed to the Kursk region, officials said on Monday."] * 3)
    page = (
        '<html><head><meta property="article:published_time" content="2024-11-04T08:00:00Z">'
        '<meta property="og:site_name" content="Kyiv Independent"><title>Troops</title></head>'
        f"<body><article><p>{body}</p></article></body></html>"
    )
    report = parse_html(page, "page.html")
    assert (report.published, report.source) == (date(2024, 11, 4), "Kyiv Independent")
