"""Scoring algorithm ``watchfloor-name-v2``: named features with weights read from a YAML file.

Each feature is a function of the query, the entry and the best name alignment, returning a
value in [0, 1] and a reason, or ``None`` when it does not apply. The weights live in
``watchfloor/screen/name_v2.yaml`` (replaceable with the setting ``screen_weights_file``).
Main features (``name_match``, ``weak_alias_match``, ``identifier_match``) give the base score as
their best ``value x weight``; qualifiers (name-part agreements and conflicts, dates of birth,
countries, gender, identifiers, schema) are added to it; the result is clipped to [0, 1]. The
explanation lists every feature that fired with its weight and contribution.

The name alignment is v1's token pairing (:func:`watchfloor.screen.score.pair_tokens`: exact,
spelling system, typo, initial), scored here with the cost parameters of the weights file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from watchfloor.errors import ConfigError
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.screen.dates import parse_birth_date
from watchfloor.screen.index import ORGANISATION_SCHEMAS, IndexedEntry, NameForm
from watchfloor.screen.names import LEGAL_FORMS, Token, tokenize
from watchfloor.screen.score import (
    DOCUMENTS,
    MARKED_SCHEMAS,
    Explanation,
    FeatureResult,
    Match,
    NameAlignment,
    PairHow,
    TokenPair,
    _near_dates,
    _Prepared,
    is_mark,
    match_of,
    pair_tokens,
    whole_similarity,
)
from watchfloor.screen.translit import is_patronymic, korean_key
from watchfloor.settings import get_settings
from watchfloor.sources.lists.records import NameKind
from watchfloor.vocabulary import read_vocabulary

ALGORITHM = "watchfloor-name-v2"

MAIN_FEATURES = ("name_match", "weak_alias_match", "identifier_match")
QUALIFIERS = (
    "name.initials", "name.missing_parts", "name.extra_parts", "name.conflicting_parts",
    "name.patronymic_mismatch", "name.family_agrees", "name.family_mismatch", "name.common_family_only",
    "name.number_mismatch", "org.legal_form_only", "org.legal_form_mismatch", "dob.exact", "dob.year",
    "dob.day_conflict", "dob.year_conflict", "country.agree", "country.mismatch", "gender.mismatch",
    "identifier.conflict", "schema.loose",
)  # fmt: skip
PARAMETERS = (
    "extra_query_cost", "extra_list_cost", "minor_part_cost", "initial_similarity", "stopword_weight",
    "whole_name_factor", "common_family_max_given",
)  # fmt: skip


@dataclass(frozen=True)
class Weights:
    """A parsed weights file."""

    threshold: float
    main: dict[str, float]
    qualifiers: dict[str, float]
    parameters: dict[str, float]
    stopwords: frozenset[str]
    common_families: frozenset[str]
    """Korean-folded keys of the common family names."""
    origin: str


def read_weights(path: Path | None = None) -> Weights:
    """Read and check a weights file (the shipped one when ``path`` is ``None``): every feature
    and parameter must be there, as numbers; an unknown feature is an error (a typo would
    otherwise be silently ignored)."""
    data, origin = read_vocabulary("watchfloor.screen", "name_v2.yaml", path)
    if not isinstance(data, dict):
        raise ConfigError("a weights file is a mapping", origin)

    def numbers(section: str, names: tuple[str, ...]) -> dict[str, float]:
        values = data.get(section)
        if not isinstance(values, dict):
            raise ConfigError(f"'{section}' must be a mapping of names to numbers", origin)
        unknown = sorted(set(values) - set(names))
        missing = [n for n in names if n not in values]
        if unknown or missing:
            raise ConfigError(f"'{section}': unknown {unknown}, missing {missing}", origin)
        out: dict[str, float] = {}
        for name in names:
            value = values[name]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(f"'{section}.{name}' must be a number, not {value!r}", origin)
            out[name] = float(value)
        return out

    threshold = data.get("threshold")
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 < threshold <= 1:
        raise ConfigError("'threshold' must be a number in (0, 1]", origin)
    stopwords = data.get("org_stopwords", [])
    families = data.get("common_family_names", [])
    if not isinstance(stopwords, list) or not isinstance(families, list):
        raise ConfigError("'org_stopwords' and 'common_family_names' must be lists", origin)
    return Weights(
        threshold=float(threshold),
        main=numbers("main", MAIN_FEATURES),
        qualifiers=numbers("qualifiers", QUALIFIERS),
        parameters=numbers("parameters", PARAMETERS),
        stopwords=frozenset(str(w).lower() for w in stopwords),
        common_families=frozenset(korean_key(str(w)) for w in families),
        origin=origin,
    )


@lru_cache(maxsize=8)
def _weights_at(path: Path | None) -> Weights:
    return read_weights(path)


def current_weights() -> Weights:
    """The weights in use: the settings' ``screen_weights_file``, else the shipped file."""
    return _weights_at(get_settings().screen_weights_file)


def default_threshold() -> float:
    """The threshold of the weights in use."""
    return current_weights().threshold


# -- the comparison context ------------------------------------------------------------------------


@dataclass
class Context:
    """What the features look at: the query, the entry, and the best name alignment."""

    prepared: _Prepared
    item: IndexedEntry
    weights: Weights
    variant: tuple[Token, ...] = ()
    form: NameForm | None = None
    chosen: tuple[tuple[int, int, float, PairHow], ...] = ()
    name_score: float = 0.0
    weak: bool = False
    organisation: bool = False
    marks: bool = False

    unmatched_query: list[Token] = field(default_factory=list)
    unmatched_list: list[Token] = field(default_factory=list)
    aligned: list[tuple[Token, Token, float, PairHow]] = field(default_factory=list)
    family: frozenset[str] | None = None
    """The list name's family-name parts (computed once, by :func:`_family`)."""

    def settle(self) -> None:
        """Fix the alignment's derived views once, before the features read them."""
        tokens = self.form.tokens if self.form is not None else ()
        used_q = {i for i, _, _, _ in self.chosen}
        used_c = {j for _, j, _, _ in self.chosen}
        self.unmatched_query = [t for k, t in enumerate(self.variant) if k not in used_q]
        self.unmatched_list = [t for k, t in enumerate(tokens) if k not in used_c]
        self.aligned = [(self.variant[i], tokens[j], sim, how) for i, j, sim, how in self.chosen]

    def minor(self, token: Token) -> bool:
        """A part that says little: an initial, a patronymic, a legal form, an org stop-word."""
        text = token.text
        if len(text) == 1 and not self.marks:
            return True
        if is_patronymic(text):
            return True
        return self.organisation and (text in LEGAL_FORMS or text in self.weights.stopwords)


def _part_weight(ctx: Context, token: Token, idf: Callable[[str], float]) -> float:
    weight = idf(token.text)
    if ctx.organisation and token.text in ctx.weights.stopwords:
        weight *= ctx.weights.parameters["stopword_weight"]
    return weight


def _name_score(
    ctx: Context,
    variant: tuple[Token, ...],
    form: NameForm,
    chosen: list[tuple[int, int, float, PairHow]],
    idf: Callable[[str], float],
) -> float:
    """Weighted share of aligned parts, unaligned parts costing what the parameters say."""
    if not any(how is not PairHow.INITIAL for _, _, _, how in chosen):
        return 0.0  # initials alone never make a name match
    params = ctx.weights.parameters
    used_q = {i for i, _, _, _ in chosen}
    used_c = {j for _, j, _, _ in chosen}
    gained = total = 0.0
    for i, j, sim, how in chosen:
        weight = _part_weight(ctx, variant[i], idf) + _part_weight(ctx, form.tokens[j], idf)
        if how is PairHow.INITIAL:
            sim = params["initial_similarity"]
            weight *= 0.5
        gained += sim * weight
        total += weight
    for k, token in enumerate(variant):
        if k not in used_q:
            cost = params["minor_part_cost"] if ctx.minor(token) else params["extra_query_cost"]
            total += cost * _part_weight(ctx, token, idf)
    for k, token in enumerate(form.tokens):
        if k not in used_c:
            cost = params["minor_part_cost"] if ctx.minor(token) else params["extra_list_cost"]
            total += cost * _part_weight(ctx, token, idf)
    return gained / total if total > 0 else 0.0


def _align_best(ctx: Context, forms: list[NameForm], idf: Callable[[str], float]) -> None:
    """Fill ``ctx`` with the best (variant, form) alignment."""
    prepared = ctx.prepared
    best = -1.0
    for form in forms:
        for number, variant in enumerate(prepared.variants):
            chosen = pair_tokens(variant, form.tokens, prepared.cache, ctx.marks)
            score = _name_score(ctx, variant, form, chosen, idf)
            if len(variant) > 1 and score < 0.9 and not _marks_apart(ctx, variant, form.tokens, chosen):
                whole = whole_similarity(prepared.concats[number], form.concat)
                score = max(score, whole * ctx.weights.parameters["whole_name_factor"])
            if score > best:
                best = score
                ctx.variant, ctx.form, ctx.chosen = variant, form, tuple(chosen)
                ctx.name_score = score
                ctx.weak = form.kind is NameKind.WEAK


def _marks_apart(
    ctx: Context,
    variant: tuple[Token, ...],
    listed: tuple[Token, ...],
    chosen: list[tuple[int, int, float, PairHow]],
) -> bool:
    used_q = {i for i, _, _, _ in chosen}
    used_c = {j for _, j, _, _ in chosen}
    return any(is_mark(t.text, ctx.marks) for k, t in enumerate(variant) if k not in used_q) and any(
        is_mark(t.text, ctx.marks) for k, t in enumerate(listed) if k not in used_c
    )


# -- features --------------------------------------------------------------------------------------

Feature = Callable[[Context], tuple[float, str] | None]


def _share(ctx: Context, tokens: list[Token], of: tuple[Token, ...]) -> float:
    total = sum(len(t.text) for t in of)
    return sum(len(t.text) for t in tokens) / total if total else 0.0


def name_match(ctx: Context) -> tuple[float, str] | None:
    if ctx.form is None or ctx.weak or ctx.name_score <= 0:
        return None
    return ctx.name_score, f"'{ctx.prepared.query.name}' against '{ctx.form.value}' ({ctx.form.kind.value})"


def weak_alias_match(ctx: Context) -> tuple[float, str] | None:
    if ctx.form is None or not ctx.weak or ctx.name_score <= 0:
        return None
    return ctx.name_score, f"against the weak alias '{ctx.form.value}'"


def _identifier_hits(ctx: Context) -> list[str]:
    hits = []
    for scheme, value in ctx.prepared.strong_ids:
        schemes = DOCUMENTS if scheme in DOCUMENTS else (scheme,)
        if any(value in ctx.item.identifiers.get(s, frozenset()) for s in schemes):
            hits.append(f"{scheme.value} {value}")
    return hits


def identifier_match(ctx: Context) -> tuple[float, str] | None:
    hits = _identifier_hits(ctx)
    return (1.0, f"{', '.join(hits)} is listed") if hits else None


def identifier_conflict(ctx: Context) -> tuple[float, str] | None:
    for scheme, value in ctx.prepared.strong_ids:
        listed = ctx.item.identifiers.get(scheme, frozenset())
        if scheme in (IdScheme.IMO, IdScheme.MMSI) and listed and value not in listed:
            return 1.0, f"{scheme.value} {value} vs listed {', '.join(sorted(listed))}"
    return None


def initials(ctx: Context) -> tuple[float, str] | None:
    met = [(q.text, c.text) for q, c, _, how in ctx.aligned if how is PairHow.INITIAL]
    if not met or not ctx.chosen:
        return None
    return len(met) / len(ctx.chosen), ", ".join(f"{q}={c}" for q, c in met)


def missing_parts(ctx: Context) -> tuple[float, str] | None:
    if ctx.form is None:
        return None
    missing = [t for t in ctx.unmatched_list if not ctx.minor(t)]
    if not missing:
        return None
    return _share(ctx, missing, ctx.form.tokens), "not in the query: " + " ".join(t.text for t in missing)


def extra_parts(ctx: Context) -> tuple[float, str] | None:
    extra = [t for t in ctx.unmatched_query if not ctx.minor(t)]
    if not extra or ctx.form is None:
        return None
    return _share(ctx, extra, ctx.variant), "not in the list name: " + " ".join(t.text for t in extra)


def conflicting_parts(ctx: Context) -> tuple[float, str] | None:
    """A part on each side left unaligned (a substitution): another given name, another word."""
    left = [t for t in ctx.unmatched_query if not ctx.minor(t) and not is_mark(t.text, ctx.marks)]
    right = [t for t in ctx.unmatched_list if not ctx.minor(t) and not is_mark(t.text, ctx.marks)]
    if not left or not right or ctx.form is None:
        return None
    value = min(_share(ctx, left, ctx.variant), _share(ctx, right, ctx.form.tokens))
    return min(1.0, 2 * value), f"{' '.join(t.text for t in left)} vs {' '.join(t.text for t in right)}"


def patronymic_mismatch(ctx: Context) -> tuple[float, str] | None:
    left = [t.text for t in ctx.unmatched_query if is_patronymic(t.text)]
    right = [t.text for t in ctx.unmatched_list if is_patronymic(t.text)]
    if left and right:
        return 1.0, f"{left[0]} vs {right[0]}"
    return None


@lru_cache(maxsize=65536)
def _family_texts(family: str) -> frozenset[str]:
    return frozenset(t.text for t in tokenize(family))


def _family(ctx: Context) -> frozenset[str]:
    """The list name's family-name parts: as the list gives them, or for a Korean-looking name
    its first part."""
    if ctx.family is None:
        ctx.family = _find_family(ctx)
    return ctx.family


def _find_family(ctx: Context) -> frozenset[str]:
    if ctx.form is None or ctx.item.entry.schema is not Schema.PERSON:
        return frozenset()
    for name in ctx.item.entry.names:
        if name.family and name.value == ctx.form.value:
            return _family_texts(name.family)
    tokens = ctx.form.tokens
    korean = korean_key(tokens[0].text) in ctx.weights.common_families if tokens else False
    if korean and 2 <= len(tokens) <= 4 and all(len(t.text) <= 6 for t in tokens):
        return frozenset({tokens[0].text})
    return frozenset()


def family_agrees(ctx: Context) -> tuple[float, str] | None:
    family = _family(ctx)
    if not family:
        return None
    if all(_family_met(ctx, part) for part in family):
        return 1.0, " ".join(sorted(family))
    return None


def family_mismatch(ctx: Context) -> tuple[float, str] | None:
    family = _family(ctx)
    if not family or len(ctx.variant) < 2:
        return None
    met = [c for _, c, _, how in ctx.aligned if how is not PairHow.INITIAL]
    if met and not any(_family_met(ctx, part) for part in family):
        return 1.0, f"the family name {' '.join(sorted(family))} is not in the query"
    return None


def _family_met(ctx: Context, part: str) -> bool:
    """A family-name part aligned with the query: as a part, or inside a part joined by the
    index (``Changha`` holds ``ha``: lists differ on which Korean part is the family name)."""
    for _, listed, _, how in ctx.aligned:
        if how is PairHow.INITIAL:
            continue
        if listed.text == part or (listed.joined and part in listed.text):
            return True
    return False


def common_family_only(ctx: Context) -> tuple[float, str] | None:
    """Kim Jong Nam / Kim Jong Un: a common family name and one short syllable are all that agree
    while both sides have another given part; namesakes of this kind are the rule, not a hit."""
    if ctx.form is None or ctx.item.entry.schema is not Schema.PERSON:
        return None
    aligned = [(q, c) for q, c, _, how in ctx.aligned if how is not PairHow.INITIAL]
    families = [c for _, c in aligned if korean_key(c.text) in ctx.weights.common_families]
    if not families or len(aligned) > 2:
        return None
    given = [c for _, c in aligned if c is not families[0]]
    longest = int(ctx.weights.parameters["common_family_max_given"])
    if any(len(c.text) > longest for c in given):
        return None
    if not ctx.unmatched_list and not ctx.unmatched_query:
        return None
    return 1.0, f"only {' '.join(c.text for _, c in aligned)} agree"


def number_mismatch(ctx: Context) -> tuple[float, str] | None:
    left = [t.text for t in ctx.unmatched_query if is_mark(t.text, ctx.marks)]
    right = [t.text for t in ctx.unmatched_list if is_mark(t.text, ctx.marks)]
    if left and right:
        return 1.0, f"{' '.join(left)} vs listed {' '.join(right)}"
    return None


def legal_form_only(ctx: Context) -> tuple[float, str] | None:
    if not ctx.organisation or not ctx.aligned:
        return None
    words = ctx.weights.stopwords
    if all(c.text in LEGAL_FORMS or c.text in words for _, c, _, _ in ctx.aligned):
        return 1.0, "only " + " ".join(c.text for _, c, _, _ in ctx.aligned) + " agree"
    return None


def legal_form_mismatch(ctx: Context) -> tuple[float, str] | None:
    if not ctx.organisation:
        return None
    left = [t.text for t in ctx.unmatched_query if t.text in LEGAL_FORMS]
    right = [t.text for t in ctx.unmatched_list if t.text in LEGAL_FORMS]
    if left and right:
        return 1.0, f"{left[0]} vs {right[0]}"
    return None


def _dob(ctx: Context) -> tuple[str, list[str]] | None:
    query = ctx.prepared.query.birth_date
    if not query or ctx.item.entry.schema not in (Schema.PERSON, Schema.LEGAL_ENTITY):
        return None
    listed = [d for d in ctx.item.birth_dates if d]
    return (query, listed) if listed else None


def _listed_iso(value: str) -> str | None:
    try:
        return parse_birth_date(value)
    except ValueError:
        return None


def dob_exact(ctx: Context) -> tuple[float, str] | None:
    found = _dob(ctx)
    if found and len(found[0]) == 10 and found[0] in found[1]:
        return 1.0, f"{found[0]} is listed"
    return None


def dob_year(ctx: Context) -> tuple[float, str] | None:
    found = _dob(ctx)
    if not found:
        return None
    query, listed = found
    if len(query) == 10 and query in listed:
        return None  # dob.exact
    same = [d for d in listed if d[:4] == query[:4] and (len(d) < 10 or len(query) < 10)]
    return (1.0, f"year {query[:4]} agrees with listed {same[0]}") if same else None


def dob_day_conflict(ctx: Context) -> tuple[float, str] | None:
    found = _dob(ctx)
    if not found or len(found[0]) != 10:
        return None
    query, listed = found
    full = [d for d in listed if len(d) == 10]
    if not full or query in listed or any(_near_dates(query, d) for d in full):
        return None
    if any(len(d) < 10 and d[:4] == query[:4] for d in listed):
        return None
    same_year = [d for d in full if d[:4] == query[:4]]
    if same_year and len(same_year) == len([d for d in listed if d[:4] == query[:4]]):
        return 1.0, f"{query} vs listed {', '.join(same_year)} (same year)"
    return None


def dob_year_conflict(ctx: Context) -> tuple[float, str] | None:
    found = _dob(ctx)
    if not found:
        return None
    query, listed = found
    years = {int(d[:4]) for d in listed if d[:4].isdigit()}
    if not years or not query[:4].isdigit():
        return None
    year = int(query[:4])
    if all(abs(year - y) > 1 for y in years):
        shown = ", ".join(listed[:4]) + (" ..." if len(listed) > 4 else "")
        return 1.0, f"{query} vs listed {shown}"
    return None


def country_agree(ctx: Context) -> tuple[float, str] | None:
    common = ctx.prepared.countries & ctx.item.nationalities
    return (1.0, ", ".join(sorted(common))) if common else None


def country_mismatch(ctx: Context) -> tuple[float, str] | None:
    query, listed = ctx.prepared.countries, ctx.item.nationalities
    if query and listed and not query & listed:
        return 1.0, f"{', '.join(sorted(query))} vs listed {', '.join(sorted(listed))}"
    return None


def gender_mismatch(ctx: Context) -> tuple[float, str] | None:
    query, listed = ctx.prepared.query.gender, ctx.item.entry.gender
    if query and listed and query.lower() != listed.lower():
        return 1.0, f"{query} vs listed {listed}"
    return None


def schema_loose(ctx: Context) -> tuple[float, str] | None:
    query, listed = ctx.prepared.query.schema, ctx.item.entry.schema
    if query is not None and listed is not query and listed is Schema.LEGAL_ENTITY:
        return 1.0, f"{query.value} vs listed {listed.value}"
    return None


FEATURES: dict[str, Feature] = {
    "name_match": name_match,
    "weak_alias_match": weak_alias_match,
    "identifier_match": identifier_match,
    "name.initials": initials,
    "name.missing_parts": missing_parts,
    "name.extra_parts": extra_parts,
    "name.conflicting_parts": conflicting_parts,
    "name.patronymic_mismatch": patronymic_mismatch,
    "name.family_agrees": family_agrees,
    "name.family_mismatch": family_mismatch,
    "name.common_family_only": common_family_only,
    "name.number_mismatch": number_mismatch,
    "org.legal_form_only": legal_form_only,
    "org.legal_form_mismatch": legal_form_mismatch,
    "dob.exact": dob_exact,
    "dob.year": dob_year,
    "dob.day_conflict": dob_day_conflict,
    "dob.year_conflict": dob_year_conflict,
    "country.agree": country_agree,
    "country.mismatch": country_mismatch,
    "gender.mismatch": gender_mismatch,
    "identifier.conflict": identifier_conflict,
    "schema.loose": schema_loose,
}
"""Every feature by the name its weight has in the weights file."""

_NAME_QUALIFIERS = frozenset(q for q in QUALIFIERS if q.startswith(("name.", "org.")))


def evaluate(ctx: Context) -> tuple[float, list[FeatureResult]]:
    """Run every feature; the score and the features that fired."""
    fired: list[FeatureResult] = []
    base = 0.0
    for name in MAIN_FEATURES:
        result = FEATURES[name](ctx)
        if result is None:
            continue
        weight = ctx.weights.main[name]
        fired.append(
            FeatureResult(name, round(result[0], 4), weight, round(result[0] * weight, 4), result[1])
        )
        base = max(base, result[0] * weight)
    if base <= 0:
        return 0.0, fired
    score = base
    identified = any(f.feature == "identifier_match" for f in fired)
    for name in QUALIFIERS:
        if identified and name in _NAME_QUALIFIERS:
            continue  # a listed identifier says who it is: name details no longer qualify it
        result = FEATURES[name](ctx)
        if result is None:
            continue
        weight = ctx.weights.qualifiers[name]
        contribution = result[0] * weight
        fired.append(FeatureResult(name, round(result[0], 4), weight, round(contribution, 4), result[1]))
        score += contribution
    return max(0.0, min(1.0, score)), fired


def score_entry(prepared: _Prepared, item: IndexedEntry, forms: list[NameForm], threshold: float) -> Match:
    """Score one entry with v2 (the signature of :func:`watchfloor.screen.score.scorer`)."""
    weights = current_weights()
    ctx = Context(
        prepared=prepared,
        item=item,
        weights=weights,
        organisation=item.entry.schema in ORGANISATION_SCHEMAS,
        marks=item.entry.schema in MARKED_SCHEMAS,
    )
    idf = _idf_of(prepared)
    if forms and prepared.variants:
        _align_best(ctx, forms, idf)
    ctx.settle()
    score, fired = evaluate(ctx)
    is_match = score >= threshold
    alignment = None
    if ctx.form is not None:
        alignment = NameAlignment(
            query_name=prepared.query.name or "",
            list_name=ctx.form.value,
            list_name_kind=ctx.form.kind.value,
            pairs=[TokenPair(q.text, c.text, round(sim, 3), how) for q, c, sim, how in ctx.aligned],
            unmatched_query=[t.text for t in ctx.unmatched_query],
            unmatched_list=[t.text for t in ctx.unmatched_list],
            score=round(ctx.name_score, 4),
        )
    verdict = "match" if is_match else "no match"
    parts = [f"{f.feature} {f.value:.2f}x{f.weight:+.2f}={f.contribution:+.3f} ({f.detail})" for f in fired]
    summary = f"{verdict}: {score:.2f} {'>=' if is_match else '<'} {threshold:.2f}; " + "; ".join(parts)
    return match_of(item, score, is_match, Explanation(ALGORITHM, threshold, alignment, [], summary, fired))


def _idf_of(prepared: _Prepared) -> Callable[[str], float]:
    """The rarity weights of the index by token text (the query's own looked up once)."""
    table = prepared.idf_table
    if not table:
        for variant, weights in zip(prepared.variants, prepared.weights, strict=True):
            for token, weight in zip(variant, weights, strict=True):
                table[token.text] = weight
    fallback = prepared.idf

    def idf(text: str) -> float:
        found = table.get(text)
        if found is None:
            found = table[text] = fallback(text)
        return found

    return idf


__all__ = ["ALGORITHM", "FEATURES", "Weights", "current_weights", "read_weights", "score_entry"]
