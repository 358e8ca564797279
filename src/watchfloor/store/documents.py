"""Storing and reading documents (reports): idempotent by content hash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
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


UNGRADED = "F"
"""Admiralty F, "reliability cannot be judged": the grade of a report whose source is not graded."""


def save_report(
    session: Session, report: Report, source_grade: str = UNGRADED, *, explicit_grade: bool = False
) -> tuple[Document, bool]:
    """Add ``report`` as a document unless its text is already stored; ``(document, created)``.

    The document id is the sha256 of the text, so the same report read twice, from the same or
    another file, is stored once. Read again with metadata (a date, a source, a grade given on the
    command line or read from the text), the stored document takes it: a date or source that is
    given replaces the stored one, a judged grade replaces the stored grade (an ungraded ``F``
    only when ``explicit_grade``), and each change is kept in ``meta["metadata_changes"]`` with the
    old and new values, so nothing stored is silently lost. A new grade is applied to the stored
    claims of the document too.
    """
    existing = session.get(Document, report.content_hash)
    if existing is not None:
        changes = update_metadata(existing, report, source_grade, explicit_grade=explicit_grade)
        if "source_grade" in changes:  # one grade per claim: the claims resting on it follow
            session.execute(
                update(Claim)
                .where(Claim.document_id == existing.id)
                .values(reliability=existing.source_grade)
            )
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


def update_metadata(
    document: Document, report: Report, source_grade: str, *, explicit_grade: bool = False
) -> dict[str, list[str | None]]:
    """Apply the metadata ``report`` carries to a stored document; the changes made, by field."""
    changes: dict[str, list[str | None]] = {}
    if report.published is not None and report.published != document.published:
        old = document.published.isoformat() if document.published else None
        changes["published"] = [old, report.published.isoformat()]
        document.published = report.published
    if report.source and report.source != document.source:
        changes["source"] = [document.source, report.source]
        document.source = report.source
    judged = source_grade != UNGRADED or explicit_grade
    if judged and source_grade != document.source_grade:
        changes["source_grade"] = [document.source_grade, source_grade]
        document.source_grade = source_grade
    if report.title and not document.title:
        changes["title"] = [None, report.title]
        document.title = report.title
    if changes:
        meta = dict(document.meta or {})
        history = list(meta.get("metadata_changes") or [])
        history.append(
            {"at": datetime.now(UTC).isoformat(timespec="seconds"), "origin": report.origin, **changes}
        )
        meta["metadata_changes"] = history
        document.meta = meta
    return changes


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


__all__ = ["UNGRADED", "StoredDocument", "count_rows", "list_documents", "save_report", "update_metadata"]
