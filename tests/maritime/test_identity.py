"""Identity changes from static data: names, IMOs, call signs per MMSI; MMSIs and flags per IMO."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from watchfloor.maritime.config import load_detection_config
from watchfloor.maritime.identity import flag_of, static_identity_events
from watchfloor.sources.ais.schema import STATIC_SCHEMA

T0 = datetime(2024, 10, 1, tzinfo=UTC)


def static(rows: list[tuple[int, int, int | None, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"mmsi": m, "ts": T0 + timedelta(hours=h), "imo": imo, "name": name, "call_sign": call,
             "ship_type": 70, "destination": None, "msg_type": 5, "src_file": "s.nmea", "src_line": i + 1}
            for i, (m, h, imo, name, call) in enumerate(rows)
        ],
        schema=STATIC_SCHEMA,
    )  # fmt: skip


def test_name_padding_and_case_are_not_a_change() -> None:
    frame = static(
        [(273000001, 0, 9179842, "ANGARA@@@@", "UBQK7"), (273000001, 5, 9179842, "angara", "UBQK7 ")]
    )
    assert static_identity_events(frame, load_detection_config(None)) == []


def test_rename_and_reflag_are_reported_with_the_values_in_order() -> None:
    frame = static(
        [
            (273445890, 0, 9743033, "SPARTA IV", "UFRS4"),
            (273445890, 10, 9743033, "OCEAN GRACE", "UFRS4"),
            (457330210, 30, 9743033, "OCEAN GRACE", "JVSG5"),
        ]
    )
    events = static_identity_events(frame, load_detection_config(None))
    by_change = {e.details["change"]: e for e in events}
    assert set(by_change) == {"name", "mmsi_for_imo", "flag"}
    assert [v["value"] for v in by_change["name"].details["values"]] == ["SPARTA IV", "OCEAN GRACE"]
    assert by_change["flag"].details["flags"] == ["mn", "ru"]
    assert by_change["mmsi_for_imo"].details["mmsis"] == [273445890, 457330210]
    assert [p.src_line for p in by_change["name"].positions] == [1, 2]


def test_flag_of_unknown_mid_names_the_digits() -> None:
    assert flag_of(445120003) == "kp"
    assert flag_of(999000001) == "mid:999"


def test_the_mid_table_is_the_itu_one(shared_data: Path) -> None:
    """Ship MIDs seen in the real NOAA and DMA files map to a flag, the US MIDs included, and
    YAML's "no" (Norway) stays a country code. Of 12,597 ship MMSIs, 10 carry a MID the ITU has not
    allocated (221, 349, 360, 365, 386, 388, 444, 499, 583: misconfigured transponders); they are
    reported by number, never guessed."""
    import gzip

    from watchfloor.maritime.identity import mid_flags

    table = mid_flags()
    assert {table[m] for m in ("303", "338", "366", "367", "368", "369")} == {"us"}
    assert (table["257"], table["273"], table["445"], table["636"]) == ("no", "ru", "kp", "lr")
    assert all(len(v) == 2 and v.isalpha() and v.islower() for v in table.values())
    assert all(201 <= int(m) <= 775 for m in table)
    seen: set[str] = set()
    for name in ("noaa_marinecadastre_2022-01-03_first99999.csv.gz", "dma_aisdk_2022-09-17_10k.csv.gz"):
        with gzip.open(shared_data / "ais" / name, "rt", encoding="utf-8") as handle:
            header = handle.readline().lower().replace("#", "").strip().split(",")
            col = header.index("mmsi")
            for line in handle:
                mmsi = line.split(",")[col].strip()
                if len(mmsi) == 9 and mmsi[0] in "234567":
                    seen.add(mmsi)
    unknown = sorted({m[:3] for m in seen if flag_of(int(m)).startswith("mid:")})
    assert len(seen) > 12_000 and len(unknown) <= 10
    assert "221" in unknown and "366" not in unknown and flag_of(221000000) == "mid:221"
