"""Loitering: one vessel below the speed threshold for long enough, away from port.

Global Fishing Watch defines loitering as a vessel at an average speed below 2 knots, at least
20 nm from shore; here every position of the run must be below the threshold and outside the
exclusion distance of every watched port, and the run's mean position at least ``min_shore_nm``
from shore on the shipped land grid (:mod:`watchfloor.maritime.shore`). See docs/maritime.md.
"""

from __future__ import annotations

import polars as pl

from watchfloor.maritime.config import DetectionConfig
from watchfloor.maritime.records import EventKind, MaritimeEvent, PositionRef
from watchfloor.maritime.runs import run_pieces, stitch_runs
from watchfloor.maritime.shore import far_from_shore


def loitering_pieces(track: pl.DataFrame, cfg: DetectionConfig) -> pl.DataFrame:
    """Pieces of slow-at-sea runs in one partition."""
    slow = (pl.col("sog") < cfg.loitering.max_speed_knots) & ~pl.col("near_port_loiter")
    state = pl.when(slow).then(pl.lit("slow"))
    return run_pieces(track, state, cfg.loitering.max_gap_hours)


def loitering_events(parts: list[pl.DataFrame], cfg: DetectionConfig) -> list[MaritimeEvent]:
    """Whole slow runs of at least the minimum duration."""
    runs = stitch_runs(parts, cfg.loitering.max_gap_hours)
    if runs.height == 0:
        return []
    runs = runs.filter(pl.col("hours") >= cfg.loitering.min_hours)
    shore = cfg.loitering.min_shore_nm
    if shore is not None and runs.height:
        runs = runs.filter(pl.Series(far_from_shore(runs["lat"].to_numpy(), runs["lon"].to_numpy(), shore)))
    return [
        MaritimeEvent(
            kind=EventKind.LOITERING,
            mmsi=r["mmsi"],
            start=r["start"],
            end=r["end"],
            lat=r["lat"],
            lon=r["lon"],
            details={
                "hours": round(r["hours"], 3),
                "positions": r["n"],
                "mean_speed_knots": r["sog_mean"],
                "max_speed_knots": round(float(r["sog_max"]), 2),
                "threshold_knots": cfg.loitering.max_speed_knots,
                "threshold_hours": cfg.loitering.min_hours,
                "min_shore_nm": shore,
            },
            positions=[
                PositionRef(
                    r["mmsi"],
                    r["start"],
                    r["first_lat"],
                    r["first_lon"],
                    r["first_file"],
                    r["first_line"],
                    "first",
                ),
                PositionRef(
                    r["mmsi"], r["end"], r["last_lat"], r["last_lon"], r["last_file"], r["last_line"], "last"
                ),
            ],
        )
        for r in runs.iter_rows(named=True)
    ]
