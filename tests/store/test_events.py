"""Storing extracted events and claims: spans kept, idempotent, merged across reports."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from watchfloor.cli.extract import read_batch
from watchfloor.extract.reports import extract_reports
from watchfloor.store import open_store
from watchfloor.store.events import list_events, save_extraction
from watchfloor.store.models import Claim, Document, Event, Mention, Provenance

FIXTURES = Path(__file__).resolve().parents[1] / "extract" / "fixtures"


def _count(session: object, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[attr-defined]


def test_ingest_stores_events_claims_and_spans_once(store_url: str, founding_report: Path) -> None:
    store = open_store(store_url)
    reports, _ = read_batch([founding_report], None, None)
    [extraction] = list(extract_reports(reports))
    with store.session() as session:
        result = save_extraction(session, reports[0], extraction)
    assert result.created and result.events_new == len(extraction.events)
    assert result.claims == sum(len(e.claims) for e in extraction.events)
    with store.session() as session:
        again = save_extraction(session, reports[0], extraction)
        assert not again.created and again.claims == 0
        assert _count(session, Document) == 1
        assert _count(session, Event) == len(extraction.events)
        assert _count(session, Mention) == len(extraction.mentions)
        document = session.get(Document, reports[0].content_hash)
        assert document is not None and document.source_grade == "B"
        deployment = session.scalars(select(Event).where(Event.type == "troop_deployment")).one()
        assert (deployment.source_actor, deployment.target_actor) == ("kp", "ru")
        assert deployment.place == "the Kursk border region"
        singh = next(c for c in deployment.claims if c.speaker == "Pentagon spokesperson Sabrina Singh")
        assert (singh.stance, singh.hedged, singh.reliability) == ("asserts", True, "B")
        assert singh.claimed_on is not None and singh.claimed_on.isoformat() == "2024-10-28"
        [span] = session.scalars(
            select(Provenance).where(Provenance.subject_kind == "claim", Provenance.subject_id == singh.id)
        )
        assert span.kind == "document_span" and span.quote is not None
        assert document.text[span.start : span.end] == span.quote
        rows = list_events(session, "troop_deployment")
        assert len(rows) == 1 and len(rows[0]["claims"]) == 3
    store.close()


def test_the_same_event_from_two_reports_is_one_event(store_url: str) -> None:
    store = open_store(store_url)
    reports, _ = read_batch(
        [FIXTURES / "reuters_2023-10-13_containers.txt", FIXTURES / "feed_2024-11.rss"], None, None
    )
    results = []
    for report, extraction in zip(reports, extract_reports(reports), strict=True):
        with store.session() as session:
            results.append(save_extraction(session, report, extraction))
    assert results[1].events_merged == 1  # the feed's shipment of shells joins the stored transfer
    with store.session() as session:
        [transfer] = session.scalars(select(Event).where(Event.type == "arms_transfer"))
        assert {c.document_id for c in transfer.claims} == {reports[0].content_hash, reports[1].content_hash}
        assert _count(session, Claim) == sum(r.claims for r in results)
        since = list_events(session, since=__import__("datetime").date(2024, 11, 1))
        assert all((r["date_end"] or r["date_start"]).isoformat() >= "2024-11-01" for r in since)
    store.close()


def test_claim_date_ranges_and_mention_actors_are_columns(sqlite_url: str, founding_report: Path) -> None:
    """ "last week" in a report of 2024-10-29 is stored as 2024-10-21..27; "Pyongyang" as actor kp."""
    from datetime import date

    store = open_store(sqlite_url)
    reports, _ = read_batch([founding_report], None, None)
    [extraction] = list(extract_reports(reports))
    with store.session() as session:
        save_extraction(session, reports[0], extraction)
    with store.session() as session:
        ranges = session.execute(
            select(Claim.claimed_on, Claim.claimed_until).where(Claim.claimed_until.is_not(None))
        ).all()
        assert (date(2024, 10, 21), date(2024, 10, 27)) in [tuple(r) for r in ranges]
        single = session.scalars(select(Claim).where(Claim.speaker.like("%Sabrina Singh%"))).first()
        assert single is not None and single.claimed_on == date(2024, 10, 28) and single.claimed_until is None
        actors = {m.text: m.actor for m in session.scalars(select(Mention).where(Mention.actor.is_not(None)))}
        assert actors.get("Pyongyang") == "kp" and actors.get("Moscow") == "ru"
    store.close()
