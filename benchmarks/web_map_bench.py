"""Web map benchmark: the dashboard's map with the demo scenario's ~100,000 AIS track points, in
headless Debian Chromium, against Leaflet's default SVG renderer as the peer (same page, same run).

Run: ``.venv/bin/python benchmarks/web_map_bench.py [--repeat 3]``

It builds the demo store with ``watchfloor demo`` (as the tests do), serves it with the real app on
a loopback port, logs in with a fresh key, and measures in the page:
- first render: navigation to the map page until every track, marker and port is drawn;
- draw: drawing every track again (canvas, as shipped) and with ``L.svg()`` (the peer);
- pan: ``panBy`` of 300 px until the next frame is painted, with each renderer.
Figures are medians over ``--repeat`` runs; the ratio says how many times slower the peer is.
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
  s.map.removeLayer(group);
  s.map.addLayer(s.trackLayer);
  return {draw_ms: drawn, pan_ms: pan, lines: lines.length};
}"""


def measure(repeat: int) -> dict[str, Any]:
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
                page.goto(base + "/map")
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
        "first_render_ms (fetch + draw, canvas)": round(statistics.median(first), 1),
        "draw_ms canvas": median("canvas", "draw_ms"),
        "draw_ms svg (peer)": median("svg", "draw_ms"),
        "pan_ms canvas": median("canvas", "pan_ms"),
        "pan_ms svg (peer)": median("svg", "pan_ms"),
    }
    figures["draw ratio svg/canvas"] = round(figures["draw_ms svg (peer)"] / figures["draw_ms canvas"], 2)
    figures["pan ratio svg/canvas"] = round(figures["pan_ms svg (peer)"] / figures["pan_ms canvas"], 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(measure(args.repeat), indent=2))


if __name__ == "__main__":
    main()
