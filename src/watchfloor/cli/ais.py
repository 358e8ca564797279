"""``watchfloor ais``: ingest AIS files into the Parquet store; find maritime events; simulate.

Commands are thin: parse, call the library (``watchfloor.maritime``), print. Each command has its
own section below; add new ones as a new section.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from watchfloor.cli.output import err_console, print_json, print_table
from watchfloor.service.maritime import expand_ais_paths, ingest_ais
from watchfloor.settings import get_settings
from watchfloor.sources.ais.files import DEFAULT_CHUNK_BYTES
from watchfloor.sources.ais.report import KEPT_CAUSES, ReadReport
from watchfloor.store.ais import IngestResult

app = typer.Typer(help="AIS ship tracks: ingest NMEA/CSV into the Parquet store, find events, simulate.")

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for pipes.")]
DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data folder (default: setting data_dir); Parquet goes in <dir>/ais."),
]


def _data_dir(option: Path | None) -> Path:
    return option if option is not None else get_settings().data_dir


# ---------------------------------------------------------------------------------------------
# ais ingest
# ---------------------------------------------------------------------------------------------


def _size(path: Path) -> int | None:
    """Bytes to read, for the progress bar; unknown (None) for compressed files."""
    return None if path.suffix.lower() in (".gz", ".zip") else path.stat().st_size


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="NMEA or CSV files (plain, .gz, .zip) or folders.")],
    data_dir: DataDirOption = None,
    chunk_mib: Annotated[
        int, typer.Option("--chunk-mib", min=1, help="Block size read at a time; peak memory is ~15x this.")
    ] = DEFAULT_CHUNK_BYTES // 2**20,
    json_out: JsonOption = False,
) -> None:
    """Read AIS files into the day-partitioned Parquet store, counting bad input by cause.

    Files already ingested (same bytes) are skipped; malformed lines are counted, never fatal.
    """
    target = _data_dir(data_dir)
    results: list[IngestResult] = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[lines]:>12,} lines"),
        TimeElapsedColumn(),
        console=err_console,
        disable=json_out,
        transient=True,
    ) as progress:
        for path in expand_ais_paths(paths):
            task = progress.add_task(path.name, total=_size(path), lines=0)

            def advance(report: ReadReport, task_id: TaskID = task) -> None:
                progress.update(task_id, completed=report.bytes_read, lines=report.lines)

            results.append(ingest_ais(path, target, chunk_bytes=chunk_mib * 2**20, progress=advance))
            progress.update(task, completed=_size(path) or 1, total=_size(path) or 1)
    if json_out:
        print_json({"data_dir": str(target), "files": [r.as_dict() for r in results]})
        return
    rows = []
    for result in results:
        report = result.report
        status = "already stored" if result.skipped else ("replaced" if result.replaced else "ingested")
        rows.append(
            (
                Path(result.path).name,
                report.format,
                status,
                f"{report.lines:,}",
                f"{report.positions:,}",
                f"{report.static:,}",
                f"{report.dropped:,}",
            )
        )
    print_table(
        f"AIS ingest into {target}",
        ["file", "format", "status", "lines", "positions", "static", "dropped"],
        rows,
    )
    problems = [
        (Path(result.path).name, cause.value, f"{count:,}", "kept" if cause in KEPT_CAUSES else "dropped")
        for result in results
        for cause, count in sorted(result.report.causes.items())
        if count
    ]
    if problems:
        print_table("Problems by cause (counted, never fatal)", ["file", "cause", "count", "rows"], problems)


# Maritime detection, events and the synthetic scenario (watchfloor.cli.ais_events).
from watchfloor.cli import ais_events as _ais_events  # noqa: E402, F401
