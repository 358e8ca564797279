"""Build benchmarks/data/screen_pairs.csv: labelled screening pairs drawn from the real lists.

Run: ``.venv/bin/python benchmarks/build_screen_pairs.py`` (deterministic: the same list files
give the same file). How each kind of pair is made, and why its label holds, is written in
benchmarks/data/PROVENANCE.md (section screen_pairs.csv).
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from watchfloor.model.identifiers import normalise_identifier  # noqa: E402
from watchfloor.model.schema import IdScheme, Schema  # noqa: E402
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
    "query_imo", "query_passport", "candidate", "exclude_query_name", "query_from", "group",
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
    return {
        "label": str(label),
        "kind": kind,
        "schema": query_from.schema.value,
        "script": script_of(name),
        "query_name": name,
        "query_dob": dates[0] if dob and dates else "",
        "query_country": query_from.nationalities[0] if dob and query_from.nationalities else "",
        "query_imo": "",
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
    """Hangul queries (positives and negatives) from benchmarks/data/translit_pairs.csv."""
    with TRANSLIT.open(encoding="utf-8") as handle:
        for item in csv.DictReader(handle):
            if item["query_made_by"] != "hangul" or not pick(item["query"] + item["entry_id"], 2):
                continue
            key = f"{item['list']}:{item['entry_id']}"
            yield {
                "query_imo": "",
                "query_passport": "",
                "label": item["label"],
                "kind": "hangul" if item["label"] == "1" else "hangul_negative",
                "schema": "Person",
                "script": "Hangul",
                "query_name": item["query"],
                "query_dob": "",
                "query_country": "",
                "candidate": key,
                "exclude_query_name": "",
                "query_from": f"translit_pairs.csv ({item['list_name']})",
                "group": key,
            }


def main() -> None:
    entries = list(read_list(LIST_FILES))
    groups, links = link(entries)
    rows = [*positives(entries, groups, links), *negatives(entries, groups), *translit_rows()]
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


if __name__ == "__main__":
    main()
