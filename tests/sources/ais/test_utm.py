"""UTM (WGS84) to latitude/longitude: published reference points and an independent meridian arc."""

from __future__ import annotations

import math

import numpy as np
import pytest

from watchfloor.sources.ais.utm import K0, WGS84_A, WGS84_F, latlon_to_utm, utm_to_latlon, utm_zone_of_crs

# Rafael Palacios, "utm2deg", MATLAB Central File Exchange 10914 (WGS84), its documented example:
# x, y, zone -> latitude, longitude to six decimals.
PALACIOS = [
    (458731, 4462881, 30, True, 40.315430, -3.485713),
    (407653, 5126290, 32, True, 46.283902, 7.801235),
    (239027, 4163083, 11, True, 37.577834, -119.955246),
    (230253, 3171843, 28, True, 28.645647, -17.759537),
    (343898, 4302285, 15, True, 38.855552, -94.799019),
    (362850, 2772478, 51, True, 25.061780, 121.640266),
]


@pytest.mark.parametrize(("x", "y", "zone", "north", "lat", "lon"), PALACIOS)
def test_inverse_matches_published_points(
    x: float, y: float, zone: int, north: bool, lat: float, lon: float
) -> None:
    got_lat, got_lon = utm_to_latlon(np.array([x]), np.array([y]), zone, north)
    assert got_lat[0] == pytest.approx(lat, abs=2e-6)  # the reference has six decimals (~0.1 m)
    assert got_lon[0] == pytest.approx(lon, abs=2e-6)


def test_forward_matches_published_point() -> None:
    # AGI STK Connect "Convert MapGridPoint": LatLon 33.5 74.75 -> 43S 476779 3706747 (metres, rounded)
    easting, northing = latlon_to_utm(np.array([33.5]), np.array([74.75]), 43)
    assert easting[0] == pytest.approx(476779, abs=1.0)
    assert northing[0] == pytest.approx(3706747, abs=1.0)


def _meridian_arc(lat_deg: float) -> float:
    """Meridian distance from the equator, by numerical integration of the radius of curvature
    M(phi) = a(1-e^2)/(1-e^2 sin^2 phi)^1.5 (independent of the series under test)."""
    e2 = WGS84_F * (2 - WGS84_F)
    phi = np.linspace(0.0, math.radians(lat_deg), 200_001)
    m = WGS84_A * (1 - e2) / (1 - e2 * np.sin(phi) ** 2) ** 1.5
    return float(np.trapezoid(m, phi))


@pytest.mark.parametrize("lat", [0.0, 12.5, 42.25, 57.7, 71.0, 83.9])
def test_central_meridian_is_the_scaled_meridian_arc(lat: float) -> None:
    northing = K0 * _meridian_arc(lat)
    got_lat, got_lon = utm_to_latlon(np.array([500_000.0]), np.array([northing]), 32)
    assert got_lat[0] == pytest.approx(lat, abs=1e-8)  # ~1 mm
    assert got_lon[0] == pytest.approx(9.0, abs=1e-12)


def test_round_trip_across_a_zone_and_both_hemispheres() -> None:
    lat = np.array([-60.0, -33.9, -0.5, 0.5, 42.3, 57.7, 70.0])
    lon = np.array([5.2, 6.1, 9.0, 11.9, 8.0, 11.88, 6.0])  # zone 32 spans 6-12 E
    easting, northing = latlon_to_utm(lat, lon, 32)
    back_lat, back_lon = utm_to_latlon(easting, northing, 32, north=False)
    south = lat < 0
    assert np.allclose(back_lat[south], lat[south], atol=1e-9)
    back_lat_n, back_lon_n = utm_to_latlon(easting[~south], northing[~south], 32, north=True)
    assert np.allclose(back_lat_n, lat[~south], atol=1e-9)
    assert np.allclose(back_lon_n, lon[~south], atol=1e-9)
    assert np.allclose(back_lon[south], lon[south], atol=1e-9)


def test_crs_names() -> None:
    assert utm_zone_of_crs("urn:ogc:def:crs:EPSG::32632") == (32, True)
    assert utm_zone_of_crs("EPSG:32733") == (33, False)
    assert utm_zone_of_crs("http://www.opengis.net/def/crs/EPSG/0/32601") == (1, True)
    assert utm_zone_of_crs("urn:ogc:def:crs:EPSG::25832") is None  # ETRS89 UTM: another datum, refused
    assert utm_zone_of_crs("urn:ogc:def:crs:OGC:1.3:CRS84") is None
