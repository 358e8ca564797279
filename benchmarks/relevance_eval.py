"""Precision and recall of document relevance (relevance-v1) on a real mixed feed.

The feed: every narrative summary (``COMMENTS1``) of the official UN Security Council
Consolidated List in ``../shared/data/sanctions/un`` (914 texts, 140 of them on DPRK entries of
the 1718 Committee, the rest on Al-Qaida, Taliban, Iran, Iraq, Libya, Somalia, CAR and other
regimes), plus the founding AP report. The label is the list's own: a text is about the watched
pair when its entry is a DPRK entry (reference ``KP...``) or it is the founding report; nothing is
annotated here. Relevance is what ``watchfloor.extract.reports.extract_reports`` sets.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/relevance_eval.py [--json]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as ET

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


def evaluate() -> dict[str, Any]:
    from watchfloor.extract.reports import extract_reports
    from watchfloor.sources.reports import Report, read_reports

    items = feed()
    reports = [
        Report(text=t, published=date(2026, 2, 27), origin=i, source="UN Security Council")
        for i, t, _ in items
    ]
    reports.append(read_reports(FOUNDING).reports[0])
    labels = [about for _i, _t, about in items] + [True]
    began = time.perf_counter()
    flags = [x.relevant for x in extract_reports(reports)]
    seconds = time.perf_counter() - began
    tp = sum(f and lab for f, lab in zip(flags, labels, strict=True))
    fp = sum(f and not lab for f, lab in zip(flags, labels, strict=True))
    fn = sum(lab and not f for f, lab in zip(flags, labels, strict=True))
    wrong = [r.origin for r, f, lab in zip(reports, flags, labels, strict=True) if f and not lab]
    return {
        "texts": len(reports),
        "about_watched_pair": sum(labels),
        "flagged_relevant": sum(flags),
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "false_positives": wrong,
        "seconds": round(seconds, 1),
    }


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
        f"{result['texts']} texts, {result['about_watched_pair']} about the watched pair, "
        f"{result['flagged_relevant']} flagged relevant: precision {result['precision']}, "
        f"recall {result['recall']} ({result['seconds']} s)"
    )
    print("false positives:", ", ".join(result["false_positives"]) or "none")


if __name__ == "__main__":
    main()
