"""Where a screening index comes from: list files, or any iterable of list entries.

``screen`` never opens the store: the application layer (:mod:`watchfloor.service.screening`)
reads the store's active list versions and hands their entries here as ``Iterable[ListEntry]``.

Indexes are kept in memory per process, keyed by what they were built from (file paths with
their size and modification time; the store's active list versions), so a long-running process
(the API, a batch, the test suite) builds each one once. They are also kept on disk in
``<data_dir>/cache`` (setting ``screen_index_cache``) as ``.npz`` files read without pickle
(:mod:`watchfloor.screen.index_file`): a file cannot run code, carries its format version and
the key of what it was built from, and is rebuilt when either differs (a list changed) or when
it is damaged.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from watchfloor import __version__
from watchfloor.errors import InputError
from watchfloor.screen.index import ScreenIndex, settle_garbage_collector
from watchfloor.screen.index_file import FORMAT, IndexFileError, read_index, write_index
from watchfloor.settings import get_settings
from watchfloor.sources.lists.formats import read_list
from watchfloor.sources.lists.records import ListEntry

_BUILT: dict[tuple[object, ...], ScreenIndex] = {}
_KEEP = 4
_CACHE_FILES = 4
SUFFIX = ".npz"


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
    settings = get_settings()
    if not settings.screen_index_cache:
        return None
    return Path(settings.data_dir) / "cache"


def _key_text(key: tuple[object, ...]) -> str:
    return repr((FORMAT, __version__, key))


def _cache_path(folder: Path, key: tuple[object, ...]) -> Path:
    digest = hashlib.sha256(_key_text(key).encode()).hexdigest()[:24]
    return folder / f"screen-index-{digest}{SUFFIX}"


def _load_cached(path: Path, key: tuple[object, ...]) -> ScreenIndex | None:
    if not path.is_file():
        return None
    try:
        index = read_index(path, _key_text(key))
    except IndexFileError:
        return None  # a stale or damaged cache file is rebuilt, never trusted
    settle_garbage_collector()
    return index


def _save_cached(path: Path, index: ScreenIndex, key: tuple[object, ...]) -> None:
    partial = path.with_suffix(f".{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_index(index, partial, _key_text(key))
        os.replace(partial, path)
        older = sorted(path.parent.glob(f"screen-index-*{SUFFIX}"), key=lambda p: p.stat().st_mtime)
        for stale in older[:-_CACHE_FILES]:
            stale.unlink(missing_ok=True)
        for legacy in path.parent.glob("screen-index-*.pickle"):
            legacy.unlink(missing_ok=True)  # the old pickle cache is never read: remove it
    except OSError:
        partial.unlink(missing_ok=True)  # a cache that cannot be written costs time, not correctness


def cached_index(
    key: tuple[object, ...],
    entries: Callable[[], Iterable[ListEntry]],
    provenance: list[dict[str, str]] | None = None,
) -> ScreenIndex:
    """The index for ``key``: from this process, else from the disk cache, else built."""
    if key in _BUILT:
        return _BUILT[key]
    folder = cache_dir()
    path = _cache_path(folder, key) if folder is not None else None
    index = _load_cached(path, key) if path is not None else None
    if index is None:
        index = ScreenIndex.build(entries())
        index.provenance = list(provenance or [])
        if path is not None:
            _save_cached(path, index, key)
    return _remember(key, index)


def index_from_entries(
    versions: Sequence[str], entries: Callable[[], Iterable[ListEntry]], provenance: list[dict[str, str]]
) -> ScreenIndex:
    """Index the entries of the list versions ``versions`` (ids that change when a list does)."""
    return cached_index(("versions", *sorted(versions)), entries, provenance)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def index_from_files(paths: Sequence[Path]) -> ScreenIndex:
    """Read list files (any supported format, companions grouped) and index their entries."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise InputError(missing[0], "no such list file")
    key: tuple[object, ...] = (
        "files",
        *sorted((str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in map(Path, paths)),
    )
    if key in _BUILT:
        return _BUILT[key]
    provenance = [{"file": Path(p).name, "sha256": _sha256(Path(p))} for p in paths]
    return cached_index(key, lambda: read_list(list(paths)), provenance)
