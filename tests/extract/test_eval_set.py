"""The evaluation set of real texts (benchmarks/data/extract_eval.jsonl): every span points at its
quote in the real text, and the extractor keeps the recall and precision recorded in RESULTS.md."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from watchfloor.sources.reports import read_reports

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "benchmarks" / "data" / "extract_eval.jsonl"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extract_eval", ROOT / "benchmarks" / "extract_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_span_is_its_quote(shared_data: Path) -> None:
    docs = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    assert len(docs) >= 40 and all(doc["provenance"] for doc in docs)
    assert {doc["split"] for doc in docs} == {"dev", "test"}
    for doc in docs:
        text = read_reports(shared_data / doc["path"]).reports[0].text if "path" in doc else doc["text"]
        for finding in doc["findings"]:
            assert text[finding["start"] : finding["end"]] == finding["quote"], doc["doc"]


@pytest.mark.slow
def test_recall_and_precision_hold() -> None:
    """The figures of RESULTS.md (2026-12-03) on both splits do not fall back."""
    dev = _bench().evaluate("dev")
    assert dev["recall"] >= 0.9 and dev["precision"] >= 0.85, dev["misses"] + dev["wrong"]
    for kind in ("sanctions_evasion", "port_call", "technology_transfer"):
        assert dev["per_type"][kind]["recall"] >= 0.9, kind
    test = _bench().evaluate("test")
    assert test["recall"] >= 0.7 and test["precision"] >= 0.85, test["misses"] + test["wrong"]
