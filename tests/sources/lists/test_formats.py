"""Format detection, grouping of companion files, and the read_list dispatcher."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.sources.lists.lists_testdata import OFAC_ADD, OFAC_ALT, OFAC_SDN, UK_DIR, UN_FILE
from watchfloor.errors import InputError
from watchfloor.sources.lists.formats import ListFile, ListFormat, detect_format, group_files, read_list
from watchfloor.sources.lists.records import ListSource


def test_every_format_is_recognised(shared_data: Path, fixtures: Path) -> None:
    expected = {
        shared_data / UN_FILE: ListFormat.UN_XML,
        shared_data / OFAC_SDN: ListFormat.OFAC_CSV,
        shared_data / OFAC_ALT: ListFormat.OFAC_ALT_CSV,
        shared_data / OFAC_ADD: ListFormat.OFAC_ADD_CSV,
        shared_data / UK_DIR: ListFormat.UK_TABLES,
        shared_data / UK_DIR / "uk_sanctions_list_derived_subjects.csv.gz": ListFormat.UK_TABLES,
        shared_data / "sanctions/ftm/yente_fixture_t1_entities.ftm.json": ListFormat.FTM_JSON,
        fixtures / "ofac_sdn.xml": ListFormat.OFAC_XML,
        fixtures / "ofac_sdn_advanced.xml": ListFormat.OFAC_ADVANCED_XML,
        fixtures / "uk_sanctions_list.xml": ListFormat.UK_XML,
        fixtures / "eu_fsf.xml": ListFormat.EU_XML,
    }
    assert {path: detect_format(path) for path in expected} == expected


def test_renamed_ofac_files_are_told_apart_by_content(tmp_path: Path, shared_data: Path) -> None:
    for name, fmt in ((OFAC_SDN, ListFormat.OFAC_CSV), (OFAC_ALT, ListFormat.OFAC_ALT_CSV)):
        copy = tmp_path / f"download-{fmt.value}.txt"
        copy.write_bytes((shared_data / name).read_bytes()[:20000])
        assert detect_format(copy) is fmt


def test_companions_join_their_sdn_file_in_a_fixed_order(shared_data: Path) -> None:
    files = group_files(
        [shared_data / OFAC_ADD, shared_data / UN_FILE, shared_data / OFAC_ALT, shared_data / OFAC_SDN]
    )
    assert [f.source for f in files] == [ListSource.UN_SC, ListSource.US_OFAC_SDN]
    ofac = files[1]
    assert ofac.paths == (shared_data / OFAC_SDN, shared_data / OFAC_ALT, shared_data / OFAC_ADD)


def test_uk_tables_are_gathered_from_any_one_of_them(shared_data: Path) -> None:
    (uk,) = group_files([shared_data / UK_DIR / "uk_sanctions_list_derived_subject_dobs.csv.gz"])
    assert uk.format is ListFormat.UK_TABLES and len(uk.paths) == 5


def test_read_list_chains_several_lists(shared_data: Path, fixtures: Path) -> None:
    entries = list(read_list([fixtures / "eu_fsf.xml", fixtures / "ofac_sdn.xml"]))
    assert [e.source for e in entries] == [ListSource.EU_FSF] * 2 + [ListSource.US_OFAC_SDN] * 3
    assert next(e.entry_id for e in read_list(str(fixtures / "uk_sanctions_list.xml"))) == "DPR0001"


def test_a_gzipped_copy_is_the_same_list_version(tmp_path: Path, shared_data: Path) -> None:
    original = ListFile(ListFormat.UN_XML, (shared_data / UN_FILE,))
    packed = tmp_path / "consolidated.xml.gz"
    packed.write_bytes(gzip.compress((shared_data / UN_FILE).read_bytes()))
    assert detect_format(packed) is ListFormat.UN_XML
    assert ListFile(ListFormat.UN_XML, (packed,)).content_hash() == original.content_hash()


def test_what_cannot_be_loaded_is_refused_clearly(tmp_path: Path, shared_data: Path, fixtures: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("nothing to see here\n")
    with pytest.raises(InputError, match="not a sanctions list format"):
        detect_format(text)
    other_xml = tmp_path / "feed.xml"
    other_xml.write_text("<rss><channel/></rss>")
    with pytest.raises(InputError, match="unknown kind"):
        detect_format(other_xml)
    with pytest.raises(InputError, match=r"exactly one sdn\.csv"):
        group_files([shared_data / OFAC_ALT])
    with pytest.raises(InputError, match="more than one file of list us_ofac_sdn"):
        group_files([fixtures / "ofac_sdn.xml", fixtures / "ofac_sdn_advanced.xml"])
