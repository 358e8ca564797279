"""Settings: defaults without configuration, then TOML, then WATCHFLOOR_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.errors import ConfigError
from watchfloor.settings import load_settings


def test_defaults_need_no_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WATCHFLOOR_DATABASE_URL", raising=False)
    monkeypatch.delenv("WATCHFLOOR_CONFIG", raising=False)
    settings = load_settings()
    assert settings.database_url == "sqlite:///watchfloor.db"
    assert settings.http_timeout_s > 0


def test_toml_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WATCHFLOOR_DATABASE_URL", raising=False)
    (tmp_path / "watchfloor.toml").write_text(
        '[watchfloor]\ndatabase_url = "sqlite:///team.db"\nhttp_timeout_s = 5\n'
    )
    assert load_settings().database_url == "sqlite:///team.db"
    assert load_settings().http_timeout_s == 5
    monkeypatch.setenv("WATCHFLOOR_DATABASE_URL", "postgresql+psycopg://db.example/watch")
    assert load_settings().database_url == "postgresql+psycopg://db.example/watch"


def test_bad_toml_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("database_url = [unclosed")
    monkeypatch.setenv("WATCHFLOOR_CONFIG", str(bad))
    with pytest.raises(ConfigError, match=r"bad\.toml"):
        load_settings()


def test_a_wrong_value_is_a_config_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WATCHFLOOR_HTTP_TIMEOUT_S", "soon")
    with pytest.raises(ConfigError, match="http_timeout_s"):
        load_settings()
