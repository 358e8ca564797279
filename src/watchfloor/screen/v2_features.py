"""The features of ``watchfloor-name-v2``: each a named function of the comparison context (the
query, the entry, the best name alignment) returning a value in [0, 1] and a reason, or ``None``
when it does not apply. Their weights are in ``name_v2.yaml`` (:mod:`.v2_weights`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from watchfloor.model.schema import IdScheme, Schema
from watchfloor.screen.alignment import is_mark
from watchfloor.screen.dates import near_dates
from watchfloor.screen.identifiers import DOCUMENTS
from watchfloor.screen.index import IndexedEntry, NameForm
from watchfloor.screen.names import LEGAL_FORMS, Token, tokenize
from watchfloor.screen.prepared import Prepared
from watchfloor.screen.results import PairHow
from watchfloor.screen.translit import is_patronymic, korean_key
from watchfloor.screen.v2_weights import Weights


@dataclass
class Context:
    """What the features look at: the query, the entry, and the best name alignment."""

    prepared: Prepared
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
    if not full or query in listed or any(near_dates(query, d) for d in full):
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
