"""Identity changes: what a vessel says it is, and positions no single ship could have made.

From static (voyage) data: one MMSI broadcasting several names, IMO numbers or call signs; one IMO
number under several MMSIs; and, among those, a change of flag (the MMSI's Maritime Identification
Digits). From positions: jumps faster than any merchant ship sails (spoofing, or two ships sharing
one MMSI), merged into one event when they follow each other closely.
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import Any

import polars as pl

from watchfloor.maritime.config import DetectionConfig
from watchfloor.maritime.records import EventKind, MaritimeEvent, PositionRef
from watchfloor.vocabulary import read_vocabulary


@lru_cache(maxsize=1)
def mid_flags() -> dict[str, str]:
    """MID (three digits) to ISO country code, from the shipped ITU table subset."""
    data, _origin = read_vocabulary("watchfloor.maritime", "mids.yaml")
    return {str(k): str(v) for k, v in data["mids"].items()}


def mid_of(mmsi: int) -> str:
    """The Maritime Identification Digits of a ship station MMSI (9 digits, first three)."""
    return str(mmsi).zfill(9)[:3]


def flag_of(mmsi: int) -> str:
    """ISO flag code of an MMSI, or ``mid:NNN`` when the MID is not in the table."""
    mid = mid_of(mmsi)
    return mid_flags().get(mid, f"mid:{mid}")


def valid_imo(imo: pl.Expr) -> pl.Expr:
    """True where ``imo`` is a 7-digit IMO ship number whose check digit is right (the last digit is
    the sum of the first six times 7, 6, 5, 4, 3, 2, modulo 10). Transponders broadcast 0, 1, 111,
    their MMSI and other fill values in the IMO field; those are not identities."""
    digits: list[pl.Expr] = [imo.floordiv(10**k).mod(10) for k in range(6, -1, -1)]
    weighted = pl.sum_horizontal([d * w for d, w in zip(digits[:6], (7, 6, 5, 4, 3, 2), strict=True)])
    valid: pl.Expr = imo.is_between(1_000_000, 9_999_999) & (weighted.mod(10) == digits[6])
    return valid


def normalise_static(static: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """Static rows with names and call signs upper-cased, AIS padding ('@') and spaces collapsed,
    and IMO numbers kept only where their check digit is right."""

    def clean(col: str) -> pl.Expr:
        text = pl.col(col).str.replace_all("@", " ").str.replace_all(r"\s+", " ").str.strip_chars()
        text = text.str.to_uppercase()
        return pl.when(text.str.len_chars() > 0).then(text).alias(col)

    return (
        static.lazy()
        .select("mmsi", "ts", "imo", "name", "call_sign", "src_file", "src_line")
        .with_columns(
            clean("name"),
            clean("call_sign"),
            pl.when(valid_imo(pl.col("imo"))).then(pl.col("imo")).alias("imo"),
            pl.col("src_file").cast(pl.String),
        )
    )


def _values(static: pl.LazyFrame, key: str, attr: str, min_obs: int) -> pl.DataFrame:
    return (
        static.filter(pl.col(attr).is_not_null() & pl.col(key).is_not_null())  # no IMO is no shared IMO
        .sort(["ts", "src_file", "src_line"])
        .group_by([key, attr])
        .agg(
            pl.len().alias("count"),
            pl.col("ts").min().alias("first_seen"),
            pl.col("ts").max().alias("last_seen"),
            pl.col("src_file").first().alias("src_file"),
            pl.col("src_line").first().alias("src_line"),
            pl.col("mmsi").first().alias("ref_mmsi"),
        )
        .filter(pl.col("count") >= min_obs)
        .sort([key, "first_seen", attr])
        .collect()
    )


def _event(
    key_mmsi: int, change: str, rows: list[dict[str, Any]], attr: str, extra: dict[str, Any]
) -> MaritimeEvent:
    values = [
        {
            "value": r[attr],
            "first_seen": r["first_seen"].isoformat(),
            "last_seen": r["last_seen"].isoformat(),
            "count": r["count"],
        }
        for r in rows
    ]
    return MaritimeEvent(
        kind=EventKind.IDENTITY,
        mmsi=key_mmsi,
        start=min(r["first_seen"] for r in rows),
        end=max(r["last_seen"] for r in rows),
        lat=None,
        lon=None,
        details={"change": change, "values": values, **extra},
        positions=[
            PositionRef(r["ref_mmsi"], r["first_seen"], None, None, r["src_file"], r["src_line"], "value")
            for r in rows
        ],
    )


def static_identity_events(static: pl.DataFrame | pl.LazyFrame, cfg: DetectionConfig) -> list[MaritimeEvent]:
    """Several names/IMOs/call signs for one MMSI; several MMSIs (and flags) for one IMO."""
    st = normalise_static(static)
    min_obs = cfg.identity.min_observations
    events: list[MaritimeEvent] = []
    for attr, change in (("name", "name"), ("imo", "imo"), ("call_sign", "call_sign")):
        table = _values(st, "mmsi", attr, min_obs)
        for (mmsi,), group in table.group_by(["mmsi"], maintain_order=True):
            if group.height > 1:
                events.append(_event(int(mmsi), change, group.to_dicts(), attr, {}))
    by_imo = _values(st, "imo", "mmsi", min_obs)
    for (imo,), group in by_imo.group_by(["imo"], maintain_order=True):
        if group.height < 2:
            continue
        rows = group.to_dicts()
        mmsis = sorted(int(r["mmsi"]) for r in rows)
        extra = {"imo": int(imo), "mmsis": mmsis}
        events.append(_event(mmsis[0], "mmsi_for_imo", rows, "mmsi", extra))
        flags = {flag_of(m) for m in mmsis}
        if len(flags) > 1:
            flag_rows = [{**r, "flag": flag_of(int(r["mmsi"]))} for r in rows]
            events.append(_event(mmsis[0], "flag", flag_rows, "flag", {**extra, "flags": sorted(flags)}))
    return events


def jump_events(trans: pl.DataFrame, cfg: DetectionConfig) -> list[MaritimeEvent]:
    """Impossible jumps between consecutive positions, merged per vessel when close in time."""
    jumps = trans.filter(
        (pl.col("speed_kn") > cfg.impossible.max_speed_knots)
        & (pl.col("dist_km") > cfg.impossible.min_distance_km)
    ).sort(["mmsi", "p_ts", "ts"])
    if jumps.height == 0:
        return []
    merge = timedelta(hours=cfg.impossible.merge_hours)
    new = (
        (pl.col("mmsi") != pl.col("mmsi").shift(1)) | ((pl.col("p_ts") - pl.col("ts").shift(1)) > merge)
    ).fill_null(True)
    runs = (
        jumps.with_columns(new.cum_sum().alias("run"))
        .group_by("run", maintain_order=True)
        .agg(
            pl.col("mmsi").first(),
            pl.col("p_ts").first().alias("start"),
            pl.col("ts").last().alias("end"),
            pl.len().alias("jumps"),
            pl.col("speed_kn").max().alias("max_speed"),
            pl.col("dist_km").max().alias("max_km"),
            *[pl.col(c).first() for c in ("p_lat", "p_lon", "p_src_file", "p_src_line")],
            *[pl.col(c).first().alias(f"f_{c}") for c in ("lat", "lon", "ts", "src_file", "src_line")],
        )
    )
    return [
        MaritimeEvent(
            kind=EventKind.IDENTITY,
            mmsi=r["mmsi"],
            start=r["start"],
            end=r["end"],
            lat=r["p_lat"],
            lon=r["p_lon"],
            details={
                "change": "impossible_position",
                "jumps": r["jumps"],
                "max_implied_speed_knots": round(r["max_speed"], 1),
                "max_jump_km": round(r["max_km"], 3),
                "threshold_knots": cfg.impossible.max_speed_knots,
            },
            positions=[
                PositionRef(
                    r["mmsi"], r["start"], r["p_lat"], r["p_lon"], r["p_src_file"], r["p_src_line"], "before"
                ),
                PositionRef(
                    r["mmsi"], r["f_ts"], r["f_lat"], r["f_lon"], r["f_src_file"], r["f_src_line"], "after"
                ),
            ],
        )
        for r in runs.iter_rows(named=True)
    ]
