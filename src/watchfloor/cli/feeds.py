"""``watchfloor feeds add|list|remove|poll``: the RSS/Atom feeds and article pages watched.

Feeds come from the ``watch_feeds`` setting and from ``feeds add`` (stored). ``feeds poll`` polls
each once through the application layer (conditional GET, each new item ingested once, items not
about the watched states stored without events) and prints one line per feed; a failing feed is
reported and the others go on. Exit status 1 only when every feed polled failed.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from watchfloor.cli.output import console, err_console, print_json, print_table

app = typer.Typer(help="RSS/Atom feeds and article pages watched for reports.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for pipes.")]


@app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="http(s) URL of an RSS/Atom feed or an article page.")],
    source: Annotated[
        str | None, typer.Option("--source", help="Publisher, where the feed does not name it.")
    ] = None,
    grade: Annotated[str | None, typer.Option("--grade", help="Source reliability A-F of its items.")] = None,
    json_out: JsonOption = False,
) -> None:
    """Watch a feed (stored; a feed already watched takes the --source and --grade given)."""
    # imported here, not at the top: keeps the start-up of every other command light
    from watchfloor.service.app import Watchfloor

    service = Watchfloor.open()
    try:
        feed, added = service.add_feed(url, source=source, grade=grade)
    finally:
        service.close()
    if json_out:
        print_json({**feed.as_dict(), "added": added})
    else:
        console.print(
            ("added " if added else "already watched (updated) ") + escape(feed.url), highlight=False
        )


@app.command("remove")
def remove(url: Annotated[str, typer.Argument(help="URL of a feed added with `feeds add`.")]) -> None:
    """Stop watching a stored feed (what it gave stays stored)."""
    # imported here, not at the top: keeps the start-up of every other command light
    from watchfloor.service.app import Watchfloor

    service = Watchfloor.open()
    try:
        removed = service.remove_feed(url)
    finally:
        service.close()
    if not removed:
        err_console.print(f"not a stored feed: {escape(url)}", highlight=False)
        raise typer.Exit(1)
    console.print(f"removed {escape(url)}", highlight=False)


@app.command("list")
def list_feeds(json_out: JsonOption = False) -> None:
    """The watched feeds and what their last polls left."""
    # imported here, not at the top: keeps the start-up of every other command light
    from watchfloor.service.app import Watchfloor

    service = Watchfloor.open()
    try:
        feeds = service.feeds()
    finally:
        service.close()
    if json_out:
        print_json([f.as_dict() for f in feeds])
        return
    print_table(
        f"{len(feeds)} feeds",
        ["url", "from", "source (grade)", "last polled", "seen", "failures", "last error"],
        [
            (
                f.url,
                f.origin,
                f"{f.source or '-'} ({f.grade or 'table'})",
                f.state.last_polled or "never",
                len(f.state.seen),
                f.state.failures,
                f.state.last_error or "",
            )
            for f in feeds
        ],
    )


@app.command("poll")
def poll(
    urls: Annotated[
        list[str] | None, typer.Argument(help="Only these feeds (default: every watched feed).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Poll failing feeds inside their backoff too.")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Poll the feeds once and store their new items (timeout: feed_timeout_s; cap: watch_feed_max_mib)."""
    # imported here, not at the top: keeps the start-up of every other command light
    from watchfloor.service.app import Watchfloor

    service = Watchfloor.open()
    try:
        outcomes = service.poll_feeds(urls=urls or (), force=force)
    finally:
        service.close()
    rows = [o.as_dict() for o in outcomes]
    if json_out:
        print_json(rows)
    elif not rows:
        console.print("no feeds watched: add one with `watchfloor feeds add URL` or set watch_feeds")
    else:
        print_table(
            f"{len(rows)} feeds polled",
            ["url", "status", "new", "stored", "events", "item errors", "error"],
            [
                (
                    r["url"],
                    r["status"],
                    r["new_items"],
                    r["stored"],
                    r["events_new"],
                    len(r["item_errors"]),
                    r["error"] or (f"retry after {r['retry_after']}" if r["retry_after"] else ""),
                )
                for r in rows
            ],
        )
        for row in rows:
            for item_error in row["item_errors"]:
                err_console.print(f"[yellow]skipped item:[/] {escape(item_error)}", highlight=False)
    if rows and all(r["status"] in ("failed", "backing_off") for r in rows):
        raise typer.Exit(1)
