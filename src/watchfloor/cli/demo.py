"""``watchfloor demo``: the main job on the bundled data, end to end, into one store.

Steps, in the order the data flows: load the sanctions lists, screen the example names, read
the founding report into events and claims, watch a (synthetic) AIS scenario, then assess the
evidence and write the brief. Every step is idempotent, so a second run stores nothing twice.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from watchfloor.cli.output import console, print_json
from watchfloor.sources.bundled import FOUNDING_REPORT, data_file
from watchfloor.store import Store, open_store
from watchfloor.store.documents import StoredDocument, count_rows
from watchfloor.store.models import Document

DEFAULT_DEMO_STORE = Path("watchfloor-demo.db")

Step = Callable[[Store, Console, Path | None], dict[str, Any]]


def _lists(store: Store, out: Console, shared: Path | None) -> dict[str, Any]:
    from watchfloor.cli import lists

    return lists.demo_step(store, out, shared)


def _screen(store: Store, out: Console, shared: Path | None) -> dict[str, Any]:
    from watchfloor.cli import screen

    return screen.demo_step(store, out)


def _reports(store: Store, out: Console, shared: Path | None) -> dict[str, Any]:
    from watchfloor.cli import extract
    from watchfloor.sources.reports import read_seed_report

    result = extract.demo_step(store, out, shared)
    report = read_seed_report(data_file(FOUNDING_REPORT, shared))
    with store.session() as session:
        document = session.get(Document, report.content_hash)
        assert document is not None, "the reports step stores the founding report"
        stored = StoredDocument.of(session, document)
    out.print(
        f"[bold]founding report[/] stored: id {stored.id}  date {stored.published}  "
        f"source {stored.source} (grade {stored.source_grade})  length {stored.length:,} characters  "
        f"({stored.events} events, {stored.claims} claims)",
        highlight=False,
    )
    return {**result, "founding_report": stored}


def _ais(store: Store, out: Console, shared: Path | None) -> dict[str, Any]:
    from watchfloor.cli import ais_events

    return ais_events.demo_step(store, out)


def _assess(store: Store, out: Console, shared: Path | None) -> dict[str, Any]:
    from watchfloor.cli import assess

    return assess.demo_step(store, out)


STEPS: list[tuple[str, str, Step]] = [
    ("lists", "sanctions lists", _lists),
    ("screen", "screening", _screen),
    ("reports", "reports: events and claims", _reports),
    ("ais", "ship tracks (AIS)", _ais),
    ("assessment", "assessment and brief", _assess),
]


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
    out = Console(file=io.StringIO()) if json_out else console
    summary: dict[str, Any] = {"store": str(store.path)}
    out.print(f"[bold]store[/]: {store.path}", highlight=False)
    for key, title, step in STEPS:
        out.rule(title)
        summary[key] = step(store, out, shared)
    with store.session() as session:
        summary["counts"] = count_rows(session)
    store.close()
    if json_out:
        print_json(summary)
        return
    out.rule("summary")
    nonzero = {k: v for k, v in summary["counts"].items() if v}
    out.print("[bold]store holds[/]: " + ", ".join(f"{v:,} {k}" for k, v in sorted(nonzero.items())))
