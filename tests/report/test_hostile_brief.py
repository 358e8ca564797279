"""A report carrying markup and terminal escapes shows in the brief as inert text."""

from __future__ import annotations

from pathlib import Path

from tests.assess.pipeline_support import ingest
from watchfloor.report.write import write_brief
from watchfloor.sources.reports import read_many
from watchfloor.store import open_store

HOSTILE = (
    "SEOUL, March 12, 2025 (Reuters) - North Korea has shipped millions of artillery shells to Russia "
    "<script>alert(1)</script>, South Korea's spy agency said on Wednesday, citing the ship "
    "\x1b[31mRED\x1b[0m <img src=x onerror=alert(2)> as the carrier.\n"
)


def test_markup_and_escapes_in_a_report_are_inert_in_the_brief(tmp_path: Path) -> None:
    source = tmp_path / "reuters_hostile.txt"
    source.write_text(HOSTILE, encoding="utf-8")
    outcome = read_many([source], None, "Reuters")
    assert not outcome.errors
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    assert ingest(store, outcome.reports) >= 1
    result = write_brief(store, tmp_path / "brief.html")
    store.close()
    html = Path(result.html).read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "\x1b" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "alert(1)" not in html
