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


def _roles_right(event: Any, finding: dict[str, Any], exact: bool = False) -> bool:
    """Strict scoring: each state the annotation names as actor or recipient is among the event's
    (the annotation names one where the text does). ``exact`` also wants a role the annotation
    leaves empty to be empty in the event (no state inferred from a firm's nationality or context)."""
    for role, attr in (("actor", "source_actors"), ("recipient", "target_actors")):
        wanted, got = finding[role], getattr(event, attr)
        if (wanted is None and got and exact) or (wanted is not None and wanted not in got):
            return False
    return True


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
    found_strict: Counter[str] = Counter()
    found_exact: Counter[str] = Counter()
    correct_exact: Counter[str] = Counter()
    correct_strict: Counter[str] = Counter()
    role_misses: list[str] = []
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
                found_exact[kind] += any(_roles_right(e, finding, exact=True) for e in hits)
                strict = [e for e in hits if _roles_right(e, finding)]
                if strict:
                    found_strict[kind] += 1
                else:
                    role_misses.append(
                        f"{doc['doc']}: {finding['actor']}->{finding['recipient']} vs "
                        f"{[(e.source_actors, e.target_actors) for e in hits]}: {finding['quote'][:60]}"
                    )
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
            matched = [
                f
                for f in doc["findings"]
                if event.type.value in f["types"]
                and any(s.start < f["end"] and f["start"] < s.end for s in event.spans)
            ]
            correct_strict[event.type.value] += any(_roles_right(event, f) for f in matched)
            correct_exact[event.type.value] += any(_roles_right(event, f, exact=True) for f in matched)
            for claim in event.claims:  # claimant precision: each claim told on a true event
                told = [f for f in matched if claim.span.start < f["end"] and f["start"] < claim.span.end]
                if told:
                    roles["claims_made"] += 1
                    roles["claims_made_right"] += any(
                        _same_speaker(claim.speaker, f.get("claimant") or []) for f in told
                    )
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
    claimant_recall = roles["claimant_right"] / all_total if all_total else 0.0
    claimant_precision = roles["claims_made_right"] / roles["claims_made"] if roles["claims_made"] else 0.0
    claimant_f1 = (
        2 * claimant_precision * claimant_recall / (claimant_precision + claimant_recall)
        if claimant_precision + claimant_recall
        else 0.0
    )
    return {
        "split": split or "all",
        "strict_recall": round(sum(found_strict.values()) / all_total, 3),
        "strict_precision": round(sum(correct_strict.values()) / all_extracted, 3) if all_extracted else None,
        "exact_recall": round(sum(found_exact.values()) / all_total, 3),
        "exact_precision": round(sum(correct_exact.values()) / all_extracted, 3) if all_extracted else None,
        "claimant_precision": round(claimant_precision, 3),
        "claimant_recall": round(claimant_recall, 3),
        "claimant_f1": round(claimant_f1, 3),
        "role_misses": role_misses,
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
        f"{'':22} strict (type, actor and recipient right): recall {result['strict_recall']}, "
        f"precision {result['strict_precision']} (exact roles: {result['exact_recall']}/"
        f"{result['exact_precision']}); claimant P {result['claimant_precision']} "
        f"R {result['claimant_recall']} F1 {result['claimant_f1']}"
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
        print("\nroles wrong:", *result["role_misses"], sep="\n  ")


if __name__ == "__main__":
    main()
