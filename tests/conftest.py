"""Fixtures shared by the whole suite: the shared data folder and fresh stores on both back-ends."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = (PROJECT_ROOT / ".." / "shared" / "data").resolve()
FOUNDING_REPORT = SHARED_DATA / "reports" / "ap_2024-10-29_dprk_troops_kursk.txt"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` beside the project: the real files tests run on."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"shared data folder missing: {SHARED_DATA} (clone the project beside ../shared)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def founding_report(shared_data: Path) -> Path:
    return shared_data / "reports" / "ap_2024-10-29_dprk_troops_kursk.txt"


def _postgres_server_url() -> str:
    url = os.environ.get("WATCHFLOOR_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("WATCHFLOOR_TEST_POSTGRES_URL is not set: run the tests with `make test`")
        pytest.skip("no PostgreSQL server: run the tests with `make test` to start one")
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the throw-away server, dropped after the test."""
    server = make_url(_postgres_server_url())
    name = f"wf_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store URL on each back-end in turn: the store tests run against both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """The demo store built once per test session by ``watchfloor demo`` (read-only: copy it to write)."""
    from tests.live_server import build_demo_store

    return build_demo_store(tmp_path_factory.mktemp("demo"), shared_data)
