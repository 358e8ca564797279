"""Build benchmarks/data/screen_pairs.csv: labelled screening pairs drawn from the real lists.

Run: ``.venv/bin/python benchmarks/build_screen_pairs.py`` (deterministic: the same list files
give the same file). How each kind of pair is made, and why its label holds, is written in
benchmarks/data/PROVENANCE.md (section screen_pairs.csv).
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rapidfuzz.distance import OSA  # noqa: E402

from watchfloor.model.identifiers import normalise_identifier  # noqa: E402
from watchfloor.model.schema import IdScheme, Schema  # noqa: E402
from watchfloor.screen.alignment import is_mark  # noqa: E402
from watchfloor.screen.names import LEGAL_FORMS, tokenize  # noqa: E402
from watchfloor.sources.lists.formats import read_list  # noqa: E402
from watchfloor.sources.lists.records import ListEntry, NameKind  # noqa: E402

SHARED = (ROOT / ".." / "shared" / "data" / "sanctions").resolve()
LIST_FILES = [
    SHARED / "un" / "UN_consolidated_2026-02-27.xml",
    SHARED / "ofac" / "sdn_2024-05-03.csv",
    SHARED / "ofac" / "alt_2026-06.csv",
    SHARED / "ofac" / "add_2026-06.csv",
    SHARED / "uk" / "uk_sanctions_list_derived_subjects.csv.gz",
]
TRANSLIT = ROOT / "benchmarks" / "data" / "translit_pairs.csv"
OUT = ROOT / "benchmarks" / "data" / "screen_pairs.csv"
FIELDS = [
    "pair_id", "split", "label", "kind", "schema", "script", "query_name", "query_dob", "query_country",
    "query_gender", "query_imo", "query_passport", "candidate", "exclude_query_name", "query_from", "group",
]  # fmt: skip
SKIPPED: dict[str, int] = defaultdict(int)
STRONG_DOCS = (IdScheme.PASSPORT, IdScheme.NATIONAL_ID)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
ORG_SCHEMAS = (Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY)
_STOP = frozenset({"of", "the", "and", "for", "de", "al", "el", "bin", "ibn", "abu", "abd"})


def pick(key: str, share: int) -> bool:
    """Deterministic sampling: keep about one in ``share`` keys."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % share == 0


def split_of(group: str) -> str:
    """Train or test by the identity group, so one person never sits in both halves."""
    return (
        "train" if int(hashlib.sha256(("split:" + group).encode()).hexdigest()[:8], 16) % 2 == 0 else "test"
    )


def script_of(text: str) -> str:
    if _HANGUL.search(text):
        return "Hangul"
    if _CYRILLIC.search(text):
        return "Cyrillic"
    return "Latin"


class Groups:
    """Union-find over entry keys: entries linked by a UN reference, an IMO or a document number
    are one identity."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = self.parent.setdefault(key, key)
        while root != self.parent[root]:
            root = self.parent[root]
        self.parent[key] = root
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def link(entries: list[ListEntry]) -> tuple[Groups, list[tuple[ListEntry, ListEntry, str]]]:
    """Identity groups and the cross-list links with the reason for each."""
    groups = Groups()
    by_key = {e.key: e for e in entries}
    links: list[tuple[ListEntry, ListEntry, str]] = []
    by_ident: dict[str, list[ListEntry]] = defaultdict(list)
    for entry in entries:
        groups.find(entry.key)
        for ident in entry.identifiers:
            if ident.scheme is IdScheme.OTHER and (ident.note or "").startswith("UN reference"):
                un = by_key.get(f"un_sc:{ident.value.strip()}")
                if un is not None:
                    links.append((entry, un, f"UK lists UN reference {ident.value.strip()}"))
            elif ident.scheme is IdScheme.IMO and entry.schema is Schema.VESSEL:
                value = normalise_identifier(IdScheme.IMO, ident.value)
                if len(value) == 7:
                    by_ident[f"imo:{value}"].append(entry)
            elif ident.scheme in STRONG_DOCS and entry.schema is Schema.PERSON:
                value = normalise_identifier(ident.scheme, ident.value)
                if len(value) >= 7:
                    by_ident[f"doc:{value}"].append(entry)
    for ident, members in by_ident.items():
        sources = {m.source for m in members}
        if len(members) > 4 or len(sources) < 2:
            continue  # a number shared by many entries is not an identity
        for a in members:
            for b in members:
                if a.source != b.source and a.key < b.key:
                    links.append((a, b, f"same {ident.split(':')[0]} {ident.split(':')[1]}"))
    for a, b, _ in links:
        groups.union(a.key, b.key)
    return groups, links


def names_of(entry: ListEntry) -> list[tuple[str, NameKind]]:
    out = []
    for name in entry.names:
        for part in name.value.split(";"):
            if part.strip():
                out.append((part.strip(), name.kind))
    return out


def signature(name: str) -> tuple[str, ...]:
    return tuple(sorted(t.text for t in tokenize(name)))


def keys(name: str) -> set[str]:
    """Spelling-neutral keys of a name's parts (Korean and Russian folding)."""
    return {k for t in tokenize(name) for k in (t.text, t.korean, t.russian)}


def loose_signatures(entry: ListEntry) -> set[tuple[str, ...]]:
    return {tuple(sorted(t.russian for t in tokenize(n))) for n, _ in names_of(entry)} | {
        tuple(sorted(t.korean for t in tokenize(n))) for n, _ in names_of(entry)
    }


def maybe_same(a: ListEntry, b: ListEntry) -> bool:
    """Two entries that might be one identity the lists do not link: a name equal up to
    spelling, one name's parts all inside the other's (on different lists), or a shared full
    date of birth. Such pairs are never used as negatives."""
    if loose_signatures(a) & loose_signatures(b):
        return True
    if {d for d in a.birth_dates if len(d) == 10} & {d for d in b.birth_dates if len(d) == 10}:
        return True
    if a.source != b.source:
        for x, _ in names_of(a):
            for y, _ in names_of(b):
                sx, sy = {t.russian for t in tokenize(x)}, {t.russian for t in tokenize(y)}
                if sx and sy and (sx <= sy or sy <= sx):
                    return True
    return False


def row(
    kind: str, label: int, query_from: ListEntry, name: str, candidate: ListEntry, group: str,
    *, dob: bool, exclude: bool = False, note: str = "",
) -> dict[str, str]:  # fmt: skip
    dates = [d for d in query_from.birth_dates if d]
    imo = [i.value for i in query_from.identifiers if i.scheme is IdScheme.IMO]
    vessel = query_from.schema is Schema.VESSEL
    return {
        "label": str(label),
        "kind": kind,
        "schema": query_from.schema.value,
        "script": script_of(name),
        "query_name": name,
        "query_dob": dates[0] if dob and dates else "",
        "query_country": query_from.nationalities[0] if dob and query_from.nationalities else "",
        "query_gender": (query_from.gender or "") if dob else "",
        "query_imo": normalise_identifier(IdScheme.IMO, imo[0]) if dob and vessel and imo else "",
        "query_passport": "",
        "candidate": candidate.key,
        "exclude_query_name": "1" if exclude else "",
        "query_from": f"{query_from.key}{': ' + note if note else ''}",
        "group": group,
    }


def positives(
    entries: list[ListEntry], groups: Groups, links: list[tuple[ListEntry, ListEntry, str]]
) -> Iterable[dict[str, str]]:
    # 1. cross-list: the primary name of one list's entry against the same identity on another list
    for a, b, why in links:
        for src, dst in ((a, b), (b, a)):
            if not pick(src.key + dst.key, 2):
                continue
            name = names_of(src)[0][0] if src.names else ""
            if not name:
                continue
            item = row("crosslist", 1, src, name, dst, groups.find(src.key), dob=pick(src.key, 2), note=why)
            if not any(keys(n) & keys(m) for n, _ in names_of(src) for m, _ in names_of(dst)):
                # renamed (a vessel's former name) or listed under other names: no name matcher can
                # link them; the query carries the linking number, as a screening desk would
                number = why.split()[-1]
                item["kind"] = "crosslist_identifier"
                if why.startswith("same imo"):
                    item["query_imo"] = number
                elif why.startswith("same doc"):
                    item["query_passport"] = number
                else:
                    item["kind"] = "crosslist_other_names"
            yield item
    # 2. aliases: one alias against the entry's other names (the alias itself left out)
    for entry in entries:
        if not pick(entry.key, 6):
            continue
        names = names_of(entry)
        if len(names) < 2:
            continue
        first = signature(names[0][0])
        for alias, kind in names[1:]:
            if kind is NameKind.WEAK or signature(alias) == first or len(tokenize(alias)) < 1:
                continue
            if any(signature(alias) == signature(n) for n, _ in names if n != alias):
                continue  # the same name written twice: leaving one out leaves the other
            if not any(keys(alias) & keys(n) for n, _ in names if n != alias):
                SKIPPED["alias sharing no part with the entry's other names"] += 1
                continue
            yield row(
                "alias", 1, entry, alias, entry, groups.find(entry.key), dob=pick(alias, 2), exclude=True,
                note=f"{kind.value} name of the entry",
            )  # fmt: skip
            break
    # 3. real Cyrillic names on the UN list, against the entry's Latin names
    for entry in entries:
        for name, _ in names_of(entry):
            if script_of(name) == "Cyrillic":
                yield row("script", 1, entry, name, entry, groups.find(entry.key), dob=False, exclude=True,
                          note="the list's own Cyrillic name")  # fmt: skip


def negatives(entries: list[ListEntry], groups: Groups) -> Iterable[dict[str, str]]:
    """Different identities with similar names: same family name, same given name, Korean
    namesakes, organisations sharing words, vessels sharing a word."""
    by_token: dict[tuple[Schema, str], list[ListEntry]] = defaultdict(list)
    for entry in entries:
        schema = Schema.ORGANIZATION if entry.schema in ORG_SCHEMAS else entry.schema
        seen: set[str] = set()
        for name, kind in names_of(entry):
            if kind is NameKind.WEAK:
                continue
            for token in tokenize(name):
                if len(token.text) >= 2 and token.text not in LEGAL_FORMS and token.text not in _STOP:
                    seen.add(token.text)
        for token in seen:
            by_token[(schema, token)].append(entry)
    made: set[tuple[str, str]] = set()
    for entry in entries:
        if not pick("neg" + entry.key, 6) or not entry.names:
            continue
        name = names_of(entry)[0][0]
        tokens = [t.text for t in tokenize(name)]
        schema = Schema.ORGANIZATION if entry.schema in ORG_SCHEMAS else entry.schema
        mine = {signature(n) for n, _ in names_of(entry)}
        family = entry.names[0].family
        family_tokens = {t.text for t in tokenize(family)} if family else {tokens[0]} if tokens else set()
        taken = 0
        for token in sorted(set(tokens), key=lambda t: (-len(t), t)):
            pool = by_token.get((schema, token), [])
            if len(pool) < 2 or len(pool) > 400:
                continue
            for other in sorted(pool, key=lambda e: hashlib.sha256((entry.key + e.key).encode()).hexdigest()):
                if groups.find(other.key) == groups.find(entry.key):
                    continue
                if {signature(n) for n, _ in names_of(other)} & mine or maybe_same(entry, other):
                    SKIPPED["negative that might be one identity unlinked"] += 1
                    continue
                pair = (min(entry.key, other.key), max(entry.key, other.key))
                if pair in made:
                    continue
                made.add(pair)
                if entry.schema is Schema.PERSON:
                    kind = "same_family" if token in family_tokens else "same_given"
                    if any(
                        p.startswith("DPRK") or p == "NKSPEA" for p in entry.programmes
                    ) or entry.key.startswith(("un_sc:KPi", "gb_uk:DPR")):
                        kind = "korean_namesake"
                elif entry.schema is Schema.VESSEL:
                    kind = "vessel_similar"
                else:
                    kind = "org_words"
                group = groups.find(entry.key)
                yield row(kind, 0, entry, name, other, group, dob=pick("dob" + pair[0] + pair[1], 2),
                          note=f"shares {token!r} with {other.key}")  # fmt: skip
                taken += 1
                break
            if taken >= 2:
                break


def translit_rows() -> Iterable[dict[str, str]]:
    """Hangul queries (half) and Russian ones (a third: Cyrillic and each romanisation), positives and
    negatives, from benchmarks/data/translit_pairs.csv."""
    with TRANSLIT.open(encoding="utf-8") as handle:
        for item in csv.DictReader(handle):
            russian = item["language"] == "ru"
            if russian and not pick("ru" + item["query"] + item["entry_id"], 3):
                continue
            if not russian and (
                item["query_made_by"] != "hangul" or not pick(item["query"] + item["entry_id"], 2)
            ):
                continue
            key = f"{item['list']}:{item['entry_id']}"
            kind = "ru_translit" if russian else "hangul"
            yield {
                "query_gender": "",
                "query_imo": "",
                "query_passport": "",
                "label": item["label"],
                "kind": kind if item["label"] == "1" else kind + "_negative",
                "schema": "Person",
                "script": script_of(item["query"]),
                "query_name": item["query"],
                "query_dob": "",
                "query_country": "",
                "candidate": key,
                "exclude_query_name": "",
                "query_from": f"translit_pairs.csv ({item['query_made_by']} of {item['list_name']})",
                "group": key,
            }


def main() -> None:
    entries = list(read_list(LIST_FILES))
    groups, links = link(entries)
    rows = [
        *positives(entries, groups, links), *negatives(entries, groups), *translit_rows(),
        *hard_positives(entries, groups, links), *namesakes(entries, groups), *numbered(entries, groups),
        *one_part(entries, groups), *family_other_given(entries, groups),
    ]  # fmt: skip
    for number, item in enumerate(rows, start=1):
        item["pair_id"] = str(number)
        item["split"] = split_of(item["group"])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for item in rows:
        counts[(item["kind"], item["label"])] += 1
    print(f"{len(rows)} pairs -> {OUT} ({len(links)} cross-list links)")
    for (kind, label), count in sorted(counts.items()):
        print(f"  {kind:18} label {label}: {count}")
    for reason, count in sorted(SKIPPED.items()):
        print(f"  left out: {reason}: {count}")


# -- namesakes and hard positives (issue 12, second round) ------------------------------------------

_DPRK_KEYS = ("un_sc:KPi", "gb_uk:DPR")


def dprk(entry: ListEntry) -> bool:
    """A person of the DPRK regimes (Korean names: no initials, no middle names to drop)."""
    return entry.key.startswith(_DPRK_KEYS) or any(
        p.startswith("DPRK") or p == "NKSPEA" for p in entry.programmes
    )


_ORG_WORDS = frozenset({
    "company", "co", "group", "general", "trading", "trade", "international", "holding", "holdings",
    "limited", "liability", "joint", "stock", "public", "closed", "open", "private", "corporation",
    "enterprise", "enterprises", "industries", "industrial", "services", "import", "export", "foreign",
    "management", "investment", "development", "state", "national",
})  # fmt: skip
"""Words of organisation names that say what kind, not which one: never a shared word that makes
two companies namesakes."""


def folded(name: str, organisation: bool = False) -> list[str]:
    """A name's parts in the Russian folding key (spelling-neutral), legal forms and particles out."""
    return [
        t.russian
        for t in tokenize(name, organisation=organisation)
        if len(t.text) >= 2
        and t.text not in _STOP
        and not (organisation and (t.text in LEGAL_FORMS or t.text in _ORG_WORDS))
    ]


def years(entry: ListEntry) -> set[int]:
    return {int(d[:4]) for d in entry.birth_dates if d[:4].isdigit()}


def dob_apart(a: ListEntry, b: ListEntry) -> bool:
    """Both give a year of birth and every pair of them is two or more years apart."""
    ya, yb = years(a), years(b)
    return bool(ya and yb) and all(abs(x - y) >= 2 for x in ya for y in yb)


def dissimilar(left: list[str], right: list[str]) -> bool:
    """No part left on one side resembles one left on the other (not a spelling or a typo)."""
    return all(OSA.normalized_similarity(x, y) < 0.6 and x[:3] != y[:3] for x in left for y in right)


def pair_index(entries: list[ListEntry], schema: Schema) -> dict[tuple[str, str], list[ListEntry]]:
    """Entries of one kind by every two folded parts one of their names shares."""
    out: dict[tuple[str, str], list[ListEntry]] = defaultdict(list)
    organisation = schema is Schema.ORGANIZATION
    for entry in entries:
        kind = Schema.ORGANIZATION if entry.schema in ORG_SCHEMAS else entry.schema
        if kind is not schema:
            continue
        seen: set[tuple[str, str]] = set()
        for name, name_kind in names_of(entry):
            if name_kind is NameKind.WEAK:
                continue
            parts = sorted(set(folded(name, organisation)))
            seen.update((x, y) for i, x in enumerate(parts) for y in parts[i + 1 :])
        for key in seen:
            out[key].append(entry)
    return out


def namesakes(entries: list[ListEntry], groups: Groups) -> Iterable[dict[str, str]]:
    """Different listed persons and companies whose names share two or more parts.

    Persons: a name equal to or inside the other's with years of birth two or more apart (the
    query carries its date: ``namesake_dob``); or another given part on each side, unlike each
    other, on the same list or with years of birth apart (``namesake_other_part``: Kim Jong Nam /
    Kim Jong Un). Companies on the same list with two shared words and another word on each side
    (``org_namesake``)."""
    made: set[tuple[str, str]] = set()
    for schema in (Schema.PERSON, Schema.ORGANIZATION):
        organisation = schema is Schema.ORGANIZATION
        index = pair_index(entries, schema)
        taken: dict[str, int] = defaultdict(int)
        for key in sorted(index):
            pool = index[key]
            if len(pool) < 2 or len(pool) > 40:
                continue
            for a in pool:
                chosen = pick("namesake" + a.key, 6 if organisation else 3) or dprk(a)  # all DPRK persons
                if not chosen or taken[a.key] >= 2:
                    continue
                query = names_of(a)[0][0]
                mine = folded(query, organisation)
                others = sorted(pool, key=lambda e: hashlib.sha256((a.key + e.key).encode()).hexdigest())
                for b in others:
                    if b.key == a.key or groups.find(b.key) == groups.find(a.key):
                        continue
                    pair = (min(a.key, b.key), max(a.key, b.key))
                    if pair in made:
                        continue
                    found = namesake_kind(a, b, mine, organisation)
                    if found is None:
                        continue
                    kind, target, dob = found
                    made.add(pair)
                    taken[a.key] += 1
                    note = f"another entry, {b.key} ({target!r}), shares {' '.join(key)}"
                    yield row(kind, 0, a, query, b, groups.find(a.key), dob=dob, note=note)
                    break


def namesake_kind(
    a: ListEntry, b: ListEntry, mine: list[str], organisation: bool
) -> tuple[str, str, bool] | None:
    """How ``b`` is a namesake of ``a`` (kind, the name of ``b`` it is closest to, whether the
    query must carry the date of birth), or ``None`` when the label could be wrong."""
    same_list = a.source == b.source
    apart = dob_apart(a, b)
    shared_dob = {d for d in a.birth_dates if len(d) == 10} & {d for d in b.birth_dates if len(d) == 10}
    if shared_dob:
        return None
    best: tuple[int, str, list[str], list[str]] | None = None
    for name, kind in names_of(b):
        if kind is NameKind.WEAK:
            continue
        theirs = folded(name, organisation)
        common = len(set(mine) & set(theirs))
        left = [t for t in mine if t not in theirs]
        right = [t for t in theirs if t not in mine]
        if best is None or common > best[0]:
            best = (common, name, left, right)
    if best is None or best[0] < 2:
        return None
    _, name, left, right = best
    if organisation:
        if same_list and left and right and dissimilar(left, right):
            return "org_namesake", name, False
        return None
    if not left or not right:
        # the same or a contained name: another person only by a date of birth on the same list
        # (across lists the same person is often listed with another date); for two DPRK persons
        # on one list (Kim Chol / Kim Chol Nam) the name alone, as issue 12 says: a common family
        # name and one given syllable are not a match
        if same_list and dprk(a) and dprk(b) and left != right:
            return "korean_namesake_contained", name, pick("dob" + a.key + b.key, 2)
        if same_list and apart:
            return "namesake_dob", name, True
        return None
    if not dissimilar(left, right):
        return None
    if same_list or apart:
        return "namesake_other_part", name, apart or pick("dob" + a.key + b.key, 2)
    return None


def numbered(entries: list[ListEntry], groups: Groups) -> Iterable[dict[str, str]]:
    """Vessels (and companies) whose names differ only in a number or a vessel letter: ``X 2`` and
    ``X 3`` are two of them (``numbered_namesake``)."""
    by_stem: dict[tuple[str, tuple[str, ...]], list[tuple[ListEntry, str, frozenset[str]]]] = defaultdict(
        list
    )
    for entry in entries:
        kind = "org" if entry.schema in ORG_SCHEMAS else entry.schema.value
        if kind not in ("org", "Vessel"):
            continue
        for name, name_kind in names_of(entry):
            if name_kind is NameKind.WEAK:
                continue
            tokens = [t.text for t in tokenize(name, organisation=kind == "org")]
            marks = frozenset(t for t in tokens if is_mark(t, kind == "Vessel"))
            stem = tuple(sorted(t for t in tokens if t not in marks))
            if marks and stem:
                by_stem[(kind, stem)].append((entry, name, marks))
    made: set[tuple[str, str]] = set()
    for key in sorted(by_stem):
        members = sorted(by_stem[key], key=lambda m: (m[0].key, m[1]))
        taken = 0  # a fleet (FU YUAN YU 7614, 7618, ...) gives a few pairs, not hundreds
        for (a, name_a, marks_a), (b, name_b, marks_b) in itertools.pairwise(members):
            pair = (min(a.key, b.key), max(a.key, b.key))
            if a.key == b.key or pair in made or marks_a & marks_b or taken >= 3:
                continue
            if groups.find(a.key) == groups.find(b.key):
                continue
            made.add(pair)
            taken += 1
            note = f"another entry, {b.key} ({name_b!r}): another number or letter"
            dob = pick("imo" + a.key + b.key, 2)
            yield row("numbered_namesake", 0, a, name_a, b, groups.find(a.key), dob=dob, note=note)


def person_variants(entry: ListEntry) -> list[tuple[str, str]]:
    """Hard but true spellings of a person's primary name, as a desk types them: given names cut to
    initials but the first (``Vladimir V. Putin``), and the middle names dropped (``Vladimir
    Putin``). Names with one given name are left alone: ``V. Putin`` (``M. Saeed``) names many."""
    name = entry.names[0]
    if not name.given or not name.family or dprk(entry):
        return []
    given = [g for g in re.split(r"[\s]+", name.given.strip()) if g]
    family = name.family.strip().title()
    if not given or len(family) < 3 or any(len(g) < 3 or g.lower() in _STOP for g in given):
        return []
    out = []
    if len(given) >= 2:
        out.append(
            ("initials", " ".join([given[0].title(), *(g[0].upper() + "." for g in given[1:]), family]))
        )
        out.append(("dropped_middle", f"{given[0].title()} {family}"))
    return out


def org_variant(entry: ListEntry) -> tuple[str, str] | None:
    """An organisation's primary name with its words in another order: the legal form moved to the
    other end, else the first two words swapped (``Trading Alpha`` for ``Alpha Trading``)."""
    words = names_of(entry)[0][0].split()
    if len(words) < 2:
        return None
    if words[-1].lower().strip(".,") in LEGAL_FORMS:
        return "reordered_org", " ".join([words[-1], *words[:-1]])
    if words[0].lower().strip(".,") in LEGAL_FORMS:
        return "reordered_org", " ".join([*words[1:], words[0]])
    first = [w.lower().strip(".,()") for w in words[:2]]
    if any(len(w) < 3 or w in _STOP or w in _ORG_WORDS or w in LEGAL_FORMS for w in first):
        return None
    return "reordered_org", " ".join([words[1], words[0], *words[2:]])


def hard_positives(
    entries: list[ListEntry], groups: Groups, links: list[tuple[ListEntry, ListEntry, str]]
) -> Iterable[dict[str, str]]:
    """The variants above against the same identity on another list (or, for one entry in eight,
    its own entry: the variant is not one of its names)."""
    targets: list[tuple[ListEntry, ListEntry, str]] = [
        (src, dst, why) for a, b, why in links for src, dst in ((a, b), (b, a))
    ]
    targets += [(e, e, "the entry itself") for e in entries if pick("hard" + e.key, 8)]
    for src, dst, why in targets:
        if not src.names or not pick("variant" + src.key + dst.key, 2):
            continue
        if src.schema is Schema.PERSON:
            variants = person_variants(src)
        elif src.schema in ORG_SCHEMAS:
            found = org_variant(src)
            variants = [found] if found else []
        else:
            variants = []
        listed = {n for n, _ in names_of(dst)}
        for kind, name in variants:
            if name in listed or not any(keys(name) & keys(n) for n in listed):
                continue
            yield row(kind, 1, src, name, dst, groups.find(src.key), dob=pick("dob" + name, 2),
                      note=f"{kind.replace('_', ' ')} of {names_of(src)[0][0]!r}; {why}")  # fmt: skip


# -- namesakes sharing only one name part (issue 12, third round) -----------------------------------


def best_common(query: list[str], other: ListEntry, organisation: bool) -> tuple[int, list[str], list[str]]:
    """The most parts ``query`` shares with one of ``other``'s names, and the parts left on each side."""
    best: tuple[int, list[str], list[str]] = (0, query, [])
    for name, kind in names_of(other):
        if kind is NameKind.WEAK:
            continue
        theirs = folded(name, organisation)
        common = len(set(query) & set(theirs))
        if common > best[0] or not best[2]:
            best = (common, [t for t in query if t not in theirs], [t for t in theirs if t not in query])
    return best


def one_part(entries: list[ListEntry], groups: Groups) -> Iterable[dict[str, str]]:
    """Different listed persons sharing only their family name (``one_part_family``: two KIM ...,
    Ivan Petrov / Petrov Sergei Ivanovich) and companies sharing only one distinctive word
    (``org_one_word``); every other part unlike any on the other side."""
    for schema in (Schema.PERSON, Schema.ORGANIZATION):
        organisation = schema is Schema.ORGANIZATION
        pools: dict[str, list[ListEntry]] = defaultdict(list)
        for entry in entries:
            kind = Schema.ORGANIZATION if entry.schema in ORG_SCHEMAS else entry.schema
            if kind is not schema or not entry.names:
                continue
            if organisation:
                parts = set(folded(names_of(entry)[0][0], True))
            else:
                family = entry.names[0].family
                parts = set(folded(family)) if family and entry.names[0].given else set()
            for part in parts:
                pools[part].append(entry)
        made: set[tuple[str, str]] = set()
        for a in entries:
            kind_a = Schema.ORGANIZATION if a.schema in ORG_SCHEMAS else a.schema
            if kind_a is not schema or not a.names or not pick("onepart" + a.key, 8):
                continue
            query = names_of(a)[0][0]
            mine = folded(query, organisation)
            if len(mine) < 2:
                continue
            for part in sorted(set(mine)):
                pool = pools.get(part, [])
                if a not in pool or not 2 <= len(pool) <= 400:
                    continue
                found = None
                for b in sorted(pool, key=lambda e: hashlib.sha256((a.key + e.key).encode()).hexdigest()):
                    if b.key == a.key or groups.find(b.key) == groups.find(a.key) or maybe_same(a, b):
                        continue
                    pair = (min(a.key, b.key), max(a.key, b.key))
                    common, left, right = best_common(mine, b, organisation)
                    if pair in made or common != 1 or not left or not right or not dissimilar(left, right):
                        continue
                    found = b
                    break
                if found is None:
                    continue
                made.add((min(a.key, found.key), max(a.key, found.key)))
                kind = "org_one_word" if organisation else "one_part_family"
                note = f"another entry, {found.key}, shares only {part!r}"
                dob = pick("dob1" + a.key + found.key, 2)
                yield row(kind, 0, a, query, found, groups.find(a.key), dob=dob, note=note)
                break


def family_other_given(entries: list[ListEntry], groups: Groups) -> Iterable[dict[str, str]]:
    """A query made of a listed person's family name and another listed person's given name,
    unlike any of the first one's given names (``family_other_given``: ``Sergei PETROV`` against
    ``PETROV Ivan``), family first for half; where the family name has two words, half name only
    one of them (``Camilo Contreras`` against ``AMEZCUA CONTRERAS, Luis Ignacio``). Half carry the
    donor's date of birth, nationality and gender (only when the candidate gives no year within
    two of it)."""
    persons = [
        e for e in entries
        if e.schema is Schema.PERSON and e.names and e.names[0].given and e.names[0].family
        and len(folded(e.names[0].family)) >= 1 and len(folded(e.names[0].given)) >= 1
    ]  # fmt: skip
    for b in persons:
        if not pick("famother" + b.key, 12):
            continue
        family = b.names[0].family or ""
        fam = set(folded(family))
        listed_given = {t for n, k in names_of(b) for t in folded(n)} - fam
        donors = sorted(persons, key=lambda e: hashlib.sha256(("donor" + b.key + e.key).encode()).hexdigest())
        for c in donors[:40]:
            given = (c.names[0].given or "").strip()
            theirs = folded(given)
            if groups.find(c.key) == groups.find(b.key) or set(theirs) & fam or not theirs:
                continue
            if listed_given and not dissimilar(theirs, sorted(listed_given)):
                continue
            dob = pick("dob2" + b.key + c.key, 2) and bool(years(c)) and (not years(b) or dob_apart(b, c))
            flip = pick("flip" + b.key, 2)
            words = family.split()
            one = words[-1] if pick("which" + b.key, 2) else words[0]
            if len(words) >= 2 and pick("onefamily" + b.key, 2) and folded(one):
                family = one  # one of two family names
            query = (
                f"{family.strip().upper()} {given.title()}"
                if flip
                else f"{given.title()} {family.strip().title()}"
            )
            note = f"given name of {c.key} with the family name of {b.key}"
            item = row("family_other_given", 0, c, query, b, groups.find(b.key), dob=dob, note=note)
            if not dob and years(b) and pick("sameyear" + b.key, 2):
                # the candidate's own year of birth, as a desk that knows only the year types it:
                # a shared year does not make another given name the same person
                item["kind"] = "family_other_given_year"
                item["query_dob"] = str(min(years(b)))
            yield item
            break


if __name__ == "__main__":
    main()
