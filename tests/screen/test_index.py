"""The index over the real lists: counts, postings, candidates that do not miss."""

from __future__ import annotations

import csv
from pathlib import Path

from watchfloor.model.schema import IdScheme
from watchfloor.screen import ScreenIndex
from watchfloor.screen.names import joined_variants, tokenize
from watchfloor.sources.lists.records import ListEntry


def test_index_holds_every_entry_of_every_list(full_index: ScreenIndex, all_entries: list[ListEntry]) -> None:
    assert full_index.stats.entries == len(all_entries)
    sources = {e.entry.source.value for e in full_index.entries}
    assert sources == {"un_sc", "us_ofac_sdn", "gb_uk"}
    # every entry with a name has at least one name form
    with_forms = {f.entry for f in full_index.forms}
    named = {i for i, e in enumerate(full_index.entries) if any(n.value.strip() for n in e.entry.names)}
    assert named <= with_forms


def test_rare_tokens_weigh_more_than_common_ones(full_index: ScreenIndex) -> None:
    assert full_index.idf("mohammed") < full_index.idf("shoigu")
    assert full_index.idf("zzzqqqxxx") == 1.0


def test_identifier_postings_find_the_vessel(full_index: ScreenIndex) -> None:
    found = full_index.by_identifier(IdScheme.IMO, "IMO 9179842")
    captions = {full_index.entries[i].entry.caption for i in found}
    assert "ANGARA" in captions


def _candidate_keys(index: ScreenIndex, name: str) -> set[str]:
    tokens = tokenize(name)
    found = index.candidates([tokens, *joined_variants(tokens)], limit=20)
    return {index.entries[e].entry.key for e in found}


def test_candidates_reach_korean_spellings_and_hangul(full_index: ScreenIndex) -> None:
    for query in ("김정은", "Kim Chong-un", "Gim Jeong-eun", "Kim Jongun"):
        assert "us_ofac_sdn:20157" in _candidate_keys(full_index, query), query


def test_candidates_do_not_miss_the_treated_un_positives(
    shared_data: Path, un_entries: list[ListEntry]
) -> None:
    """Every treated (typo'd, reshuffled) UN positive reaches an entry bearing its untreated name."""
    index = ScreenIndex.build(un_entries)
    folder = shared_data / "sanctions" / "eval" / "yente_candidate_benchmark"
    with (
        (folder / "positives_un_untreated.csv").open() as a,
        (folder / "positives_un_treated.csv").open() as b,
    ):
        pairs = list(zip(csv.DictReader(a), csv.DictReader(b), strict=True))
    by_name: dict[tuple[str, ...], set[str]] = {}
    for item in index.entries:
        for name in item.entry.names:
            for part in name.value.split(";"):
                by_name.setdefault(tuple(sorted(t.text for t in tokenize(part))), set()).add(item.entry.key)
    missed = []
    checked = 0
    for plain, treated in pairs:
        truth = by_name.get(tuple(sorted(t.text for t in tokenize(plain["full_name"]))))
        if not truth:
            continue
        checked += 1
        if not truth & _candidate_keys(index, treated["full_name"]):
            missed.append(treated["full_name"])
    assert checked >= 670
    assert len(missed) <= checked * 0.005, missed
