"""Encounters: two vessels within a short distance for long enough, slowly, away from port.

Each vessel is reduced to one position per time bucket (its last one in the bucket, with its
speed there). Candidate pairs come from a grid join: a cell is at least the encounter distance on each
side, so two vessels that close sit in the same or neighbouring cells; each point is joined by its
own ("home") cell against the 3x3 neighbourhood of the other side, then the exact great-circle
distance decides. Close pair-buckets are cut into runs: a new run starts after a silence longer
than ``max_gap_minutes``. Runs found in different partitions (time windows, longitude bands with a
halo) are merged by the same rule, so a partition edge never splits or hides an encounter.

The median-speed test is decomposable: the median of the pair speeds is below the threshold
exactly when more than half of them are below it (the lower median for an even count).
"""

from __future__ import annotations

import math
from datetime import timedelta

import polars as pl

from watchfloor.maritime.config import DetectionConfig
from watchfloor.maritime.ports import haversine_km
from watchfloor.maritime.records import EventKind, MaritimeEvent, PositionRef

KM_PER_DEG = 111.0
"""Slightly under the true 111.32 km, so grid cells are never smaller than the distance."""


def buckets(track: pl.DataFrame, cfg: DetectionConfig) -> pl.DataFrame:
    """One row per vessel and time bucket away from port: its last position there, with its speed.

    The track is sorted by (mmsi, ts), so a bucket's last row is the row whose successor has
    another vessel or another bucket: a filter, no grouping.
    """
    every = f"{cfg.encounter.bucket_minutes}m"
    bucket = pl.col("ts").dt.truncate(every)
    ends = (pl.col("mmsi") != pl.col("mmsi").shift(-1)) | (bucket != bucket.shift(-1))
    away = ~pl.col("near_port_encounter")
    return (
        track.lazy()
        .with_columns(bucket.alias("bucket"))
        .filter(ends.fill_null(True) & away)
        .select("mmsi", "bucket", "lat", "lon", "lat_u", "lon_u", "ts", "sog", "src_file", "src_line")
        .with_columns(pl.col("src_file").cast(pl.String))
        .collect()
    )


def _cell_deg(cfg: DetectionConfig) -> float:
    return cfg.encounter.max_distance_m / 1000.0 / KM_PER_DEG


def _row_width(row: pl.Expr, d: float) -> pl.Expr:
    """Longitude width of the cells of a latitude row: at least ``d`` km-equivalent near its edges."""
    edge = ((row.abs() + 2) * d).clip(upper_bound=89.0)
    return pl.lit(d) / edge.radians().cos()


def halo_deg(frame: pl.DataFrame, cfg: DetectionConfig) -> float:
    """How far (degrees of longitude) a band must reach past its edges to see every close pair."""
    if frame.height == 0:
        return 0.0
    d = _cell_deg(cfg)
    max_lat = float(frame.select(pl.col("lat").abs().max()).item())
    return 2.0 * d / math.cos(math.radians(min(89.0, max_lat + 3 * d)))


def close_pairs(
    bk: pl.DataFrame, cfg: DetectionConfig, band: tuple[float, float] | None = None
) -> pl.DataFrame:
    """Pair-buckets closer than the distance; with ``band``, only pairs whose lower MMSI lies in it.

    The lower-MMSI side is read from the band's core, the other side from the core plus a halo,
    so every close pair is produced by exactly one band.
    """
    d = _cell_deg(cfg)
    if bk.height == 0:
        return _gather(bk, pl.DataFrame(schema={"i": pl.UInt32, "j": pl.UInt32, "same": pl.Boolean}), 0.0)
    every = timedelta(minutes=cfg.encounter.bucket_minutes)
    first = bk["bucket"].min()
    row = (pl.col("lat") / d).floor().cast(pl.Int64)
    base = bk.lazy().select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("i"),
        ((pl.col("bucket") - first).dt.total_microseconds() // int(every.total_seconds() * 1_000_000)).alias(
            "slot"
        ),
        row.alias("row"),
        pl.col("lon"),
    )
    side_a, side_b = base, base
    if band is not None:
        lo, hi = band
        h = halo_deg(bk, cfg)
        side_a = base.filter((pl.col("lon") >= lo) & (pl.col("lon") < hi))
        side_b = base.filter((pl.col("lon") >= lo - h) & (pl.col("lon") < hi + h))
    home = side_a.select(
        "i", _key(pl.col("slot"), pl.col("row"), (pl.col("lon") / _row_width(pl.col("row"), d)).floor())
    )
    # Half of the 3x3 neighbourhood: every pair of distinct cells is met once, from the side whose
    # cell is above or to the right; a pair in one cell is met both ways (kept lower MMSI first).
    offsets = pl.LazyFrame({"dr": [0, 0, 1, 1, 1], "dc": [0, 1, -1, 0, 1]})
    k_row = pl.col("row") + pl.col("dr")
    near = side_b.join(offsets, how="cross").select(
        pl.col("i").alias("j"),
        ((pl.col("dr") == 0) & (pl.col("dc") == 0)).alias("same"),
        _key(pl.col("slot"), k_row, (pl.col("lon") / _row_width(k_row, d)).floor() + pl.col("dc")),
    )
    pairs = home.join(near, on="key").select("i", "j", "same").collect()
    return _gather(bk, pairs, cfg.encounter.max_distance_m / 1000.0)


def _key(slot: pl.Expr, row: pl.Expr, col: pl.Expr) -> pl.Expr:
    """(time slot, cell row, cell column) packed into one integer: a one-column hash join.

    Slots count buckets from the partition's first (< 2^21 for any window here), rows are within
    +-20,000 (2^16) and columns within +-80,000 (2^18) for 500 m cells.
    """
    return ((slot * (1 << 17) + (row + (1 << 16))) * (1 << 19) + (col.cast(pl.Int64) + (1 << 18))).alias(
        "key"
    )


def _gather(bk: pl.DataFrame, pairs: pl.DataFrame, limit_km: float) -> pl.DataFrame:
    """The payload of both sides of each candidate (lower MMSI first), kept when close enough."""
    names = {"mmsi": "", "bucket": "", "lat": "lat", "lon": "lon", "lat_u": "lat_u", "lon_u": "lon_u",
             "ts": "ts", "sog": "sog", "src_file": "file", "src_line": "line"}  # fmt: skip
    x = bk.select(list(names)).select(pl.all().gather(pairs["i"]).name.prefix("x_"))
    y = bk.select(list(names)).select(pl.all().gather(pairs["j"]).name.prefix("y_"))
    both = pl.concat([x, y, pairs.select("same")], how="horizontal")
    keep = ~pl.col("same") | (pl.col("x_mmsi") < pl.col("y_mmsi"))
    km = haversine_km(pl.col("x_lat"), pl.col("x_lon"), pl.col("y_lat"), pl.col("y_lon"))
    both = both.filter(keep).with_columns(km.alias("km")).filter(pl.col("km") <= limit_km)
    swap = pl.col("x_mmsi") > pl.col("y_mmsi")

    def side(first: str, second: str, column: str) -> pl.Expr:
        return pl.when(swap).then(pl.col(f"{second}_{column}")).otherwise(pl.col(f"{first}_{column}"))

    return both.select(
        side("x", "y", "mmsi").alias("a"),
        side("y", "x", "mmsi").alias("b"),
        pl.col("x_bucket").alias("bucket"),
        *[side("x", "y", c).alias(f"a_{n}") for c, n in names.items() if n],
        *[side("y", "x", c).alias(f"b_{n}") for c, n in names.items() if n],
        "km",
    )


def encounter_pieces(pairs: pl.DataFrame, cfg: DetectionConfig) -> pl.DataFrame:
    """Runs of close pair-buckets in one partition, with integer sums for exact merging."""
    gap = timedelta(minutes=cfg.encounter.max_gap_minutes)
    speed = (pl.col("a_sog").fill_null(math.inf) + pl.col("b_sog").fill_null(math.inf)) / 2
    return (
        pairs.lazy()
        .sort(["a", "b", "bucket"])
        .with_columns(
            (
                (pl.col("a") != pl.col("a").shift(1))
                | (pl.col("b") != pl.col("b").shift(1))
                | ((pl.col("bucket") - pl.col("bucket").shift(1)) > gap)
            )
            .fill_null(True)
            .cum_sum()
            .alias("run"),
            (speed < cfg.encounter.max_median_speed_knots).alias("slow"),
        )
        .group_by("run", maintain_order=True)
        .agg(_run_aggs())
        .drop("run")
        .collect()
    )


def _run_aggs() -> list[pl.Expr]:
    refs = [f"{s}_{c}" for s in "ab" for c in ("lat", "lon", "ts", "file", "line")]
    return [
        pl.col("a").first(),
        pl.col("b").first(),
        pl.col("bucket").min().alias("start"),
        pl.col("bucket").max().alias("end"),
        pl.len().cast(pl.Int64).alias("n"),
        pl.col("slow").sum().cast(pl.Int64).alias("n_slow"),
        (pl.col("a_lat_u") + pl.col("b_lat_u")).sum().alias("lat_sum"),
        (pl.col("a_lon_u") + pl.col("b_lon_u")).sum().alias("lon_sum"),
        pl.col("km").min().alias("km_min"),
        pl.col("km").max().alias("km_max"),
        *[pl.col(c).first().alias(f"first_{c}") for c in refs],
        *[pl.col(c).last().alias(f"last_{c}") for c in refs],
    ]


def stitch_encounters(parts: list[pl.DataFrame], cfg: DetectionConfig) -> pl.DataFrame:
    """Merge run pieces of the same pair whose buckets are no further apart than the allowed silence."""
    nonempty = [p for p in parts if p.height]
    if not nonempty:
        return pl.DataFrame()
    gap = timedelta(minutes=cfg.encounter.max_gap_minutes)
    bucket = timedelta(minutes=cfg.encounter.bucket_minutes)
    pieces = pl.concat(nonempty).sort(["a", "b", "start", "end"])
    prev_end = pl.col("end").cum_max().shift(1).over(["a", "b"])
    joins = ((pl.col("start") - prev_end) <= gap).fill_null(False)
    firsts = [c for c in pieces.columns if c.startswith("first_")]
    lasts = [c for c in pieces.columns if c.startswith("last_")]
    return (
        pieces.lazy()
        .with_columns(joins.alias("joins"))
        .with_columns((~pl.col("joins")).cum_sum().alias("whole"))
        .group_by("whole", maintain_order=True)
        .agg(
            pl.col("a").first(),
            pl.col("b").first(),
            pl.col("start").min(),
            pl.col("end").max(),
            pl.col("n").sum(),
            pl.col("n_slow").sum(),
            pl.col("lat_sum").sum(),
            pl.col("lon_sum").sum(),
            pl.col("km_min").min(),
            pl.col("km_max").max(),
            *[pl.col(c).sort_by("start").first() for c in firsts],
            *[pl.col(c).sort_by("end").last() for c in lasts],
        )
        .drop("whole")
        .with_columns(
            ((pl.col("end") + bucket - pl.col("start")).dt.total_microseconds() / 3.6e9).alias("hours"),
            (pl.col("lat_sum") / (2 * pl.col("n")) / 1e6).round(6).alias("lat"),
            (pl.col("lon_sum") / (2 * pl.col("n")) / 1e6).round(6).alias("lon"),
        )
        .collect()
    )


def encounter_events(parts: list[pl.DataFrame], cfg: DetectionConfig) -> list[MaritimeEvent]:
    """Whole encounters that last long enough at a median speed below the threshold."""
    runs = stitch_encounters(parts, cfg)
    if runs.height == 0:
        return []
    bucket = timedelta(minutes=cfg.encounter.bucket_minutes)
    runs = runs.filter(
        (pl.col("hours") >= cfg.encounter.min_hours) & (2 * pl.col("n_slow") > pl.col("n"))
    ).sort(["a", "b", "start"])
    events = []
    for r in runs.iter_rows(named=True):
        refs = [
            PositionRef(
                r[side],
                r[f"{when}_{s}_ts"],
                r[f"{when}_{s}_lat"],
                r[f"{when}_{s}_lon"],
                r[f"{when}_{s}_file"],
                r[f"{when}_{s}_line"],
                when,
            )
            for when in ("first", "last")
            for side, s in (("a", "a"), ("b", "b"))
        ]
        events.append(
            MaritimeEvent(
                kind=EventKind.ENCOUNTER,
                mmsi=r["a"],
                other_mmsi=r["b"],
                start=r["start"],
                end=r["end"] + bucket,
                lat=r["lat"],
                lon=r["lon"],
                details={
                    "hours": round(r["hours"], 3),
                    "buckets": r["n"],
                    "slow_buckets": r["n_slow"],
                    "min_distance_m": round(r["km_min"] * 1000, 1),
                    "max_distance_m": round(r["km_max"] * 1000, 1),
                    "median_speed_below_knots": cfg.encounter.max_median_speed_knots,
                    "bucket_minutes": cfg.encounter.bucket_minutes,
                },
                positions=refs,
            )
        )
    return events
