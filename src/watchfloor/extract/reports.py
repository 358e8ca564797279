"""Extraction of whole reports: the spaCy pipeline over a batch, then the rule layer per report."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from watchfloor.extract.events import ReportContext, RuleLayer
from watchfloor.extract.pipeline import bare_ner_pipeline, shared_pipeline
from watchfloor.extract.records import Event, Extraction, Mention
from watchfloor.extract.relevance import relevance
from watchfloor.extract.vocab import configured_gazetteer, configured_ontology
from watchfloor.sources.grades import SourceTable, source_table
from watchfloor.sources.reports import Report


@lru_cache(maxsize=1)
def _shared_rules() -> RuleLayer:
    return RuleLayer(shared_pipeline().vocab)


def context_of(report: Report, table: SourceTable) -> tuple[ReportContext, str, str | None]:
    """The report's context for the rules: its hash, date, graded source."""
    hints = [report.meta.get("sitename"), report.meta.get("hostname")]
    graded = table.grade(report.source, *hints)
    source = graded.name if graded.listed or report.source else None
    context = ReportContext(report.content_hash, report.published, source, graded.grade.value)
    return context, graded.grade.value, source


def extract_reports(
    reports: Iterable[Report],
    nlp: Any | None = None,
    rules: RuleLayer | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    table: SourceTable | None = None,
) -> Iterator[Extraction]:
    """Extract mentions, events and claims from each report, in order.

    ``n_process`` > 1 runs the whole pipeline in that many worker processes (worth it from a few
    dozen reports; see :func:`extract_parallel`).
    """
    table = table or source_table()
    if n_process > 1 and nlp is None and rules is None:
        batch = list(reports)
        contexts = [context_of(report, table) for report in batch]
        items = [(report.text, context) for report, (context, _g, _s) in zip(batch, contexts, strict=True)]
        found = extract_parallel(items, n_process, batch_size)
        for report, (_c, grade, source), (mentions, events) in zip(batch, contexts, found, strict=True):
            yield _extraction(report, grade, source, mentions, events)
        return
    nlp = nlp if nlp is not None else shared_pipeline()
    if rules is None:
        rules = _shared_rules() if nlp is shared_pipeline() else RuleLayer(nlp.vocab)
    pairs = ((report.text, report) for report in reports)
    for doc, report in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        context, grade, source = context_of(report, table)
        mentions, events = rules.extract(doc, context)
        yield _extraction(report, grade, source, mentions, events)


def _extraction(
    report: Report, grade: str, source: str | None, mentions: list[Mention], events: list[Event]
) -> Extraction:
    ontology = configured_ontology()
    judged = relevance(
        mentions, events, configured_gazetteer(), ontology.watched, ontology.relevance_mentions
    )
    return Extraction(
        document=report.content_hash,
        origin=report.origin,
        source=source,
        source_grade=grade,
        published=report.published,
        title=report.title,
        mentions=mentions,
        events=events,
        relevant=judged.relevant,
        relevance=judged.explanation,
    )


# --- parallel extraction ------------------------------------------------------------------------
# spaCy's own ``n_process`` ships every parsed Doc back to the parent, which then runs the rule
# layer alone; here each worker process runs the whole pipeline (spaCy and rules) on its chunk and
# returns only the small result records, so both cores do all of the work.

_worker_state: dict[str, Any] = {}


def _worker_init(bare: bool) -> None:

    if bare:
        _worker_state["nlp"] = bare_ner_pipeline()
    else:
        _worker_state["nlp"] = shared_pipeline()
        _worker_state["rules"] = _shared_rules()


def _worker_extract(chunk: list[tuple[str, ReportContext]]) -> list[tuple[list[Any], list[Any]]]:
    nlp = _worker_state["nlp"]
    rules: RuleLayer = _worker_state["rules"]
    docs = nlp.pipe([text for text, _ in chunk], batch_size=len(chunk))
    return [rules.extract(doc, context) for doc, (_, context) in zip(docs, chunk, strict=True)]


def _worker_entities(chunk: list[tuple[str, ReportContext]]) -> list[int]:
    nlp = _worker_state["nlp"]
    return [len(doc.ents) for doc in nlp.pipe([text for text, _ in chunk], batch_size=len(chunk))]


def extract_parallel(
    items: list[tuple[str, ReportContext]], n_process: int = 2, chunk_size: int = 16, bare_ner: bool = False
) -> Iterator[Any]:
    """Mentions and events per text (in order) from ``n_process`` workers running the whole pipeline.

    ``bare_ner=True`` runs spaCy's bare NER instead and yields entity counts (the benchmark's peer).
    """

    chunks = [items[i : i + chunk_size] for i in range(0, len(items), chunk_size)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    work: Callable[[list[tuple[str, ReportContext]]], list[Any]] = (
        _worker_entities if bare_ner else _worker_extract
    )
    with context.Pool(n_process, initializer=_worker_init, initargs=(bare_ner,)) as pool:
        for results in pool.imap(work, chunks):
            yield from results
