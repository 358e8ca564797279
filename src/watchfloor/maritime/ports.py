"""Watched ports and anchorages: a YAML vocabulary shipped with the package, replaceable by setting.

Each port has a centre and a radius. Positions inside a radius are "in port" (port visits);
positions within the exclusion distance of any port are "near port" (not counted as loitering or
encounters, as Global Fishing Watch excludes events near anchorages).
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel, Field, ValidationError

from watchfloor.errors import ConfigError
from watchfloor.vocabulary import read_vocabulary

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEG_LAT = 111.195


class Port(BaseModel):
    """One watched port or anchorage."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    country: str
    kind: str = "port"
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    radius_km: float = Field(gt=0, le=100)
    source: str = Field(min_length=1, description="Where the coordinates come from.")
    source_url: str | None = Field(default=None, description="The page the coordinates were read on.")
    verified: bool = Field(
        default=False, description="A readable source gives this position to about 1 km (see ``source``)."
    )


class PortTable(BaseModel):
    version: str
    ports: list[Port]


def _parse(data: Any, where: str) -> PortTable:
    try:
        table = PortTable.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"invalid ports file: {exc}", where) from exc
    ids = [p.id for p in table.ports]
    if len(set(ids)) != len(ids):
        raise ConfigError("duplicate port id", where)
    return table


@lru_cache(maxsize=8)
def load_ports(path: Path | None = None) -> PortTable:
    """The ports in ``path``, or the shipped default table when ``path`` is None."""
    return _parse(*read_vocabulary("watchfloor.maritime", "ports.yaml", path))


def haversine_km(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr | float, lon2: pl.Expr | float) -> pl.Expr:
    """Great-circle distance in km between two points, as a Polars expression."""
    lat2e = lat2 if isinstance(lat2, pl.Expr) else pl.lit(lat2)
    lon2e = lon2 if isinstance(lon2, pl.Expr) else pl.lit(lon2)
    p1 = lat1.radians()
    p2 = lat2e.radians()
    dp = p2 - p1
    dl = (lon2e - lon1).radians()
    a = (dp / 2).sin().pow(2) + p1.cos() * p2.cos() * (dl / 2).sin().pow(2)
    return 2 * EARTH_RADIUS_KM * a.sqrt().arcsin()


def port_d2(port: Port, lat: pl.Expr, lon: pl.Expr) -> pl.Expr:
    """Squared distance (km^2) from ``port``, equirectangular: no trigonometry per row, and
    within a few tens of km the error is far below a metre per km."""
    dy = (lat - port.lat) * KM_PER_DEG_LAT
    dx = (lon - port.lon) * (KM_PER_DEG_LAT * _cos_deg(port.lat))
    return dy * dy + dx * dx


def _cos_deg(value: float) -> float:

    return math.cos(math.radians(min(value, 89.9)))
