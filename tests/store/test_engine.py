"""The store opens, migrates and keeps transactions whole on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from watchfloor.errors import StoreError
from watchfloor.model.ids import stable_id
from watchfloor.sources.reports import Report, read_seed_report
from watchfloor.store import open_store
from watchfloor.store.documents import count_rows, save_report
from watchfloor.store.engine import head_revision
from watchfloor.store.models import Claim, Document, Event, Provenance


def _report(n: int) -> Report:
    return Report(
        text=f"Report number {n} on shipments via Rajin.",
        published=date(2024, 10, n % 28 + 1),
        origin=f"test#{n}",
        source="Test Wire",
    )


def test_open_migrates_an_empty_store(store_url: str) -> None:
    store = open_store(store_url)
    with store.session() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert count_rows(session)["documents"] == 0
    store.close()


def test_reopening_a_store_keeps_its_records(store_url: str, founding_report: Path) -> None:
    store = open_store(store_url)
    with store.session() as session:
        save_report(session, read_seed_report(founding_report, source="Associated Press"))
    store.close()
    again = open_store(store_url)
    with again.session() as session:
        stored = session.scalars(select(Document)).one()
    assert stored.published == date(2024, 10, 29)
    assert stored.source == "Associated Press"
    again.close()


def test_an_error_inside_the_transaction_leaves_the_store_as_before(store_url: str) -> None:
    store = open_store(store_url)
    with store.session() as session:
        save_report(session, _report(1))
    with store.session() as session:
        before = count_rows(session)

    class Boom(RuntimeError):
        pass

    with pytest.raises(Boom), store.session() as session:
        document, _ = save_report(session, _report(2))
        event = Event(
            id=stable_id("evt", "arms_transfer", 2),
            type="arms_transfer",
            source_actor="kp",
            target_actor="ru",
            created_at=document.ingested_at,
        )
        session.add(event)
        session.add(
            Claim(
                id=stable_id("clm", 2),
                event_id=event.id,
                document_id=document.id,
                speaker="reporter",
                stance="asserts",
            )
        )
        session.add(
            Provenance(
                id=stable_id("prv", 2),
                subject_kind="claim",
                subject_id=stable_id("clm", 2),
                kind="document_span",
                document_id=document.id,
                start=0,
                end=10,
            )
        )
        session.flush()  # the rows reached the database inside the transaction
        raise Boom("crash in the middle of an ingest")

    with store.session() as session:
        assert count_rows(session) == before
    store.close()


def test_a_failed_commit_is_a_store_error_and_rolls_back(store_url: str) -> None:
    store = open_store(store_url)
    with pytest.raises(StoreError), store.session() as session:
        session.add(
            Document(
                id="dup",
                fmt="text",
                origin="a",
                length=1,
                text="a",
                source_grade="F",
                meta={},
                ingested_at=_now(),
            )
        )
        session.flush()
        session.add(
            Document(
                id="dup",
                fmt="text",
                origin="b",
                length=1,
                text="b",
                source_grade="F",
                meta={},
                ingested_at=_now(),
            )
        )
        session.flush()
    with store.session() as session:
        assert session.scalar(select(Document).where(Document.id == "dup")) is None
    store.close()


def _now() -> datetime:
    return datetime.now(UTC)


def test_killing_the_process_mid_ingest_leaves_the_store_as_before(sqlite_url: str) -> None:
    """A real SIGKILL while a transaction has written rows but not committed."""
    store = open_store(sqlite_url)
    with store.session() as session:
        save_report(session, _report(1))
        before = count_rows(session)
    store.close()
    script = textwrap.dedent(
        f"""
        import sys, time
        from datetime import date
        from watchfloor.sources.reports import Report
        from watchfloor.store import open_store
        from watchfloor.store.documents import save_report
        store = open_store({sqlite_url!r})
        with store.session() as session:
            for n in range(100, 400):
                save_report(session, Report(text=f"report {{n}}", published=date(2024, 1, 1),
                                            origin=f"kill#{{n}}"))
            session.flush()
            print("written", flush=True)
            time.sleep(60)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "written"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    reopened = open_store(sqlite_url)
    with reopened.session() as session:
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert count_rows(session) == before
    reopened.close()


def test_an_unreachable_store_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open store"):
        open_store(f"sqlite:///{blocker}/sub/store.db")


def test_an_invalid_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="invalid database URL"):
        open_store("not a url at all")
