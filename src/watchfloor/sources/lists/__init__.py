"""Sanctions list readers: official formats to :class:`ListEntry` records.

``read_list(path_or_paths)`` detects the format (UN, OFAC CSV/XML/advanced XML, UK XML or
derived tables, EU XML, FollowTheMoney JSON lines) and streams entries; the per-format readers
live in ``un``, ``ofac``, ``ofac_advanced``, ``uk``, ``eu`` and ``ftm``.
"""

from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.formats import ListFile, ListFormat, detect_format, group_files, read_list
from watchfloor.sources.lists.records import EntryName, Identifier, ListEntry, ListSource, NameKind

__all__ = [
    "EntryName",
    "IdScheme",
    "Identifier",
    "ListEntry",
    "ListFile",
    "ListFormat",
    "ListSource",
    "NameKind",
    "Schema",
    "detect_format",
    "group_files",
    "read_list",
]
