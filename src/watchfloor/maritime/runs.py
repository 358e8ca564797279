"""Runs: consecutive positions of one vessel in the same state (slow at sea, inside a port circle).

Runs are cut into *pieces* per partition and stitched afterwards: a piece that holds the vessel's
last position of its partition joins the piece holding its first position of a later partition
when both are in the same state and the silence between them is short enough. That is exactly the
rule used inside a partition, so the runs do not depend on where the partitions are cut. Sums
are integers (micro-degrees, centi-knots) so they add up the same in any order.
"""

from __future__ import annotations

import polars as pl

PIECE_AGGS = [
    pl.col("ts").min().alias("start"),
    pl.col("ts").max().alias("end"),
    pl.len().cast(pl.Int64).alias("n"),
    pl.col("lat_u").sum().alias("lat_sum"),
    pl.col("lon_u").sum().alias("lon_sum"),
    (pl.col("sog").fill_null(0) * 100).round().cast(pl.Int64).sum().alias("sog_sum"),
    pl.col("sog").max().alias("sog_max"),
    pl.col("sog").min().alias("sog_min"),
    pl.col("lat").first().alias("first_lat"),
    pl.col("lon").first().alias("first_lon"),
    pl.col("src_file").first().alias("first_file"),
    pl.col("src_line").first().alias("first_line"),
    pl.col("lat").last().alias("last_lat"),
    pl.col("lon").last().alias("last_lon"),
    pl.col("src_file").last().alias("last_file"),
    pl.col("src_line").last().alias("last_line"),
    pl.col("first").any().alias("open_start"),
    pl.col("last").any().alias("open_end"),
]


def run_pieces(track: pl.DataFrame, state: pl.Expr, max_gap_hours: float) -> pl.DataFrame:
    """Pieces of runs in one partition; ``state`` is null outside a run (e.g. a port id or "slow")."""
    s = state.alias("state")
    return (
        track.lazy()
        .with_columns(s)
        .with_columns(
            (
                pl.col("first")
                | (pl.col("state").ne_missing(pl.col("state").shift(1)))
                | (pl.col("dt_h") > max_gap_hours)
            )
            .cum_sum()
            .alias("run")
        )
        .filter(pl.col("state").is_not_null())
        .group_by(["run"], maintain_order=True)
        .agg(pl.col("mmsi").first(), pl.col("state").first(), *PIECE_AGGS)
        .drop("run")
        .with_columns(pl.col("first_file").cast(pl.String), pl.col("last_file").cast(pl.String))
        .collect()
    )


def numbered_pieces(parts: list[pl.DataFrame], max_gap_hours: float) -> pl.LazyFrame | None:
    """All partitions' pieces in (mmsi, start) order, each with ``whole``: the number of the whole run
    it belongs to. A piece continues the one before it when both are the same vessel in the same
    state, open at the seam between them, and no more than ``max_gap_hours`` apart. None when empty."""
    nonempty = [p for p in parts if p.height]
    if not nonempty:
        return None
    pieces = pl.concat(nonempty).sort(["mmsi", "start"])
    gap_h = (pl.col("start") - pl.col("end").shift(1)).dt.total_microseconds() / 3.6e9
    joins = (
        (pl.col("mmsi") == pl.col("mmsi").shift(1))
        & (pl.col("state") == pl.col("state").shift(1))
        & pl.col("open_end").shift(1)
        & pl.col("open_start")
        & (gap_h <= max_gap_hours)
    ).fill_null(False)
    return pieces.lazy().with_columns((~joins).cum_sum().alias("whole"))


def stitch_runs(parts: list[pl.DataFrame], max_gap_hours: float) -> pl.DataFrame:
    """Join pieces from all partitions into whole runs (one row each)."""
    pieces = numbered_pieces(parts, max_gap_hours)
    if pieces is None:
        return pl.DataFrame()
    return (
        pieces.group_by("whole", maintain_order=True)
        .agg(
            pl.col("mmsi").first(),
            pl.col("state").first(),
            pl.col("start").min(),
            pl.col("end").max(),
            pl.col("n").sum(),
            pl.col("lat_sum").sum(),
            pl.col("lon_sum").sum(),
            pl.col("sog_sum").sum(),
            pl.col("sog_max").max(),
            pl.col("sog_min").min(),
            *[pl.col(c).first() for c in ("first_lat", "first_lon", "first_file", "first_line")],
            *[pl.col(c).last() for c in ("last_lat", "last_lon", "last_file", "last_line")],
        )
        .drop("whole")
        .with_columns(
            ((pl.col("end") - pl.col("start")).dt.total_microseconds() / 3.6e9).alias("hours"),
            (pl.col("lat_sum") / pl.col("n") / 1e6).round(6).alias("lat"),
            (pl.col("lon_sum") / pl.col("n") / 1e6).round(6).alias("lon"),
            (pl.col("sog_sum") / pl.col("n") / 100).round(3).alias("sog_mean"),
        )
        .collect()
    )
