"""Fixtures of the assessment tests: fresh stores, the evidence builder, the real pipeline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from tests.assess.evidence_builder import EvidenceBuilder
from watchfloor.store import Store, open_store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A fresh store on each back-end in turn (SQLite; PostgreSQL under ``make test``)."""
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def session(store: Store) -> Iterator[Session]:
    with store.session() as opened:
        yield opened


@pytest.fixture
def builder(session: Session) -> EvidenceBuilder:
    return EvidenceBuilder(session)
