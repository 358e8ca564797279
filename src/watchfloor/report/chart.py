"""The indicator timeline chart of the brief: inline SVG, generated here, no script, no network.

One row per indicator, coloured by status from the day it changed; a top row steps through the
supported stage. Dates run left to right from the first evidence to the assessment date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from watchfloor.assess.policy import Status

STATUS_COLOURS = {
    Status.NOT_OBSERVED: "#e5e7eb",
    Status.SPECULATIVE: "#fde68a",
    Status.REPORTED: "#fdba74",
    Status.CORROBORATED: "#f87171",
    Status.CONFIRMED: "#b91c1c",
}
STAGE_COLOUR = "#1e3a8a"


@dataclass(frozen=True)
class ChartRow:
    label: str
    changes: list[tuple[date, Status]]


def _ticks(start: date, end: date, max_ticks: int = 8) -> list[date]:
    """Month starts between ``start`` and ``end``, thinned to at most ``max_ticks``."""
    months: list[date] = []
    current = date(start.year, start.month, 1)
    while current <= end:
        if current >= start:
            months.append(current)
        current = date(current.year + (current.month // 12), current.month % 12 + 1, 1)
    step = max(1, -(-len(months) // max_ticks))
    return months[::step]


def timeline_svg(rows: list[ChartRow], stages: list[tuple[date, int]], end: date, *, width: int = 960) -> str:
    """The chart as an ``<svg>`` element (a string)."""
    dates = [d for row in rows for d, _ in row.changes] + [d for d, _ in stages]
    start = min(dates) if dates else end - timedelta(days=30)
    start = start - timedelta(days=max(7, (end - start).days // 20))
    end = max(end, start + timedelta(days=1))
    label_w, pad_r, row_h, top = 300, 20, 24, 40
    plot_w = width - label_w - pad_r
    span_days = max((end - start).days, 1)

    def x(day: date) -> float:
        return label_w + plot_w * ((day - start).days / span_days)

    n_rows = len(rows) + 1
    height = top + n_rows * row_h + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Indicator timeline" class="timeline">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for tick in _ticks(start, end):
        tx = x(tick)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{top + n_rows * row_h}" stroke="#d1d5db" '
            'stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{tx:.1f}" y="{top - 10}" font-size="11" text-anchor="middle" fill="#374151">'
            f"{tick.strftime('%b %Y')}</text>"
        )
    # Stage row.
    y0 = top
    parts.append(f'<text x="8" y="{y0 + 16}" font-size="12" font-weight="bold" fill="#111827">Stage</text>')
    for i, (day, level) in enumerate(stages):
        nxt = stages[i + 1][0] if i + 1 < len(stages) else end
        shade = min(0.15 + 0.2 * level, 1.0)
        parts.append(
            f'<rect x="{x(day):.1f}" y="{y0 + 3}" width="{max(x(nxt) - x(day), 2):.1f}" height="{row_h - 6}" '
            f'fill="{STAGE_COLOUR}" fill-opacity="{shade:.2f}"><title>stage {level} from {day}</title></rect>'
        )
        parts.append(
            f'<text x="{x(day) + 3:.1f}" y="{y0 + 16}" font-size="11" fill="#ffffff" '
            f'stroke="#1e3a8a" stroke-width="0.3">{level}</text>'
        )
    for r, row in enumerate(rows, start=1):
        y = top + r * row_h
        parts.append(
            f'<text x="8" y="{y + 16}" font-size="11" fill="#111827">{escape(row.label[:48])}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{plot_w}" height="{row_h - 6}" '
            f'fill="{STATUS_COLOURS[Status.NOT_OBSERVED]}"/>'
        )
        for i, (day, status) in enumerate(row.changes):
            nxt = row.changes[i + 1][0] if i + 1 < len(row.changes) else end
            parts.append(
                f'<rect x="{x(day):.1f}" y="{y + 3}" width="{max(x(nxt) - x(day), 2):.1f}" '
                f'height="{row_h - 6}" fill="{STATUS_COLOURS[status]}" class="status-{status.value}">'
                f"<title>{escape(row.label)}: {status.value} from {day}</title></rect>"
            )
    ly = top + n_rows * row_h + 24
    lx = float(label_w)
    for status, colour in STATUS_COLOURS.items():
        parts.append(f'<rect x="{lx:.0f}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>')
        name = status.value.replace("_", " ")
        parts.append(f'<text x="{lx + 16:.0f}" y="{ly}" font-size="11" fill="#374151">{name}</text>')
        lx += 120
    parts.append("</svg>")
    return "".join(parts)
