"""``watchfloor screen``: screen a name (or a CSV of them) against the loaded sanctions lists."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from watchfloor.cli.output import console, err_console, print_json, print_table
from watchfloor.screen import ALGORITHM, DEFAULT_THRESHOLD, ScreenIndex, ScreenResult, screen_full
from watchfloor.screen.loading import index_from_files
from watchfloor.screen.score import ALGORITHMS, scorer
from watchfloor.service.screening import index_from_store, screen_csv
from watchfloor.service.screening_query import SCHEMAS, build_query
from watchfloor.store import Store, open_store


def load_index(lists: list[Path] | None, store: Store | None = None) -> ScreenIndex:
    """The index over ``--list`` files when given, else over the lists loaded in the store."""
    if lists:
        with console.status(f"indexing {len(lists)} list file(s)"):
            return index_from_files(lists)
    with console.status("indexing the lists loaded in the store"):
        return index_from_store(store or open_store())


def result_json(
    result: ScreenResult, threshold: float | None, algorithm: str | None = None
) -> dict[str, Any]:
    """The JSON document for one screened query."""
    chosen, default = algorithm or ALGORITHM, scorer(algorithm)[1]
    return {
        "query": asdict(result.query),
        "algorithm": chosen,
        "threshold": default if threshold is None else threshold,
        "identifier_checks": result.identifier_checks,
        "results": [
            {
                "id": m.key,
                "entry_id": m.entry_id,
                "caption": m.caption,
                "schema": m.schema,
                "score": m.score,
                "match": m.match,
                "lists": m.lists,
                "programmes": m.programmes,
                "listed_on": m.listed_on,
                "url": m.url,
                "explanation": m.explanation,
            }
            for m in result.matches
        ],
    }


def _print_result(result: ScreenResult, algorithm: str) -> None:
    for check in result.identifier_checks:
        style = "green" if check.valid else "bold red"
        label = "valid" if check.valid else "INVALID"
        console.print(f"[{style}]{check.scheme.upper()} {check.value}: {label}[/] ({check.reason})")
    if not result.matches:
        ids = ", ".join(f"{i.scheme.value} {i.value}" for i in result.query.identifiers)
        console.print(f"no list entry is near {result.query.name or ids}")
        return
    print_table(
        f"screening {result.query.name or ''} ({algorithm})",
        ["#", "match", "score", "id", "caption", "schema", "programmes"],
        [
            (
                n,
                "MATCH" if m.match else "",
                f"{m.score:.2f}",
                m.key,
                m.caption,
                m.schema,
                ", ".join(m.programmes),
            )
            for n, m in enumerate(result.matches, start=1)
        ],
    )
    top = result.matches[0]
    console.print(f"[bold]why #1:[/] {top.explanation.summary}", highlight=False)
    if top.explanation.name is not None:
        pairs = ", ".join(f"{p.query}={p.listed} ({p.how.value})" for p in top.explanation.name.pairs)
        console.print(f"  aligned: {pairs}", highlight=False)


def _screen_csv(
    index: ScreenIndex, source: Path, out: Path, threshold: float | None, limit: int, algorithm: str | None
) -> dict[str, int]:
    with Progress(
        TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err_console
    ) as progress:
        task = progress.add_task("screen", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return screen_csv(
            index, source, out, threshold=threshold, limit=limit, algorithm=algorithm, progress=advance
        )


def screen(
    name: Annotated[str | None, typer.Argument(help="The name to screen, in any script.")] = None,
    schema: Annotated[
        str | None, typer.Option("--schema", help=f"What the name is: {', '.join(SCHEMAS)}.")
    ] = None,
    dob: Annotated[
        str | None,
        typer.Option("--dob", help="Date of birth: 1955-05-21, 21/05/1955, 21.05.1955, 21 May 1955, 1955."),
    ] = None,
    country: Annotated[
        list[str] | None, typer.Option("--country", help="Nationality or country (code or name); repeatable.")
    ] = None,
    imo: Annotated[str | None, typer.Option("--imo", help="IMO number (check digit validated).")] = None,
    mmsi: Annotated[str | None, typer.Option("--mmsi", help="MMSI (9 digits).")] = None,
    passport: Annotated[str | None, typer.Option("--passport", help="Passport number.")] = None,
    gender: Annotated[str | None, typer.Option("--gender", help="male or female.")] = None,
    csv_in: Annotated[Path | None, typer.Option("--csv", help="Screen every row of this CSV.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Where --csv writes its results (CSV).")] = None,
    lists: Annotated[
        list[Path] | None,
        typer.Option("--list", help="Screen against these list files instead of the store; repeatable."),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold", help=f"Score that counts as a match (v1: {DEFAULT_THRESHOLD}).", show_default=False
        ),
    ] = None,
    algorithm: Annotated[
        str, typer.Option("--algorithm", help=f"Scoring algorithm: {', '.join(ALGORITHMS)}.")
    ] = ALGORITHM,
    limit: Annotated[int, typer.Option("--limit", help="Results to show per query.")] = 10,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON for pipes.")] = False,
) -> None:
    """Screen a person, organisation or vessel against the sanctions lists, with explanations.

    The CSV batch (--csv IN --out OUT) reads columns name/full_name, schema, birth_date/dob,
    country/nationality, imo, mmsi, passport, gender (any case), copies any other column, and
    writes one row per match with the algorithm and the list versions used.
    """
    scorer(algorithm)  # an unknown algorithm is refused before any list is read
    if csv_in is not None:
        if out is None:
            raise typer.BadParameter("--csv needs --out")
        index = load_index(lists)
        counts = _screen_csv(index, csv_in, out, threshold, limit, algorithm)
        if json_out:
            print_json({"input": csv_in, "output": out, **counts})
        else:
            console.print(f"{counts['rows']} rows screened, {counts['matched']} with a match -> {out}")
        return
    if not name and not imo and not mmsi and not passport:
        raise typer.BadParameter("give a NAME, --imo, --mmsi or --passport (or --csv IN --out OUT)")
    query = build_query(name, schema, dob, country, imo, mmsi, passport, gender)
    index = load_index(lists)
    result = screen_full(query, index, threshold=threshold, limit=limit, algorithm=algorithm)
    if json_out:
        print_json(result_json(result, threshold, algorithm))
    else:
        _print_result(result, algorithm)
