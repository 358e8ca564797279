"""Planned voyages of simulated ships: sea routes, itineraries built forward in time, and sampling
them into AIS-like position rows (with drift in port, noise on speed, and dark spans skipped).

Used by the SYNTHETIC scenario (:mod:`watchfloor.maritime.scenario`); nothing here is real data.
Routes follow waypoints checked to stay at sea (docs/maritime.md says how).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

LatLon = tuple[float, float]

# Waypoints (lat, lon), port berth first. Checked at sea every 300 m against a 1 km land mask
# (global-land-mask 1.0.0, tests/maritime/fixtures) outside the ports' own circles.
RAJIN_OUT: list[LatLon] = [
    (42.225, 130.305), (42.205, 130.302), (42.165, 130.302), (42.14, 130.33), (42.10, 130.50),
]  # fmt: skip
ROUTES: dict[str, list[LatLon]] = {
    "rajin_dunai": [*RAJIN_OUT, (42.30, 131.20), (42.55, 131.90), (42.80, 132.25), (42.835, 132.385),
                    (42.86, 132.39), (42.89, 132.385)],
    "rajin_vostochny": [*RAJIN_OUT, (42.30, 131.20), (42.50, 132.40), (42.62, 132.95), (42.68, 132.98),
                        (42.72, 132.98), (42.75, 133.02), (42.75, 133.06)],
    "chongjin_rajin": [(41.765, 129.825), (41.70, 129.95), (41.5, 130.3), (42.10, 130.50),
                       *reversed(RAJIN_OUT[:-1])],
    "vladivostok_hub": [(43.10, 131.90), (43.08, 131.88), (43.065, 131.89), (43.055, 131.91),
                        (43.04, 131.95), (42.95, 132.02), (42.60, 132.00), (42.30, 132.00), (42.30, 132.50)],
    "nakhodka_hub": [(42.81, 132.91), (42.77, 132.93), (42.74, 132.92), (42.70, 132.90), (42.60, 132.90),
                     (42.30, 133.00), (42.30, 132.50)],
    "vostochny_hub": [(42.75, 133.06), (42.75, 133.02), (42.72, 132.98), (42.68, 132.98), (42.62, 132.95),
                      (42.40, 132.90), (42.30, 132.50)],
    "hub_korea": [(42.30, 132.50), (41.5, 132.0), (38.5, 130.5), (35.8, 129.9)],
    "hub_tsugaru": [(42.30, 132.50), (41.8, 135.0), (41.0, 139.3)],
    "hub_north": [(42.30, 132.50), (43.2, 135.5), (44.0, 138.5)],
    "korea_tsugaru": [(35.8, 129.9), (37.5, 131.5), (40.5, 137.5), (41.0, 139.3)],
}  # fmt: skip
PORT_OF_ROUTE_START = {
    "rajin_dunai": "rajin", "rajin_vostochny": "rajin", "chongjin_rajin": "chongjin",
    "vladivostok_hub": "vladivostok", "nakhodka_hub": "nakhodka", "vostochny_hub": "vostochny",
}  # fmt: skip

START = datetime(2024, 10, 1, tzinfo=UTC)
KNOT_KMH = 1.852


def _km(a: LatLon, b: LatLon) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _bearing(a: LatLon, b: LatLon) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(y, x)) + 360) % 360


def offset(p: LatLon, north_m: float, east_m: float) -> LatLon:
    """The point ``north_m`` metres north and ``east_m`` metres east of ``p``."""
    return (p[0] + north_m / 111_320, p[1] + east_m / (111_320 * math.cos(math.radians(p[0]))))


def route(name: str, reverse: bool = False, upto: LatLon | None = None) -> list[LatLon]:
    """A named route's waypoints, reversed if asked, optionally ending at a point instead."""
    wps = list(ROUTES[name])
    if reverse:
        wps.reverse()
    if upto is not None:
        wps.append(upto)
    return wps


def path_km(wps: list[LatLon]) -> float:
    """Length of a path through the waypoints, in km (great circle per leg)."""
    return sum(_km(a, b) for a, b in itertools.pairwise(wps))


@dataclass
class Vessel:
    """A simulated ship's identity: every field invented (see :mod:`watchfloor.maritime.scenario`)."""

    mmsi: int
    name: str
    imo: int | None
    call_sign: str
    vessel_type: int = 70
    length: int = 120
    width: int = 20
    draft: float = 7.0
    story: bool = False
    """One of the ships acting out the planted story (not background traffic)."""


@dataclass
class Segment:
    t0: datetime
    t1: datetime
    path: list[LatLon]
    """One point for a stay, several for a passage."""
    slow: bool
    status: int = 0


@dataclass
class Plan:
    """One vessel's itinerary, built forward in time; ``dark`` spans are not transmitted."""

    vessel: Vessel
    t: datetime
    segments: list[Segment] = field(default_factory=list)
    dark: list[tuple[datetime, datetime]] = field(default_factory=list)
    names: list[tuple[datetime, Vessel]] = field(default_factory=list)
    """Identity in force from a time on (renaming, a new MMSI)."""

    def stay(self, hours: float, at: LatLon, status: int = 5) -> tuple[datetime, datetime]:
        t0, self.t = self.t, self.t + timedelta(hours=hours)
        self.segments.append(Segment(t0, self.t, [at], True, status))
        return t0, self.t

    def stay_until(self, when: datetime, at: LatLon, status: int = 5) -> tuple[datetime, datetime]:
        return self.stay(max(0.0, (when - self.t).total_seconds() / 3600), at, status)

    def sail(self, wps: list[LatLon], knots: float) -> tuple[datetime, datetime]:
        hours = path_km(wps) / (knots * KNOT_KMH)
        t0, self.t = self.t, self.t + timedelta(hours=hours)
        self.segments.append(Segment(t0, self.t, wps, False))
        return t0, self.t

    def sail_to_arrive(self, wps: list[LatLon], knots: float, arrive: datetime, at: LatLon) -> None:
        """Wait at ``at`` (in port) so that sailing ``wps`` at ``knots`` arrives at ``arrive``."""
        hours = path_km(wps) / (knots * KNOT_KMH)
        self.stay_until(arrive - timedelta(hours=hours), at)
        self.sail(wps, knots)

    def go_dark(self, t0: datetime, t1: datetime) -> None:
        self.dark.append((t0, t1))


def sample_positions(
    plan: Plan, end: datetime, rng: np.random.Generator, interval_s: float
) -> list[dict[str, Any]]:
    """Positions every ~``interval_s`` seconds along the plan, skipping dark spans."""
    rows: list[dict[str, Any]] = []
    t = plan.segments[0].t0 + timedelta(seconds=float(rng.uniform(0, interval_s)))
    seg_i = 0
    drift = (0.0, 0.0)
    while t < end and seg_i < len(plan.segments):
        seg = plan.segments[seg_i]
        if t >= seg.t1:
            seg_i += 1
            continue
        if not any(a <= t < b for a, b in plan.dark):
            if seg.slow:
                drift = (
                    float(np.clip(drift[0] + rng.normal(0, 15), -120, 120)),
                    float(np.clip(drift[1] + rng.normal(0, 15), -120, 120)),
                )
                pos = offset(seg.path[0], *drift)
                sog, cog = float(rng.uniform(0.0, 1.0)), float(rng.uniform(0, 360))
            else:
                pos, cog = _along(seg, t)
                total_h = (seg.t1 - seg.t0).total_seconds() / 3600
                knots = path_km(seg.path) / KNOT_KMH / total_h if total_h else 0.0
                sog = knots + float(rng.normal(0, 0.3))
            rows.append({"t": t, "lat": pos[0], "lon": pos[1], "sog": max(0.0, sog), "cog": cog,
                         "status": seg.status if seg.slow else 0})  # fmt: skip
        t += timedelta(seconds=float(interval_s + rng.uniform(-30, 30)))
    return rows


def _along(seg: Segment, t: datetime) -> tuple[LatLon, float]:
    frac = (t - seg.t0) / (seg.t1 - seg.t0)
    legs = [_km(a, b) for a, b in zip(seg.path, seg.path[1:], strict=False)]
    target = frac * sum(legs)
    for (a, b), leg in zip(zip(seg.path, seg.path[1:], strict=False), legs, strict=False):
        if target <= leg or leg == 0:
            f = target / leg if leg else 0.0
            return (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f), _bearing(a, b)
        target -= leg
    a, b = seg.path[-2], seg.path[-1]
    return b, _bearing(a, b)
