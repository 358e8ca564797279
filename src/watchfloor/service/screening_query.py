"""A screening :class:`Query` from the plain values a person types or a CSV row holds.

Shared by the CLI, the API and the web dashboard so that all three read a date of birth, a
schema name or an identifier the same way.
"""

from __future__ import annotations

from watchfloor.errors import InputError
from watchfloor.model.schema import LISTED_SCHEMAS, IdScheme, Schema
from watchfloor.screen.dates import BirthDateError, parse_birth_date
from watchfloor.screen.score import Query
from watchfloor.sources.lists.records import Identifier

SCHEMAS = [s.value for s in LISTED_SCHEMAS]


class QueryError(InputError):
    """A screening value that cannot be read (an unknown schema, say)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field, message)


def parse_schema(value: str | None) -> Schema | None:
    """``person``, ``Person`` or ``PERSON`` as a :class:`Schema`; None when empty."""
    if not value or not value.strip():
        return None
    for schema in LISTED_SCHEMAS:
        if schema.value.lower() == value.strip().lower():
            return schema
    raise QueryError("schema", f"unknown schema {value!r}: use one of {', '.join(SCHEMAS)}")


def build_query(
    name: str | None,
    schema: str | None = None,
    dob: str | None = None,
    countries: list[str] | None = None,
    imo: str | None = None,
    mmsi: str | None = None,
    passport: str | None = None,
    gender: str | None = None,
) -> Query:
    """A :class:`Query` from command-line style values (empty strings mean absent).

    A date of birth is read in any common written form (``21/05/1955``, ``21.05.1955``,
    ``21 May 1955``, ``1955``); one that cannot be read, or reads two ways, raises
    :class:`QueryError` naming ``dob``, never a silently mis-read date."""
    identifiers = [
        Identifier(scheme, value.strip())
        for scheme, value in ((IdScheme.IMO, imo), (IdScheme.MMSI, mmsi), (IdScheme.PASSPORT, passport))
        if value and value.strip()
    ]
    chosen = parse_schema(schema)
    if dob and dob.strip():
        try:
            dob = parse_birth_date(dob)  # strict: a person typing 1974-01-32 is told so
        except BirthDateError as exc:
            raise QueryError("dob", str(exc)) from None
    if chosen is None and (imo or mmsi) and not name:
        chosen = Schema.VESSEL
    try:
        return Query(
            name=(name or "").strip() or None,
            schema=chosen,
            birth_date=(dob or "").strip() or None,
            countries=[c for c in countries or [] if c.strip()],
            gender=(gender or "").strip().lower() or None,
            identifiers=identifiers,
        )
    except BirthDateError as exc:
        raise QueryError("dob", str(exc)) from None
