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

from collections.abc import Callable, Iterable

from watchfloor.errors import WatchfloorError
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.screen import score_v2
from watchfloor.screen.alignment import (
    MARKED_SCHEMAS,
    align,
    is_mark,
    numbered_apart,
    whole_similarity,
)
from watchfloor.screen.dates import near_dates
from watchfloor.screen.identifiers import DOCUMENTS, imo_check, mmsi_check
from watchfloor.screen.index import IndexedEntry, NameForm, ScreenIndex
from watchfloor.screen.prepared import COMPATIBLE, Prepared, compatible, prepare
from watchfloor.screen.results import (
    Explanation,
    FeatureResult,
    FieldResult,
    IdentifierCheck,
    Match,
    NameAlignment,
    Outcome,
    PairHow,
    Query,
    ScreenResult,
    TokenPair,
    match_of,
)
from watchfloor.sources.lists.records import NameKind

ALGORITHM = "watchfloor-name-v1"
DEFAULT_THRESHOLD = 0.80

MARKS_APART = -0.35
"""What a different number or vessel letter left unaligned on both sides costs (v1)."""


# -- fields ----------------------------------------------------------------------------------------


def _compare_dob(query: str, listed: tuple[str, ...]) -> FieldResult:
    if not listed:
        return FieldResult("birth_date", Outcome.ABSENT, "the list gives no date of birth", 0.0)
    if query in listed:
        exact = len(query) == 10
        return FieldResult("birth_date", Outcome.AGREE, f"{query} is listed", 0.05 if exact else 0.02)
    near = [d for d in listed if near_dates(query, d)]
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


def _best_name(prepared: Prepared, forms: Iterable[NameForm], marks: bool = False) -> NameAlignment | None:
    """The best-scoring alignment of any query variant with any of the given name forms."""
    best_score = -1.0
    best: tuple[NameForm, int, list[tuple[int, int, float, PairHow]]] | None = None
    for form in forms:
        for number, variant in enumerate(prepared.variants):
            score, chosen = align(variant, prepared.weights[number], form, prepared.cache, marks)
            if len(variant) > 1 and score < 0.9 and not numbered_apart(variant, form.tokens, chosen, marks):
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
    prepared: Prepared,
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


ALGORITHMS = ("watchfloor-name-v1", "watchfloor-name-v2")
"""The scoring algorithms, oldest first; ``None`` selects :data:`ALGORITHM`."""

EntryScorer = Callable[[Prepared, IndexedEntry, list[NameForm], float], Match]


def scorer(algorithm: str | None) -> tuple[EntryScorer, float]:
    """The per-entry scoring function of an algorithm and its default threshold."""
    if algorithm is None or algorithm == ALGORITHM:
        return _score_entry, DEFAULT_THRESHOLD
    if algorithm == ALGORITHMS[1]:
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
    prepared = prepare(query, index)
    wanted: dict[int, list[int]] = {}
    if prepared.variants:
        allowed = COMPATIBLE.get(query.schema) if query.schema is not None else None
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
        if not compatible(query.schema, item.entry.schema):
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
    prepared = prepare(query, index)
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
    prepared = prepare(query, index)
    found: set[int] = set()
    if prepared.variants:
        allowed = COMPATIBLE.get(query.schema) if query.schema is not None else None
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


__all__ = [
    "ALGORITHM", "ALGORITHMS", "DEFAULT_THRESHOLD", "DOCUMENTS", "Explanation", "FeatureResult",
    "FieldResult", "IdentifierCheck", "Match", "NameAlignment", "Outcome", "PairHow", "Query",
    "ScreenResult", "TokenPair", "UnknownAlgorithmError", "candidate_entries", "imo_check", "match_of",
    "mmsi_check", "score_entries", "scorer", "screen", "screen_full",
]  # fmt: skip
