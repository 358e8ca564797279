"""The audit record of a write is part of the write's transaction: both are stored, or neither."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from watchfloor.service.app import Watchfloor
from watchfloor.service.users import Principal, Role, add_user
from watchfloor.store.models import ApiUser, AuditRecord

ANA = Principal("ana", Role.ADMIN)


class _Crash(Exception):
    """Stands for the process dying inside the write's transaction (the SIGKILL trials do it for real)."""


def _audit(service: Watchfloor) -> list[tuple[str, str, str]]:
    with service.store.reading() as session:
        return [
            (r.user, r.action, r.target)
            for r in session.scalars(select(AuditRecord).order_by(AuditRecord.id))
        ]


@pytest.fixture
def service(tmp_path: Path) -> Watchfloor:
    return Watchfloor.open(f"sqlite:///{tmp_path / 'store.db'}")


def test_the_record_is_visible_as_soon_as_the_write_commits(service: Watchfloor) -> None:
    with service.audited(ANA, "users.add", "bob"):
        with service.session() as session:
            add_user(session, "bob", Role.VIEWER, created_by="ana")
        # The operation has not returned yet: the record came with the write's commit, not after it.
        assert _audit(service) == [("ana", "users.add", "bob")]
        with service.session() as session:  # a later writing transaction of the same operation
            add_user(session, "carol", Role.VIEWER, created_by="ana")
    assert _audit(service) == [("ana", "users.add", "bob")], "one record per operation"


def test_a_write_rolled_back_leaves_no_record(service: Watchfloor) -> None:
    with pytest.raises(_Crash), service.audited(ANA, "users.add", "bob"), service.session() as session:
        add_user(session, "bob", Role.VIEWER, created_by="ana")
        session.flush()
        raise _Crash
    assert _audit(service) == []
    with service.store.reading() as session:
        assert session.get(ApiUser, "bob") is None


def test_a_read_before_the_write_does_not_take_the_record(service: Watchfloor) -> None:
    with service.audited(ANA, "users.add", "bob"):
        with service.session() as session:  # reads only (as resolving a review's subject id does)
            assert session.get(ApiUser, "bob") is None
        assert _audit(service) == [], "a transaction that wrote nothing carried the record"
        with service.session() as session:
            add_user(session, "bob", Role.VIEWER, created_by="ana")
    assert _audit(service) == [("ana", "users.add", "bob")]


def test_an_operation_that_wrote_nothing_to_the_store_is_recorded_after_it(service: Watchfloor) -> None:
    with service.audited(ANA, "ingest.ais", "0 files"):
        assert _audit(service) == []
    assert _audit(service) == [("ana", "ingest.ais", "0 files")]


def test_a_failed_operation_is_not_recorded(service: Watchfloor) -> None:
    with pytest.raises(_Crash), service.audited(ANA, "ingest.ais", "1 files"):
        raise _Crash
    assert _audit(service) == []


def test_a_review_through_the_service_carries_its_record(demo_db: Path, tmp_path: Path) -> None:
    import shutil

    from watchfloor.assess.review import Decision
    from watchfloor.store.models import Event

    copy = tmp_path / "demo.db"
    shutil.copy(demo_db, copy)
    service = Watchfloor.open(f"sqlite:///{copy}")
    with service.store.reading() as session:
        event_id = session.scalars(select(Event.id).order_by(Event.id).limit(1)).one()
    before = _audit(service)
    service.review(event_id, Decision.CONFIRM, "two independent sources agree", ANA)
    assert _audit(service) == [*before, ("ana", "review", event_id)]


@pytest.mark.slow
def test_users_add_rotate_and_disable_are_audited(tmp_path: Path) -> None:
    """``watchfloor users``: each change to a user comes with its record (same transaction)."""
    import os
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'store.db'}"
    env = {**os.environ, "WATCHFLOOR_DATABASE_URL": url}
    for args in (["add", "bob", "--role", "analyst"], ["rotate", "bob"], ["disable", "bob"]):
        done = subprocess.run(
            [sys.executable, "-m", "watchfloor.cli.app", "users", *args],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    service = Watchfloor.open(url)
    assert [a for _, a, t in _audit(service) if t == "bob"] == ["users.add", "users.rotate", "users.disable"]
    with service.store.reading() as session:
        user = session.get(ApiUser, "bob")
        assert user is not None and user.disabled_at is not None
