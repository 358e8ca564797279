"""The API under concurrent writes: many analysts' reviews at once on one store, over real HTTP.

Uvicorn on a loopback port over a copy of the demo store (SQLite, WAL). Several threads post review
decisions on different events at the same moment while viewers read; every write is answered
201 (or, past the busy timeout, a 503 problem that wrote nothing) and every read 200; afterwards
the store passes its integrity check, holds each accepted decision exactly once with its audit
record, and each event's status is its decision — 0 corruptions, 0 lost or doubled writes.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from tests.live_server import copy_demo_store, live_server, make_keys, open_service
from watchfloor.service.app import Watchfloor
from watchfloor.service.users import Role
from watchfloor.store.models import AuditRecord, Event, Review

pytestmark = pytest.mark.slow

TRIALS = int(os.environ.get("WATCHFLOOR_CONCURRENCY_TRIALS", "1"))
WRITERS = 6
READERS = 6


@pytest.fixture
def served(demo_db: Path, tmp_path: Path) -> Iterator[tuple[str, dict[Role, str], Watchfloor, Path]]:
    db = copy_demo_store(demo_db, tmp_path / "store")
    service = open_service(db, api_rate_per_minute=100_000)
    keys = make_keys(service)
    with live_server(service) as url:
        yield url, keys, service, db
    service.close()


@pytest.mark.parametrize("trial", range(TRIALS))
def test_concurrent_reviews_over_http_are_each_stored_once(
    served: tuple[str, dict[Role, str], Watchfloor, Path], trial: int
) -> None:
    url, keys, service, db = served
    with service.store.reading() as session:
        events = list(
            session.scalars(select(Event.id).order_by(Event.id).offset(trial * WRITERS).limit(WRITERS))
        )
        reviews_before = len(session.scalars(select(Review.id)).all())
    assert len(events) == WRITERS
    decisions = {event: ("confirm" if i % 2 else "reject") for i, event in enumerate(events)}

    def write(event: str) -> httpx.Response:
        body = {
            "target_kind": "event",
            "target_id": event,
            "decision": decisions[event],
            "why": f"trial {trial}",
        }
        headers = {"Authorization": f"Bearer {keys[Role.ANALYST]}"}
        return httpx.post(f"{url}/api/v1/reviews", json=body, headers=headers, timeout=120)

    def read(_: int) -> httpx.Response:
        headers = {"Authorization": f"Bearer {keys[Role.VIEWER]}"}
        return httpx.get(f"{url}/api/v1/events", params={"limit": 20}, headers=headers, timeout=120)

    with ThreadPoolExecutor(WRITERS + READERS) as pool:
        writes = list(pool.map(write, events))
        reads = list(pool.map(read, range(READERS)))

    assert all(r.status_code == 200 for r in reads), [r.text[:200] for r in reads if r.status_code != 200]
    accepted = [event for event, r in zip(events, writes, strict=True) if r.status_code == 201]
    refused = [r for r in writes if r.status_code != 201]
    assert all(r.status_code == 503 and r.json()["error"] for r in refused), [r.text[:300] for r in refused]
    assert accepted, "no write got through"

    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()
    with service.store.reading() as session:
        stored = session.execute(
            select(Review.subject_id, Review.decision).where(Review.reason == f"trial {trial}")
        )
        assert sorted(stored) == sorted((e, decisions[e]) for e in accepted), "a decision lost or doubled"
        assert len(session.scalars(select(Review.id)).all()) == reviews_before + len(accepted)
        audited = session.scalars(
            select(AuditRecord.target).where(AuditRecord.action == "review", AuditRecord.user == "ana")
        ).all()
        assert sorted(t for t in audited if t in decisions) == sorted(accepted), (
            "a decision without its record"
        )
        for event in accepted:
            status = session.get(Event, event)
            assert status is not None
            assert status.status == ("confirmed" if decisions[event] == "confirm" else "rejected")
