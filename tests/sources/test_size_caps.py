"""Size caps on every reader: a line (record) and a file over their caps are refused, naming the file
and the place, before they fill memory. The huge inputs are generated here, never stored: a gzip
bomb is many copies of one compressed member (a few hundred KiB on disk, 512 MiB inflated)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FOUNDING_REPORT, SHARED_DATA
from watchfloor.errors import InputError
from watchfloor.settings import get_settings
from watchfloor.sources.ais.reader import read_ais
from watchfloor.sources.ais.report import ReadReport
from watchfloor.sources.lists.formats import read_list
from watchfloor.sources.reports import read_reports

NM4 = SHARED_DATA / "ais" / "kystverket_ais1000lines_2019-08-07.nm4"
UN_LIST = SHARED_DATA / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml"


@pytest.fixture
def caps(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Set ``WATCHFLOOR_MAX_*`` through the environment, as a user would; settings re-read."""
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def _cap(monkeypatch: pytest.MonkeyPatch, name: str, value: int) -> None:
    monkeypatch.setenv(f"WATCHFLOOR_{name}", str(value))
    get_settings.cache_clear()


def gzip_bomb(path: Path, piece: bytes, mebibytes: int, head: bytes = b"") -> Path:
    """``head``, then ``mebibytes`` MiB of ``piece`` repeated, as concatenated gzip members."""
    member = gzip.compress(piece * ((1 << 20) // len(piece)), compresslevel=9)
    with path.open("wb") as handle:
        if head:
            handle.write(gzip.compress(head))
        for _ in range(mebibytes):
            handle.write(member)
    return path


def _peak_rss_mib(code: str) -> tuple[float, str]:
    """Run ``code`` in a fresh interpreter; its peak resident memory (MiB) and its last line."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forked copy of this process
    probe = (
        f"{code}\nimport re\nstatus = open('/proc/self/status').read()\n"
        "print(int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) // 1024)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    *before, peak = done.stdout.strip().splitlines()
    return float(peak), before[-1] if before else ""


# -- AIS --------------------------------------------------------------------------------------


def test_ais_gzip_bomb_of_one_endless_line_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """512 MiB of 'A' with no newline: refused at the first MiB, memory far below the inflated size."""
    bomb = gzip_bomb(tmp_path / "feed.nmea.gz", b"A", 512)
    assert bomb.stat().st_size < 2 << 20
    started = time.monotonic()
    peak, message = _peak_rss_mib(
        "from pathlib import Path\n"
        "from watchfloor.errors import InputError\n"
        "from watchfloor.sources.ais.reader import read_ais\n"
        "try:\n"
        f"    list(read_ais(Path({str(bomb)!r})))\n"
        "except InputError as error:\n"
        "    print(error)\n"
    )
    assert "feed.nmea.gz, line 1: line longer than 1,048,576 bytes" in message
    assert "WATCHFLOOR_MAX_RECORD_BYTES" in message
    assert peak < 250, f"peak memory {peak:.0f} MiB while refusing a 512 MiB line"
    assert time.monotonic() - started < 60


def test_ais_file_over_the_file_cap_is_refused(tmp_path: Path, caps: pytest.MonkeyPatch) -> None:
    """Real sentences, inflated past ``WATCHFLOOR_MAX_FILE_BYTES``: refused, naming the byte."""
    _cap(caps, "MAX_FILE_BYTES", 4 << 20)
    lines = NM4.read_bytes()
    bomb = tmp_path / "kystverket.nm4.gz"
    member = gzip.compress(lines)
    bomb.write_bytes(member * ((8 << 20) // len(lines) + 1))
    with pytest.raises(InputError, match=r"kystverket\.nm4\.gz, byte 4194304: more than 4,194,304 bytes"):
        list(read_ais(bomb))
    _cap(caps, "MAX_FILE_BYTES", 64 << 20)
    report = ReadReport(str(bomb))
    assert sum(b.positions.height for b in read_ais(bomb, report)) > 0  # under a larger cap it reads


@pytest.mark.parametrize("chunk_bytes", [1 << 10, 1 << 20])
@pytest.mark.parametrize("long_line", [3, 40])
def test_ais_line_over_the_record_cap_names_its_line(
    long_line: int, chunk_bytes: int, tmp_path: Path, caps: pytest.MonkeyPatch
) -> None:
    """A line over ``WATCHFLOOR_MAX_RECORD_BYTES``, whether it crosses a read or lies inside one."""
    _cap(caps, "MAX_RECORD_BYTES", 2000)
    lines = NM4.read_bytes().splitlines(keepends=True)[:60]
    lines[long_line - 1] = b"!" + b"x" * 2500 + b"\n"
    path = tmp_path / "feed.nm4"
    path.write_bytes(b"".join(lines))
    with pytest.raises(InputError, match=rf"feed\.nm4, line {long_line}: line longer than 2,000 bytes"):
        list(read_ais(path, chunk_bytes=chunk_bytes))


def test_ais_line_at_the_record_cap_is_read(tmp_path: Path, caps: pytest.MonkeyPatch) -> None:
    """A line of exactly the cap is kept (as a junk line, counted): the cap is not off by one."""
    _cap(caps, "MAX_RECORD_BYTES", 2000)
    lines = NM4.read_bytes().splitlines(keepends=True)[:60]
    lines[10] = b"x" * 2000 + b"\n"
    path = tmp_path / "feed.nm4"
    path.write_bytes(b"".join(lines))
    report = ReadReport(str(path))
    assert sum(b.positions.height for b in read_ais(path, report)) > 0
    assert report.causes["unparseable"] == 1


def test_ais_csv_row_over_the_record_cap(tmp_path: Path, caps: pytest.MonkeyPatch) -> None:
    _cap(caps, "MAX_RECORD_BYTES", 4096)
    csv_path = SHARED_DATA / "ais" / "noaa_marinecadastre_2022-01-03_first99999.csv.gz"
    with gzip.open(csv_path, "rb") as handle:
        rows = [handle.readline() for _ in range(30)]
    rows[20] = rows[20].rstrip(b"\n") + b"," + b"9" * 5000 + b"\n"
    path = tmp_path / "noaa.csv"
    path.write_bytes(b"".join(rows))
    with pytest.raises(InputError, match=r"noaa\.csv, line 21: line longer than 4,096 bytes"):
        list(read_ais(path))


# -- lists ------------------------------------------------------------------------------------


def test_list_gzip_bomb_is_refused_at_the_file_cap(tmp_path: Path, caps: pytest.MonkeyPatch) -> None:
    _cap(caps, "MAX_FILE_BYTES", 32 << 20)
    head = UN_LIST.read_bytes()[:4096]
    head = head[: head.index(b"<INDIVIDUALS>") + len(b"<INDIVIDUALS>")]  # a real UN list's start
    bomb = gzip_bomb(tmp_path / "un.xml.gz", b"\n" * 1024, 256, head=head)
    with pytest.raises(InputError, match=r"un\.xml\.gz, byte 33554432: more than 33,554,432 bytes"):
        list(read_list(bomb))


def test_list_file_over_the_file_cap_is_refused_before_parsing(caps: pytest.MonkeyPatch) -> None:
    _cap(caps, "MAX_FILE_BYTES", 1 << 20)
    assert UN_LIST.stat().st_size > 1 << 20
    with pytest.raises(InputError, match=r"UN_consolidated_2026-02-27\.xml: file is [\d,]+ bytes, over the"):
        list(read_list(UN_LIST))


# -- reports ----------------------------------------------------------------------------------


def test_report_over_the_report_cap(tmp_path: Path, caps: pytest.MonkeyPatch) -> None:
    _cap(caps, "MAX_REPORT_BYTES", 2048)
    assert FOUNDING_REPORT.stat().st_size > 2048
    with pytest.raises(InputError, match=r"ap_2024-10-29_dprk_troops_kursk\.txt: file is 2,651 bytes, over"):
        read_reports(FOUNDING_REPORT)


def test_jsonl_record_over_the_record_cap_is_listed_and_the_rest_read(
    tmp_path: Path, caps: pytest.MonkeyPatch
) -> None:
    _cap(caps, "MAX_RECORD_BYTES", 10_000)
    text = FOUNDING_REPORT.read_text(encoding="utf-8").split(" ", 2)[2]
    lines = [
        json.dumps({"date": "2024-10-29", "text": text, "source": "Associated Press"}),
        json.dumps({"date": "2024-10-30", "text": "Kim Jong Un met Sergei Shoigu. " * 500}),
        json.dumps({"date": "2024-10-31", "text": "Seoul summoned the Russian ambassador."}),
    ]
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = read_reports(path)
    assert [r.published.isoformat() for r in outcome.reports if r.published] == ["2024-10-29", "2024-10-31"]
    [error] = outcome.errors
    assert str(error).startswith(f"{path}, line 2: record over 10,000 characters")
