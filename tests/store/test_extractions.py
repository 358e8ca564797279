"""Storing extracted events and claims: spans kept, idempotent, merged across reports."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from watchfloor.cli.extract import read_batch
from watchfloor.extract.reports import extract_reports
from watchfloor.store import open_store
from watchfloor.store.extractions import list_events, save_extraction
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


def test_blocked_lookup_finds_what_a_scan_of_every_stored_event_finds(sqlite_url: str) -> None:
    """``_find_stored`` reads only the type/actor/date block; it must agree with the old full scan."""
    import random
    from datetime import UTC, date, datetime, timedelta

    from watchfloor.extract.events import same_event
    from watchfloor.extract.ontology import EventType, Plover
    from watchfloor.extract.records import DateRange
    from watchfloor.extract.records import Event as Candidate
    from watchfloor.store.extractions import _as_candidate, _find_stored

    rng = random.Random(15)
    types = [EventType.ARMS_TRANSFER, EventType.TROOP_DEPLOYMENT]
    actors = ["kp", "ru", "ir", "kp,ru"]
    objects = [None, "artillery shells", "containers of shells", "missiles", "fuel"]
    places = [None, "Kursk", "Rajin", "Vostochny"]

    def when() -> DateRange | None:
        pick = rng.random()
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 700))
        if pick < 0.15:
            return None
        if pick < 0.25:
            return DateRange(None, day, "before", "before")
        if pick < 0.35:
            return DateRange(day, None, "since", "text")
        return DateRange(day, day + timedelta(days=rng.choice([0, 0, 30])), "text", "text")

    def candidate(i: int) -> Candidate:
        source = rng.choice(actors).split(",")
        return Candidate(
            id=f"evt-{i:04d}", type=rng.choice(types), plover=Plover.COOPERATE, source_actors=source,
            target_actors=rng.choice([[], ["ru"], ["kp"]]), object=rng.choice(objects),
            place=rng.choice(places), date=when(), trigger="t", spans=[], claims=[],
        )  # fmt: skip

    store = open_store(sqlite_url)
    with store.session() as session:
        for i in range(300):
            event = candidate(i)
            session.add(
                Event(
                    id=event.id, type=event.type.value, plover=event.plover.value,
                    source_actor=",".join(event.source_actors), target_actor=",".join(event.target_actors),
                    object=event.object, place=event.place,
                    date_start=event.date.start if event.date else None,
                    date_end=event.date.end if event.date else None,
                    data={"source_actors": event.source_actors, "target_actors": event.target_actors},
                    created_at=datetime.now(UTC),
                )
            )  # fmt: skip
        session.flush()
        rows = sorted(session.scalars(select(Event)), key=lambda r: r.id)
        found = 0
        for i in range(300, 700):
            probe = candidate(i)
            same = (r for r in rows if r.type == probe.type.value and same_event(_as_candidate(r), probe))
            scan = next(same, None)
            blocked = _find_stored(session, probe)
            assert (blocked.id if blocked else None) == (scan.id if scan else None), probe
            found += scan is not None
        assert 50 < found < 400  # both outcomes are exercised
    store.close()


def test_claim_modality_is_stored_and_listed(tmp_path: Path) -> None:
    """A transfer told as done and one told as to come keep their modality in the store (0006)."""
    from datetime import date

    from watchfloor.sources.reports import Report

    store = open_store(f"sqlite:///{tmp_path / 'm.db'}")
    texts = {
        "done.txt": "Russia delivered air defence missiles to North Korea, officials in Seoul said.",
        "later.txt": "Russia will deliver air defence missiles to North Korea, officials in Seoul said.",
    }
    for origin, text in texts.items():
        report = Report(text=text, published=date(2024, 11, 20), origin=origin, source="Yonhap")
        [extraction] = list(extract_reports([report]))
        with store.session() as session:
            save_extraction(session, report, extraction)
    with store.session() as session:
        by_document = {
            origin: set(
                session.scalars(
                    select(Claim.modality)
                    .join(Document, Document.id == Claim.document_id)
                    .where(Document.origin == origin)
                )
            )
            for origin in texts
        }
        listed = {c["modality"] for row in list_events(session) for c in row["claims"]}
    assert by_document == {"done.txt": {"actual"}, "later.txt": {"future"}}
    assert listed == {"actual", "future"}
    store.close()
