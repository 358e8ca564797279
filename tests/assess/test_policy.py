"""The shipped policy loads and is consistent; a bad policy is refused naming the item."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from watchfloor.assess.policy import Status, default_policy_path, load_policy, read_policy
from watchfloor.errors import ConfigError
from watchfloor.settings import get_settings


def test_default_policy_has_the_indicators_and_a_rising_ladder() -> None:
    policy = load_policy()
    ids = {i.id for i in policy.indicators}
    assert {
        "munitions_kp_to_ru",
        "troops_kp_in_ru",
        "troops_kp_in_combat",
        "tech_ru_to_kp",
        "listed_vessel_port_call",
        "dark_sts_meeting",
        "sanctions_evasion_finance_labour",
    } <= ids
    levels = [s.level for s in policy.stages]
    assert levels == sorted(levels) and levels[0] == 0
    assert policy.algorithm == "watchfloor-stage-v1"
    # Every stage above the floor names countermeasure options and triggers.
    for stage in policy.stages[1:]:
        assert stage.options and stage.triggers


def _write(tmp_path: Path, mutate: object) -> Path:
    data = yaml.safe_load(default_policy_path().read_text(encoding="utf-8"))
    assert callable(mutate)
    mutate(data)
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_unknown_indicator_in_a_stage_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path, lambda d: d["stages"][1]["triggers"].append({"indicator": "nope", "min_status": "reported"})
    )
    with pytest.raises(ConfigError, match="unknown indicator 'nope'") as info:
        read_policy(path)
    assert str(path) in str(info.value)


def test_bad_status_names_the_item(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda d: d["stages"][2]["triggers"][0].update(min_status="probable"))
    with pytest.raises(ConfigError, match=r"stages\.2\.triggers\.0\.min_status"):
        read_policy(path)


def test_policy_file_setting_replaces_the_shipped_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stricter(data: dict) -> None:  # type: ignore[type-arg]
        data["version"] = "strict-test"
        data["status"]["corroborated"]["min_independent_sources"] = 3

    path = _write(tmp_path, stricter)
    monkeypatch.setenv("WATCHFLOOR_POLICY_FILE", str(path))
    get_settings.cache_clear()
    try:
        policy = load_policy()
    finally:
        get_settings.cache_clear()
    assert policy.version == "strict-test"
    assert policy.status.corroborated.min_independent_sources == 3


def test_status_order() -> None:
    ranks = [
        s.rank
        for s in (
            Status.NOT_OBSERVED,
            Status.SPECULATIVE,
            Status.REPORTED,
            Status.CORROBORATED,
            Status.CONFIRMED,
        )
    ]
    assert ranks == sorted(ranks)
