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

from ais_bench import child_pyais_decode, generate_nmea  # noqa: E402 (benchmarks/ is on the path now)

SDN = ROOT / ".." / "shared" / "data" / "sanctions" / "ofac" / "sdn_2024-05-03.csv"


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


def section_alert(folder: Path) -> dict[str, Any]:
    from watchfloor.service.app import Watchfloor
    from watchfloor.service.watch import Watch, watch_status
    from watchfloor.settings import load_settings

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
    subscriptions = folder / "subscriptions.yaml"
    subscriptions.write_text(f"- name: desk\n  webhook: http://127.0.0.1:{port}/\n  secret: bench\n")
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


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=5000.0)
    parser.add_argument("--sections", default="stream,alert")
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
            else:
                parser.error(f"unknown section {section!r}")
    print(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
