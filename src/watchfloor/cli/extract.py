"""``watchfloor extract``, ``watchfloor ingest reports`` and ``watchfloor events``.

``extract`` is stateless (reads files, prints what it finds); ``ingest reports`` stores reports
with their events and claims, idempotently by content hash; ``events`` lists what is stored.
A bad file in a batch is one clear line on stderr and the batch goes on.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from watchfloor.cli.output import console, err_console, print_json, print_table, short_id
from watchfloor.errors import InputError
from watchfloor.extract.records import Extraction
from watchfloor.extract.reports import extract_reports
from watchfloor.service.reports import read_batch

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for pipes.")]
PathsArgument = Annotated[
    list[Path], typer.Argument(help="Report files: text, seed line, HTML, RSS/Atom, JSONL.")
]
DateOption = Annotated[
    str | None, typer.Option("--date", help="Report date (YYYY-MM-DD) for plain text without one.")
]
SourceOption = Annotated[
    str | None, typer.Option("--source", help="Publisher, where the file does not name it.")
]
GradeOption = Annotated[
    str | None,
    typer.Option("--grade", help="Source reliability A-F for these reports (overrides the source table)."),
]
ProcessesOption = Annotated[
    int, typer.Option("--processes", "-j", min=1, help="Worker processes for large batches (one per core).")
]

ingest_app = typer.Typer(help="Store inputs in the evidence graph.", no_args_is_help=True)


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError("--date", f"invalid date {value!r} (expected YYYY-MM-DD)") from exc


def _report_errors(errors: list[InputError]) -> None:
    for error in errors:
        err_console.print(f"[yellow]skipped:[/] {escape(str(error))}", highlight=False, soft_wrap=True)


def extraction_json(extraction: Extraction, text: str | None = None) -> dict[str, Any]:
    """An extraction as JSON-ready data, with one summary line per event and the report text
    (which the character spans point into)."""
    data = asdict(extraction)
    if text is not None:
        data["text"] = text
    for event, raw in zip(extraction.events, data["events"], strict=True):
        raw["summary"] = event.summary
    return data


def extract(
    paths: PathsArgument,
    json_out: JsonOption = False,
    report_date: DateOption = None,
    source: SourceOption = None,
    processes: ProcessesOption = 1,
) -> None:
    """Extract entities, events and claims from reports and print them (stores nothing)."""
    reports, errors = read_batch(paths, _date(report_date), source)
    _report_errors(errors)
    results = list(extract_reports(reports, n_process=processes))
    if json_out:
        print_json([extraction_json(r, report.text) for report, r in zip(reports, results, strict=True)])
    else:
        for result in results:
            print_extraction(result, console)
    if errors and not results:
        raise typer.Exit(1)


def print_extraction(result: Extraction, out: Console) -> None:
    """The events and claims of one extraction as a table for people."""
    out.print(
        f"[bold]{result.origin}[/]  {result.published or 'no date'}  "
        f"source {result.source or 'unknown'} (grade {result.source_grade})",
        highlight=False,
    )
    rows = []
    for event in result.events:
        for claim in event.claims:
            when = claim.claim_date
            rows.append(
                (
                    event.type.value,
                    f"{','.join(event.source_actors) or '?'} -> {','.join(event.target_actors) or '?'}",
                    event.object or "",
                    event.place or "",
                    claim.speaker,
                    claim.stance.value,
                    f"{claim.credibility}" + (" hedged" if claim.hedges else ""),
                    (when.start or when.end) if when else "",
                    f"{claim.span.start}-{claim.span.end}",
                )
            )
    table = Table(title=f"{len(result.events)} events", title_justify="left")
    for column in ["type", "actors", "object", "place", "speaker", "stance", "cred", "said on", "span"]:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    out.print(table)


@ingest_app.command("reports")
def ingest_reports(
    paths: PathsArgument,
    json_out: JsonOption = False,
    report_date: DateOption = None,
    source: SourceOption = None,
    grade: GradeOption = None,
    processes: ProcessesOption = 1,
) -> None:
    """Store reports with their events and claims (idempotent: a stored text is skipped, but takes
    the --date, --source and --grade given this time)."""
    # imported here, not at the top: keeps the start-up of every other command light
    from watchfloor.service.app import LOCAL, Watchfloor
    from watchfloor.service.reports import parse_grade
    from watchfloor.store import open_store

    given = parse_grade(grade) if grade is not None else None
    reports, errors = read_batch(paths, _date(report_date), source)
    _report_errors(errors)
    service = Watchfloor(open_store())
    with Progress(transient=True, console=err_console, disable=json_out or len(reports) < 20) as progress:
        task = progress.add_task("extracting", total=len(reports))
        outcome = service.ingest_reports(
            reports, LOCAL, processes=processes, progress=lambda: progress.advance(task), grade=given
        )
    service.close()
    outcome.errors.extend(errors)
    results = outcome.results
    summary = outcome.summary()
    if json_out:
        print_json(summary)
    else:
        console.print(
            f"stored {summary['stored']} reports ({summary['already_stored']} already stored), "
            f"{summary['events_new']} new events, {summary['events_merged']} merged, "
            f"{summary['claims']} claims; {len(errors)} skipped"
        )
        for warning in outcome.warnings:
            err_console.print(f"warning: {warning}")
    if errors and not results:
        raise typer.Exit(1)


def events(
    event_type: Annotated[str | None, typer.Option("--type", help="Only this event type.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only events on or after YYYY-MM-DD.")] = None,
    json_out: JsonOption = False,
) -> None:
    """List stored events with their claims."""
    # imported here, not at the top: keeps the start-up of every other command light
    from watchfloor.service.reports import events as stored_events
    from watchfloor.store import open_store

    store = open_store()
    rows = stored_events(store, event_type, _date(since))
    if json_out:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} events",
        ["id", "date", "type", "who → whom", "what (where)", "claims"],
        [
            (
                short_id(r["id"]),
                r["date_end"],
                ("SYNTHETIC " if r.get("synthetic") else "") + r["type"],
                f"{r['source'] or '?'} → {r['target'] or '?'}",
                (r["object"] or "") + (f" ({r['place']})" if r["place"] else ""),
                "; ".join(
                    f"{c['speaker']} {c['stance']} ({c['reliability']}{c['credibility']})"
                    for c in r["claims"]
                ),
            )
            for r in rows
        ],
    )
