"""Subscriptions read from YAML: filters, secrets from the environment, errors naming the item."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from watchfloor.assess.alerts import AlertView, EvidencePointer
from watchfloor.errors import ConfigError
from watchfloor.share.tlp import Tlp
from watchfloor.watch.subscriptions import load_subscriptions


def _alert(kind: str, **data: object) -> AlertView:
    evidence = [EvidencePointer("list_entry", list_entry_key="un:KPi.071")]
    return AlertView("a1", kind, "t", "warning", date(2024, 10, 29), datetime.now(UTC), dict(data), evidence)


def test_a_file_of_subscriptions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESK_SECRET", "from-the-environment")
    path = tmp_path / "subs.yaml"
    path.write_text(
        "- name: desk\n  webhook: https://desk.example/hook\n  secret_env: DESK_SECRET\n"
        "  kinds: [listed_vessel_port_call]\n  vessels: [273610310]\n"
        "- name: duty\n  email: [b@example.org, a@example.org]\n  tlp: green\n  entities: un:KPi.071\n"
    )
    desk, duty = load_subscriptions(path)
    assert desk.secret == "from-the-environment" and desk.vessels == {"273610310"}
    assert duty.target == "a@example.org, b@example.org" and duty.tlp is Tlp.GREEN
    port_call = _alert("listed_vessel_port_call", mmsi=273610310)
    assert desk.wants(port_call, "amber")
    assert not desk.wants(_alert("listed_vessel_port_call", mmsi=1), "amber")
    assert not desk.wants(_alert("new_stage", mmsi=273610310), "amber")
    assert not desk.wants(port_call, "red")
    assert duty.wants(port_call, "green") and not duty.wants(port_call, "amber")
    assert load_subscriptions(None) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x", "expected a list"),
        ("- webhook: https://x\n", "item 1: 'name' is required"),
        ("- name: a\n  webhook: https://x\n  email: a@x\n", "item 1 (a): give exactly one"),
        ("- name: a\n  email: nobody\n", "item 1 (a): 'email' must list addresses"),
        ("- name: a\n  webhook: https://x\n  colour: red\n", "unknown keys ['colour']"),
        ("- name: a\n  webhook: https://x\n  secret_env: WF_UNSET_VAR\n", "WF_UNSET_VAR is not set"),
        ("- name: a\n  webhook: https://x\n  kinds: {a: 1}\n", "item 1 (a), kinds: expected a list"),
        ("- name: a\n  webhook: https://x\n  tlp: pink\n", "unknown TLP level 'pink'"),
        ("- name: a\n  webhook: https://x\n- name: a\n  webhook: https://y\n", "must be unique"),
        ("- [unclosed\n", "invalid YAML"),
    ],
)
def test_mistakes_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "subs.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=str(path)) as caught:
        load_subscriptions(path)
    assert message in str(caught.value)
