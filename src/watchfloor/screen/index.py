"""One in-memory index over every loaded list entry, and candidate generation.

At build time each entry's names are tokenised once (all scripts, joined variants of short
Korean-style parts) and every token is posted under several keys (:data:`KEY_STRENGTH`): its
ASCII form, its Korean and Russian folding keys, its one-letter deletions (an inserted, dropped
or changed letter on either side still meets), its sorted letters (a transposition), its
metaphone, and a 4-letter prefix. Identifiers (IMO, MMSI, passports, ...) are posted under their
normalised value. Postings are packed into numpy arrays at :meth:`ScreenIndex.freeze`.

A query token adds its rarity weight (IDF), scaled by the strength of the best key it shares, to
every name form it reaches; forms reached by less than a share of the query's weight cannot align
well enough to match and are dropped; the best entries (20 by default, at most 3 forms each) go
to the scorer. A plausible match shares at least one key per name part, with a typo or in
another spelling system, so it is not missed (measured: every treated UN positive reaches its
entry; tests/screen/test_index.py).
"""

from __future__ import annotations

import gc
import math
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rigour.text.phonetics import metaphone

from watchfloor.model.identifiers import normalise_identifier
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.screen.names import LEGAL_FORMS, Token, joined_variants, tokenize
from watchfloor.screen.translit import is_patronymic
from watchfloor.sources.lists.records import ListEntry, NameKind

ORGANISATION_SCHEMAS = frozenset({Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY})
"""Entries whose names may carry legal forms (``OOO``, ``Public Joint Stock Company``)."""

KEY_STRENGTH = {"t": 1.0, "k": 0.9, "r": 0.9, "d": 0.7, "a": 0.7, "m": 0.6, "p": 0.5}
"""How much a shared key says, by kind: the same ASCII token, the same Korean or Russian folding
key, one letter deleted from either (an inserted, dropped or changed letter), the same letters (a
transposition), the same metaphone, the same 4-letter prefix."""


@lru_cache(maxsize=262144)
def token_keys(token: Token) -> frozenset[str]:
    """The index keys of one token (see the module docstring)."""
    keys = {"t:" + token.text, "k:" + token.korean, "r:" + token.russian}
    if len(token.text) > 2 and not token.text.isdigit():
        phon = metaphone(token.text)
        if phon:
            keys.add("m:" + phon)
    if len(token.text) >= 6:
        keys.add("p:" + token.text[:4])
    if len(token.text) >= 4:
        keys.add("a:" + "".join(sorted(token.text)))  # transpositions: Lakahl/Lakhal, Afiz/Faiz
    if len(token.text) >= 5:  # one-letter deletions both sides: Tnkunda/Nkunda, Hanyyu/Hanyu
        text = token.text
        keys.add("d:" + text)
        keys.update("d:" + text[:i] + text[i + 1 :] for i in range(len(text)))
    return frozenset(keys)


@dataclass(slots=True)
class NameForm:
    """One tokenisation of one name of one entry, with its scoring weights (set at freeze)."""

    entry: int
    """Position of the entry in :attr:`ScreenIndex.entries`."""
    value: str
    """The name as the list writes it."""
    kind: NameKind
    tokens: tuple[Token, ...]
    weights: tuple[float, ...] = ()
    """IDF weight of each token."""
    spare: tuple[float, ...] = ()
    """What each token costs when the query leaves it out (less for patronymics, initials)."""
    concat: str = ""
    """The tokens written without spaces."""


@dataclass(slots=True)
class IndexedEntry:
    """A list entry with what the scorer needs precomputed."""

    entry: ListEntry
    birth_dates: tuple[str, ...]
    nationalities: frozenset[str]
    identifiers: dict[IdScheme, frozenset[str]]


@dataclass
class BuildStats:
    """What building an index cost."""

    entries: int
    name_forms: int
    keys: int
    seconds: float
    """Wall-clock time."""
    cpu_seconds: float = 0.0
    """Process CPU time (what the build costs on a shared machine)."""


def settle_garbage_collector() -> None:
    """Move the objects alive now out of the cyclic garbage collector's reach (``gc.freeze``).

    An index is hundreds of thousands of long-lived objects; rescanning them at every full
    collection made screening 4-5x slower (full UN + OFAC + UK index: 350 vs 1,700 queries/s).
    Unfreezing first lets an index built before and dropped since be collected.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class ScreenIndex:
    """Entries, their name forms, and the postings from keys to forms and identifiers to entries."""

    def __init__(self) -> None:
        self.entries: list[IndexedEntry] = []
        self.forms: list[NameForm] = []
        self.tokens: list[Token] = []
        """Every distinct token of every name form."""
        self._token_ids: dict[Token, int] = {}
        self._token_forms: list[list[int]] = []
        self.id_postings: dict[str, list[int]] = defaultdict(list)
        self.token_df: dict[str, int] = defaultdict(int)
        self.stats = BuildStats(0, 0, 0, 0.0)
        self._frozen = False
        self._idf: dict[str, float] = {}
        self._key_ids: dict[str, int] = {}
        self._key_start: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._key_forms: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._form_entry: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._masks: dict[frozenset[Schema], npt.NDArray[np.bool_]] = {}
        self._total_forms = 1
        self._max_idf = 1.0
        self.provenance: list[dict[str, str]] = []
        """What the index was built from (list versions or files), for batch outputs."""

    # -- building ------------------------------------------------------------------------------

    def add(self, entry: ListEntry) -> None:
        """Index one entry (its names in every script, dates, countries and identifiers).

        Entries added after :meth:`freeze` are searchable once ``freeze`` is called again."""
        self._frozen = False
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
        organisation = entry.schema in ORGANISATION_SCHEMAS
        for name in entry.names or []:
            for part in name.value.split(";"):  # some lists join alternative spellings with ";"
                self._add_name(position, part.strip(), name.kind, seen, organisation)

    def _add_name(
        self, position: int, value: str, kind: NameKind, seen: set[tuple[str, ...]], organisation: bool
    ) -> None:
        tokens = tokenize(value, organisation=organisation)
        if not tokens:
            return
        for variant in [tokens, *joined_variants(tokens)]:
            signature = tuple(t.text for t in variant)
            if signature in seen:
                continue
            seen.add(signature)
            form_id = len(self.forms)
            self.forms.append(NameForm(position, value, kind, variant))
            for token in set(variant):
                token_id = self._token_ids.get(token)
                if token_id is None:
                    token_id = self._token_ids[token] = len(self.tokens)
                    self.tokens.append(token)
                    self._token_forms.append([])
                self._token_forms[token_id].append(form_id)
            if variant is tokens:
                for text in set(signature):
                    self.token_df[text] += 1

    def extend(self, entries: Iterable[ListEntry]) -> None:
        """Index many entries."""
        for entry in entries:
            self.add(entry)

    def freeze(self) -> None:
        """Finish building: fix the IDF weights, precompute per-form weights, pack the postings."""
        self._weigh_forms()
        self._pack_postings()
        self._form_entry = np.asarray([f.entry for f in self.forms], dtype=np.int32)
        self._masks = {}
        self._frozen = True

    def _weigh_forms(self) -> None:
        self._total_forms = max(1, len(self.forms))
        self._max_idf = math.log(1 + self._total_forms)
        self._idf = {}
        for form in self.forms:
            form.weights = tuple(self.idf(t.text) for t in form.tokens)
            form.spare = tuple(
                w * (0.2 if len(t.text) == 1 or t.text in LEGAL_FORMS or is_patronymic(t.text) else 0.6)
                for t, w in zip(form.tokens, form.weights, strict=True)
            )
            form.concat = "".join(t.text for t in form.tokens)

    def finish(
        self,
        key_ids: dict[str, int],
        key_start: npt.NDArray[np.int64],
        key_forms: npt.NDArray[np.int32],
        form_entry: npt.NDArray[np.int32],
    ) -> None:
        """Freeze with postings packed before (an index read from its file, :mod:`index_file`)."""
        self._weigh_forms()
        self._key_ids = key_ids
        self._key_start = key_start
        self._key_forms = key_forms
        self._form_entry = form_entry
        self._masks = {}
        self._frozen = True

    def _pack_postings(self) -> None:
        """Key -> forms postings as one CSR array pair, expanded from token -> forms without a
        Python loop over postings: each (key, token) pair contributes that token's forms."""
        counts = np.fromiter((len(f) for f in self._token_forms), dtype=np.int64, count=len(self.tokens))
        token_start = np.zeros(len(self.tokens) + 1, dtype=np.int64)
        np.cumsum(counts, out=token_start[1:])
        token_forms = np.fromiter(
            (f for forms in self._token_forms for f in forms), dtype=np.int32, count=int(token_start[-1])
        )
        key_ids: dict[str, int] = {}
        pair_keys: list[int] = []
        pair_tokens: list[int] = []
        for token_id, token in enumerate(self.tokens):
            for key in token_keys(token):
                key_id = key_ids.get(key)
                if key_id is None:
                    key_id = key_ids[key] = len(key_ids)
                pair_keys.append(key_id)
                pair_tokens.append(token_id)
        keys = np.asarray(pair_keys, dtype=np.int64)
        tokens = np.asarray(pair_tokens, dtype=np.int64)
        sizes = counts[tokens]
        total = int(sizes.sum())
        # the forms of each pair's token, laid end to end
        firsts = np.repeat(token_start[:-1][tokens], sizes)
        offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        forms = token_forms[firsts + offsets]
        posting_keys = np.repeat(keys, sizes)
        order = np.argsort(posting_keys, kind="stable")
        self._key_forms = forms[order]
        self._key_start = np.zeros(len(key_ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(posting_keys, minlength=len(key_ids)), out=self._key_start[1:])
        self._key_ids = key_ids

    def posting(self, key: str) -> npt.NDArray[np.int32] | None:
        """The name forms posted under one key (``None`` if none)."""
        key_id = self._key_ids.get(key)
        if key_id is None:
            return None
        return self._key_forms[self._key_start[key_id] : self._key_start[key_id + 1]]

    def schema_mask(self, schemas: frozenset[Schema]) -> npt.NDArray[np.bool_]:
        """Which name forms belong to entries of the given schemas (cached per set)."""
        mask = self._masks.get(schemas)
        if mask is None:
            allowed = np.asarray([e.entry.schema in schemas for e in self.entries], dtype=np.bool_)
            mask = self._masks[schemas] = allowed[self._form_entry]
        return mask

    @classmethod
    def build(cls, entries: Iterable[ListEntry], *, settle_gc: bool = True) -> ScreenIndex:
        """Build and freeze an index from list entries, timing it.

        With ``settle_gc`` (the default) :func:`settle_garbage_collector` runs afterwards.
        """
        started = time.perf_counter()
        cpu_started = time.process_time()
        index = cls()
        index.extend(entries)
        index.freeze()
        if settle_gc:
            settle_garbage_collector()
        index.stats = BuildStats(
            entries=len(index.entries),
            name_forms=len(index.forms),
            keys=len(index._key_ids),
            seconds=time.perf_counter() - started,
            cpu_seconds=time.process_time() - cpu_started,
        )
        return index

    # -- querying ------------------------------------------------------------------------------

    def idf(self, text: str) -> float:
        """Rarity weight of a token's ASCII form, in (0, 1]: 1 for a token no list name has."""
        cached = self._idf.get(text)
        if cached is not None:
            return cached
        df = self.token_df.get(text, 0)
        value = max(0.05, math.log(1 + self._total_forms / (1 + df)) / self._max_idf)
        if len(text) == 1:
            value = min(value, 0.3)  # an initial says little, however rare as a list token
        elif text in LEGAL_FORMS:
            value = min(value, 0.1)
        self._idf[text] = value
        return value

    def candidates(
        self,
        variants: list[tuple[Token, ...]],
        limit: int = 20,
        per_entry: int = 3,
        min_coverage: float = 0.0,
        schemas: frozenset[Schema] | None = None,
    ) -> dict[int, list[int]]:
        """Name forms sharing keys with the query, grouped by entry: ``{entry: [form, ...]}``.

        Each query token adds its IDF weight once to every form it reaches through any key;
        the forms of the ``limit`` best entries are returned, at most ``per_entry`` each. Forms
        reached by less than ``min_coverage`` of the query's token weight are left out: they
        cannot align well enough to match. ``schemas`` keeps only entries of those schemas.
        """
        if not self._frozen:
            self.freeze()
        scores = np.zeros(len(self.forms), dtype=np.float32)
        best = np.zeros(len(self.forms), dtype=np.float32)
        seen_tokens: set[str] = set()
        total = 0.0
        for tokens in variants:
            for token in tokens:
                if token.text in seen_tokens:
                    continue
                seen_tokens.add(token.text)
                weight = self.idf(token.text)
                if tokens is variants[0]:
                    total += weight
                if len(token.text) == 1:
                    continue  # initials reach too much; the scorer aligns them
                # weakest keys first, so that a stronger key reaching the same form overwrites
                keyed = sorted(token_keys(token), key=lambda k: KEY_STRENGTH[k[0]])
                touched = 0
                for key in keyed:
                    array = self.posting(key)
                    if array is None:
                        continue
                    best[array] = weight * KEY_STRENGTH[key[0]]
                    touched += 1
                if touched:
                    # a dense add over all forms is cheaper than uniting large postings
                    scores += best
                    best.fill(0.0)
        keep = scores > max(total * min_coverage, 1e-9)
        if schemas is not None:
            keep &= self.schema_mask(schemas)
        hit = np.flatnonzero(keep)
        if hit.size == 0:
            return {}
        take = min(hit.size, limit * per_entry * 4)
        top = hit[np.argpartition(-scores[hit], take - 1)[:take]] if take < hit.size else hit
        order = sorted(top.tolist(), key=lambda f: (-float(scores[f]), f))
        out: dict[int, list[int]] = {}
        for form_id in order:
            entry = int(self._form_entry[form_id])
            forms = out.get(entry)
            if forms is None:
                if len(out) >= limit:
                    continue
                out[entry] = [form_id]
            elif len(forms) < per_entry:
                forms.append(form_id)
        return out

    def forms_of(self, position: int) -> list[int]:
        """Every name form of the entry at ``position`` (built once, on first use)."""
        table = getattr(self, "_entry_forms", None)
        if table is None or len(table) != len(self.entries):
            table = [[] for _ in self.entries]
            for form_id, form in enumerate(self.forms):
                table[form.entry].append(form_id)
            self._entry_forms: list[list[int]] = table
        return list(table[position])

    def by_identifier(self, scheme: IdScheme, value: str) -> list[int]:
        """Entries carrying this identifier (normalised value)."""
        return list(self.id_postings.get(f"{scheme.value}:{normalise_identifier(scheme, value)}", []))

    def schemas(self) -> dict[Schema, int]:
        """Entry counts by schema."""
        counts: dict[Schema, int] = defaultdict(int)
        for item in self.entries:
            counts[item.entry.schema] += 1
        return dict(counts)
