"""Validation of the identifiers a query carries (IMO check digit, MMSI length), and the
document schemes that meet one another."""

from __future__ import annotations

from watchfloor.model.identifiers import imo_check_digit, normalise_identifier
from watchfloor.model.schema import IdScheme
from watchfloor.screen.results import IdentifierCheck

DOCUMENTS = (IdScheme.PASSPORT, IdScheme.NATIONAL_ID, IdScheme.OTHER)
"""Identity documents: lists file the same number under different document types (the UK lists
a passport the UN calls a passport as a national id), so a document number meets all three."""


def imo_check(value: str) -> IdentifierCheck:
    """Validate a ship IMO number: seven digits, the last the check digit of the first six
    (weights 7..2, sum mod 10)."""
    digits = normalise_identifier(IdScheme.IMO, value)
    if len(digits) != 7:
        return IdentifierCheck("imo", value, False, f"an IMO number has 7 digits, not {len(digits)}")
    expected = imo_check_digit(digits)
    if expected != int(digits[6]):
        return IdentifierCheck("imo", value, False, f"check digit {digits[6]} is wrong: expected {expected}")
    return IdentifierCheck("imo", value, True, "check digit valid")


def mmsi_check(value: str) -> IdentifierCheck:
    """An MMSI is nine digits (no check digit exists)."""
    digits = _digits(value)
    if len(digits) != 9:
        return IdentifierCheck("mmsi", value, False, f"an MMSI has 9 digits, not {len(digits)}")
    return IdentifierCheck("mmsi", value, True, "9 digits")


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())
