"""Port visits: a vessel inside a watched port's circle, with arrival and departure.

A visit is a run of positions inside one port's radius; a silence of up to ``max_gap_hours`` in
port does not split it. Arrival is the first position inside, departure the last. As in Global
Fishing Watch's port visits, the vessel must have stopped there (one fix at or below
``stop_speed_knots``, GFW: < 0.2 kn; a run with no speed reported at all is kept) and stayed at
least ``min_hours`` (GFW's carrier portal: 3 h). A ship passing through a port circle at speed is
a transit, not a call.
"""

from __future__ import annotations

import polars as pl

from watchfloor.maritime.config import DetectionConfig
from watchfloor.maritime.ports import Port
from watchfloor.maritime.records import EventKind, MaritimeEvent, PositionRef
from watchfloor.maritime.runs import run_pieces, stitch_runs


def port_visit_pieces(track: pl.DataFrame, cfg: DetectionConfig) -> pl.DataFrame:
    """Pieces of in-port runs in one partition."""
    return run_pieces(track, pl.col("port"), cfg.port_visit.max_gap_hours)


def port_visit_events(
    parts: list[pl.DataFrame], cfg: DetectionConfig, ports: list[Port]
) -> list[MaritimeEvent]:
    """Whole visits of at least the minimum duration."""
    runs = stitch_runs(parts, cfg.port_visit.max_gap_hours)
    if runs.height == 0:
        return []
    runs = runs.filter(pl.col("hours") >= cfg.port_visit.min_hours)
    stop = cfg.port_visit.stop_speed_knots
    if stop is not None:
        runs = runs.filter(pl.col("sog_min").is_null() | (pl.col("sog_min") <= stop))
    events = []
    for r in runs.iter_rows(named=True):
        port = ports[r["state"]]
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
                    "threshold_hours": cfg.port_visit.min_hours,
                },
                positions=[
                    PositionRef(
                        r["mmsi"],
                        r["start"],
                        r["first_lat"],
                        r["first_lon"],
                        r["first_file"],
                        r["first_line"],
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
