"""One in-memory index over every loaded list entry, and candidate generation.

At build time each entry's names are tokenised once (all scripts, joined variants of short
Korean-style parts) and every token is posted under several keys: its ASCII form, its Korean and
Russian folding keys, its metaphone, and a 4-letter prefix (which survives typos at the end of a
word). Identifiers (IMO, MMSI, passports, ...) are posted under their normalised value. A query
collects the name forms sharing keys with it, weighs each query token by rarity (IDF), and hands
the best few hundred forms to the scorer. Any plausible name match shares at least one rare-enough
key, so it is not missed; the cap on common keys keeps a query cheap.
"""

from __future__ import annotations

import math
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rigour.text.phonetics import metaphone

from watchfloor.screen.names import Token, joined_variants, tokenize
from watchfloor.sources.lists.records import IdScheme, ListEntry, NameKind, Schema

_DIGITS = re.compile(r"\D+")
_ALNUM = re.compile(r"[^0-9A-Z]+")


def normalise_identifier(scheme: IdScheme, value: str) -> str:
    """Comparable form of an identifier: digits only for IMO/MMSI, upper-case alphanumerics else."""
    if scheme in (IdScheme.IMO, IdScheme.MMSI):
        digits = _DIGITS.sub("", value)
        return digits.lstrip("0") if scheme is IdScheme.MMSI else digits
    return _ALNUM.sub("", value.upper())


def token_keys(token: Token) -> set[str]:
    """The index keys of one token (see the module docstring)."""
    keys = {"t:" + token.text, "k:" + token.korean, "r:" + token.russian}
    if len(token.text) > 2 and not token.text.isdigit():
        phon = metaphone(token.text)
        if phon:
            keys.add("m:" + phon)
    if len(token.text) >= 6:
        keys.add("p:" + token.text[:4])
    return keys


@dataclass(frozen=True, slots=True)
class NameForm:
    """One tokenisation of one name of one entry."""

    entry: int
    """Position of the entry in :attr:`ScreenIndex.entries`."""
    value: str
    """The name as the list writes it."""
    kind: NameKind
    tokens: tuple[Token, ...]


@dataclass(slots=True)
class IndexedEntry:
    """A list entry with what the scorer needs precomputed."""

    entry: ListEntry
    birth_dates: tuple[str, ...]
    nationalities: frozenset[str]
    identifiers: dict[IdScheme, frozenset[str]]
    others: list[ListEntry] = field(default_factory=list)


@dataclass
class BuildStats:
    """What building an index cost."""

    entries: int
    name_forms: int
    keys: int
    seconds: float


class ScreenIndex:
    """Entries, their name forms, and the postings from keys to forms and identifiers to entries."""

    def __init__(self) -> None:
        self.entries: list[IndexedEntry] = []
        self.forms: list[NameForm] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.id_postings: dict[str, list[int]] = defaultdict(list)
        self.token_df: dict[str, int] = defaultdict(int)
        self.stats = BuildStats(0, 0, 0, 0.0)
        self._frozen = False

    # -- building ------------------------------------------------------------------------------

    def add(self, entry: ListEntry) -> None:
        """Index one entry (its names in every script, dates, countries and identifiers)."""
        position = len(self.entries)
        identifiers: dict[IdScheme, set[str]] = defaultdict(set)
        for ident in entry.identifiers:
            value = normalise_identifier(ident.scheme, ident.value)
            if value:
                identifiers[ident.scheme].add(value)
                self.id_postings[f"{ident.scheme.value}:{value}"].append(position)
        self.entries.append(
            IndexedEntry(
                entry=entry,
                birth_dates=tuple(entry.birth_dates),
                nationalities=frozenset(entry.nationalities),
                identifiers={k: frozenset(v) for k, v in identifiers.items()},
            )
        )
        seen: set[tuple[str, ...]] = set()
        for name in entry.names or []:
            tokens = tokenize(name.value)
            if not tokens:
                continue
            for variant in [tokens, *joined_variants(tokens)]:
                signature = tuple(t.text for t in variant)
                if signature in seen:
                    continue
                seen.add(signature)
                form_id = len(self.forms)
                self.forms.append(NameForm(position, name.value, name.kind, variant))
                keys: set[str] = set()
                for token in variant:
                    keys |= token_keys(token)
                for key in keys:
                    self.postings[key].append(form_id)
                if variant is tokens:
                    for text in set(signature):
                        self.token_df[text] += 1

    def extend(self, entries: Iterable[ListEntry]) -> None:
        """Index many entries."""
        for entry in entries:
            self.add(entry)

    def freeze(self) -> None:
        """Finish building: fix the counts the IDF weights rest on."""
        self._total_forms = max(1, len(self.forms))
        self._max_idf = math.log(1 + self._total_forms)
        self._frozen = True

    @classmethod
    def build(cls, entries: Iterable[ListEntry]) -> ScreenIndex:
        """Build and freeze an index from list entries, timing it."""
        started = time.perf_counter()
        index = cls()
        index.extend(entries)
        index.freeze()
        index.stats = BuildStats(
            entries=len(index.entries),
            name_forms=len(index.forms),
            keys=len(index.postings),
            seconds=time.perf_counter() - started,
        )
        return index

    # -- querying ------------------------------------------------------------------------------

    def idf(self, text: str) -> float:
        """Rarity weight of a token's ASCII form, in (0, 1]: 1 for a token no list name has."""
        if not self._frozen:
            self.freeze()
        df = self.token_df.get(text, 0)
        return max(0.05, math.log(1 + self._total_forms / (1 + df)) / self._max_idf)

    def candidates(
        self, variants: list[tuple[Token, ...]], limit: int = 40, key_cap: int = 4000
    ) -> dict[int, list[int]]:
        """Name forms sharing keys with the query, grouped by entry: ``{entry: [form, ...]}``.

        Each query token adds its IDF weight once to every form it reaches through any key; the
        ``limit`` best entries are returned. Keys posted on more than ``key_cap`` forms are only
        used when the token has no rarer key.
        """
        scores: dict[int, float] = defaultdict(float)
        for tokens in variants:
            for token in tokens:
                weight = self.idf(token.text)
                reached: set[int] = set()
                skipped: list[list[int]] = []
                for key in token_keys(token):
                    posting = self.postings.get(key)
                    if not posting:
                        continue
                    if len(posting) > key_cap:
                        skipped.append(posting)
                        continue
                    reached.update(posting)
                if not reached and skipped:
                    reached.update(min(skipped, key=len))
                for form_id in reached:
                    scores[form_id] += weight
        by_entry: dict[int, float] = defaultdict(float)
        forms_of: dict[int, list[tuple[float, int]]] = defaultdict(list)
        for form_id, score in scores.items():
            entry = self.forms[form_id].entry
            forms_of[entry].append((score, form_id))
            if score > by_entry[entry]:
                by_entry[entry] = score
        best = sorted(by_entry, key=by_entry.__getitem__, reverse=True)[:limit]
        return {e: [f for _, f in sorted(forms_of[e], reverse=True)[:4]] for e in best}

    def by_identifier(self, scheme: IdScheme, value: str) -> list[int]:
        """Entries carrying this identifier (normalised value)."""
        return list(self.id_postings.get(f"{scheme.value}:{normalise_identifier(scheme, value)}", []))

    def schemas(self) -> dict[Schema, int]:
        """Entry counts by schema."""
        counts: dict[Schema, int] = defaultdict(int)
        for item in self.entries:
            counts[item.entry.schema] += 1
        return dict(counts)
