"""Vessel tracks for a map: positions from the AIS store, thinned to a budget, split at gaps.

A segment ends where the vessel went unheard for longer than the gap detector's threshold, so a
map draws the silence as a dashed line between two solid ones (``{"gap": true}`` segments).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import polars as pl
from sqlalchemy import select

from watchfloor.maritime.config import load_detection_config
from watchfloor.store.ais import scan_positions, scan_static
from watchfloor.store.models import MaritimeEvent

if TYPE_CHECKING:
    from watchfloor.service.app import Watchfloor


def _listed_vessels(app: Watchfloor) -> dict[str, list[str]]:
    """MMSI/IMO (as strings) → list entry keys, from the maritime events' strong list links."""
    found: dict[str, set[str]] = {}
    with app.session() as session:
        for data in session.scalars(select(MaritimeEvent.data).where(MaritimeEvent.list_entries != [])):
            for link in (data or {}).get("links") or []:
                if link.get("strong", True):
                    found.setdefault(str(link.get("mmsi")), set()).add(str(link.get("entry_key")))
    return {k: sorted(v) for k, v in found.items()}


def vessel_tracks(
    app: Watchfloor,
    *,
    vessel: str | None = None,
    since: date | None = None,
    until: date | None = None,
    max_points: int = 100_000,
) -> dict[str, Any]:
    """Tracks of every vessel (or one, by MMSI or IMO) in the window, at most ``max_points`` points."""
    gap = timedelta(hours=float(load_detection_config().gap.min_hours))
    frame = scan_positions(app.data_dir, since, until).select("mmsi", "ts", "lat", "lon")
    static = scan_static(app.data_dir, since, until).select("mmsi", "imo", "name")
    names = static.group_by("mmsi").agg(pl.col("imo").drop_nulls().last(), pl.col("name").drop_nulls().last())
    if vessel:
        digits = int("".join(ch for ch in vessel if ch.isdigit()) or -1)
        mmsis = names.filter(pl.col("imo") == digits).select("mmsi").collect()["mmsi"].to_list()
        frame = frame.filter(pl.col("mmsi").is_in([digits, *mmsis]))
    positions = frame.drop_nulls(["lat", "lon"]).sort("mmsi", "ts").collect()
    total = positions.height
    if total > max_points:
        step = -(-total // max_points)
        positions = positions.with_row_index("_i").filter(pl.col("_i") % step == 0).drop("_i")
    info = {row["mmsi"]: row for row in names.collect().iter_rows(named=True)}
    listed = _listed_vessels(app)
    vessels = []
    for (mmsi,), track in positions.group_by(["mmsi"], maintain_order=True):
        segments: list[dict[str, Any]] = []
        points: list[list[Any]] = []
        last = None
        for ts, lat, lon in track.select("ts", "lat", "lon").iter_rows():
            if last is not None and ts - last > gap:
                segments.append({"gap": False, "points": points})
                segments.append({"gap": True, "points": [points[-1], [lon, lat, ts.isoformat()]]})
                points = []
            points.append([lon, lat, ts.isoformat()])
            last = ts
        if points:
            segments.append({"gap": False, "points": points})
        meta = info.get(mmsi, {})
        keys = listed.get(str(mmsi), [])
        vessels.append(
            {
                "mmsi": mmsi,
                "imo": meta.get("imo"),
                "name": meta.get("name"),
                "listed": bool(keys),
                "list_entries": keys,
                "segments": segments,
            }
        )
    return {"positions": total, "shown": positions.height, "vessels": vessels}
