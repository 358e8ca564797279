"""Vocabularies: the shipped YAML, or the user's replacement, with errors that name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.errors import ConfigError
from watchfloor.vocabulary import read_vocabulary


def test_the_shipped_file_is_read_with_its_origin() -> None:
    data, origin = read_vocabulary("watchfloor.maritime", "ports.yaml")
    assert origin == "watchfloor/maritime/ports.yaml"
    assert {port["id"] for port in data["ports"]} >= {"rajin", "dunai", "vostochny"}


def test_a_replacement_file_wins(tmp_path: Path) -> None:
    own = tmp_path / "ports.yaml"
    own.write_text("version: mine\nports: []\n", encoding="utf-8")
    assert read_vocabulary("watchfloor.maritime", "ports.yaml", own) == (
        {"version": "mine", "ports": []},
        str(own),
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"ports: [unclosed", "invalid YAML"), (b"\xff\xfe binary", "not UTF-8")],
)
def test_bad_files_name_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(content)
    with pytest.raises(ConfigError, match=message) as caught:
        read_vocabulary("watchfloor.maritime", "ports.yaml", bad)
    assert str(bad) in str(caught.value)


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        read_vocabulary("watchfloor.assess", "policy.yaml", tmp_path / "missing.yaml")
