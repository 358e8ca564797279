"""The watch over a real store: one pass of every job, resumption, alerts reaching a webhook."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.assess.evidence_builder import EvidenceBuilder
from tests.watch.conftest import Receiver, wait_for
from watchfloor.assess.review import Decision
from watchfloor.errors import StoreError
from watchfloor.service.app import Watchfloor
from watchfloor.service.watch import WATCH, Job, JobResult, Watch, watch_status
from watchfloor.settings import Settings
from watchfloor.store.ais import AisStore, scan_positions
from watchfloor.store.models import Alert, MaritimeEvent, WatchRun

DRIFT = "dma_aisabnormal_drift_212123000_2014-10-02.nmea.gz"
KIRBY = "North Korea has delivered more than 1,000 containers of munitions to Russia, the White House said."
NIS = (
    "North Korea has shipped 13,000 containers of artillery shells to Russia, the intelligence service said."
)


def _drop(service: Watchfloor, source: Path) -> None:
    assert service.settings.watch_inbox is not None
    service.settings.watch_inbox.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, service.settings.watch_inbox / source.name)


def test_one_pass_ingests_detects_and_assesses_and_a_second_does_nothing(
    service: Watchfloor, shared_data: Path
) -> None:
    _drop(service, shared_data / "ais" / DRIFT)
    results = Watch(service).run_once()
    assert all(r is not None for r in results.values()), results
    assert results["ais_inbox"] is not None and results["ais_inbox"].counts["done"] == 1
    detect = results["detect"]
    assert detect is not None and detect.changed and detect.counts["events"] >= 1
    with service.session() as session:
        stored = session.scalars(select(MaritimeEvent.kind)).all()
    assert "loitering" in stored  # the drifting vessel of the DMA abnormal-behaviour sample
    assert results["assess"] is not None and "stage" in results["assess"].counts
    again = Watch(service).run_once()  # a restarted watch: nothing new, nothing redone
    assert again["ais_inbox"] is not None and again["ais_inbox"].counts["done"] == 0
    assert again["detect"] is not None and again["detect"].counts.get("skipped") is True
    assert again["assess"] is not None and again["assess"].counts.get("skipped") is True
    summary = watch_status(service)
    assert set(summary["jobs"]) == {"ais_inbox", "detect", "assess", "deliver"}
    assert summary["runs"] == {"ais_inbox": 2, "detect": 2, "assess": 2, "deliver": 2}
    assert summary["files"] == {"done": 1}
    assert summary["errors"] == []


def test_a_failing_job_is_recorded_and_the_others_still_run(service: Watchfloor, shared_data: Path) -> None:
    watch = Watch(service)

    def broken() -> JobResult:
        raise RuntimeError("feed server answered garbage")

    watch.add_job(Job("feeds", 60.0, broken, "assess"), before="assess")
    assert list(watch.jobs) == ["ais_inbox", "detect", "feeds", "assess", "deliver"]
    _drop(service, shared_data / "ais" / DRIFT)
    results = watch.run_once()
    assert results["feeds"] is None
    assert all(results[name] is not None for name in ("ais_inbox", "detect", "assess", "deliver"))
    summary = watch_status(service)
    assert summary["jobs"]["feeds"]["ok"] is False
    assert summary["errors"][0] == {
        "job": "feeds",
        "at": summary["jobs"]["feeds"]["finished_at"],
        "error": "RuntimeError: feed server answered garbage",
    }


def test_a_run_cut_short_by_a_crash_shows_as_interrupted(service: Watchfloor) -> None:
    with service.session() as session:
        session.add(WatchRun(job="ais_inbox", started_at=datetime.now(UTC), counts={}))
    Watch(service).run_once()
    with service.session() as session:
        runs = session.scalars(
            select(WatchRun).where(WatchRun.job == "ais_inbox").order_by(WatchRun.id)
        ).all()
    assert [r.ok for r in runs] == [False, True]
    assert runs[0].error is not None and runs[0].error.startswith("interrupted")


def test_two_watches_never_run_on_one_store(service: Watchfloor) -> None:
    first = Watch(service)
    first._lock.acquire()
    try:
        with pytest.raises(StoreError, match="another watch is running"):
            Watch(service).run_once()
    finally:
        first._lock.release()
    Watch(service).run_once()


def test_new_evidence_reaches_the_webhook_in_one_pass(
    make_settings: Callable[..., Settings], receiver: Receiver, tmp_path: Path
) -> None:
    subscriptions = tmp_path / "subscriptions.yaml"
    subscriptions.write_text(f"- name: desk\n  webhook: {receiver.url}\n  secret: k\n")
    service = Watchfloor.open(settings=make_settings(watch_subscriptions_file=subscriptions))
    try:
        Watch(service).run_once()
        assert receiver.requests == []  # nothing to tell yet
        with service.session() as session:
            builder = EvidenceBuilder(session)
            event = builder.event("arms_transfer", "kp", "ru", "containers of artillery shells and munitions")
            builder.claim(
                event, builder.document(KIRBY, date(2023, 10, 13), "Reuters"), KIRBY, "White House", "us"
            )
            builder.claim(
                event,
                builder.document(NIS, date(2024, 10, 18), "Yonhap News Agency"),
                NIS,
                "intelligence service",
                "kr",
            )
            builder.port_visit(
                273610310,
                "ANGARA",
                "dunai",
                datetime(2024, 10, 2, tzinfo=UTC),
                imo=9179842,
                list_entries=["us_ofac_sdn:1"],
            )
        results = Watch(service).run_once()
        assert results["assess"] is not None and results["assess"].counts["alerts_raised"] >= 2
        with service.session() as session:
            alerts = set(session.scalars(select(Alert.id)))
        assert {a["alert"]["id"] for a in receiver.accepted.values()} == alerts
        kinds = {a["alert"]["kind"] for a in receiver.accepted.values()}
        assert {"new_stage", "listed_vessel_port_call"} <= kinds
        sent = len(receiver.requests)
        watch = Watch(service)
        watch.run_once()
        assert len(receiver.requests) == sent  # a restart sends nothing twice
        subscriptions.write_text(
            f"- name: desk\n  webhook: {receiver.url}\n  secret: k\n"
            f"- name: ports\n  webhook: {receiver.url}\n  kinds: [listed_vessel_port_call]\n"
        )
        os.utime(subscriptions, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))
        watch.run_once()  # the same running watch takes the edited file in
        assert len(receiver.requests) == sent + 1
        assert receiver.requests[-1]["key"] not in {r["key"] for r in receiver.requests[:-1]}
    finally:
        service.close()


def test_the_running_watch_takes_a_dropped_file_and_a_live_stream(
    make_settings: Callable[..., Settings], shared_data: Path
) -> None:
    """``run_forever`` in a thread: the schedule, a TCP stream, and a clean stop."""
    from tests.watch.test_stream import DroppingServer

    lines = (shared_data / "ais" / "kystverket_ais1000lines_2019-08-07.nm4").read_text().splitlines()
    server = DroppingServer([lines[:300]])
    settings = make_settings(
        watch_schedule={"ais_inbox": 0.2, "detect": 3600, "assess": 3600, "deliver": 3600},
        watch_streams=[f"tcp://127.0.0.1:{server.port}"],
        watch_stream_flush_s=0.2,
        watch_reconnect_s=0.05,
    )
    service = Watchfloor.open(settings=settings)
    watch = Watch(service)
    thread = threading.Thread(target=watch.run_forever)
    try:
        thread.start()
        assert wait_for(lambda: watch.running)
        time.sleep(0.3)
        _drop(service, shared_data / "ais" / DRIFT)
        assert wait_for(lambda: watch_status(service)["files"].get("done") == 1)
        assert wait_for(lambda: bool(watch.streams) and watch.streams[0].counters.positions > 0)
        live = watch.status()
        assert live["running"] is True and set(live["next_due_s"]) == set(watch.jobs)
        assert live["streams"][f"tcp://127.0.0.1:{server.port}"]["lines"] == 300
        assert live["streams"][f"tcp://127.0.0.1:{server.port}"]["alive"] is True
    finally:
        watch.stop()
        thread.join(30)
        server.close()
    assert not thread.is_alive() and not watch.running
    stored = watch_status(service)["streams"][f"tcp://127.0.0.1:{server.port}"]
    assert stored["lines"] == 300 and stored["positions"] > 0
    sources = set(scan_positions(settings.data_dir).select("src_file").collect()["src_file"].cast(str))
    assert f"tcp://127.0.0.1:{server.port}" in sources and len(sources) == 2
    service.close()


@pytest.mark.slow
def test_the_lists_job_updates_from_a_mirror_and_survives_a_failed_download(
    make_settings: Callable[..., Settings], shared_data: Path, tmp_path: Path
) -> None:
    from tests.watch.conftest import free_port

    files: dict[str, bytes] = {
        "consolidated.xml": (shared_data / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml").read_bytes()
    }

    class Mirror(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = files.get(self.path.rsplit("/", 1)[-1])
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, format: str, *args: object) -> None:
            return

    port = free_port()
    mirror = ThreadingHTTPServer(("127.0.0.1", port), Mirror)
    threading.Thread(target=mirror.serve_forever, daemon=True).start()
    settings = make_settings(watch_lists=["un_sc", "gb_uk"], watch_lists_base_url=f"http://127.0.0.1:{port}")
    service = Watchfloor.open(settings=settings)
    try:
        watch = Watch(service)
        assert next(iter(watch.jobs)) == "lists"
        first = watch.run_once()
        lists = first["lists"]
        assert (
            lists is not None and lists.counts["updated"] == ["un_sc"] and lists.counts["failed"] == ["gb_uk"]
        )
        assert lists.error is not None and "gb_uk" in lists.error and "404" in lists.error
        loaded = {v.source: v.version_id for v in service.loaded_lists()}
        assert list(loaded) == ["un_sc"]
        assert watch_status(service)["jobs"]["lists"]["ok"] is False  # the failed list shows
        del files["consolidated.xml"]  # the UN site is down too: the loaded version stays
        again = Watch(service).run_once()["lists"]
        assert again is not None and again.counts["failed"] == ["un_sc", "gb_uk"] and not again.changed
        assert {v.source: v.version_id for v in service.loaded_lists()} == loaded
    finally:
        service.close()
        mirror.shutdown()


FEED = Path(__file__).resolve().parents[1] / "extract" / "fixtures" / "feed_2024-11.rss"


def _feed_site(answer: dict[str, int]) -> tuple[ThreadingHTTPServer, int]:
    """A loopback server of the real RSS fixture, answering ``answer["status"]`` (read per request)."""
    from tests.watch.conftest import free_port

    class Site(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = FEED.read_bytes() if answer["status"] == 200 else b"down"
            self.send_response(answer["status"])
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    port = free_port()
    site = ThreadingHTTPServer(("127.0.0.1", port), Site)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    return site, port


@pytest.mark.slow
def test_the_feeds_job_ingests_each_new_item_once_and_survives_a_broken_feed(
    make_settings: Callable[..., Settings],
) -> None:
    from tests.watch.conftest import free_port

    answer = {"status": 200}
    site, port = _feed_site(answer)
    good, dead = f"http://127.0.0.1:{port}/feed.rss", f"http://127.0.0.1:{free_port()}/gone.rss"
    service = Watchfloor.open(settings=make_settings(watch_feeds=[good, dead]))
    try:
        watch = Watch(service)
        assert list(watch.jobs) == ["ais_inbox", "detect", "feeds", "assess", "deliver"]
        first = watch.run_once()["feeds"]
        assert first is not None and first.changed
        assert (
            first.counts["new_items"] == 2
            and first.counts["stored"] == 2
            and first.counts["item_errors"] == 2
        )
        assert first.error is not None and dead in first.error  # the dead feed is named; the good one went on
        documents = service.counts()["documents"]
        assert documents == 2
        second = Watch(service).run_once()["feeds"]  # a restarted watch: the items were seen
        assert second is not None and second.counts["new_items"] == 0 and not second.changed
        answer["status"] = 500
        third = Watch(service).run_once()["feeds"]
        assert third is not None and third.counts["feeds"] == 0 and good in (third.error or "")
        with service.session() as session:
            from watchfloor.watch.state import get_state

            kept = get_state(session, f"feed:{good}")
        assert kept["status"] == 200 and len(json.loads(kept["state"])["seen"]) == 4  # left as it was
        assert service.counts()["documents"] == documents
        assert watch_status(service)["jobs"]["feeds"]["ok"] is False
    finally:
        service.close()
        site.shutdown()


@pytest.mark.slow
def test_a_listed_vessel_on_the_live_stream_reaches_the_webhook(
    make_settings: Callable[..., Settings], receiver: Receiver, tmp_path: Path
) -> None:
    """Live TCP stream → batch in the AIS store → detection (port visit) → list link → alert → webhook."""
    from tests.watch.conftest import angara_in_rajin
    from tests.watch.test_stream import DroppingServer

    server = DroppingServer([angara_in_rajin()])
    subscriptions = tmp_path / "subscriptions.yaml"
    subscriptions.write_text(f"- name: desk\n  webhook: {receiver.url}\n  kinds: [listed_vessel_port_call]\n")
    settings = make_settings(
        watch_streams=[f"tcp://127.0.0.1:{server.port}"],
        watch_stream_flush_s=0.2,
        watch_subscriptions_file=subscriptions,
        watch_schedule={"ais_inbox": 3600, "detect": 0.5, "assess": 3600, "deliver": 3600},
    )
    service = Watchfloor.open(settings=settings)
    sdn_subset = Path(__file__).resolve().parents[1] / "graph" / "fixtures" / "sdn_subset.csv"
    service.load_lists([sdn_subset])
    watch = Watch(service)
    thread = threading.Thread(target=watch.run_forever)
    thread.start()
    try:
        assert wait_for(lambda: bool(receiver.accepted), timeout=180), watch_status(service)["errors"]
    finally:
        watch.stop()
        thread.join(60)
        server.close()
        service.close()
    (document,) = receiver.accepted.values()
    alert = document["alert"]
    assert alert["kind"] == "listed_vessel_port_call" and alert["data"]["imo"] == 9179842
    assert alert["data"]["port"] == "rajin" and "us_ofac_sdn:37059" in alert["data"]["list_entries"]
    assert {"kind": "list_entry", "list_entry_key": "us_ofac_sdn:37059"} in alert["evidence"]


def _plain(assessment: Any) -> dict[str, Any]:
    data = dict(assessment.to_dict())
    data.pop("computed_at")
    return data


def test_each_pass_updates_detection_and_assessment_as_a_full_recomputation_would(
    service: Watchfloor, shared_data: Path, tmp_path: Path
) -> None:
    """Detection reads only the windows with new positions and the assessment takes only the new
    evidence; after every pass both equal the full computation over what the store holds."""
    from watchfloor.assess.assessment import assess
    from watchfloor.maritime.detect import detect_store

    def same_as_full(watch: Watch) -> None:
        with service.session() as session:
            full = assess(session)
            stored = set(session.scalars(select(MaritimeEvent.id)))
        assert watch.assessment is not None and _plain(watch.assessment) == _plain(full)
        assert stored == {e.id for e in detect_store(AisStore(service.data_dir)).events}

    watch = Watch(service)
    _drop(service, shared_data / "ais" / DRIFT)
    first = watch.run_once()
    assert first["assess"] is not None and first["assess"].counts["mode"] == "full"
    same_as_full(watch)

    with service.session() as session:  # a day of reports arrives
        builder = EvidenceBuilder(session)
        event = builder.event("arms_transfer", "kp", "ru", "containers of artillery shells and munitions")
        builder.claim(
            event, builder.document(NIS, date(2024, 10, 18), "Yonhap News Agency"), NIS, "NIS", "kr"
        )
    second = watch.run_once()
    assert second["detect"] is not None and second["detect"].counts.get("skipped") is True
    assert second["assess"] is not None and second["assess"].counts["mode"] == "incremental"
    same_as_full(watch)

    with service.session() as session:  # an older report, and AIS of another day
        builder = EvidenceBuilder(session)
        builder.claim(
            event, builder.document(KIRBY, date(2023, 10, 13), "Reuters"), KIRBY, "White House", "us"
        )
    _drop(service, shared_data / "ais" / "dma_aisabnormal_drift_538004030_2014-09-28.nmea.gz")
    third = watch.run_once()
    detect = third["detect"]
    assert (
        detect is not None
        and detect.counts["windows_recomputed"] >= 1
        and detect.counts["windows_reused"] >= 1
    )
    assert third["assess"] is not None and third["assess"].counts["mode"] == "incremental"
    same_as_full(watch)

    service.review(event, Decision.REJECT, "the shipments are not confirmed", WATCH)
    fourth = watch.run_once()
    assert fourth["assess"] is not None and fourth["assess"].counts["mode"] == "full"
    same_as_full(watch)


def test_a_new_list_version_rescreens_the_names_no_list_matched(service: Watchfloor, tmp_path: Path) -> None:
    """A report names Kim Jong Un while the loaded list lacks him: no merge. When a version that
    lists him is loaded, the next pass screens the name again and merges it, with its evidence."""
    from watchfloor.graph.resolve import list_merges
    from watchfloor.store.models import Mention

    rows = (Path(__file__).resolve().parents[1] / "graph" / "fixtures" / "sdn_subset.csv").read_text()
    first, second = tmp_path / "v1" / "sdn.csv", tmp_path / "v2" / "sdn.csv"
    for path, text in ((first, "".join(rows.splitlines(True)[:4])), (second, rows)):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    service.load_lists([first])
    text = "Kim Jong Un met the Russian delegation in Pyongyang."
    with service.session() as session:
        document = EvidenceBuilder(session).document(text, date(2024, 10, 20), "KCNA")
        session.add(
            Mention(
                id="mention-kim", document_id=document, label="PERSON", text="Kim Jong Un", start=0, end=11
            )
        )
    watch = Watch(service)
    watch.run_once()
    with service.session() as session:
        assert [m for m in list_merges(session) if m.caption == "Kim Jong Un"] == []
    service.load_lists([second])
    results = watch.run_once()
    assert results["assess"] is not None and results["assess"].counts["names_rescreened_merges"] == 1
    with service.session() as session:
        (kim,) = [m for m in list_merges(session) if m.caption == "Kim Jong Un"]
    assert "KIM, Jong Un" in kim.into_caption and "when the lists changed" in kim.rule
    assert {e.kind for e in kim.evidence} == {"document_span", "list_entry"}
    assert Watch(service)._rescreen() == {}  # a restarted watch does not screen the same versions again


@pytest.mark.slow
def test_the_watch_polls_a_feed_added_with_feeds_add(make_settings: Callable[..., Settings]) -> None:
    """A feed added with ``watchfloor feeds add`` (stored, not in settings) is polled by the watch,
    under the same state key as ``feeds poll``, with the source given when it was added."""
    from watchfloor.service.reports import feed_state_key
    from watchfloor.watch.state import get_state

    site, port = _feed_site({"status": 200})
    url = f"http://127.0.0.1:{port}/feed.rss"
    service = Watchfloor.open(settings=make_settings())
    try:
        assert "feeds" not in Watch(service).jobs  # nothing to poll yet
        service.add_feed(url, source="Loopback Wire")
        watch = Watch(service)
        assert "feeds" in watch.jobs
        first = watch.run_once()["feeds"]
        assert first is not None and first.counts["feeds"] == 1 and first.counts["stored"] == 2
        with service.session() as session:
            assert get_state(session, feed_state_key(url))["status"] == 200
        again = Watch(service).run_once()["feeds"]
        assert again is not None and again.counts["new_items"] == 0
        assert service.counts()["documents"] == 2
    finally:
        service.close()
        site.shutdown()
