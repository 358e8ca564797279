"""Precision and recall of document relevance (relevance-v1) on a real mixed feed.

The feed: every narrative summary (``COMMENTS1``) of the official UN Security Council
Consolidated List in ``../shared/data/sanctions/un`` (914 texts, 140 of them on DPRK entries of
the 1718 Committee, the rest on Al-Qaida, Taliban, Iran, Iraq, Libya, Somalia, CAR and other
regimes), plus the founding AP report. The label is the list's own: a text is about the watched
pair when its entry is a DPRK entry (reference ``KP...``) or it is the founding report; nothing is
annotated here. Relevance is what ``watchfloor.extract.reports.extract_reports`` sets. The feed is
cut in two fixed halves by a hash of each text's id: the per-state mention thresholds
(``relevance_mentions``) are chosen on the train half and measured on the test half.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/relevance_eval.py [--json]``
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as ET

from watchfloor.extract.relevance import relevance

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "data"
UN = SHARED / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml"
FOUNDING = SHARED / "reports" / "ap_2024-10-29_dprk_troops_kursk.txt"


def feed() -> list[tuple[str, str, bool]]:
    """``(id, text, about the watched pair)`` for every text of the mixed feed."""
    items: list[tuple[str, str, bool]] = []
    root = ET.parse(UN).getroot()
    for kind in ("INDIVIDUAL", "ENTITY"):
        for entry in root.iter(kind):
            ref = (entry.findtext("REFERENCE_NUMBER") or "").strip()
            text = " ".join((entry.findtext("COMMENTS1") or "").split())
            if text:
                items.append((f"un:{ref}", text, ref.startswith("KP")))
    return items


def split_of(item_id: str) -> str:
    """A fixed half of the feed: ``train`` (thresholds chosen on it) or ``test`` (reported)."""
    return "train" if int(hashlib.sha256(item_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def _scores(flags: list[bool], labels: list[bool]) -> tuple[float | None, float | None, int]:
    tp = sum(f and lab for f, lab in zip(flags, labels, strict=True))
    fp = sum(f and not lab for f, lab in zip(flags, labels, strict=True))
    fn = sum(lab and not f for f, lab in zip(flags, labels, strict=True))
    precision = round(tp / (tp + fp), 3) if tp + fp else None
    recall = round(tp / (tp + fn), 3) if tp + fn else None
    return precision, recall, fp


def evaluate(min_precision: float = 0.95) -> dict[str, Any]:
    """Choose the per-state mention thresholds on the train half (highest recall with precision at
    least ``min_precision``; ties: the higher thresholds), then measure them, and the shipped ones,
    on the test half."""
    from watchfloor.extract.reports import extract_reports
    from watchfloor.extract.vocab import configured_gazetteer, configured_ontology
    from watchfloor.sources.reports import Report, read_reports

    items = feed()
    reports = [
        Report(text=t, published=date(2026, 2, 27), origin=i, source="UN Security Council")
        for i, t, _ in items
    ]
    reports.append(read_reports(FOUNDING).reports[0])
    labels = [about for _i, _t, about in items] + [True]
    splits = [split_of(i) for i, _t, _a in items] + ["test"]
    began = time.perf_counter()
    extractions = list(extract_reports(reports))
    seconds = time.perf_counter() - began
    ontology, gazetteer = configured_ontology(), configured_gazetteer()

    def flags(thresholds: dict[str, int], split: str) -> tuple[list[bool], list[bool], list[str]]:
        chosen = [k for k, s in enumerate(splits) if s == split]
        judged = [
            relevance(extractions[k].mentions, extractions[k].events, gazetteer, ontology.watched, thresholds)
            for k in chosen
        ]
        wrong = [
            reports[k].origin for k, j in zip(chosen, judged, strict=True) if j.relevant and not labels[k]
        ]
        return [j.relevant for j in judged], [labels[k] for k in chosen], wrong

    states = sorted(ontology.watched)
    grid = [
        dict(zip(states, combo, strict=True)) for combo in itertools.product(range(1, 7), repeat=len(states))
    ]
    best: tuple[float, tuple[int, ...], dict[str, int]] | None = None
    for thresholds in grid:
        precision, recall, _fp = _scores(*flags(thresholds, "train")[:2])
        if precision is None or recall is None or precision < min_precision:
            continue
        key = (recall, tuple(thresholds.values()))
        if best is None or key > best[:2]:
            best = (recall, key[1], thresholds)
    if best is None:
        raise SystemExit(f"no thresholds reach precision {min_precision} on the train half")
    chosen = best[2]
    results: dict[str, Any] = {
        "texts": len(reports),
        "about_watched_pair": sum(labels),
        "train_texts": splits.count("train"),
        "test_texts": splits.count("test"),
        "test_about_watched_pair": sum(lab for lab, s in zip(labels, splits, strict=True) if s == "test"),
        "chosen_on_train": chosen,
        "shipped": dict(ontology.relevance_mentions),
        "seconds": round(seconds, 1),
    }
    for name, thresholds in (("chosen", chosen), ("shipped", dict(ontology.relevance_mentions))):
        for split in ("train", "test"):
            got, truth, wrong = flags(thresholds, split)
            precision, recall, _fp = _scores(got, truth)
            results[f"{name}_{split}"] = {
                "flagged": sum(got),
                "precision": precision,
                "recall": recall,
                "false_positives": wrong,
            }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = evaluate()
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return
    print(
        f"{result['texts']} texts ({result['about_watched_pair']} about the watched pair); train half "
        f"{result['train_texts']}, test half {result['test_texts']} "
        f"({result['test_about_watched_pair']} about it); "
        f"{result['seconds']} s"
    )
    print(f"thresholds chosen on train: {result['chosen_on_train']}; shipped: {result['shipped']}")
    for name in ("chosen", "shipped"):
        for split in ("train", "test"):
            row = result[f"{name}_{split}"]
            print(
                f"  {name:8} {split:6} flagged {row['flagged']:4}  precision {row['precision']}  "
                f"recall {row['recall']}  false positives: {', '.join(row['false_positives']) or 'none'}"
            )


if __name__ == "__main__":
    main()
