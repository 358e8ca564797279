"""UN Security Council consolidated list XML, on the real 2026-02-27 file."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from tests.sources.lists.lists_testdata import UN_FILE, by_id
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.records import ListEntry, ListSource, NameKind
from watchfloor.sources.lists.un import published_date


def test_every_entry_of_the_real_file_is_read(un_entries: list[ListEntry]) -> None:
    assert len(un_entries) == 1003
    assert Counter(e.schema for e in un_entries) == {Schema.PERSON: 730, Schema.ORGANIZATION: 273}
    assert len({e.entry_id for e in un_entries}) == 1003
    assert all(e.source is ListSource.UN_SC and e.caption and e.url and e.place for e in un_entries)
    dprk = [e for e in un_entries if e.programmes == ["DPRK"]]
    assert len(dprk) == 155


def test_published_date_is_the_generation_date(shared_data: Path) -> None:
    assert published_date(shared_data / UN_FILE) == date(2026, 2, 27)


def test_a_dprk_official_keeps_every_field(un_entries: list[ListEntry]) -> None:
    entry = by_id(un_entries)["KPi.033"]
    assert entry.caption == "RI WON HO"
    assert entry.schema is Schema.PERSON
    assert entry.birth_dates == ["1964-07-17"]
    assert entry.nationalities == ["kp"]
    assert [(i.scheme, i.value) for i in entry.identifiers] == [(IdScheme.PASSPORT, "381310014")]
    assert entry.listed_on == date(2016, 11, 30)
    assert entry.remarks is not None and "KOMID" in entry.remarks
    assert entry.place is not None and entry.place.startswith("/CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL[")


def test_names_in_their_original_script_are_kept(un_entries: list[ListEntry]) -> None:
    entry = by_id(un_entries)["QDi.396"]
    values = {(n.value, n.kind, n.lang) for n in entry.names}
    assert ("Аслан Авгазарович Бютукаев", NameKind.PRIMARY, "Cyrl") in values
    # An alias written "Latin (original script: Cyrillic)" becomes two names.
    assert ("Amir Khazmat", NameKind.WEAK, None) in values
    assert ("Амир Хазмат", NameKind.WEAK, "Cyrl") in values
    scripts = Counter(n.lang for e in un_entries for n in e.names if n.lang)
    assert scripts["Arab"] > 300 and scripts["Cyrl"] >= 16


def test_alias_quality_and_ranges_of_birth_years(un_entries: list[ListEntry]) -> None:
    kinds = Counter(n.kind for e in un_entries for n in e.names)
    assert kinds[NameKind.WEAK] > 500  # UN "Low" quality aliases
    assert kinds[NameKind.PREVIOUS] >= 19  # "f.k.a."
    assert any(len(e.birth_dates) >= 3 and all(len(d) == 4 for d in e.birth_dates) for e in un_entries)


def test_shipping_companies_carry_their_imo_number(un_entries: list[ListEntry]) -> None:
    entry = by_id(un_entries)["KPe.022"]
    assert [i.value for i in entry.identifiers if i.scheme is IdScheme.IMO] == ["5342883"]
