"""Fuzzing the STIX 2.1 import from a real bundle: the demo assessment as a partner would send it.

Two kinds of damage: the bundle's bytes mutated (``tests/fuzzing.py``), and its structure — a field
of a real object replaced by any JSON value, deleted, or the object swapped for another value.
The invariant: ``import_bundle`` returns an ``ImportResult`` whose counts add up to the objects
and whose every error names the file and the object — or refuses the whole bundle with a
``WatchfloorError`` naming the file; never another exception, never a hang. Each example runs in
a transaction that is rolled back, so all examples start from the same store.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import PER_INPUT_SECONDS, fuzz_settings, mutate, mutations
from watchfloor.errors import WatchfloorError
from watchfloor.share.stix_export import export_stix
from watchfloor.share.stix_import import ImportResult, import_bundle, read_bundle_file
from watchfloor.store import Store, open_store

pytestmark = pytest.mark.slow

KEPT = 24
"""Objects of the demo bundle kept in the seed besides its markings and identities (small: fast)."""


@pytest.fixture(scope="module")
def seed(demo_store: Store) -> dict[str, Any]:
    """The demo assessment exported at AMBER, cut to its markings, identities and 24 other objects."""
    with demo_store.session() as session:
        bundle, _ = export_stix(session, "amber")
    context = [o for o in bundle["objects"] if o["type"] in ("marking-definition", "identity")]
    others = [o for o in bundle["objects"] if o["type"] not in ("marking-definition", "identity")]
    kept = random.Random(16).sample(others, min(KEPT, len(others)))
    return {**bundle, "objects": context + kept}


@pytest.fixture(scope="module")
def partner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('partner') / 'partner.db'}")
    yield store
    store.close()


class _RollBack(Exception):
    """Ends an example's transaction so that the next one starts from the same store."""


def check_import(store: Store, data: bytes) -> ImportResult | None:
    """Import ``data`` as a file and check the invariant; the result, or None when refused whole."""
    result: ImportResult | None = None
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "partner-bundle.json"
        path.write_bytes(data)
        try:
            with store.session() as session:
                result = import_bundle(session, read_bundle_file(path), str(path))
                raise _RollBack
        except _RollBack:
            pass
        except WatchfloorError as error:
            assert path.name in str(error), f"error does not name the file: {error}"
    assert time.monotonic() - started < PER_INPUT_SECONDS, "import took too long"
    if result is not None:
        objects = result.objects
        counted = result.imported + result.replaced + result.unchanged + result.older + result.context
        assert counted + result.rejected == objects, "the counts do not add up to the objects"
        assert result.rejected == len(result.errors)
        assert all("partner-bundle.json, object " in e for e in result.errors), result.errors[:3]
    return result


def test_the_seed_imports(seed: dict[str, Any], partner: Store) -> None:
    result = check_import(partner, json.dumps(seed).encode())
    assert result is not None and result.imported > 0 and result.rejected == 0, result


@fuzz_settings
@given(steps=mutations)
def test_mutated_bundle_bytes(seed: dict[str, Any], partner: Store, steps: list) -> None:  # type: ignore[type-arg]
    check_import(partner, mutate(json.dumps(seed, indent=1).encode(), steps))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(
        [
            "",
            "2024-10-29T00:00:00Z",
            "2024-13-45T99:00:00Z",
            "note--00000000-0000-4000-8000-000000000000",
            "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
            "bundle--x",
            "\x1b[2J",
        ]
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)


@fuzz_settings
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["replace", "delete", "swap"]),
            st.integers(0, 1000),
            st.integers(0, 50),
            json_values,
        ),
        min_size=1,
        max_size=5,
    )
)
def test_bundle_objects_of_the_wrong_shape(
    seed: dict[str, Any], partner: Store, edits: list[tuple[str, int, int, Any]]
) -> None:
    bundle = json.loads(json.dumps(seed))
    objects = bundle["objects"]
    for kind, which, field, value in edits:
        index = which % len(objects)
        obj = objects[index]
        if kind == "swap" or not isinstance(obj, dict) or not obj:
            objects[index] = value
            continue
        name = sorted(obj)[field % len(obj)]
        if kind == "replace":
            obj[name] = value
        else:
            del obj[name]
    check_import(partner, json.dumps(bundle).encode())
