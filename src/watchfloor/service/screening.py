"""Screening operations for the faces: the index over the store's lists, queries from user-typed
values, and the CSV batch (what the CLI and the API call; ``screen`` itself never opens the store)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from watchfloor.errors import InputError, WatchfloorError
from watchfloor.screen.index import ScreenIndex
from watchfloor.screen.loading import index_from_entries
from watchfloor.screen.score import screen_full
from watchfloor.service.screening_query import build_query
from watchfloor.store import Store
from watchfloor.store.lists import screening_lists

CSV_NAME = ("name", "full_name")
CSV_DOB = ("birth_date", "dob", "date_of_birth")
CSV_COUNTRY = ("country", "nationality")
CSV_INPUT = frozenset({*CSV_NAME, *CSV_DOB, *CSV_COUNTRY, "schema", "imo", "mmsi", "passport", "gender"})
"""Columns the batch reads (matched case-insensitively); any other column is passed through."""
CSV_OUTPUT = [
    "row", "query", "rank", "id", "caption", "schema", "score", "match", "programmes", "explanation",
    "algorithm", "lists_used",
]  # fmt: skip


def index_from_store(store: Store) -> ScreenIndex:
    """Index the active version of every list loaded in the store (cached by version ids)."""
    versions, entries = screening_lists(store)
    if not versions:
        raise InputError(
            store.display_url,
            "no sanctions lists are loaded: run `watchfloor lists load PATH...` "
            "or `watchfloor lists update`, or pass --list PATH",
        )
    provenance = [
        {
            "list": v.source,
            "version": v.version_id,
            "published": v.published.isoformat() if v.published else "",
            "origin": v.origin,
        }
        for v in versions
    ]
    return index_from_entries([v.version_id for v in versions], entries, provenance)


def lists_used(index: ScreenIndex) -> str:
    """What the index was built from, in one cell: ``list@version`` or ``file#sha256`` items."""
    parts = []
    for item in index.provenance:
        if "version" in item:
            parts.append(f"{item.get('list', '')}@{item['version']}")
        elif "file" in item:
            parts.append(f"{item['file']}#sha256:{item.get('sha256', '')[:16]}")
    return "; ".join(parts)


def _column(row: dict[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        if row.get(name):
            return row[name]
    return None


def screen_csv(
    index: ScreenIndex,
    source: Path,
    out: Path,
    *,
    threshold: float | None = None,
    limit: int = 10,
    algorithm: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Screen every row of a CSV into ``out``: one row per match (or the best candidate).

    Headers are matched case-insensitively (``Name``, ``NAME``); columns the batch does not read
    (a customer's own reference) are copied to every output row; every row records the algorithm
    and the list versions used. A row that cannot be screened (an unreadable date of birth, an
    unknown schema) gets an error row and the batch goes on. ``progress(done, total)`` is called
    after each row.
    """
    try:
        with source.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            raw_rows = list(reader)
    except UnicodeDecodeError as exc:
        raise InputError(source, f"not UTF-8 text ({exc.reason})", f"byte {exc.start}") from None
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror}") from None
    lowered = {column: column.strip().lower() for column in header}
    if header and not set(lowered.values()) & {*CSV_NAME, "imo", "mmsi", "passport"}:
        raise InputError(source, "needs a 'name' (or 'full_name'), 'imo' or 'mmsi' column", "line 1")
    extra = [c for c in header if lowered[c] not in CSV_INPUT]
    renamed = {c: (f"input_{c}" if c in CSV_OUTPUT else c) for c in extra}
    fields = [*CSV_OUTPUT, *renamed.values()]
    used = lists_used(index)
    counts = {"rows": len(raw_rows), "matched": 0, "errors": 0}
    partial = out.with_name(out.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for done, raw in enumerate(raw_rows, start=1):
            number = done + 1
            row = {lowered[k]: (v or "") for k, v in raw.items() if k is not None and k in lowered}
            passed = {renamed[c]: raw.get(c) or "" for c in extra}
            base = {"row": number, "query": _column(row, CSV_NAME), "lists_used": used, **passed}
            try:
                query = build_query(
                    _column(row, CSV_NAME), row.get("schema"), _column(row, CSV_DOB),
                    [c for c in [_column(row, CSV_COUNTRY)] if c], row.get("imo"), row.get("mmsi"),
                    row.get("passport"), row.get("gender"),
                )  # fmt: skip
                result = screen_full(query, index, threshold=threshold, limit=limit, algorithm=algorithm)
            except (WatchfloorError, ValueError) as exc:
                counts["errors"] += 1
                writer.writerow({**base, "explanation": f"error: {exc}"})
                if progress is not None:
                    progress(done, len(raw_rows))
                continue
            matches = [m for m in result.matches if m.match] or result.matches[:1]
            if any(m.match for m in matches):
                counts["matched"] += 1
            invalid = "; ".join(
                f"invalid {c.scheme} {c.value}: {c.reason}" for c in result.identifier_checks if not c.valid
            )
            if not matches:
                writer.writerow({**base, "explanation": invalid or "no candidates"})
            for rank, m in enumerate(matches, start=1):
                summary = m.explanation.summary + (f"; {invalid}" if invalid else "")
                writer.writerow(
                    {
                        **base, "rank": rank, "id": m.key, "caption": m.caption, "schema": m.schema,
                        "score": f"{m.score:.4f}", "match": m.match, "programmes": ";".join(m.programmes),
                        "explanation": summary, "algorithm": m.explanation.algorithm,
                    }
                )  # fmt: skip
            if progress is not None:
                progress(done, len(raw_rows))
    partial.replace(out)  # the output appears whole or not at all
    return counts
