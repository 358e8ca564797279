"""Land and distance from shore, from a 0.05-degree land grid shipped with the package.

Global Fishing Watch's definitions measure distance from shore: loitering at least 20 nm out,
suspected AIS disabling beginning at least 50 nm out. ``land_0.05deg.npz`` (provenance in
``maritime/PROVENANCE.md``) holds two bit grids of 3600 x 7200 cells made from the 1 km GLOBE land
mask of ``global-land-mask`` 1.0.0: ``any_land`` (some 1 km land cell in the 0.05-degree cell) and
``all_land`` (every one). Nothing is downloaded, and the grid costs 6 MB of memory, where the
1 km mask itself takes 1 GB and 25 s to load.

* :func:`far_from_shore`: no ``any_land`` cell within the distance, tested on a hexagonal grid of
  points 2.5 km apart inside the disc (finer than a cell, so no cell in the disc is skipped). The
  coastline is thereby pushed out by up to one cell (~5.5 km): a point is called "far" only when it
  is far by a margin.
* :func:`on_land`: the point's ``all_land`` cell and its 8 neighbours are all land, so the point
  lies at least one whole cell (2.8-5.5 km) inside land. Harbours and rivers under 1 km wide are
  land in the 1 km mask (the Gothenburg ferry berth reads as land), so a test on the single 1 km
  cell would call moored ships spoofers; the margin keeps every waterfront out of it.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt

KM_PER_NM = 1.852
KM_PER_DEG_LAT = 111.195
GRID_FILE = "land_0.05deg.npz"
LAND_GRID = "land-0.05deg-v1 (from global-land-mask 1.0.0, GLOBE 30 arc-second)"

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@lru_cache(maxsize=1)
def _grids() -> tuple[BoolArray, BoolArray, float]:
    with resources.files("watchfloor.maritime").joinpath(GRID_FILE).open("rb") as handle:
        data = np.load(handle)
        any_land = np.unpackbits(data["any_land"], axis=1).astype(np.bool_)
        all_land = np.unpackbits(data["all_land"], axis=1).astype(np.bool_)
        cell = float(data["cell_deg"])
    return any_land, all_land, cell


def _index(grid: BoolArray, cell: float, lat: FloatArray, lon: FloatArray) -> BoolArray:
    rows = np.clip(((90.0 - lat) / cell).astype(np.int64), 0, grid.shape[0] - 1)
    cols = np.clip((((lon + 180.0) % 360.0) / cell).astype(np.int64), 0, grid.shape[1] - 1)
    result: BoolArray = grid[rows, cols]
    return result


@lru_cache(maxsize=16)
def _disc(radius_km: float, step_km: float) -> tuple[FloatArray, FloatArray]:
    """Offsets (north km, east km) of a hexagonal grid of points inside a disc, centre included."""
    n = math.ceil(radius_km / step_km) + 1
    dy = step_km * math.sqrt(3) / 2
    north, east = [], []
    for i in range(-n, n + 1):
        shift = step_km / 2 if i % 2 else 0.0
        for j in range(-n, n + 1):
            y, x = i * dy, j * step_km + shift
            if x * x + y * y <= radius_km * radius_km:
                north.append(y)
                east.append(x)
    return np.array(north), np.array(east)


def far_from_shore(
    lat: FloatArray | list[float], lon: FloatArray | list[float], distance_nm: float, step_km: float = 2.5
) -> BoolArray:
    """True where no land lies within ``distance_nm`` nautical miles of the position."""
    any_land, _, cell = _grids()
    la = np.asarray(lat, dtype=np.float64)
    lo = np.asarray(lon, dtype=np.float64)
    north, east = _disc(distance_nm * KM_PER_NM, step_km)
    result = np.zeros(la.size, dtype=np.bool_)
    for k in range(la.size):
        pts_lat = np.clip(la[k] + north / KM_PER_DEG_LAT, -90.0, 90.0)
        pts_lon = lo[k] + east / (KM_PER_DEG_LAT * max(0.01, math.cos(math.radians(la[k]))))
        result[k] = not bool(_index(any_land, cell, pts_lat, pts_lon).any())
    return result


def on_land(lat: FloatArray | list[float], lon: FloatArray | list[float]) -> BoolArray:
    """True where the position lies a whole 0.05-degree cell or more inside land (see module doc)."""
    _, all_land, cell = _grids()
    la = np.asarray(lat, dtype=np.float64)
    lo = np.asarray(lon, dtype=np.float64)
    result = np.ones(la.size, dtype=np.bool_)
    for dy in (-cell, 0.0, cell):
        for dx in (-cell, 0.0, cell):
            result &= _index(all_land, cell, np.clip(la + dy, -90.0, 90.0), lo + dx)
    return result


def build_land_grid(out: str) -> None:
    """Write ``land_0.05deg.npz`` from ``global-land-mask`` (``pip install global-land-mask==1.0.0``
    in a scratch environment; it is not a dependency). The package stores an ocean mask of 21600 x
    43200 cells, row 0 at 90 N, column 0 at 180 W; land is its negation."""
    from global_land_mask import globe  # type: ignore[import-not-found]  # build-time only, see docstring

    factor = 6  # 1/120 degree cells, 6 x 6 to a 0.05-degree cell
    land = np.logical_not(globe._mask).reshape(3600, factor, 7200, factor)
    np.savez_compressed(
        out,
        any_land=np.packbits(land.any(axis=(1, 3)), axis=1),
        all_land=np.packbits(land.all(axis=(1, 3)), axis=1),
        lat_north=np.float64(90.0),
        lon_west=np.float64(-180.0),
        cell_deg=np.float64(0.05),
    )
