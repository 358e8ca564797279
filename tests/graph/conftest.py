"""Fixtures of the graph tests: a fresh store, optionally with a small real OFAC subset loaded."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from watchfloor.store import Store, open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "assess"))  # the evidence builder


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A fresh store on each back-end in turn (SQLite; PostgreSQL under ``make test``)."""
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def listed_store(store: Store) -> Store:
    from watchfloor.store.lists import load_paths

    load_paths(store, [FIXTURES / "sdn_subset.csv"])
    return store
