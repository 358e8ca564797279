"""Real list files read once per session, and the hand-built fixtures folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sources.lists.lists_testdata import FIXTURES, OFAC_ADD, OFAC_ALT, OFAC_SDN, UK_DIR, UN_FILE
from watchfloor.sources.lists.ofac import read_ofac_csv
from watchfloor.sources.lists.records import ListEntry
from watchfloor.sources.lists.uk import read_uk_tables
from watchfloor.sources.lists.un import read_un


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def un_entries(shared_data: Path) -> list[ListEntry]:
    return list(read_un(shared_data / UN_FILE))


@pytest.fixture(scope="session")
def ofac_entries(shared_data: Path) -> list[ListEntry]:
    return list(read_ofac_csv(shared_data / OFAC_SDN, shared_data / OFAC_ALT, shared_data / OFAC_ADD))


@pytest.fixture(scope="session")
def uk_entries(shared_data: Path) -> list[ListEntry]:
    return list(read_uk_tables(shared_data / UK_DIR))
