"""Where a screening index comes from: list files, or the lists loaded in the store.

Indexes are kept in memory per process, keyed by what they were built from (file paths with
their size and modification time; the store's active list versions), so a long-running process
(the API, a batch, the test suite) builds each one once. They are also kept on disk in
``<data_dir>/cache`` (setting ``screen_index_cache``): measured on the full UN + OFAC + UK lists,
reading the files and building takes about 11 s, loading the cached index about 1 s. The cache
is a pickle, so it is only ever read from watchfloor's own data folder, and its name carries the
algorithm, the watchfloor version and a hash of the sources; a file that fails to load is rebuilt.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from watchfloor import __version__
from watchfloor.errors import InputError
from watchfloor.screen.index import ScreenIndex, settle_garbage_collector
from watchfloor.screen.score import ALGORITHM
from watchfloor.sources.lists.formats import read_list
from watchfloor.sources.lists.records import ListEntry
from watchfloor.store import Store

_BUILT: dict[tuple[object, ...], ScreenIndex] = {}
_KEEP = 4
_CACHE_FILES = 4


def _remember(key: tuple[object, ...], index: ScreenIndex) -> ScreenIndex:
    if len(_BUILT) >= _KEEP:
        _BUILT.pop(next(iter(_BUILT)))
    _BUILT[key] = index
    return index


def forget_indexes() -> None:
    """Drop the indexes this process keeps (the disk cache stays)."""
    _BUILT.clear()


def cache_dir() -> Path | None:
    """``<data_dir>/cache`` when the disk cache is on, else ``None``."""
    from watchfloor.settings import get_settings

    settings = get_settings()
    if not settings.screen_index_cache:
        return None
    return Path(settings.data_dir) / "cache"


def _cache_path(folder: Path, key: tuple[object, ...]) -> Path:
    digest = hashlib.sha256(repr((ALGORITHM, __version__, key)).encode()).hexdigest()[:24]
    return folder / f"screen-index-{digest}.pickle"


def _load_cached(path: Path) -> ScreenIndex | None:
    if not path.is_file():
        return None
    enabled = gc.isenabled()
    gc.disable()  # unpickling a million objects with the collector on takes 3x longer
    try:
        with path.open("rb") as handle:
            index = pickle.load(handle)
    except Exception:  # a stale or damaged cache file is rebuilt, never trusted
        return None
    finally:
        if enabled:
            gc.enable()
    if not isinstance(index, ScreenIndex):
        return None
    settle_garbage_collector()
    return index


def _save_cached(path: Path, index: ScreenIndex) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        with partial.open("wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
        older = sorted(path.parent.glob("screen-index-*.pickle"), key=lambda p: p.stat().st_mtime)
        for stale in older[:-_CACHE_FILES]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written costs time, not correctness


def cached_index(key: tuple[object, ...], entries: Callable[[], Iterable[ListEntry]]) -> ScreenIndex:
    """The index for ``key``: from this process, else from the disk cache, else built."""
    if key in _BUILT:
        return _BUILT[key]
    folder = cache_dir()
    path = _cache_path(folder, key) if folder is not None else None
    index = _load_cached(path) if path is not None else None
    if index is None:
        index = ScreenIndex.build(entries())
        if path is not None:
            _save_cached(path, index)
    return _remember(key, index)


def index_from_files(paths: Sequence[Path]) -> ScreenIndex:
    """Read list files (any supported format, companions grouped) and index their entries."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise InputError(missing[0], "no such list file")
    key: tuple[object, ...] = (
        "files",
        *sorted((str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in map(Path, paths)),
    )
    return cached_index(key, lambda: read_list(list(paths)))


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

    def entries() -> list[ListEntry]:
        with store.session() as session:
            return list(active_entries(session))

    return cached_index(key, entries)
