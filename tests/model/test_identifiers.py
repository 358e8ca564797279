"""Identifier normalisation and the IMO check digit, shared by screening and maritime links."""

from __future__ import annotations

from watchfloor.model.identifiers import imo_check_digit, normalise_identifier
from watchfloor.model.schema import IdScheme


def test_imo_and_mmsi_keep_digits_and_mmsi_drops_leading_zeros() -> None:
    assert normalise_identifier(IdScheme.IMO, "IMO 9355484") == "9355484"
    assert normalise_identifier(IdScheme.MMSI, "0273 456 789") == "273456789"
    assert normalise_identifier(IdScheme.PASSPORT, "ab-12 34") == "AB1234"


def test_imo_check_digit() -> None:
    # 9074729: 9*7 + 0*6 + 7*5 + 4*4 + 7*3 + 2*2 = 139 -> 9
    assert imo_check_digit("907472") == 9
    assert imo_check_digit("9074729") == 9
    assert imo_check_digit("907473") != 9
