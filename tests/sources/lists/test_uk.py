"""UK Sanctions List: the real derived tables, and the official XML format on a fixture."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tests.sources.lists.lists_testdata import by_id
from watchfloor.errors import InputError
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.records import ListEntry, ListSource, NameKind
from watchfloor.sources.lists.uk import published_date_xml, read_uk_tables, read_uk_xml


def test_every_subject_of_the_derived_tables_is_read(uk_entries: list[ListEntry]) -> None:
    assert len(uk_entries) == 6046
    assert Counter(e.schema for e in uk_entries) == {
        Schema.PERSON: 3883,
        Schema.ORGANIZATION: 1531,
        Schema.VESSEL: 632,
    }
    assert all(e.source is ListSource.GB_HMT and e.names and e.listed_on for e in uk_entries)
    regimes = Counter(e.programmes[0] for e in uk_entries)
    assert regimes["RUS"] == 3252 and regimes["DPR"] == 261


def test_the_angara_is_a_ship_with_its_imo(uk_entries: list[ListEntry]) -> None:
    angara = by_id(uk_entries)["RUS2183"]
    assert angara.caption == "ANGARA" and angara.schema is Schema.VESSEL
    assert [(i.scheme, i.value) for i in angara.identifiers] == [(IdScheme.IMO, "9179842")]
    assert angara.listed_on == date(2024, 7, 31)


def test_a_dprk_person_with_name_variants_dob_and_passport(uk_entries: list[ListEntry]) -> None:
    entry = by_id(uk_entries)["DPR0001"]
    assert entry.caption == "Jong Hyuk An"
    assert entry.names[0].family == "An" and entry.names[0].given == "Jong Hyuk"
    assert ("Jong Hyok An", NameKind.ALIAS) in {(n.value, n.kind) for n in entry.names}
    assert entry.birth_dates == ["1969-02-23"] and entry.nationalities == ["kp"]
    assert (IdScheme.PASSPORT, "563410155") in {(i.scheme, i.value) for i in entry.identifiers}


def test_duplicated_rows_of_the_tables_are_merged(uk_entries: list[ListEntry]) -> None:
    # The identifiers table repeats rows (DPR0075's IMO appears 4 times): one identifier remains.
    entry = by_id(uk_entries)["DPR0075"]
    assert [i.value for i in entry.identifiers if i.scheme is IdScheme.IMO] == ["9562233"]


def test_a_folder_without_the_subjects_table_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="subjects"):
        list(read_uk_tables(tmp_path))


def test_official_xml_fixture(fixtures: Path) -> None:
    path = fixtures / "uk_sanctions_list.xml"
    assert published_date_xml(path) == date(2026, 4, 29)
    entries = by_id(list(read_uk_xml(path)))
    assert set(entries) == {"DPR0001", "RUS2183", "RUS0001"}
    an = entries["DPR0001"]
    assert an.listed_on == date(2020, 12, 31)  # dd/mm/yyyy here, ISO date-times elsewhere
    assert an.schema is Schema.PERSON and an.gender == "male" and an.birth_dates == ["1969-02-23"]
    assert ("안정혁", "Hang") in {(n.value, n.lang) for n in an.names}
    assert (IdScheme.OTHER, "KPi.041") in {(i.scheme, i.value) for i in an.identifiers}
    angara = entries["RUS2183"]
    assert angara.schema is Schema.VESSEL and angara.nationalities == ["ru"]
    assert [(i.scheme, i.value) for i in angara.identifiers] == [(IdScheme.IMO, "9179842")]
    assert ("SUN ANGARA", NameKind.WEAK) in {(n.value, n.kind) for n in angara.names}
    kiselyov = entries["RUS0001"]
    assert kiselyov.birth_dates == ["1954-04-26", "1955"]  # "dd/mm/1955" is a year only
    assert kiselyov.birth_places == ["Moscow, Russia"]
