"""A small builder of evidence rows for assessment tests (NOT the extraction pipeline).

It writes the rows the extraction and maritime helpers write (documents, events, claims with
document spans, maritime events) so that the assessment logic can be tested in isolation. The
acceptance tests in ``test_acceptance.py`` run the real pipeline instead; tests using this
builder are the unit tests of grading, independence, status and ladder rules.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from watchfloor.model.ids import stable_id
from watchfloor.sources.reports import Report
from watchfloor.store.documents import save_report
from watchfloor.store.models import Claim, Event, MaritimeEvent, Provenance


class EvidenceBuilder:
    """Adds documents, events, claims and maritime events to a session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def document(
        self, text: str, published: date, source: str, grade: str = "B", meta: dict[str, str] | None = None
    ) -> str:
        report = Report(
            text=text, published=published, origin=f"builder:{source}", source=source, meta=dict(meta or {})
        )
        document, _ = save_report(self.session, report, source_grade=grade)
        return document.id

    def event(
        self,
        type_: str,
        source_actor: str | None,
        target_actor: str | None,
        obj: str | None = None,
        place: str | None = None,
        on: date | None = None,
        status: str = "extracted",
    ) -> str:
        event_id = stable_id("evt", type_, source_actor, target_actor, obj, place, on)
        self.session.add(
            Event(
                id=event_id,
                type=type_,
                source_actor=source_actor,
                target_actor=target_actor,
                object=obj,
                place=place,
                date_start=on,
                summary=None,
                status=status,
                data={},
                created_at=self.now,
            )
        )
        self.session.flush()
        return event_id

    def claim(
        self,
        event_id: str,
        document_id: str,
        quote: str,
        speaker: str,
        speaker_actor: str | None = None,
        stance: str = "asserts",
        hedged: bool = False,
        reliability: str = "B",
        credibility: int = 2,
    ) -> str:
        from watchfloor.store.models import Document

        document = self.session.get(Document, document_id)
        assert document is not None
        start = document.text.index(quote)
        claim_id = stable_id("clm", event_id, document_id, start)
        self.session.add(
            Claim(
                id=claim_id,
                event_id=event_id,
                document_id=document_id,
                speaker=speaker,
                speaker_actor=speaker_actor,
                stance=stance,
                hedged=hedged,
                reliability=reliability,
                credibility=credibility,
                claimed_on=document.published,
                data={},
            )
        )
        self.session.add(
            Provenance(
                id=stable_id("prov", claim_id, start),
                subject_kind="claim",
                subject_id=claim_id,
                kind="document_span",
                document_id=document_id,
                start=start,
                end=start + len(quote),
                quote=quote,
            )
        )
        self.session.flush()
        return claim_id

    def port_visit(
        self,
        mmsi: int,
        name: str,
        port: str,
        start: datetime,
        imo: int | None = None,
        list_entries: list[str] | None = None,
        kind: str = "port_visit",
        other_mmsi: int | None = None,
    ) -> str:
        event_id = stable_id("mev", kind, mmsi, port, start)
        data: dict[str, Any] = {
            "positions": [{"mmsi": mmsi, "ts": start.isoformat(), "src_file": "builder", "src_line": 1}]
        }
        self.session.add(
            MaritimeEvent(
                id=event_id,
                kind=kind,
                mmsi=mmsi,
                other_mmsi=other_mmsi,
                imo=imo,
                vessel_name=name,
                start=start,
                end=start,
                lat=None,
                lon=None,
                port=port,
                list_entries=list(list_entries or []),
                data=data,
                created_at=self.now,
            )
        )
        self.session.flush()
        return event_id
