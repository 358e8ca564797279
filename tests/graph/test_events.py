"""One real-world event, however many reports tell it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from watchfloor.graph.events import cluster_events, same_event


@dataclass(frozen=True)
class E:
    id: str
    type: str
    source_actor: str | None
    target_actor: str | None
    object: str | None
    date_start: date | None


def test_same_shipments_told_twice_are_one_event() -> None:
    a = E("e1", "arms_transfer", "kp", "ru", "artillery shells", date(2024, 10, 1))
    b = E("e2", "arms_transfer", "North Korea", "Moscow", "millions of artillery shells", date(2024, 11, 1))
    assert same_event(a, b)


def test_different_things_or_times_or_actors_are_not() -> None:
    a = E("e1", "arms_transfer", "kp", "ru", "artillery shells", date(2024, 10, 1))
    assert not same_event(a, E("e2", "arms_transfer", "kp", "ru", "fuel oil", date(2024, 10, 1)))
    assert not same_event(a, E("e3", "arms_transfer", "kp", "ru", "artillery shells", date(2023, 1, 1)))
    assert not same_event(a, E("e4", "arms_transfer", "ru", "kp", "artillery shells", date(2024, 10, 1)))
    assert not same_event(
        a, E("e5", "technology_transfer", "kp", "ru", "artillery shells", date(2024, 10, 1))
    )


def test_clusters_are_named_by_their_first_id() -> None:
    events = [
        E("e3", "arms_transfer", "kp", "ru", "shells", None),
        E("e1", "arms_transfer", "kp", "ru", "artillery shells", None),
        E("e2", "troop_deployment", "kp", "ru", None, None),
    ]
    clusters = cluster_events(events)
    assert [(c.id, c.event_ids) for c in clusters] == [("e1", ("e1", "e3")), ("e2", ("e2",))]
