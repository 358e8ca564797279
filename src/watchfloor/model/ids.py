"""Deterministic ids: the hash of what a record says and where it came from."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from enum import Enum
from typing import Any


def _canonical(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_canonical(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    return value


def stable_id(prefix: str, *parts: Any) -> str:
    """``prefix-`` and 24 hex digits of sha256 over the canonical JSON of ``parts``.

    The same statement from the same place always gets the same id, so re-ingest is idempotent.
    """
    payload = json.dumps(_canonical(list(parts)), ensure_ascii=False, separators=(",", ":"))
    return f"{prefix}-{hashlib.sha256(payload.encode('utf-8')).hexdigest()[:24]}"


def content_hash(data: bytes | str) -> str:
    """sha256 hex of content: the identity of a document or a downloaded file."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()
