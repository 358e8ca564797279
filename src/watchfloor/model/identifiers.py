"""Identifier values in comparable form, and the IMO check digit.

Screening posts identifiers under these forms and maritime links vessels by them, so both must
normalise the same way.
"""

from __future__ import annotations

import re

from watchfloor.model.schema import IdScheme

_DIGITS = re.compile(r"\D+")
_ALNUM = re.compile(r"[^0-9A-Z]+")


def normalise_identifier(scheme: IdScheme, value: str) -> str:
    """Comparable form of an identifier: digits only for IMO/MMSI, upper-case alphanumerics else."""
    if scheme in (IdScheme.IMO, IdScheme.MMSI):
        digits = _DIGITS.sub("", value)
        return digits.lstrip("0") if scheme is IdScheme.MMSI else digits
    return _ALNUM.sub("", value.upper())


def imo_check_digit(digits: str) -> int:
    """The check digit of an IMO number's first six digits (weights 7..2, sum mod 10)."""
    return sum(int(d) * (7 - i) for i, d in enumerate(digits[:6])) % 10
