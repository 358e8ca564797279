"""Hand-built position tracks for the detector tests (built in code, no file)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl

from watchfloor.sources.ais.schema import POSITION_SCHEMA

T0 = datetime(2024, 10, 5, 22, 0, tzinfo=UTC)  # crosses midnight: two daily windows


def track(
    mmsi: int, lat: float, lon: float, hours: float, knots: float = 0.5, every_min: int = 3
) -> pl.DataFrame:
    n = int(hours * 60 / every_min) + 1
    return pl.DataFrame(
        {
            "mmsi": [mmsi] * n,
            "ts": [T0 + timedelta(minutes=every_min * i) for i in range(n)],
            "lat": [lat] * n,
            "lon": [lon] * n,
            "sog": [knots] * n,
            "cog": [0.0] * n,
            "heading": [None] * n,
            "msg_type": [1] * n,
            "src_file": ["hand.csv"] * n,
            "src_line": list(range(mmsi % 1000 * 1000, mmsi % 1000 * 1000 + n)),
        },
        schema=POSITION_SCHEMA,
    )
