"""Watch benchmarks: the live NMEA path (throughput, lag at 5,000 messages/s) and alert latency.

Run: ``.venv/bin/python benchmarks/watch_bench.py [--messages 100000] [--rate 5000]
[--sections stream,alert]``

``stream``: a real TCP server on loopback sends generated real-format NMEA (the generator of
``ais_bench.py``: tag-blocked class A/B positions, type 5/19/24/27), first as fast as it can, then
paced at ``--rate`` messages/s; the watch's stream client decodes and stores it in batches. Figures:
messages/s stored flat out, the share of wall time the client was busy at the paced rate (under 1
means it keeps up), and the lag from the last sentence sent to it being in the Parquet store. Peer
in the same run: pyais decoding the same file (no storage), as in ``ais_bench.py``.

``alert``: a running watch (``Watch.run_forever`` in a thread) over a store holding the real OFAC
SDN list (2024-05-03); a planted NMEA file (ANGARA, IMO 9179842, three hours in Rajin) is dropped in
the inbox, and the time until a local webhook receives the ``listed_vessel_port_call`` alert is
measured, with the time each job took.

``live``: the whole live path at once: a running watch with a TCP stream (a local sender paced at
``--rate`` messages/s for ``--live-seconds``), detection every 2 s (incremental: only the hours
with new positions are read), assessment and delivery. Midway the sender slips in the ANGARA
messages (three hours in Rajin, their own tag-block times); timed until the webhook receives the
``listed_vessel_port_call`` alert. Figures: whether the stream kept up (messages stored / sent),
each detection's seconds against its 2 s interval, the lag from the last sentence sent to a
detection that covers it, and the peer in the same run: a full detection pass over the same store
(what each cycle cost before), as a ratio to the incremental cycle.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "benchmarks")]

from ais_bench import _armour, child_pyais_decode, generate_nmea  # noqa: E402 (benchmarks/ is on the path now)

SDN = ROOT / ".." / "shared" / "data" / "sanctions" / "ofac" / "sdn_2024-05-03.csv"
AIS = ROOT / ".." / "shared" / "data" / "ais"
HISTORY = (
    "noaa_marinecadastre_2022-01-03_first99999.csv.gz",
    "dma_aisabnormal_sample_2013-11-12.nmea.gz",
    "dma_aisdk_2022-09-17_10k.csv.gz",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve_once(lines: list[bytes], rate: float | None, sent: dict[str, float]) -> int:
    """A TCP server for one client: sends ``lines`` (paced to ``rate`` messages/s if given)."""
    server = socket.create_server(("127.0.0.1", 0))
    port = int(server.getsockname()[1])

    def run() -> None:
        connection, _ = server.accept()
        with connection:
            sent["start"] = time.time()
            step = 100
            for start in range(0, len(lines), step):
                connection.sendall(b"".join(lines[start : start + step]))
                if rate:
                    due = sent["start"] + (start + step) / rate
                    pause = due - time.time()
                    if pause > 0:
                        time.sleep(pause)
            sent["end"] = time.time()
            time.sleep(3)
        server.close()

    threading.Thread(target=run, daemon=True).start()
    return port


def _run_stream(path: Path, data_dir: Path, rate: float | None) -> dict[str, float]:
    from watchfloor.watch.stream import NmeaStream, StreamAddress, StreamSink

    lines = [line + b"\n" for line in path.read_bytes().splitlines()]
    sent: dict[str, float] = {}
    port = _serve_once(lines, rate, sent)
    address = StreamAddress.parse(f"tcp://127.0.0.1:{port}")
    sink = StreamSink(address, data_dir, batch=5000, flush_s=1.0)
    busy = [0.0]
    flush = sink.flush

    def timed_flush(final: bool = False) -> int:
        started = time.perf_counter()
        try:
            return flush(final)
        finally:
            busy[0] += time.perf_counter() - started

    sink.flush = timed_flush  # type: ignore[method-assign]
    stream = NmeaStream(address, sink, reconnect_s=5, reconnect_max_s=5)
    stream.start()
    while not (sink.counters.lines >= len(lines) and sink.pending == 0):
        time.sleep(0.01)
    stored = time.time()
    stream.close()
    wall = stored - sent["start"]
    return {
        "sentences": len(lines),
        "messages": sink.counters.messages,
        "positions": sink.counters.positions,
        "bad": sink.counters.bad,
        "batches": sink.counters.batches,
        "wall_s": round(wall, 3),
        "messages_per_s": round(sink.counters.messages / wall),
        "busy_share": round(busy[0] / wall, 3),
        "lag_last_sentence_s": round(stored - sent["end"], 3),
    }


def section_stream(messages: int, rate: float, folder: Path) -> dict[str, Any]:
    path = generate_nmea(folder / "stream.nmea", messages)
    pyais = child_pyais_decode(path)
    flat_out = _run_stream(path, folder / "flat", None)
    paced = _run_stream(path, folder / "paced", rate)
    peer_rate = pyais["messages"] / pyais["seconds"]
    return {
        "flat_out": flat_out,
        "paced": {"sentences_per_s_asked": rate, **paced},
        "pyais_decode_messages_per_s": round(peer_rate),
        "ratio_stream_to_pyais": round(flat_out["messages_per_s"] / peer_rate, 2),
    }


def _xor(text: str) -> int:
    value = 0
    for byte in text.encode():
        value ^= byte
    return value


def planted_nmea(path: Path) -> Path:
    """ANGARA (OFAC SDN, IMO 9179842) reporting from Rajin every 5 minutes for three hours."""
    import pyais

    start = int(datetime(2024, 10, 29, 6, tzinfo=UTC).timestamp())
    lines = []
    static = {
        "type": 5, "msg_type": 5, "mmsi": 273610310, "imo": 9179842, "callsign": "UBCD7",
        "shipname": "ANGARA", "ship_type": 70, "destination": "RAJIN",
    }  # fmt: skip
    for i in range(36):
        ts = start + i * 300
        tag = f"\\c:{ts}*{_xor(f'c:{ts}'):02X}\\"
        if i % 12 == 0:
            lines += [tag + s for s in pyais.encode_dict(static, seq_id=1)]
        position = {
            "type": 1, "msg_type": 1, "mmsi": 273610310, "lat": 42.245 + 0.001 * (i % 3), "lon": 130.3,
            "speed": 0.2, "course": 10.0, "heading": 10, "status": 5,
        }  # fmt: skip
        lines += [tag + s for s in pyais.encode_dict(position)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _lists_store(folder: Path) -> Path:
    """A store holding the real OFAC SDN list, built once per run and copied by each section."""
    path = folder / "lists.db"
    if not path.is_file():
        from watchfloor.service.app import Watchfloor
        from watchfloor.settings import load_settings

        service = Watchfloor.open(
            settings=load_settings(database_url=f"sqlite:///{path}", data_dir=folder / "x")
        )
        service.load_lists([SDN])
        service.close()
    return path


def _webhook_receiver(subscriptions: Path) -> tuple[ThreadingHTTPServer, dict[str, float], Path]:
    """A loopback webhook that notes when each alert kind first arrived, and a subscriptions file
    pointing one desk at it."""
    received: dict[str, float] = {}

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.setdefault(body["alert"]["kind"], time.time())
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    port = _free_port()
    http = ThreadingHTTPServer(("127.0.0.1", port), Hook)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    subscriptions.write_text(f"- name: desk\n  webhook: http://127.0.0.1:{port}/\n  secret: bench\n")
    return http, received, subscriptions


def section_alert(folder: Path) -> dict[str, Any]:
    from watchfloor.service.app import Watchfloor
    from watchfloor.service.watch import Watch, watch_status
    from watchfloor.settings import load_settings

    http, received, subscriptions = _webhook_receiver(folder / "subscriptions.yaml")
    inbox = folder / "inbox"
    settings = load_settings(
        database_url=f"sqlite:///{folder / 'alert.db'}",
        data_dir=folder / "alert-data",
        watch_inbox=inbox,
        watch_settle_s=0.5,
        watch_subscriptions_file=subscriptions,
        watch_schedule={"ais_inbox": 1.0, "detect": 3600, "assess": 3600, "deliver": 3600},
    )
    service = Watchfloor.open(settings=settings)
    started = time.perf_counter()
    service.load_lists([SDN])
    lists_s = time.perf_counter() - started
    watch = Watch(service)
    thread = threading.Thread(target=watch.run_forever, daemon=True)
    thread.start()
    while watch_status(service)["runs"].get("deliver", 0) < 1:  # the first (empty) pass is over
        time.sleep(0.1)
    staged = planted_nmea(folder / ".planted.nmea")
    dropped = time.time()
    os.replace(staged, inbox / "planted.nmea")  # an atomic drop, as receivers write files
    while "listed_vessel_port_call" not in received and time.time() - dropped < 600:
        time.sleep(0.05)
    watch.stop()
    thread.join(60)
    jobs = watch_status(service)["jobs"]
    service.close()
    http.shutdown()
    return {
        "lists_load_s": round(lists_s, 1),
        "latency_s": round(received["listed_vessel_port_call"] - dropped, 2) if received else None,
        "alerts_received": sorted(received),
        "job_seconds": {name: run["seconds"] for name, run in jobs.items()},
    }


def live_tracks(path: Path, rate: float, seconds: float, vessels: int = 2000, seed: int = 3) -> Path:
    """Bare class A position sentences (no tag block: the watch stamps the receive time, as from a
    receiver) of ``vessels`` ships on straight tracks at 8-14 knots in the open Atlantic, one
    message each in turn, ``rate`` a second for ``seconds``: realistic motion, so detection works
    on tracks rather than on noise. Encoded column-wise like ``ais_bench.encode_positions``."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = int(rate * seconds)
    ship = np.arange(n) % vessels
    t = np.arange(n) / rate
    mmsi = rng.integers(200_000_000, 775_999_999, vessels)
    lat0, lon0 = rng.uniform(40, 50, vessels), rng.uniform(-40, -20, vessels)
    course = rng.uniform(0, 360, vessels)
    knots = rng.uniform(8, 14, vessels)
    deg_s = knots * 1852 / 3600 / 111_320
    lat = lat0[ship] + np.cos(np.radians(course[ship])) * deg_s[ship] * t
    lon = lon0[ship] + np.sin(np.radians(course[ship])) * deg_s[ship] * t / np.cos(np.radians(lat0[ship]))
    values = {
        "type": np.ones(n, dtype=np.int64),
        "mmsi": mmsi[ship],
        "speed": np.round(knots[ship] * 10).astype(np.int64),
        "lon": np.round(lon * 600_000).astype(np.int64),
        "lat": np.round(lat * 600_000).astype(np.int64),
        "course": np.round(course[ship] * 10).astype(np.int64),
        "heading": np.round(course[ship]).astype(np.int64) % 360,
        "second": (t.astype(np.int64)) % 60,
    }
    layout = {"type": (0, 6), "mmsi": (8, 30), "speed": (50, 10), "lon": (61, 28), "lat": (89, 27),
              "course": (116, 12), "heading": (128, 9), "second": (137, 6)}  # fmt: skip
    bits = np.zeros((n, 168), dtype=np.uint8)
    for name, (start, width) in layout.items():
        column = values[name] & ((1 << width) - 1)
        shifts = np.arange(width - 1, -1, -1)
        bits[:, start : start + width] = (column[:, None] >> shifts) & 1
    chars = _armour(bits.reshape(n, 28, 6) @ np.array([32, 16, 8, 4, 2, 1]))
    payloads = chars.tobytes().decode("ascii")
    head = _xor("AIVDM,1,1,,A,") ^ _xor(",0")
    sums = np.bitwise_xor.reduce(chars, axis=1) ^ head
    with path.open("w", encoding="ascii") as out:
        for i in range(n):
            out.write(f"!AIVDM,1,1,,A,{payloads[i * 28 : (i + 1) * 28]},0*{sums[i]:02X}\n")
    return path


def _paced_sender(background: Path, planted: Path, rate: float, events: Any) -> None:
    """A local TCP sender in its own process: ``background`` lines paced at ``rate`` a second, the
    ``planted`` lines slipped in midway; reports its port and its times on ``events``."""
    lines = [line + b"\n" for line in background.read_bytes().splitlines()]
    extra = [line + b"\n" for line in planted.read_bytes().splitlines()]
    server = socket.create_server(("127.0.0.1", 0))
    events.put(("port", float(server.getsockname()[1])))
    connection, _ = server.accept()
    with connection:
        start, middle, step = time.time(), len(lines) // 2, 100
        events.put(("start", start))
        for first in range(0, len(lines), step):
            if first <= middle < first + step:
                connection.sendall(b"".join(extra))
                events.put(("planted", time.time()))
            connection.sendall(b"".join(lines[first : first + step]))
            pause = start + (first + step) / rate - time.time()
            if pause > 0:
                time.sleep(pause)
        events.put(("end", time.time()))
        time.sleep(600)  # held open: a closed connection would make the watch reconnect


def _positions(data_dir: Path, name: str) -> int:
    from watchfloor.store.ais import ingested

    for manifest in ingested(data_dir):
        if str(manifest.get("src_file", "")).endswith(name):
            report = manifest.get("report") or {}
            return int(report.get("positions", 0)) if isinstance(report, dict) else 0
    return 0


def section_live(rate: float, seconds: float, folder: Path, template: Path) -> dict[str, Any]:
    import shutil

    from sqlalchemy import select

    from watchfloor.maritime.detect import detect_store
    from watchfloor.service.app import Watchfloor
    from watchfloor.service.watch import Watch
    from watchfloor.settings import load_settings
    from watchfloor.store.ais import AisStore
    from watchfloor.store.models import WatchRun

    http, received, subscriptions = _webhook_receiver(folder / "live-subscriptions.yaml")
    import multiprocessing

    background = live_tracks(folder / "live.nmea", rate, seconds)
    planted = planted_nmea(folder / ".live-planted.nmea")
    total = sum(1 for _ in background.open("rb")) + sum(1 for _ in planted.open("rb"))
    context = multiprocessing.get_context("spawn")
    events = context.Queue()
    sender = context.Process(target=_paced_sender, args=(background, planted, rate, events), daemon=True)
    sender.start()
    sent: dict[str, float] = {}
    _, value = events.get(timeout=60)
    port = int(value)
    shutil.copy(template, folder / "live.db")
    settings = load_settings(
        database_url=f"sqlite:///{folder / 'live.db'}",
        data_dir=folder / "live-data",
        watch_inbox=folder / "live-inbox",
        watch_subscriptions_file=subscriptions,
        watch_streams=[f"tcp://127.0.0.1:{port}"],
        watch_stream_batch=5000,
        watch_stream_flush_s=1.0,
        watch_schedule={"ais_inbox": 3600, "detect": 2.0, "assess": 2.0, "deliver": 1.0},
    )
    from watchfloor.store.ais import ingest_file

    for name in HISTORY:  # days of real AIS already stored: what a full pass per cycle would redo
        ingest_file(AIS / name, settings.data_dir)
    service = Watchfloor.open(settings=settings)
    watch = Watch(service)
    thread = threading.Thread(target=watch.run_forever, daemon=True)
    thread.start()
    deadline = time.time() + seconds + 300

    def collect() -> None:
        while not events.empty():
            key, at = events.get()
            sent[key] = at

    while time.time() < deadline and not (watch.streams and watch.streams[0].counters.lines >= total):
        collect()
        time.sleep(0.05)
    collect()
    stored = time.time()
    while time.time() < deadline:  # a detection that started after the last batch was stored, done
        with service.session() as session:
            after = session.scalars(
                select(WatchRun).where(WatchRun.job == "detect", WatchRun.finished_at.is_not(None))
            ).all()
        done = [r for r in after if r.started_at.timestamp() > stored and r.ok]
        if done and "listed_vessel_port_call" in received:
            break
        time.sleep(0.1)
    detected = min(r.finished_at.timestamp() for r in done) if done else None
    counters = watch.streams[0].counters.as_dict() if watch.streams else {}
    watch.stop()
    thread.join(60)
    sender.terminate()
    with service.session() as session:
        every = session.scalars(select(WatchRun).where(WatchRun.ok.is_(True))).all()
    runs = [r for r in every if r.job == "detect"]
    jobs: dict[str, list[float]] = {}
    for run in every:
        if not (run.counts or {}).get("skipped"):
            jobs.setdefault(run.job, []).append((run.finished_at - run.started_at).total_seconds())
    working = [r for r in runs if not (r.counts or {}).get("skipped")]
    seconds_each = [(r.finished_at - r.started_at).total_seconds() for r in working]
    recomputed = [int((r.counts or {}).get("windows_recomputed", 0)) for r in working]
    started = time.perf_counter()
    full = detect_store(AisStore(settings.data_dir))
    full_s = time.perf_counter() - started
    later = seconds_each[1:]
    last = sum(later) / len(later) if later else None
    service.close()
    http.shutdown()
    wall = sent["end"] - sent["start"]
    return {
        "messages_sent": total,
        "sentences_per_s_sent": round(total / wall),
        "stream": {k: counters.get(k) for k in ("lines", "messages", "positions", "bad", "batches")},
        "history_positions_stored_before": sum(_positions(settings.data_dir, n) for n in HISTORY),
        "detect_runs": len(working),
        "first_detect_run_s (full: the held pieces start empty)": round(seconds_each[0], 3)
        if seconds_each
        else None,
        "detect_interval_s": 2.0,
        "later_detect_runs_s_mean": round(last, 3) if last else None,
        "later_detect_runs_s_max": round(max(later), 3) if later else None,
        "detect_busy_share": round(sum(seconds_each) / (stored - sent["start"]), 3) if seconds_each else None,
        "hour_windows_recomputed_per_run": recomputed,
        "lag_last_sentence_to_stored_s": round(stored - sent["end"], 2),
        "lag_last_sentence_to_detected_s": round(detected - sent["end"], 2) if detected else None,
        "planted_to_webhook_s": (
            round(received["listed_vessel_port_call"] - sent["planted"], 2) if received else None
        ),
        "alerts_received": sorted(received),
        "jobs_working_runs_s": {k: [round(x, 2) for x in v] for k, v in sorted(jobs.items())},
        "peer_full_detection_pass_s": round(full_s, 3),
        "peer_full_events": len(full.events),
        "ratio_full_pass_to_mean_incremental_run": round(full_s / last, 2) if last else None,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=5000.0)
    parser.add_argument("--sections", default="stream,alert,live")
    parser.add_argument("--live-seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    figures: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "inbox").mkdir()
        for section in args.sections.split(","):
            if section == "stream":
                figures["stream"] = section_stream(args.messages, args.rate, folder)
            elif section == "alert":
                figures["alert"] = section_alert(folder)
            elif section == "live":
                figures["live"] = section_live(args.rate, args.live_seconds, folder, _lists_store(folder))
            else:
                parser.error(f"unknown section {section!r}")
    print(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
