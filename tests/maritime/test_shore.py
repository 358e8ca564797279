"""Distance from shore on the shipped 0.05-degree land grid, against an independent 0.01-degree
mask of the Sea of Japan sampled directly from the 1 km GLOBE mask (tests/maritime/fixtures)."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from watchfloor.maritime.shore import KM_PER_NM, far_from_shore

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def fine_land() -> np.ndarray:
    with gzip.open(FIXTURES / "sea_of_japan_land_0.01deg.npy.gz", "rb") as handle:
        packed = np.load(handle)
    return np.unpackbits(packed)[: 1200 * 1800].reshape(1200, 1800).astype(bool)


def _true_distance_km(land: np.ndarray, lat: float, lon: float) -> float:
    """Distance to the nearest land cell centre of the 0.01-degree mask (brute force, 1 deg window)."""
    r0, c0 = int((lat - 34.0) / 0.01), int((lon - 124.0) / 0.01)
    rows = slice(max(0, r0 - 100), min(1200, r0 + 100))
    cols = slice(max(0, c0 - 140), min(1800, c0 + 140))
    ys, xs = np.nonzero(land[rows, cols])
    if ys.size == 0:
        return float("inf")
    cell_lat = 34.0 + (ys + rows.start) * 0.01 + 0.005
    cell_lon = 124.0 + (xs + cols.start) * 0.01 + 0.005
    dy = (cell_lat - lat) * 111.195
    dx = (cell_lon - lon) * 111.195 * np.cos(np.radians(lat))
    return float(np.hypot(dx, dy).min())


def test_far_from_shore_agrees_with_the_fine_mask(fine_land: np.ndarray) -> None:
    rng = np.random.default_rng(7)
    lat = rng.uniform(35.0, 45.0, 1500)
    lon = rng.uniform(125.5, 140.5, 1500)
    sea = ~fine_land[((lat - 34.0) / 0.01).astype(int), ((lon - 124.0) / 0.01).astype(int)]
    lat, lon = lat[sea][:400], lon[sea][:400]
    limit = 20 * KM_PER_NM
    truth = np.array([_true_distance_km(fine_land, a, o) for a, o in zip(lat, lon, strict=True)])
    far = far_from_shore(lat, lon, 20)
    # never "far" with land inside the limit (0.8 km: half a fine cell's diagonal, for sampling)
    assert (truth[far] >= limit - 0.8).all()
    # and "far" whenever land is further than the limit plus one coarse cell (5.6 km at 35 N), but
    # for single 1 km land pixels (islets, rocks: one at 41.0 N 139.0 E) that the fixture, sampling
    # one point per 0.01-degree cell, misses and the grid (every 1 km cell) keeps: <= 1 %
    clear = truth >= limit + 6.5
    assert (~far[clear]).sum() <= 0.01 * clear.sum()
    assert 20 < far.sum() < len(far) - 20  # both answers occur in the sample


def test_known_places() -> None:
    # mid Sea of Japan; Bergen quay (Vestland file); Kattegat between Denmark and Sweden; mid Pacific
    assert far_from_shore([42.0, 60.40, 57.0, 0.0], [135.0, 5.31, 11.5, -150.0], 20).tolist() == [
        True, False, False, True,
    ]  # fmt: skip
    assert not far_from_shore([0.0], [-150.0], 400)[0]  # Kiribati's Line Islands are within 400 nm


def test_on_land_only_well_inside_land(fine_land: np.ndarray) -> None:
    from watchfloor.maritime.shore import on_land

    rng = np.random.default_rng(11)
    lat = rng.uniform(35.0, 45.0, 4000)
    lon = rng.uniform(125.5, 140.5, 4000)
    land = fine_land[((lat - 34.0) / 0.01).astype(int), ((lon - 124.0) / 0.01).astype(int)]
    flagged = on_land(lat, lon)
    assert not flagged[~land].any()  # no sea point of the independent mask is "on land"
    # a land point 10 km or more from every sea cell is on land (the margin is at most ~5.5 km)
    inland = [
        i
        for i in np.nonzero(land)[0][:300]
        if _true_distance_km(~fine_land, float(lat[i]), float(lon[i])) >= 10.0
    ]
    assert len(inland) > 50 and flagged[inland].all()
    # Bergen quay and the Solent berths (moored ships in the real files) are not
    assert not on_land([60.3975, 50.8965], [5.3160, -1.3960]).any()
