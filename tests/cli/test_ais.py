"""``watchfloor ais ingest``: counts by cause, idempotent re-runs, folders, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sources" / "ais"))
from tests.sources.ais.ais_samples import random_lines

MARINECADASTRE = (
    "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,"
    "Draft,Cargo,TransceiverClass"
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real ``watchfloor`` entry point in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "watchfloor.cli.app", *args], capture_output=True, text=True, timeout=300
    )


def _inputs(folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    nmea = folder / "feed.nmea"
    nmea.write_bytes(
        "\n".join(random_lines(400, seed=9)).encode() + b"\n\x00\xff junk\n!AIVDM,1,1,,A,,0*00\n"
    )
    csv = folder / "AIS_2024_10_29.csv"
    csv.write_text(
        "\n".join(
            [
                MARINECADASTRE,
                "273123456,2024-10-29T06:00:00,42.5,130.3,10.1,45.0,511,ANGARA,IMO9179842,UBCT5,70,0,1,1,1,70,A",
                "273123456,2024-10-29T06:05:00,0,0,10.1,45.0,44,ANGARA,IMO9179842,UBCT5,70,0,1,1,1,70,A",
            ]
        )
        + "\n"
    )
    return nmea, csv


def test_ingest_reports_counts_by_cause_as_json(tmp_path: Path) -> None:
    nmea, csv = _inputs(tmp_path / "in")
    data = tmp_path / "data"
    result = run("ais", "ingest", str(nmea), str(csv), "--data-dir", str(data), "--json")
    assert result.returncode == 0, result.stderr
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    assert files["feed.nmea"]["format"] == "nmea"
    assert files["feed.nmea"]["causes"]["unparseable"] == 1
    assert files["feed.nmea"]["causes"]["bad_checksum"] == 1
    assert files["feed.nmea"]["positions"] > 0
    assert files["AIS_2024_10_29.csv"]["causes"]["impossible_position"] == 1
    assert files["AIS_2024_10_29.csv"]["positions"] == 1
    assert (data / "ais" / "positions" / "day=2024-10-29").is_dir()

    again = json.loads(run("ais", "ingest", str(tmp_path / "in"), "--data-dir", str(data), "--json").stdout)
    assert [f["skipped"] for f in again["files"]] == [True, True]
    assert sorted(f["positions"] for f in again["files"]) == sorted(f["positions"] for f in files.values())


def test_ingest_prints_tables_for_people(tmp_path: Path) -> None:
    nmea, _ = _inputs(tmp_path / "in")
    result = run("ais", "ingest", str(nmea), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert "feed.nmea" in result.stdout and "unparseable" in result.stdout and "dropped" in result.stdout


def test_a_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    result = run("ais", "ingest", str(tmp_path / "absent.nmea"), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 1
    message = " ".join(result.stderr.split())  # rich wraps long lines at the terminal width
    assert "absent.nmea" in message and "no such file" in message and "Traceback" not in message
