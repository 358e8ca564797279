"""OFAC SDN legacy CSV (with alt.csv and add.csv) on the real files, and sdn.xml on a fixture."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tests.sources.lists.lists_testdata import OFAC_SDN, by_caption, by_id
from watchfloor.errors import InputError
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.ofac import parse_remarks, published_date_xml, read_ofac_csv, read_ofac_xml
from watchfloor.sources.lists.records import ListEntry, NameKind

VESSELS = {"ANGARA": "9179842", "LADY R": "9161003", "MAIA-1": "9358010", "SPARTA IV": "9743033"}


def test_every_sdn_entry_is_read(ofac_entries: list[ListEntry]) -> None:
    assert len(ofac_entries) == 14965
    assert Counter(e.schema for e in ofac_entries) == {
        Schema.PERSON: 6854,
        Schema.ORGANIZATION: 6884,
        Schema.VESSEL: 851,
        Schema.AIRPLANE: 376,
    }


@pytest.mark.parametrize(("name", "imo"), sorted(VESSELS.items()))
def test_vessels_carry_their_imo_from_the_remarks(ofac_entries: list[ListEntry], name: str, imo: str) -> None:
    entry = by_caption(ofac_entries)[name]
    assert entry.schema is Schema.VESSEL
    assert (IdScheme.IMO, imo) in {(i.scheme, i.value) for i in entry.identifiers}
    assert entry.nationalities == ["ru"]  # the flag column
    assert entry.programmes == ["RUSSIA-EO14024"]


def test_kim_jong_un_is_a_person_with_his_date_of_birth(ofac_entries: list[ListEntry]) -> None:
    entry = by_caption(ofac_entries)["KIM, Jong Un"]
    assert entry.schema is Schema.PERSON
    assert entry.entry_id == "20157"
    assert entry.names[0].family == "KIM" and entry.names[0].given == "Jong Un"
    assert entry.birth_dates == ["1984-01-08"]
    assert entry.programmes == ["DPRK3"]
    assert entry.addresses == ["Korea, North"]  # from add.csv
    assert entry.url is not None and entry.url.endswith("id=20157")
    assert entry.place == "sdn_2024-05-03.csv line 4157"


def test_aliases_come_from_alt_csv_and_the_remarks(ofac_entries: list[ListEntry]) -> None:
    maia = by_caption(ofac_entries)["MAIA-1"]
    assert ("NEPTUN", NameKind.PREVIOUS) in {(n.value, n.kind) for n in maia.names}
    bnc = by_id(ofac_entries)["306"]  # BANCO NACIONAL DE CUBA, "a.k.a. 'BNC'" in its remarks
    assert "BNC" in {n.value for n in bnc.names}
    assert sum(len(e.names) for e in ofac_entries) > 14965 + 17000


def test_identifiers_and_personal_facts_are_parsed(ofac_entries: list[ListEntry]) -> None:
    schemes = Counter(i.scheme for e in ofac_entries for i in e.identifiers)
    assert schemes[IdScheme.IMO] >= 851 and schemes[IdScheme.MMSI] >= 150
    assert schemes[IdScheme.PASSPORT] > 1000 and schemes[IdScheme.TAX_ID] > 2000
    assert sum(1 for e in ofac_entries if e.birth_dates) > 6000
    assert sum(1 for e in ofac_entries if e.gender) > 4000
    # "Vessel Registration Identification RS 150443 (Russia)" is a national register number, not an IMO.
    shellest = by_caption(ofac_entries)["SHELLEST"]
    found = {(i.scheme, i.value, i.country) for i in shellest.identifiers}
    assert (IdScheme.REGISTRATION, "RS 150443", "ru") in found
    assert (IdScheme.MMSI, "273385420", None) in found and (IdScheme.CALL_SIGN, "UBAO8", None) in found
    assert not [
        i for e in ofac_entries for i in e.identifiers if i.scheme is IdScheme.IMO and not i.value.isdigit()
    ]


def test_remarks_parser_on_a_composite_remark() -> None:
    facts = parse_remarks(
        "DOB 1957 to 1959; alt. DOB circa 1960; POB Pyongyang, North Korea; nationality Korea, North; "
        "Gender Male; Passport 745410101 (Korea, North) expires 08 Jun 2020; Tax ID No. 5904343931 "
        "(Russia); MMSI 273123456; Vessel Registration Identification IMO 9179842; a.k.a. 'PAK, Chol'."
    )
    assert facts.birth_dates == ["1957", "1958", "1959", "1960"]
    assert facts.birth_places == ["Pyongyang, North Korea"]
    assert facts.nationalities == ["kp"] and facts.gender == "male"
    found = {(i.scheme, i.value, i.country) for i in facts.identifiers}
    assert (IdScheme.PASSPORT, "745410101", "kp") in found
    assert (IdScheme.TAX_ID, "5904343931", "ru") in found
    assert (IdScheme.MMSI, "273123456", None) in found
    assert (IdScheme.IMO, "9179842", None) in found
    assert [a.value for a in facts.aliases] == ["PAK, Chol"]


def test_windows_1252_is_decoded_and_wrong_encodings_are_refused(tmp_path: Path, shared_data: Path) -> None:
    row = '99,"JOSÉ, Peña","individual","SDNT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 01 Jan 1960."\r\n'
    cp1252 = tmp_path / "sdn.csv"
    cp1252.write_bytes(row.encode("cp1252"))
    assert [e.caption for e in read_ofac_csv(cp1252)] == ["JOSÉ, Peña"]
    with pytest.raises(InputError, match=r"cannot decode as utf-8.*wrong encoding") as strict:
        list(read_ofac_csv(cp1252, encoding="utf-8"))
    assert strict.value.place is not None and "line 1" in strict.value.place
    utf16 = tmp_path / "sdn16.csv"
    utf16.write_bytes((shared_data / OFAC_SDN).read_text("utf-8")[:5000].encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16") as wrong:
        list(read_ofac_csv(utf16))
    assert str(utf16) in str(wrong.value)


def test_a_truncated_csv_names_the_line(tmp_path: Path, shared_data: Path) -> None:
    data = (shared_data / OFAC_SDN).read_bytes()
    cut = tmp_path / "sdn.csv"
    cut.write_bytes(data[: data.index(b"\n", 200_000) + 40])  # stops inside a row
    with pytest.raises(InputError, match=r"truncated") as error:
        list(read_ofac_csv(cut))
    assert error.value.place is not None and error.value.place.startswith("line ")


def test_sdn_xml_fixture(fixtures: Path) -> None:
    path = fixtures / "ofac_sdn.xml"
    assert published_date_xml(path) == date(2024, 5, 3)
    entries = by_id(list(read_ofac_xml(path)))
    kim = entries["20157"]
    assert kim.caption == "KIM, Jong Un" and kim.schema is Schema.PERSON
    assert kim.birth_dates == ["1984-01-08", "1983"] and kim.gender == "male" and kim.nationalities == ["kp"]
    assert ("Marshal", NameKind.WEAK) in {(n.value, n.kind) for n in kim.names}
    angara = entries["37059"]
    ids = {(i.scheme, i.value) for i in angara.identifiers}
    assert {(IdScheme.IMO, "9179842"), (IdScheme.MMSI, "273349140"), (IdScheme.CALL_SIGN, "UBCP6")} <= ids
    assert angara.schema is Schema.VESSEL and angara.nationalities == ["ru"]
    assert entries["18170"].programmes == ["NPWMD", "DPRK3"]
    assert ("CHANGGWANG SINYONG CORPORATION", NameKind.PREVIOUS) in {
        (n.value, n.kind) for n in entries["18170"].names
    }
