"""A query made ready for scoring once, whichever algorithm scores it: name variants in every
tokenisation, their rarity weights, countries as codes, identifiers validated; and which entry
schemas a query's schema may meet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from watchfloor.model.identifiers import normalise_identifier
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.screen.identifiers import imo_check, mmsi_check
from watchfloor.screen.index import ORGANISATION_SCHEMAS, ScreenIndex
from watchfloor.screen.names import Token, joined_variants, korean_in_cyrillic, tokenize
from watchfloor.screen.results import IdentifierCheck, PairHow, Query
from watchfloor.sources.lists.parsing import country_code

COMPATIBLE: dict[Schema, frozenset[Schema]] = {
    Schema.PERSON: frozenset({Schema.PERSON}),
    Schema.ORGANIZATION: frozenset({Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY}),
    Schema.COMPANY: frozenset({Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY}),
    Schema.LEGAL_ENTITY: frozenset({Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY, Schema.PERSON}),
    Schema.VESSEL: frozenset({Schema.VESSEL}),
    Schema.AIRPLANE: frozenset({Schema.AIRPLANE}),
}


@dataclass
class Prepared:
    query: Query
    variants: list[tuple[Token, ...]]
    countries: set[str]
    checks: list[IdentifierCheck]
    strong_ids: list[tuple[IdScheme, str]]
    weak_ids: list[tuple[IdScheme, str]]
    weights: list[tuple[float, ...]] = field(default_factory=list)
    concats: list[str] = field(default_factory=list)
    cache: dict[tuple[str, str], tuple[float, PairHow | None]] = field(default_factory=dict)
    idf: Callable[[str], float] = lambda _text: 1.0
    """The index's rarity weight of a token text."""
    idf_table: dict[str, float] = field(default_factory=dict)
    """Rarity weights looked up for this query so far (v2)."""


def prepare(query: Query, index: ScreenIndex) -> Prepared:
    tokens = tokenize(query.name) if query.name else ()
    variants = [tokens, *joined_variants(tokens)] if tokens else []
    if query.name and (query.schema is None or query.schema in ORGANISATION_SCHEMAS):
        # legal forms as the index writes them for organisations (``pjsc``), as one more variant:
        # rigour's table also rewrites syllables such as ``yu`` or ``sa``, so never in place
        folded = tokenize(query.name, organisation=True)
        if folded != tokens:
            variants.append(folded)
    korean = korean_in_cyrillic(query.name) if query.name else None
    if korean is not None and korean != tokens:
        variants.extend([korean, *joined_variants(korean)])
    countries = {c for c in (country_code(v) for v in query.countries) if c}
    checks: list[IdentifierCheck] = []
    strong: list[tuple[IdScheme, str]] = []
    weak: list[tuple[IdScheme, str]] = []
    for ident in query.identifiers:
        value = normalise_identifier(ident.scheme, ident.value)
        if not value:
            continue
        if ident.scheme is IdScheme.IMO:
            check = imo_check(ident.value)
        elif ident.scheme is IdScheme.MMSI:
            check = mmsi_check(ident.value)
        else:
            check = IdentifierCheck(ident.scheme.value, ident.value, True, "not validated")
        checks.append(check)
        (strong if check.valid else weak).append((ident.scheme, value))
    weights = [tuple(index.idf(t.text) for t in v) for v in variants]
    concats = ["".join(t.text for t in v) for v in variants]
    return Prepared(query, variants, countries, checks, strong, weak, weights, concats, idf=index.idf)


def compatible(query: Schema | None, entry: Schema) -> bool:
    if query is None:
        return True
    return entry in COMPATIBLE.get(query, frozenset({query}))
