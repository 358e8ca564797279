"""The watched-ports vocabulary: shipped defaults, replacement file, validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.errors import ConfigError
from watchfloor.maritime.config import load_detection_config
from watchfloor.maritime.ports import load_ports


def test_default_ports_are_the_watched_ones_with_provenance() -> None:
    table = load_ports(None)
    assert [p.id for p in table.ports] == [
        "rajin", "chongjin", "nampo", "songrim", "vostochny", "dunai", "vladivostok", "nakhodka",
        "slavyanka", "posyet", "korsakov", "kholmsk",
    ]  # fmt: skip
    assert all(p.source and 38 < p.lat < 48 and 125 < p.lon < 143 for p in table.ports)
    assert all(p.source_url and p.source_url.startswith("http") for p in table.ports)
    unverified = {p.id for p in table.ports if not p.verified}
    assert unverified == {"rajin", "vladivostok"}
    assert all("NOT VERIFIED" in p.source for p in table.ports if not p.verified)


def _first_coordinate(text: str) -> tuple[float, float]:
    """The first coordinate pair a source note quotes: ``D M'S"N D M'S"E`` or decimal ``41.78, 129.82``."""
    import re

    dms = re.search(r"(\d{2,3}) (\d{1,2})'(?:(\d{1,2})\")?N (\d{2,3}) (\d{1,2})'(?:(\d{1,2})\")?E", text)
    decimal = re.search(r"(\d{2}\.\d{3,}),? N? ?(\d{3}\.\d{3,})", text)
    if decimal is not None and (dms is None or decimal.start() < dms.start()):
        return float(decimal.group(1)), float(decimal.group(2))
    assert dms is not None, text
    d1, m1, s1, d2, m2, s2 = dms.groups()
    return int(d1) + int(m1) / 60 + int(s1 or 0) / 3600, int(d2) + int(m2) / 60 + int(s2 or 0) / 3600


def test_verified_ports_sit_on_the_coordinate_their_source_gives() -> None:
    """The centre of each verified port is within ~1.5 km of the first coordinate its note quotes,
    so the YAML and its provenance cannot drift apart."""
    import math

    for port in load_ports(None).ports:
        if not port.verified:
            continue
        lat, lon = _first_coordinate(port.source)
        dy = (port.lat - lat) * 111.2
        dx = (port.lon - lon) * 111.2 * math.cos(math.radians(lat))
        assert math.hypot(dx, dy) < 1.5, port.id


def test_a_ports_file_replaces_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "ports.yaml"
    path.write_text(
        "version: mine\nports:\n  - {id: busan, name: Busan, country: kr, lat: 35.1, lon: 129.04, "
        "radius_km: 6, source: test}\n",
        "utf-8",
    )
    assert [p.id for p in load_ports(path).ports] == ["busan"]


def test_bad_ports_and_thresholds_files_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: x\nports:\n"
        "  - {id: Bad Id, name: x, country: x, lat: 99, lon: 0, radius_km: 1, source: s}\n"
    )
    with pytest.raises(ConfigError, match=r"bad\.yaml"):
        load_ports(bad)
    cfg = tmp_path / "detection.yaml"
    cfg.write_text("version: x\nwindow_hours: 7\n")
    with pytest.raises(ConfigError, match=r"detection\.yaml"):
        load_detection_config(cfg)
