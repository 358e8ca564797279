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
