"""Storing and reading documents (reports): idempotent by content hash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from watchfloor.sources.reports import Report
from watchfloor.store.models import Base, Claim, Document


@dataclass(frozen=True)
class StoredDocument:
    """What the store holds about one document, for printing and JSON."""

    id: str
    published: str | None
    source: str | None
    source_grade: str
    title: str | None
    fmt: str
    origin: str
    length: int
    claims: int
    events: int

    @classmethod
    def of(cls, session: Session, document: Document) -> StoredDocument:
        claims = session.scalar(select(func.count()).where(Claim.document_id == document.id)) or 0
        events = (
            session.scalar(
                select(func.count(func.distinct(Claim.event_id))).where(Claim.document_id == document.id)
            )
            or 0
        )
        return cls(
            id=document.id,
            published=document.published.isoformat() if document.published else None,
            source=document.source,
            source_grade=document.source_grade,
            title=document.title,
            fmt=document.fmt,
            origin=document.origin,
            length=document.length,
            claims=claims,
            events=events,
        )


def save_report(session: Session, report: Report, source_grade: str = "F") -> tuple[Document, bool]:
    """Add ``report`` as a document unless its text is already stored; ``(document, created)``.

    The document id is the sha256 of the text, so the same report read twice, from the same or
    another file, is stored once.
    """
    existing = session.get(Document, report.content_hash)
    if existing is not None:
        return existing, False
    document = Document(
        id=report.content_hash,
        kind="report",
        fmt=report.fmt,
        origin=report.origin,
        title=report.title,
        url=report.url,
        source=report.source,
        source_grade=source_grade,
        published=report.published,
        length=len(report.text),
        text=report.text,
        meta=dict(report.meta),
        ingested_at=datetime.now(UTC),
    )
    session.add(document)
    session.flush()
    return document, True


def list_documents(session: Session) -> list[Document]:
    """All documents, newest report date first."""
    statement = select(Document).order_by(Document.published.desc().nulls_last(), Document.id)
    return list(session.scalars(statement))


def count_rows(session: Session) -> dict[str, int]:
    """Row counts of the main tables: what the store holds at a glance."""
    counts: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        counts[table.name] = session.scalar(select(func.count()).select_from(table)) or 0
    return counts


__all__ = ["StoredDocument", "count_rows", "list_documents", "save_report"]
