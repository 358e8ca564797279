"""``watchfloor ais detect | events | simulate``: maritime events from the Parquet store, and the
SYNTHETIC scenario generator. Registered on the ``ais`` command group by ``cli/ais.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from watchfloor.cli.ais import DataDirOption, JsonOption, _data_dir, app
from watchfloor.cli.output import console, err_console, print_json, print_table
from watchfloor.maritime.details import (
    EncounterDetails,
    GapDetails,
    LoiteringDetails,
    PortVisitDetails,
    details_of,
    vessel_identity,
)
from watchfloor.maritime.detect import DetectionResult
from watchfloor.maritime.records import EventKind, MaritimeEvent
from watchfloor.service import maritime as maritime_ops
from watchfloor.service.app import LOCAL, Watchfloor
from watchfloor.store import Store, open_store


def _vessel_label(event: MaritimeEvent, mmsi: int) -> str:
    names = vessel_identity(event, mmsi).name
    return f"{mmsi}" + (f" {'/'.join(names)}" if names else "")


def _summary(event: MaritimeEvent) -> str:
    d = details_of(event)
    if isinstance(d, GapDetails):
        rec = d.reception
        return (
            f"dark {d.hours:.1f} h, {d.distance_km:.0f} km at {d.implied_speed_knots:.1f} kn; "
            f"others received {rec.hours_with_other_vessels}/{rec.hours_inside_gap} h"
        )
    if isinstance(d, EncounterDetails):
        return f"{d.hours:.1f} h within {d.max_distance_m:.0f} m"
    if isinstance(d, LoiteringDetails):
        return f"{d.hours:.1f} h at {d.mean_speed_knots:.1f} kn mean"
    if isinstance(d, PortVisitDetails):
        return f"{d.port_name} {d.hours:.1f} h"
    return f"{d.change}: {', '.join(d.values)}" if d.values else d.change


def print_events(events: list[MaritimeEvent], title: str, out: Console = console) -> None:
    """A table of events for people: kind, time, vessels, what happened, list links."""
    # imported here, not at the top: keeps the start-up of every other command light
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in ("kind", "start (UTC)", "hours", "vessels", "what", "lat, lon", "listed as"):
        table.add_column(column, overflow="fold")
    for e in events:
        links = sorted({f"{link.caption} ({link.entry_key})" for link in e.links if link.strong})
        table.add_row(
            ("[bold yellow]SYNTHETIC[/] " if e.synthetic else "") + e.kind.value,
            f"{e.start:%Y-%m-%d %H:%M}",
            f"{e.duration_hours:.1f}",
            " + ".join(_vessel_label(e, m) for m in e.mmsis),
            _summary(e),
            "" if e.lat is None or e.lon is None else f"{e.lat:.3f}, {e.lon:.3f}",
            "; ".join(links),
        )
    out.print(table)


def run_detection(
    store: Store,
    data_dir: Path,
    dask: str | None = None,
    workers: int = 0,
    progress: Progress | None = None,
) -> DetectionResult:
    """Detection through the application layer, with a progress bar when one is given."""
    task = progress.add_task("detect", total=None) if progress is not None else None

    def advance(done: int, total: int) -> None:
        if progress is not None and task is not None:
            progress.update(task, completed=done, total=total)

    return Watchfloor(store).detect(LOCAL, data_dir, dask=dask, workers=workers, progress=advance)


@app.command()
def detect(
    data_dir: DataDirOption = None,
    dask: Annotated[
        str | None, typer.Option("--dask", help="Dask scheduler address (tcp://host:8786) to run on.")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", help="Run on a local Dask cluster of this many workers.")
    ] = 0,
    json_out: JsonOption = False,
) -> None:
    """Find gaps, encounters, loitering, port visits and identity changes in the stored AIS, and
    save them (with their sanctions-list links) in the store."""
    store = open_store()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=json_out,
        transient=True,
    ) as progress:
        result = run_detection(store, _data_dir(data_dir), dask, workers, progress)
    listed = [e for e in result.events if e.listed]
    if json_out:
        print_json({"positions": result.positions, "windows": result.windows, "counts": result.counts,
                    "listed_events": len(listed), "flagged": result.set_aside,
                    "flagged_set_aside": result.land_set_aside,
                    "flagged_examples": [r.to_dict() for r in result.set_aside_refs]})  # fmt: skip
        return
    print_table(
        f"{result.positions:,} positions in {result.windows} windows",
        ["kind", "events", "with a listed vessel"],
        [(k, n, sum(1 for e in listed if e.kind.value == k)) for k, n in sorted(result.counts.items())],
    )
    for cause, n in sorted(result.set_aside.items()):
        fate = "kept out of detection" if result.land_set_aside else "flagged, kept (land.set_aside: false)"
        err_console.print(f"{n:,} positions {cause.replace('_', ' ')}: {fate}")


@app.command()
def events(
    kind: Annotated[
        EventKind | None,
        typer.Option("--kind", help="Only this kind: gap, encounter, loitering, port_visit, identity."),
    ] = None,
    vessel: Annotated[
        str | None, typer.Option("--vessel", help="Only this vessel: IMO (7 digits) or MMSI.")
    ] = None,
    listed: Annotated[bool, typer.Option("--listed", help="Only events with a sanctioned vessel.")] = False,
    json_out: JsonOption = False,
) -> None:
    """List the maritime events saved by ``watchfloor ais detect``."""
    found = maritime_ops.maritime_events(open_store(), kind, vessel, listed_only=listed)
    if json_out:
        print_json([e.to_dict() for e in found])
        return
    if not found:
        err_console.print(
            "no maritime events stored: run `watchfloor ais ingest` then `watchfloor ais detect`"
        )
        return
    print_events(found, f"{len(found)} maritime events")


@app.command()
def simulate(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the CSV, ground_truth.json and SYNTHETIC.md.")
    ],
    days: Annotated[int, typer.Option("--days", min=2, max=60)] = 7,
    background: Annotated[int, typer.Option("--background", min=0, max=2000, help="Background ships.")] = 30,
    seed: Annotated[int, typer.Option("--seed")] = 7,
    json_out: JsonOption = False,
) -> None:
    """Write a SYNTHETIC Sea of Japan AIS scenario (MarineCadastre CSV layout) with its ground truth."""
    # imported here, not at the top: keeps the start-up of every other command light
    from watchfloor.maritime.scenario import generate

    scenario = generate(days=days, background=background, seed=seed)
    csv_path, truth_path = scenario.write(out)
    planted = _count(t["kind"] for t in scenario.truth)
    summary: dict[str, Any] = {
        "csv": str(csv_path),
        "ground_truth": str(truth_path),
        "positions": scenario.positions.height,
        "vessels": len({v.mmsi for v in scenario.vessels}),
        "planted": planted,
        "synthetic": True,
    }
    if json_out:
        print_json(summary)
        return
    positions, vessels = scenario.positions.height, summary["vessels"]
    console.print(f"[bold yellow]SYNTHETIC[/] scenario: {positions:,} positions, {vessels} vessels")
    console.print(f"  {csv_path}\n  {truth_path}")
    print_table("planted events (ground truth)", ["kind", "count"], sorted(planted.items()))


def _count(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts
