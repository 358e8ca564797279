"""``watchfloor export stix|ftm`` and ``watchfloor import stix``: sharing with partners."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from watchfloor.cli.output import console, err_console, print_json
from watchfloor.errors import InputError
from watchfloor.service.app import LOCAL
from watchfloor.service.sharing import ExportSummary, export_ftm_file, export_stix_file, import_stix_file
from watchfloor.store import open_store

export_app = typer.Typer(
    help="Export findings for a partner: STIX 2.1 or FollowTheMoney.", no_args_is_help=True
)
import_app = typer.Typer(
    help="Import a partner's findings (STIX 2.1) as graded claims.", no_args_is_help=True
)

OutOption = Annotated[Path, typer.Option("--out", "-o", help="File to write.")]
TlpOption = Annotated[
    str | None,
    typer.Option(
        "--tlp",
        help="The partner's TLP level (clear, green, amber, amber+strict; default amber): "
        "nothing above it is written, and TLP:RED never is.",
    ),
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="Only evidence from this date on (YYYY-MM-DD).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for pipes.")]


def _since(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError("--since", f"{value!r} is not a date (YYYY-MM-DD)") from None


def _print_export(summary: ExportSummary, json_out: bool) -> None:
    if json_out:
        print_json(summary)
        return
    kinds = ", ".join(f"{n} {k}" for k, n in summary.by_type.items())
    console.print(
        f"wrote {summary.path}: {summary.objects:,} {summary.format.upper()} objects "
        f"({summary.bytes:,} bytes) "
        f"for a partner at TLP:{summary.level.upper()}" + (f", from {summary.since}" if summary.since else "")
    )
    console.print(f"  {kinds}", highlight=False)
    withheld = ", ".join(f"{n} {k}" for k, n in summary.withheld.items() if n)
    console.print(
        f"  kept in the store (above the level or TLP:RED): {withheld or 'nothing'}", highlight=False
    )


@export_app.command("stix")
def export_stix_command(
    out: OutOption,
    tlp: TlpOption = None,
    since: SinceOption = None,
    pap: Annotated[str | None, typer.Option("--pap", help="PAP marking (default: settings).")] = None,
    json_out: JsonOption = False,
) -> None:
    """Write a STIX 2.1 bundle of the assessment and its evidence, every object TLP- and PAP-marked."""
    summary = export_stix_file(open_store(), LOCAL, out, level=tlp, since=_since(since), pap=pap)
    _print_export(summary, json_out)


@export_app.command("ftm")
def export_ftm_command(
    out: OutOption, tlp: TlpOption = None, since: SinceOption = None, json_out: JsonOption = False
) -> None:
    """Write FollowTheMoney entities (JSON lines): entities, vessels, sanctions and evidence links."""
    summary = export_ftm_file(open_store(), LOCAL, out, level=tlp, since=_since(since))
    _print_export(summary, json_out)


@import_app.command("stix")
def import_stix_command(
    path: Annotated[Path, typer.Argument(help="A STIX 2.1 bundle (JSON).")], json_out: JsonOption = False
) -> None:
    """Import a partner's sightings, reports and notes as claims with their source and grade."""
    result = import_stix_file(open_store(), LOCAL, path)
    if json_out:
        print_json(result.to_dict())
    else:
        console.print(
            f"{path}: {result.objects:,} objects: {result.imported} imported, {result.replaced} replaced "
            f"by a newer version, {result.unchanged} unchanged, {result.older} older than stored, "
            f"{result.context} read as context, {result.rejected} rejected",
            highlight=False,
        )
        for error in result.errors:
            err_console.print(f"[bold red]error:[/] {error}", highlight=False, markup=True)
    if result.rejected:
        raise typer.Exit(1)
