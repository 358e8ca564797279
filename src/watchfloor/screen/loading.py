"""Where a screening index comes from: list files, or the lists loaded in the store.

Indexes are kept in memory per process, keyed by what they were built from (file paths with
their size and modification time; the store's active list versions), so a long-running process
(the API, a batch, the test suite) builds each one once. They are not cached on disk: unpickling
the full UN + OFAC + UK index measured slower than building it (see benchmarks/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from watchfloor.errors import InputError
from watchfloor.screen.index import ScreenIndex
from watchfloor.sources.lists.formats import read_list
from watchfloor.store import Store

_BUILT: dict[tuple[object, ...], ScreenIndex] = {}
_KEEP = 4


def _remember(key: tuple[object, ...], index: ScreenIndex) -> ScreenIndex:
    if len(_BUILT) >= _KEEP:
        _BUILT.pop(next(iter(_BUILT)))
    _BUILT[key] = index
    return index


def index_from_files(paths: Sequence[Path]) -> ScreenIndex:
    """Read list files (any supported format, companions grouped) and index their entries."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise InputError(missing[0], "no such list file")
    key: tuple[object, ...] = (
        "files",
        *sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in map(Path, paths)),
    )
    if key in _BUILT:
        return _BUILT[key]
    return _remember(key, ScreenIndex.build(read_list(list(paths))))


def index_from_store(store: Store) -> ScreenIndex:
    """Index the active version of every list loaded in the store."""
    from watchfloor.store.lists import active_entries, loaded_lists

    with store.session() as session:
        versions = tuple(sorted(v.version_id for v in loaded_lists(session)))
        if not versions:
            raise InputError(
                store.display_url,
                "no sanctions lists are loaded: run `watchfloor lists load PATH...` "
                "or `watchfloor lists update`, or pass --list PATH",
            )
        key: tuple[object, ...] = ("store", store.display_url, *versions)
        if key in _BUILT:
            return _BUILT[key]
        index = ScreenIndex.build(active_entries(session))
    return _remember(key, index)
