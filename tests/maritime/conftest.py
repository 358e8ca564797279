"""Shared fixtures for the maritime tests: one generated (SYNTHETIC) scenario and its detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.maritime.detect import DetectionResult, Detectors, detect
from watchfloor.maritime.scenario import Scenario, generate
from watchfloor.sources.lists.ofac import read_ofac_csv
from watchfloor.sources.lists.records import ListEntry


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return generate()


@pytest.fixture(scope="session")
def detectors() -> Detectors:
    from watchfloor.maritime.config import load_detection_config
    from watchfloor.maritime.ports import load_ports

    return Detectors(load_detection_config(None), load_ports(None).ports)


@pytest.fixture(scope="session")
def ofac_entries(shared_data: Path) -> list[ListEntry]:
    """The real OFAC SDN list (2024-05-03) from ../shared/data."""
    return list(read_ofac_csv(shared_data / "sanctions" / "ofac" / "sdn_2024-05-03.csv"))


@pytest.fixture(scope="session")
def detected(scenario: Scenario, detectors: Detectors, ofac_entries: list[ListEntry]) -> DetectionResult:
    return detect(scenario.positions, scenario.static, lists=ofac_entries, detectors=detectors)
