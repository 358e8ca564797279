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

from watchfloor.cli.ais_events import print_events
from watchfloor.cli.extract import print_extraction
from watchfloor.cli.output import console, print_json
from watchfloor.extract.reports import extract_reports
from watchfloor.maritime.scenario import generate, score
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.screen import ALGORITHM, Query, screen_full
from watchfloor.service import lists as list_ops
from watchfloor.service import maritime as maritime_ops
from watchfloor.service.assessment import assess_store, brief, resolve_store
from watchfloor.service.reports import read_batch
from watchfloor.service.screening import index_from_store
from watchfloor.sources.bundled import FOUNDING_REPORT, FOUNDING_REPORT_SOURCE, data_file
from watchfloor.sources.lists.records import Identifier
from watchfloor.sources.reports import read_seed_report
from watchfloor.store import Store, open_store
from watchfloor.store.documents import StoredDocument, count_rows
from watchfloor.store.extractions import save_extraction
from watchfloor.store.lists import load_list_files, loaded_lists
from watchfloor.store.models import Document

DEFAULT_DEMO_STORE = Path("watchfloor-demo.db")

Step = Callable[[Store, Console, Path | None], dict[str, Any]]

DEMO_QUERIES: list[tuple[str, Query]] = [
    ("Hangul", Query("김정은")),
    ("McCune-Reischauer", Query("Kim Chong-un", schema=Schema.PERSON)),
    (
        "another person, with date of birth",
        Query("Kim Jong Nam", schema=Schema.PERSON, birth_date="1971-05-10"),
    ),
    ("Cyrillic", Query("Сергей Кужугетович Шойгу", schema=Schema.PERSON)),
    ("vessel by IMO", Query(schema=Schema.VESSEL, identifiers=[Identifier(IdScheme.IMO, "9179842")])),
    (
        "IMO with a wrong check digit",
        Query(schema=Schema.VESSEL, identifiers=[Identifier(IdScheme.IMO, "9179843")]),
    ),
]
"""The issue's screening examples."""


def lists_step(store: Store, out: Console, shared: Path | None = None) -> dict[str, Any]:
    """Load the real UN, OFAC and UK lists into ``store`` and report what is loaded."""
    list_files = list_ops.demo_lists(shared)
    results = load_list_files(store, list_files)
    with store.session() as session:
        loaded = loaded_lists(session)
    for item in loaded:
        out.print(
            f"[bold]list[/] {item.source}: {item.entry_count:,} entries "
            f"({', '.join(f'{k} {v:,}' for k, v in item.schemas.items())})"
            + (f", published {item.published}" if item.published else "")
        )
    return {
        "loaded": [
            {"source": r.source, "entries": r.entry_count, "new_version": r.created, "version": r.version_id}
            for r in results
        ],
        "lists": {item.source: item.entry_count for item in loaded},
        "files": [list_file.origin for list_file in list_files],
    }


def screen_step(store: Store, out: Console, shared: Path | None = None) -> dict[str, Any]:
    """Screen the issue's examples against the lists loaded in ``store``; a summary dict."""
    index = index_from_store(store)
    results: list[dict[str, Any]] = []
    for label, query in DEMO_QUERIES:
        result = screen_full(query, index, limit=3)
        top = result.matches[0] if result.matches else None
        invalid = [f"{c.scheme} {c.value}: {c.reason}" for c in result.identifier_checks if not c.valid]
        shown = query.name or ", ".join(f"{i.scheme.value} {i.value}" for i in query.identifiers)
        verdict = (
            f"{top.caption} ({top.key}) {top.score:.2f} {'MATCH' if top.match else 'no match'}"
            if top
            else "-"
        )
        out.print(
            f"[bold]screen[/] {label}: {shown} -> {verdict}"
            + (f" [red]invalid: {invalid[0]}[/]" if invalid else "")
        )
        results.append(
            {
                "label": label,
                "query": shown,
                "top": {"id": top.key, "caption": top.caption, "score": top.score, "match": top.match}
                if top
                else None,
                "invalid_identifiers": invalid,
            }
        )
    return {"algorithm": ALGORITHM, "index_entries": index.stats.entries, "queries": results}


def reports_step(store: Store, out: Console, shared: Path | None = None) -> dict[str, Any]:
    """Ingest the founding report, print its events and what is stored; returns what was found."""
    path = data_file(FOUNDING_REPORT, shared)
    reports, _errors = read_batch([path], None, FOUNDING_REPORT_SOURCE)
    extraction = next(extract_reports(reports))
    with store.session() as session:
        saved = save_extraction(session, reports[0], extraction)
    print_extraction(extraction, out)
    report = read_seed_report(path)
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
    return {
        "document": extraction.document,
        "events": len(extraction.events),
        "claims": sum(len(e.claims) for e in extraction.events),
        "types": sorted({e.type.value for e in extraction.events}),
        "stored": saved.created,
        "founding_report": stored,
    }


def ais_step(store: Store, out: Console, shared: Path | None = None) -> dict[str, Any]:
    """Simulate a scenario, ingest it, detect, and print the simulated story's events.

    Every identity in the scenario is invented, so no simulated event links to the lists already
    loaded in ``store`` (the lists step runs first); the summary says so. The scenario
    and its Parquet store live in a fixed folder beside the store, so that a second run reads the
    same files, finds the same events (their ids include the files they rest on) and stores
    nothing twice.
    """
    folder = (store.path.parent if store.path else Path.cwd()) / "watchfloor-demo-ais"
    scenario = generate()
    csv_path, _ = scenario.write(folder / "scenario")
    ingest = maritime_ops.ingest_ais(csv_path, folder / "data")
    result = maritime_ops.run_detection(store, folder / "data")
    listed = [e for e in result.events if e.listed]
    story = {v.mmsi for v in scenario.vessels if v.story}
    shown = [e for e in result.events if set(e.mmsis) & story]
    graded = score([e.to_dict() for e in result.events], scenario.truth)
    out.print(
        f"[bold]AIS[/] [yellow]SYNTHETIC[/] scenario (a simulation with invented ships, never evidence): "
        f"{ingest.report.positions:,} positions ingested, "
        f"{len(result.events)} events ({', '.join(f'{k} {v}' for k, v in sorted(result.counts.items()))}); "
        f"planted events found {graded.found}/{graded.expected}, false {len(graded.false_events)}; "
        f"simulated events linked to a real list entry: {len(listed)}"
    )
    print_events(shown, f"SIMULATION: {len(shown)} events of the scenario's invented story ships", out)
    return {
        "synthetic": True,
        "positions": ingest.report.positions,
        "counts": result.counts,
        "listed_events": len(listed),
        "story_events": len(shown),
        "recall": graded.recall,
        "false_events": len(graded.false_events),
        "listed_vessels": sorted({link.caption for e in listed for link in e.links if link.strong}),
    }


def assessment_step(store: Store, out: Console, shared: Path | None = None) -> dict[str, Any]:
    """Resolve, assess (raising alerts) and write the brief beside the store."""
    resolution = resolve_store(store)
    assessment, raised = assess_store(store, None)
    html = (store.path.parent if store.path else Path.cwd()) / "brief.html"
    written = brief(store, html)
    stage = assessment.current_stage
    out.print(
        f"[bold]assessment[/]: stage {stage.level} ({stage.name}); {assessment.explanation}", highlight=False
    )
    for result in assessment.indicators:
        if result.status.value != "not_observed":
            out.print(f"  {result.name}: {result.status.value} ({result.independent_sources} sources)")
    out.print(f"[bold]brief[/]: {written.html} ({written.footnotes} footnotes); {len(raised)} new alert(s)")
    return {
        "stage": stage.level,
        "stage_name": stage.name,
        "indicators": {r.id: r.status.value for r in assessment.indicators},
        "missing_for_next": [t.needs for t in assessment.missing_for_next],
        "alerts_raised": raised,
        "merges": resolution.merges_made,
        "brief": str(written.html),
        "footnotes": written.footnotes,
    }


STEPS: list[tuple[str, str, Step]] = [
    ("lists", "sanctions lists", lists_step),
    ("screen", "screening", screen_step),
    ("reports", "reports: events and claims", reports_step),
    ("ais", "ship tracks (AIS)", ais_step),
    ("assessment", "assessment and brief", assessment_step),
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
