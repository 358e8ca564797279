"""The vectorised NMEA decoder against pyais, on encoded and on published real sentences, and its
handling of every kind of malformed input (counted by cause, never fatal)."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tests.sources.ais.ais_samples import (
    encode,
    pyais_reference,
    random_lines,
    tag_block,
    with_checksum,
)
from watchfloor.sources.ais.batch import AisBatch
from watchfloor.sources.ais.nmea import NmeaDecoder, decode_nmea_lines, read_nmea
from watchfloor.sources.ais.report import Cause, ReadReport
from watchfloor.sources.ais.schema import POSITION_SCHEMA, STATIC_SCHEMA

FIXTURES = Path(__file__).parent / "fixtures"
T0 = 1_730_181_600  # 2024-10-29 06:00:00 UTC


def _na(value: Any, limit: float) -> Any:
    """pyais reports "not available" as the sentinel value; watchfloor as null."""
    return None if value is None or float(value) >= limit else float(value)


def _text(value: Any) -> str | None:
    return value or None


def assert_same_as_pyais(lines: list[str], batch: AisBatch) -> int:
    """Every message pyais decodes from ``lines`` is decoded the same by watchfloor (or dropped
    for a counted reason), and watchfloor has no row pyais does not; returns messages compared."""
    reference = pyais_reference(lines)
    positions = {row["src_line"]: row for row in batch.positions.iter_rows(named=True)}
    static = {row["src_line"]: row for row in batch.static.iter_rows(named=True)}
    compared = 0
    for line, msg in reference.items():
        kind = int(msg.msg_type)
        off_globe = False
        if kind in (1, 2, 3, 18, 19, 27):
            off_globe = (
                msg.lat is None  # pyais could not read the position (too few bits)
                or msg.lon is None
                or abs(msg.lat) > 90
                or abs(msg.lon) > 180
                or (msg.lat == 0 and msg.lon == 0)
            )
            if off_globe:
                assert line not in positions, f"line {line}: impossible position kept"
        if kind in (1, 2, 3, 18, 19, 27) and not off_globe:
            row = positions.pop(line)
            assert row["mmsi"] == int(msg.mmsi)
            assert row["msg_type"] == kind
            assert math.isclose(row["lat"], msg.lat, abs_tol=1e-6), (line, row, msg)
            assert math.isclose(row["lon"], msg.lon, abs_tol=1e-6), (line, row, msg)
            sog_na, cog_na = (63, 511) if kind == 27 else (102.3, 360)
            sog = _na(msg.speed, sog_na)
            cog = _na(msg.course, cog_na)
            assert (row["sog"] is None) == (sog is None) and (
                sog is None or math.isclose(row["sog"], sog, abs_tol=1e-4)
            )
            assert (row["cog"] is None) == (cog is None) and (
                cog is None or math.isclose(row["cog"], cog, abs_tol=1e-4)
            )
            if kind != 27:
                assert row["heading"] == _na(msg.heading, 360)
            compared += 1
        if kind == 24 and msg.partno is None:  # too short for pyais to read the part number
            assert line not in static
        elif kind in (5, 19, 24):
            row = static.pop(line)
            assert row["mmsi"] == int(msg.mmsi)
            if kind == 5:
                assert row["imo"] == (int(msg.imo) or None)
                assert row["call_sign"] == _text(msg.callsign)
                assert row["name"] == _text(msg.shipname)
                assert row["destination"] == _text(msg.destination)
                assert row["ship_type"] == (int(msg.ship_type) or None)
            elif kind == 19 or (kind == 24 and msg.partno == 0):
                assert row["name"] == _text(msg.shipname)
            else:
                assert row["call_sign"] == _text(msg.callsign)
                assert row["ship_type"] == (int(msg.ship_type) or None)
            compared += 1
    assert not positions, f"rows pyais does not decode: {sorted(positions)[:5]}"
    assert not static, f"static rows pyais does not decode: {sorted(static)[:5]}"
    return compared


def test_encoded_messages_of_every_type_decode_as_pyais_does() -> None:
    lines = random_lines(3000, seed=11)
    batch, report = decode_nmea_lines(lines, drop_duplicates=False)  # pyais keeps repeats
    compared = assert_same_as_pyais(lines, batch)
    assert compared > 2000
    assert set(batch.positions["msg_type"].unique()) == {1, 2, 3, 18, 19, 27}
    assert set(batch.static["msg_type"].unique()) == {5, 19, 24}
    assert report.causes[Cause.IMPOSSIBLE_POSITION] > 0  # 91/181 and 0/0 were planted
    assert report.dropped == report.causes[Cause.IMPOSSIBLE_POSITION]


def test_published_sentences_decode_as_pyais_does() -> None:
    """Real sentences from pyais's own test-suite (see fixtures/README.md), given receiver times."""
    raw = (FIXTURES / "pyais_published.nmea").read_text().splitlines()
    lines = [line if line.startswith("\\") else tag_block(T0 + i) + line for i, line in enumerate(raw)]
    batch, report = decode_nmea_lines(lines, drop_duplicates=False)  # pyais keeps repeats
    assert assert_same_as_pyais(lines, batch) > 50
    assert report.causes[Cause.BAD_CHECKSUM] > 0
    assert report.causes[Cause.UNSUPPORTED_TYPE] > 0


def test_frames_have_the_shared_schema_and_provenance() -> None:
    lines = random_lines(200, seed=3)
    batch, _ = decode_nmea_lines(lines, src_file="feed.nmea")
    assert dict(batch.positions.schema) == POSITION_SCHEMA
    assert dict(batch.static.schema) == STATIC_SCHEMA
    assert set(batch.positions["src_file"].cast(pl.String)) == {"feed.nmea"}
    # src_line points at the very line the message came from (the first line of a multi-part one)
    reference = pyais_reference(lines)
    for row in batch.positions.head(50).iter_rows(named=True):
        assert reference[row["src_line"]].mmsi == row["mmsi"]


def test_timestamp_layouts() -> None:
    msg = {
        "type": 1,
        "mmsi": 273111111,
        "lat": 42.5,
        "lon": 131.25,
        "speed": 5.0,
        "course": 10.0,
        "heading": 9,
    }
    sentence = encode(msg)[0]
    lines = [
        tag_block(T0) + sentence,  # tag block, seconds
        "\\c:1730181601000*" + format(_xor("c:1730181601000"), "02X") + "\\" + sentence,  # milliseconds
        "2024-10-29 06:00:02," + sentence,  # log time before
        "2024-10-29T06:00:03.500Z " + sentence,
        "1730181604.25;" + sentence,  # epoch before
        "2024-10-29 09:00:06+03:00 " + sentence,  # a zone offset (Moscow time)
        sentence + ",1730181605",  # epoch after
        sentence,  # no time at all
    ]
    batch, report = decode_nmea_lines(lines, drop_duplicates=False)  # one payload, many layouts
    stamps = [ts.timestamp() for ts in batch.positions.sort("src_line")["ts"]]
    assert stamps == [T0, T0 + 1, T0 + 2, T0 + 3.5, T0 + 4.25, T0 + 6, T0 + 5]
    assert report.causes[Cause.NO_TIMESTAMP] == 1


def _xor(text: str) -> int:
    value = 0
    for char in text.encode():
        value ^= char
    return value


def test_malformed_input_is_counted_by_cause_and_the_rest_decoded() -> None:
    rng = random.Random(7)
    good = {
        "type": 1,
        "mmsi": 273222222,
        "lat": 43.1,
        "lon": 131.9,
        "speed": 1.0,
        "course": 2.0,
        "heading": 3,
    }
    ok = encode(good)[0]
    static = encode(
        {
            "type": 5,
            "mmsi": 273222222,
            "imo": 9179842,
            "shipname": "ANGARA",
            "callsign": "UBCT5",
            "ship_type": 70,
            "destination": "RAJIN",
        },
        seq_id=3,
    )
    assert len(static) == 2
    bad_checksum = ok[:-2] + format((int(ok[-2:], 16) + 1) % 256, "02X")
    payload = ok.split(",")[5]
    flipped = payload[:10] + ("0" if payload[10] != "0" else "1") + payload[11:]
    corrupted = ok.replace(payload, flipped)  # a radio bit error: checksum no longer matches
    at_zero = encode({**good, "lat": 0.0, "lon": 0.0})[0]
    not_available = encode({**good, "lat": 91.0, "lon": 181.0})[0]
    base_station = encode({"type": 4, "mmsi": 2734000, "lat": 43.0, "lon": 132.0})[0]
    junk = bytes(rng.randrange(256) for _ in range(300)).decode("latin-1").replace("\n", "")
    bad_tag = "\\s:x,c:1730181600*00\\" + ok
    lines = [
        tag_block(T0) + ok,
        tag_block(T0 + 1) + bad_checksum,
        tag_block(T0 + 2) + corrupted,
        tag_block(T0 + 3) + static[1],  # second part with no first: orphan
        tag_block(T0 + 4) + static[0],  # first part whose second never comes: truncated ...
        tag_block(T0 + 5) + static[0],  # ... because a new first part replaces it
        tag_block(T0 + 6) + static[1],  # now complete
        tag_block(T0 + 7) + at_zero,
        tag_block(T0 + 8) + not_available,
        tag_block(T0 + 9) + base_station,
        junk,
        "\x00\x00\xff\xfe!!!,,,**",
        "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47",
        "",
        bad_tag,
        tag_block(T0 + 10) + with_checksum("AIVDM,1,1,,A,,0"),  # empty payload
        tag_block(T0 - 3600) + ok,  # an hour earlier than the same ship's first report
        tag_block(T0 + 11) + static[0],  # truncated at end of input
    ]
    batch, report = decode_nmea_lines(lines)
    causes = report.causes
    assert causes[Cause.BAD_CHECKSUM] == 2  # flipped checksum, stale checksum
    assert causes[Cause.TAG_CHECKSUM] == 1  # bad tag-block checksum on a good sentence: kept, flagged
    assert causes[Cause.ORPHAN_FRAGMENT] == 1
    assert causes[Cause.TRUNCATED_MESSAGE] == 2
    assert causes[Cause.IMPOSSIBLE_POSITION] == 2
    assert causes[Cause.UNSUPPORTED_TYPE] == 1
    assert causes[Cause.UNPARSEABLE] == 2  # binary junk, junk with '!'
    assert causes[Cause.OTHER_SENTENCE] == 1  # a GPS sentence
    assert causes[Cause.BAD_PAYLOAD] == 1
    assert causes[Cause.OUT_OF_ORDER] == 1
    assert batch.positions["src_line"].to_list() == [1, 17]
    assert batch.static["src_line"].to_list() == [6]
    assert batch.static.row(0, named=True)["name"] == "ANGARA"
    assert report.lines == len(lines)


def test_multi_part_messages_join_across_block_edges(tmp_path: Path) -> None:
    lines = random_lines(1500, seed=21)
    path = tmp_path / "feed.nmea"
    path.write_text("\n".join(lines) + "\n")
    whole = AisBatch.concat(list(read_nmea(path, src_file="feed")))
    small_report = ReadReport("feed")
    pieces = list(read_nmea(path, small_report, chunk_bytes=4096, src_file="feed"))
    assert len(pieces) > 20
    chunked = AisBatch.concat(pieces)
    assert chunked.positions.equals(whole.positions)
    assert chunked.static.equals(whole.static)
    assert small_report.causes[Cause.TRUNCATED_MESSAGE] == 0
    assert small_report.causes[Cause.ORPHAN_FRAGMENT] == 0


def test_windows_line_ends_and_padding_are_tolerated() -> None:
    lines = random_lines(50, seed=2)
    plain, _ = decode_nmea_lines(lines)
    crlf, report = decode_nmea_lines(["  " + line + " \r" for line in lines])
    assert crlf.positions.drop("src_file").equals(plain.positions.drop("src_file"))
    assert report.causes[Cause.UNPARSEABLE] == 0


@pytest.mark.parametrize("talker", ["AIVDO", "BSVDM", "ABVDM"])
def test_other_talkers_and_own_ship_reports(talker: str) -> None:
    sentence = encode(
        {"type": 18, "mmsi": 273333333, "lat": 42.0, "lon": 132.0, "speed": 3.0, "course": 4.0}
    )[0]
    body = sentence[1 : sentence.index("*")].replace("AIVDM", talker)
    batch, _ = decode_nmea_lines([tag_block(T0) + with_checksum(body)])
    assert batch.positions["mmsi"].to_list() == [273333333]


def test_decoder_state_does_not_grow_with_input() -> None:
    decoder = NmeaDecoder("feed")
    for seed in range(3):
        decoder.decode_lines(random_lines(500, seed=seed))
    assert len(decoder._pending) <= 40  # at most one open message per talker, seq id, channel, count


def test_gzipped_logs_read_like_plain_ones(tmp_path: Path) -> None:
    import gzip

    from watchfloor.sources.ais.reader import AisFormat, detect_format, read_ais

    text = "\n".join(random_lines(300, seed=8)) + "\n"
    plain, packed = tmp_path / "feed.nmea", tmp_path / "feed.nmea.gz"
    plain.write_text(text)
    packed.write_bytes(gzip.compress(text.encode()))
    assert detect_format(packed) is AisFormat.NMEA
    a = AisBatch.concat(list(read_ais(plain, src_file="feed")))
    b = AisBatch.concat(list(read_ais(packed, src_file="feed")))
    assert a.positions.height > 0 and a.positions.equals(b.positions) and a.static.equals(b.static)
