"""Reports over a store: read files into reports, extract events and claims, store them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from watchfloor.errors import InputError
from watchfloor.extract.reports import extract_reports
from watchfloor.sources.grades import source_table
from watchfloor.sources.reports import Report, read_many
from watchfloor.store import Store
from watchfloor.store.events import IngestResult, list_events, save_extraction


def read_batch(
    paths: Sequence[Path], when: date | None = None, source: str | None = None
) -> tuple[list[Report], list[InputError]]:
    """Read every file; reports with no source get one from the file name (``ap_...``) if known."""
    outcome = read_many(list(paths), when, source)
    table = source_table()
    reports = [
        r if r.source else replace(r, source=table.source_from_name(Path(r.origin.split("#")[0])))
        for r in outcome.reports
    ]
    return reports, outcome.errors


@dataclass
class ReportIngest:
    """What one batch of reports added to the store, and the files or items that were skipped."""

    results: list[IngestResult] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "stored": sum(r.created for r in self.results),
            "already_stored": sum(not r.created for r in self.results),
            "events_new": sum(r.events_new for r in self.results),
            "events_merged": sum(r.events_merged for r in self.results),
            "claims": sum(r.claims for r in self.results),
            "errors": [str(e) for e in self.errors],
        }


def ingest_reports(
    store: Store,
    reports: Sequence[Report],
    *,
    processes: int = 1,
    progress: Callable[[], None] | None = None,
) -> ReportIngest:
    """Extract and store each report in its own transaction (a stored text is skipped)."""
    outcome = ReportIngest()
    for report, extraction in zip(reports, extract_reports(list(reports), n_process=processes), strict=True):
        with store.session() as session:
            outcome.results.append(save_extraction(session, report, extraction))
        if progress is not None:
            progress()
    return outcome


def ingest_report_files(
    store: Store, paths: Sequence[Path], when: date | None = None, source: str | None = None
) -> ReportIngest:
    """Read and ingest report files; unreadable files are skipped and reported, the rest go on."""
    reports, errors = read_batch(paths, when, source)
    outcome = ingest_reports(store, reports)
    outcome.errors.extend(errors)
    return outcome


def events(store: Store, event_type: str | None = None, since: date | None = None) -> list[dict[str, Any]]:
    """Stored events with their claims."""
    with store.session() as session:
        return list_events(session, event_type, since)
