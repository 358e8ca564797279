"""Indexes over the real list files in ../shared/data/sanctions, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.screen import ScreenIndex
from watchfloor.sources.lists.formats import read_list
from watchfloor.sources.lists.records import ListEntry


def list_paths(shared_data: Path) -> list[Path]:
    """UN XML, OFAC SDN CSV with its alt/add companions, and the UK derived tables."""
    base = shared_data / "sanctions"
    return [
        base / "un" / "UN_consolidated_2026-02-27.xml",
        base / "ofac" / "sdn_2024-05-03.csv",
        base / "ofac" / "alt_2026-06.csv",
        base / "ofac" / "add_2026-06.csv",
        base / "uk" / "uk_sanctions_list_derived_subjects.csv.gz",
    ]


@pytest.fixture(scope="session")
def all_entries(shared_data: Path) -> list[ListEntry]:
    return list(read_list(list_paths(shared_data)))


@pytest.fixture(scope="session")
def full_index(all_entries: list[ListEntry]) -> ScreenIndex:
    """UN + OFAC + UK, as the issue's screening examples use."""
    return ScreenIndex.build(all_entries)


@pytest.fixture(scope="session")
def un_entries(all_entries: list[ListEntry]) -> list[ListEntry]:
    return [e for e in all_entries if e.source.value == "un_sc"]
