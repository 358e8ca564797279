"""One real-world event, however many reports tell it: one rule, blocked clustering."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta

from watchfloor.extract.event_identity import EventKey, cluster_keys, same_event_keys
from watchfloor.extract.events import same_event as extraction_same_event
from watchfloor.extract.ontology import EventType, Plover
from watchfloor.extract.records import DateRange, Event
from watchfloor.graph.event_clusters import cluster_events, same_event


@dataclass(frozen=True)
class E:
    id: str
    type: str
    source_actor: str | None
    target_actor: str | None
    object: str | None
    date_start: date | None
    place: str | None = None
    date_end: date | None = None


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
    assert not same_event(
        E("e6", "arms_transfer", "kp", "ru", "shells", None, "Rajin"),
        E("e7", "arms_transfer", "kp", "ru", "shells", None, "the port of vostochny"),
    )


def test_a_telling_that_leaves_something_out_does_not_contradict() -> None:
    a = E("e1", "arms_transfer", "kp", "ru", "artillery shells", date(2024, 10, 1))
    assert same_event(a, E("e2", "arms_transfer", "kp", None, "shells", None))
    assert same_event(a, E("e3", "arms_transfer", "kp", "ru", None, date(2024, 12, 1), "Rajin"))


def test_clusters_are_named_by_their_first_id() -> None:
    events = [
        E("e3", "arms_transfer", "kp", "ru", "shells", None),
        E("e1", "arms_transfer", "kp", "ru", "artillery shells", None),
        E("e2", "troop_deployment", "kp", "ru", None, None),
    ]
    clusters = cluster_events(events)
    assert [(c.id, c.event_ids) for c in clusters] == [("e1", ("e1", "e3")), ("e2", ("e2",))]


def _candidate(key: EventKey) -> Event:
    return Event(
        id=key.id,
        type=EventType(key.type),
        plover=Plover.COOPERATE,
        source_actors=sorted(key.source_actors),
        target_actors=sorted(key.target_actors),
        object=" ".join(sorted(key.words)) or None,
        place=" ".join(sorted(key.places)) or None,
        date=DateRange(key.start, key.end, "", "text") if key.start or key.end else None,
        trigger="",
        spans=[],
        claims=[],
    )


def _random_keys(rng: random.Random, n: int) -> list[EventKey]:
    words = ["shell", "rocket", "container", "fuel", "oil", "missile", "worker"]
    out = []
    for i in range(n):
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 600)) if rng.random() < 0.85 else None
        end = start + timedelta(days=rng.choice([0, 0, 10, 200])) if start and rng.random() < 0.9 else None
        out.append(
            EventKey.of(
                f"e{i:04d}",
                rng.choice(["arms_transfer", "technology_transfer"]),
                rng.sample(["kp", "ru", "cn"], rng.choice([1, 1, 2])),
                rng.sample(["kp", "ru", "ua"], rng.choice([0, 1, 1, 2])),
                " ".join(rng.sample(words, rng.choice([0, 1, 1, 2]))) or None,
                rng.choice([None, None, "rajin", "vostochny port"]),
                start,
                end,
            )
        )
    return out


def _naive_clusters(keys: list[EventKey]) -> list[tuple[str, tuple[str, ...]]]:
    parent = {k.id: k.id for k in keys}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if same_event_keys(a, b):
                ra, rb = sorted((find(a.id), find(b.id)))
                parent[rb] = ra
    groups: dict[str, list[str]] = {}
    for key in sorted(keys, key=lambda k: k.id):
        groups.setdefault(find(key.id), []).append(key.id)
    return sorted((root, tuple(ids)) for root, ids in groups.items())


def test_blocked_clustering_gives_the_components_of_pairwise_single_link() -> None:
    rng = random.Random(7)
    for _ in range(30):
        keys = _random_keys(rng, rng.randrange(2, 60))
        assert cluster_keys(keys) == _naive_clusters(keys)


def test_extraction_and_graph_apply_one_rule() -> None:
    rng = random.Random(3)
    keys = _random_keys(rng, 80)
    for a, b in itertools.pairwise(keys):
        as_rows = [
            E(k.id, k.type, ",".join(sorted(k.source_actors)), ",".join(sorted(k.target_actors)) or None,
              " ".join(sorted(k.words)) or None, k.start, " ".join(sorted(k.places)) or None, k.end)
            for k in (a, b)
        ]  # fmt: skip
        expected = same_event_keys(a, b)
        assert extraction_same_event(_candidate(a), _candidate(b)) == expected
        # a stored row with only an end date is read as a point date; compare dated rows only
        if all(k.start and k.end for k in (a, b)):
            assert same_event(*as_rows) == expected
