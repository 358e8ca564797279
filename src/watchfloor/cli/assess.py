"""``watchfloor assess``, ``alerts``, ``review`` and ``brief``: the stage the evidence supports.

Thin commands: parse, call :mod:`watchfloor.assess` / :mod:`watchfloor.report`, print (rich for
people, ``--json`` for pipes).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from watchfloor.assess.assessment import Assessment
from watchfloor.assess.review import Decision
from watchfloor.cli.output import console, print_json, print_table
from watchfloor.errors import InputError
from watchfloor.service.assessment import alerts, assess_store, brief, merges, resolve_store
from watchfloor.store import open_store

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for pipes.")]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Assess as of this date (YYYY-MM-DD): evidence reported later is ignored."),
]


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError("--as-of", f"not a date (YYYY-MM-DD): {value!r}") from exc


def _print_assessment(assessment: Assessment, raised: list[str], out: Console) -> None:
    stage = assessment.current_stage
    when = f" as of {assessment.as_of}" if assessment.as_of else ""
    if assessment.no_evidence:  # never a confident "Stage 0" on an empty store
        out.print(f"[bold yellow]NO EVIDENCE[/]{when}: nothing is assessed; no stage is supported")
    else:
        out.print(f"[bold]Stage {stage.level}: {stage.name}[/]{when}")
    out.print(assessment.explanation, highlight=False)
    print_table(
        "indicators",
        ["indicator", "status", "estimate", "sources", "first", "why"],
        [
            (r.name, r.status.value, r.estimate.value, r.independent_sources,
             r.timeline[0].on if r.timeline else "", r.explanation)
            for r in assessment.indicators
        ],
    )  # fmt: skip
    if assessment.next_stage:
        out.print(f"[bold]to reach {assessment.next_stage}[/], any one of:")
        for trigger in assessment.missing_for_next:
            out.print(f"  - {trigger.needs}", highlight=False)
    for line in assessment.move_down:
        out.print(f"[bold]down:[/] {line}", highlight=False)
    if assessment.cooperation is not None:
        out.print(
            f"degree of cooperation {assessment.cooperation.score:g}/100 "
            f"({assessment.cooperation.algorithm}; a summary, not the stage)"
        )
    for title in raised:
        out.print(f"[bold yellow]alert:[/] {title}", highlight=False)


NoResolveOption = Annotated[
    bool,
    typer.Option("--no-resolve", help="Skip entity resolution (faster; merges stay as they are)."),
]


def assess_command(
    as_of: AsOfOption = None,
    json_out: JsonOption = False,
    no_alerts: Annotated[bool, typer.Option("--no-alerts", help="Do not store alerts.")] = False,
    no_resolve: NoResolveOption = False,
) -> None:
    """Assess the evidence: indicator statuses, the supported stage and what would move it."""
    day = _as_of(as_of)
    store = open_store()
    if day is None and not no_resolve:
        resolve_store(store)
    assessment, raised = assess_store(store, day, alerts=not no_alerts)
    found = merges(store)
    if json_out:
        print_json({**assessment.to_dict(), "alerts_raised": raised, "merges": found})
    else:
        _print_assessment(assessment, raised, console)
    store.close()


def alerts_command(
    json_out: JsonOption = False,
    kind: Annotated[str | None, typer.Option("--kind", help="Only alerts of this kind.")] = None,
) -> None:
    """List stored alerts, newest first, with the evidence each rests on."""
    store = open_store()
    found = alerts(store, kind)
    store.close()
    if json_out:
        print_json(found)
        return
    print_table(
        f"{len(found)} alerts",
        ["when", "kind", "severity", "title", "evidence"],
        [(a.as_of, a.kind, a.severity, a.title, len(a.evidence)) for a in found],
    )


def review_command(
    subject_id: Annotated[str, typer.Argument(help="Event id (or merged entity id) to review.")],
    decision: Annotated[Decision, typer.Argument(help="confirm or reject")],
    why: Annotated[str, typer.Option("--why", help="The reason, kept in the audit log.")],
    json_out: JsonOption = False,
) -> None:
    """Confirm or reject an extracted event or a merge; the assessment is recomputed."""
    # imported here, not at the top: keeps the start-up of every other command light
    from dataclasses import asdict

    # imported here, not at the top: keeps the start-up of every other command light
    from watchfloor.service.app import LOCAL, Watchfloor

    service = Watchfloor(open_store())
    result = service.review(subject_id, decision, why, LOCAL)
    service.close()
    if json_out:
        print_json(asdict(result))
        return
    outcome, before, after = result.review, result.stage_before, result.stage_after
    console.print(
        f"{decision.value}ed {outcome.subject_kind} {subject_id} "
        f"({len(outcome.affected)} record(s)) by {result.analyst}"
    )
    console.print(f"stage {before['level']} ({before['name']}) -> {after['level']} ({after['name']})")
    for title in result.alerts_raised:
        console.print(f"[bold yellow]alert:[/] {title}", highlight=False)


def brief_command(
    out: Annotated[Path, typer.Option("--out", help="HTML file to write.")] = Path("brief.html"),
    as_of: AsOfOption = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also print a PDF with headless Chromium.")] = False,
    json_out: JsonOption = False,
    no_resolve: NoResolveOption = False,
) -> None:
    """Write the brief: key judgements, stage, timeline chart, events and footnoted sources."""
    store = open_store()
    day = _as_of(as_of)
    if day is None and not no_resolve:
        resolve_store(store)
    result = brief(store, out, day, pdf=pdf)
    store.close()
    if json_out:
        print_json(result)
        return
    console.print(
        f"brief written: {result.html} ({result.size:,} bytes, {result.footnotes} footnotes; "
        f"stage {result.stage}: {result.stage_name})"
    )
    if result.pdf:
        console.print(f"pdf written: {result.pdf}")
