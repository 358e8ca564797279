"""Writing the brief to a file (and a PDF beside it), from a fresh assessment of the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from watchfloor.assess.assessment import Assessment, assess
from watchfloor.assess.policy import Policy
from watchfloor.errors import WatchfloorError
from watchfloor.report.brief import render_brief
from watchfloor.report.pdf import html_to_pdf
from watchfloor.store import Store


@dataclass(frozen=True)
class BriefResult:
    html: Path
    pdf: Path | None
    stage: int
    stage_name: str
    footnotes: int
    size: int


def write_brief(
    store: Store, out: Path, *, as_of: date | None = None, pdf: bool = False, policy: Policy | None = None
) -> BriefResult:
    """Assess the store and write the brief to ``out`` (and ``out`` with ``.pdf`` on request)."""
    with store.session() as session:
        assessment: Assessment = assess(session, as_of, policy)
        html = render_brief(session, assessment)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise WatchfloorError(f"{out}: cannot write the brief: {exc.strerror}") from exc
    pdf_path = html_to_pdf(out, out.with_suffix(".pdf")) if pdf else None
    return BriefResult(
        out,
        pdf_path,
        assessment.current_stage.level,
        assessment.current_stage.name,
        html.count('<li id="fn-'),
        len(html.encode("utf-8")),
    )
