"""Scoring algorithm ``watchfloor-name-v1``: names, dates of birth, countries, gender,
identifiers and schema, with an explanation a compliance reviewer can read.

Score = best name alignment over the entry's names (0..1), then adjusted by the other fields:

* names: tokens of the query and of a list name are aligned one to one, best pairs first
  (any order, any script). A pair counts as ``exact``, ``spelling`` (same Korean or Russian
  folding key: Jong/Chong/Jeong, Shchukin/Shhukin; 0.95), ``typo`` (OSA edit similarity >= 0.7,
  >= 0.8 for parts of five letters or fewer, exact for three or fewer; two swapped letters 0.85),
  ``initial`` (``V.`` for ``Vladimir``; 0.8 at half weight) or not at all. Each token weighs by
  its rarity on the lists (IDF). A list token the query leaves out costs 60% of its weight (20%
  for a patronymic or an initial); the name score is the weighted share of aligned tokens. Names
  split or joined differently (``Arefullaha Ref``) are also compared written without spaces
  (x0.95); parts joined by the index (``Jongun``) lose 2%; weak aliases x0.9; initials alone
  never match.
* date of birth: same date +0.05 (same year, where only the year is given, +0.02); a full date one
  slip away (a day apart, day and month swapped, one digit) 0; same year, other day -0.10; within
  a year 0; further apart -0.30.
* nationality/country: agreement +0.02, conflict -0.05 (lists record countries incompletely).
* gender: conflict -0.15.
* identifiers: the same IMO, MMSI or passport number makes the score at least 0.99 (a document
  number meets passports, national ids and other documents alike); a different IMO on a vessel
  that has one -0.30. An IMO whose check digit fails is reported as invalid and
  only used for an exact lookup, never as strong evidence.
* schema: a person never matches a vessel or an organisation (incompatible entries are skipped).

A match is a score >= :data:`DEFAULT_THRESHOLD`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz.distance import OSA

from watchfloor.errors import WatchfloorError
from watchfloor.model.identifiers import imo_check_digit, normalise_identifier
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.screen.dates import parse_birth_date
from watchfloor.screen.index import ORGANISATION_SCHEMAS, IndexedEntry, NameForm, ScreenIndex
from watchfloor.screen.names import Token, joined_variants, korean_in_cyrillic, tokenize
from watchfloor.sources.lists.parsing import country_code
from watchfloor.sources.lists.records import Identifier, NameKind

ALGORITHM = "watchfloor-name-v1"
DEFAULT_THRESHOLD = 0.80

_TYPO_FLOOR = 0.7

DOCUMENTS = (IdScheme.PASSPORT, IdScheme.NATIONAL_ID, IdScheme.OTHER)
"""Identity documents: lists file the same number under different document types (the UK lists
a passport the UN calls a passport as a national id), so a document number meets all three."""

_COMPATIBLE: dict[Schema, frozenset[Schema]] = {
    Schema.PERSON: frozenset({Schema.PERSON}),
    Schema.ORGANIZATION: frozenset({Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY}),
    Schema.COMPANY: frozenset({Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY}),
    Schema.LEGAL_ENTITY: frozenset({Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY, Schema.PERSON}),
    Schema.VESSEL: frozenset({Schema.VESSEL}),
    Schema.AIRPLANE: frozenset({Schema.AIRPLANE}),
}


MARKED_SCHEMAS = frozenset({Schema.VESSEL, Schema.AIRPLANE})
"""Entries whose names carry marks (``Lady R``, ``Sparta IV``) rather than initials."""


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


# -- identifiers -----------------------------------------------------------------------------------


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


# -- names -----------------------------------------------------------------------------------------


def token_similarity(q: Token, c: Token) -> tuple[float, PairHow | None]:
    """Similarity of two tokens and why, 0 below the typo floor.

    A token made by joining two written parts loses 2%, so that where the parts align as
    written, that alignment is the one shown.
    """
    sim, how = _token_similarity(q, c)
    if how is not None and (q.joined or c.joined):
        sim *= 0.98
    return sim, how


def _token_similarity(q: Token, c: Token) -> tuple[float, PairHow | None]:
    if q.text == c.text:
        return 1.0, PairHow.EXACT
    if _is_number(q.text) or _is_number(c.text):
        return 0.0, None  # a number (2, IV) meets only itself: Sparta II is not Sparta III
    if q.korean == c.korean:
        return 0.95, PairHow.SPELLING
    russian = not (q.text.endswith("ng") or c.text.endswith("ng"))
    if q.russian == c.russian and russian:
        # a part ending in -ng is a Korean syllable, never Russian: the Russian key's yo/jo/e
        # folding would make Jong and Yong one name
        return 0.95, PairHow.SPELLING
    lq, lc = len(q.text), len(c.text)
    if lq == 1 or lc == 1:
        if q.text[0] == c.text[0]:
            return 0.8, PairHow.INITIAL
        return 0.0, None
    if q.joined or c.joined or abs(lq - lc) > max(lq, lc) * 0.4:
        return 0.0, None
    sim = OSA.normalized_similarity(q.text, c.text, score_cutoff=_TYPO_FLOOR)
    folded = OSA.normalized_similarity(q.korean, c.korean, score_cutoff=_TYPO_FLOOR)
    if russian:
        folded = max(folded, OSA.normalized_similarity(q.russian, c.russian, score_cutoff=_TYPO_FLOOR))
    best = max(sim, folded * 0.95)
    swapped = best < 0.85 and lq == lc and lq >= 4 and sorted(q.text) == sorted(c.text)
    if swapped and OSA.distance(q.text, c.text) == 1:  # two letters swapped: Faiz/Afiz, Lakhal/Lakahl
        best = 0.85
    # Short tokens are syllables: one letter changed is another name (Jong/Tong, Un/Nam).
    floor = _TYPO_FLOOR if max(lq, lc) > 5 else 0.8
    if best < floor or (min(lq, lc) <= 3 and best < 0.99):
        return 0.0, None
    return best, PairHow.TYPO


def pair_tokens(
    query: tuple[Token, ...],
    listed: tuple[Token, ...],
    cache: dict[tuple[str, str], tuple[float, PairHow | None]],
    marks: bool = False,
) -> list[tuple[int, int, float, PairHow]]:
    """Pair query and list tokens one to one, most similar pairs first: ``(i, j, sim, how)``.

    With ``marks`` (vessels, aircraft) a single letter is a mark of the name (``Lady R``), never
    an initial: it meets only the same letter."""
    pairs: list[tuple[float, int, int, PairHow]] = []
    for i, q in enumerate(query):
        for j, c in enumerate(listed):
            key = (q.text, c.text)
            found = cache.get(key)
            if found is None:
                found = cache[key] = token_similarity(q, c)
            if found[1] is not None and not (marks and found[1] is PairHow.INITIAL):
                pairs.append((found[0], i, j, found[1]))
    pairs.sort(key=lambda p: -p[0])
    used_q: set[int] = set()
    used_c: set[int] = set()
    chosen: list[tuple[int, int, float, PairHow]] = []
    for sim, i, j, how in pairs:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        chosen.append((i, j, sim, how))
    return chosen


def align(
    query: tuple[Token, ...],
    query_weights: tuple[float, ...],
    form: NameForm,
    cache: dict[tuple[str, str], tuple[float, PairHow | None]],
    marks: bool = False,
) -> tuple[float, list[tuple[int, int, float, PairHow]]]:
    """Align tokens one to one (:func:`pair_tokens`); return the weighted name score and the pairs."""
    listed = form.tokens
    chosen = pair_tokens(query, listed, cache, marks)
    used_c = {j for _, j, _, _ in chosen}
    if not any(how is not PairHow.INITIAL for _, _, _, how in chosen):
        return 0.0, chosen  # initials alone never make a name match
    wc = form.weights
    total = sum(query_weights)
    for j in range(len(listed)):
        total += wc[j] if j in used_c else form.spare[j]
    gained = 0.0
    for i, j, sim, how in chosen:
        weight = query_weights[i] + wc[j]
        if how is PairHow.INITIAL:
            weight *= 0.5
            total -= weight
        gained += sim * weight
    if total <= 0:
        return 0.0, chosen
    return gained / total, chosen


_NUMERALS = frozenset({
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
    "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx",
})  # fmt: skip


@lru_cache(maxsize=65536)
def _is_number(text: str) -> bool:
    return text.isdigit() or text in _NUMERALS


def is_mark(text: str, marks: bool) -> bool:
    """A number (``2``, ``IV``) or, for vessels and aircraft (``marks``), a single letter
    (``Lady R``): the part of a name that tells two of the same kind apart."""
    return _is_number(text) or (marks and len(text) == 1 and text.isalpha())


def _numbered_apart(
    query: tuple[Token, ...],
    listed: tuple[Token, ...],
    chosen: list[tuple[int, int, float, PairHow]],
    marks: bool = False,
) -> bool:
    """True when both names carry a number (``Sparta IV`` / ``Sparta II``), or for vessels a
    letter (``Lady R`` / ``Lady D``), left unaligned: then they are different vessels or
    companies, however alike written without spaces."""
    used_q = {i for i, _, _, _ in chosen}
    used_c = {j for _, j, _, _ in chosen}
    return any(is_mark(t.text, marks) for k, t in enumerate(query) if k not in used_q) and any(
        is_mark(t.text, marks) for k, t in enumerate(listed) if k not in used_c
    )


MARKS_APART = -0.35
"""What a different number or vessel letter left unaligned on both sides costs (v1)."""


def whole_similarity(a: str, b: str) -> float:
    """Edit similarity of two names written without spaces, in their given order: catches
    parts split or joined differently (``Arefullaha Ref`` / ``Arefullah Aref``)."""
    if abs(len(a) - len(b)) > 0.2 * max(len(a), len(b)):
        return 0.0
    return OSA.normalized_similarity(a, b, score_cutoff=0.85)


# -- fields ----------------------------------------------------------------------------------------


def _near_dates(a: str, b: str) -> bool:
    """Full dates that differ by a data-entry slip: one day apart, day and month swapped, or one
    digit changed."""
    if len(a) != 10 or len(b) != 10:
        return False
    if a[:4] != b[:4]:
        return False
    if (a[5:7], a[8:10]) == (b[8:10], b[5:7]):
        return True
    try:
        da, db = date.fromisoformat(a), date.fromisoformat(b)
        if abs((da - db).days) <= 1:
            return True
    except ValueError:
        pass
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _compare_dob(query: str, listed: tuple[str, ...]) -> FieldResult:
    if not listed:
        return FieldResult("birth_date", Outcome.ABSENT, "the list gives no date of birth", 0.0)
    if query in listed:
        exact = len(query) == 10
        return FieldResult("birth_date", Outcome.AGREE, f"{query} is listed", 0.05 if exact else 0.02)
    near = [d for d in listed if _near_dates(query, d)]
    if near:
        return FieldResult("birth_date", Outcome.PARTIAL, f"{query} is close to listed {near[0]}", 0.0)
    qy = query[:4]
    same_year = [d for d in listed if d[:4] == qy]
    if same_year:
        if len(query) == 10 and all(len(d) == 10 for d in same_year):
            return FieldResult(
                "birth_date", Outcome.CONFLICT,
                f"{query} differs from listed {', '.join(same_year)} (same year)", -0.10,
            )  # fmt: skip
        return FieldResult(
            "birth_date", Outcome.PARTIAL, f"year {qy} agrees with {', '.join(same_year)}", 0.02
        )
    close = [d for d in listed if d[:4].isdigit() and qy.isdigit() and abs(int(d[:4]) - int(qy)) <= 1]
    if close:
        return FieldResult("birth_date", Outcome.PARTIAL, f"{query} within a year of {', '.join(close)}", 0.0)
    shown = ", ".join(listed[:4]) + (" ..." if len(listed) > 4 else "")
    return FieldResult("birth_date", Outcome.CONFLICT, f"{query} conflicts with listed {shown}", -0.30)


def _compare_countries(query: set[str], listed: frozenset[str]) -> FieldResult:
    if not listed:
        return FieldResult("country", Outcome.ABSENT, "the list gives no nationality", 0.0)
    common = query & listed
    if common:
        return FieldResult("country", Outcome.AGREE, f"{', '.join(sorted(common))} agrees", 0.02)
    return FieldResult(
        "country", Outcome.CONFLICT,
        f"{', '.join(sorted(query))} not among listed {', '.join(sorted(listed))}", -0.05,
    )  # fmt: skip


# -- screening -------------------------------------------------------------------------------------


@dataclass
class _Prepared:
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


def _prepare(query: Query, index: ScreenIndex) -> _Prepared:
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
    return _Prepared(query, variants, countries, checks, strong, weak, weights, concats, idf=index.idf)


def _compatible(query: Schema | None, entry: Schema) -> bool:
    if query is None:
        return True
    return entry in _COMPATIBLE.get(query, frozenset({query}))


def _best_name(prepared: _Prepared, forms: Iterable[NameForm], marks: bool = False) -> NameAlignment | None:
    """The best-scoring alignment of any query variant with any of the given name forms."""
    best_score = -1.0
    best: tuple[NameForm, int, list[tuple[int, int, float, PairHow]]] | None = None
    for form in forms:
        for number, variant in enumerate(prepared.variants):
            score, chosen = align(variant, prepared.weights[number], form, prepared.cache, marks)
            if len(variant) > 1 and score < 0.9 and not _numbered_apart(variant, form.tokens, chosen, marks):
                whole = whole_similarity(prepared.concats[number], form.concat) * 0.95
                if whole > score:
                    score = whole
            if form.kind is NameKind.WEAK:
                score *= 0.9
            if score > best_score:
                best_score = score
                best = (form, number, chosen)
    if best is None:
        return None
    form, number, chosen = best
    variant = prepared.variants[number]
    used_q = {i for i, _, _, _ in chosen}
    used_c = {j for _, j, _, _ in chosen}
    return NameAlignment(
        query_name=prepared.query.name or "",
        list_name=form.value,
        list_name_kind=form.kind.value,
        pairs=[
            TokenPair(variant[i].text, form.tokens[j].text, round(sim, 3), how)
            for i, j, sim, how in sorted(chosen)
        ],
        unmatched_query=[t.text for k, t in enumerate(variant) if k not in used_q],
        unmatched_list=[t.text for k, t in enumerate(form.tokens) if k not in used_c],
        score=round(best_score, 4),
    )


def _score_entry(
    prepared: _Prepared,
    item: IndexedEntry,
    forms: list[NameForm],
    threshold: float,
) -> Match:
    fields: list[FieldResult] = []
    marks = item.entry.schema in MARKED_SCHEMAS
    alignment = _best_name(prepared, forms, marks) if forms else None
    score = alignment.score if alignment is not None else 0.0
    query = prepared.query
    if alignment is not None:
        left = [t for t in alignment.unmatched_query if is_mark(t, marks)]
        right = [t for t in alignment.unmatched_list if is_mark(t, marks)]
        if left and right:
            fields.append(
                FieldResult(
                    "name_marks", Outcome.CONFLICT,
                    f"{' '.join(left)} vs listed {' '.join(right)}: another number or letter, another one",
                    MARKS_APART,
                )
            )  # fmt: skip
            score += MARKS_APART
    if query.birth_date and item.entry.schema in (Schema.PERSON, Schema.LEGAL_ENTITY):
        result = _compare_dob(query.birth_date, item.birth_dates)
        fields.append(result)
        score += result.contribution
    if prepared.countries:
        result = _compare_countries(prepared.countries, item.nationalities)
        fields.append(result)
        score += result.contribution
    if query.gender and item.entry.gender:
        if query.gender.lower() == item.entry.gender.lower():
            fields.append(FieldResult("gender", Outcome.AGREE, f"{item.entry.gender} agrees", 0.0))
        else:
            fields.append(
                FieldResult(
                    "gender", Outcome.CONFLICT, f"{query.gender} vs listed {item.entry.gender}", -0.15
                )
            )
            score -= 0.15
    id_floor = 0.0
    for scheme, value in prepared.strong_ids + prepared.weak_ids:
        listed = item.identifiers.get(scheme, frozenset())
        strong = (scheme, value) in prepared.strong_ids
        listed_as = scheme
        if value not in listed and scheme in DOCUMENTS:
            for other in DOCUMENTS:
                if value in item.identifiers.get(other, frozenset()):
                    listed, listed_as = item.identifiers[other], other
        if value in listed:
            if strong:
                note = "" if listed_as is scheme else f" (as {listed_as.value})"
                fields.append(FieldResult(scheme.value, Outcome.AGREE, f"{value} is listed{note}", 0.99))
                id_floor = 0.99
            else:
                fields.append(
                    FieldResult(
                        scheme.value,
                        Outcome.INVALID,
                        f"{value} is listed but fails validation: weak evidence",
                        0.0,
                    )
                )
        elif listed and scheme is IdScheme.IMO and strong:
            shown = ", ".join(sorted(listed))
            fields.append(FieldResult("imo", Outcome.CONFLICT, f"{value} vs listed {shown}", -0.30))
            score -= 0.30
    score = max(id_floor, min(1.0, max(0.0, score)))
    is_match = score >= threshold
    parts = []
    if alignment is not None:
        parts.append(
            f"name {alignment.score:.2f} against '{alignment.list_name}' ({alignment.list_name_kind})"
        )
    parts.extend(f"{f.field} {f.outcome.value} ({f.contribution:+.2f}: {f.detail})" for f in fields)
    verdict = "match" if is_match else "no match"
    summary = f"{verdict}: {score:.2f} {'>=' if is_match else '<'} {threshold:.2f}; " + "; ".join(parts)
    return match_of(item, score, is_match, Explanation(ALGORITHM, threshold, alignment, fields, summary))


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


ALGORITHMS = ("watchfloor-name-v1", "watchfloor-name-v2")
"""The scoring algorithms, oldest first; ``None`` selects :data:`ALGORITHM`."""

EntryScorer = Callable[[_Prepared, IndexedEntry, list[NameForm], float], Match]


def scorer(algorithm: str | None) -> tuple[EntryScorer, float]:
    """The per-entry scoring function of an algorithm and its default threshold."""
    if algorithm is None or algorithm == ALGORITHM:
        return _score_entry, DEFAULT_THRESHOLD
    if algorithm == ALGORITHMS[1]:
        from watchfloor.screen import score_v2  # score_v2 builds on this module

        return score_v2.score_entry, score_v2.default_threshold()
    raise UnknownAlgorithmError(
        f"unknown scoring algorithm {algorithm!r}: use one of {', '.join(ALGORITHMS)}"
    )


class UnknownAlgorithmError(WatchfloorError, ValueError):
    """An algorithm name that is not one of :data:`ALGORITHMS`."""


def screen_full(
    query: Query,
    index: ScreenIndex,
    *,
    threshold: float | None = None,
    limit: int = 10,
    candidates: int = 20,
    min_coverage: float = 0.4,
    algorithm: str | None = None,
) -> ScreenResult:
    """Screen one query against the index; matches best first, with identifier validation.

    ``algorithm`` is one of :data:`ALGORITHMS` (default v1); ``threshold`` defaults to the
    algorithm's own."""
    score_entry, default = scorer(algorithm)
    limit_score = default if threshold is None else threshold
    prepared = _prepare(query, index)
    wanted: dict[int, list[int]] = {}
    if prepared.variants:
        allowed = _COMPATIBLE.get(query.schema) if query.schema is not None else None
        wanted = index.candidates(
            prepared.variants, limit=candidates, min_coverage=min_coverage, schemas=allowed
        )
    for scheme, value in prepared.strong_ids + prepared.weak_ids:
        for lookup in DOCUMENTS if scheme in DOCUMENTS else (scheme,):
            for entry in index.by_identifier(lookup, value):
                wanted.setdefault(entry, [])
    matches: list[Match] = []
    for position, form_ids in wanted.items():
        item = index.entries[position]
        if not _compatible(query.schema, item.entry.schema):
            continue
        forms = [index.forms[f] for f in form_ids]
        matches.append(score_entry(prepared, item, forms, limit_score))
    matches.sort(key=lambda m: (-m.score, m.key))
    return ScreenResult(query, matches[:limit], prepared.checks)


def score_entries(
    query: Query,
    index: ScreenIndex,
    positions: Iterable[int],
    *,
    threshold: float | None = None,
    algorithm: str | None = None,
    exclude_names: frozenset[str] = frozenset(),
) -> list[Match]:
    """Score a query against chosen entries over all their names, with no candidate stage
    (pairwise evaluation, a reviewer's second look). Names in ``exclude_names`` are left out
    (to compare an alias with the entry's other names)."""
    score_entry, default = scorer(algorithm)
    limit_score = default if threshold is None else threshold
    prepared = _prepare(query, index)
    out = []
    for position in positions:
        forms = [index.forms[f] for f in index.forms_of(position)]
        forms = [f for f in forms if f.value not in exclude_names]
        out.append(score_entry(prepared, index.entries[position], forms, limit_score))
    return out


def candidate_entries(
    query: Query, index: ScreenIndex, *, candidates: int = 20, min_coverage: float = 0.4
) -> set[int]:
    """The entries the candidate stage proposes for a query (by name and identifiers)."""
    prepared = _prepare(query, index)
    found: set[int] = set()
    if prepared.variants:
        allowed = _COMPATIBLE.get(query.schema) if query.schema is not None else None
        found.update(
            index.candidates(prepared.variants, limit=candidates, min_coverage=min_coverage, schemas=allowed)
        )
    for scheme, value in prepared.strong_ids + prepared.weak_ids:
        for lookup in DOCUMENTS if scheme in DOCUMENTS else (scheme,):
            found.update(index.by_identifier(lookup, value))
    return found


def screen(
    query: Query,
    index: ScreenIndex,
    *,
    threshold: float | None = None,
    limit: int = 10,
    algorithm: str | None = None,
) -> list[Match]:
    """Screen one query: the best ``limit`` entries, best first (``match`` says which pass)."""
    return screen_full(query, index, threshold=threshold, limit=limit, algorithm=algorithm).matches
