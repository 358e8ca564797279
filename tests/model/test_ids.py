"""Stable ids: the same statement from the same place always gets the same id."""

from __future__ import annotations

from datetime import date

from watchfloor.model.ids import content_hash, stable_id


def test_same_parts_same_id_and_set_order_does_not_matter() -> None:
    first = stable_id("evt", "report.txt", {"b": 2, "a": date(2024, 10, 1)}, {"x", "y"})
    again = stable_id("evt", "report.txt", {"a": date(2024, 10, 1), "b": 2}, {"y", "x"})
    assert first == again
    assert first.startswith("evt-") and len(first) == 4 + 24
    assert stable_id("evt", "other.txt", {"b": 2, "a": date(2024, 10, 1)}, {"x", "y"}) != first


def test_content_hash_is_sha256_of_the_bytes() -> None:
    assert content_hash("abc") == content_hash(b"abc")
    assert content_hash(b"abc").startswith("ba7816bf")
