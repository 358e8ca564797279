"""Sanctions lists in the store: versions, entries, and the atomic switch of the active version.

A load writes a new :class:`ListVersion` and all its :class:`ListEntryRecord` rows and then
makes it the active version of its list, all in ONE transaction. The reader streams entries
into that transaction, so a file that turns out to be truncated or hostile half-way raises,
the transaction rolls back, and the version that was active stays active and untouched.
Loading the same bytes again re-activates the stored version instead of copying it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from watchfloor.model.ids import stable_id
from watchfloor.sources.lists.formats import ListFile, group_files
from watchfloor.sources.lists.records import ListEntry, ListSource
from watchfloor.store.engine import Store
from watchfloor.store.models import ListEntryRecord, ListVersion

BATCH = 2000
"""Entries inserted per statement."""
KEEP_VERSIONS = 2
"""Versions kept per list: the active one and the one before it (for comparison and rollback)."""

Progress = Callable[[int], None]
"""Called with the number of entries just written."""


@dataclass(frozen=True)
class LoadResult:
    """What one list load did."""

    source: str
    version_id: str
    origin: str
    entry_count: int
    published: date | None
    created: bool
    """False when these exact bytes were stored before and were only (re-)activated."""
    previous_version_id: str | None
    duplicates: int = 0
    """Entries whose list id appeared earlier in the same file: the first was kept."""


@dataclass(frozen=True)
class LoadedList:
    """One list as the store holds it: the active version, its counts and dates."""

    source: str
    version_id: str
    origin: str
    content_hash: str
    published: date | None
    loaded_at: datetime
    entry_count: int
    schemas: dict[str, int] = field(default_factory=dict)
    latest_listing: date | None = None
    versions: int = 1


def version_id(source: ListSource | str, content_hash: str) -> str:
    """The deterministic id of a list version: its list and the hash of its bytes."""
    return stable_id("lv", str(source), content_hash)


def save_list_version(
    session: Session,
    source: ListSource,
    origin: str,
    content_hash: str,
    published: date | None,
    entries: Iterable[ListEntry],
    progress: Progress | None = None,
) -> LoadResult:
    """Write a list version with its entries and make it active, inside ``session``'s transaction.

    ``entries`` is consumed lazily; if it raises, nothing this function did survives the rollback.
    """
    vid = version_id(source, content_hash)
    previous = session.scalar(
        select(ListVersion.id).where(ListVersion.source == source.value, ListVersion.active)
    )
    existing = session.get(ListVersion, vid)
    if existing is not None:
        _activate(session, source, vid)
        return LoadResult(
            source.value,
            vid,
            existing.origin,
            existing.entry_count,
            existing.published,
            False,
            previous if previous != vid else None,
        )
    version = ListVersion(
        id=vid,
        source=source.value,
        origin=origin,
        content_hash=content_hash,
        published=published,
        loaded_at=datetime.now(UTC),
        entry_count=0,
        active=False,
    )
    session.add(version)
    session.flush()
    seen: set[str] = set()
    duplicates = 0
    batch: list[dict[str, Any]] = []
    for entry in entries:
        if entry.source is not source:
            raise ValueError(f"entry {entry.key} does not belong to list {source.value}")
        if entry.entry_id in seen:
            duplicates += 1
            continue
        seen.add(entry.entry_id)
        batch.append(_row(vid, entry))
        if len(batch) >= BATCH:
            session.execute(insert(ListEntryRecord), batch)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        session.execute(insert(ListEntryRecord), batch)
        if progress:
            progress(len(batch))
    version.entry_count = len(seen)
    session.flush()
    _activate(session, source, vid)
    _prune(session, source)
    return LoadResult(source.value, vid, origin, len(seen), published, True, previous, duplicates)


def _row(vid: str, entry: ListEntry) -> dict[str, Any]:
    return {
        "id": stable_id("le", vid, entry.entry_id),
        "version_id": vid,
        "source": entry.source.value,
        "entry_id": entry.entry_id,
        "schema": entry.schema.value,
        "caption": entry.caption,
        "programmes": list(entry.programmes),
        "listed_on": entry.listed_on,
        "url": entry.url,
        "place": entry.place,
        "data": entry.to_dict(),
    }


def _activate(session: Session, source: ListSource, vid: str) -> None:
    """Make ``vid`` the only active version of ``source`` (same transaction, so atomic)."""
    session.execute(
        update(ListVersion)
        .where(ListVersion.source == source.value, ListVersion.id != vid, ListVersion.active)
        .values(active=False)
    )
    session.execute(update(ListVersion).where(ListVersion.id == vid).values(active=True))


def _prune(session: Session, source: ListSource, keep: int = KEEP_VERSIONS) -> None:
    versions = session.scalars(
        select(ListVersion)
        .where(ListVersion.source == source.value)
        .order_by(ListVersion.active.desc(), ListVersion.loaded_at.desc())
    ).all()
    for old in versions[keep:]:
        session.execute(delete(ListEntryRecord).where(ListEntryRecord.version_id == old.id))
        session.execute(delete(ListVersion).where(ListVersion.id == old.id))


def load_list_files(
    store: Store, list_files: Sequence[ListFile], progress: Progress | None = None
) -> list[LoadResult]:
    """Load several lists in one transaction: all of them become active, or none does."""
    results: list[LoadResult] = []
    with store.session() as session:
        for list_file in list_files:
            results.append(
                save_list_version(
                    session,
                    list_file.source,
                    list_file.origin,
                    list_file.content_hash(),
                    list_file.published(),
                    list_file.read(),
                    progress,
                )
            )
    return results


def load_paths(store: Store, paths: Sequence[Path], progress: Progress | None = None) -> list[LoadResult]:
    """Detect, group and load list files (see :func:`group_files`)."""
    return load_list_files(store, group_files(paths), progress)


def loaded_lists(session: Session) -> list[LoadedList]:
    """The active version of every list with its entry counts by schema and dates."""
    out: list[LoadedList] = []
    versions = session.scalars(
        select(ListVersion).where(ListVersion.active).order_by(ListVersion.source)
    ).all()
    for version in versions:
        schemas: dict[str, int] = {
            schema: count
            for schema, count in session.execute(
                select(ListEntryRecord.schema, func.count())
                .where(ListEntryRecord.version_id == version.id)
                .group_by(ListEntryRecord.schema)
            ).all()
        }
        latest = session.scalar(
            select(func.max(ListEntryRecord.listed_on)).where(ListEntryRecord.version_id == version.id)
        )
        count = session.scalar(select(func.count()).where(ListVersion.source == version.source)) or 1
        out.append(
            LoadedList(
                source=version.source,
                version_id=version.id,
                origin=version.origin,
                content_hash=version.content_hash,
                published=version.published,
                loaded_at=version.loaded_at,
                entry_count=version.entry_count,
                schemas=dict(sorted(schemas.items())),
                latest_listing=latest,
                versions=count,
            )
        )
    return out


def active_entries(session: Session, source: ListSource | None = None) -> Iterator[ListEntry]:
    """Every entry of the active version of each list (or of ``source``), as :class:`ListEntry`."""
    query = (
        select(ListEntryRecord.data)
        .join(ListVersion, ListVersion.id == ListEntryRecord.version_id)
        .where(ListVersion.active)
        .order_by(ListEntryRecord.source, ListEntryRecord.entry_id)
    )
    if source is not None:
        query = query.where(ListVersion.source == source.value)
    for data in session.scalars(query.execution_options(yield_per=BATCH)):
        yield ListEntry.from_dict(data)


def schema_counts(session: Session) -> Counter[str]:
    """Active entries per schema across all lists."""
    rows = session.execute(
        select(ListEntryRecord.schema, func.count())
        .join(ListVersion, ListVersion.id == ListEntryRecord.version_id)
        .where(ListVersion.active)
        .group_by(ListEntryRecord.schema)
    ).all()
    return Counter({schema: count for schema, count in rows})


def screening_lists(store: Store) -> tuple[list[LoadedList], Callable[[], Iterator[ListEntry]]]:
    """The active list versions, and a reader yielding their entries as :class:`ListEntry`.

    What the screening index is built from: ``screen`` takes records, never the store, so the
    application layer passes it these."""
    with store.session() as session:
        versions = loaded_lists(session)

    def entries() -> Iterator[ListEntry]:
        with store.session() as session:
            yield from active_entries(session)

    return versions, entries
