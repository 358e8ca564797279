"""`watchfloor lists`, `lists load` and `lists update`, run as a user runs them."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from watchfloor.cli.demo import lists_step
from watchfloor.store import open_store

UN = "sanctions/un/UN_consolidated_2026-02-27.xml"
OFAC = (
    "sanctions/ofac/sdn_2024-05-03.csv",
    "sanctions/ofac/alt_2026-06.csv",
    "sanctions/ofac/add_2026-06.csv",
)
UK = "sanctions/uk"


def run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "watchfloor.cli.app", "--store", str(store), "lists", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def loaded(store: Path) -> dict[str, Any]:
    result = run(store, "--json")
    assert result.returncode == 0, result.stderr
    return {item["source"]: item for item in json.loads(result.stdout)["lists"]}


class Server:
    """Serves ``routes`` (name -> (mode, body)) on 127.0.0.1; modes ok / truncated; else 404."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[str, bytes]] = {}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                mode, body = owner.routes.get(self.path.lstrip("/"), ("missing", b""))
                if mode == "missing":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body) * (2 if mode == "truncated" else 1)))
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        host, port = self.httpd.server_address[:2]
        self.url = f"http://{host!s}:{port}"


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    thread = threading.Thread(target=running.httpd.serve_forever, daemon=True)
    thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


def test_bare_lists_on_an_empty_store(tmp_path: Path) -> None:
    result = run(tmp_path / "s.db")
    assert result.returncode == 0, result.stderr
    assert "no sanctions lists loaded" in " ".join(result.stdout.split())
    assert loaded(tmp_path / "s.db") == {}


@pytest.mark.slow
def test_load_shows_the_counts_of_the_files_and_refuses_a_bomb(tmp_path: Path, shared_data: Path) -> None:
    store = tmp_path / "s.db"
    paths = [str(shared_data / UN), *(str(shared_data / p) for p in OFAC), str(shared_data / UK)]
    result = run(store, "load", *paths)
    assert result.returncode == 0, result.stderr
    for count in ("1,003", "14,965", "6,046"):
        assert count in result.stdout
    before = loaded(store)
    assert {k: v["entry_count"] for k, v in before.items()} == {
        "un_sc": 1003,
        "us_ofac_sdn": 14965,
        "gb_uk": 6046,
    }
    assert before["un_sc"]["published"] == "2026-02-27"
    assert before["us_ofac_sdn"]["schemas"]["Vessel"] == 851
    bomb = tmp_path / "consolidated.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE CONSOLIDATED_LIST [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&b;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS>"
        "</CONSOLIDATED_LIST>"
    )
    refused = run(store, "load", str(bomb))
    assert refused.returncode == 1
    message = "".join(refused.stderr.splitlines())  # one message, however the terminal wraps it
    assert message.startswith("error: ") and "refused hostile XML: EntitiesForbidden" in message
    assert str(bomb) in message and "Traceback" not in message
    assert loaded(store) == before


@pytest.mark.slow
def test_update_from_a_local_server_keeps_the_old_version_on_failure(
    tmp_path: Path, shared_data: Path, server: Server
) -> None:
    store, folder = tmp_path / "s.db", tmp_path / "lists"
    un = (shared_data / UN).read_bytes()
    server.routes["consolidated.xml"] = ("ok", un)
    args = ("update", "--base-url", server.url, "--dir", str(folder), "--timeout", "5")
    first = run(store, *args, "--source", "un_sc", "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["errors"] == [] and report["updated"][0]["entry_count"] == 1003
    before = loaded(store)
    assert before["un_sc"]["origin"] == str(folder / "un_sc" / "consolidated.xml")
    # A truncated body for the UN list and a 404 for the UK list: both fail, nothing changes.
    server.routes["consolidated.xml"] = ("truncated", un[:-1000])
    failed = run(store, *args, "--source", "un_sc", "--source", "gb_uk")
    assert failed.returncode == 1
    err = " ".join(failed.stderr.split())
    assert "update failed un_sc" in err and "truncated download" in err and "previous version kept" in err
    assert "update failed gb_uk" in err and "HTTP 404" in err
    assert "2 of 2 lists failed to update" in err
    assert loaded(store) == before
    assert (folder / "un_sc" / "consolidated.xml").read_bytes() == un


def test_demo_step_loads_the_real_lists(tmp_path: Path, shared_data: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    console = Console(record=True, width=120)
    summary = lists_step(store, console, shared=shared_data)
    assert summary["lists"] == {"gb_uk": 6046, "un_sc": 1003, "us_ofac_sdn": 14965}
    assert "list us_ofac_sdn: 14,965 entries" in console.export_text()
    again = lists_step(store, Console(record=True), shared=shared_data)
    assert [item["new_version"] for item in again["loaded"]] == [False, False, False]
    store.close()


@pytest.mark.slow
def test_demo_step_falls_back_to_the_bundled_copy(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    summary = lists_step(store, Console(record=True), shared=tmp_path / "no-shared-data")
    assert summary["lists"] == {"gb_uk": 6046, "un_sc": 1003, "us_ofac_sdn": 14965}
    assert all("watchfloor/data/sanctions" in origin for origin in summary["files"])
    store.close()
