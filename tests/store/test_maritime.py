"""Maritime events in the store: saved once with their provenance, read back by kind and vessel."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from watchfloor.maritime.detect import DetectionResult, detect
from watchfloor.maritime.records import EventKind
from watchfloor.maritime.scenario import KP_CARGO_1, REFLAGGED_MMSI, STORY_VESSELS, generate
from watchfloor.sources.lists.ofac import read_ofac_csv
from watchfloor.store import open_store
from watchfloor.store.maritime import load_events, save_events
from watchfloor.store.models import MaritimeEvent as Row
from watchfloor.store.models import Provenance


@pytest.fixture(scope="module")
def detected(shared_data: Path) -> DetectionResult:
    """Detection over the SYNTHETIC scenario, linked to the real OFAC SDN list."""
    scenario = generate()
    entries = read_ofac_csv(shared_data / "sanctions" / "ofac" / "sdn_2024-05-03.csv")
    return detect(scenario.positions, scenario.static, lists=entries)


def test_save_twice_then_query(store_url: str, detected: DetectionResult) -> None:
    store = open_store(store_url)
    assert save_events(store, detected.events) == len(detected.events)
    save_events(store, detected.events)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Row)) == len(detected.events)
        ais = session.scalar(select(func.count()).select_from(Provenance).where(Provenance.kind == "ais"))
        assert ais == sum(len(e.positions) for e in detected.events)
        row = session.scalars(select(Row).where(Row.kind == "encounter")).one()
        assert row.list_entries == []  # invented identities: on no real list
        assert row.imo in (STORY_VESSELS["meets_at_sea"].imo, KP_CARGO_1.imo)
    back = load_events(store)
    assert [e.to_dict() for e in back] == [
        e.to_dict() for e in sorted(detected.events, key=lambda e: (e.start, e.id))
    ]
    renamed = STORY_VESSELS["renamed"]
    by_imo = load_events(store, vessel=f"IMO {renamed.imo}")
    assert {e.kind for e in by_imo} >= {EventKind.IDENTITY, EventKind.PORT_VISIT}
    assert {e.mmsi for e in by_imo} == {renamed.mmsi, REFLAGGED_MMSI}
    gaps = load_events(store, kind=EventKind.GAP, vessel=str(STORY_VESSELS["dunai_shuttle"].mmsi))
    assert len(gaps) == 1 and gaps[0].details["hours"] > 30
    assert load_events(store, listed_only=True) == []
    store.close()


def test_saving_again_keeps_what_other_records_rest_on(store_url: str, detected: DetectionResult) -> None:
    """An alert's pointer to a maritime event survives a re-run of detection."""
    store = open_store(store_url)
    save_events(store, detected.events)
    target = detected.events[0].id
    with store.session() as session:
        session.add(
            Provenance(
                id="prov-alert-test",
                subject_kind="alert",
                subject_id="alert-test",
                kind="ais",
                maritime_event_id=target,
            )
        )
        created = session.get(Row, target)
        assert created is not None
        first_created_at = created.created_at
    save_events(store, detected.events)
    with store.session() as session:
        kept = session.get(Provenance, "prov-alert-test")
        assert kept is not None and kept.maritime_event_id == target
        row = session.get(Row, target)
        assert row is not None and row.created_at == first_created_at
        own = session.scalar(
            select(func.count())
            .select_from(Provenance)
            .where(Provenance.subject_kind == "maritime_event", Provenance.subject_id == target)
        )
        assert own == len(detected.events[0].positions) + len(
            {link.entry_key for link in detected.events[0].links if link.strong}
        )
    store.close()


def test_simulated_events_are_flagged_synthetic_and_real_ones_not(
    store_url: str, detected: DetectionResult, shared_data: Path
) -> None:
    """The scenario uses real sanctioned ships' names and IMOs: every event it yields must carry
    the SYNTHETIC flag in the store; events from a real file must not."""
    from watchfloor.sources.ais.batch import AisBatch
    from watchfloor.sources.ais.reader import read_ais
    from watchfloor.store.maritime import is_synthetic_row

    real = AisBatch.concat(list(read_ais(shared_data / "ais" / "dma_aisdk_2022-09-17_10k.csv.gz")))
    real_events = detect(real.positions, real.static).events
    assert real_events and detected.events
    store = open_store(store_url)
    save_events(store, [*detected.events, *real_events])
    with store.session() as session:
        rows = list(session.scalars(select(Row)))
        flagged = {row.id for row in rows if is_synthetic_row(row)}
    assert flagged == {e.id for e in detected.events}
    assert all(e.synthetic for e in load_events(store, synthetic=True))
    assert {e.id for e in load_events(store, synthetic=False)} == {e.id for e in real_events}
    shuttle = load_events(store, vessel=str(STORY_VESSELS["dunai_shuttle"].imo))  # simulated only
    assert shuttle and all(e.synthetic for e in shuttle)
    assert load_events(store, vessel="9179842") == []  # the real ANGARA is not in the simulation
