"""``watchfloor screen``: screen a name (or a CSV of them) against the loaded sanctions lists."""

from __future__ import annotations

import csv
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from watchfloor.cli.output import console, err_console, print_json, print_table
from watchfloor.errors import InputError
from watchfloor.screen import ALGORITHM, DEFAULT_THRESHOLD, Query, ScreenIndex, ScreenResult, screen_full
from watchfloor.screen.loading import index_from_files
from watchfloor.service.screening import index_from_store
from watchfloor.sources.lists.records import Identifier, IdScheme, Schema
from watchfloor.store import Store, open_store

SCHEMAS = [
    s.value for s in (Schema.PERSON, Schema.ORGANIZATION, Schema.COMPANY, Schema.VESSEL, Schema.AIRPLANE)
]

_CSV_NAME = ("name", "full_name")
_CSV_DOB = ("birth_date", "dob", "date_of_birth")
_CSV_COUNTRY = ("country", "nationality")


def _schema(value: str | None) -> Schema | None:
    if not value:
        return None
    for schema in Schema:
        if schema.value.lower() == value.strip().lower():
            return schema
    raise typer.BadParameter(f"unknown schema {value!r}: use one of {', '.join(SCHEMAS)}")


def build_query(
    name: str | None,
    schema: str | None = None,
    dob: str | None = None,
    countries: list[str] | None = None,
    imo: str | None = None,
    mmsi: str | None = None,
    passport: str | None = None,
    gender: str | None = None,
) -> Query:
    """A :class:`Query` from command-line style values (empty strings mean absent)."""
    identifiers = [
        Identifier(scheme, value.strip())
        for scheme, value in ((IdScheme.IMO, imo), (IdScheme.MMSI, mmsi), (IdScheme.PASSPORT, passport))
        if value and value.strip()
    ]
    chosen = _schema(schema)
    if chosen is None and (imo or mmsi) and not name:
        chosen = Schema.VESSEL
    return Query(
        name=(name or "").strip() or None,
        schema=chosen,
        birth_date=(dob or "").strip() or None,
        countries=[c for c in countries or [] if c.strip()],
        gender=(gender or "").strip().lower() or None,
        identifiers=identifiers,
    )


def load_index(lists: list[Path] | None, store: Store | None = None) -> ScreenIndex:
    """The index over ``--list`` files when given, else over the lists loaded in the store."""
    if lists:
        with console.status(f"indexing {len(lists)} list file(s)"):
            return index_from_files(lists)
    with console.status("indexing the lists loaded in the store"):
        return index_from_store(store or open_store())


def result_json(result: ScreenResult, threshold: float) -> dict[str, Any]:
    """The JSON document for one screened query."""
    return {
        "query": asdict(result.query),
        "algorithm": ALGORITHM,
        "threshold": threshold,
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


def _print_result(result: ScreenResult) -> None:
    for check in result.identifier_checks:
        style = "green" if check.valid else "bold red"
        label = "valid" if check.valid else "INVALID"
        console.print(f"[{style}]{check.scheme.upper()} {check.value}: {label}[/] ({check.reason})")
    if not result.matches:
        ids = ", ".join(f"{i.scheme.value} {i.value}" for i in result.query.identifiers)
        console.print(f"no list entry is near {result.query.name or ids}")
        return
    print_table(
        f"screening {result.query.name or ''} ({ALGORITHM})",
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


def _column(row: dict[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        if row.get(name):
            return row[name]
    return None


def _screen_csv(index: ScreenIndex, source: Path, out: Path, threshold: float, limit: int) -> dict[str, int]:
    try:
        with source.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except UnicodeDecodeError as exc:
        raise InputError(source, f"not UTF-8 text ({exc.reason})", f"byte {exc.start}") from None
    columns = set(rows[0]) if rows else set()
    if rows and not columns & {*_CSV_NAME, "imo", "mmsi", "passport"}:
        raise InputError(source, "needs a 'name' (or 'full_name'), 'imo' or 'mmsi' column", "line 1")
    counts = {"rows": len(rows), "matched": 0, "errors": 0}
    fields = [
        "row",
        "query",
        "rank",
        "id",
        "caption",
        "schema",
        "score",
        "match",
        "programmes",
        "explanation",
    ]
    with (
        out.open("w", encoding="utf-8", newline="") as handle,
        Progress(
            TextColumn("screening"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err_console,
        ) as progress,
    ):
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        task = progress.add_task("screen", total=len(rows))
        for number, row in enumerate(rows, start=2):
            try:
                query = build_query(
                    _column(row, _CSV_NAME), row.get("schema"), _column(row, _CSV_DOB),
                    [c for c in [_column(row, _CSV_COUNTRY)] if c], row.get("imo"), row.get("mmsi"),
                    row.get("passport"), row.get("gender"),
                )  # fmt: skip
                result = screen_full(query, index, threshold=threshold, limit=limit)
            except typer.BadParameter as exc:
                counts["errors"] += 1
                writer.writerow({"row": number, "query": _column(row, _CSV_NAME), "explanation": str(exc)})
                progress.advance(task)
                continue
            matches = [m for m in result.matches if m.match] or result.matches[:1]
            if any(m.match for m in matches):
                counts["matched"] += 1
            invalid = "; ".join(
                f"invalid {c.scheme} {c.value}: {c.reason}" for c in result.identifier_checks if not c.valid
            )
            if not matches:
                writer.writerow(
                    {"row": number, "query": query.name, "explanation": invalid or "no candidates"}
                )
            for rank, m in enumerate(matches, start=1):
                summary = m.explanation.summary + (f"; {invalid}" if invalid else "")
                writer.writerow(
                    {
                        "row": number, "query": query.name, "rank": rank, "id": m.key, "caption": m.caption,
                        "schema": m.schema, "score": f"{m.score:.4f}", "match": m.match,
                        "programmes": ";".join(m.programmes), "explanation": summary,
                    }
                )  # fmt: skip
            progress.advance(task)
    return counts


def screen(
    name: Annotated[str | None, typer.Argument(help="The name to screen, in any script.")] = None,
    schema: Annotated[
        str | None, typer.Option("--schema", help=f"What the name is: {', '.join(SCHEMAS)}.")
    ] = None,
    dob: Annotated[
        str | None, typer.Option("--dob", help="Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.")
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
        float, typer.Option("--threshold", help="Score that counts as a match.")
    ] = DEFAULT_THRESHOLD,
    limit: Annotated[int, typer.Option("--limit", help="Results to show per query.")] = 10,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON for pipes.")] = False,
) -> None:
    """Screen a person, organisation or vessel against the sanctions lists, with explanations.

    The CSV batch (--csv IN --out OUT) reads columns name/full_name, schema, birth_date/dob,
    country/nationality, imo, mmsi, passport, gender, and writes one row per match.
    """
    if csv_in is not None:
        if out is None:
            raise typer.BadParameter("--csv needs --out")
        index = load_index(lists)
        counts = _screen_csv(index, csv_in, out, threshold, limit)
        if json_out:
            print_json({"input": csv_in, "output": out, **counts})
        else:
            console.print(f"{counts['rows']} rows screened, {counts['matched']} with a match -> {out}")
        return
    if not name and not imo and not mmsi and not passport:
        raise typer.BadParameter("give a NAME, --imo, --mmsi or --passport (or --csv IN --out OUT)")
    query = build_query(name, schema, dob, country, imo, mmsi, passport, gender)
    index = load_index(lists)
    result = screen_full(query, index, threshold=threshold, limit=limit)
    if json_out:
        print_json(result_json(result, threshold))
    else:
        _print_result(result)


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
"""The issue's screening examples, run by ``watchfloor demo``."""


def demo_step(store: Store, out: Console) -> dict[str, Any]:
    """Demo: screen the issue's examples against the lists loaded in ``store``; a summary dict."""
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
