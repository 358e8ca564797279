"""Alert subscriptions: who is told of which alerts, and how (webhook or e-mail).

Read from the YAML file in ``Settings.watch_subscriptions_file``, a list of items such as::

    - name: sanctions-desk            # unique; part of every delivery's idempotency key
      webhook: https://desk.example/hooks/watchfloor
      secret_env: DESK_HOOK_SECRET    # HMAC key from the environment (or ``secret:`` inline)
      kinds: [new_stage, listed_vessel_port_call]
    - name: duty-officer
      email: [duty@example.org]
      vessels: ["9811000", "273456789"]   # IMO or MMSI
      tlp: green                      # the most restricted marking this recipient may receive

A filter left out matches everything; filters of different kinds must all hold (kinds,
indicators, vessels, entities); within one, any value does. An alert marked TLP:RED is never
sent, and none above the subscription's ``tlp`` (default amber).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from watchfloor.assess.alerts import AlertView
from watchfloor.errors import ConfigError, InputError
from watchfloor.share.tlp import Tlp, exportable, parse_tlp

FILTERS = ("kinds", "indicators", "vessels", "entities")


@dataclass(frozen=True)
class Subscription:
    """One recipient of alerts and the alerts it wants."""

    name: str
    channel: str  # "webhook" or "email"
    target: str  # the URL, or the addresses joined by ", "
    secret: str | None = None
    kinds: frozenset[str] = frozenset()
    indicators: frozenset[str] = frozenset()
    vessels: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    tlp: Tlp = Tlp.AMBER

    @property
    def recipients(self) -> list[str]:
        return [part.strip() for part in self.target.split(",") if part.strip()]

    def wants(self, alert: AlertView, marking: str) -> bool:
        """Whether ``alert`` (marked ``marking``) goes to this subscription."""
        if not exportable(marking, self.tlp):
            return False
        if self.kinds and alert.kind not in self.kinds:
            return False
        data = alert.data
        if self.indicators and str(data.get("indicator", "")) not in self.indicators:
            return False
        if self.vessels:
            vessel_ids = {str(data[k]) for k in ("mmsi", "imo") if data.get(k) is not None}
            if not vessel_ids & self.vessels:
                return False
        if self.entities:
            keys = {str(k) for k in data.get("list_entries", []) or []}
            keys |= {p.list_entry_key for p in alert.evidence if p.list_entry_key}
            if not keys & self.entities:
                return False
        return True


def _strings(value: Any, where: str, path: Path) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str | int):
        return frozenset({str(value)})
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return frozenset(str(v) for v in value)
    raise ConfigError(f"{where}: expected a list of strings", path)


def parse_subscription(item: Any, number: int, path: Path) -> Subscription:
    """One YAML item as a subscription; a clear error naming the item when it is wrong."""
    where = f"item {number}"
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: expected a mapping", path)
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: 'name' is required", path)
    where = f"item {number} ({name})"
    unknown = set(item) - {"name", "webhook", "email", "secret", "secret_env", "tlp", *FILTERS}
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}", path)
    if ("webhook" in item) == ("email" in item):
        raise ConfigError(f"{where}: give exactly one of 'webhook' or 'email'", path)
    secret = item.get("secret")
    if item.get("secret_env"):
        secret = os.environ.get(str(item["secret_env"]))
        if not secret:
            raise ConfigError(f"{where}: environment variable {item['secret_env']} is not set", path)
    if "webhook" in item:
        url = item["webhook"]
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ConfigError(f"{where}: 'webhook' must be an http(s) URL", path)
        channel, target = "webhook", url
    else:
        addresses = sorted(_strings(item["email"], where, path))
        if not addresses or not all("@" in a for a in addresses):
            raise ConfigError(f"{where}: 'email' must list addresses", path)
        channel, target = "email", ", ".join(addresses)
    try:
        tlp = parse_tlp(str(item.get("tlp", "amber")), f"{path}, {where}, tlp")
    except InputError as exc:
        raise ConfigError(str(exc)) from exc
    return Subscription(
        name=name.strip(),
        channel=channel,
        target=target,
        secret=str(secret) if secret else None,
        tlp=tlp,
        **{key: _strings(item.get(key), f"{where}, {key}", path) for key in FILTERS},
    )


def load_subscriptions(path: Path | None) -> list[Subscription]:
    """The subscriptions in the YAML file at ``path`` (none when no file is configured)."""
    if path is None:
        return []
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", path) from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError("expected a list of subscriptions", path)
    found = [parse_subscription(item, number, Path(path)) for number, item in enumerate(data, 1)]
    names = [s.name for s in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"subscription names must be unique: {duplicates}", path)
    return found
