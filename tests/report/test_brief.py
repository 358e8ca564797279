"""The brief: estimative judgements, the stage, footnotes that all lead to stored records, and a
rendering in headless Chromium with the network off."""

from __future__ import annotations

import re
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select

from watchfloor.assess.assessment import assess
from watchfloor.report.brief import render_brief
from watchfloor.report.pdf import chromium_command, html_to_pdf
from watchfloor.report.write import write_brief
from watchfloor.store import Store
from watchfloor.store.models import Document, ListEntryRecord, MaritimeEvent, Provenance


class _Footnotes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.notes: list[dict[str, str]] = []
        self.refs: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "li" and "data-kind" in values:
            self.notes.append(values)
        if tag == "a" and values.get("href", "").startswith("#fn-"):
            self.refs.append(values["href"][1:])
        for key in ("src", "href"):
            if values.get(key) and not values[key].startswith("#"):
                self.urls.append(values[key])


def _parse(html: str) -> _Footnotes:
    parser = _Footnotes()
    parser.feed(html)
    return parser


def assert_footnotes_resolve(store: Store, html: str) -> _Footnotes:
    """Every footnote names a stored record, and every reference has its footnote."""
    parsed = _parse(html)
    assert parsed.notes, "the brief cites nothing"
    ids = {n["id"] for n in parsed.notes}
    assert set(parsed.refs) <= ids
    with store.session() as session:
        for note in parsed.notes:
            kind, record = note["data-kind"], note["data-record"]
            if kind == "document_span":
                row = session.get(Provenance, record)
                assert row is not None and row.document_id is not None, record
                document = session.get(Document, row.document_id)
                assert document is not None
                assert document.text[row.start or 0 : row.end or 0] == row.quote
            elif kind == "ais":
                assert session.get(MaritimeEvent, record) is not None, record
            elif kind == "list_entry":
                source, _, entry_id = record.partition(":")
                found = session.scalars(
                    select(ListEntryRecord).where(
                        ListEntryRecord.source == source, ListEntryRecord.entry_id == entry_id
                    )
                ).first()
                assert found is not None, record
            else:
                pytest.fail(f"unknown footnote kind {kind}")
    return parsed


def test_brief_states_judgements_stage_and_sources(report_store: Store) -> None:
    with report_store.session() as session:
        assessment = assess(session)
        html = render_brief(session, assessment)
    assert "Stage 2: Coordination with partners on interdiction" in html
    # Estimative language tied to the grades, and speculation called speculation.
    assert re.search(r"It is <b>highly likely</b> that North Korea has shipped munitions to Russia", html)
    assert "It is <b>a realistic possibility</b> that North Korean troops are present in Russia" in html
    assert "Reporting only speculates that Russia has transferred military technology" in html
    assert "denial by an accused party is recorded, not treated as refutation" in html
    assert "<svg" in html and "Indicator timeline" in html
    parsed = assert_footnotes_resolve(report_store, html)
    assert {n["data-kind"] for n in parsed.notes} >= {"document_span"}
    # Self-contained: no external resource at all.
    assert parsed.urls == []


def test_brief_as_of_leaves_later_reports_out(report_store: Store) -> None:
    with report_store.session() as session:
        html = render_brief(session, assess(session, __import__("datetime").date(2024, 10, 1)))
    assert "evidence reported after this date ignored" in html
    assert "National Intelligence Service" not in html  # reported on 2024-10-18
    assert "Kirby" in html  # reported in 2023


@pytest.mark.browser
def test_brief_renders_offline_in_headless_chromium(
    report_store: Store, chromium: str, tmp_path: Path
) -> None:
    result = write_brief(report_store, tmp_path / "brief.html")
    png = tmp_path / "brief.png"
    with tempfile.TemporaryDirectory() as profile:
        command = chromium_command(
            chromium,
            Path(profile),
            f"--screenshot={png}",
            "--window-size=1200,2000",
            result.html.resolve().as_uri(),
        )
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 2000)
    # A blank page compresses to almost nothing; a rendered brief does not.
    assert len(data) > 60_000


@pytest.mark.browser
def test_brief_prints_to_pdf(report_store: Store, chromium: str, tmp_path: Path) -> None:
    result = write_brief(report_store, tmp_path / "brief.html", pdf=True)
    assert result.pdf is not None
    assert result.pdf.read_bytes()[:5] == b"%PDF-"
    assert html_to_pdf(result.html, tmp_path / "again.pdf").stat().st_size > 10_000
