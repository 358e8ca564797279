"""fetch_list against a real local HTTP server: success, truncated body, 404, timeout, bad file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sources.lists.lists_testdata import OFAC_ADD, OFAC_ALT, OFAC_SDN, UN_FILE, ListServer
from watchfloor.errors import FetchError
from watchfloor.sources.lists.download import OFFICIAL_LISTS, current_list_file, fetch_list, file_url
from watchfloor.sources.lists.formats import ListFormat
from watchfloor.sources.lists.records import ListSource


@pytest.fixture(scope="module")
def running_server() -> Iterator[ListServer]:
    with ListServer(delay=2.0) as running:
        yield running


@pytest.fixture
def server(running_server: ListServer) -> ListServer:
    running_server.routes.clear()
    return running_server


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_official_addresses_are_known_for_every_list() -> None:
    assert set(OFFICIAL_LISTS) == {
        ListSource.UN_SC,
        ListSource.US_OFAC_SDN,
        ListSource.GB_HMT,
        ListSource.EU_FSF,
    }
    for official in OFFICIAL_LISTS.values():
        assert all(f.url.startswith("https://") for f in official.files)
    un = OFFICIAL_LISTS[ListSource.UN_SC].files[0]
    assert file_url(un, None) == "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
    assert file_url(un, "http://mirror/lists/") == "http://mirror/lists/consolidated.xml"


def test_a_good_download_is_verified_and_put_in_place(
    server: ListServer, tmp_path: Path, shared_data: Path
) -> None:
    server.routes["consolidated.xml"] = ("ok", (shared_data / UN_FILE).read_bytes())
    seen: list[tuple[str, int, int | None]] = []
    fetched = fetch_list(
        ListSource.UN_SC, tmp_path, timeout=5, base_url=server.url, progress=lambda *a: seen.append(a)
    )
    assert fetched.paths == (tmp_path / "un_sc" / "consolidated.xml",)
    assert digest(fetched.paths[0]) == digest(shared_data / UN_FILE)
    assert sum(1 for _ in fetched.read()) == 1003
    assert seen[-1][1] == seen[-1][2] == (shared_data / UN_FILE).stat().st_size
    assert [p.name for p in (tmp_path / "un_sc").iterdir()] == ["consolidated.xml"]  # no staging left
    assert current_list_file(tmp_path, ListSource.UN_SC) == fetched


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("truncated", "truncated download"),
        ("missing", "HTTP 404"),
        ("slow", "timed out"),
        ("cut-file", "does not parse"),
    ],
)
def test_a_failed_download_keeps_the_previous_file(
    server: ListServer, tmp_path: Path, shared_data: Path, mode: str, message: str
) -> None:
    good = (shared_data / UN_FILE).read_bytes()
    server.routes["consolidated.xml"] = ("ok", good)
    fetch_list(ListSource.UN_SC, tmp_path, timeout=5, base_url=server.url)
    before = digest(tmp_path / "un_sc" / "consolidated.xml")
    if mode == "cut-file":  # served whole, but the file itself stops half-way
        server.routes["consolidated.xml"] = ("ok", good[: len(good) // 3])
    elif mode == "missing":
        del server.routes["consolidated.xml"]
    else:
        server.routes["consolidated.xml"] = (mode, good)
    with pytest.raises(FetchError, match=message) as error:
        fetch_list(ListSource.UN_SC, tmp_path, timeout=0.5, base_url=server.url)
    assert error.value.url == f"{server.url}/consolidated.xml"
    assert digest(tmp_path / "un_sc" / "consolidated.xml") == before
    assert [p.name for p in (tmp_path / "un_sc").iterdir()] == ["consolidated.xml"]


def test_ofac_files_are_fetched_together_or_not_at_all(
    server: ListServer, tmp_path: Path, shared_data: Path
) -> None:
    comments = b'20157,"Comment continued from the remarks of sdn.csv."\r\n\x1a'
    server.routes.update(
        {
            "sdn.csv": ("ok", (shared_data / OFAC_SDN).read_bytes()),
            "alt.csv": ("ok", (shared_data / OFAC_ALT).read_bytes()),
            "add.csv": ("ok", (shared_data / OFAC_ADD).read_bytes()),
            "sdn_comments.csv": ("ok", comments),
        }
    )
    fetched = fetch_list(ListSource.US_OFAC_SDN, tmp_path, timeout=5, base_url=server.url)
    assert fetched.format is ListFormat.OFAC_CSV
    entries = {e.entry_id: e for e in fetched.read()}
    assert len(entries) == 14965
    assert entries["20157"].remarks is not None and entries["20157"].remarks.endswith("sdn.csv.")
    # The last file fails: none of the four is replaced.
    before = {p.name: digest(p) for p in fetched.paths}
    server.routes["sdn.csv"] = ("ok", (shared_data / OFAC_SDN).read_bytes()[:-5000] + b"\r\n")
    server.routes["sdn_comments.csv"] = ("truncated", comments)
    with pytest.raises(FetchError, match="truncated"):
        fetch_list(ListSource.US_OFAC_SDN, tmp_path, timeout=5, base_url=server.url)
    assert {p.name: digest(p) for p in fetched.paths} == before
