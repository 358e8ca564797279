"""Gaps ("going dark"): no position from a vessel for at least the configured time.

Within a partition, consecutive positions of one vessel form a *transition*; across partitions,
the vessel's last position in one and its first in the next form one too (``stitch_endpoints``),
so the result does not depend on where partitions are cut. A gap event carries the positions
before and after, the distance and implied speed between them, and the reception around it: how
many hours of the gap other vessels were received in the cells around where it went dark and where
it reappeared (a gap near Rajin, where others are seen, weighs more than one in an empty ocean).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import polars as pl

from watchfloor.maritime.config import DetectionConfig
from watchfloor.maritime.ports import Port, haversine_km
from watchfloor.maritime.records import EventKind, MaritimeEvent, PositionRef
from watchfloor.maritime.shore import far_from_shore
from watchfloor.maritime.tracks import KNOT_KMH

TRANSITION_COLUMNS = [
    "mmsi",
    "p_ts",
    "p_lat",
    "p_lon",
    "p_src_file",
    "p_src_line",
    "p_port",
    "ts",
    "lat",
    "lon",
    "src_file",
    "src_line",
    "port",
    "dt_h",
    "dist_km",
    "speed_kn",
]

ENDPOINT_COLUMNS = ["mmsi", "ts", "lat", "lon", "src_file", "src_line", "port", "first", "last"]


def _notable(cfg: DetectionConfig) -> pl.Expr:
    slow_gap = pl.col("dt_h") >= cfg.gap.min_hours
    jump = (pl.col("speed_kn") > cfg.impossible.max_speed_knots) & (
        pl.col("dist_km") > cfg.impossible.min_distance_km
    )
    return slow_gap | jump


def _exact(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Great-circle distance and implied speed between ``p_*`` and the current position."""
    return frame.with_columns(
        haversine_km(pl.col("p_lat"), pl.col("p_lon"), pl.col("lat"), pl.col("lon")).alias("dist_km"),
    ).with_columns(
        (pl.col("dist_km") / KNOT_KMH / pl.col("dt_h").clip(lower_bound=1 / 3600)).alias("speed_kn")
    )


def transitions(track: pl.DataFrame, cfg: DetectionConfig) -> pl.DataFrame:
    """Consecutive-position pairs inside one partition that are a gap or an impossible jump.

    The flat-earth speed screens candidates (with a 10% margin); the distance is then exact.
    """
    prev = {
        c: pl.col(c).shift(1).alias(f"p_{c}") for c in ("ts", "lat", "lon", "src_file", "src_line", "port")
    }
    screen = (pl.col("dt_h") >= cfg.gap.min_hours) | (
        pl.col("speed_fast") > 0.9 * cfg.impossible.max_speed_knots
    )
    candidates = (
        track.lazy()
        .with_columns(prev.values())
        .filter(~pl.col("first") & screen)
        .with_columns(pl.col("src_file").cast(pl.String), pl.col("p_src_file").cast(pl.String))
    )
    return _exact(candidates).filter(_notable(cfg)).select(TRANSITION_COLUMNS).collect()


def endpoints(track: pl.DataFrame) -> pl.DataFrame:
    """Each vessel's first and last position in one partition (for stitching across partitions)."""
    return (
        track.lazy()
        .select(ENDPOINT_COLUMNS)
        .filter(pl.col("first") | pl.col("last"))
        .with_columns(pl.col("src_file").cast(pl.String))
        .collect()
    )


def stitch_endpoints(parts: list[pl.DataFrame], cfg: DetectionConfig) -> pl.DataFrame:
    """Transitions between partitions: a vessel's last row in one, its first in the next."""
    if not parts:
        return pl.DataFrame(schema=_transition_schema())
    # In partition order, and in each partition its first row before its last: positions with the
    # same time are in the partition's own order, so sorting them by time alone could pair the
    # wrong two (found on the NOAA file, where ships report several positions in one second).
    numbered = [p.with_columns(pl.lit(i, pl.Int32).alias("_part")) for i, p in enumerate(parts)]
    ends = pl.concat(numbered).sort(["mmsi", "_part", "last", "ts"], maintain_order=True).drop("_part")
    prev = {
        c: pl.col(c).shift(1) for c in ["mmsi", "ts", "lat", "lon", "src_file", "src_line", "port", "last"]
    }
    pairs = (
        ends.lazy()
        .with_columns(
            prev["mmsi"].alias("p_mmsi"),
            prev["ts"].alias("p_ts"),
            prev["lat"].alias("p_lat"),
            prev["lon"].alias("p_lon"),
            prev["src_file"].alias("p_src_file"),
            prev["src_line"].alias("p_src_line"),
            prev["port"].alias("p_port"),
            prev["last"].alias("p_last"),
        )
        .filter((pl.col("p_mmsi") == pl.col("mmsi")) & pl.col("p_last") & pl.col("first"))
        .filter(~((pl.col("p_ts") == pl.col("ts")) & (pl.col("p_src_line") == pl.col("src_line"))))
        .with_columns(((pl.col("ts") - pl.col("p_ts")).dt.total_microseconds() / 3.6e9).alias("dt_h"))
        .pipe(_exact)
        .filter(_notable(cfg))
        .select(TRANSITION_COLUMNS)
        .collect()
    )
    return pairs


def _transition_schema() -> dict[str, pl.DataType]:
    ts = pl.Datetime("us", "UTC")
    return {
        "mmsi": pl.Int64(),
        "p_ts": ts,
        "p_lat": pl.Float64(),
        "p_lon": pl.Float64(),
        "p_src_file": pl.String(),
        "p_src_line": pl.Int64(),
        "p_port": pl.Int16(),
        "ts": ts,
        "lat": pl.Float64(),
        "lon": pl.Float64(),
        "src_file": pl.String(),
        "src_line": pl.Int64(),
        "port": pl.String(),
        "dt_h": pl.Float64(),
        "dist_km": pl.Float64(),
        "speed_kn": pl.Float64(),
    }


def coverage(track: pl.DataFrame, cfg: DetectionConfig) -> pl.DataFrame:
    """Distinct vessels received per (grid cell, hour) in one partition; hours never straddle one."""
    c = cfg.gap.coverage_cell_deg
    cell = [
        (pl.col("lat") / c).floor().cast(pl.Int32).alias("cy"),
        (pl.col("lon") / c).floor().cast(pl.Int32).alias("cx"),
        pl.col("ts").dt.truncate("1h").alias("hour"),
    ]
    # The track is sorted by (mmsi, ts): keep a row only where the vessel enters another
    # (cell, hour), which divides the rows to count by the fixes per hour.
    changed = pl.any_horizontal(pl.col(k) != pl.col(k).shift(1) for k in ("mmsi", "cy", "cx", "hour"))
    return (
        track.lazy()
        .select(pl.col("mmsi"), *cell)
        .filter(changed.fill_null(True))
        .group_by(["cy", "cx", "hour"])
        .agg(pl.col("mmsi").n_unique().cast(pl.Int32).alias("vessels"))
        .collect()
    )


def _reception(gaps: pl.DataFrame, cover: pl.DataFrame, cfg: DetectionConfig) -> pl.DataFrame:
    """Per gap: hours fully inside it in which other vessels were received around either end."""
    c = cfg.gap.coverage_cell_deg
    offsets = pl.DataFrame({"oy": [-1, -1, -1, 0, 0, 0, 1, 1, 1], "ox": [-1, 0, 1] * 3})
    ends = pl.concat(
        [
            gaps.select(
                "gid",
                "h0",
                "h1",
                (pl.col(la) / c).floor().cast(pl.Int32).alias("y"),
                (pl.col(lo) / c).floor().cast(pl.Int32).alias("x"),
            )
            for la, lo in (("p_lat", "p_lon"), ("lat", "lon"))
        ]
    )
    cells = (
        ends.join(offsets, how="cross")
        .select(
            "gid",
            "h0",
            "h1",
            (pl.col("y") + pl.col("oy")).alias("cy"),
            (pl.col("x") + pl.col("ox")).alias("cx"),
        )
        .unique()
    )
    seen = (
        cells.join(cover, on=["cy", "cx"])
        .filter((pl.col("hour") >= pl.col("h0")) & (pl.col("hour") < pl.col("h1")))
        .group_by("gid")
        .agg(
            pl.col("hour").n_unique().alias("hours_with_others"),
            pl.col("vessels").sum().alias("vessel_hours"),
        )
    )
    return gaps.join(seen, on="gid", how="left").with_columns(
        pl.col("hours_with_others").fill_null(0), pl.col("vessel_hours").fill_null(0)
    )


DISABLING_RULE = "gfw-suspected-disabling-v2: gap >= min_hours, reception good, begins >= N nm from shore"


def gap_events(
    trans: pl.DataFrame, cover: pl.DataFrame, cfg: DetectionConfig, ports: list[Port]
) -> list[MaritimeEvent]:
    """Gap events from all transitions, with the reception around each."""
    gaps = trans.filter(pl.col("dt_h") >= cfg.gap.min_hours).sort(["mmsi", "p_ts"])
    if gaps.height == 0:
        return []
    gaps = gaps.with_row_index("gid").with_columns(
        (pl.col("p_ts").dt.truncate("1h") + timedelta(hours=1)).alias("h0"),
        pl.col("ts").dt.truncate("1h").alias("h1"),
    )
    gaps = _reception(gaps, cover, cfg).sort("gid")
    shore_nm = cfg.gap.disabling_min_shore_nm
    if shore_nm is not None:
        offshore = far_from_shore(gaps["p_lat"].to_numpy(), gaps["p_lon"].to_numpy(), shore_nm)
    events: list[MaritimeEvent] = []
    for i, row in enumerate(gaps.iter_rows(named=True)):
        hours = max(0.0, (row["h1"] - row["h0"]).total_seconds() / 3600)
        fraction = row["hours_with_others"] / hours if hours else 0.0
        details: dict[str, Any] = {
            "hours": round(row["dt_h"], 3),
            "distance_km": round(row["dist_km"], 3),
            "implied_speed_knots": round(row["speed_kn"], 3),
            "port_before": None if row["p_port"] is None else ports[row["p_port"]].id,
            "port_after": None if row["port"] is None else ports[row["port"]].id,
            "reception": {
                "cell_deg": cfg.gap.coverage_cell_deg,
                "hours_inside_gap": int(hours),
                "hours_with_other_vessels": int(row["hours_with_others"]),
                "fraction": round(fraction, 4),
                "other_vessel_hours": int(row["vessel_hours"]),
                "good": fraction >= cfg.gap.good_reception_fraction and hours > 0,
            },
            "threshold_hours": cfg.gap.min_hours,
        }
        # GFW's suspected disabling (Welch et al. 2022): >= 12 h, where reception is good enough
        # that the silence is unlikely to be a coverage hole, beginning >= 50 nm from shore.
        far = None if shore_nm is None else bool(offshore[i])
        details["suspected_disabling"] = {
            "value": bool(details["reception"]["good"]) and far is not False,
            "rule": DISABLING_RULE,
            "min_shore_nm": shore_nm,
            "begins_offshore": far,
        }
        events.append(
            MaritimeEvent(
                kind=EventKind.GAP,
                mmsi=row["mmsi"],
                start=row["p_ts"],
                end=row["ts"],
                lat=row["p_lat"],
                lon=row["p_lon"],
                details=details,
                positions=[
                    PositionRef(
                        row["mmsi"],
                        row["p_ts"],
                        row["p_lat"],
                        row["p_lon"],
                        row["p_src_file"],
                        row["p_src_line"],
                        "before",
                    ),
                    PositionRef(
                        row["mmsi"],
                        row["ts"],
                        row["lat"],
                        row["lon"],
                        row["src_file"],
                        row["src_line"],
                        "after",
                    ),
                ],
            )
        )
    return events
