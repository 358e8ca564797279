"""``watchfloor watch``: run the watch (jobs on a schedule, live streams), once, or show its state."""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer

from watchfloor.cli.output import console, print_json, print_table
from watchfloor.service.app import Watchfloor
from watchfloor.settings import get_settings, load_settings


def _print_status(summary: dict[str, Any]) -> None:
    running = "running" if summary.get("running") else "not running in this process"
    console.print(f"watch: {running}", highlight=False)
    print_table(
        "last run of each job",
        ["job", "started", "seconds", "ok", "counts / error"],
        [
            (
                job,
                run["started_at"],
                run["seconds"],
                run["ok"],
                run["error"] or ", ".join(f"{k}={v}" for k, v in run["counts"].items()),
            )
            for job, run in sorted(summary["jobs"].items())
        ],
    )
    files = ", ".join(f"{k}={v}" for k, v in sorted(summary["files"].items())) or "none"
    deliveries = ", ".join(f"{k}={v}" for k, v in sorted(summary["deliveries"].items()))
    console.print(f"inbox files: {files}; deliveries: {deliveries}", highlight=False)
    for url, counters in sorted(summary["streams"].items()):
        console.print(
            f"stream {url}: {counters.get('lines', 0)} lines, {counters.get('positions', 0)} positions, "
            f"{counters.get('bad', 0)} bad, {counters.get('connects', 0)} connects, "
            f"{counters.get('disconnects', 0)} drops, lag {counters.get('lag_s')} s",
            highlight=False,
        )
    for error in summary["errors"]:
        where = error.get("file") or error.get("at") or ""
        console.print(f"[red]error[/] {error['job']} {where}: {error['error']}", highlight=False)


def watch(
    once: Annotated[bool, typer.Option("--once", help="Run every job one time and exit.")] = False,
    status: Annotated[bool, typer.Option("--status", help="Print the watch's state and exit.")] = False,
    inbox: Annotated[
        Path | None, typer.Option("--inbox", help="AIS inbox folder (default: WATCHFLOOR_WATCH_INBOX).")
    ] = None,
    stream: Annotated[
        list[str] | None,
        typer.Option("--stream", help="Live NMEA stream tcp://host:port or udp://host:port (repeatable)."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON (with --once or --status).")] = False,
) -> None:
    """Watch: ingest dropped AIS files and live NMEA, detect, assess, raise and deliver alerts.

    Runs until stopped (Ctrl-C or SIGTERM), logging one JSON line per event on stderr.
    """
    # imported here, not at the top: keeps the start-up of every other command light
    from watchfloor.service.watch import Watch, watch_status
    from watchfloor.watch.log import install

    overrides: dict[str, Any] = {}
    if inbox is not None:
        overrides["watch_inbox"] = inbox
    if stream:
        overrides["watch_streams"] = stream
    settings = load_settings(**overrides) if overrides else get_settings()
    service = Watchfloor.open(settings=settings)
    try:
        if status:
            summary = watch_status(service)
            print_json(summary) if json_out else _print_status(summary)
            return
        install()
        runner = Watch(service, settings)
        if once:
            results = runner.run_once()
            outcome = {name: (None if r is None else r.counts) for name, r in results.items()}
            if json_out:
                print_json(outcome)
            else:
                for name, counts in outcome.items():
                    shown = "FAILED" if counts is None else ", ".join(f"{k}={v}" for k, v in counts.items())
                    console.print(f"{name}: {shown}", highlight=False)
            if any(r is None for r in results.values()):
                raise typer.Exit(1)
            return

        def _stop(signum: int, frame: FrameType | None) -> None:
            runner.stop()

        signal.signal(signal.SIGTERM, _stop)
        try:
            runner.run_forever()
        except KeyboardInterrupt:
            runner.stop()
    finally:
        service.close()
