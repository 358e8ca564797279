"""``GET /api/v1/watch`` over real HTTP (Uvicorn on a free loopback port), and ``serve --watch``."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from tests.watch.conftest import SRC, free_port, wait_for
from watchfloor.api.app import create_app
from watchfloor.service.app import Watchfloor
from watchfloor.service.users import Role, add_user
from watchfloor.service.watch import Watch

DRIFT = "dma_aisabnormal_drift_212123000_2014-10-02.nmea.gz"


def _get(url: str, key: str | None = None) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"} if key else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture
def served(service: Watchfloor) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(service.settings, service), port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    assert wait_for(lambda: server.started)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_the_watch_state_needs_a_key_and_shows_the_jobs(
    service: Watchfloor, served: str, shared_data: Path
) -> None:
    assert service.settings.watch_inbox is not None
    service.settings.watch_inbox.mkdir(parents=True)
    shutil.copy(shared_data / "ais" / DRIFT, service.settings.watch_inbox / DRIFT)
    Watch(service).run_once()
    with service.session() as session:
        _, key = add_user(session, "reader", Role.VIEWER, created_by="test")
    status, body = _get(f"{served}/api/v1/watch")
    assert status == 401 and body["error"] == "unauthenticated"
    status, body = _get(f"{served}/api/v1/watch", key)
    assert status == 200
    assert body["running"] is False  # no watch in this server: the state the store records
    assert body["files"] == {"done": 1} and body["jobs"]["detect"]["ok"] is True


@pytest.mark.slow
def test_serve_with_watch_runs_the_watch_in_the_server(tmp_path: Path, shared_data: Path) -> None:
    inbox = tmp_path / "inbox"
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "WATCHFLOOR_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
        "WATCHFLOOR_DATA_DIR": str(tmp_path / "data"),
        "WATCHFLOOR_WATCH_INBOX": str(inbox),
        "WATCHFLOOR_WATCH_SETTLE_S": "0",
        "WATCHFLOOR_WATCH_SCHEDULE": json.dumps({"ais_inbox": 0.5}),
    }
    command = [sys.executable, "-m", "watchfloor.cli.app"]
    made = subprocess.run(
        [*command, "users", "add", "reader", "--role", "viewer", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    key = json.loads(made.stdout)["key"]
    port = free_port()
    process = subprocess.Popen(
        [*command, "serve", "--watch", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/api/v1/watch"

    def answered() -> bool:
        try:
            return _get(url, key)[0] == 200
        except OSError:
            return False

    try:
        assert wait_for(answered, timeout=240), "the server did not come up"
        inbox.mkdir(exist_ok=True)
        shutil.copy(shared_data / "ais" / DRIFT, inbox / DRIFT)
        assert wait_for(lambda: _get(url, key)[1]["files"].get("done") == 1, timeout=60)
        _, body = _get(url, key)
        assert body["running"] is True and body["jobs"]["ais_inbox"]["ok"] is True
        assert set(body["next_due_s"]) == {"ais_inbox", "detect", "assess", "deliver"}
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    events = [json.loads(line)["event"] for line in stderr.splitlines() if line.startswith("{")]
    assert events[0] == "watch.start" and events[-1] == "watch.stop"
