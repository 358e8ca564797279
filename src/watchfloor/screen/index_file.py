"""The screening index on disk, in a format that cannot run code (no pickle).

One ``.npz`` archive read with ``allow_pickle=False``: numeric arrays (the packed key postings,
form -> entry) and one UTF-8 JSON document (format version, what the index was built from, the
entries as :meth:`ListEntry.to_dict`, tokens, name forms, key names, document frequencies). A
file of another format version, or built from other sources, is refused and rebuilt; a damaged
one raises :class:`IndexFileError`, which the loader treats as "rebuild".
"""

from __future__ import annotations

import json
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from watchfloor.model.identifiers import normalise_identifier
from watchfloor.model.schema import IdScheme
from watchfloor.screen.index import BuildStats, IndexedEntry, NameForm, ScreenIndex
from watchfloor.screen.names import Token
from watchfloor.sources.lists.records import ListEntry, NameKind

FORMAT = "watchfloor-screen-index/3"
"""Bumped whenever what is written changes; files of another format are rebuilt."""


class IndexFileError(Exception):
    """An index file that cannot be used (damaged, another format, other sources)."""


def write_index(index: ScreenIndex, path: Path, key: str) -> None:
    """Write ``index`` to ``path`` (an ``.npz``), recording ``key``: what it was built from."""
    if not index._frozen:
        index.freeze()
    meta: dict[str, Any] = {
        "format": FORMAT,
        "key": key,
        "stats": [index.stats.entries, index.stats.name_forms, index.stats.keys, index.stats.seconds,
                  index.stats.cpu_seconds],
        "provenance": index.provenance,
        "entries": [item.entry.to_dict() for item in index.entries],
        "tokens": [[t.text, t.korean, t.russian, t.joined] for t in index.tokens],
        "forms": [
            [f.entry, f.value, f.kind.value, [index._token_ids[t] for t in f.tokens]] for f in index.forms
        ],
        "token_df": index.token_df,
        "keys": sorted(index._key_ids, key=index._key_ids.__getitem__),
    }  # fmt: skip
    blob = np.frombuffer(json.dumps(meta, ensure_ascii=False, default=str).encode("utf-8"), dtype=np.uint8)
    with path.open("wb") as handle:
        np.savez(
            handle,
            meta=blob,
            key_start=index._key_start,
            key_forms=index._key_forms,
            form_entry=index._form_entry,
        )


def read_index(path: Path, key: str) -> ScreenIndex:
    """Read an index written by :func:`write_index` for the same ``key``."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            meta = json.loads(bytes(archive["meta"]).decode("utf-8"))
            key_start = np.asarray(archive["key_start"], dtype=np.int64)
            key_forms = np.asarray(archive["key_forms"], dtype=np.int32)
            form_entry = np.asarray(archive["form_entry"], dtype=np.int32)
    except (OSError, ValueError, KeyError, UnicodeDecodeError, zipfile.BadZipFile, EOFError) as exc:
        raise IndexFileError(f"{path}: unreadable index file ({exc})") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise IndexFileError(f"{path}: not a {FORMAT} file")
    if meta.get("key") != key:
        raise IndexFileError(f"{path}: built from other lists")
    try:
        return _rebuild(meta, key_start, key_forms, form_entry)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise IndexFileError(f"{path}: inconsistent index file ({exc})") from exc


def _rebuild(meta: dict[str, Any], key_start: Any, key_forms: Any, form_entry: Any) -> ScreenIndex:
    index = ScreenIndex()
    for position, data in enumerate(meta["entries"]):
        entry = ListEntry.from_dict(data)
        identifiers: dict[IdScheme, set[str]] = defaultdict(set)
        for ident in entry.identifiers:
            value = normalise_identifier(ident.scheme, ident.value)
            if value:
                identifiers[ident.scheme].add(value)
                index.id_postings[f"{ident.scheme.value}:{value}"].append(position)
        index.entries.append(
            IndexedEntry(
                entry=entry,
                birth_dates=tuple(entry.birth_dates),
                nationalities=frozenset(entry.nationalities),
                identifiers={k: frozenset(v) for k, v in identifiers.items()},
            )
        )
    index.tokens = [Token(t[0], t[1], t[2], bool(t[3])) for t in meta["tokens"]]
    index._token_ids = {t: n for n, t in enumerate(index.tokens)}
    forms_of: list[list[int]] = [[] for _ in index.tokens]
    for entry_pos, value, kind, token_ids in meta["forms"]:
        if not 0 <= entry_pos < len(index.entries):
            raise ValueError(f"form names entry {entry_pos}")
        form_id = len(index.forms)
        index.forms.append(
            NameForm(entry_pos, value, NameKind(kind), tuple(index.tokens[t] for t in token_ids))
        )
        for token_id in set(token_ids):
            forms_of[token_id].append(form_id)
    index._token_forms = forms_of
    index.token_df.update({str(k): int(v) for k, v in meta["token_df"].items()})
    index.provenance = [dict(p) for p in meta.get("provenance", [])]
    keys = meta["keys"]
    if len(key_start) != len(keys) + 1 or len(form_entry) != len(index.forms):
        raise ValueError("array sizes disagree with the document")
    if key_forms.size and (int(key_forms.max()) >= len(index.forms) or int(key_forms.min()) < 0):
        raise ValueError("a posting names a form that does not exist")
    index.finish(dict(zip(keys, range(len(keys)), strict=True)), key_start, key_forms, form_entry)
    stats = meta["stats"]
    index.stats = BuildStats(int(stats[0]), int(stats[1]), int(stats[2]), float(stats[3]), float(stats[4]))
    return index
