"""Build real-format AIS sentences for the tests, and decode them with pyais as the reference.

Sentences are encoded by pyais's own encoder (``pyais.encode_dict``) from seeded random field
values, so the NMEA is exactly what a transponder sends; the tests then compare watchfloor's
vectorised decoder with pyais's decoder, message by message, on the very same lines.
"""

from __future__ import annotations

import functools
import operator
import random
from typing import Any

import pyais
from pyais.messages import NMEAMessage

POSITION_TYPES = (1, 2, 3, 18, 19, 27)


def checksum(text: str) -> int:
    """NMEA checksum: XOR of the characters."""
    return functools.reduce(operator.xor, text.encode("latin-1"), 0)


def tag_block(unix_seconds: int, station: str = "wf-test") -> str:
    """An NMEA 4.0 tag block with source station and receiver time, checksum included."""
    body = f"s:{station},c:{unix_seconds}"
    return f"\\{body}*{checksum(body):02X}\\"


def with_checksum(body: str) -> str:
    """``!<body>*hh`` with the right checksum (``body`` without the leading '!')."""
    return f"!{body}*{checksum(body):02X}"


def random_message(rng: random.Random, mmsi: int) -> dict[str, Any]:
    """Field values for one message of a supported type, sometimes at the edges of their ranges."""
    kind = rng.choice([1, 2, 3, 18, 19, 27, 5, 24, 24])
    lat = rng.choice([rng.uniform(-90, 90), rng.uniform(35, 45), 91.0, 0.0, -89.999])
    lon = rng.choice([rng.uniform(-180, 180), rng.uniform(128, 140), 181.0, 0.0, 179.999])
    if lat == 0.0 and rng.random() < 0.5:
        lon = 0.0
    msg: dict[str, Any] = {"type": kind, "msg_type": kind, "mmsi": mmsi}
    if kind in (1, 2, 3, 18, 19):
        msg.update(
            lat=lat,
            lon=lon,
            speed=rng.choice([round(rng.uniform(0, 30), 1), 102.3, 0.0]),
            course=rng.choice([round(rng.uniform(0, 359.9), 1), 360.0]),
            heading=rng.choice([rng.randint(0, 359), 511]),
            second=rng.randint(0, 59),
        )
        if kind == 19:
            msg.update(
                shipname=rng.choice(["ANGARA", "LADY R", "SEA STAR 7", ""]), ship_type=rng.randint(0, 99)
            )
    elif kind == 27:
        msg.update(
            lat=round(lat, 2),
            lon=round(lon, 2),
            speed=rng.choice([rng.randint(0, 62), 63]),
            course=rng.choice([rng.randint(0, 359), 511]),
        )
    elif kind == 5:
        msg.update(
            imo=rng.choice([9179842, 9161003, 0, rng.randint(1_000_000, 9_999_999)]),
            callsign=rng.choice(["UBCT5", "UGRT", "", "D5AB7"]),
            shipname=rng.choice(["ANGARA", "MAIA-1", "SPARTA IV", "A VERY LONG SHIP NAME", ""]),
            ship_type=rng.randint(0, 99),
            destination=rng.choice(["RAJIN", "VOSTOCHNY", "DUNAI", ""]),
        )
    else:
        part = rng.randint(0, 1)
        msg.update(partno=part)
        if part == 0:
            msg.update(shipname=rng.choice(["ANGARA", "LADY R", ""]))
        else:
            msg.update(callsign=rng.choice(["UBCT5", "", "ABC"]), ship_type=rng.randint(0, 99))
    return msg


def encode(msg: dict[str, Any], seq_id: int = 0) -> list[str]:
    """The NMEA sentence(s) of one message (multi-part for long ones, as a transponder sends)."""
    return list(pyais.encode_dict(msg, talker_id="AI", sentence_type="VDM", radio_channel="B", seq_id=seq_id))


def random_lines(count: int, seed: int = 5, start: int = 1_730_181_600) -> list[str]:
    """``count`` messages of every supported type, each sentence with a tag block time."""
    rng = random.Random(seed)
    lines: list[str] = []
    for i in range(count):
        msg = random_message(rng, 273_000_000 + rng.randint(0, 999))
        for sentence in encode(msg, seq_id=i % 10):
            lines.append(tag_block(start + i) + sentence)
    return lines


def pyais_reference(lines: list[str]) -> dict[int, Any]:
    """pyais's decoding of each complete, checksum-valid message, keyed by its first line (1-based).

    Fragments are joined the way receivers send them: a first part opens a message, the next
    parts must follow in order with the same sequence id, channel and count.
    """
    decoded: dict[int, Any] = {}
    pending: dict[tuple[Any, ...], tuple[int, list[NMEAMessage]]] = {}
    for number, line in enumerate(lines, start=1):
        at = line.find("!")
        if at < 0:
            continue
        try:
            msg = NMEAMessage(_sentence(line[at:]).encode())
        except Exception:
            continue
        if not msg.is_valid:
            continue
        if msg.frag_cnt == 1:
            _store(decoded, number, [msg])
            continue
        key = (msg.seq_id, msg.channel, msg.frag_cnt, msg.talker)
        if msg.frag_num == 1:
            pending[key] = (number, [msg])
        elif key in pending and len(pending[key][1]) == msg.frag_num - 1:
            pending[key][1].append(msg)
            if len(pending[key][1]) == msg.frag_cnt:
                first, parts = pending.pop(key)
                _store(decoded, first, parts)
    return decoded


def _sentence(text: str) -> str:
    """The sentence without anything logged after its checksum."""
    star = text.find("*")
    return text[: star + 3] if star >= 0 else text


def _store(decoded: dict[int, Any], number: int, parts: list[NMEAMessage]) -> None:
    try:
        message = parts[0].decode() if len(parts) == 1 else NMEAMessage.assemble_from_iterable(parts).decode()
    except Exception:
        return
    decoded[number] = message
