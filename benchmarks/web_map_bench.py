"""Web map benchmark: the dashboard's map with the demo scenario's ~100,000 AIS track points, in
headless Debian Chromium: Leaflet's SVG renderer (as shipped) against its canvas renderer (same page,
same run).

Run: ``.venv/bin/python benchmarks/web_map_bench.py [--repeat 3] [--max-points 200000]``

It builds the demo store with ``watchfloor demo`` (as the tests do), serves it with the real app on
a loopback port, logs in with a fresh key, and measures in the page:
- first render: navigation to the map page until every track, marker and port is drawn;
- draw: drawing every track again with ``L.svg()`` (as shipped) and with ``L.canvas()`` (the peer);
- pan: ``panBy`` of 300 px, and zoom: one level in, each until the next frame is painted.
Figures are medians over ``--repeat`` runs; a ratio above 1 means canvas is slower than SVG.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The benchmark reuses the tests' demo store and live server (imports after the path is set).
from tests.conftest import SHARED_DATA  # noqa: E402
from tests.live_server import build_demo_store, live_server, make_keys, open_service  # noqa: E402
from tests.web.conftest import CHROMIUM  # noqa: E402

from watchfloor.service.users import Role  # noqa: E402

DRAW = """async (renderer) => {
  const s = watchfloor.mapview.last;
  const lines = s.trackLayer.getLayers();
  const layer = renderer === 'svg' ? L.svg({padding: 0.3}) : L.canvas({padding: 0.3});
  const t0 = performance.now();
  const group = L.layerGroup();
  lines.forEach(l => group.addLayer(
    L.polyline(l.getLatLngs(), Object.assign({}, l.options, {renderer: layer}))));
  s.map.removeLayer(s.trackLayer);
  group.addTo(s.map);
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const drawn = performance.now() - t0;
  const p0 = performance.now();
  s.map.panBy([300, 120], {animate: false});
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const pan = performance.now() - p0;
  s.map.panBy([-300, -120], {animate: false});
  const z0 = performance.now();
  s.map.setZoom(s.map.getZoom() + 1, {animate: false});
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const zoom = performance.now() - z0;
  s.map.setZoom(s.map.getZoom() - 1, {animate: false});
  s.map.removeLayer(group);
  s.map.addLayer(s.trackLayer);
  return {draw_ms: drawn, pan_ms: pan, zoom_ms: zoom, lines: lines.length};
}"""


def measure(repeat: int, max_points: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db = build_demo_store(Path(tmp), SHARED_DATA)
        service = open_service(db)
        key = make_keys(service)[Role.VIEWER]
        with live_server(service) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(base + "/login")
            page.fill("#key", key)
            page.click("form#login button[type=submit]")
            page.wait_for_url(base + "/")
            first, points, runs = [], 0, {"canvas": [], "svg": []}
            for _ in range(repeat):
                page.goto(base + f"/map?max_points={max_points}")
                page.wait_for_selector("body[data-loaded=true]", timeout=120_000)
                first.append(page.evaluate("watchfloor.mapRendered.loadMs"))
                points = page.evaluate("watchfloor.mapview.last.points")
                for renderer in ("canvas", "svg"):
                    runs[renderer].append(page.evaluate(DRAW, renderer))
            browser.close()
        service.close()

    def median(renderer: str, key: str) -> float:
        return round(statistics.median(r[key] for r in runs[renderer]), 1)

    figures = {
        "points": points,
        "track_lines": runs["canvas"][0]["lines"],
        "first_render_ms (fetch + draw, as shipped)": round(statistics.median(first), 1),
    }
    for action in ("draw", "pan", "zoom"):
        svg, canvas = median("svg", f"{action}_ms"), median("canvas", f"{action}_ms")
        figures[f"{action}_ms svg (shipped)"] = svg
        figures[f"{action}_ms canvas (peer)"] = canvas
        figures[f"{action} ratio canvas/svg"] = round(canvas / svg, 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--max-points", type=int, default=200_000, help="the map's track budget (API max_points)"
    )
    args = parser.parse_args()
    print(json.dumps(measure(args.repeat, args.max_points), indent=2))


if __name__ == "__main__":
    main()
