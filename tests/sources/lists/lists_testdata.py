"""Paths of the real list files under shared/data, and small look-up helpers for the tests."""

from __future__ import annotations

import contextlib
from pathlib import Path

from watchfloor.sources.lists.records import ListEntry

FIXTURES = Path(__file__).parent / "fixtures"
UN_FILE = "sanctions/un/UN_consolidated_2026-02-27.xml"
OFAC_SDN = "sanctions/ofac/sdn_2024-05-03.csv"
OFAC_ALT = "sanctions/ofac/alt_2026-06.csv"
OFAC_ADD = "sanctions/ofac/add_2026-06.csv"
UK_DIR = "sanctions/uk"


def by_id(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {e.entry_id: e for e in entries}


def by_caption(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {e.caption: e for e in entries}


class ListServer:
    """A real HTTP server on 127.0.0.1 in a thread, serving list files with chosen misbehaviour.

    ``routes`` maps a file name to ``(mode, body)``: ``ok``; ``truncated`` (Content-Length
    larger than the body, then the connection closes); ``slow`` (waits ``delay`` seconds before
    answering); a missing name is a 404.
    """

    def __init__(self, delay: float = 3.0) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.routes: dict[str, tuple[str, bytes]] = {}
        self.delay = delay
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                mode, body = owner.routes.get(self.path.lstrip("/"), ("missing", b""))
                if mode == "missing":
                    self.send_error(404, "Not Found")
                    return
                if mode == "slow":
                    import time

                    time.sleep(owner.delay)
                self.send_response(200)
                length = len(body) * 2 if mode == "truncated" else len(body)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client may have given up (timeout tests)
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> ListServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
