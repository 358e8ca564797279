"""What screening returns: the query, the matches, and the explanation behind each score
(shared by every scoring algorithm)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from watchfloor.model.schema import IdScheme, Schema
from watchfloor.screen.dates import parse_birth_date
from watchfloor.screen.index import IndexedEntry
from watchfloor.sources.lists.records import Identifier


class Outcome(enum.StrEnum):
    """How one field of the query compared with the entry."""

    AGREE = "agree"
    PARTIAL = "partial"
    CONFLICT = "conflict"
    ABSENT = "absent"
    INVALID = "invalid"


class PairHow(enum.StrEnum):
    """Why two name tokens were aligned."""

    EXACT = "exact"
    SPELLING = "spelling"
    TYPO = "typo"
    INITIAL = "initial"


@dataclass(frozen=True)
class TokenPair:
    """One query token aligned to one list-name token."""

    query: str
    listed: str
    similarity: float
    how: PairHow


@dataclass(frozen=True)
class NameAlignment:
    """The best alignment of the query name with one of the entry's names."""

    query_name: str
    list_name: str
    list_name_kind: str
    pairs: list[TokenPair]
    unmatched_query: list[str]
    unmatched_list: list[str]
    score: float


@dataclass(frozen=True)
class FieldResult:
    """One non-name field: what was compared, how it came out, what it added to the score."""

    field: str
    outcome: Outcome
    detail: str
    contribution: float


@dataclass(frozen=True)
class FeatureResult:
    """One named feature of a feature-based algorithm (v2) that fired: its value in [0, 1], its
    weight (from the weights file) and what it added (value x weight)."""

    feature: str
    value: float
    weight: float
    contribution: float
    detail: str


@dataclass(frozen=True)
class Explanation:
    """Everything behind a score, in reviewer terms."""

    algorithm: str
    threshold: float
    name: NameAlignment | None
    fields: list[FieldResult]
    summary: str
    features: list[FeatureResult] = field(default_factory=list)
    """v2: every feature that fired, with its weight (v1 explains through ``fields``)."""


@dataclass
class Query:
    """What to screen: a name and, where known, the other facts that confirm or refute a hit."""

    name: str | None = None
    schema: Schema | None = None
    birth_date: str | None = None
    """ISO date, possibly partial (``1984``, ``1984-01``, ``1984-01-08``)."""
    countries: list[str] = field(default_factory=list)
    """Nationality / country: ISO codes or names."""
    gender: str | None = None
    identifiers: list[Identifier] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Read a written date of birth (``21/05/1955``) into ISO form, or refuse it
        (:class:`~watchfloor.screen.dates.BirthDateError`): a mis-read date would be a false conflict.
        An ISO date with a typo (``1974-01-32``) is kept as written (see ``parse_birth_date``)."""
        if self.birth_date is not None:
            text = self.birth_date.strip()
            self.birth_date = parse_birth_date(text, strict=False) if text else None

    @classmethod
    def for_vessel(cls, name: str | None = None, imo: str | None = None, mmsi: str | None = None) -> Query:
        """A vessel query from a name and/or IMO and MMSI."""
        ids = [Identifier(IdScheme.IMO, imo)] if imo else []
        if mmsi:
            ids.append(Identifier(IdScheme.MMSI, mmsi))
        return cls(name=name, schema=Schema.VESSEL, identifiers=ids)


@dataclass(frozen=True)
class Match:
    """One list entry returned for a query."""

    key: str
    entry_id: str
    source: str
    caption: str
    schema: str
    score: float
    match: bool
    lists: list[str]
    programmes: list[str]
    listed_on: date | None
    url: str | None
    explanation: Explanation


@dataclass(frozen=True)
class IdentifierCheck:
    """Validation of a query identifier (an IMO with a wrong check digit is ``valid=False``)."""

    scheme: str
    value: str
    valid: bool
    reason: str


@dataclass
class ScreenResult:
    """The matches for a query, plus what was wrong with the query itself."""

    query: Query
    matches: list[Match]
    identifier_checks: list[IdentifierCheck]


def match_of(item: IndexedEntry, score: float, is_match: bool, explanation: Explanation) -> Match:
    """The :class:`Match` of one scored entry, whichever algorithm scored it."""
    entry = item.entry
    return Match(
        key=entry.key,
        entry_id=entry.entry_id,
        source=entry.source.value,
        caption=entry.caption,
        schema=entry.schema.value,
        score=round(score, 4),
        match=is_match,
        lists=[entry.source.value],
        programmes=list(entry.programmes),
        listed_on=entry.listed_on,
        url=entry.url,
        explanation=explanation,
    )
