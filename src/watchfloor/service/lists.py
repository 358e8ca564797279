"""Sanctions lists over a store: load files, download official lists, say what is loaded."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from watchfloor.errors import WatchfloorError
from watchfloor.settings import get_settings
from watchfloor.sources.bundled import bundled_data_dir
from watchfloor.sources.lists.download import OFFICIAL_LISTS, fetch_list
from watchfloor.sources.lists.formats import ListFile, group_files
from watchfloor.sources.lists.records import ListSource
from watchfloor.store import Store
from watchfloor.store.lists import LoadedList, LoadResult, load_list_files, loaded_lists

BytesProgress = Callable[[str, str, int, int | None], None]
"""Called as (list, file name, bytes done, bytes total or None) while a list downloads."""


def load_lists(
    store: Store, paths: Sequence[Path], progress: Callable[[int], None] | None = None
) -> list[LoadResult]:
    """Read list files and make each the active version of its list, all in one transaction."""
    return load_list_files(store, group_files(list(paths)), progress)


def loaded(store: Store) -> list[LoadedList]:
    """The active version of each loaded list, with its counts."""
    with store.session() as session:
        return loaded_lists(session)


@dataclass
class ListUpdate:
    """What ``lists update`` changed, and which lists failed (their previous version kept)."""

    results: list[LoadResult] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)


def update_lists(
    store: Store,
    sources: Sequence[ListSource] | None = None,
    *,
    folder: Path | None = None,
    timeout: float | None = None,
    base_url: str | None = None,
    progress: BytesProgress | None = None,
) -> ListUpdate:
    """Download each official list, verify it parses, swap it in atomically and load it.

    A failed download keeps the previous file and loaded version; the other lists still update.
    """
    settings = get_settings()
    folder = folder if folder is not None else settings.data_dir / "lists"
    wait = timeout if timeout is not None else settings.http_timeout_s
    outcome = ListUpdate()
    for item in sources or OFFICIAL_LISTS:

        def on_bytes(name: str, done: int, total: int | None, _list: str = item.value) -> None:
            if progress is not None:
                progress(_list, name, done, total)

        try:
            list_file = fetch_list(item, folder, timeout=wait, base_url=base_url, progress=on_bytes)
            outcome.results.extend(load_list_files(store, [list_file]))
        except WatchfloorError as exc:
            outcome.errors.append({"source": item.value, "error": str(exc)})
    return outcome


def demo_lists(shared: Path | None = None) -> list[ListFile]:
    """The real UN, OFAC and UK list files: from the shared data folder, else the bundled copy."""
    base = (shared if shared is not None else get_settings().shared_data) / "sanctions"
    if not (base / "un").is_dir():
        base = bundled_data_dir() / "sanctions"
    paths = [p for sub in ("un", "ofac") for p in sorted((base / sub).iterdir()) if p.is_file()]
    paths.append(base / "uk")
    return group_files(paths)
