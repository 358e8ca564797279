"""Scoring algorithm ``watchfloor-name-v2``: named features with weights read from a YAML file.

Each feature is a function of the query, the entry and the best name alignment, returning a
value in [0, 1] and a reason, or ``None`` when it does not apply. The weights live in
``watchfloor/screen/name_v2.yaml`` (replaceable with the setting ``screen_weights_file``).
Main features (``name_match``, ``weak_alias_match``, ``identifier_match``) give the base score as
their best ``value x weight``; qualifiers (name-part agreements and conflicts, dates of birth,
countries, gender, identifiers, schema) are added to it; the result is clipped to [0, 1]. The
explanation lists every feature that fired with its weight and contribution.

The name alignment is v1's token pairing (:func:`watchfloor.screen.alignment.pair_tokens`: exact,
spelling system, typo, initial), scored here with the cost parameters of the weights file.
"""

from __future__ import annotations

from collections.abc import Callable

from watchfloor.screen.alignment import MARKED_SCHEMAS, numbered_apart, pair_tokens, whole_similarity
from watchfloor.screen.index import ORGANISATION_SCHEMAS, IndexedEntry, NameForm
from watchfloor.screen.names import Token
from watchfloor.screen.prepared import Prepared
from watchfloor.screen.results import (
    Explanation,
    FeatureResult,
    Match,
    NameAlignment,
    PairHow,
    TokenPair,
    match_of,
)
from watchfloor.screen.v2_features import FEATURES, Context
from watchfloor.screen.v2_weights import (
    MAIN_FEATURES,
    QUALIFIERS,
    Weights,
    current_weights,
    default_threshold,
    read_weights,
)
from watchfloor.sources.lists.records import NameKind

ALGORITHM = "watchfloor-name-v2"


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
            if (
                len(variant) > 1
                and score < 0.9
                and not numbered_apart(variant, form.tokens, chosen, ctx.marks)
            ):
                whole = whole_similarity(prepared.concats[number], form.concat)
                score = max(score, whole * ctx.weights.parameters["whole_name_factor"])
            if score > best:
                best = score
                ctx.variant, ctx.form, ctx.chosen = variant, form, tuple(chosen)
                ctx.name_score = score
                ctx.weak = form.kind is NameKind.WEAK


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


def score_entry(prepared: Prepared, item: IndexedEntry, forms: list[NameForm], threshold: float) -> Match:
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


def _idf_of(prepared: Prepared) -> Callable[[str], float]:
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


__all__ = [
    "ALGORITHM", "FEATURES", "MAIN_FEATURES", "QUALIFIERS", "Weights", "current_weights", "default_threshold",
    "read_weights", "score_entry",
]  # fmt: skip
