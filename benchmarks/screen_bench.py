"""Screening benchmark: quality, transliteration, speed against nomenklatura logic-v2, index cost.

Run: ``.venv/bin/python benchmarks/screen_bench.py`` (add ``--record`` to append the figures to
benchmarks/RESULTS.md under "## screen"; ``--negatives N`` to screen fewer negatives).

Data (all real, ../shared/data/sanctions): UN consolidated XML, OFAC SDN CSV + alt/add, UK derived
tables; yente's candidate benchmark fixtures (683 UN positives untreated/treated, 2 x 50,000
synthetic negatives); benchmarks/data/translit_pairs.csv (see its PROVENANCE.md).

* UN positives: screened as Persons with date of birth and nationality against the UN index
  (the list they were drawn from). The truth is the UN entry bearing the untreated name (several
  entries when the same person is listed under two regimes; the date of birth breaks ties). A hit
  is the truth at rank 1 with ``match`` true at the default threshold. The same queries are also
  screened against the full UN + OFAC + UK index (truth anywhere among the matches).
* Negatives: the share of the 100,000 synthetic persons whose screening against the full index
  raises any match at the default threshold.
* Transliteration pairs: each query screened against the full index; a pair is predicted a
  match when its entry is returned with ``match`` true.
* Speed: end-to-end screening (candidates + scoring + explanation) on one core, and nomenklatura
  logic-v2 (installed for the benchmark only) scoring the same queries against the same candidate
  entries (watchfloor's candidates; FtM entities built before timing), also on one core.
"""

from __future__ import annotations

import argparse
import csv
import gc
import gzip
import os
import pickle
import platform
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from watchfloor.model.schema import IdScheme, Schema  # noqa: E402
from watchfloor.screen import Query, ScreenIndex  # noqa: E402
from watchfloor.screen import screen as screen_with  # noqa: E402
from watchfloor.screen.names import joined_variants, tokenize  # noqa: E402
from watchfloor.screen.score import ALGORITHM, scorer  # noqa: E402
from watchfloor.sources.lists.formats import read_list  # noqa: E402
from watchfloor.sources.lists.records import ListEntry  # noqa: E402

SHARED = (ROOT / ".." / "shared" / "data" / "sanctions").resolve()
EVAL = SHARED / "eval" / "yente_candidate_benchmark"
PAIRS = ROOT / "benchmarks" / "data" / "translit_pairs.csv"
LIST_FILES = [
    SHARED / "un" / "UN_consolidated_2026-02-27.xml",
    SHARED / "ofac" / "sdn_2024-05-03.csv",
    SHARED / "ofac" / "alt_2026-06.csv",
    SHARED / "ofac" / "add_2026-06.csv",
    SHARED / "uk" / "uk_sanctions_list_derived_subjects.csv.gz",
]
LOGIC_V2_THRESHOLD = 0.7
"""yente's default match threshold for logic-v2."""


CHOSEN: dict[str, str | None] = {"algorithm": None}
"""The algorithm the run screens with (``--algorithm``; v1 by default)."""


def screen(query: Query, index: ScreenIndex, *, limit: int = 10) -> list[Any]:
    """Screen with the chosen algorithm at its default threshold."""
    return screen_with(query, index, limit=limit, algorithm=CHOSEN["algorithm"])


def rss_mib() -> float:
    """Resident memory of this process (Linux /proc)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def person_query(row: dict[str, str]) -> Query:
    return Query(
        name=row["full_name"],
        schema=Schema.PERSON,
        birth_date=row.get("date_of_birth") or None,
        countries=[row["nationality"]] if row.get("nationality") else [],
        gender=row.get("gender") or None,
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        return list(csv.DictReader(handle))


def un_truth(un_entries: list[ListEntry], rows: list[dict[str, str]]) -> list[set[str]]:
    """For each untreated positive, the UN entries carrying exactly its name (tie broken by DOB)."""
    by_name: dict[tuple[str, ...], set[str]] = defaultdict(set)
    dobs = {e.key: set(e.birth_dates) for e in un_entries}
    for entry in un_entries:
        for name in entry.names:
            for part in name.value.split(";"):
                by_name[tuple(sorted(t.text for t in tokenize(part)))].add(entry.key)
    truths = []
    for row in rows:
        found = set(by_name.get(tuple(sorted(t.text for t in tokenize(row["full_name"]))), set()))
        if len(found) > 1 and row["date_of_birth"]:
            narrowed = {k for k in found if row["date_of_birth"] in dobs[k]}
            found = narrowed or found
        truths.append(found)
    return truths


def quality_positives(
    index: ScreenIndex, full: ScreenIndex, rows: list[dict[str, str]], truth: list[set[str]]
) -> dict[str, Any]:
    top1 = top1_match = full_found = 0
    misses: list[str] = []
    for row, keys in zip(rows, truth, strict=True):
        matches = screen(person_query(row), index, limit=1)
        if matches and matches[0].key in keys:
            top1 += 1
            if matches[0].match:
                top1_match += 1
                continue
        misses.append(row["full_name"])
    for row, keys in zip(rows, truth, strict=True):
        full_matches = screen(person_query(row), full, limit=10)
        if any(m.key in keys and m.match for m in full_matches):
            full_found += 1
    resolvable = sum(1 for k in truth if k)
    return {
        "n": len(rows),
        "resolvable": resolvable,
        "top1": top1 / len(rows),
        "top1_match": top1_match / len(rows),
        "top1_match_resolvable": top1_match / resolvable,
        "full_index_match": full_found / len(rows),
        "misses": misses[:10],
    }


def quality_negatives(index: ScreenIndex, rows: list[dict[str, str]]) -> dict[str, Any]:
    raised = 0
    examples: list[str] = []
    for row in rows[:300]:  # warm-up: ICU transliterators, country tables, token caches
        screen(person_query(row), index, limit=1)
    started = time.perf_counter()
    cpu_started = time.process_time()
    for row in rows:
        matches = screen(person_query(row), index, limit=1)
        if matches and matches[0].match:
            raised += 1
            if len(examples) < 8:
                examples.append(f"{row['full_name']} -> {matches[0].caption} ({matches[0].score:.2f})")
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {
        "n": len(rows),
        "raised": raised,
        "share": raised / len(rows),
        "qps_wall": len(rows) / seconds,
        "qps_cpu": len(rows) / cpu,
        "examples": examples,
    }


def quality_translit(index: ScreenIndex) -> dict[str, Any]:
    rows = read_csv(PAIRS)
    cache: dict[str, set[str]] = {}
    tp = fp = fn = tn = 0
    by_system: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_language: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        query = row["query"]
        if query not in cache:
            matches = screen(Query(query, schema=Schema.PERSON), index, limit=50)
            cache[query] = {m.key for m in matches if m.match}
        predicted = f"{row['list']}:{row['entry_id']}" in cache[query]
        positive = row["label"] == "1"
        stats = by_language[row["language"]]
        if positive:
            by_system[row["query_made_by"]][0] += 1
            by_system[row["query_made_by"]][1] += int(predicted)
        if positive and predicted:
            tp += 1
            stats[0] += 1
        elif positive:
            fn += 1
            stats[2] += 1
        elif predicted:
            fp += 1
            stats[1] += 1
        else:
            tn += 1
            stats[3] += 1
    return {
        "pairs": len(rows),
        "positives": tp + fn,
        "negatives": fp + tn,
        "precision": tp / max(1, tp + fp),
        "recall": tp / max(1, tp + fn),
        "by_language": {
            lang: {
                "precision": s[0] / max(1, s[0] + s[1]),
                "recall": s[0] / max(1, s[0] + s[2]),
                "pairs": sum(s),
            }
            for lang, s in sorted(by_language.items())
        },
        "recall_by_system": {k: v[1] / v[0] for k, v in sorted(by_system.items())},
    }


# -- nomenklatura logic-v2 -------------------------------------------------------------------------


def ftm_entity(entry: ListEntry) -> Any:
    from followthemoney import model

    schema = {
        "Organization": "Organization",
        "Company": "Company",
        "Vessel": "Vessel",
        "Person": "Person",
    }.get(entry.schema.value, "LegalEntity")
    proxy = model.make_entity(schema)
    proxy.id = entry.key
    values = [part.strip() for n in entry.names for part in n.value.split(";") if part.strip()]
    if values:
        proxy.add("name", values[0])
        proxy.add("alias", values[1:])
    if schema == "Person":
        proxy.add("birthDate", entry.birth_dates, quiet=True)
        proxy.add("nationality", entry.nationalities, quiet=True)
        if entry.gender:
            proxy.add("gender", entry.gender, quiet=True)
    if schema == "Vessel":
        proxy.add("imoNumber", [i.value for i in entry.identifiers if i.scheme is IdScheme.IMO], quiet=True)
    return proxy


def query_entity(row: dict[str, str], number: int) -> Any:
    from followthemoney import model

    proxy = model.make_entity("Person")
    proxy.id = f"q{number}"
    proxy.add("name", row["full_name"])
    proxy.add("birthDate", row.get("date_of_birth") or None, quiet=True)
    proxy.add("nationality", row.get("nationality") or None, quiet=True)
    proxy.add("gender", row.get("gender") or None, quiet=True)
    return proxy


def compare_logic_v2(
    full: ScreenIndex,
    un_index: ScreenIndex,
    speed_rows: list[dict[str, str]],
    treated: list[dict[str, str]],
    truth: list[set[str]],
) -> dict[str, Any]:
    try:
        import nomenklatura
        from nomenklatura.matching import LogicV2
    except ImportError:
        return {"error": "nomenklatura is not installed (pip install nomenklatura==4.17.4)"}
    from importlib.metadata import version

    config = LogicV2.default_config()
    entity_cache: dict[int, Any] = {}

    def candidates_for(index: ScreenIndex, name: str) -> list[int]:
        tokens = tokenize(name)
        found = index.candidates(
            [tokens, *joined_variants(tokens)], limit=20, min_coverage=0.4, schemas=frozenset({Schema.PERSON})
        )
        return list(found)

    # same queries, same candidates: prepared before timing
    work = []
    for number, row in enumerate(speed_rows):
        cands = candidates_for(full, row["full_name"])
        for position in cands:
            if position not in entity_cache:
                entity_cache[position] = ftm_entity(full.entries[position].entry)
        work.append((query_entity(row, number), [entity_cache[p] for p in cands]))
    for query, entities in work[:50]:  # warm-up: load its data and caches
        for entity in entities:
            LogicV2.compare(query, entity, config)
    gc.collect()
    gc.freeze()  # the same treatment for the peer's long-lived objects
    started = time.process_time()
    comparisons = 0
    for query, entities in work:
        for entity in entities:
            LogicV2.compare(query, entity, config)
            comparisons += 1
    logic_seconds = time.process_time() - started
    for row in speed_rows[:50]:
        screen(person_query(row), full, limit=10)
    gc.collect()
    gc.freeze()
    started = time.process_time()
    for row in speed_rows:
        screen(person_query(row), full, limit=10)
    ours_seconds = time.process_time() - started
    # quality of logic-v2 on the treated UN positives, over watchfloor's UN candidates
    un_cache: dict[int, Any] = {}
    hits = 0
    for number, (row, keys) in enumerate(zip(treated, truth, strict=True)):
        query = query_entity(row, number)
        best: tuple[float, str] | None = None
        for position in candidates_for(un_index, row["full_name"]):
            if position not in un_cache:
                un_cache[position] = ftm_entity(un_index.entries[position].entry)
            score = LogicV2.compare(query, un_cache[position], config).score
            if best is None or score > best[0]:
                best = (score, un_index.entries[position].entry.key)
        if best and best[1] in keys and best[0] >= LOGIC_V2_THRESHOLD:
            hits += 1
    # logic-v2 on the transliteration pairs: each query against its pair's entry directly
    positions = {item.entry.key: n for n, item in enumerate(full.entries)}
    tp = fp = fn = 0
    for number, row in enumerate(read_csv(PAIRS)):
        position = positions[f"{row['list']}:{row['entry_id']}"]
        if position not in entity_cache:
            entity_cache[position] = ftm_entity(full.entries[position].entry)
        query = query_entity({"full_name": row["query"]}, number)
        predicted = LogicV2.compare(query, entity_cache[position], config).score >= LOGIC_V2_THRESHOLD
        if row["label"] == "1":
            tp += int(predicted)
            fn += int(not predicted)
        else:
            fp += int(predicted)
    return {
        "translit_precision": tp / max(1, tp + fp),
        "translit_recall": tp / max(1, tp + fn),
        "version": version("nomenklatura"),
        "module": nomenklatura.__name__,
        "queries": len(speed_rows),
        "comparisons": comparisons,
        "logic_v2_qps": len(speed_rows) / logic_seconds,
        "logic_v2_pairs_per_s": comparisons / logic_seconds,
        "ours_qps": len(speed_rows) / ours_seconds,
        "ratio": (len(speed_rows) / ours_seconds) / (len(speed_rows) / logic_seconds),
        "logic_v2_treated_top1_match": hits / len(treated),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--negatives", type=int, default=100_000, help="negatives to screen (default all)")
    parser.add_argument("--speed-queries", type=int, default=2000, help="queries for the logic-v2 comparison")
    parser.add_argument("--record", action="store_true", help="append the results to benchmarks/RESULTS.md")
    parser.add_argument("--algorithm", default=None, help="watchfloor-name-v1 (default) or -v2")
    args = parser.parse_args()
    CHOSEN["algorithm"] = args.algorithm

    started = time.perf_counter()
    entries = list(read_list(LIST_FILES))
    read_seconds = time.perf_counter() - started
    before = rss_mib()
    full = ScreenIndex.build(entries)
    index_mib = rss_mib() - before
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        counts[entry.source.value] += 1
    cache_file = Path(tempfile.mkdtemp()) / "index.pickle"
    started = time.perf_counter()
    with cache_file.open("wb") as handle:
        pickle.dump(full, handle, protocol=pickle.HIGHEST_PROTOCOL)
    dump_seconds = time.perf_counter() - started
    gc.disable()
    started = time.perf_counter()
    with cache_file.open("rb") as handle:
        pickle.load(handle)
    load_seconds = time.perf_counter() - started
    gc.enable()
    cache = {"mib": cache_file.stat().st_size / 2**20, "dump": dump_seconds, "load": load_seconds}
    cache_file.unlink()
    un_entries = [e for e in entries if e.source.value == "un_sc"]
    un_index = ScreenIndex.build(un_entries)
    print(f"lists: {dict(counts)} read in {read_seconds:.1f}s")
    print(f"index: {full.stats.entries} entries, {full.stats.name_forms} name forms, {full.stats.keys} keys, "
          f"built in {full.stats.seconds:.1f}s, +{index_mib:.0f} MiB RSS")  # fmt: skip

    untreated = read_csv(EVAL / "positives_un_untreated.csv")
    treated = read_csv(EVAL / "positives_un_treated.csv")
    truth = un_truth(un_entries, untreated)
    pos_untreated = quality_positives(un_index, full, untreated, truth)
    pos_treated = quality_positives(un_index, full, treated, truth)
    print(f"UN positives untreated: {pos_untreated}")
    print(f"UN positives treated:   {pos_treated}")

    negatives = read_csv(EVAL / "negatives_global.csv.gz") + read_csv(EVAL / "negatives_us.csv.gz")
    negatives = negatives[: args.negatives] if args.negatives < len(negatives) else negatives
    neg = quality_negatives(full, negatives)
    print(f"negatives: {neg}")

    translit = quality_translit(full)
    print(f"transliteration pairs: {translit}")

    speed_rows = [*treated, *negatives[: max(0, args.speed_queries - len(treated))]][: args.speed_queries]
    peer = compare_logic_v2(full, un_index, speed_rows, treated, truth)
    print(f"logic-v2 comparison: {peer}")

    report = render(
        args, counts, read_seconds, full, index_mib, cache, pos_untreated, pos_treated, neg, translit, peer
    )
    print(report)
    if args.record:
        path = ROOT / "benchmarks" / "RESULTS.md"
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\n" + report)
        print(f"appended to {path}")


def render(
    args: argparse.Namespace,
    counts: dict[str, int],
    read_seconds: float,
    full: ScreenIndex,
    index_mib: float,
    cache: dict[str, float],
    untreated: dict[str, Any],
    treated: dict[str, Any],
    neg: dict[str, Any],
    translit: dict[str, Any],
    peer: dict[str, Any],
) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = ".venv/bin/python benchmarks/screen_bench.py" + (
        f" --negatives {args.negatives}" if args.negatives != 100_000 else ""
    )
    lines = [
        "## screen",
        "",
        f"- date: {now}; command: `{command}`; machine: {platform.machine()}, {os.cpu_count()} cores "
        f"(shared, noisy), Python {platform.python_version()}; "
        f"algorithm `{CHOSEN['algorithm'] or ALGORITHM}`, "
        f"default threshold {scorer(CHOSEN['algorithm'])[1]}",
        f"- index (UN + OFAC + UK): {full.stats.entries:,} entries "
        f"({', '.join(f'{k} {v:,}' for k, v in sorted(counts.items()))}), "
        f"{full.stats.name_forms:,} name forms, {full.stats.keys:,} keys; "
        f"lists read in {read_seconds:.1f} s, "
        f"index built in {full.stats.cpu_seconds:.1f} s CPU ({full.stats.seconds:.1f} s wall), "
        f"+{index_mib:.0f} MiB resident; on-disk cache (pickle) {cache['mib']:.0f} MiB, written in "
        f"{cache['dump']:.1f} s, loaded in {cache['load']:.1f} s (so `watchfloor screen` keeps it: "
        f"reading + building is {read_seconds + full.stats.seconds:.0f} s)",
        f"- UN positives, top-1 = the UN entry and a match at the default threshold (of {untreated['n']}; "
        f"{untreated['resolvable']} have a UN entry bearing their name): untreated "
        f"**{untreated['top1_match']:.4f}**, treated **{treated['top1_match']:.4f}** "
        f"(top-1 regardless of threshold {untreated['top1']:.4f} / {treated['top1']:.4f}; of the resolvable "
        f"{untreated['top1_match_resolvable']:.4f} / {treated['top1_match_resolvable']:.4f}; truth among the "
        f"matches against the full index {untreated['full_index_match']:.4f} / "
        f"{treated['full_index_match']:.4f})",
        f"- synthetic negatives raising any match (full index, as Person with DOB, nationality, gender): "
        f"**{neg['raised']:,} of {neg['n']:,} = {neg['share']:.2%}**",
        f"- transliteration pairs ({translit['pairs']:,}: {translit['positives']:,} positive, "
        f"{translit['negatives']:,} negative): precision **{translit['precision']:.4f}**, recall "
        f"**{translit['recall']:.4f}**; "
        + "; ".join(
            f"{lang}: P {v['precision']:.4f} R {v['recall']:.4f}"
            for lang, v in translit["by_language"].items()
        ),
        "- recall by how the query was written: "
        + ", ".join(f"{k} {v:.3f}" for k, v in translit["recall_by_system"].items()),
        f"- speed, end-to-end on one core: **{neg['qps_cpu']:,.0f} queries/s per core** (process CPU time) "
        f"over the {neg['n']:,} negatives; {neg['qps_wall']:,.0f} q/s wall-clock on the shared machine",
    ]
    if "error" in peer:
        lines.append(f"- logic-v2 comparison: not run ({peer['error']})")
    else:
        lines.append(
            f"- vs nomenklatura {peer['version']} logic-v2, same {peer['queries']:,} queries (683 treated "
            f"positives + negatives) and the same candidates ({peer['comparisons']:,} pairs): watchfloor "
            f"end-to-end **{peer['ours_qps']:,.0f} q/s** vs logic-v2 scoring only "
            f"**{peer['logic_v2_qps']:,.1f} q/s** ({peer['logic_v2_pairs_per_s']:,.0f} pairs/s), "
            f"CPU time on one core: **{peer['ratio']:.1f}x**; logic-v2 top-1 "
            f"recall on the treated positives over the same UN candidates at {LOGIC_V2_THRESHOLD}: "
            f"{peer['logic_v2_treated_top1_match']:.4f} (watchfloor {treated['top1_match']:.4f}); "
            f"logic-v2 on the transliteration pairs (query vs the pair's entry, no candidate stage): "
            f"precision "
            f"{peer['translit_precision']:.4f}, recall {peer['translit_recall']:.4f}"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
