"""The watched-ports vocabulary: shipped defaults, replacement file, validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.errors import ConfigError
from watchfloor.maritime.config import load_detection_config
from watchfloor.maritime.ports import load_ports


def test_default_ports_are_the_nine_watched_ones_with_provenance() -> None:
    table = load_ports(None)
    assert [p.id for p in table.ports] == [
        "rajin", "chongjin", "nampo", "vostochny", "dunai", "vladivostok", "nakhodka", "slavyanka", "posyet",
    ]  # fmt: skip
    assert all(p.source and 38 < p.lat < 44 and 125 < p.lon < 134 for p in table.ports)


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
