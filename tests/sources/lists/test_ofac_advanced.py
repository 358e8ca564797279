"""OFAC sdn_advanced.xml (Advanced Sanctions List Standard) on a fixture built by the schema."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.sources.lists.lists_testdata import by_id
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.ofac_advanced import published_date, read_ofac_advanced
from watchfloor.sources.lists.records import NameKind


def test_parties_are_resolved_through_the_reference_tables(fixtures: Path) -> None:
    path = fixtures / "ofac_sdn_advanced.xml"
    assert published_date(path) == date(2024, 5, 3)
    entries = by_id(list(read_ofac_advanced(path)))
    kim = entries["20157"]
    assert kim.schema is Schema.PERSON and kim.caption == "KIM, Jong Un"
    assert kim.names[0].family == "KIM" and kim.names[0].given == "Jong Un"
    assert ("KIM, Chong Un", NameKind.ALIAS) in {(n.value, n.kind) for n in kim.names}
    assert ("김정은", "Hang") in {(n.value, n.lang) for n in kim.names}
    assert kim.birth_dates == ["1984-01-08"] and kim.gender == "male" and kim.nationalities == ["kp"]
    assert kim.addresses == ["Pyongyang, Korea, North"]
    assert [(i.scheme, i.value, i.country) for i in kim.identifiers] == [
        (IdScheme.PASSPORT, "745310010", "kp")
    ]
    # Programmes and listing dates come from SanctionsEntries, after the parties in the file.
    assert kim.programmes == ["DPRK3"] and kim.listed_on == date(2016, 7, 6)
    angara = entries["37059"]
    assert angara.schema is Schema.VESSEL and angara.nationalities == ["ru"]
    assert {(i.scheme, i.value) for i in angara.identifiers} == {
        (IdScheme.IMO, "9179842"),
        (IdScheme.MMSI, "273349140"),
        (IdScheme.CALL_SIGN, "UBCP6"),
    }
    assert angara.programmes == ["RUSSIA-EO14024"]
