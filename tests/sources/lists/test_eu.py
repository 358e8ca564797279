"""EU consolidated financial sanctions list XML (FSF 1.1) on a fixture built by the format."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.sources.lists.lists_testdata import by_id
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.eu import published_date, read_eu
from watchfloor.sources.lists.records import ListSource, NameKind


def test_eu_fixture(fixtures: Path) -> None:
    path = fixtures / "eu_fsf.xml"
    assert published_date(path) == date(2026, 5, 12)
    entries = by_id(list(read_eu(path)))
    ri = entries["107440"]
    assert ri.source is ListSource.EU_FSF and ri.schema is Schema.PERSON
    assert ri.names[0].value == "Ri Won Ho" and ri.names[0].family == "Ri"
    assert ("리원호", "Hang") in {(n.value, n.lang) for n in ri.names}
    assert ri.birth_dates == ["1964-07-17"] and ri.birth_places == []  # "UNKNOWN" is not a place
    assert ri.nationalities == ["kp"] and ri.gender == "male"
    ids = {(i.scheme, i.value, i.country) for i in ri.identifiers}
    assert (IdScheme.PASSPORT, "381310014", "kp") in ids
    assert (IdScheme.OTHER, "KPi.033", None) in ids  # the UN reference links it to the UN entry
    assert ri.programmes == ["PRK"] and ri.listed_on == date(2017, 1, 12)
    assert ri.url is not None and ri.url.startswith("http://eur-lex.europa.eu/")
    company = entries["158411"]
    assert company.schema is Schema.ORGANIZATION
    assert ("M Leasing", NameKind.WEAK) in {(n.value, n.kind) for n in company.names}
    assert company.addresses == ["Shchepkina Street 42, Moscow, 129110, RUSSIAN FEDERATION"]
    assert (IdScheme.REGISTRATION, "1027739253520") in {(i.scheme, i.value) for i in company.identifiers}
