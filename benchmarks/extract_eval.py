"""Recall and precision of event extraction on real texts, per event type.

The texts and their hand-annotated findings are in ``benchmarks/data/extract_eval.jsonl`` (built
by ``build_extract_eval.py``; see its docstring for provenance). A finding is found when an
extracted event of one of the finding's types has a span overlapping the finding's span; an
extracted event is correct when it overlaps a finding of its type. Of the found findings, the
share where a claim on the matching events names the annotated claimant, and where that claim has
the annotated stance, is printed too. Of the found findings that name
an acting or receiving state, the share where the event has that state is printed too.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/extract_eval.py [--split dev|test|all] [--json]``
(default: the ``dev`` split, whose texts the cue words were written from, then the held-out
``test`` split, annotated before the extractor was run on it); to measure an older
version, put its ``src`` first on ``PYTHONPATH`` (``git archive REV src | tar -x -C /tmp/rev``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data" / "extract_eval.jsonl"
SHARED = ROOT / ".." / "shared" / "data"


def _load() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def _same_speaker(speaker: str, claimants: list[str]) -> bool:
    """A claim's speaker is the annotated claimant when one name holds the other ("Yoon" and
    "South Korean President Yoon Suk Yeol", "He (Yoon Suk Yeol)")."""
    said = speaker.lower().replace("’", "'")
    return any(c.lower() in said or said in c.lower() for c in claimants if c)


def evaluate(split: str | None = None) -> dict[str, Any]:
    """Figures on the ``dev`` split (the texts the cue words were written from), the held-out
    ``test`` split, or both (``None``)."""
    from watchfloor.extract.reports import extract_reports
    from watchfloor.sources.reports import Report, read_reports

    docs = [d for d in _load() if split is None or d.get("split", "dev") == split]
    reports = []
    for doc in docs:
        text = read_reports(SHARED / doc["path"]).reports[0].text if "path" in doc else doc["text"]
        reports.append(
            Report(
                text=text,
                published=date.fromisoformat(doc["published"]),
                origin=doc["doc"],
                source=doc["source"],
            )
        )
    began = time.perf_counter()
    extractions = list(extract_reports(reports))
    seconds = time.perf_counter() - began
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    extracted: Counter[str] = Counter()
    roles = Counter[str]()
    misses: list[str] = []
    wrong: list[str] = []
    claimant_misses: list[str] = []
    stance_misses: list[str] = []
    for doc, extraction in zip(docs, extractions, strict=True):
        events = extraction.events
        for finding in doc["findings"]:
            kind = finding["types"][0]
            total[kind] += 1
            hits = [
                e
                for e in events
                if e.type.value in finding["types"]
                and any(s.start < finding["end"] and finding["start"] < s.end for s in e.spans)
            ]
            if hits:
                found[kind] += 1
                claims = [
                    c
                    for e in hits
                    for c in e.claims
                    if c.span.start < finding["end"] and finding["start"] < c.span.end
                ]
                right = [c for c in claims if _same_speaker(c.speaker, finding.get("claimant") or [])]
                roles["claims_judged"] += 1
                roles["claimant_right"] += bool(right)
                chosen = right or claims
                roles["stance_right"] += any(c.stance.value == finding.get("stance") for c in chosen)
                if not right:
                    claimant_misses.append(
                        f"{doc['doc']}: {finding['claimant']} vs {[c.speaker for c in claims]}: "
                        f"{finding['quote'][:60]}"
                    )
                elif not any(c.stance.value == finding.get("stance") for c in chosen):
                    stance_misses.append(
                        f"{doc['doc']}: {finding['stance']} vs {[c.stance.value for c in chosen]}: "
                        f"{finding['quote'][:60]}"
                    )
                for role, attr in (("actor", "source_actors"), ("recipient", "target_actors")):
                    if finding[role]:
                        roles[f"{role}_named"] += 1
                        if any(finding[role] in getattr(e, attr) for e in hits):
                            roles[f"{role}_right"] += 1
            else:
                misses.append(f"{doc['doc']}: {kind}: {finding['quote'][:90]}")
        for event in events:
            extracted[event.type.value] += 1
            ok = any(
                event.type.value in f["types"]
                and any(s.start < f["end"] and f["start"] < s.end for s in event.spans)
                for f in doc["findings"]
            )
            if ok:
                correct[event.type.value] += 1
            else:
                wrong.append(f"{doc['doc']}: {event.summary[:100]}")
    types = sorted(set(total) | set(extracted))
    rows = {
        t: {
            "findings": total[t],
            "found": found[t],
            "recall": round(found[t] / total[t], 3) if total[t] else None,
            "extracted": extracted[t],
            "correct": correct[t],
            "precision": round(correct[t] / extracted[t], 3) if extracted[t] else None,
        }
        for t in types
    }
    all_found, all_total = sum(found.values()), sum(total.values())
    all_correct, all_extracted = sum(correct.values()), sum(extracted.values())
    return {
        "split": split or "all",
        "texts": len(docs),
        "findings": all_total,
        "recall": round(all_found / all_total, 3),
        "precision": round(all_correct / all_extracted, 3) if all_extracted else None,
        "actor_accuracy": round(roles["actor_right"] / roles["actor_named"], 3)
        if roles["actor_named"]
        else None,
        "recipient_accuracy": round(roles["recipient_right"] / roles["recipient_named"], 3)
        if roles["recipient_named"]
        else None,
        "claimant_accuracy": round(roles["claimant_right"] / roles["claims_judged"], 3)
        if roles["claims_judged"]
        else None,
        "stance_accuracy": round(roles["stance_right"] / roles["claims_judged"], 3)
        if roles["claims_judged"]
        else None,
        "per_type": rows,
        "claimant_misses": claimant_misses,
        "stance_misses": stance_misses,
        "seconds": round(seconds, 2),
        "misses": misses,
        "wrong": wrong,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="list missed findings and wrong events")
    parser.add_argument("--split", choices=["dev", "test", "all"], default=None, help="default: dev and test")
    args = parser.parse_args()
    splits = [args.split] if args.split else ["dev", "test"]
    results = [evaluate(None if s == "all" else s) for s in splits]
    if args.json:
        json.dump(results, sys.stdout, indent=2)
        print()
        return
    for result in results:
        _print(result, args.verbose)


def _print(result: dict[str, Any], verbose: bool) -> None:
    print(
        f"\n[{result['split']}] {result['texts']} texts, {result['findings']} findings, {result['seconds']} s"
    )
    print(f"{'type':22} {'found':>9} {'recall':>7} {'correct':>9} {'precision':>9}")
    for name, row in result["per_type"].items():
        recall = "-" if row["recall"] is None else f"{row['recall']:.2f}"
        precision = "-" if row["precision"] is None else f"{row['precision']:.2f}"
        print(
            f"{name:22} {row['found']:>4}/{row['findings']:<4} {recall:>7} "
            f"{row['correct']:>4}/{row['extracted']:<4} {precision:>9}"
        )
    print(
        f"{'all':22} recall {result['recall']}, precision {result['precision']}, "
        f"actor {result['actor_accuracy']}, recipient {result['recipient_accuracy']}"
    )
    print(
        f"{'':22} of found findings: claimant right {result['claimant_accuracy']}, "
        f"stance right {result['stance_accuracy']}"
    )
    if verbose:
        print("\nmissed:", *result["misses"], sep="\n  ")
        print("\nwrong:", *result["wrong"], sep="\n  ")
        print("\nclaimant wrong:", *result["claimant_misses"], sep="\n  ")
        print("\nstance wrong:", *result["stance_misses"], sep="\n  ")


if __name__ == "__main__":
    main()
