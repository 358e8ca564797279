"""The timeline chart is well-formed SVG with one coloured run per status change."""

from __future__ import annotations

from datetime import date

import defusedxml.ElementTree as ET

from watchfloor.assess.policy import Status
from watchfloor.report.chart import STATUS_COLOURS, ChartRow, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_one_run_per_status_change_and_a_stage_row() -> None:
    rows = [
        ChartRow(
            "Munitions", [(date(2023, 10, 13), Status.REPORTED), (date(2024, 10, 18), Status.CORROBORATED)]
        ),
        ChartRow("Troops", [(date(2024, 10, 29), Status.REPORTED)]),
        ChartRow("Dark meetings", []),
    ]
    svg = timeline_svg(rows, [(date(2023, 10, 13), 1), (date(2024, 10, 18), 2)], date(2024, 11, 1))
    root = ET.fromstring(svg)
    rects = root.findall(f"{SVG}rect")
    fills = [r.get("fill") for r in rects]
    assert fills.count(STATUS_COLOURS[Status.CORROBORATED]) == 2  # one run + the legend
    assert fills.count(STATUS_COLOURS[Status.REPORTED]) == 3
    runs = [r for r in rects if (r.get("class") or "").startswith("status-")]
    assert [r.get("class") for r in runs] == ["status-reported", "status-corroborated", "status-reported"]
    # Later changes sit further right.
    assert float(runs[1].get("x") or 0) > float(runs[0].get("x") or 0)
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "stage 2 from 2024-10-18" in titles
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Dark meetings" in texts and "Oct 2024" in texts


def test_empty_chart_still_renders() -> None:
    root = ET.fromstring(timeline_svg([ChartRow("Munitions", [])], [], date(2024, 11, 1)))
    assert root.tag == f"{SVG}svg"
