"""``watchfloor lists``: what sanctions lists are loaded, load list files, update from official sources."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from watchfloor.cli.output import console, err_console, print_json, print_table
from watchfloor.errors import WatchfloorError
from watchfloor.service import lists as list_ops
from watchfloor.service.app import LOCAL, Watchfloor
from watchfloor.sources.lists.download import OFFICIAL_LISTS
from watchfloor.sources.lists.records import ListSource
from watchfloor.store import Store, open_store
from watchfloor.store.lists import LoadedList, LoadResult, loaded_lists

app = typer.Typer(
    help="Sanctions lists: show what is loaded (bare `watchfloor lists`), load files, update from "
    "the official sources.",
    invoke_without_command=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for pipes.")]


def _short_origin(origin: str) -> str:
    """The first file's name, and how many more files the list was read from."""
    files = origin.split(", ")
    first = Path(files[0]).name
    return f"{first} (+{len(files) - 1} files)" if len(files) > 1 else first


def _loaded_rows(lists: list[LoadedList]) -> list[tuple[Any, ...]]:
    return [
        (
            item.source,
            f"{item.entry_count:,}",
            ", ".join(f"{k} {v:,}" for k, v in item.schemas.items()),
            item.published,
            item.latest_listing,
            item.loaded_at.strftime("%Y-%m-%d %H:%M"),
            item.versions,
            _short_origin(item.origin),
        )
        for item in lists
    ]


def show_loaded(store: Store, json_out: bool, out: Console = console) -> list[LoadedList]:
    """Print the active version of each list with counts and dates."""
    with store.session() as session:
        lists = loaded_lists(session)
    if json_out:
        print_json({"store": store.display_url, "lists": lists})
        return lists
    if not lists:
        out.print(
            "no sanctions lists loaded: use `watchfloor lists load PATH...` or `watchfloor lists update`"
        )
        return lists
    print_table(
        "loaded sanctions lists",
        ["list", "entries", "by schema", "published", "latest listing", "loaded", "versions", "from"],
        _loaded_rows(lists),
    )
    return lists


@app.callback(invoke_without_command=True)
def lists(ctx: typer.Context, json_out: JsonOption = False) -> None:
    """Show the loaded lists: entry counts by schema, publication and listing dates, origin."""
    if ctx.invoked_subcommand is not None:
        return
    show_loaded(open_store(), json_out)


@contextmanager
def _entry_progress(enabled: bool, total: int | None = None) -> Iterator[tuple[Progress, TaskID]]:
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=not enabled,
        transient=True,
    )
    with progress:
        task = progress.add_task("storing entries", total=total)
        yield progress, task


def _result_rows(results: list[LoadResult]) -> list[tuple[Any, ...]]:
    return [
        (
            r.source,
            f"{r.entry_count:,}",
            "new version" if r.created else "unchanged (re-activated)",
            r.published,
            r.version_id[:15],
            r.duplicates,
        )
        for r in results
    ]


def load_files(store: Store, paths: list[Path], show_progress: bool) -> list[LoadResult]:
    """Load lists in one transaction with a progress bar of stored entries."""
    with _entry_progress(show_progress) as (progress, task):
        return Watchfloor(store).load_lists(paths, LOCAL, lambda n: progress.advance(task, n))


@app.command()
def load(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="List files: UN/OFAC/UK/EU XML, OFAC sdn.csv with alt.csv/add.csv, the UK derived "
            "tables (or their folder), FtM JSON lines.",
            exists=True,
        ),
    ],
    json_out: JsonOption = False,
) -> None:
    """Read list files and make each the active version of its list (all or nothing)."""
    store = open_store()
    results = load_files(store, paths, show_progress=not json_out)
    if json_out:
        print_json({"loaded": results})
        return
    print_table(
        "loaded", ["list", "entries", "result", "published", "version", "duplicates"], _result_rows(results)
    )


@app.command()
def update(
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            "-s",
            help=f"List to update (repeatable): {', '.join(s.value for s in OFFICIAL_LISTS)}. Default: all.",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="Fetch FILE from BASE_URL/FILE instead of the official address."),
    ] = None,
    dest: Annotated[
        Path | None, typer.Option("--dir", help="Download folder (default: <data_dir>/lists).")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Seconds before a download is given up.")
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Download each official list, verify it parses, swap it in atomically and load it.

    A failed download (HTTP error, timeout, truncated body, unparseable file) keeps the previous
    file and the previous loaded version; the other lists still update. Exit code 1 if any failed.
    """
    sources = [ListSource(s) for s in source] if source else list(OFFICIAL_LISTS)
    store = open_store()
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=json_out,
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def on_bytes(listed: str, name: str, done: int, total: int | None) -> None:
        label = f"{listed} {name}"
        if label not in tasks:
            tasks[label] = progress.add_task(label, total=total)
        progress.update(tasks[label], completed=done, total=total)

    with progress:
        outcome = list_ops.update_lists(
            store, sources, folder=dest, timeout=timeout, base_url=base_url, progress=on_bytes
        )
    results, errors = outcome.results, outcome.errors
    if json_out:
        print_json({"updated": results, "errors": errors})
    else:
        if results:
            print_table(
                "updated",
                ["list", "entries", "result", "published", "version", "duplicates"],
                _result_rows(results),
            )
        for error in errors:
            err_console.print(
                f"[bold red]update failed[/] {error['source']}: {error['error']} (previous version kept)",
                highlight=False,
            )
    if errors:
        failed = ", ".join(e["source"] for e in errors)
        raise WatchfloorError(
            f"{len(errors)} of {len(sources)} lists failed to update ({failed}); previous versions kept"
        )
