"""Vessel tracks: one time partition of positions, sorted and annotated for every detector.

Every detector reads the same prepared frame: positions sorted by (mmsi, ts), integer
micro-degrees for exact (order-independent) sums, and the port columns: the port whose circle
holds the point (port visits) and whether it is within the exclusion distance of any port
(loitering and encounters happen "away from port").
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from watchfloor.maritime.config import DetectionConfig
from watchfloor.maritime.ports import Port, port_d2

KNOT_KMH = 1.852
MICRO = 1_000_000

TRACK_COLUMNS = ["mmsi", "ts", "lat", "lon", "sog", "src_file", "src_line"]


def prepare(frame: pl.DataFrame, cfg: DetectionConfig, ports: list[Port]) -> pl.DataFrame:
    """Sort one partition and add the columns the detectors share.

    Adds ``port`` (index in ``ports`` or null: inside the port's entry circle), ``port_out`` (the
    port whose exit circle holds the point: the port-visit hysteresis band),
    ``near_port_loiter`` / ``near_port_encounter`` (bool),
    ``lat_u``/``lon_u`` (micro-degrees), ``first``/``last`` (the vessel's first/last row here),
    ``dt_h`` (hours since the vessel's previous row here) and ``speed_fast`` (knots implied by the
    move from it, on a flat-earth distance: a cheap screen that :mod:`gaps` re-checks exactly).
    """
    lat = pl.col("lat")
    lon = pl.col("lon")
    first = (pl.col("mmsi") != pl.col("mmsi").shift(1)).fill_null(True)
    dt_h = (pl.col("ts") - pl.col("ts").shift(1)).dt.total_microseconds() / 3.6e9
    dy = (lat - lat.shift(1)) * 111.195
    dx = (lon - lon.shift(1)) * 111.195 * lat.radians().cos()
    return (
        _with_ports(_sorted(frame.select(TRACK_COLUMNS)), cfg, ports)
        .lazy()
        .with_columns(
            (lat * MICRO).round().cast(pl.Int64).alias("lat_u"),
            (lon * MICRO).round().cast(pl.Int64).alias("lon_u"),
            first.alias("first"),
            (pl.col("mmsi") != pl.col("mmsi").shift(-1)).fill_null(True).alias("last"),
            pl.when(first).then(None).otherwise(dt_h).alias("dt_h"),
            ((dy * dy + dx * dx).sqrt() / KNOT_KMH).alias("_nm"),
        )
        .with_columns((pl.col("_nm") / pl.col("dt_h").clip(lower_bound=1 / 3600)).alias("speed_fast"))
        .drop("_nm")
        .collect()
    )


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows by (mmsi, ts), ties by line. The Parquet store writes parts sorted that way, so a
    cheap check usually saves the sort; otherwise one packed integer key (MMSI above,
    milliseconds below) sorts about three times faster than the column list."""
    if frame.height == 0:
        return frame
    ordered = frame.select(
        (
            (pl.col("mmsi").diff() > 0)
            | ((pl.col("mmsi").diff() == 0) & (pl.col("ts").diff() >= pl.duration()))
        )
        .fill_null(True)
        .all()
    ).item()
    if ordered:
        return frame
    lo, hi, sub_ms, m_lo, m_hi = frame.select(
        pl.col("ts").min(),
        pl.col("ts").max().alias("hi"),
        (pl.col("ts").dt.microsecond() % 1000 != 0).any().alias("sub_ms"),
        pl.col("mmsi").min().alias("m_lo"),
        pl.col("mmsi").max().alias("m_hi"),
    ).row(0)
    if (hi - lo).total_seconds() * 1000 >= 2**33 or sub_ms or m_lo < 0 or m_hi >= 2**30:
        return frame.sort(["mmsi", "ts", "src_line"])
    key = pl.col("mmsi").cast(pl.UInt64) * (1 << 33) + (pl.col("ts") - lo).dt.total_milliseconds().cast(
        pl.UInt64
    )
    return frame.sort([key, pl.col("src_line")])


CELL_PER_DEG = 4
"""Prefilter grid: 0.25 degree cells."""


def _cell_key(lat: pl.Expr, lon: pl.Expr) -> pl.Expr:
    return (lat * CELL_PER_DEG).floor().cast(pl.Int64) * 10_000 + (lon * CELL_PER_DEG).floor().cast(pl.Int64)


def _port_cells(ports: list[Port], extra_km: float) -> list[int]:
    """Keys of the prefilter cells that any port's reach (radius + ``extra_km``) touches."""
    cells: set[int] = set()
    for p in ports:
        reach = p.radius_km + extra_km
        dlat = reach / 111.0
        dlon = reach / (111.0 * max(0.05, math.cos(math.radians(min(89.0, abs(p.lat) + dlat)))))
        for y in range(
            math.floor((p.lat - dlat) * CELL_PER_DEG), math.floor((p.lat + dlat) * CELL_PER_DEG) + 1
        ):
            for x in range(
                math.floor((p.lon - dlon) * CELL_PER_DEG), math.floor((p.lon + dlon) * CELL_PER_DEG) + 1
            ):
                cells.add(y * 10_000 + x)
    return sorted(cells)


def _with_ports(frame: pl.DataFrame, cfg: DetectionConfig, ports: list[Port]) -> pl.DataFrame:
    """Add the port columns, testing distances only for rows in grid cells a port reaches.

    ``port`` is the index of the port in ``ports`` (Int16; null outside every port circle); the
    detectors turn it into the port id in their (small) outputs. Row order is kept.
    """
    n = frame.height
    port = np.full(n, -1, dtype=np.int16)
    port_out = np.full(n, -1, dtype=np.int16)
    near_loiter = np.zeros(n, dtype=bool)
    near_encounter = np.zeros(n, dtype=bool)
    if ports and n:
        el, ee = cfg.loitering.port_exclusion_km, cfg.encounter.port_exclusion_km
        lat, lon = pl.col("lat"), pl.col("lon")
        pv = cfg.port_visit
        band = pv.exit_km - pv.entry_km
        reach = max(el, ee, band + max(0.0, pv.entry_km - min(p.radius_km for p in ports)))
        box = _cell_key(lat, lon).is_in(pl.Series(_port_cells(ports, reach)).implode())
        rows = frame.select(box.arg_true()).to_series().to_numpy()
        if rows.size:
            inside = frame.select("lat", "lon")[rows]
            d2 = [port_d2(p, lat, lon) for p in ports]

            def within(extra: float) -> list[pl.Expr]:
                return [dist <= (p.radius_km + extra) ** 2 for p, dist in zip(ports, d2, strict=True)]

            def entered(extra: float) -> list[pl.Expr]:
                return [
                    dist <= (max(pv.entry_km, p.radius_km) + extra) ** 2
                    for p, dist in zip(ports, d2, strict=True)
                ]

            def first_of(hits: list[pl.Expr], name: str) -> pl.Expr:
                return pl.coalesce(
                    [pl.when(hit).then(pl.lit(i, dtype=pl.Int16)) for i, hit in enumerate(hits)]
                    + [pl.lit(-1, dtype=pl.Int16)]
                ).alias(name)

            marks = inside.select(
                first_of(entered(0.0), "port"),
                first_of(entered(band), "port_out"),
                pl.any_horizontal(within(el)).alias("loiter"),
                pl.any_horizontal(within(ee)).alias("encounter"),
            )
            port[rows] = marks["port"].to_numpy()
            port_out[rows] = marks["port_out"].to_numpy()
            near_loiter[rows] = marks["loiter"].to_numpy()
            near_encounter[rows] = marks["encounter"].to_numpy()
    return frame.with_columns(
        pl.Series("port", port).replace(-1, None),
        pl.Series("port_out", port_out).replace(-1, None),
        pl.Series("near_port_loiter", near_loiter),
        pl.Series("near_port_encounter", near_encounter),
    )
