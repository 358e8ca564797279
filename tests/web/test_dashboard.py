"""The dashboard in headless Chromium against the real server on the demo store.

Each test logs in with a key made by ``add_user``, reads the figures the page must show from the API
itself (never hard-coded), and checks the page shows them; every context refuses and records any
request that leaves loopback, and every test ends asserting there was none and no script error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import HOSTILE, LiveServer, Watch, open_page
from watchfloor.maritime.scenario import STORY_VESSELS

SHUTTLE = STORY_VESSELS["dunai_shuttle"].name  # invented: the simulation borrows no real ship

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(autouse=True)
def nothing_leaves_loopback(watch: Watch) -> Iterator[None]:
    yield
    assert watch.outside == [], f"requests outside loopback: {watch.outside}"
    assert watch.errors == [], watch.errors


def login(context: Any, watch: Watch, live: LiveServer, role: str) -> Any:
    page = open_page(context, watch)
    page.goto(live.base + "/")
    page.wait_for_url(live.base + "/login*")  # no key yet: sent to the login page
    page.fill("#key", live.keys[role])
    page.click("form#login button[type=submit]")
    page.wait_for_url(live.base + "/")
    page.wait_for_selector("body[data-loaded=true]")
    return page


def visit(page: Any, live: LiveServer, path: str) -> Any:
    page.goto(live.base + path)
    page.wait_for_selector("body[data-loaded=true]", timeout=30_000)
    return page


def shot(page: Any, screenshots: Path, name: str) -> None:
    """The whole page as PNG, and what the window shows as a small JPEG (for the documentation)."""
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    page.screenshot(path=str(screenshots / f"{name}.jpg"), type="jpeg", quality=70)


def test_login_then_overview_shows_the_stage_and_every_indicator(
    context: Any, watch: Watch, live: LiveServer, screenshots: Path
) -> None:
    page = login(context, watch, live, "viewer")
    assessment = live.api("/assessment", "viewer")
    assert page.text_content("#stage-name") == assessment["stage"]["name"]
    assert page.text_content("#stage-index") == f"stage {assessment['stage']['index']}"
    rows = page.locator("#indicators tbody tr")
    assert rows.count() == len(assessment["indicators"]) > 0
    for indicator in assessment["indicators"]:
        row = page.locator(f'#indicators tr[data-indicator="{indicator["id"]}"]')
        assert row.locator("th").text_content() == indicator["name"]
    assert page.locator("#move-up li").count() == max(1, len(assessment["to_move_up"]))
    assert page.locator("#score-chart svg .band").count() == len(assessment["history"])
    assert page.text_content("#who") == "vera (viewer)"
    shot(page, screenshots, "overview")
    # As of the first day of the AIS scenario: what was known then, as the API says.
    page.fill("#as-of-date", "2024-10-02")
    page.click("#as-of-form button[type=submit]")
    page.wait_for_selector("body[data-loaded=true]")
    then = live.api("/assessment?as_of=2024-10-02", "viewer")
    assert page.text_content("#as-of") == "2024-10-02"
    assert page.text_content("#stage-name") == then["stage"]["name"]
    statuses = page.locator("#indicators tbody tr td:nth-child(2)").all_text_contents()
    assert statuses == [i["status"].replace("_", " ") for i in then["indicators"]]


def test_an_unknown_key_is_refused_at_login(context: Any, watch: Watch, live: LiveServer) -> None:
    page = open_page(context, watch)
    page.goto(live.base + "/login")
    page.fill("#key", "wf_not-a-key-anyone-was-given")
    page.click("form#login button[type=submit]")
    page.wait_for_selector("#error:has-text('not known')")
    assert page.url == live.base + "/login"
    assert page.evaluate("sessionStorage.getItem('watchfloor.key')") is None
    watch.errors.clear()  # the refused /me call and the message shown are logged, as they should be


def test_login_returns_to_the_page_asked_for_and_never_off_this_server(
    context: Any, watch: Watch, live: LiveServer
) -> None:
    page = open_page(context, watch)
    page.goto(live.base + "/timeline")
    page.wait_for_url(live.base + "/login?next=%2Ftimeline")
    page.fill("#key", live.keys["viewer"])
    page.click("form#login button[type=submit]")
    page.wait_for_url(live.base + "/timeline")
    page.wait_for_selector("body[data-loaded=true]")
    for hostile in (
        "//example.invalid/x",
        "/\\example.invalid/x",
        "/%09/example.invalid/x",
        "https://example.invalid/",
    ):
        page.evaluate("sessionStorage.clear()")
        page.goto(live.base + "/login?next=" + hostile)
        page.fill("#key", live.keys["viewer"])
        page.click("form#login button[type=submit]")
        page.wait_for_url(live.base + "/")
        page.wait_for_selector("body[data-loaded=true]")
    assert watch.outside == []


def _shuttle_dunai(live: LiveServer) -> dict[str, Any]:
    events = live.api("/maritime/events?kind=port_visit&limit=500")["items"]
    shuttle = [e for e in events if any(v.get("name") == SHUTTLE for v in e["vessels"])]
    found = [e for e in shuttle if "Dunai" in str(e["details"])]
    assert found, f"the demo scenario has {SHUTTLE} calling at Dunai"
    return found[0]


def test_map_draws_the_simulated_shuttle_track_and_opens_its_dunai_port_visit(
    context: Any, watch: Watch, live: LiveServer, screenshots: Path
) -> None:
    page = login(context, watch, live, "viewer")
    visit(page, live, "/map")
    visit_event = _shuttle_dunai(live)
    assert visit_event["synthetic"]
    tracks = live.api("/maritime/tracks?max_points=100000")["vessels"]
    drawn = page.evaluate(
        "() => { const s = watchfloor.mapview.last; const lines = s.trackLayer.getLayers();"
        " return {points: s.points, lines: lines.length,"
        " dashed: lines.filter(l => l.options.dashArray).length,"
        " red: lines.filter(l => l.options.color === '#c51b1b').length}; }"
    )
    assert drawn["points"] == sum(len(s["points"]) for v in tracks for s in v["segments"])
    assert drawn["dashed"] == sum(1 for v in tracks for s in v["segments"] if s["gap"]) > 0
    # Listed vessels' tracks are highlighted red; no simulated ship is on a real list.
    assert drawn["red"] == sum(1 for v in tracks if v.get("listed")) == 0
    assert "listed: none" in page.text_content("#track-count")
    assert "SYNTHETIC" in page.text_content("#synthetic-note")
    marker = page.locator(f'path.marker-port_visit[data-event-id="{visit_event["id"]}"]')
    assert marker.count() == 1
    assert "marker-listed" not in (marker.get_attribute("class") or "")
    marker.click(force=True)
    page.wait_for_selector("#detail-title")
    detail = page.text_content("#detail")
    assert SHUTTLE in detail and "Dunai" in detail and "SYNTHETIC" in page.text_content("#detail-title")
    assert page.locator("#detail ol.ais li").count() == min(50, len(visit_event["ais_messages"])) > 0
    assert page.locator("path.port").count() == len(live.api("/maritime/ports"))
    shot(page, screenshots, "map")
    # Only the shuttle: its own track and every event it is part of.
    angara = next(v for v in visit_event["vessels"] if v["name"] == SHUTTLE)
    page.click("#detail button:has-text('Only this vessel')")
    page.wait_for_selector("#vessel-chip:not([hidden])")
    own = live.api(f"/maritime/events?vessel={angara['mmsi']}&limit=500", "viewer")["items"]
    assert page.locator("#event-list tbody tr[data-event-id]").count() == len(own) > 1
    assert page.evaluate("watchfloor.mapview.last.vessels.map(v => v.mmsi)") == [angara["mmsi"]]
    page.click("#vessel-clear")
    assert (
        page.locator("#event-list tbody tr[data-event-id]").count()
        == live.api("/maritime/events?limit=1")["total"]
    )


def _dates_in(page: Any, selector: str) -> list[str]:
    return [t for t in page.locator(selector).all_text_contents() if t]


def _event_day(event: dict[str, Any]) -> str | None:
    """The day the timeline places an event on: its start, else its first claim's date."""
    if event["date_start"]:
        return str(event["date_start"])[:10]
    dated = [c["date"] for c in event["claims"] if c.get("date")]
    return str(dated[0])[:10] if dated else None


def test_timeline_brush_filters_the_lists_and_the_map(
    context: Any, watch: Watch, live: LiveServer, screenshots: Path
) -> None:
    page = login(context, watch, live, "analyst")
    visit(page, live, "/timeline")
    events = live.api("/events?limit=500")["items"]
    maritime = live.api("/maritime/events?limit=500")["items"]
    assert page.locator("#tl-events tbody tr[data-event-id]").count() == len(events)
    assert page.locator("#tl-maritime li[data-event-id]").count() == len(maritime)
    # Drag across the right-hand tenth of the chart: a window of the most recent days.
    box = page.locator("#timeline-svg").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.90, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.995, y, steps=5)
    page.mouse.up()
    page.wait_for_selector("#brush-rect")
    window = page.evaluate("watchfloor.getWindow()")
    assert window and window["from"] < window["to"]
    dates = page.locator("#tl-events tbody tr[data-event-id] td:first-child").all_text_contents()
    assert all(window["from"] <= d <= window["to"] for d in dates)
    # The week of the AIS scenario, typed into the date fields (the brush's keyboard way).
    page.fill("#brush-from", "2024-10-01")
    page.fill("#brush-to", "2024-10-03")
    page.locator("#brush-to").dispatch_event("change")
    page.wait_for_function("watchfloor.getWindow() && watchfloor.getWindow().to === '2024-10-03'")
    wanted = [
        e
        for e in events
        if (d := _event_day(e)) and d <= "2024-10-03" and (e["date_end"] or d) >= "2024-10-01"
    ]
    in_week = [m for m in maritime if m["end"][:10] >= "2024-10-01" and m["start"][:10] <= "2024-10-03"]
    assert 0 < len(in_week) < len(maritime)
    assert page.locator("#tl-events tbody tr[data-event-id]").count() == len(wanted) < len(events)
    assert page.locator("#tl-maritime li[data-event-id]").count() == len(in_week)
    on_map = page.evaluate("watchfloor.mapview.last.eventLayer.getLayers().length")
    assert on_map == sum(m["lat"] is not None for m in in_week)
    shot(page, screenshots, "timeline")
    # The same window filters the Map page.
    visit(page, live, "/map")
    assert page.is_visible("#window-chip")
    assert page.locator("#event-list tbody tr[data-event-id]").count() == len(in_week)
    page.click("#window-clear")
    assert page.locator("#event-list tbody tr[data-event-id]").count() == len(maritime)


def test_timeline_filters_by_type_and_grade(context: Any, watch: Watch, live: LiveServer) -> None:
    page = login(context, watch, live, "viewer")
    visit(page, live, "/timeline")
    events = live.api("/events?limit=500", "viewer")["items"]
    kind = events[0]["type"]
    page.select_option("#f-type", kind)
    rows = page.locator("#tl-events tbody tr[data-event-id]")
    assert rows.count() == sum(e["type"] == kind for e in events)
    page.select_option("#f-type", "")
    page.select_option("#f-grade", "A")
    expected = sum(any(c["reliability"] == "A" for c in e["claims"]) for e in events)
    assert rows.count() == expected


def test_evidence_shows_each_claim_and_highlights_its_sentence(
    context: Any, watch: Watch, live: LiveServer, screenshots: Path
) -> None:
    page = login(context, watch, live, "viewer")
    events = live.api("/events?limit=500", "viewer")["items"]
    event = max(events, key=lambda e: len(e["claims"]))
    visit(page, live, f"/evidence?event={event['id']}")
    claims = page.locator("#ev-detail li.claim")
    assert claims.count() == len(event["claims"])
    first = event["claims"][0]
    text = claims.first.text_content()
    assert first["grade"] in text and first["source"] in text and first["stance"].replace("_", " ") in text
    document = live.api(f"/documents/{first['document_id']}", "viewer")
    start, end = first["span"]
    page.wait_for_selector("#doc-text mark")
    assert page.text_content("#doc-text mark") == document["text"][start:end]
    assert page.text_content("#doc-text") == document["text"]
    shot(page, screenshots, "evidence")


def test_entity_search_opens_the_entity_with_its_names_entries_mentions_and_merges(
    context: Any, watch: Watch, live: LiveServer
) -> None:
    page = login(context, watch, live, "viewer")
    visit(page, live, "/evidence")
    # The founding report's "Yoon" is merged into "Yoon Suk Yeol": names, mentions and a merge.
    found = live.api("/entities?q=Yoon Suk Yeol", "viewer")["items"]
    assert found, "the demo store resolves Yoon Suk Yeol from the founding report"
    page.fill("#entity-q", "Yoon Suk Yeol")
    page.click("#entity-search button[type=submit]")
    page.wait_for_selector("#entity-results a")
    assert page.locator("#entity-results li").count() == len(found)
    page.locator("#entity-results a").first.click()
    page.wait_for_selector("body[data-loaded=true]")
    entity = live.api(f"/entities/{found[0]['id']}", "viewer")
    assert page.text_content("#entity-caption") == entity["caption"]
    assert page.locator("#entity-names li").count() == max(1, len(entity["names"]))
    assert page.locator("#entity-entries li").count() == max(1, len(entity["list_entries"]))
    assert page.locator("#entity-mentions li").count() == max(1, len(entity["mentions"]))
    assert page.locator("#entity-merges li").count() == max(1, len(entity["merges"]))
    assert entity["mentions"] and entity["merges"]
    for entry in entity["list_entries"]:
        assert entry["entry_id"] in page.text_content("#entity-entries")


def test_viewer_gets_no_review_buttons_and_the_api_refuses_a_viewer(
    context: Any, watch: Watch, live: LiveServer
) -> None:
    page = login(context, watch, live, "viewer")
    visit(page, live, "/alerts")
    assert page.locator("#queue li").count() > 0
    assert page.locator("button[data-decision]").count() == 0
    assert "viewer" in page.text_content("#review-note")
    key = _key_event(live)  # the very event an analyst's rejection lowers the stage with
    visit(page, live, f"/evidence?event={key}")
    assert page.locator("button[data-decision]").count() == 0
    status = page.evaluate(
        """(id) => fetch('/api/v1/reviews', {method: 'POST', headers: {'Content-Type': 'application/json',
            Authorization: 'Bearer ' + sessionStorage.getItem('watchfloor.key')},
            body: JSON.stringify({target_kind: 'event', target_id: id, decision: 'reject',
                                  why: 'viewer try'})}).then(r => r.status)""",
        key,
    )
    assert status == 403
    assert live.api(f"/events/{key}", "viewer")["status"] != "rejected"
    watch.errors[:] = [e for e in watch.errors if "403" not in e]


def _key_event(live: LiveServer) -> str:
    """The event whose rejection alone lowers the stage, as the assessment itself names it."""
    from tests.live_server import open_service

    service = open_service(live.db)
    try:
        result, _ = service.assess(None, alerts=False)
    finally:
        service.close()
    assert result.linchpins, "the demo evidence has a key event"
    return result.linchpins[0].event_id


def test_analyst_rejects_the_key_event_and_sees_the_stage_drop(
    context: Any, watch: Watch, writable_live: LiveServer, screenshots: Path
) -> None:
    live = writable_live
    page = login(context, watch, live, "analyst")
    before = live.api("/assessment")["stage"]["index"]
    assert page.text_content("#stage-index") == f"stage {before}"
    key = _key_event(live)
    visit(page, live, f"/evidence?event={key}")
    page.fill("#ev-detail input.reason", "the imagery was misread (browser test)")
    page.click("#ev-detail button[data-decision=reject]")
    page.wait_for_selector("#review-outcome")
    assert page.locator("#ev-detail .status-rejected").count() == 1
    after = live.api("/assessment")["stage"]["index"]
    assert after < before
    visit(page, live, "/")
    assert page.text_content("#stage-index") == f"stage {after}"
    visit(page, live, "/alerts")
    assert page.text_content("#stage-index") == f"stage {after}"
    log = page.text_content("#audit")
    assert "the imagery was misread (browser test)" in log and "ana" in log
    shot(page, screenshots, "alerts")


def test_hostile_names_and_report_text_are_shown_as_text(
    context: Any, watch: Watch, live: LiveServer
) -> None:
    page = login(context, watch, live, "hostile")
    assert page.text_content("#who") == f"mallory {HOSTILE} (viewer)"
    events = live.api("/events?limit=500", "hostile")["items"]
    hostile = [e for e in events if any("Hostile Wire" in (c.get("source") or "") for c in e["claims"])]
    assert hostile, "the hostile report was extracted into an event"
    visit(page, live, f"/evidence?event={hostile[0]['id']}")
    claim = page.locator("#ev-detail li.claim", has_text="Hostile Wire")
    assert HOSTILE in claim.text_content()
    claim.locator("button", has_text="Show in the document").click()
    page.wait_for_selector("#doc-meta:has-text('Hostile Wire')")
    assert HOSTILE in page.text_content("#doc-meta")
    assert "<script>window.__pwned=2</script>" in page.text_content("#doc-text")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main img, main script").count() == 0
    # The overview names the hostile source among an indicator's sources, as text too.
    visit(page, live, "/")
    assert HOSTILE in page.text_content("#indicators")
    assert page.locator("main img, main script").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_outside_requests_are_refused_by_the_page_policy_and_recorded_by_the_guard(
    context: Any, watch: Watch, live: LiveServer
) -> None:
    """Both layers the other tests rely on: our pages' policy refuses an outside request before it is
    sent, and the context's guard records and refuses one from a page without that policy."""
    page = login(context, watch, live, "viewer")
    outside = "https://tiles.example.invalid/0/0/0.png"
    attempt = f"fetch('{outside}').then(() => 'loaded', () => 'refused')"
    assert page.evaluate(attempt) == "refused"
    assert watch.outside == []  # refused by the Content-Security-Policy: never reached the network
    assert any("Content Security Policy" in e for e in watch.errors)
    blank = context.new_page()  # about:blank: no policy, so the request does reach the guard
    assert blank.evaluate(attempt) == "refused"
    assert watch.outside == [outside]
    watch.outside.clear()
    watch.errors.clear()


def test_screening_by_name_and_by_csv(
    context: Any, watch: Watch, live: LiveServer, tmp_path: Path, screenshots: Path
) -> None:
    page = login(context, watch, live, "viewer")
    visit(page, live, "/screening")
    page.fill("#s-name", "ANGARA")
    page.select_option("#s-schema", "Vessel")
    page.click("#screen-form button[type=submit]")
    page.wait_for_selector("body[data-screened=true]", timeout=240_000)  # the first search builds the index
    expected = live.api("/screen", "viewer", method="POST", json={"name": "ANGARA", "schema": "Vessel"})
    assert page.locator("#results tbody tr").count() == max(1, len(expected["results"]))
    assert expected["results"] and expected["results"][0]["caption"] in page.text_content("#results")
    upload = tmp_path / "names.csv"
    upload.write_text("name,schema\nANGARA,Vessel\nLADY R,Vessel\nNobody At All,Person\n", encoding="utf-8")
    page.evaluate("document.body.removeAttribute('data-screened')")
    page.set_input_files("#s-file", str(upload))
    page.click("#csv-form button[type=submit]")
    page.wait_for_selector("body[data-screened=true]", timeout=120_000)
    shown = page.text_content("#results")
    assert "LADY R" in shown and "ANGARA" in shown
    queries = page.locator("#results tbody tr td:first-child").all_text_contents()
    assert {"ANGARA", "LADY R", "Nobody At All"} <= set(queries)  # each row says what it screened
    assert page.is_visible("#csv-download")
    shot(page, screenshots, "screening")


def test_every_page_loads_without_a_script_error(context: Any, watch: Watch, live: LiveServer) -> None:
    page = login(context, watch, live, "viewer")
    for path in ("/", "/map", "/timeline", "/evidence", "/alerts", "/screening"):
        visit(page, live, path)
        assert page.text_content("#error") == "", path
        assert page.locator("main h1").text_content(), path
