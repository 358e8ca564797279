"""Port visits by Global Fishing Watch's rule: in at 3 km, out beyond 4 km, stopped in between.

GFW's port visits begin at a vessel's first position within 3 km of an anchorage (*entry*) and end
at its first position beyond 4 km (*exit*); the 1 km band between is hysteresis, so a ship that
swings at anchor across the 3 km line makes one visit, not many, and a ship that only hovers in
the band makes none. The visit must hold a port stop (one fix at or below ``stop_speed_knots``,
GFW: < 0.2 kn; a run with no speed reported at all is kept) and last at least ``min_hours``. A ship
passing through at speed is a transit, not a call. Thresholds: ``port_visit`` in detection.yaml.

A run here is a stretch of consecutive positions inside one port's *exit* circle (``port_out``
in :mod:`tracks`; a silence of up to ``max_gap_hours`` does not split it). The visit is that run
from its first position inside the *entry* circle to its last position (the one before the exit).
That is the hysteresis rule exactly, and it splits into per-partition pieces that stitch the same
way whatever the partition boundaries: each piece says whether it has an entry fix, when the first
one was, and the lowest speed from it on (and over the whole piece, for pieces after an entry).
"""

from __future__ import annotations

import polars as pl

from watchfloor.maritime.config import DetectionConfig
from watchfloor.maritime.ports import Port
from watchfloor.maritime.records import EventKind, MaritimeEvent, PositionRef
from watchfloor.maritime.runs import numbered_pieces

_ENTERED = pl.col("_seen")


def port_visit_pieces(track: pl.DataFrame, cfg: DetectionConfig) -> pl.DataFrame:
    """Pieces of runs inside a port's exit circle in one partition, with their entry fixes."""
    max_gap = cfg.port_visit.max_gap_hours
    inner = (pl.col("port") == pl.col("state")).fill_null(False)
    return (
        track.lazy()
        .with_columns(pl.col("port_out").alias("state"))
        .with_columns(
            (
                pl.col("first")
                | pl.col("state").ne_missing(pl.col("state").shift(1))
                | (pl.col("dt_h") > max_gap)
            )
            .cum_sum()
            .alias("run"),
            inner.alias("_inner"),
        )
        .filter(pl.col("state").is_not_null())
        .with_columns(pl.col("_inner").cast(pl.Int32).cum_sum().over("run").gt(0).alias("_seen"))
        .group_by("run", maintain_order=True)
        .agg(
            pl.col("mmsi").first(),
            pl.col("state").first(),
            pl.col("ts").min().alias("start"),
            pl.col("ts").max().alias("end"),
            pl.col("_inner").any().alias("has_entry"),
            pl.col("ts").filter(_ENTERED).min().alias("entry_ts"),
            pl.col("lat").filter(_ENTERED).first().alias("entry_lat"),
            pl.col("lon").filter(_ENTERED).first().alias("entry_lon"),
            pl.col("src_file").filter(_ENTERED).first().cast(pl.String).alias("entry_file"),
            pl.col("src_line").filter(_ENTERED).first().alias("entry_line"),
            pl.len().cast(pl.Int64).alias("n_all"),
            _ENTERED.sum().cast(pl.Int64).alias("n_seen"),
            pl.col("sog").min().alias("sog_min_all"),
            pl.col("sog").filter(_ENTERED).min().alias("sog_min_seen"),
            pl.col("lat").last().alias("last_lat"),
            pl.col("lon").last().alias("last_lon"),
            pl.col("src_file").last().cast(pl.String).alias("last_file"),
            pl.col("src_line").last().alias("last_line"),
            pl.col("first").any().alias("open_start"),
            pl.col("last").any().alias("open_end"),
        )
        .drop("run")
        .collect()
    )


def stitch_visits(parts: list[pl.DataFrame], max_gap_hours: float) -> pl.DataFrame:
    """Whole runs from all partitions, cut to the visit (entry fix to the last fix inside)."""
    pieces = numbered_pieces(parts, max_gap_hours)
    if pieces is None:
        return pl.DataFrame()
    # a piece after one with an entry fix counts whole; the first with one counts from its entry
    after = pl.col("has_entry").cast(pl.Int32).cum_sum().shift(1, fill_value=0).over("whole") > 0
    return (
        pieces.with_columns(after.alias("_after"))
        .with_columns(
            pl.when(pl.col("_after")).then(pl.col("n_all")).otherwise(pl.col("n_seen")).alias("n"),
            pl.when(pl.col("_after"))
            .then(pl.col("sog_min_all"))
            .otherwise(pl.col("sog_min_seen"))
            .alias("sog_min"),
        )
        .group_by("whole", maintain_order=True)
        .agg(
            pl.col("mmsi").first(),
            pl.col("state").first(),
            pl.col("has_entry").any(),
            pl.col("entry_ts").min().alias("start"),
            pl.col("end").max(),
            pl.col("n").sum(),
            pl.col("sog_min").min(),
            *[pl.col(c).drop_nulls().first() for c in ("entry_lat", "entry_lon", "entry_file", "entry_line")],
            *[pl.col(c).last() for c in ("last_lat", "last_lon", "last_file", "last_line")],
        )
        .filter(pl.col("has_entry"))
        .drop("whole")
        .with_columns(((pl.col("end") - pl.col("start")).dt.total_microseconds() / 3.6e9).alias("hours"))
        .collect()
    )


def port_visit_events(
    parts: list[pl.DataFrame], cfg: DetectionConfig, ports: list[Port]
) -> list[MaritimeEvent]:
    """Whole visits of at least the minimum duration, with a port stop."""
    pv = cfg.port_visit
    runs = stitch_visits(parts, pv.max_gap_hours)
    if runs.height == 0:
        return []
    runs = runs.filter(pl.col("hours") >= pv.min_hours)
    stop = pv.stop_speed_knots
    if stop is not None:
        runs = runs.filter(pl.col("sog_min").is_null() | (pl.col("sog_min") <= stop))
    events = []
    for r in runs.iter_rows(named=True):
        port = ports[r["state"]]
        entry_km = max(pv.entry_km, port.radius_km)
        events.append(
            MaritimeEvent(
                kind=EventKind.PORT_VISIT,
                mmsi=r["mmsi"],
                start=r["start"],
                end=r["end"],
                lat=port.lat,
                lon=port.lon,
                details={
                    "port": port.id,
                    "port_name": port.name,
                    "country": port.country,
                    "arrival": r["start"].isoformat(),
                    "departure": r["end"].isoformat(),
                    "hours": round(r["hours"], 3),
                    "positions": r["n"],
                    "min_speed_knots": None if r["sog_min"] is None else round(float(r["sog_min"]), 2),
                    "stop_speed_knots": stop,
                    "threshold_hours": pv.min_hours,
                    "entry_km": entry_km,
                    "exit_km": entry_km + (pv.exit_km - pv.entry_km),
                },
                positions=[
                    PositionRef(
                        r["mmsi"],
                        r["start"],
                        r["entry_lat"],
                        r["entry_lon"],
                        r["entry_file"],
                        r["entry_line"],
                        "arrival",
                    ),
                    PositionRef(
                        r["mmsi"],
                        r["end"],
                        r["last_lat"],
                        r["last_lon"],
                        r["last_file"],
                        r["last_line"],
                        "departure",
                    ),
                ],
            )
        )
    return events
