"""The root ``watchfloor`` command: options shared by all commands and error handling."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url
from typer._click.exceptions import ClickException  # typer vendors click; its errors derive from this

from watchfloor import __version__
from watchfloor.cli.output import err_console, print_json, untrusted
from watchfloor.errors import StoreError, WatchfloorError
from watchfloor.settings import get_settings

app = typer.Typer(
    name="watchfloor",
    help=(
        "watchfloor watches reports, sanctions lists and ship tracks (AIS) for illicit exchanges "
        "between sanctioned states, screens names against the lists, grades the evidence and says "
        "which stage of a countermeasure ladder it supports, every conclusion traced to its source."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

_state = {"verbose": False}

CREATES_STORE = {
    "demo",
    "lists",
    "ingest",
    "ais",
    "users",
    "store",
    "version",
    "import",
    "screen",
    "extract",
    "watch",
    "feeds",
}
"""Commands that may start a new store or need none; every other one refuses a store file that is missing
(a mistyped ``--store`` must not yield an empty store and a confident "Stage 0" answer)."""


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"watchfloor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show the full trace when a command fails.")
    ] = False,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="Store URL (sqlite:///file.db, postgresql+psycopg://...) or SQLite file path; "
            "default: WATCHFLOOR_DATABASE_URL or ./watchfloor.db.",
        ),
    ] = None,
    _version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    _state["verbose"] = verbose
    if store:
        os.environ["WATCHFLOOR_DATABASE_URL"] = store if "://" in store else f"sqlite:///{store}"
        get_settings.cache_clear()
    _refuse_missing_store(ctx.invoked_subcommand)


def _refuse_missing_store(command: str | None) -> None:
    """A command that only reads must not create the store it was pointed at."""
    if command is None or command in CREATES_STORE:
        return

    url = make_url(get_settings().database_url)
    database = url.database
    if url.get_backend_name() == "sqlite" and database not in (None, "", ":memory:"):
        path = Path(str(database)).expanduser()
        if not path.exists():
            raise StoreError(
                f"no store at {path}: check --store / WATCHFLOOR_DATABASE_URL, or create one with "
                "`watchfloor lists load`, `watchfloor ingest reports` or `watchfloor demo`"
            )


@app.command()
def version(
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print watchfloor's version."""
    if json_out:
        print_json({"watchfloor": __version__, "python": sys.version.split()[0]})
    else:
        typer.echo(f"watchfloor {__version__}")


# Command groups register here, in the order of the data flow (DESIGN.md). The imports sit
# below the app because the command modules need nothing from it but their registration.
from watchfloor.cli import assess as _assess  # noqa: E402
from watchfloor.cli import demo as _demo  # noqa: E402
from watchfloor.cli import extract as _extract  # noqa: E402
from watchfloor.cli import screen as _screen  # noqa: E402
from watchfloor.cli import serve as _serve  # noqa: E402
from watchfloor.cli import share as _share  # noqa: E402
from watchfloor.cli import store as _store  # noqa: E402
from watchfloor.cli import vessel as _vessel  # noqa: E402
from watchfloor.cli import watch as _watch  # noqa: E402
from watchfloor.cli.ais import app as _ais_app  # noqa: E402
from watchfloor.cli.feeds import app as _feeds_app  # noqa: E402
from watchfloor.cli.lists import app as _lists_app  # noqa: E402

app.command(name="demo")(_demo.demo)
app.add_typer(_lists_app, name="lists")
app.command(name="screen")(_screen.screen)
app.command(name="extract")(_extract.extract)
app.add_typer(_extract.ingest_app, name="ingest")
app.command(name="events")(_extract.events)
app.add_typer(_feeds_app, name="feeds")
app.command(name="documents")(_store.documents)
app.add_typer(_ais_app, name="ais")
app.command(name="vessel")(_vessel.vessel)
app.command(name="assess")(_assess.assess_command)
app.command(name="alerts")(_assess.alerts_command)
app.command(name="review")(_assess.review_command)
app.command(name="brief")(_assess.brief_command)
app.add_typer(_store.app, name="store")
app.command(name="serve")(_serve.serve)
app.add_typer(_serve.users_app, name="users")
app.add_typer(_share.export_app, name="export")
app.add_typer(_share.import_app, name="import")
app.command(name="watch")(_watch.watch)


def main() -> None:
    """Entry point: run the app, turning watchfloor errors into one clear line and exit code 1."""
    try:
        code = app(standalone_mode=False)  # without standalone mode, typer.Exit(n) comes back as n
        if isinstance(code, int) and code:
            raise SystemExit(code)
    except WatchfloorError as exc:
        if _state["verbose"]:
            err_console.print(traceback.format_exc(), markup=False, highlight=False)
        err_console.print("[bold red]error:[/]", untrusted(exc), highlight=False)  # may quote the input
        raise SystemExit(1) from None
    except typer.Abort:
        err_console.print("aborted")
        raise SystemExit(130) from None
    except SystemExit:
        raise
    except ClickException as exc:  # a usage mistake: click's own message and usage line, exit 2
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except Exception as exc:  # an unexpected failure is still one line, with the trace on --verbose
        if _state["verbose"]:
            err_console.print(traceback.format_exc(), markup=False, highlight=False)
        err_console.print(
            "[bold red]internal error:[/]", untrusted(f"{type(exc).__name__}: {exc} (use --verbose)")
        )
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
