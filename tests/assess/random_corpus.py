"""A seeded random evidence corpus, SYNTHETIC, built in memory in the assessment's record types.

Texts are real report texts (the extraction fixtures and the founding AP report) cut into
sentences and recombined, with syndicated near-copies; events, claims, grades, stances, dates
(some missing), reviews and maritime events (listed and unlisted port calls, encounters) are
drawn at random so that every branch of the status rule and every way evidence can arrive late
is exercised. It is test input only and never evidence of anything.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from watchfloor.assess.evidence import ClaimRecord, DocumentInfo, EventRecord, Evidence, MaritimeRecord, Span
from watchfloor.model.stance import Stance

ROOT = Path(__file__).resolve().parents[2]
TEXT_FILES = [
    *sorted((ROOT / "tests" / "extract" / "fixtures").glob("*.txt")),
    ROOT.parent / "shared" / "data" / "reports" / "ap_2024-10-29_dprk_troops_kursk.txt",
]
OUTLETS = [
    "Reuters",
    "Associated Press",
    "Yonhap",
    "BBC News",
    "NK News",
    "38 North",
    "KCNA",
    "Kyiv Independent",
]
EVENT_SHAPES = [
    ("arms_transfer", "kp", "ru", "artillery shells", "Rajin"),
    ("arms_transfer", "kp", "ru", "containers of munitions", None),
    ("arms_transfer", "kp", "ru", "ballistic missiles", "Vostochny"),
    ("troop_deployment", "kp", "ru", "troops", "Kursk"),
    ("troop_deployment", "kp", None, "soldiers", "the Far East"),
    ("military_cooperation", "kp", "ru", "soldiers killed in fighting", "Kursk"),
    ("technology_transfer", "ru", "kp", "satellite technology", None),
    ("sanctions_evasion", "kp", "ru", "payments through a bank", None),
    ("sanctions_evasion", "kp", "ru", "ship-to-ship transshipment", None),
    ("sanctions_evasion", None, None, "vessel called at", "Rajin"),
    ("denial", "kp", None, "arms shipments", None),
    ("FIGHT", "kp", "ua", None, "Kursk"),
]
PORTS = ["Rajin", "Chongjin", "Dunai", "Vostochny", "Vladivostok", "Busan"]


def _sentences() -> list[str]:
    found: list[str] = []
    for path in TEXT_FILES:
        text = " ".join(path.read_text(encoding="utf-8").split())
        found.extend(s.strip() + "." for s in text.split(". ") if len(s) > 50)
    return found


def corpus(seed: int, documents: int = 60, days: int = 90) -> Evidence:
    """A random evidence snapshot (SYNTHETIC test input)."""
    rng = random.Random(seed)
    sentences = _sentences()
    start = date(2024, 6, 1)
    docs: dict[str, DocumentInfo] = {}
    stories: list[tuple[str, date | None]] = []
    for i in range(documents):
        published: date | None = start + timedelta(days=rng.randrange(days))
        if rng.random() < 0.08:
            published = None
        if stories and rng.random() < 0.25:  # a syndicated copy of an earlier story
            text, first = rng.choice(stories)
            text = text + " Reporting by staff."
            if first and published and rng.random() < 0.7:
                published = first + timedelta(days=rng.randrange(3))
        else:
            text = " ".join(rng.sample(sentences, 6))
            stories.append((text, published))
        meta: dict[str, object] = {"wire": "Associated Press"} if rng.random() < 0.1 else {}
        source = rng.choice(OUTLETS) if rng.random() < 0.5 else f"Outlet {i}"
        doc = DocumentInfo(
            f"doc{i:03d}", source, rng.choice("ABCDF"), None, published, "random-corpus", None, meta, text
        )
        docs[doc.id] = doc

    shapes = [(f"evt{i:03d}", rng.choice(EVENT_SHAPES)) for i in range(documents // 3)]
    claims: dict[str, list[ClaimRecord]] = {eid: [] for eid, _ in shapes}
    for doc in docs.values():
        for j in range(rng.randrange(1, 4)):
            event_id = rng.choice(shapes)[0]
            sentence = rng.choice([s + "." for s in doc.text.split(". ")])
            offset = doc.text.find(sentence.rstrip("."))
            claimed = start + timedelta(days=rng.randrange(days)) if rng.random() < 0.5 else None
            stance = rng.choice([Stance.ASSERTS] * 4 + [Stance.ACCUSES, Stance.SPECULATES, Stance.DENIES])
            claims[event_id].append(
                ClaimRecord(
                    id=f"clm-{doc.id}-{j}",
                    event_id=event_id,
                    document_id=doc.id,
                    speaker=rng.choice(["officials", "Kirby", "the ministry", "analysts"]),
                    speaker_actor=rng.choice([None, None, "us", "kp", "ru"]),
                    stance=stance,
                    hedged=rng.random() < 0.3,
                    reliability=rng.choice("AABBCDF"),
                    credibility=rng.randrange(1, 7),
                    claimed_on=claimed,
                    reported_on=doc.published or claimed,
                    spans=(Span(f"prov-{doc.id}-{j}", doc.id, offset, offset + len(sentence), sentence),),
                )
            )
    events: list[EventRecord] = []
    for event_id, (type_, source, target, obj, place) in shapes:
        if not claims[event_id]:
            continue
        status = rng.choice(["extracted"] * 8 + ["confirmed", "rejected"])
        on = start + timedelta(days=rng.randrange(days)) if rng.random() < 0.5 else None
        events.append(
            EventRecord(
                event_id, type_, source, target, obj, place, on, on, None, status,
                tuple(sorted(claims[event_id], key=lambda c: c.id)),
            )
        )  # fmt: skip

    maritime: list[MaritimeRecord] = []
    vessels = [(273000000 + v, 9000000 + v, rng.random() < 0.7) for v in range(6)]
    for k in range(documents // 4):
        mmsi, imo, listed = rng.choice(vessels)
        when = datetime.combine(start + timedelta(days=rng.randrange(days)), datetime.min.time(), UTC)
        when += timedelta(hours=rng.randrange(24))
        kind = "encounter" if rng.random() < 0.25 else "port_visit"
        other = mmsi + 1 if kind == "encounter" else None
        port = rng.choice(PORTS) if kind == "port_visit" else None
        entries = (f"list-{imo}",) if listed else ()
        maritime.append(
            MaritimeRecord(
                f"mev{k:03d}", kind, mmsi, other, imo, f"VESSEL {mmsi % 100}",
                when, when + timedelta(hours=6), None, None, port, entries, {},
            )
        )  # fmt: skip
    maritime.sort(key=lambda m: (m.start, m.id))
    return Evidence(None, sorted(events, key=lambda e: e.id), maritime, docs)
