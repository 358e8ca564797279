"""UTM (WGS84) grid coordinates to and from latitude/longitude, for track files saved projected.

Some published AIS tracks (movingpandas' DMA sample, GIS exports) store positions in a UTM zone
(EPSG:326zz north, 327zz south) rather than in degrees. The conversion is the Krüger series of the
transverse Mercator projection to the third order in the third flattening ``n`` (Krüger 1912, in
the form given by Karney, "Transverse Mercator with an accuracy of a few nanometers", J. Geodesy
85, 2011, eq. 35-36), which is accurate to well under a millimetre within the 6-degree zone. No
projection library is needed for this one family of grids; any other CRS is refused by name.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563
K0 = 0.9996
FALSE_EASTING = 500_000.0
FALSE_NORTHING_SOUTH = 10_000_000.0

_N = WGS84_F / (2 - WGS84_F)
_A = WGS84_A / (1 + _N) * (1 + _N**2 / 4 + _N**4 / 64)
_ALPHA = (_N / 2 - 2 * _N**2 / 3 + 5 * _N**3 / 16, 13 * _N**2 / 48 - 3 * _N**3 / 5, 61 * _N**3 / 240)
_BETA = (_N / 2 - 2 * _N**2 / 3 + 37 * _N**3 / 96, _N**2 / 48 + _N**3 / 15, 17 * _N**3 / 480)
_DELTA = (2 * _N - 2 * _N**2 / 3 - 2 * _N**3, 7 * _N**2 / 3 - 8 * _N**3 / 5, 56 * _N**3 / 15)
_TWO_ROOT_N = 2 * np.sqrt(_N) / (1 + _N)

_EPSG = re.compile(r"(?:EPSG:+|EPSG/0/|epsg:)(\d{4,5})$", re.IGNORECASE)


def utm_zone_of_crs(name: str) -> tuple[int, bool] | None:
    """``(zone, north)`` for a WGS84 UTM CRS name (``urn:ogc:def:crs:EPSG::32632``, ``EPSG:32733``);
    None for any other CRS."""
    match = _EPSG.search(name.strip())
    if match is None:
        return None
    code = int(match.group(1))
    if 32601 <= code <= 32660:
        return code - 32600, True
    if 32701 <= code <= 32760:
        return code - 32700, False
    return None


def central_meridian(zone: int) -> float:
    """The central meridian (degrees east) of UTM ``zone`` (1-60)."""
    if not 1 <= zone <= 60:
        raise ValueError(f"UTM zone must be 1-60, not {zone}")
    return zone * 6.0 - 183.0


def utm_to_latlon(
    easting: FloatArray, northing: FloatArray, zone: int, north: bool = True
) -> tuple[FloatArray, FloatArray]:
    """Latitude and longitude (degrees, WGS84) of UTM grid coordinates in metres."""
    e = np.asarray(easting, dtype=np.float64)
    n = np.asarray(northing, dtype=np.float64)
    xi = (n - (0.0 if north else FALSE_NORTHING_SOUTH)) / (K0 * _A)
    eta = (e - FALSE_EASTING) / (K0 * _A)
    xi1, eta1 = xi.copy(), eta.copy()
    for j, beta in enumerate(_BETA, start=1):
        xi1 -= beta * np.sin(2 * j * xi) * np.cosh(2 * j * eta)
        eta1 -= beta * np.cos(2 * j * xi) * np.sinh(2 * j * eta)
    chi = np.arcsin(np.sin(xi1) / np.cosh(eta1))
    phi = chi.copy()
    for j, delta in enumerate(_DELTA, start=1):
        phi += delta * np.sin(2 * j * chi)
    lam = np.arctan2(np.sinh(eta1), np.cos(xi1))
    return np.degrees(phi), central_meridian(zone) + np.degrees(lam)


def latlon_to_utm(lat: FloatArray, lon: FloatArray, zone: int) -> tuple[FloatArray, FloatArray]:
    """UTM easting and northing (metres) in ``zone`` of WGS84 positions (degrees); the southern
    hemisphere gets the 10,000 km false northing."""
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    lam = np.radians(np.asarray(lon, dtype=np.float64) - central_meridian(zone))
    sin_phi = np.sin(phi)
    t = np.sinh(np.arctanh(sin_phi) - _TWO_ROOT_N * np.arctanh(_TWO_ROOT_N * sin_phi))
    xi1 = np.arctan2(t, np.cos(lam))
    eta1 = np.arctanh(np.sin(lam) / np.sqrt(1 + t * t))
    xi, eta = xi1.copy(), eta1.copy()
    for j, alpha in enumerate(_ALPHA, start=1):
        xi += alpha * np.sin(2 * j * xi1) * np.cosh(2 * j * eta1)
        eta += alpha * np.cos(2 * j * xi1) * np.sinh(2 * j * eta1)
    easting = FALSE_EASTING + K0 * _A * eta
    northing = K0 * _A * xi + np.where(phi < 0, FALSE_NORTHING_SOUTH, 0.0)
    return easting, northing
