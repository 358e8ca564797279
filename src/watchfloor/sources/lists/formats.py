"""Which list format a file is in, which files belong together, and one ``read_list`` for all.

Detection reads the first few kilobytes (un-gzipped if need be): the XML root element names
the format (``CONSOLIDATED_LIST`` UN, ``sdnList`` OFAC, ``Sanctions`` OFAC advanced,
``Designations`` UK, ``export`` EU); JSON lines are FollowTheMoney; CSV files are told apart
by their name and their first row (OFAC's legacy files have no header). OFAC's ``alt``/``add``/
``sdn_comments`` files and the five UK derived tables are grouped with their main file.
"""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from watchfloor.errors import InputError
from watchfloor.sources.lists import eu, ftm, ofac, ofac_advanced, uk, un
from watchfloor.sources.lists.parsing import head_bytes, open_binary
from watchfloor.sources.lists.records import ListEntry, ListSource


class ListFormat(enum.StrEnum):
    """The file formats the list readers understand."""

    UN_XML = "un_xml"
    OFAC_CSV = "ofac_csv"
    OFAC_ALT_CSV = "ofac_alt_csv"
    OFAC_ADD_CSV = "ofac_add_csv"
    OFAC_COMMENTS_CSV = "ofac_comments_csv"
    OFAC_XML = "ofac_xml"
    OFAC_ADVANCED_XML = "ofac_advanced_xml"
    UK_XML = "uk_xml"
    UK_TABLES = "uk_tables"
    EU_XML = "eu_xml"
    FTM_JSON = "ftm_json"


SOURCE_OF: dict[ListFormat, ListSource] = {
    ListFormat.UN_XML: ListSource.UN_SC,
    ListFormat.OFAC_CSV: ListSource.US_OFAC_SDN,
    ListFormat.OFAC_XML: ListSource.US_OFAC_SDN,
    ListFormat.OFAC_ADVANCED_XML: ListSource.US_OFAC_SDN,
    ListFormat.UK_XML: ListSource.GB_HMT,
    ListFormat.UK_TABLES: ListSource.GB_HMT,
    ListFormat.EU_XML: ListSource.EU_FSF,
    ListFormat.FTM_JSON: ListSource.FTM,
}
_COMPANIONS = {ListFormat.OFAC_ALT_CSV, ListFormat.OFAC_ADD_CSV, ListFormat.OFAC_COMMENTS_CSV}
_XML_ROOTS = {
    "CONSOLIDATED_LIST": ListFormat.UN_XML,
    "sdnList": ListFormat.OFAC_XML,
    "Sanctions": ListFormat.OFAC_ADVANCED_XML,
    "Designations": ListFormat.UK_XML,
    "export": ListFormat.EU_XML,
}
_ROOT = re.compile(rb"<(?![?!])(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


@dataclass(frozen=True)
class ListFile:
    """One list as it sits on disk: its format, source, the files it is read from, and identity."""

    format: ListFormat
    paths: tuple[Path, ...]
    """The main file first, then companions (OFAC alt/add/comments) or the UK tables."""

    @property
    def source(self) -> ListSource:
        return SOURCE_OF[self.format]

    @property
    def origin(self) -> str:
        return ", ".join(str(p) for p in self.paths)

    def content_hash(self) -> str:
        """sha256 over the (un-gzipped) bytes of every file, in order: the list version's identity.

        A list and its gzipped copy get the same hash, so they are the same version.
        """
        digest = hashlib.sha256()
        for path in self.paths:
            with open_binary(path) as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)
        return digest.hexdigest()

    def published(self) -> date | None:
        """The publication date the file states, where its format has one."""
        finder = _PUBLISHED.get(self.format)
        return finder(self.paths[0]) if finder else None

    def read(self) -> Iterator[ListEntry]:
        """Stream the entries."""
        main = self.paths[0]
        if self.format is ListFormat.OFAC_CSV:
            companions = {detect_format(p): p for p in self.paths[1:]}
            return ofac.read_ofac_csv(
                main,
                alt=companions.get(ListFormat.OFAC_ALT_CSV),
                add=companions.get(ListFormat.OFAC_ADD_CSV),
                comments=companions.get(ListFormat.OFAC_COMMENTS_CSV),
            )
        return _READERS[self.format](main)


_READERS: dict[ListFormat, Callable[[Path], Iterator[ListEntry]]] = {
    ListFormat.UN_XML: un.read_un,
    ListFormat.OFAC_XML: ofac.read_ofac_xml,
    ListFormat.OFAC_ADVANCED_XML: ofac_advanced.read_ofac_advanced,
    ListFormat.UK_XML: uk.read_uk_xml,
    ListFormat.UK_TABLES: uk.read_uk_tables,
    ListFormat.EU_XML: eu.read_eu,
    ListFormat.FTM_JSON: ftm.read_ftm,
}
_PUBLISHED: dict[ListFormat, Callable[[Path], date | None]] = {
    ListFormat.UN_XML: un.published_date,
    ListFormat.OFAC_XML: ofac.published_date_xml,
    ListFormat.OFAC_ADVANCED_XML: ofac_advanced.published_date,
    ListFormat.UK_XML: uk.published_date_xml,
    ListFormat.EU_XML: eu.published_date,
}


def detect_format(path: Path) -> ListFormat:
    """The format of ``path`` from its name and first bytes; :class:`InputError` if unknown."""
    if path.is_dir():
        uk.table_paths(path)
        return ListFormat.UK_TABLES
    head = head_bytes(path)
    name = path.name.lower()
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        for match in _ROOT.finditer(stripped):
            root = match.group(1).decode("ascii", "replace")
            fmt = _XML_ROOTS.get(root)
            if fmt is not None:
                return fmt
            break
        if b"<!ENTITY" in head:
            raise InputError(
                path, "refused hostile XML: entity declarations are not allowed in list files", "prolog"
            )
        raise InputError(path, "XML file of an unknown kind (not a UN, OFAC, UK or EU sanctions list)")
    if stripped.startswith(b"{"):
        return ListFormat.FTM_JSON
    if name.startswith(uk.TABLE_PREFIX):
        return ListFormat.UK_TABLES
    for prefix, fmt in (
        ("sdn_comments", ListFormat.OFAC_COMMENTS_CSV),
        ("alt", ListFormat.OFAC_ALT_CSV),
        ("add", ListFormat.OFAC_ADD_CSV),
        ("sdn", ListFormat.OFAC_CSV),
    ):
        if name.startswith(prefix) and ".csv" in name:
            return fmt
    first = stripped.split(b"\n", 1)[0]
    if re.match(rb"^\d+,", first):
        fields = first.count(b",") + 1
        if b'"aka"' in first or b'"fka"' in first or b'"nka"' in first:
            return ListFormat.OFAC_ALT_CSV
        if fields >= 12:
            return ListFormat.OFAC_CSV
        return ListFormat.OFAC_ADD_CSV
    raise InputError(
        path,
        "not a sanctions list format watchfloor knows (UN/OFAC/UK/EU XML, OFAC CSV, UK tables, FtM JSON)",
    )


def group_files(paths: Iterable[Path]) -> list[ListFile]:
    """Gather files into lists: OFAC companions join their ``sdn.csv``, UK tables join up."""
    mains: list[tuple[ListFormat, Path]] = []
    companions: list[Path] = []
    uk_tables: list[Path] = []
    for path in paths:
        fmt = detect_format(path)
        if fmt in _COMPANIONS:
            companions.append(path)
        elif fmt is ListFormat.UK_TABLES:
            uk_tables.append(path)
        else:
            mains.append((fmt, path))
    files = [ListFile(fmt, (path,)) for fmt, path in mains]
    ofac_csv = [i for i, f in enumerate(files) if f.format is ListFormat.OFAC_CSV]
    if companions:
        if len(ofac_csv) != 1:
            raise InputError(
                companions[0], "OFAC alt/add/comments files need exactly one sdn.csv loaded with them"
            )
        index = ofac_csv[0]
        order = [ListFormat.OFAC_ALT_CSV, ListFormat.OFAC_ADD_CSV, ListFormat.OFAC_COMMENTS_CSV]
        companions.sort(key=lambda p: order.index(detect_format(p)))
        files[index] = ListFile(ListFormat.OFAC_CSV, (files[index].paths[0], *companions))
    if uk_tables:
        found = uk.table_paths(uk_tables[0])
        files.append(ListFile(ListFormat.UK_TABLES, tuple(found[t] for t in uk.TABLES if t in found)))
    sources = [f.source for f in files]
    for source in set(sources):
        if sources.count(source) > 1:
            raise InputError(
                files[sources.index(source)].paths[0],
                f"more than one file of list {source.value} given at once",
            )
    return files


def read_list(path_or_paths: Path | str | Sequence[Path | str]) -> Iterator[ListEntry]:
    """Read entries from any list file(s), detecting the format; several lists are chained."""
    if isinstance(path_or_paths, Path | str):
        paths = [Path(path_or_paths)]
    else:
        paths = [Path(p) for p in path_or_paths]
    for list_file in group_files(paths):
        yield from list_file.read()


def count_entries(list_file: ListFile) -> int:
    """Read the whole list once and return its entry count; raises InputError if it is not."""
    count = 0
    for _entry in list_file.read():
        count += 1
    if count == 0:
        raise InputError(list_file.paths[0], "the list has no entries")
    return count


__all__ = ["ListFile", "ListFormat", "count_entries", "detect_format", "group_files", "read_list"]
