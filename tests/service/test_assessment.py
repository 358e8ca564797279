"""Review through the application layer: ids as `watchfloor events` shows them, and what it changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.live_server import copy_demo_store, open_service
from watchfloor.assess.review import Decision
from watchfloor.errors import InputError, NotFoundError
from watchfloor.service.app import LOCAL
from watchfloor.service.assessment import resolve_subject_id
from watchfloor.store.models import AuditRecord, Event


@pytest.mark.slow
def test_review_by_the_short_id_the_events_table_shows(demo_db: Path, tmp_path: Path) -> None:
    service = open_service(copy_demo_store(demo_db, tmp_path / "store"))
    with service.session() as session:
        ids = sorted(session.scalars(select(Event.id)))
    full = ids[0]
    short = full.rpartition("-")[2][:8]
    assert resolve_subject_id(service.store, short) == full
    assert resolve_subject_id(service.store, full) == full
    result = service.review(short, Decision.REJECT, "not what the sentence says", LOCAL)
    assert result.review.subject_kind == "event" and full in result.review.affected
    with service.session() as session:
        assert session.get(Event, full).status == "rejected"  # type: ignore[union-attr]
        audit = session.scalars(select(AuditRecord).order_by(AuditRecord.id.desc())).first()
        assert audit is not None and audit.action == "review" and audit.target == full
    with pytest.raises(InputError, match="several ids"):
        resolve_subject_id(service.store, "event-")
    with pytest.raises(NotFoundError):
        service.review("ffffffffffff", Decision.CONFIRM, "no such thing", LOCAL)
    service.close()
