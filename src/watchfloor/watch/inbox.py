"""The AIS inbox: files dropped in a folder are taken once, ingested, and filed as done or failed.

A file is taken when it has not changed for ``settle_s`` seconds (a copy still in progress is
left alone; names starting with ``.`` or ending in ``.part``/``.tmp`` are never taken). Taking
is one atomic rename into ``done/`` under a name no earlier file has had there, so the AIS
store's provenance (the file path on every position) points at where the file stays; its
record in ``watch_files`` (keyed by the sha256 of its bytes) says ``ingesting`` until the
ingest ends. A file that cannot be read is renamed into ``failed/`` with a ``.error.json``
beside it, and any rows it had written are removed. After a crash, files still ``ingesting``
are ingested again (the Parquet ingest is idempotent per content), and bytes ingested before
are never ingested twice, under any name.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from watchfloor.sources.ais.files import file_sha256
from watchfloor.store import Store
from watchfloor.store.ais import POSITIONS, STATIC, store_root
from watchfloor.store.models import WatchFile
from watchfloor.watch.log import log_event
from watchfloor.watch.state import now

DONE = "done"
FAILED = "failed"
IGNORED_SUFFIXES = (".part", ".tmp", ".partial", ".crdownload")

Ingest = Callable[[Path], dict[str, Any]]
"""Ingest one file (already in its final place); returns a JSON-ready summary, raises on a bad file."""


@dataclass
class InboxResult:
    """What one sweep of the inbox did."""

    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    waiting: int = 0  # files not settled yet
    new_data: bool = False  # at least one file added rows to the AIS store

    def counts(self) -> dict[str, Any]:
        return {
            "done": len(self.done),
            "failed": len(self.failed),
            "duplicates": len(self.duplicates),
            "resumed": len(self.resumed),
            "waiting": self.waiting,
        }


def _candidates(inbox: Path, settle_s: float) -> tuple[list[Path], int]:
    ready: list[Path] = []
    waiting = 0
    limit = time.time() - settle_s
    for path in sorted(inbox.iterdir()):
        if not path.is_file() or path.name.startswith(".") or path.name.lower().endswith(IGNORED_SUFFIXES):
            continue
        if path.stat().st_mtime > limit:
            waiting += 1
            continue
        ready.append(path)
    return ready, waiting


def _free_name(folder: Path, name: str, sha: str) -> Path:
    target = folder / name
    if not target.exists():
        return target
    stem, dot, suffix = name.partition(".")
    return folder / f"{stem}.{sha[:12]}{dot}{suffix}"


def _move(path: Path, folder: Path, sha: str) -> Path:
    """Rename ``path`` into ``folder`` (same file system: atomic) under a free name."""
    folder.mkdir(parents=True, exist_ok=True)
    target = _free_name(folder, path.name, sha)
    os.replace(path, target)
    return target


def _discard_partial(data_dir: Path, sha: str) -> int:
    """Remove Parquet parts a failed ingest of these bytes wrote (their names start with its sha)."""
    removed = 0
    root = store_root(data_dir)
    for kind in (POSITIONS, STATIC):
        for part in (root / kind).glob(f"day=*/{sha[:16]}-*.parquet"):
            part.unlink(missing_ok=True)
            removed += 1
    return removed


def _write_error(target: Path, error: str) -> None:
    note = target.with_name(target.name + ".error.json")
    temp = note.with_name(f".{note.name}.tmp")
    temp.write_text(json.dumps({"file": target.name, "error": error}, indent=2), encoding="utf-8")
    os.replace(temp, note)


class Inbox:
    """The inbox folder and its ``done/`` and ``failed/`` folders, over one store."""

    def __init__(self, folder: Path, store: Store, data_dir: Path, settle_s: float = 2.0) -> None:
        self.folder = Path(folder)
        self.store = store
        self.data_dir = Path(data_dir)
        self.settle_s = settle_s

    @property
    def done_dir(self) -> Path:
        return self.folder / DONE

    @property
    def failed_dir(self) -> Path:
        return self.folder / FAILED

    def sweep(self, ingest: Ingest) -> InboxResult:
        """Finish files a crash left ``ingesting``, then take every settled file in the inbox."""
        self.folder.mkdir(parents=True, exist_ok=True)
        result = InboxResult()
        with self.store.session() as session:
            unfinished = [
                (row.sha256, row.detail.get("path", ""))
                for row in session.scalars(select(WatchFile).where(WatchFile.state == "ingesting"))
            ]
        for sha, where in unfinished:
            path = Path(where)
            if path.is_file():
                result.resumed.append(path.name)
                log_event("inbox.resume", file=str(path), sha256=sha)
                self._ingest(path, sha, ingest, result)
        ready, result.waiting = _candidates(self.folder, self.settle_s)
        for path in ready:
            self._take(path, ingest, result)
        return result

    def _take(self, path: Path, ingest: Ingest, result: InboxResult) -> None:
        try:
            sha = file_sha256(path)
        except OSError as exc:  # vanished or unreadable between listing and reading
            log_event("inbox.unreadable", file=str(path), error=str(exc))
            return
        with self.store.session() as session:
            row = session.get(WatchFile, sha)
            known = row.state if row is not None else None
        if known in ("done", "failed", "ingesting"):
            target = _move(path, self.done_dir if known != "failed" else self.failed_dir, sha)
            result.duplicates.append(path.name)
            log_event("inbox.duplicate", file=path.name, moved_to=str(target), sha256=sha, earlier=known)
            return
        target = _move(path, self.done_dir, sha)
        with self.store.session() as session:
            session.add(
                WatchFile(
                    sha256=sha,
                    name=path.name,
                    state="ingesting",
                    first_seen=now(),
                    detail={"path": str(target.resolve())},
                )
            )
        log_event("inbox.take", file=path.name, path=str(target), sha256=sha)
        self._ingest(target, sha, ingest, result)

    def _ingest(self, path: Path, sha: str, ingest: Ingest, result: InboxResult) -> None:
        started = time.monotonic()
        try:
            summary = ingest(path)
        except Exception as exc:  # any failure of one file is that file's, never the watch's
            error = f"{type(exc).__name__}: {exc}"
            removed = _discard_partial(self.data_dir, sha)
            target = _move(path, self.failed_dir, sha)
            error = error.replace(str(path), str(target))  # name the file where it now lies
            _write_error(target, error)
            with self.store.session() as session:
                row = session.get(WatchFile, sha)
                if row is not None:
                    row.state = "failed"
                    row.error = error
                    row.finished_at = now()
                    row.detail = {"path": str(target.resolve()), "parts_removed": removed}
            result.failed.append(path.name)
            log_event("inbox.failed", level=40, file=path.name, path=str(target), error=error)
            return
        with self.store.session() as session:
            row = session.get(WatchFile, sha)
            if row is not None:
                row.state = "done"
                row.finished_at = now()
                row.detail = {"path": str(path.resolve()), **summary}
        result.done.append(path.name)
        result.new_data = result.new_data or not summary.get("skipped", False)
        log_event(
            "inbox.done",
            file=path.name,
            positions=summary.get("positions"),
            dropped=summary.get("dropped"),
            skipped=summary.get("skipped"),
            seconds=round(time.monotonic() - started, 3),
        )
