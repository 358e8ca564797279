"""FollowTheMoney JSON lines on the real OpenSanctions yente fixtures (CC BY-NC 4.0)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from watchfloor.errors import InputError
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.ftm import read_ftm
from watchfloor.sources.lists.records import ListSource, NameKind


def test_targets_are_read_and_sanctions_folded_in(shared_data: Path) -> None:
    path = shared_data / "sanctions" / "ftm" / "yente_fixture_zala_entities.ftm.json"
    entries = list(read_ftm(path))
    assert Counter(e.schema for e in entries) == {Schema.PERSON: 6, Schema.COMPANY: 11}
    assert all(e.source is ListSource.FTM and e.url for e in entries)
    sanctioned = [e for e in entries if e.programmes]
    assert sanctioned, "Sanction entities must give their targets programmes"
    osetrova = next(e for e in entries if e.caption == "Maria Aleksandrovna Osetrova")
    assert osetrova.birth_dates == ["1988-01-07"] and osetrova.gender == "female"
    assert "Мария Александровна Осетрова" in {n.value for n in osetrova.names}
    assert any(n.kind is NameKind.PREVIOUS for n in osetrova.names)
    # Address entities referenced by addressEntity are folded in as text.
    assert "272 Pushkinskaya St., Apt. 41, Izhevsk, 426008" in osetrova.addresses
    assert (IdScheme.TAX_ID, "183116181362") in {(i.scheme, i.value) for i in osetrova.identifiers}


def test_small_fixture_counts(shared_data: Path) -> None:
    path = shared_data / "sanctions" / "ftm" / "yente_fixture_t1_entities.ftm.json"
    assert Counter(e.schema for e in read_ftm(path)) == {Schema.PERSON: 4, Schema.ORGANIZATION: 2}


def test_a_truncated_line_is_reported_with_its_number(tmp_path: Path, shared_data: Path) -> None:
    lines = (
        (shared_data / "sanctions" / "ftm" / "yente_fixture_t1_entities.ftm.json").read_text().splitlines()
    )
    path = tmp_path / "cut.ftm.json"
    path.write_text("\n".join(lines[:3]) + "\n" + lines[3][:50])
    with pytest.raises(InputError, match="invalid JSON") as error:
        list(read_ftm(path))
    assert error.value.place is not None and error.value.place.startswith("line 4")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": "world"}) + "\n")
    with pytest.raises(InputError, match="not a FollowTheMoney entity"):
        list(read_ftm(other))
