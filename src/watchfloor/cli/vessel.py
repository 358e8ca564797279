"""``watchfloor vessel IMO|MMSI``: one vessel's risk profile from the stored maritime events."""

from __future__ import annotations

from typing import Annotated

import typer

from watchfloor.cli.output import console, print_json, print_table
from watchfloor.service.maritime import vessel_profile
from watchfloor.store import open_store


def vessel(
    key: Annotated[str, typer.Argument(help="IMO number (7 digits) or MMSI (9 digits).")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Identity history, list entries, port calls, gaps, meetings at sea and the risk reasons."""
    profile = vessel_profile(open_store(), key)
    if json_out:
        print_json(profile.to_dict())
        return
    ident = profile.to_dict()["identity"]
    console.print(f"[bold]{key}[/]: {', '.join(profile.names) or 'no name broadcast'}", highlight=False)
    if profile.list_names:
        console.print(f"  names on the lists: {', '.join(profile.list_names)}", highlight=False)
    flags = ident["flags"]
    mmsis = ", ".join(f"{m} ({flags[str(m)]})" for m in profile.mmsis) or "-"
    imos = ", ".join(map(str, profile.imos)) or "-"
    console.print(f"  MMSI {mmsis}; IMO {imos}; call sign {', '.join(profile.call_signs) or '-'}")
    console.print(f"  [bold]risk {profile.score:.2f}[/] ({profile.explanation})", highlight=False)
    if profile.ais_statement:
        console.print(f"  [bold]{profile.ais_statement}[/]", highlight=False)
    if profile.synthetic_events:
        console.print(f"  [bold yellow]SYNTHETIC[/]: {profile.synthetic_events} events rest on simulated AIS")

    def tag(row: dict[str, object]) -> str:
        return "SYNTHETIC" if row.get("synthetic") else ""

    print_table(
        "list entries",
        ["entry", "name", "matched on"],
        [(e["entry_key"], e["caption"], f"{e['matched_on']} {e['value']}") for e in profile.list_entries],
    )
    print_table(
        "identity checks (AIS against the lists and the ITU MID table)",
        ["check", "detail", ""],
        [(c.check, c.detail, "SYNTHETIC" if c.synthetic else "") for c in profile.identity_checks],
    )
    print_table(
        "port calls",
        ["port", "arrival", "hours", ""],
        [(c["port"], c["start"], c["hours"], tag(c)) for c in profile.port_calls],
    )
    print_table(
        "gaps",
        ["start", "hours", "near / within reach", ""],
        [
            (g["start"], g["hours"], ", ".join([*g["near_ports"], *g["ports_within_reach"]]), tag(g))
            for g in profile.gaps
        ],
    )
    print_table(
        "encounters",
        ["start", "hours", "other MMSI", ""],
        [(e["start"], e["hours"], e["other_mmsi"], tag(e)) for e in profile.encounters],
    )
    print_table(
        "identity changes",
        ["change", "values", ""],
        [(c["change"], ", ".join(map(str, c["values"])), tag(c)) for c in profile.identity_changes],
    )
    print_table(
        "risk reasons",
        ["indicator", "weight", "times", "counted"],
        [
            (r.label, r.weight, len(r.events), "yes" if r.counted else "no (SYNTHETIC)")
            for r in profile.reasons
        ],
    )
