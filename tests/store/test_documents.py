"""Documents are stored once per text, whatever file they come from."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select

from watchfloor.sources.reports import read_seed_report
from watchfloor.store import open_store
from watchfloor.store.documents import StoredDocument, list_documents, save_report
from watchfloor.store.models import Document


def test_the_same_report_is_stored_once(store_url: str, founding_report: Path) -> None:
    store = open_store(store_url)
    report = read_seed_report(founding_report, source="Associated Press")
    with store.session() as session:
        first, created = save_report(session, report, source_grade="B")
    assert created
    with store.session() as session:
        again, created_again = save_report(session, replace(report, origin="elsewhere/copy.txt"))
        assert not created_again
        assert again.id == first.id == report.content_hash
        assert session.scalar(select(func.count()).select_from(Document)) == 1
    store.close()


def test_stored_document_describes_the_founding_report(store_url: str, founding_report: Path) -> None:
    store = open_store(store_url)
    report = read_seed_report(founding_report, source="Associated Press")
    with store.session() as session:
        save_report(session, report)
        [document] = list_documents(session)
        described = StoredDocument.of(session, document)
    assert described.published == "2024-10-29"
    assert described.source == "Associated Press"
    assert described.length == len(report.text)
    assert described.fmt == "seed"
    assert document.text.startswith("South Korean and Western leaders")
    store.close()


def test_reingest_with_metadata_updates_the_stored_document(store_url: str, founding_report: Path) -> None:
    """Issue 17: a report stored undated and ungraded, read again with --date/--source/--grade."""
    from datetime import date

    from watchfloor.sources.reports import Report

    store = open_store(store_url)
    body = read_seed_report(founding_report).text
    bare = Report(text=body, published=None, origin="plain.txt")
    with store.session() as session:
        stored, created = save_report(session, bare)
        assert created and (stored.published, stored.source, stored.source_grade) == (None, None, "F")
    dated = replace(bare, published=date(2024, 10, 29), source="Associated Press", origin="again.txt")
    with store.session() as session:
        _again, created = save_report(session, dated, source_grade="B")
        assert not created
    with store.session() as session:
        [document] = list_documents(session)
        assert (document.published, document.source, document.source_grade) == (
            date(2024, 10, 29),
            "Associated Press",
            "B",
        )
        [change] = document.meta["metadata_changes"]
        assert change["published"] == [None, "2024-10-29"] and change["source_grade"] == ["F", "B"]
        # read once more with nothing given: the stored metadata stays
        save_report(session, bare)
        assert (document.published, document.source_grade) == (date(2024, 10, 29), "B")
        assert len(document.meta["metadata_changes"]) == 1
        # an explicit ungraded F is applied; a default F is not
        save_report(session, bare, "F", explicit_grade=True)
        assert document.source_grade == "F"
    store.close()
