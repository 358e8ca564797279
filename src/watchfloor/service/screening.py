"""Screening over the store: the application layer hands the store's list entries to ``screen``."""

from __future__ import annotations

from watchfloor.errors import InputError
from watchfloor.screen.index import ScreenIndex
from watchfloor.screen.loading import index_from_entries
from watchfloor.store import Store
from watchfloor.store.lists import screening_lists


def index_from_store(store: Store) -> ScreenIndex:
    """Index the active version of every list loaded in the store (cached by version ids)."""
    versions, entries = screening_lists(store)
    if not versions:
        raise InputError(
            store.display_url,
            "no sanctions lists are loaded: run `watchfloor lists load PATH...` "
            "or `watchfloor lists update`, or pass --list PATH",
        )
    provenance = [
        {
            "list": v.source,
            "version": v.version_id,
            "published": v.published.isoformat() if v.published else "",
            "origin": v.origin,
        }
        for v in versions
    ]
    return index_from_entries([v.version_id for v in versions], entries, provenance)
