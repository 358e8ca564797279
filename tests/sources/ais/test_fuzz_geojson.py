"""Fuzzing the GeoJSON AIS reader from the real DMA close-approach file (UTM zone 32N points).

Two kinds of damage: the file's bytes mutated (``tests/fuzzing.py``), and its structure — the
collection's ``crs``, a feature's properties or geometry replaced by any JSON value. The
invariant is the AIS readers' (``test_fuzz.checked_batches``): batches in the shared schemas with
only physically possible positions, or a ``WatchfloorError`` naming the file; never a hang.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SHARED_DATA
from tests.fuzzing import check_reader, fuzz_settings, mutate, mutations
from tests.sources.ais.test_fuzz import checked_batches
from watchfloor.sources.ais.batch import AisBatch

REAL = SHARED_DATA / "ais" / "dma_close_approach_2017-07-05_utm32n.geojson"
_SEED: list[dict[str, Any]] = []


def seed() -> dict[str, Any]:
    """The real collection cut to its first 12 features (a small seed keeps each example fast)."""
    if not _SEED:
        collection = json.loads(REAL.read_bytes())
        collection["features"] = collection["features"][:12]
        _SEED.append(collection)
    return json.loads(json.dumps(_SEED[0]))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(
        ["Point", "LineString", "urn:ogc:def:crs:EPSG::32601", "EPSG:4326", "05/07/2017 19:00:01"]
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
FIELDS = ["Timestamp", "MMSI", "SOG", "COG", "Name", "ShipType", "NavStatus", "t"]


def read_checked(path: Path) -> list[AisBatch]:
    """The AIS readers' checks; here ``src_line`` is the feature's number, so it is checked against
    the number of features (the file's line count says nothing for GeoJSON)."""
    try:
        features = json.loads(path.read_bytes()).get("features")
        count = len(features) if isinstance(features, list) else None
    except (ValueError, AttributeError, RecursionError):
        count = None
    batches = []
    for batch in checked_batches(path, 1 << 20, lines=count or 1 << 30):
        batches.append(batch)
    return batches


def test_the_seed_reads_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "seed.geojson"
    path.write_text(json.dumps(seed()))
    batches = read_checked(path)
    assert sum(b.positions.height for b in batches) == 12


@fuzz_settings
@given(steps=mutations, suffixed=st.booleans())
def test_mutated_geojson_bytes(steps: list, suffixed: bool) -> None:  # type: ignore[type-arg]
    data = mutate(json.dumps(seed(), indent=1).encode(), steps)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("ais.geojson" if suffixed else "ais.json")
        path.write_bytes(data)
        check_reader(path, read_checked, AisBatch)


@fuzz_settings
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["property", "geometry", "coordinates", "feature", "crs", "features"]),
            st.integers(0, 11),
            st.sampled_from(FIELDS),
            json_values,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_geojson_of_the_wrong_shape(edits: list[tuple[str, int, str, Any]]) -> None:
    collection = seed()
    for kind, index, field, value in edits:
        features = collection.get("features")
        feature = features[index % len(features)] if isinstance(features, list) and features else None
        if kind == "crs":
            collection["crs"] = value
        elif kind == "features":
            collection["features"] = value
        elif isinstance(feature, dict):
            if kind == "property" and isinstance(feature.get("properties"), dict):
                feature["properties"][field] = value
            elif kind == "geometry":
                feature["geometry"] = value
            elif kind == "coordinates" and isinstance(feature.get("geometry"), dict):
                feature["geometry"]["coordinates"] = value
            elif kind == "feature" and isinstance(features, list):
                features[index % len(features)] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ais.geojson"
        path.write_text(json.dumps(collection))
        check_reader(path, read_checked, AisBatch)


# -- bugs the fuzzing found, each with its regression test -----------------------------------------


def test_a_point_with_one_good_and_one_bad_coordinate_is_a_bad_value(tmp_path: Path) -> None:
    """``[false, null]``: the first coordinate converted, the second did not, and the feature added
    two x values and one y value; the UTM conversion then failed with numpy's ValueError."""
    collection = seed()
    collection["features"][0]["geometry"]["coordinates"] = [False, None]
    path = tmp_path / "ais.geojson"
    path.write_text(json.dumps(collection))
    batches = read_checked(path)
    assert sum(b.positions.height for b in batches) == 11


def test_deeply_nested_json_names_the_file(tmp_path: Path) -> None:
    """A run of 4,000 ``[`` escaped as RecursionError from the JSON decoder."""
    from watchfloor.errors import InputError

    path = tmp_path / "ais.geojson"
    path.write_bytes(b'{"type": "FeatureCollection", "features": ' + b"[" * 4000)
    with pytest.raises(InputError, match="nested too deeply") as caught:
        read_checked(path)
    assert path.name in str(caught.value)
