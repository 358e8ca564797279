"""A real watchfloor server for tests: Uvicorn on a free loopback port, in a thread of the test."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

import watchfloor
from watchfloor.api.app import create_app
from watchfloor.service.app import Watchfloor
from watchfloor.service.users import Role, add_user
from watchfloor.settings import Settings, load_settings
from watchfloor.store import open_store


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def live_server(service: Watchfloor, settings: Settings | None = None) -> Iterator[str]:
    """Serve ``service`` on 127.0.0.1 until the block ends; yields the base URL."""
    app = create_app(settings or service.settings, service)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def build_demo_store(folder: Path, shared_data: Path) -> Path:
    """Run ``watchfloor demo`` into ``folder``; returns the store file (AIS beside it)."""
    db = folder / "demo.db"
    run = [sys.executable, "-m", "watchfloor.cli.app", "demo", "--store", str(db), "--data", str(shared_data)]
    source = str(Path(watchfloor.__file__).resolve().parents[1])  # the watchfloor under test, not another
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])}
    subprocess.run(run, check=True, capture_output=True, cwd=folder, timeout=600, env=env)
    return db


def copy_demo_store(pristine: Path, target: Path) -> Path:
    """A private copy of the demo store folder (store file and its AIS data), for tests that write."""
    shutil.copytree(pristine.parent, target, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    return target / pristine.name


def open_service(db: Path, **overrides: object) -> Watchfloor:
    """A Watchfloor over the SQLite store ``db`` with the demo's AIS folder as its data dir."""
    settings = load_settings(
        database_url=f"sqlite:///{db}", data_dir=db.parent / "watchfloor-demo-ais" / "data", **overrides
    )
    return Watchfloor(open_store(settings.database_url), settings)


def make_keys(service: Watchfloor) -> dict[Role, str]:
    """One user and key per role: viewer ``vera``, analyst ``ana``, admin ``ada``."""
    keys: dict[Role, str] = {}
    with service.session() as session:
        for name, role in (("vera", Role.VIEWER), ("ana", Role.ANALYST), ("ada", Role.ADMIN)):
            keys[role] = add_user(session, name, role, created_by="tests")[1]
    return keys
