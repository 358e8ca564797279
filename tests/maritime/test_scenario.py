"""The SYNTHETIC scenario: labelled, routes at sea, CSV layout, ground truth beside the data."""

from __future__ import annotations

import gzip
import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest

from watchfloor.maritime.ports import load_ports
from watchfloor.maritime.scenario import CSV_COLUMNS, ROUTES, SANCTIONED, Scenario

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def land() -> np.ndarray:
    with gzip.open(FIXTURES / "sea_of_japan_land_0.01deg.npy.gz", "rb") as handle:
        packed = np.load(handle)
    return np.unpackbits(packed)[: 1200 * 1800].reshape(1200, 1800).astype(bool)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dy = (a[0] - b[0]) * 111.2
    dx = (a[1] - b[1]) * 111.2 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dx, dy)


def test_routes_stay_at_sea_outside_the_port_circles(land: np.ndarray) -> None:
    ports = load_ports(None).ports
    checked = 0
    for name, waypoints in ROUTES.items():
        for a, b in itertools.pairwise(waypoints):
            steps = max(1, int(_km(a, b) / 0.3))
            for k in range(steps + 1):
                p = (a[0] + (b[0] - a[0]) * k / steps, a[1] + (b[1] - a[1]) * k / steps)
                if any(_km(p, (port.lat, port.lon)) <= port.radius_km + 1.0 for port in ports):
                    continue
                row, col = int((p[0] - 34.0) / 0.01), int((p[1] - 124.0) / 0.01)
                assert not land[row, col], f"route {name} crosses land at {p}"
                checked += 1
    assert checked > 5000
    # The mask is not all sea: Vladivostok's peninsula and Honshu are land.
    assert land[int((43.13 - 34) / 0.01), int((131.93 - 124) / 0.01)]
    assert land[int((36.5 - 34) / 0.01), int((138.5 - 124) / 0.01)]


def test_written_scenario_is_labelled_and_in_the_marinecadastre_layout(
    scenario: Scenario, tmp_path: Path
) -> None:
    csv_path, truth_path = scenario.write(tmp_path)
    lines = csv_path.read_text("utf-8").splitlines()
    assert lines[0].split(",") == CSV_COLUMNS
    assert len(lines) == scenario.positions.height + 1
    assert "synthetic" in csv_path.name
    truth = json.loads(truth_path.read_text("utf-8"))
    assert truth["synthetic"] is True and "SYNTHETIC" in truth["note"]
    assert len(truth["events"]) == len(scenario.truth)
    angara_rows = [line for line in lines[1:] if ",IMO9179842," in line]
    assert angara_rows and all(",ANGARA," in row for row in angara_rows)
    listed = {v["name"]: v for v in truth["vessels"] if v["listed"]}
    assert {name for name, (imo, _) in SANCTIONED.items()} <= set(listed)
    assert all(str(v["mmsi"]).startswith(("273", "457")) for v in listed.values())
