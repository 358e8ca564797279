"""The SYNTHETIC scenario: labelled, invented identities on no real list, routes at sea, CSV layout,
ground truth beside the data."""

from __future__ import annotations

import gzip
import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest

from watchfloor.maritime.identity import flag_of
from watchfloor.maritime.links import VesselListIndex, vessel_links
from watchfloor.maritime.ports import load_ports
from watchfloor.maritime.scenario import CSV_COLUMNS, ROUTES, STORY_VESSELS, Scenario, invented_imo
from watchfloor.screen.index import normalise_identifier
from watchfloor.service.lists import demo_lists
from watchfloor.sources.ais.reader import read_ais
from watchfloor.sources.lists.records import IdScheme, ListEntry

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
    shuttle = STORY_VESSELS["dunai_shuttle"]
    rows = [line for line in lines[1:] if f",IMO{shuttle.imo}," in line]
    assert rows and all(line.startswith(f"{shuttle.mmsi},") and f",{shuttle.name}," in line for line in rows)
    story = {v["name"] for v in truth["vessels"] if v["story"]}
    assert {v.name for v in STORY_VESSELS.values()} <= story
    assert "invented" in truth["note"] and "no real ship" in truth["note"]
    assert "SYNTHETIC" in (tmp_path / "SYNTHETIC.md").read_text("utf-8")


def _imo_valid(imo: int) -> bool:
    digits = [int(c) for c in str(imo)]
    return len(digits) == 7 and sum(d * (7 - i) for i, d in enumerate(digits[:6])) % 10 == digits[6]


def test_invented_imo_numbers_carry_a_valid_check_digit() -> None:
    assert all(_imo_valid(invented_imo(n)) for n in (0, 1, 4101, 99_999))
    assert invented_imo(4101) // 10 == 204_101
    with pytest.raises(ValueError, match=r"0\.\.99999"):
        invented_imo(100_000)


@pytest.fixture(scope="module")
def real_entries(shared_data: Path) -> list[ListEntry]:
    """Every entry of the real UN, OFAC and UK lists the demo loads (../shared/data/sanctions)."""
    return [entry for list_file in demo_lists(shared_data) for entry in list_file.read()]


def _key(value: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in value.upper()).split())


def test_no_scenario_identity_is_on_a_real_list(scenario: Scenario, real_entries: list[ListEntry]) -> None:
    """Issue 17: every IMO, MMSI, call sign and name of the simulation is invented, and none belongs to
    an entry of the loaded lists (identifiers, IMO numbers written in remarks, names and aliases)."""
    assert {e.source.value for e in real_entries} == {"un_sc", "us_ofac_sdn", "gb_uk"}
    identifiers: dict[str, set[str]] = {"imo": set(), "mmsi": set(), "call_sign": set()}
    numbers_in_text: set[str] = set()
    names: set[str] = set()
    for entry in real_entries:
        for ident in entry.identifiers:
            if ident.scheme in (IdScheme.IMO, IdScheme.MMSI, IdScheme.CALL_SIGN):
                identifiers[ident.scheme.value].add(normalise_identifier(ident.scheme, ident.value))
        numbers_in_text |= {word for word in _key(entry.remarks or "").split() if word.isdigit()}
        names |= {_key(name.value) for name in entry.names}
    # The lists do hold ships: the check can fail.
    assert normalise_identifier(IdScheme.IMO, "9179842") in identifiers["imo"] and "ANGARA" in names
    assert len(identifiers["imo"]) > 1000 and len(identifiers["mmsi"]) > 100
    index = VesselListIndex.build(real_entries)
    vessels = scenario.vessels
    assert len({v.mmsi for v in vessels}) >= 36 and all(v.imo for v in vessels)
    for vessel in vessels:
        assert vessel.imo is not None and _imo_valid(vessel.imo), vessel
        assert normalise_identifier(IdScheme.IMO, str(vessel.imo)) not in identifiers["imo"], vessel
        assert str(vessel.imo) not in numbers_in_text, vessel
        assert normalise_identifier(IdScheme.MMSI, str(vessel.mmsi)) not in identifiers["mmsi"], vessel
        assert str(vessel.mmsi) not in numbers_in_text, vessel
        assert not flag_of(vessel.mmsi).startswith("mid:"), vessel  # a real MID
        assert normalise_identifier(IdScheme.CALL_SIGN, vessel.call_sign) not in identifiers["call_sign"]
        assert _key(vessel.name) not in names, vessel
        identity = {"imo": {str(vessel.imo)}, "name": {vessel.name}, "call_sign": {vessel.call_sign}}
        assert vessel_links(vessel.mmsi, identity, index) == [], vessel


def test_no_scenario_identity_is_a_ship_of_the_real_ais_files(scenario: Scenario, shared_data: Path) -> None:
    """Nor is any a ship seen in the real AIS recordings of ../shared/data/ais."""
    mmsis: set[int] = set()
    imos: set[int] = set()
    for path in sorted((shared_data / "ais").iterdir()):
        if path.suffix == ".md":
            continue
        for batch in read_ais(path):
            mmsis |= set(batch.positions["mmsi"].to_list()) | set(batch.static["mmsi"].to_list())
            imos |= set(batch.static["imo"].drop_nulls().to_list())
    assert len(mmsis) > 10_000 and len(imos) > 1000
    assert not {v.mmsi for v in scenario.vessels} & mmsis
    assert not {v.imo for v in scenario.vessels} & imos
