"""Reading a brief's footnotes back against the store: each must name an existing record."""

from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy import select

from watchfloor.store import open_store
from watchfloor.store.models import Document, ListEntryRecord, MaritimeEvent, Provenance


class _Notes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.notes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "li" and "data-kind" in values:
            self.notes.append((values["data-kind"], values["data-record"]))


def footnotes_of(url: str, html: str) -> list[dict[str, str]]:
    """Every footnote of ``html`` with the stored record it names; fails if one names nothing."""
    parser = _Notes()
    parser.feed(html)
    store = open_store(url)
    out: list[dict[str, str]] = []
    try:
        with store.session() as session:
            for kind, record in parser.notes:
                quote = ""
                if kind == "document_span":
                    row = session.get(Provenance, record)
                    assert row is not None and row.document_id, record
                    document = session.get(Document, row.document_id)
                    assert document is not None
                    quote = document.text[row.start or 0 : row.end or 0]
                    assert quote == row.quote
                elif kind == "ais":
                    assert session.get(MaritimeEvent, record) is not None, record
                elif kind == "list_entry":
                    source, _, entry_id = record.partition(":")
                    assert (
                        session.scalars(
                            select(ListEntryRecord).where(
                                ListEntryRecord.source == source, ListEntryRecord.entry_id == entry_id
                            )
                        ).first()
                        is not None
                    ), record
                else:
                    raise AssertionError(f"unknown footnote kind {kind}")
                out.append({"kind": kind, "record": record, "quote": quote})
    finally:
        store.close()
    return out
