"""Fixtures of the brief tests: a store filled by the real pipeline, and Chromium when installed."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "assess"))  # pipeline support

from tests.assess.pipeline_support import founding, ingest, read_fixture_reports
from watchfloor.store import Store, open_store


@pytest.fixture(scope="module")
def report_store(tmp_path_factory: pytest.TempPathFactory, founding_report: Path) -> Iterator[Store]:
    """The founding report and the corroborating fixtures, extracted and stored for real."""
    path = tmp_path_factory.mktemp("brief") / "brief.db"
    store = open_store(f"sqlite:///{path}")
    ingest(store, [founding(founding_report), *read_fixture_reports()])
    yield store
    store.close()


@pytest.fixture(scope="session")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium; `make` installs it)")
    return found
