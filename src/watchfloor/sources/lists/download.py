"""Official download addresses of the sanctions lists, and a safe fetch of each.

``fetch_list`` streams every file of a list to a staging folder, checks that each body is as
long as the server said, parses the whole list once, and only then renames the files into
place with ``os.replace`` (atomic on one file system). Until that moment the files already in
``dest_dir`` stay as they were, so a 404, a timeout, a truncated body or a file that does not
parse leaves the previous download usable.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from watchfloor.errors import FetchError, InputError
from watchfloor.sources.lists.formats import ListFile, ListFormat, count_entries, detect_format
from watchfloor.sources.lists.records import ListSource

CHUNK = 1 << 16
USER_AGENT = "watchfloor (sanctions list update; +https://github.com/watchfloor)"


@dataclass(frozen=True)
class OfficialFile:
    """One file of an official list: the name it is stored under, and where it is published."""

    name: str
    url: str


@dataclass(frozen=True)
class OfficialList:
    """A list as its authority publishes it."""

    source: ListSource
    format: ListFormat
    files: tuple[OfficialFile, ...]
    page: str
    """The authority's page that documents the files."""


OFAC_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"

OFFICIAL_LISTS: dict[ListSource, OfficialList] = {
    ListSource.UN_SC: OfficialList(
        ListSource.UN_SC,
        ListFormat.UN_XML,
        (OfficialFile("consolidated.xml", "https://scsanctions.un.org/resources/xml/en/consolidated.xml"),),
        "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list",
    ),
    ListSource.US_OFAC_SDN: OfficialList(
        ListSource.US_OFAC_SDN,
        ListFormat.OFAC_CSV,
        (
            OfficialFile("sdn.csv", f"{OFAC_EXPORTS}/SDN.CSV"),
            OfficialFile("alt.csv", f"{OFAC_EXPORTS}/ALT.CSV"),
            OfficialFile("add.csv", f"{OFAC_EXPORTS}/ADD.CSV"),
            OfficialFile("sdn_comments.csv", f"{OFAC_EXPORTS}/SDN_COMMENTS.CSV"),
        ),
        "https://ofac.treasury.gov/sanctions-list-service",
    ),
    ListSource.GB_HMT: OfficialList(
        ListSource.GB_HMT,
        ListFormat.UK_XML,
        (
            OfficialFile(
                "UK-Sanctions-List.xml", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"
            ),
        ),
        "https://www.gov.uk/government/publications/the-uk-sanctions-list",
    ),
    ListSource.EU_FSF: OfficialList(
        ListSource.EU_FSF,
        ListFormat.EU_XML,
        (
            OfficialFile(
                "eu_fsf.xml",
                "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"
                "?token=dG9rZW4tMjAxNw",
            ),
        ),
        "https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions",
    ),
}
"""Alternative OFAC files (same service): ``SDN.XML`` and ``SDN_ADVANCED.XML``."""

FileProgress = Callable[[str, int, int | None], None]
"""Called as ``(file name, bytes so far, total bytes or None)`` while a file downloads."""


def official_list(source: ListSource | str) -> OfficialList:
    """The official list for ``source`` (a :class:`ListSource` or its value)."""
    try:
        return OFFICIAL_LISTS[ListSource(source)]
    except (ValueError, KeyError) as exc:
        known = ", ".join(s.value for s in OFFICIAL_LISTS)
        raise InputError(str(source), f"no official download known for this list (known: {known})") from exc


def file_url(official: OfficialFile, base_url: str | None) -> str:
    """The official address, or ``base_url/name`` when a mirror (or a test server) is given."""
    if base_url:
        return f"{base_url.rstrip('/')}/{official.name}"
    return official.url


def list_dir(dest_dir: Path, source: ListSource) -> Path:
    """Where the current files of ``source`` live under ``dest_dir``."""
    return dest_dir / source.value


def current_list_file(dest_dir: Path, source: ListSource) -> ListFile | None:
    """The list already downloaded for ``source``, if all its files are there."""
    official = official_list(source)
    folder = list_dir(dest_dir, source)
    paths = tuple(folder / f.name for f in official.files)
    if not all(p.is_file() for p in paths):
        return None
    return ListFile(official.format, paths)


def _download(client: httpx.Client, url: str, target: Path, name: str, progress: FileProgress | None) -> None:
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}")
            expected_text = response.headers.get("Content-Length")
            expected = int(expected_text) if expected_text and expected_text.isdigit() else None
            received = 0
            with target.open("wb") as handle:
                for chunk in response.iter_bytes(CHUNK):
                    handle.write(chunk)
                    received += len(chunk)
                    if progress:
                        progress(name, received, expected)
            encoding = response.headers.get("Content-Encoding", "identity")
            if expected is not None and encoding == "identity" and received != expected:
                raise FetchError(url, f"truncated download: received {received:,} of {expected:,} bytes")
    except httpx.TimeoutException as exc:
        raise FetchError(url, f"timed out after {client.timeout.read}s ({type(exc).__name__})") from exc
    except httpx.RemoteProtocolError as exc:
        raise FetchError(url, f"truncated download: {exc}") from exc
    except httpx.HTTPError as exc:
        raise FetchError(url, f"download failed: {exc}") from exc
    except OSError as exc:
        raise FetchError(url, f"cannot write {target}: {exc.strerror}") from exc


def fetch_list(
    source: ListSource | str,
    dest_dir: Path,
    timeout: float = 60.0,
    base_url: str | None = None,
    progress: FileProgress | None = None,
) -> ListFile:
    """Download the official files of ``source`` into ``dest_dir/<source>/``, verified, atomically.

    Returns the :class:`ListFile` of the files now in place. Raises :class:`FetchError` for a
    failed download and :class:`InputError` for a file that does not parse; in both cases the
    files that were in place before are untouched.
    """
    official = official_list(source)
    folder = list_dir(dest_dir, official.source)
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    try:
        with httpx.Client(
            timeout=httpx.Timeout(timeout), follow_redirects=True, headers={"User-Agent": USER_AGENT}
        ) as client:
            for item in official.files:
                _download(client, file_url(item, base_url), staging / item.name, item.name, progress)
        staged = ListFile(official.format, tuple(staging / f.name for f in official.files))
        url = file_url(official.files[0], base_url)
        try:
            found = detect_format(staged.paths[0])
            if found is not official.format:
                raise FetchError(url, f"expected a {official.format.value} file, got {found.value}")
            count_entries(staged)
        except InputError as exc:
            where = f" ({exc.place})" if exc.place else ""
            raise FetchError(url, f"downloaded list does not parse: {exc.message}{where}") from exc
        for item in official.files:
            os.replace(staging / item.name, folder / item.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ListFile(official.format, tuple(folder / f.name for f in official.files))
