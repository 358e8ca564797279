"""Independence without pairwise comparison: the blocked index finds what comparing every pair finds."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from rapidfuzz import fuzz

from watchfloor.assess.independence import TEXT_PREFIX, IndependenceIndex, _norm

ROOT = Path(__file__).resolve().parents[2]
FOUNDING = ROOT.parent / "shared" / "data" / "reports" / "ap_2024-10-29_dprk_troops_kursk.txt"
TEXTS = [*sorted((ROOT / "tests" / "extract" / "fixtures").glob("*.txt")), FOUNDING]


@dataclass(frozen=True)
class Doc:
    id: str
    source: str | None
    origin: str
    published: date | None
    text: str
    meta: dict[str, object] = field(default_factory=dict)


def _variant(text: str, rng: random.Random) -> str:
    """A copy of a real report as syndication makes them: a new lede, a tail, a few words changed."""
    words = text.split()
    for _ in range(rng.randrange(0, 4)):
        words[rng.randrange(len(words))] = rng.choice(["said", "reported", "officials", "Tuesday"])
    body = " ".join(words)
    choice = rng.random()
    if choice < 0.3:
        return "SEOUL (Agency) - " + body
    if choice < 0.6:
        return body + " Reporting by a staff writer; editing by the desk."
    return body


def _corpus(seed: int) -> list[Doc]:
    rng = random.Random(seed)
    docs: list[Doc] = []
    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 60))
        docs.append(Doc(f"{path.stem}-0", path.stem, str(path), day, text))
        for copy in range(1, rng.randrange(2, 5)):
            shifted = day + timedelta(days=rng.choice([0, 1, 3, 20]))
            docs.append(Doc(f"{path.stem}-{copy}", f"outlet {copy}", "copy", shifted, _variant(text, rng)))
    return docs


def _exhaustive(docs: list[Doc], ratio: float, window: int) -> set[frozenset[str]]:
    texts = [(d.id, d.published, _norm(d.text[:TEXT_PREFIX])) for d in docs]
    found: set[frozenset[str]] = set()
    for i, (a, day_a, ta) in enumerate(texts):
        for b, day_b, tb in texts[i + 1 :]:
            if day_a and day_b and abs((day_a - day_b).days) > window:
                continue
            if fuzz.ratio(ta, tb, score_cutoff=ratio):
                found.add(frozenset((a, b)))
    return found


def _linked(index: IndependenceIndex) -> set[frozenset[str]]:
    return {frozenset((a, b)) for a, others in index.links.items() for b, why in others if "text" in why}


def test_blocked_links_equal_every_pair_compared_on_real_reports_and_their_copies() -> None:
    for seed in range(3):
        docs = _corpus(seed)
        expected = _exhaustive(docs, 85, 14)
        index = IndependenceIndex.build(docs, [], 85)
        assert _linked(index) == expected
        assert len(expected) >= len(TEXTS)  # copies were made and found
        pairs = len(docs) * (len(docs) - 1) // 2
        assert index.comparisons < pairs / 3  # the blocking, not a scan, chose what was compared


def test_links_do_not_depend_on_the_order_documents_arrive() -> None:
    docs = _corpus(7)
    whole = IndependenceIndex.build(docs, [], 85)
    shuffled = list(docs)
    random.Random(1).shuffle(shuffled)
    grown = IndependenceIndex(85)
    for start in range(0, len(shuffled), 4):
        grown.add(shuffled[start : start + 4], [])
    assert _linked(grown) == _linked(whole)
    ids = [d.id for d in docs]
    assert {k: v.document_ids for k, v in grown.groups(ids).items()} == {
        k: v.document_ids for k, v in whole.groups(ids).items()
    }


def test_same_outlet_joins_documents_whatever_else_is_in_the_subset() -> None:
    """Three reports of one outlet: any two of them are one source, not only neighbours."""
    docs = [
        Doc(f"d{i}", "Yonhap", "x", date(2024, 1, 1) + timedelta(days=40 * i), f"story number {i} " * 5)
        for i in range(3)
    ]
    docs.append(Doc("w", "JoongAng", "x", date(2024, 1, 1), "another story entirely", {"wire": "Yonhap"}))
    index = IndependenceIndex.build(docs, [], 85)
    groups = index.groups(["d0", "d2"])
    assert groups["d0"] == groups["d2"] and "same outlet (yonhap)" in groups["d0"].reasons
    wired = index.groups(["d1", "w"])
    assert wired["d1"] == wired["w"] and "same wire origin (yonhap)" in wired["w"].reasons
    assert index.groups(["d0", "x"])["x"] != index.groups(["d0", "x"])["d0"]
