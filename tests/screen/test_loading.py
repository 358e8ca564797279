"""Indexes from list files, kept per process and in the on-disk cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from watchfloor.errors import InputError
from watchfloor.screen import Query, screen
from watchfloor.screen.loading import cache_dir, forget_indexes, index_from_files
from watchfloor.settings import get_settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("WATCHFLOOR_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    forget_indexes()
    yield tmp_path / "data"
    get_settings.cache_clear()
    forget_indexes()


def test_index_is_cached_on_disk_and_reloaded(shared_data: Path, data_dir: Path) -> None:
    un = [shared_data / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml"]
    built = index_from_files(un)
    assert index_from_files(un) is built  # same process: the same object
    folder = cache_dir()
    assert folder == data_dir / "cache"
    files = list(folder.glob("screen-index-*.npz"))
    assert len(files) == 1
    forget_indexes()
    loaded = index_from_files(un)
    assert loaded is not built
    assert loaded.stats == built.stats  # the stats of the build it was saved from
    first = screen(Query("CHOE CHUN SIK"), loaded)[0]
    assert first.key == screen(Query("CHOE CHUN SIK"), built)[0].key and first.match
    # a damaged cache file is rebuilt, not trusted
    files[0].write_bytes(b"not an index file")
    forget_indexes()
    rebuilt = index_from_files(un)
    assert rebuilt.stats.entries == 1003
    assert (
        rebuilt.stats.seconds != built.stats.seconds or rebuilt.stats.cpu_seconds != built.stats.cpu_seconds
    )


def test_cache_can_be_turned_off(shared_data: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHFLOOR_SCREEN_INDEX_CACHE", "false")
    get_settings.cache_clear()
    assert cache_dir() is None
    index_from_files([shared_data / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml"])
    assert not (data_dir / "cache").exists()


def test_missing_list_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such list file"):
        index_from_files([tmp_path / "nope.xml"])


def test_cache_file_is_not_a_pickle_and_is_rebuilt_when_the_lists_change(
    shared_data: Path, data_dir: Path, tmp_path: Path
) -> None:
    """The cache is an npz read without pickle; a changed list file gives a new index."""
    import numpy as np

    source = shared_data / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml"
    copy = tmp_path / "un.xml"
    copy.write_bytes(source.read_bytes())
    built = index_from_files([copy])
    (cached,) = (data_dir / "cache").glob("screen-index-*.npz")
    with np.load(cached, allow_pickle=False) as archive:  # loads with pickle refused
        assert set(archive.files) >= {"meta", "key_start", "key_forms"}
    assert built.provenance and built.provenance[0]["file"] == "un.xml"
    text = copy.read_text(encoding="utf-8")
    first = text.index("<INDIVIDUAL>")
    second = text.index("<INDIVIDUAL>", first + 1)
    copy.write_text(text[:first] + text[second:], encoding="utf-8")  # one entry fewer
    forget_indexes()
    changed = index_from_files([copy])
    assert changed.stats.entries == built.stats.entries - 1
