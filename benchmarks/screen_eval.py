"""Pairwise screening evaluation on benchmarks/data/screen_pairs.csv: v1, v2 and nomenklatura
logic-v2 on the same pairs in the same run, plus candidate recall and speed.

Run: ``.venv/bin/python benchmarks/screen_eval.py`` (``--split train`` for the fitting half;
default ``test``, the held-out half; ``--fit`` searches v2's qualifier weights and threshold on
the train half and prints them; nothing is written).

Each pair is a query (name, and for about half the pairs the query entry's date of birth and
nationality) and one candidate list entry; the candidate is scored over all its names (for alias
pairs, the alias used as the query is left out). A pair is predicted a match when the score
reaches the algorithm's default threshold (v1 0.8, v2 the weights file's, logic-v2 0.7 as yente
uses). Candidate recall: for the positives whose truth is another entry than the query's own
(cross-list, Hangul), is the truth among the entries the candidate stage proposes?
"""

from __future__ import annotations

import argparse
import csv
import gc
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from screen_bench import LIST_FILES, ftm_entity  # noqa: E402
from watchfloor.model.schema import IdScheme, Schema  # noqa: E402
from watchfloor.screen import Query, ScreenIndex  # noqa: E402
from watchfloor.screen.score import candidate_entries, score_entries, screen_full  # noqa: E402
from watchfloor.sources.lists.formats import read_list  # noqa: E402
from watchfloor.sources.lists.records import Identifier  # noqa: E402

PAIRS = ROOT / "benchmarks" / "data" / "screen_pairs.csv"
V1, V2 = "watchfloor-name-v1", "watchfloor-name-v2"
LOGIC_V2_THRESHOLD = 0.7
ERRORS = 0


def query_of(row: dict[str, str]) -> Query:
    ids = [Identifier(IdScheme.IMO, row["query_imo"])] if row.get("query_imo") else []
    if row.get("query_passport"):
        ids.append(Identifier(IdScheme.PASSPORT, row["query_passport"]))
    return Query(
        name=row["query_name"],
        schema=Schema(row["schema"]) if row["schema"] else None,
        birth_date=row["query_dob"] or None,
        countries=[row["query_country"]] if row["query_country"] else [],
        identifiers=ids,
    )


def excluded(row: dict[str, str]) -> frozenset[str]:
    """The query's own name, left out of its own entry's names for alias pairs."""
    return frozenset({row["query_name"]}) if row["exclude_query_name"] else frozenset()


def metrics(labels: list[int], scores: list[float], threshold: float) -> dict[str, float]:
    tp = sum(1 for y, s in zip(labels, scores, strict=True) if y and s >= threshold)
    fp = sum(1 for y, s in zip(labels, scores, strict=True) if not y and s >= threshold)
    fn = sum(1 for y, s in zip(labels, scores, strict=True) if y and s < threshold)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "fp": fp, "fn": fn}


def precision_at_recall(labels: list[int], scores: list[float], recall: float = 0.9) -> tuple[float, float]:
    """The best precision at any threshold whose recall is at least ``recall``, and that threshold."""
    best = (0.0, 0.0)
    for threshold in sorted(set(scores)):
        m = metrics(labels, scores, threshold)
        if m["recall"] >= recall and m["precision"] > best[0]:
            best = (m["precision"], threshold)
    return best


def logic_v2_scores(
    index: ScreenIndex, rows: list[dict[str, str]], positions: list[int]
) -> tuple[list[float], float]:
    from followthemoney import model
    from nomenklatura.matching import LogicV2

    config = LogicV2.default_config()
    work = []
    for number, (row, position) in enumerate(zip(rows, positions, strict=True)):
        entity = ftm_entity(index.entries[position].entry)
        if row["exclude_query_name"]:
            names = [n for n in entity.get("name") + entity.get("alias") if n != row["query_name"]]
            entity = ftm_entity(index.entries[position].entry)
            entity.set("name", names[:1])
            entity.set("alias", names[1:])
        schema = entity.schema.name if row["schema"] != "Person" else "Person"
        query = model.make_entity(schema)
        query.id = f"q{number}"
        query.add("name", row["query_name"])
        if schema == "Vessel" and row.get("query_imo"):
            query.add("imoNumber", row["query_imo"], quiet=True)
        if schema == "Person":
            query.add("passportNumber", row.get("query_passport") or None, quiet=True)
            query.add("birthDate", row["query_dob"] or None, quiet=True)
            query.add("nationality", row["query_country"] or None, quiet=True)
        work.append((query, entity))
    gc.collect()
    started = time.process_time()
    scores = [LogicV2.compare(q, e, config).score for q, e in work]
    return scores, time.process_time() - started


def evaluate(index: ScreenIndex, rows: list[dict[str, str]], with_peer: bool) -> dict[str, Any]:
    by_key = {item.entry.key: n for n, item in enumerate(index.entries)}
    rows = [r for r in rows if r["candidate"] in by_key]
    positions = [by_key[r["candidate"]] for r in rows]
    labels = [int(r["label"]) for r in rows]
    queries = [query_of(r) for r in rows]
    out: dict[str, Any] = {"pairs": len(rows), "positives": sum(labels)}
    scores: dict[str, list[float]] = {}
    for algorithm in (V1, V2):
        started = time.process_time()
        scores[algorithm] = [
            score_entries(q, index, [p], algorithm=algorithm, exclude_names=excluded(r))[0].score
            for q, p, r in zip(queries, positions, rows, strict=True)
        ]
        out[f"{algorithm} pairs/s"] = len(rows) / (time.process_time() - started)
    thresholds = {V1: 0.8, V2: None}
    if with_peer:
        try:
            scores["logic-v2"], seconds = logic_v2_scores(index, rows, positions)
            out["logic-v2 pairs/s"] = len(rows) / seconds
            thresholds["logic-v2"] = LOGIC_V2_THRESHOLD
        except ImportError as exc:
            out["logic-v2"] = f"not run: {exc}"
    from watchfloor.screen.score_v2 import default_threshold

    thresholds[V2] = default_threshold()
    for name, values in scores.items():
        threshold = thresholds[name]
        assert threshold is not None
        m = metrics(labels, values, threshold)
        p90, t90 = precision_at_recall(labels, values)
        kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for row, value in zip(rows, values, strict=True):
            kinds[row["kind"]][0] += 1
            kinds[row["kind"]][1] += int((value >= threshold) == bool(int(row["label"])))
        out[name] = {
            "threshold": threshold, **m, "precision_at_recall_0.9": p90, "at_threshold": t90,
            "correct_by_kind": {k: f"{c}/{n}" for k, (n, c) in sorted(kinds.items())},
        }  # fmt: skip
    # candidate recall: is the truth proposed at all (pairs whose truth is another entry)?
    proposed = total = 0
    missed: list[str] = []
    for row, query, position in zip(rows, queries, positions, strict=True):
        if row["label"] != "1" or row["exclude_query_name"]:
            continue
        total += 1
        if position in candidate_entries(query, index):
            proposed += 1
        else:
            missed.append(f"{row['query_name']} -> {row['candidate']}")
    out["candidate_recall"] = {"checked": total, "proposed": proposed, "recall": proposed / max(1, total)}
    out["candidate_missed_sample"] = missed[:15]
    if ERRORS:
        for name in (V1, V2):
            wrong = [
                f"{r['label']} {r['kind']} {v:.2f} {r['query_name']!r} -> {r['candidate']}"
                for r, v in zip(rows, scores[name], strict=True)
                if (v >= (thresholds[name] or 0.8)) != bool(int(r["label"]))
            ]
            out[f"{name} errors"] = wrong[:ERRORS]
    return out


NAMESAKE_GUARDS = (
    "name.conflicting_parts",
    "name.family_mismatch",
    "name.common_family_only",
    "gender.mismatch",
)
"""Kept negative in the fit: the pairs hold few namesakes, and a fit would otherwise buy a little
train F1 by switching off the protection against them (issue 12: Kim Jong Nam is not Kim Jong Un)."""


def fit(index: ScreenIndex, rows: list[dict[str, str]]) -> dict[str, Any]:
    """Coordinate search of v2's qualifier weights and threshold for the best F1 on ``rows``
    (the train half): the feature values are computed once, the weights varied over a coarse grid."""
    from watchfloor.screen.score_v2 import current_weights

    by_key = {item.entry.key: n for n, item in enumerate(index.entries)}
    rows = [r for r in rows if r["candidate"] in by_key]
    weights = current_weights()
    fired: list[dict[str, float]] = []
    for r in rows:
        match = score_entries(
            query_of(r), index, [by_key[r["candidate"]]], algorithm=V2,
            exclude_names=frozenset({r["query_name"]}) if r["exclude_query_name"] else frozenset(),
        )[0]  # fmt: skip
        fired.append({f.feature: f.value for f in match.explanation.features})
    labels = [int(r["label"]) for r in rows]
    main, qual = dict(weights.main), dict(weights.qualifiers)

    def scores(main: dict[str, float], qual: dict[str, float]) -> list[float]:
        out = []
        for values in fired:
            base = max((v * main[k] for k, v in values.items() if k in main), default=0.0)
            if base <= 0:
                out.append(0.0)
                continue
            total = base + sum(v * qual[k] for k, v in values.items() if k in qual)
            out.append(max(0.0, min(1.0, total)))
        return out

    threshold = weights.threshold
    best = metrics(labels, scores(main, qual), threshold)["f1"]
    grid = [-0.6, -0.45, -0.35, -0.3, -0.25, -0.2, -0.15, -0.1, -0.05, 0.0]
    for _ in range(2):
        for name in qual:
            if name in ("dob.exact", "dob.year", "country.agree", "name.family_agrees"):
                options = [0.0, 0.02, 0.05, 0.1, 0.15, 0.2]
            elif name in NAMESAKE_GUARDS:
                options = [v for v in grid if v <= -0.1]
            else:
                options = grid
            for value in options:
                trial = {**qual, name: value}
                f1 = metrics(labels, scores(main, trial), threshold)["f1"]
                if f1 > best + 1e-9:
                    best, qual = f1, trial
        for value in [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]:
            f1 = metrics(labels, scores(main, qual), value)["f1"]
            if f1 > best + 1e-9:
                best, threshold = f1, value
    return {"train_f1": best, "threshold": threshold, "qualifiers": qual}


def speed(index: ScreenIndex, rows: list[dict[str, str]]) -> dict[str, float]:
    """End-to-end screening (candidates, scoring, explanation) of the pairs' queries, one core."""
    queries = [query_of(r) for r in rows]
    out = {}
    for algorithm in (V1, V2):
        for q in queries[:50]:
            screen_full(q, index, algorithm=algorithm)
        started = time.process_time()
        for q in queries:
            screen_full(q, index, algorithm=algorithm)
        out[f"{algorithm} queries/s"] = len(queries) / (time.process_time() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="test", choices=["train", "test", "all"])
    parser.add_argument("--no-peer", action="store_true", help="skip nomenklatura logic-v2")
    parser.add_argument("--fit", action="store_true", help="fit v2's weights on --split (use train)")
    parser.add_argument("--errors", type=int, default=0, help="print this many wrong pairs per algorithm")
    args = parser.parse_args()
    global ERRORS
    ERRORS = args.errors
    with PAIRS.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if args.split == "all" or r["split"] == args.split]
    started = time.perf_counter()
    index = ScreenIndex.build(read_list(LIST_FILES))
    print(f"index: {index.stats.entries} entries in {time.perf_counter() - started:.1f} s; {len(rows)} pairs")
    if args.fit:
        print(fit(index, rows))
        return
    result = evaluate(index, rows, not args.no_peer)
    result["speed"] = speed(index, rows[:2000])
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
