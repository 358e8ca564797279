"""Sanctions lists in the store: versions, atomic switch, failed loads that change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from watchfloor.errors import InputError
from watchfloor.model.schema import Schema
from watchfloor.sources.lists.formats import ListFile, ListFormat, group_files
from watchfloor.sources.lists.records import ListEntry, ListSource
from watchfloor.sources.lists.un import read_un
from watchfloor.store import Store, open_store
from watchfloor.store.lists import (
    active_entries,
    load_list_files,
    load_paths,
    loaded_lists,
    save_list_version,
    schema_counts,
)
from watchfloor.store.models import ListEntryRecord, ListVersion

UN = "sanctions/un/UN_consolidated_2026-02-27.xml"
OFAC = (
    "sanctions/ofac/sdn_2024-05-03.csv",
    "sanctions/ofac/alt_2026-06.csv",
    "sanctions/ofac/add_2026-06.csv",
)
UK = "sanctions/uk"


@pytest.fixture(scope="session")
def full_store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Store]:
    """UN + OFAC + UK loaded once into a SQLite store shared by the read-only tests."""
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('lists') / 'store.db'}")
    load_paths(store, [shared_data / UN, *(shared_data / p for p in OFAC), shared_data / UK])
    yield store
    store.close()


def snapshot(store: Store) -> dict[str, tuple[str, int, int]]:
    """Per list: active version id, its stated count, and the rows really stored for it."""
    with store.session() as session:
        out = {}
        for version in session.scalars(select(ListVersion).where(ListVersion.active)):
            rows = session.scalar(
                select(func.count())
                .select_from(ListEntryRecord)
                .where(ListEntryRecord.version_id == version.id)
            )
            out[version.source] = (version.id, version.entry_count, rows or 0)
        return out


def test_the_real_lists_load_with_the_counts_of_the_files(full_store: Store) -> None:
    with full_store.session() as session:
        lists = {item.source: item for item in loaded_lists(session)}
        assert {k: v.entry_count for k, v in lists.items()} == {
            "un_sc": 1003,
            "us_ofac_sdn": 14965,
            "gb_uk": 6046,
        }
        assert lists["un_sc"].published is not None and lists["un_sc"].published.isoformat() == "2026-02-27"
        assert lists["gb_uk"].schemas == {"Organization": 1531, "Person": 3883, "Vessel": 632}
        assert lists["un_sc"].latest_listing is not None
        assert schema_counts(session)["Vessel"] == 851 + 632
    counts = snapshot(full_store)
    assert all(stated == rows for _vid, stated, rows in counts.values())


def test_entries_come_back_as_they_were_read(full_store: Store, shared_data: Path) -> None:
    original = {e.entry_id: e for e in read_un(shared_data / UN)}
    with full_store.session() as session:
        stored = {e.entry_id: e for e in active_entries(session, ListSource.UN_SC)}
        ofac = {e.caption: e for e in active_entries(session, ListSource.US_OFAC_SDN)}
    assert stored.keys() == original.keys()
    assert stored["KPi.033"] == original["KPi.033"]
    assert stored["QDi.396"] == original["QDi.396"]
    angara = ofac["ANGARA"]
    assert angara.schema.value == "Vessel" and ("imo", "9179842") in {
        (i.scheme, i.value) for i in angara.identifiers
    }


def test_loading_the_same_bytes_again_changes_nothing(full_store: Store, shared_data: Path) -> None:
    before = snapshot(full_store)
    (result,) = load_paths(full_store, [shared_data / UN])
    assert not result.created
    assert snapshot(full_store) == before


def _un_subset(path: Path, tmp_path: Path, drop_last: int) -> Path:
    """A copy of the UN file with its last ``drop_last`` ENTITY elements removed."""
    text = path.read_text(encoding="utf-8")
    end = text.rindex("</ENTITIES>")
    cut = end
    for _ in range(drop_last):
        cut = text.rindex("<ENTITY>", 0, cut)
    target = tmp_path / f"un_minus_{drop_last}.xml"
    target.write_text(text[:cut] + text[end:], encoding="utf-8")
    return target


def test_a_new_version_switches_atomically_and_old_ones_are_pruned(
    store_url: str, shared_data: Path, tmp_path: Path
) -> None:
    store = open_store(store_url)
    (first,) = load_paths(store, [shared_data / UN])
    (second,) = load_paths(store, [_un_subset(shared_data / UN, tmp_path, 1)])
    assert second.created and second.previous_version_id == first.version_id
    assert snapshot(store)["un_sc"] == (second.version_id, 1002, 1002)
    (third,) = load_paths(store, [_un_subset(shared_data / UN, tmp_path, 2)])
    with store.session() as session:
        versions = session.scalars(select(ListVersion.id).where(ListVersion.source == "un_sc")).all()
        orphans = session.scalar(
            select(func.count())
            .select_from(ListEntryRecord)
            .where(ListEntryRecord.version_id == first.version_id)
        )
        [loaded] = loaded_lists(session)
    assert set(versions) == {second.version_id, third.version_id}  # the active one and the one before
    assert orphans == 0
    assert loaded.entry_count == 1001 and loaded.versions == 2
    # Going back to a kept version re-activates it without copying.
    (back,) = load_paths(store, [_un_subset(shared_data / UN, tmp_path, 1)])
    assert not back.created and snapshot(store)["un_sc"][0] == second.version_id
    store.close()


HOSTILE = {
    "bomb": (
        '<?xml version="1.0"?><!DOCTYPE CONSOLIDATED_LIST [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&c;</FIRST_NAME></INDIVIDUAL>"
        "</INDIVIDUALS></CONSOLIDATED_LIST>"
    ),
    "external": (
        '<?xml version="1.0"?><!DOCTYPE CONSOLIDATED_LIST [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&x;</FIRST_NAME></INDIVIDUAL>"
        "</INDIVIDUALS></CONSOLIDATED_LIST>"
    ),
}


@pytest.mark.parametrize("kind", ["bomb", "external", "truncated", "encoding"])
def test_a_hostile_or_broken_file_leaves_the_loaded_lists_as_they_were(
    store_url: str, shared_data: Path, tmp_path: Path, kind: str
) -> None:
    store = open_store(store_url)
    load_paths(store, [shared_data / UN])
    before = snapshot(store)
    if kind in HOSTILE:
        bad = tmp_path / "consolidated.xml"
        bad.write_text(HOSTILE[kind], encoding="utf-8")
        files = group_files([bad])
    elif kind == "truncated":
        data = (shared_data / UN).read_bytes()
        bad = tmp_path / "consolidated.xml"
        bad.write_bytes(data[: int(len(data) * 0.9)])  # most entries parse before the cut
        files = group_files([bad])
    else:
        bad = tmp_path / "sdn.csv"
        bad.write_bytes((shared_data / OFAC[0]).read_text(encoding="utf-8").encode("utf-16"))
        files = [ListFile(ListFormat.OFAC_CSV, (bad,))]
    with pytest.raises(InputError) as error:
        load_list_files(store, files)
    assert str(bad) in str(error.value)
    assert snapshot(store) == before
    store.close()


def test_several_lists_load_all_or_nothing(store_url: str, shared_data: Path, tmp_path: Path) -> None:
    store = open_store(store_url)
    data = (shared_data / UN).read_bytes()
    cut = tmp_path / "consolidated.xml"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError):
        load_paths(store, [shared_data / UK, cut])  # the UK tables parse; the UN file does not
    assert snapshot(store) == {}
    store.close()


def test_entries_of_another_list_are_refused(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    stray = ListEntry(ListSource.UN_SC, "KPi.001", Schema.PERSON, "X")
    with pytest.raises(ValueError, match="does not belong"), store.session() as session:
        save_list_version(session, ListSource.GB_HMT, "test", "0" * 64, None, [stray])
    assert snapshot(store) == {}
    store.close()
