"""``watchfloor demo``: the main job on the bundled data, end to end, into one store."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from watchfloor.cli.output import console, print_json
from watchfloor.sources.bundled import FOUNDING_REPORT, FOUNDING_REPORT_SOURCE, data_file
from watchfloor.sources.reports import read_seed_report
from watchfloor.store import Store, open_store
from watchfloor.store.documents import StoredDocument, count_rows, save_report

DEFAULT_DEMO_STORE = Path("watchfloor-demo.db")


def founding_report_step(store: Store, shared: Path | None) -> dict[str, Any]:
    """Ingest the founding report and describe what the store holds for it."""
    path = data_file(FOUNDING_REPORT, shared)
    report = read_seed_report(path, source=FOUNDING_REPORT_SOURCE)
    with store.session() as session:
        document, created = save_report(session, report)
        stored = StoredDocument.of(session, document)
    return {"document": stored, "created": created, "path": str(path)}


def _quiet() -> Console:
    """A console that prints nothing, for ``--json`` runs."""
    return Console(file=io.StringIO())


def demo(
    store_path: Annotated[
        Path, typer.Option("--store", help="SQLite file for the demo store (created if missing).")
    ] = DEFAULT_DEMO_STORE,
    shared: Annotated[
        Path | None,
        typer.Option("--data", help="Shared data folder (default: ../shared/data, else the bundled copy)."),
    ] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Delete the demo store first.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Run every capability on the bundled data into one store and summarise what was found.

    Running it twice on the same store stores nothing twice.
    """
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    store = open_store(f"sqlite:///{store_path}")
    summary: dict[str, Any] = {"store": str(store.path)}
    if not json_out:
        console.print(f"[bold]store[/]: {store.path}")

    from watchfloor.cli import lists as lists_cli

    if not json_out:
        console.rule("sanctions lists")
    summary["lists"] = lists_cli.demo_step(store, console if not json_out else _quiet(), shared)

    step = founding_report_step(store, shared)
    summary["founding_report"] = step
    if not json_out:
        doc: StoredDocument = step["document"]
        state = "stored" if step["created"] else "already stored"
        console.print(
            f"[bold]founding report[/] {state}: id {doc.id}  date {doc.published}  "
            f"source {doc.source} (grade {doc.source_grade})  length {doc.length:,} characters"
        )

    with store.session() as session:
        summary["counts"] = count_rows(session)
    if json_out:
        print_json(summary)
    else:
        nonzero = {k: v for k, v in summary["counts"].items() if v}
        console.print("[bold]store holds[/]: " + ", ".join(f"{v} {k}" for k, v in sorted(nonzero.items())))
    store.close()
