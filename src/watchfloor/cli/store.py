"""``watchfloor store`` and ``watchfloor documents``: what the store holds."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import text

from watchfloor.cli.output import console, print_json, print_table
from watchfloor.store import open_store
from watchfloor.store.documents import StoredDocument, count_rows, list_documents

app = typer.Typer(help="Inspect and migrate the store.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for pipes.")]


@app.command()
def info(json_out: JsonOption = False) -> None:
    """Show where the store is, its schema revision and how many records it holds."""
    store = open_store()
    with store.session() as session:
        counts = count_rows(session)
        revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    result = {
        "url": store.display_url,
        "path": str(store.path) if store.path else None,
        "revision": revision,
        "counts": counts,
    }
    if json_out:
        print_json(result)
        return
    console.print(f"store: {result['path'] or result['url']}  (schema revision {revision})")
    print_table("records", ["table", "rows"], sorted(counts.items()))


@app.command()
def migrate() -> None:
    """Bring the store's schema up to date (done automatically on every open)."""
    store = open_store()
    console.print(f"store {store.path or store.display_url} is at the newest schema")


def documents(json_out: JsonOption = False) -> None:
    """List the stored documents: id, date, source and grade, length, claims and events."""
    store = open_store()
    with store.session() as session:
        rows = [StoredDocument.of(session, doc) for doc in list_documents(session)]
    if json_out:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} documents",
        ["id", "date", "source", "grade", "length", "events", "origin"],
        [(r.id[:16], r.published, r.source, r.source_grade, r.length, r.events, r.origin) for r in rows],
    )
