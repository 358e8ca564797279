# Over 500 lines on purpose: one HTML document and the citer numbering its footnotes for every section.
"""The brief: a self-contained HTML write-up of the assessment, every statement footnoted.

Key judgements use estimative language tied to the grades (:func:`watchfloor.assess.grading.estimate`);
the stage comes with what would move it; an inline SVG chart shows each indicator's status over
time; each event lists the claims that tell it, and each claim, AIS event and list entry is a
footnote pointing at the stored record (``data-kind`` and ``data-record`` on every footnote: a
provenance id for a document span, a maritime event id, a list entry key). No script, no external
asset: the file renders the same offline.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from watchfloor.assess.assessment import CLAIM_GRADE_ALGORITHM, Assessment
from watchfloor.assess.evidence import is_synthetic_document, is_synthetic_maritime
from watchfloor.assess.grading import Grade
from watchfloor.assess.indicators import IndicatorResult, SourceSummary
from watchfloor.assess.policy import Status
from watchfloor.assess.review import audit_log
from watchfloor.graph.actors import actor_name
from watchfloor.graph.resolve import list_merges
from watchfloor.inert import show_controls
from watchfloor.model.grades import CREDIBILITY_MEANING, RELIABILITY_MEANING
from watchfloor.model.schema import Schema
from watchfloor.report.chart import ChartRow, timeline_svg
from watchfloor.store.models import (
    Claim,
    Document,
    Entity,
    Event,
    ListEntryRecord,
    MaritimeEvent,
    Provenance,
)

BRIEF_VERSION = "watchfloor-brief-v1"

_CSS = """
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#111827;max-width:1000px;margin:24px auto;
padding:0 16px;line-height:1.45;font-size:14px}
h1{font-size:24px;margin-bottom:4px}h2{font-size:18px;border-bottom:2px solid #1e3a8a;padding-bottom:3px;
margin-top:28px}h3{font-size:15px;margin-bottom:4px}
.meta{color:#4b5563;font-size:12px}.stage{background:#eef2ff;border-left:6px solid #1e3a8a;padding:10px 14px}
.stage .level{font-size:20px;font-weight:bold}table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{border:1px solid #d1d5db;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f3f4f6}
.status{font-weight:bold;padding:1px 6px;border-radius:3px}.st-not_observed{background:#e5e7eb}
.st-speculative{background:#fde68a}.st-reported{background:#fdba74}.st-corroborated{background:#f87171}
.st-confirmed{background:#b91c1c;color:#fff}.rejected{text-decoration:line-through;color:#6b7280}
sup a{text-decoration:none}ol.footnotes{font-size:12px}ol.footnotes li{margin-bottom:6px}
blockquote{margin:2px 0 2px 12px;padding-left:8px;border-left:3px solid #d1d5db;color:#374151}
.small{font-size:12px;color:#4b5563}.judgement{margin:6px 0}
.synthetic{background:#7c3aed;color:#fff;font-weight:bold;padding:0 4px;border-radius:3px;font-size:11px}
.warning{background:#fef3c7;border-left:6px solid #b45309;padding:8px 12px}
.no-evidence .level{font-size:20px;font-weight:bold;color:#b45309}
"""


def escape(value: str, quote: bool = True) -> str:
    """HTML-escaped text from outside, its control characters shown inert (``\\x1b``)."""
    return html.escape(show_controls(value), quote)


@dataclass
class Footnotes:
    """Numbered footnotes, one per record cited, in order of first citation."""

    items: list[tuple[str, str, str]] = field(default_factory=list)
    index: dict[tuple[str, str], int] = field(default_factory=dict)

    def cite(self, kind: str, record: str, body: str) -> str:
        key = (kind, record)
        if key not in self.index:
            self.items.append((kind, record, body))
            self.index[key] = len(self.items)
        n = self.index[key]
        return f'<sup><a href="#fn-{n}" id="ref-{n}-{len(self.items)}">[{n}]</a></sup>'

    def html(self) -> str:
        rows = [
            f'<li id="fn-{n}" data-kind="{escape(kind)}" data-record="{escape(record)}">{body}</li>'
            for n, (kind, record, body) in enumerate(self.items, start=1)
        ]
        return '<ol class="footnotes">' + "".join(rows) + "</ol>"


class _Citer:
    """Looks up stored records and turns them into footnotes."""

    def __init__(self, session: Session, notes: Footnotes) -> None:
        self.session = session
        self.notes = notes
        self._docs: dict[str, Document | None] = {}

    def doc(self, document_id: str) -> Document | None:
        if document_id not in self._docs:
            self._docs[document_id] = self.session.get(Document, document_id)
        return self._docs[document_id]

    def span(self, provenance_id: str, grade: Grade | None = None) -> str:
        row = self.session.get(Provenance, provenance_id)
        if row is None or row.document_id is None:
            return ""
        document = self.doc(row.document_id)
        if document is None:
            return ""
        quote = row.quote or document.text[row.start or 0 : row.end or 0]
        title = f" “{escape(document.title)}”" if document.title else ""
        body = (
            f"<b>{escape(document.source or 'unknown source')}</b>{title}, "
            f"{document.published.isoformat() if document.published else 'undated'}"
            f"{_graded(grade)}; document {escape(document.id[:16])}, "
            f"characters {row.start}-{row.end}:<blockquote>{escape(quote)}</blockquote>"
            f'<span class="small">{escape(document.origin)}</span>'
        )
        return self.notes.cite("document_span", provenance_id, body)

    def ais(self, maritime_id: str) -> str:
        row = self.session.get(MaritimeEvent, maritime_id)
        if row is None:
            return ""
        positions = (row.data or {}).get("positions") or []
        cited = "; ".join(
            f"{escape(str(p.get('src_file', '?')))}:{p.get('src_line', '?')} ({escape(str(p.get('ts', '')))})"
            for p in positions[:4]
            if isinstance(p, dict)
        )
        where = f" at {escape(row.port)}" if row.port else ""
        if row.lat is not None and row.lon is not None:
            where += f" ({row.lat:.3f}, {row.lon:.3f})"
        other = f" with MMSI {row.other_mmsi}" if row.other_mmsi else ""
        body = (
            (SYNTHETIC_LABEL if is_synthetic_maritime(row.data) else "")
            + f"<b>AIS {escape(row.kind.replace('_', ' '))}</b>: "
            f"{escape(row.vessel_name or 'unnamed vessel')} "
            f"(MMSI {row.mmsi}{', IMO ' + str(row.imo) if row.imo else ''}){other}{where}, "
            f"{row.start.isoformat()} to {row.end.isoformat()}; event {escape(row.id)}"
            + (f"; AIS rows {cited}" if cited else "")
            + (f"; list entries {escape(', '.join(map(str, row.list_entries)))}" if row.list_entries else "")
        )
        return self.notes.cite("ais", maritime_id, body)

    def list_entry(self, key: str) -> str:
        source, _, entry_id = key.partition(":")
        row = self.session.scalars(
            select(ListEntryRecord).where(
                ListEntryRecord.source == source, ListEntryRecord.entry_id == entry_id
            )
        ).first()
        if row is None:
            return ""
        body = (
            f"<b>List entry {escape(key)}</b>: {escape(row.caption)} ({escape(row.schema)}); "
            f"programmes {escape(', '.join(map(str, row.programmes)) or 'n/a')}; "
            f"listed {row.listed_on.isoformat() if row.listed_on else 'date n/a'}"
            + (f"; {escape(row.url)}" if row.url else "")
            + (f"; place in file {escape(row.place)}" if row.place else "")
        )
        return self.notes.cite("list_entry", key, body)


SYNTHETIC_LABEL = (
    "<span class='synthetic' title='simulated data: never counted as evidence'>SYNTHETIC</span> "
)


def _graded(grade: Grade | None) -> str:
    """``, graded B2 (the rule that gave it)``: the one grade a claim has wherever it is shown."""
    if grade is None:
        return ""
    return (
        f", graded <b>{escape(grade.code)}</b> <span class='small'>({escape(grade.explanation)}; one grade "
        f"per claim, {CLAIM_GRADE_ALGORITHM})</span>"
    )


def _actors(value: str | None) -> str:
    """Readable actor names of a stored actor field (``kp,ru`` -> ``North Korea, Russia``)."""
    if not value:
        return "unknown"
    return ", ".join(actor_name(part.strip()) for part in value.split(",") if part.strip())


def _status(status: Status | str) -> str:
    value = status.value if isinstance(status, Status) else str(status)
    return f'<span class="status st-{escape(value)}">{escape(value.replace("_", " "))}</span>'


def _claim_refs(
    citer: _Citer, result: IndicatorResult, grades: dict[str, Grade], roles: tuple[str, ...] = ("supports",)
) -> str:
    refs: list[str] = []
    for claim in result.claims:
        if claim.role in roles:
            refs.extend(citer.span(s, grades.get(claim.claim_id, claim.grade)) for s in claim.span_ids)
    for item in result.maritime:
        refs.append(citer.ais(item.maritime_id))
    return "".join(r for r in refs if r)


def _source_grade(source: SourceSummary, grades: dict[str, Grade]) -> str:
    """A document source is shown with the grade of its best claim (the claim's one grade)."""
    if source.best_claim and source.best_claim in grades:
        return grades[source.best_claim].code
    return source.best_grade


def _judgement(result: IndicatorResult, citer: _Citer, grades: dict[str, Grade]) -> str:
    best = max((s for s in result.sources if s.kind != "analyst"), key=lambda s: s.weight, default=None)
    grade = _source_grade(best, grades) if best else "F6"
    meaning = (
        f"best source {grade}: {RELIABILITY_MEANING.get(grade[:1], '')}, "
        f"{CREDIBILITY_MEANING.get(int(grade[1:]) if grade[1:].isdigit() else 6, '')}"
    )
    if result.status is Status.SPECULATIVE:
        text = (
            f"Reporting only speculates that {escape(result.statement)}; "
            f"we cannot assess its likelihood on this evidence"
        )
        refs = _claim_refs(citer, result, grades, ("speculates",))
    else:
        text = f"It is <b>{escape(result.estimate.value)}</b> that {escape(result.statement)}"
        refs = _claim_refs(citer, result, grades)
    sources = "; ".join(s.label for s in result.sources if s.counts) or "none"
    denials = ""
    if result.denials:
        denials = (
            " Denied by "
            + ", ".join(sorted({escape(d.speaker) for d in result.denials}))
            + (" (a denial by an accused party is recorded, not treated as refutation)")
        )
        denials += (
            "".join(citer.span(s, grades.get(d.claim_id)) for d in result.denials for s in d.span_ids) + "."
        )
    return (
        f'<p class="judgement">{text}{refs}. {_status(result.status)} — {result.independent_sources} '
        f"independent source(s): {escape(sources)}; {escape(meaning)}; "
        f"{escape(result.estimate_reason)}.{denials}</p>"
    )


def _event_rows(session: Session, citer: _Citer, assessment: Assessment) -> str:
    indicator_of: dict[str, list[str]] = defaultdict(list)
    for result in assessment.indicators:
        for event_id in result.events + result.rejected_events:
            indicator_of[event_id].append(result.name)
    events = sorted(
        session.scalars(select(Event).order_by(Event.date_start, Event.id)),
        key=lambda e: (e.id not in indicator_of, e.status == "rejected"),
    )
    rows = []
    for event in events:
        claims = list(session.scalars(select(Claim).where(Claim.event_id == event.id).order_by(Claim.id)))
        if assessment.as_of is not None:
            claims = [
                c
                for c in claims
                if (d := citer.doc(c.document_id)) is None
                or d.published is None
                or d.published <= assessment.as_of
            ]
        if not claims:
            continue
        refs: list[str] = []
        tellers = []
        for claim in claims:
            spans = session.scalars(
                select(Provenance).where(
                    Provenance.subject_id.in_([claim.id]), Provenance.kind == "document_span"
                )
            ).all()
            document = citer.doc(claim.document_id)
            synthetic = document is not None and is_synthetic_document(document.meta, document.origin)
            grade = assessment.claim_grades.get(claim.id)
            refs.extend(citer.span(s.id, grade) for s in spans)
            tellers.append(
                (SYNTHETIC_LABEL if synthetic else "")
                + f"{escape(claim.speaker)} ({escape(claim.stance)}{', hedged' if claim.hedged else ''}"
                + (f", {escape(grade.code)}" if grade else "")
                + ")"
            )
        cls = ' class="rejected"' if event.status == "rejected" else ""
        actors = f"{escape(_actors(event.source_actor))} → {escape(_actors(event.target_actor))}"
        if event.date_start:
            when = event.date_start.isoformat()
            if event.date_end and event.date_end != event.date_start:
                when += f" to {event.date_end.isoformat()}"
        else:
            when = f"by {event.date_end.isoformat()}" if event.date_end else "undated"
        rows.append(
            f"<tr{cls}><td><code>{escape(event.id)}</code></td><td>{escape(event.type)}</td><td>{actors}</td>"
            f"<td>{escape(event.object or '')}</td><td>{escape(event.place or '')}</td><td>{when}</td>"
            f"<td>{escape(event.status)}</td><td>{'; '.join(tellers)}{''.join(r for r in refs if r)}</td>"
            f"<td>{escape('; '.join(indicator_of.get(event.id, [])))}</td></tr>"
        )
    if not rows:
        return "<p>No events extracted.</p>"
    return (
        "<table><tr><th>event</th><th>type</th><th>who → whom</th><th>what</th><th>where</th><th>when</th>"
        "<th>review</th><th>told by</th><th>indicators</th></tr>" + "".join(rows) + "</table>"
    )


def _maritime_rows(session: Session, citer: _Citer, assessment: Assessment) -> str:
    """The AIS events behind an indicator or involving a list-linked vessel (not all traffic)."""
    as_of = assessment.as_of
    cited = {m.maritime_id for r in assessment.indicators for m in r.maritime}
    statement = select(MaritimeEvent).order_by(MaritimeEvent.start, MaritimeEvent.id)
    rows = []
    simulated = 0
    unshown: dict[str, int] = {}  # simulated events outside the table, by kind: named, never hidden
    for row in session.scalars(statement):
        if as_of is not None and row.start.date() > as_of:
            continue
        if row.id not in cited and not row.list_entries:
            if is_synthetic_maritime(row.data):
                unshown[row.kind] = unshown.get(row.kind, 0) + 1
            continue
        synthetic = is_synthetic_maritime(row.data)
        simulated += synthetic
        lists = "".join(citer.list_entry(str(k)) for k in row.list_entries or [])
        label = SYNTHETIC_LABEL + "simulation, not evidence: " if synthetic else ""
        opening = "<tr class='synthetic-row'>" if synthetic else "<tr>"
        rows.append(
            f"{opening}<td>{label}{escape(row.kind)}</td><td>{escape(row.vessel_name or '')}</td>"
            f"<td>{row.mmsi}</td>"
            f"<td>{row.imo or ''}</td><td>{escape(row.port or '')}</td>"
            f"<td>{row.start.date().isoformat()}</td>"
            f"<td>{escape(', '.join(map(str, row.list_entries or [])))}{lists}</td>"
            f"<td>{citer.ais(row.id)}</td></tr>"
        )
    note = (
        f"<p class='warning'>{SYNTHETIC_LABEL}simulation, not evidence: {sum(unshown.values())} simulated "
        f"AIS event(s) ({escape(', '.join(f'{k} {n}' for k, n in sorted(unshown.items())))}) of invented "
        "ships are stored and never counted; <code>watchfloor ais events</code> lists them.</p>"
        if unshown
        else ""
    )
    if not rows:
        return "<p>No AIS event involves a list-linked vessel or backs an indicator.</p>" + note
    warning = (
        f"<p class='warning'>{SYNTHETIC_LABEL}{simulated} AIS event(s) below come from a simulation: "
        "they are shown to demonstrate the maritime path and are never counted as a source or as "
        "corroboration.</p>"
        if simulated
        else ""
    )
    return (
        warning + "<table><tr><th>kind</th><th>vessel</th><th>MMSI</th><th>IMO</th><th>port</th><th>date</th>"
        "<th>list entries</th><th>AIS</th></tr>" + "".join(rows) + "</table>" + note
    )


def _entity_rows(session: Session, citer: _Citer) -> str:
    merges = list_merges(session)
    merged_into: dict[str, list[str]] = defaultdict(list)
    for view in merges:
        merged_into[view.into].append(view.entity_id)
    rows = []
    for entity in session.scalars(
        select(Entity).where(Entity.merged_into.is_(None)).order_by(Entity.schema, Entity.caption)
    ):
        names = ", ".join(escape(n.name) for n in entity.names[:8])
        idents = ", ".join(f"{escape(i.scheme)} {escape(i.value)}" for i in entity.identifiers[:6])
        members = []
        for view in merges:
            if view.into != entity.id:
                continue
            refs: list[str] = []
            for item in view.evidence:
                if item.kind == "list_entry" and item.list_entry_key:
                    refs.append(citer.list_entry(item.list_entry_key))
                elif item.kind == "ais" and item.maritime_event_id:
                    refs.append(citer.ais(item.maritime_event_id))
            members.append(
                f"{escape(view.caption)} <code>{escape(view.entity_id)}</code>: {escape(view.rule)}"
                f"{'' if view.strong else ' (weak)'}{''.join(r for r in refs if r)}"
            )
        key = (entity.data or {}).get("list_entry")
        if entity.schema == Schema.VESSEL and not key and not members:
            continue  # AIS traffic with no list link and nothing merged: not involved
        listed = citer.list_entry(str(key)) if key else ""
        rows.append(
            f"<tr><td>{escape(entity.schema)}</td><td>{escape(entity.caption)}{listed}<br>"
            f"<code class='small'>{escape(entity.id)}</code></td><td>{names}</td><td>{idents}</td>"
            f"<td>{'<br>'.join(members)}</td></tr>"
        )
    if not rows:
        return "<p>No entities resolved.</p>"
    return (
        "<table><tr><th>kind</th><th>entity</th><th>names</th><th>identifiers</th><th>merged records "
        "(rule, evidence)</th></tr>" + "".join(rows) + "</table>"
    )


def render_brief(session: Session, assessment: Assessment, *, title: str | None = None) -> str:
    """The brief for ``assessment`` as one self-contained HTML document."""
    notes = Footnotes()
    citer = _Citer(session, notes)
    stage = assessment.current_stage
    as_of = assessment.as_of or datetime.now(UTC).date()
    heading = title or "DPRK–Russia military cooperation: evidence and countermeasure stage"
    parts: list[str] = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:">',
        f"<title>{escape(heading)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(heading)}</h1>",
        f"<p class='meta'>Assessment as of {as_of.isoformat()}"
        f"{' (evidence reported after this date ignored)' if assessment.as_of else ''}; generated "
        f"{assessment.computed_at.strftime('%Y-%m-%d %H:%M UTC')}; "
        f"policy {escape(assessment.policy_version)}; "
        f"algorithms {escape(', '.join(assessment.algorithms.values()))}; {BRIEF_VERSION}. Evidence: "
        f"{assessment.counts.get('events', 0)} events, {assessment.counts.get('claims', 0)} claims from "
        f"{assessment.counts.get('documents_cited', 0)} documents, "
        f"{assessment.counts.get('maritime_events', 0)} "
        "AIS events.</p>",
        "<h2>Key judgements</h2>",
    ]
    grades = assessment.claim_grades
    if assessment.no_evidence:
        parts.append(
            "<div class='warning no-evidence'><div class='level'>No evidence: nothing is assessed</div>"
            "<p>The store holds no claim from any report and no real AIS event, so this brief makes no "
            "judgement and supports no stage. Ingest reports or AIS, or check that the store is the "
            f"one you meant.</p><p class='small'>{escape(assessment.explanation)}</p></div>"
        )
    else:
        parts.append(
            f"<div class='stage'><div class='level'>Stage {stage.level}: {escape(stage.name)}</div>"
            f"<p>{escape(assessment.explanation)}</p><p>Options this stage opens: "
            + " ".join(escape(o) for o in stage.options)
            + (f" First supported on {stage.first_supported.isoformat()}." if stage.first_supported else "")
            + "</p></div>"
        )
    set_aside = assessment.counts.get("synthetic_claims_ignored", 0) + assessment.counts.get(
        "synthetic_maritime_ignored", 0
    )
    if set_aside:
        parts.append(
            f"<p class='warning'>{SYNTHETIC_LABEL}{set_aside} synthetic record(s) "
            f"({assessment.counts.get('synthetic_claims_ignored', 0)} claim(s), "
            f"{assessment.counts.get('synthetic_maritime_ignored', 0)} AIS event(s)) were set aside: "
            "simulated data never counts as a source or as corroboration.</p>"
        )
    for result in sorted(assessment.indicators, key=lambda r: -r.status.rank):
        if result.status is not Status.NOT_OBSERVED:
            parts.append(_judgement(result, citer, grades))
    not_seen = [r.name for r in assessment.indicators if r.status is Status.NOT_OBSERVED]
    if not_seen:
        parts.append(f"<p class='judgement'>Not observed in the evidence: {escape('; '.join(not_seen))}.</p>")
    parts.append("<h2>What would move the stage</h2>")
    if assessment.next_stage:
        parts.append(f"<h3>Up to {escape(assessment.next_stage)}: any one of</h3><ul>")
        parts.extend(f"<li>{escape(t.needs or '')}</li>" for t in assessment.missing_for_next)
        parts.append("</ul>")
    higher = [m for m in assessment.move_up if m.startswith("stage-")]
    if higher:
        parts.append(
            "<h3>Higher stages</h3><ul>" + "".join(f"<li>{escape(m)}</li>" for m in higher) + "</ul>"
        )
    parts.append(
        "<h3>Down</h3><ul>" + "".join(f"<li>{escape(m)}</li>" for m in assessment.move_down) + "</ul>"
    )
    parts.append(
        "<h2>Stages</h2><table><tr><th>level</th><th>stage</th><th>supported</th>"
        "<th>first supported</th><th>options</th></tr>"
    )
    for item in assessment.stages:
        parts.append(
            f"<tr><td>{item.level}</td><td>{escape(item.name)}</td>"
            f"<td>{'yes' if item.supported else 'no'}</td>"
            f"<td>{item.first_supported.isoformat() if item.first_supported else ''}</td>"
            f"<td>{escape('; '.join(item.options))}</td></tr>"
        )
    parts.append("</table>")
    rows = [ChartRow(r.name, [(c.on, c.status) for c in r.timeline]) for r in assessment.indicators]
    parts.append("<h2>Indicator timeline</h2>")
    seen = [c.on for r in assessment.indicators for c in r.timeline] + [
        d for d, _ in assessment.stage_timeline
    ]
    chart_end = assessment.as_of or (max(seen) + timedelta(days=45) if seen else as_of)
    parts.append(timeline_svg(rows, assessment.stage_timeline, chart_end))
    undated = assessment.counts.get("undated_claims", 0)
    if undated:
        parts.append(
            f"<p class='small undated'>{undated} undated claim(s) (no publication, claim or event date) "
            "count in the current statuses but are not placed on the timeline: no other report's date "
            "is lent to them.</p>"
        )
    if assessment.cooperation is not None:
        parts.append(
            f"<p class='small'>Degree of cooperation (a summary beside the stage, never instead of it): "
            f"<b>{assessment.cooperation.score:g}/100</b>. {escape(assessment.cooperation.explanation)}</p>"
        )
    parts.append(
        "<h2>Indicators</h2><table><tr><th>indicator</th><th>status</th><th>estimate</th>"
        "<th>independent sources</th><th>why</th></tr>"
    )
    for result in assessment.indicators:
        sources = "<br>".join(
            f"{escape(s.label)} ({escape(_source_grade(s, grades))}, weight {s.weight:g}"
            f"{'' if s.counts else ', too weak'})"
            + (
                f" <span class='small'>[{escape('; '.join(s.joined_because))}]</span>"
                if s.joined_because
                else ""
            )
            for s in result.sources
        )
        parts.append(
            f"<tr><td>{escape(result.name)}</td><td>{_status(result.status)}</td>"
            f"<td>{escape(result.estimate.value)}</td><td>{sources}</td><td>{escape(result.explanation)}</td></tr>"
        )
    parts.append("</table>")
    parts.append("<h2>Events</h2>")
    parts.append(_event_rows(session, citer, assessment))
    parts.append("<h2>Ship tracks (AIS)</h2>")
    parts.append(_maritime_rows(session, citer, assessment))
    parts.append("<h2>Vessels and entities involved</h2>")
    parts.append(_entity_rows(session, citer))
    log = audit_log(session)
    if log:
        parts.append(
            "<h2>Analyst review log</h2><table><tr><th>when</th><th>analyst</th><th>subject</th>"
            "<th>decision</th><th>why</th></tr>"
        )
        parts.extend(
            f"<tr><td>{e.at.strftime('%Y-%m-%d %H:%M')}</td><td>{escape(e.analyst)}</td>"
            f"<td>{escape(e.subject_kind)} <code>{escape(e.subject_id)}</code></td>"
            f"<td>{escape(e.decision)}</td>"
            f"<td>{escape(e.reason)}</td></tr>"
            for e in log
        )
        parts.append("</table>")
    parts.append("<h2>Sources</h2>")
    parts.append(notes.html())
    parts.append(
        "<p class='small'>Grades: source reliability A (completely reliable) to F (cannot be judged); "
        "information credibility 1 (confirmed by other sources) to 6 (cannot be judged). Estimative "
        "language follows the PHIA probability yardstick.</p></body></html>"
    )
    return "".join(parts)
