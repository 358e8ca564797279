"""SYNTHETIC AIS positions at volume, vectorised, for the detection benchmarks (no ground truth)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import polars as pl

from watchfloor.maritime.voyage import KNOT_KMH
from watchfloor.sources.ais.schema import POSITION_SCHEMA


def bulk_positions(
    start: datetime,
    hours: float,
    vessels: int = 5000,
    interval_s: int = 60,
    seed: int = 1,
    file_tag: str = "bulk",
) -> pl.DataFrame:
    """SYNTHETIC positions at volume, vectorised: for benchmarks, not for ground truth.

    Each vessel moves at a constant speed along a straight course folded back into a Sea of Japan
    box (a triangle wave), so its position is a pure function of time: consecutive calls over
    consecutive spans continue the same tracks. One in ten vessels drifts at under 2 knots (so the
    loitering and encounter detectors have work); one in fifty is silent for the first 14 h of
    every other day (gaps). Rows are sorted by time, as a feed would deliver them.
    """
    rng = np.random.default_rng(seed)
    lat_lo, lat_hi, lon_lo, lon_hi = 36.0, 44.0, 129.5, 139.5
    mmsi = 200_000_000 + rng.choice(700_000_000, vessels, replace=False)
    knots = np.where(rng.random(vessels) < 0.1, rng.uniform(0.1, 1.5, vessels), rng.uniform(8, 16, vessels))
    course = rng.uniform(0, 2 * np.pi, vessels)
    p_lat, p_lon = rng.random(vessels), rng.random(vessels)
    phase = rng.integers(0, interval_s, vessels)
    dark = rng.random(vessels) < 0.02
    t0 = int((start - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds())
    steps = int(hours * 3600 // interval_s)
    secs = t0 + np.arange(steps, dtype=np.int64)[None, :] * interval_s + phase[:, None]
    elapsed_h = (secs - 1_700_000_000) / 3600.0
    km = knots[:, None] * KNOT_KMH * elapsed_h
    fy = p_lat[:, None] + km * np.cos(course)[:, None] / (111.32 * (lat_hi - lat_lo))
    fx = p_lon[:, None] + km * np.sin(course)[:, None] / (82.0 * (lon_hi - lon_lo))
    lat = lat_lo + (lat_hi - lat_lo) * (1 - np.abs(1 - 2 * np.mod(fy, 1.0)))
    lon = lon_lo + (lon_hi - lon_lo) * (1 - np.abs(1 - 2 * np.mod(fx, 1.0)))
    day_s = np.mod(secs, 86400)
    odd_day = (secs // 86400) % 2 == 1
    keep = ~(dark[:, None] & odd_day & (day_s < 14 * 3600))
    n = int(keep.sum())
    sog = np.broadcast_to(knots[:, None], secs.shape)[keep] + rng.normal(0, 0.2, n)
    frame = pl.DataFrame(
        {
            "mmsi": np.broadcast_to(mmsi[:, None], secs.shape)[keep].astype(np.int64),
            "ts": (secs[keep] * 1_000_000).astype("datetime64[us]"),
            "lat": lat[keep],
            "lon": lon[keep],
            "sog": np.clip(sog, 0, None).astype(np.float32),
            "cog": np.broadcast_to(np.degrees(course)[:, None], secs.shape)[keep].astype(np.float32),
            "heading": np.full(n, np.nan, dtype=np.float32),
            "msg_type": np.ones(n, dtype=np.int8),
            "src_line": np.arange(1, n + 1, dtype=np.int64),
        }
    )
    return (
        frame.with_columns(
            pl.col("ts").dt.replace_time_zone("UTC"),
            pl.lit(f"{file_tag}-{start:%Y%m%d%H}.nmea").cast(pl.Categorical).alias("src_file"),
            pl.col("heading").fill_nan(None),
        )
        .select(list(POSITION_SCHEMA))
        .sort("ts")
    )
