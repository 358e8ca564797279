"""Ground truth of a simulated scenario, and how detected events are scored against it.

Each truth entry is a planted event (``kind``, ``mmsi``, ``start``, ``end`` and what identifies
it); ``implied`` entries are events the planted behaviour necessarily produces, matched but not
counted as expected. Recall is over the expected entries; a false event matches no entry at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


def truth_entry(kind: str, mmsi: int, t0: datetime, t1: datetime, **extra: Any) -> dict[str, Any]:
    """One planted event: its kind, vessel, span and whatever else identifies it."""
    return {"kind": kind, "mmsi": mmsi, "start": t0.isoformat(), "end": t1.isoformat(), **extra}


@dataclass
class TruthScore:
    """How detected events compare with a scenario's ground truth."""

    expected: int
    found: int
    missed: list[dict[str, Any]]
    false_events: list[dict[str, Any]]
    detected: int

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def false_rate(self) -> float:
        return len(self.false_events) / self.detected if self.detected else 0.0


def _matches(event: dict[str, Any], truth: dict[str, Any], slack: timedelta) -> bool:
    if event["kind"] != truth["kind"]:
        return False
    e0, e1 = datetime.fromisoformat(event["start"]), datetime.fromisoformat(event["end"])
    t0, t1 = datetime.fromisoformat(truth["start"]), datetime.fromisoformat(truth["end"])
    if e1 < t0 - slack or e0 > t1 + slack:
        return False
    if truth["kind"] == "identity":
        mmsis = {event["mmsi"], event.get("other_mmsi"), *event["details"].get("mmsis", [])}
        return bool(event["details"].get("change") == truth["change"] and truth["mmsi"] in mmsis)
    ev = {event["mmsi"], event.get("other_mmsi")} - {None}
    tr = {truth["mmsi"], truth.get("other_mmsi")} - {None}
    if ev != tr:
        return False
    return bool(truth["kind"] != "port_visit" or event["details"].get("port") == truth.get("port"))


def score(events: list[dict[str, Any]], truth: list[dict[str, Any]], slack_hours: float = 1.0) -> TruthScore:
    """Recall over the expected truth entries; false events are those matching no truth entry."""
    slack = timedelta(hours=slack_hours)
    expected = [t for t in truth if t.get("expected", True)]
    missed = [t for t in expected if not any(_matches(e, t, slack) for e in events)]
    false = [e for e in events if not any(_matches(e, t, slack) for t in truth)]
    return TruthScore(len(expected), len(expected) - len(missed), missed, false, len(events))
