"""Fixtures of the watch tests: a store with its data folder, settings pointing into tmp_path,
and real local receivers (HTTP webhook, TCP NMEA server) on free loopback ports."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from watchfloor.service.app import Watchfloor
from watchfloor.settings import Settings, load_settings

SRC = Path(__file__).resolve().parents[2] / "src"


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": f"sqlite:///{tmp_path / 'store.db'}",
            "data_dir": tmp_path / "data",
            "watch_inbox": tmp_path / "inbox",
            "watch_settle_s": 0.0,
            "watch_delivery_backoff_s": 0.0,
            "screen_index_cache": False,
        }
        values.update(overrides)
        return load_settings(**values)

    return build


@pytest.fixture
def service(make_settings: Callable[..., Settings], store_url: str) -> Iterator[Watchfloor]:
    """The application over a fresh store on each back-end (SQLite; PostgreSQL under ``make test``)."""
    app = Watchfloor.open(settings=make_settings(database_url=store_url))
    yield app
    app.close()


@dataclass
class Receiver:
    """A webhook receiver that honours ``Idempotency-Key``: each key is processed once."""

    url: str
    responses: list[int] = field(default_factory=list)  # answers to give, in order; then 200
    hold: threading.Event | None = None  # when set, requests wait for it before answering
    requests: list[dict[str, Any]] = field(default_factory=list)
    accepted: dict[str, dict[str, Any]] = field(default_factory=dict)
    received: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    port = free_port()
    box = Receiver(f"http://127.0.0.1:{port}/hook")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            key = self.headers.get("Idempotency-Key", "")
            with lock:
                box.requests.append({"key": key, "headers": dict(self.headers), "body": body})
                status = box.responses.pop(0) if box.responses else 200
            box.received.set()
            if box.hold is not None:
                box.hold.wait(30)
            if status == 200:
                with lock:
                    box.accepted.setdefault(key, json.loads(body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box
    if box.hold is not None:
        box.hold.set()
    server.shutdown()
    server.server_close()


def wait_for(condition: Callable[[], bool], timeout: float = 20.0, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return condition()


Fields = dict[str, str | int | float | bytes | bool]


def angara_in_rajin() -> list[str]:
    """NMEA for ANGARA (OFAC SDN, IMO 9179842, MMSI 273610310) reporting from Rajin every 5 minutes
    for three hours on 2024-10-29, with tag-block times: a port call by a listed vessel (pyais-encoded)."""
    import pyais

    start = 1730181600  # 2024-10-29T06:00:00Z
    lines: list[str] = []
    static: Fields = {
        "type": 5,
        "mmsi": 273610310,
        "imo": 9179842,
        "callsign": "UBCD7",
        "shipname": "ANGARA",
        "ship_type": 70,
        "destination": "RAJIN",
    }
    for i in range(36):
        ts = start + i * 300
        body = f"c:{ts}"
        checksum = 0
        for char in body.encode():
            checksum ^= char
        tag = f"\\{body}*{checksum:02X}\\"
        if i % 12 == 0:
            lines += [tag + s for s in pyais.encode_dict(static, seq_id=1)]
        position: Fields = {
            "type": 1,
            "mmsi": 273610310,
            "lat": 42.245 + 0.001 * (i % 3),
            "lon": 130.3,
            "speed": 0.2,
            "course": 10.0,
            "heading": 10,
            "status": 5,
        }
        lines += [tag + s for s in pyais.encode_dict(position)]
    return lines
