"""The AIS inbox on real files: taken once, filed as done or failed, nothing ingested twice."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from watchfloor.service.app import Watchfloor
from watchfloor.service.maritime import ingest_ais
from watchfloor.store.ais import ingest_file, scan_positions
from watchfloor.store.models import WatchFile
from watchfloor.watch.inbox import Inbox

DRIFT = "dma_aisabnormal_drift_212123000_2014-10-02.nmea.gz"
KYST = "kystverket_ais1000lines_2019-08-07.nm4"


def _inbox(service: Watchfloor) -> Inbox:
    settings = service.settings
    assert settings.watch_inbox is not None
    return Inbox(settings.watch_inbox, service.store, settings.data_dir, settle_s=0)


def _ingest(service: Watchfloor):  # type: ignore[no-untyped-def]
    return lambda path: ingest_ais(path, service.data_dir).as_dict()


def _rows(data_dir: Path) -> int:
    return int(scan_positions(data_dir).select("mmsi").collect().height)


def _expected_rows(source: Path, tmp: Path) -> int:
    return ingest_file(source, tmp).report.positions


def test_good_and_bad_files_are_filed_and_recorded(
    service: Watchfloor, shared_data: Path, tmp_path: Path
) -> None:
    inbox = _inbox(service)
    inbox.folder.mkdir(parents=True)
    shutil.copy(shared_data / "ais" / KYST, inbox.folder / KYST)
    (inbox.folder / "junk.nmea").write_bytes(b"\x00\x01 this is not AIS\n")
    result = inbox.sweep(_ingest(service))
    assert result.done == [KYST] and result.failed == ["junk.nmea"] and result.new_data
    assert sorted(p.name for p in inbox.folder.iterdir() if p.is_file()) == []
    assert (inbox.done_dir / KYST).is_file()
    assert (inbox.failed_dir / "junk.nmea").is_file()
    note = json.loads((inbox.failed_dir / "junk.nmea.error.json").read_text())
    assert "failed/junk.nmea" in note["error"] and "neither NMEA" in note["error"]
    expected = _expected_rows(shared_data / "ais" / KYST, tmp_path / "reference")
    assert expected > 0 and _rows(service.data_dir) == expected
    with service.session() as session:
        states = {row.name: row.state for row in session.scalars(select(WatchFile))}
        done = session.scalars(select(WatchFile).where(WatchFile.name == KYST)).one()
    assert states == {KYST: "done", "junk.nmea": "failed"}
    assert done.detail["positions"] == expected
    assert done.detail["path"] == str((inbox.done_dir / KYST).resolve())


def test_the_same_bytes_are_never_ingested_twice(service: Watchfloor, shared_data: Path) -> None:
    inbox = _inbox(service)
    inbox.folder.mkdir(parents=True)
    shutil.copy(shared_data / "ais" / DRIFT, inbox.folder / DRIFT)
    inbox.sweep(_ingest(service))
    rows = _rows(service.data_dir)
    parts = sorted((service.data_dir / "ais").rglob("*.parquet"))
    shutil.copy(shared_data / "ais" / DRIFT, inbox.folder / "renamed-copy.nmea.gz")
    shutil.copy(shared_data / "ais" / DRIFT, inbox.folder / DRIFT)  # same name again: done/ has it
    again = inbox.sweep(_ingest(service))
    assert sorted(again.duplicates) == sorted(["renamed-copy.nmea.gz", DRIFT]) and not again.done
    assert _rows(service.data_dir) == rows
    assert sorted((service.data_dir / "ais").rglob("*.parquet")) == parts
    assert len(list(inbox.done_dir.iterdir())) == 3  # the second same-named copy kept under a new name
    assert not again.new_data


def test_a_new_file_under_an_old_name_adds_rows(
    service: Watchfloor, shared_data: Path, tmp_path: Path
) -> None:
    """Receivers write ``latest.nmea`` again and again: each content is kept, none replaces another."""
    inbox = _inbox(service)
    inbox.folder.mkdir(parents=True)
    lines = (shared_data / "ais" / KYST).read_text().splitlines(keepends=True)
    first, second = "".join(lines[:500]), "".join(lines[500:])
    (inbox.folder / "latest.nm4").write_text(first)
    inbox.sweep(_ingest(service))
    (inbox.folder / "latest.nm4").write_text(second)
    inbox.sweep(_ingest(service))
    (tmp_path / "whole.nm4").write_text(first + second)
    whole = _expected_rows(tmp_path / "whole.nm4", tmp_path / "reference")
    # each half decoded on its own can lose at most the multi-part messages cut at the seam
    assert whole - 2 <= _rows(service.data_dir) <= whole
    assert len(list(inbox.done_dir.iterdir())) == 2


def test_a_file_still_being_written_is_left_alone(service: Watchfloor, shared_data: Path) -> None:
    settings = service.settings
    assert settings.watch_inbox is not None
    inbox = Inbox(settings.watch_inbox, service.store, settings.data_dir, settle_s=60)
    inbox.folder.mkdir(parents=True)
    shutil.copy(shared_data / "ais" / DRIFT, inbox.folder / DRIFT)
    (inbox.folder / "copying.nmea.part").write_text("!AIVDM")
    (inbox.folder / ".hidden.nmea").write_text("!AIVDM")
    result = inbox.sweep(_ingest(service))
    assert result.waiting == 1 and not result.done
    assert (inbox.folder / DRIFT).is_file()
    old = time.time() - 120
    os.utime(inbox.folder / DRIFT, (old, old))
    result = inbox.sweep(_ingest(service))
    assert result.done == [DRIFT]
    assert (inbox.folder / "copying.nmea.part").is_file() and (inbox.folder / ".hidden.nmea").is_file()


def test_a_file_left_ingesting_by_a_crash_is_finished_on_the_next_sweep(
    service: Watchfloor, shared_data: Path, tmp_path: Path
) -> None:
    inbox = _inbox(service)
    inbox.folder.mkdir(parents=True)
    shutil.copy(shared_data / "ais" / DRIFT, inbox.folder / DRIFT)

    def crash(path: Path) -> dict[str, object]:
        raise KeyboardInterrupt  # stands for the process dying mid-ingest: not caught as a bad file

    with pytest.raises(KeyboardInterrupt):
        inbox.sweep(crash)
    with service.session() as session:
        assert session.scalars(select(WatchFile.state)).one() == "ingesting"
    result = inbox.sweep(_ingest(service))
    assert result.resumed == [DRIFT] and result.done == [DRIFT]
    assert _rows(service.data_dir) == _expected_rows(shared_data / "ais" / DRIFT, tmp_path / "reference")
