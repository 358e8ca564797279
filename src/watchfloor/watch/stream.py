"""Live NMEA over TCP or UDP, the way AIS receivers and aggregators deliver it, into the AIS store.

``tcp://host:port``: the watch connects (AIS-catcher, gpsd, rtl-ais, AISHub-style aggregators
serve raw NMEA to whoever connects), and when the stream drops it reconnects after a wait that
doubles from ``reconnect_s`` up to ``reconnect_max_s`` (reset once a connection delivers data).
``udp://host:port``: the watch listens there (receivers push datagrams of sentences).

Sentences go through the project's NMEA decoder (one decoder per stream, so a two-part message
split across datagrams or batches is still joined). A bare sentence carries no time, so it gets
a tag block with its receive time, as receivers write them; a sentence that already has one
keeps its own. Sentences are buffered and stored as one Parquet part per batch (``batch`` lines or
``flush_s`` seconds, whichever first) in the same day partitions as ingested files.

The AIS store shows a part only when a manifest names its 16-character prefix, so each run of a
stream (a *session*: one connection's reader from start to stop) writes its manifest
``manifests/<sha>.json`` first (``sha`` from the stream URL and the session), then its parts
``<sha16>-<batch>.parquet``, each renamed into place whole; the manifest is rewritten with the
counts when the session ends. A restart is a new session, so it never overwrites or repeats a
part. A bad sentence is counted by cause in the stream's report, never fatal. What a crash loses
is at most the one batch still in memory (a live stream cannot be replayed).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import polars as pl

from watchfloor.errors import ConfigError, StoreError
from watchfloor.sources.ais.batch import AisBatch
from watchfloor.sources.ais.nmea import NmeaDecoder
from watchfloor.sources.ais.report import ReadReport
from watchfloor.store.ais import MANIFESTS, POSITIONS, STATIC, store_root
from watchfloor.watch.log import log_event

READ_TIMEOUT_S = 0.25  # how often a blocked read wakes up to flush or to see a stop request


@dataclass(frozen=True)
class StreamAddress:
    """Where a stream comes from: ``tcp`` (connect to it) or ``udp`` (listen on it)."""

    protocol: str
    host: str
    port: int

    @classmethod
    def parse(cls, url: str) -> StreamAddress:
        parts = urlsplit(url)
        if parts.scheme not in ("tcp", "udp") or not parts.hostname or parts.port is None:
            raise ConfigError(f"stream {url!r}: expected tcp://host:port or udp://host:port", "watch_streams")
        return cls(parts.scheme, parts.hostname, parts.port)

    @property
    def url(self) -> str:
        return f"{self.protocol}://{self.host}:{self.port}"


class Backoff:
    """Waits that double from ``base`` up to ``maximum``; ``reset`` after a good connection."""

    def __init__(self, base: float, maximum: float) -> None:
        self.base = base
        self.maximum = maximum
        self.failures = 0

    def next(self) -> float:
        wait = float(min(self.maximum, self.base * 2.0**self.failures))
        self.failures += 1
        return wait

    def reset(self) -> None:
        self.failures = 0


def _checksum(text: str) -> str:
    value = 0
    for char in text.encode("ascii", "replace"):
        value ^= char
    return f"{value:02X}"


def stamp(line: str, received: float) -> str:
    """``line`` with a tag block holding its receive time when it has no time of its own."""
    if not line.startswith("!"):
        return line  # already tagged, a $PGHP or other sentence, or junk: the decoder decides
    body = f"c:{int(received)}"
    return f"\\{body}*{_checksum(body)}\\{line}"


def write_session_manifest(data_dir: Path, sha: str, url: str, report: ReadReport, batches: int) -> None:
    """Write (or rewrite) the manifest that makes a stream session's parts visible in the AIS store."""
    target = store_root(data_dir) / MANIFESTS / f"{sha}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    value = {
        "sha256": sha,
        "src_file": url,
        "stream": True,
        "ingested_at": datetime.now(UTC).isoformat(),
        "batches": batches,
        "report": report.as_dict(),
        "parts": [],  # named by prefix, not listed: a session writes one part a batch for days
    }
    try:
        temp.write_text(json.dumps(value, indent=2), encoding="utf-8")
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StoreError(f"cannot write {target}: {exc}") from exc


def append_batch(data_dir: Path, batch: AisBatch, stem: str) -> list[str]:
    """Write ``batch`` into the AIS store's day partitions as ``<kind>/day=.../<stem>.parquet``.

    Each part is written to a hidden name and renamed into place, so readers never see half a part.
    """
    root = store_root(data_dir)
    written: list[str] = []
    for kind, frame in ((POSITIONS, batch.positions), (STATIC, batch.static)):
        if frame.is_empty():
            continue
        with_day = frame.with_columns(pl.col("ts").dt.date().alias("_day"))
        for (day,), part in with_day.group_by("_day", maintain_order=True):
            relative = f"{kind}/day={day}/{stem}.parquet"
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            try:
                part.drop("_day").sort("mmsi", "ts").write_parquet(temp, compression="zstd", statistics=True)
                os.replace(temp, target)
            except OSError as exc:
                temp.unlink(missing_ok=True)
                raise StoreError(f"cannot write {target}: {exc}") from exc
            written.append(relative)
    return written


@dataclass
class StreamCounters:
    """What a stream has done since the watch started it (kept in the store at every batch)."""

    url: str
    connected: bool = False
    connects: int = 0
    disconnects: int = 0
    connect_failures: int = 0
    lines: int = 0
    messages: int = 0
    positions: int = 0
    static: int = 0
    bad: int = 0  # sentences dropped by the decoder, any cause
    causes: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    batch_errors: int = 0
    partial_lines: int = 0  # a line cut off by a dropped connection
    last_line_at: str | None = None
    last_batch_at: str | None = None
    lag_s: float | None = None  # receive time of the last batch minus its newest position's time
    next_retry_s: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Flushed = Callable[[StreamCounters], None]


class StreamSink:
    """Buffers sentences from one stream, decodes them in batches and stores the rows."""

    def __init__(
        self,
        address: StreamAddress,
        data_dir: Path,
        *,
        batch: int = 5000,
        flush_s: float = 10.0,
        on_flush: Flushed | None = None,
    ) -> None:
        self.address = address
        self.data_dir = Path(data_dir)
        self.batch = batch
        self.flush_s = flush_s
        self.on_flush = on_flush
        self.report = ReadReport(address.url, format="nmea")
        self.decoder = NmeaDecoder(address.url, self.report)
        self.counters = StreamCounters(address.url)
        self.session = f"{datetime.now(UTC):%Y%m%dT%H%M%S.%f}-{os.getpid()}-{id(self):x}"
        self.sha = hashlib.sha256(f"{address.url} {self.session}".encode()).hexdigest()
        self._announced = False
        self._lines: list[str] = []
        self._first_line = 1
        self._oldest = 0.0
        self._lock = threading.Lock()

    def add(self, line: str, received: float | None = None) -> None:
        """Buffer one sentence (stamped with its receive time if it has none); store when full."""
        line = line.strip()
        if not line:
            return
        received = time.time() if received is None else received
        with self._lock:
            if not self._lines:
                self._oldest = time.monotonic()
            self._lines.append(stamp(line, received))
            self.counters.lines += 1
            self.counters.last_line_at = datetime.fromtimestamp(received, UTC).isoformat()
            full = len(self._lines) >= self.batch
        if full:
            self.flush()

    @property
    def pending(self) -> int:
        """Sentences buffered and not yet stored."""
        with self._lock:
            return len(self._lines)

    def due(self) -> bool:
        """Whether the oldest buffered sentence has waited ``flush_s``."""
        with self._lock:
            return bool(self._lines) and time.monotonic() - self._oldest >= self.flush_s

    def flush(self, final: bool = False) -> int:
        """Decode and store the buffered sentences (``final``: also what the decoder holds back)."""
        with self._lock:
            lines, self._lines = self._lines, []
            first = self._first_line
            self._first_line += len(lines)
            if not lines and not final:
                return 0
            number = self.counters.batches
            before = self.report.dropped
            try:
                batch = self.decoder.decode_lines(lines, first) if lines else AisBatch.empty()
                if final:
                    batch = AisBatch.concat([batch, self.decoder.finish()])
                if not self._announced:  # the manifest first: then every part is visible once whole
                    write_session_manifest(self.data_dir, self.sha, self.address.url, self.report, number)
                    self._announced = True
                append_batch(self.data_dir, batch, f"{self.sha[:16]}-{number:08d}")
                if final:
                    write_session_manifest(self.data_dir, self.sha, self.address.url, self.report, number + 1)
            except Exception as exc:  # a decoder or disk failure loses this batch, never the stream
                self.counters.batch_errors += 1
                log_event(
                    "stream.batch_error", level=40, url=self.address.url, lines=len(lines), error=str(exc)
                )
                return 0
            counters = self.counters
            counters.batches += 1
            counters.positions += batch.positions.height
            counters.static += batch.static.height
            counters.messages = self.report.messages
            counters.bad = self.report.dropped
            counters.causes = {c.value: n for c, n in self.report.causes.items() if n}
            counters.last_batch_at = datetime.now(UTC).isoformat()
            if batch.positions.height:
                newest = batch.positions["ts"].max()
                if isinstance(newest, datetime):
                    counters.lag_s = round(time.time() - newest.timestamp(), 3)
            rows = batch.positions.height
        log_event(
            "stream.batch",
            url=self.address.url,
            lines=len(lines),
            positions=rows,
            bad=self.report.dropped - before,
            lag_s=counters.lag_s,
        )
        if self.on_flush is not None:
            self.on_flush(self.counters)
        return rows


class NmeaStream:
    """One live stream: connects (TCP) or listens (UDP), feeds a sink, reconnects with backoff."""

    def __init__(
        self,
        address: StreamAddress,
        sink: StreamSink,
        *,
        reconnect_s: float = 1.0,
        reconnect_max_s: float = 60.0,
        connect_timeout_s: float = 10.0,
    ) -> None:
        self.address = address
        self.sink = sink
        self.backoff = Backoff(reconnect_s, reconnect_max_s)
        self.connect_timeout_s = connect_timeout_s
        self.stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def counters(self) -> StreamCounters:
        return self.sink.counters

    @property
    def alive(self) -> bool:
        """Whether the reader thread is running."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Run the stream in a background (daemon) thread."""
        self._thread = threading.Thread(target=self.run, name=f"stream {self.address.url}", daemon=True)
        self._thread.start()

    def close(self, timeout: float = 10.0) -> None:
        """Stop reading, store what is buffered, and wait for the thread."""
        self.stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        """Read until :attr:`stop` is set; every connection failure waits and tries again."""
        try:
            while not self.stop.is_set():
                try:
                    if self.address.protocol == "udp":
                        self._listen_udp()
                    else:
                        self._read_tcp()
                except Exception as exc:  # a bug or an odd socket state: logged, waited out, retried
                    self.counters.connected = False
                    log_event(
                        "stream.error", level=40, url=self.address.url, error=f"{type(exc).__name__}: {exc}"
                    )
                    self._wait_to_retry(f"error: {exc}")
        finally:
            self.sink.flush(final=True)

    def _wait_to_retry(self, reason: str) -> None:
        wait = self.backoff.next()
        self.counters.next_retry_s = wait
        log_event("stream.retry", level=30, url=self.address.url, reason=reason, wait_s=wait)
        self._idle(wait)

    def _idle(self, seconds: float) -> None:
        """Wait ``seconds`` (or until stopped), storing a batch whose time has come."""
        end = time.monotonic() + seconds
        while not self.stop.is_set():
            if self.sink.due():
                self.sink.flush()
            left = end - time.monotonic()
            if left <= 0:
                return
            self.stop.wait(min(left, READ_TIMEOUT_S))

    def _read_tcp(self) -> None:
        counters = self.counters
        try:
            connection = socket.create_connection(
                (self.address.host, self.address.port), timeout=self.connect_timeout_s
            )
        except OSError as exc:
            counters.connect_failures += 1
            self._wait_to_retry(f"connect: {exc}")
            return
        counters.connects += 1
        counters.connected = True
        log_event("stream.connected", url=self.address.url, connects=counters.connects)
        pending = b""
        got_data = False
        reason = "closed by the server"
        with connection:
            connection.settimeout(READ_TIMEOUT_S)
            while not self.stop.is_set():
                if self.sink.due():
                    self.sink.flush()
                try:
                    chunk = connection.recv(65536)
                except TimeoutError:
                    continue
                except OSError as exc:
                    reason = f"read: {exc}"
                    break
                if not chunk:
                    break
                if not got_data:
                    got_data = True
                    self.backoff.reset()
                received = time.time()
                *lines, pending = (pending + chunk).split(b"\n")
                for raw in lines:
                    self.sink.add(raw.decode("utf-8", "replace"), received)
        counters.connected = False
        if pending.strip():
            counters.partial_lines += 1
        if self.stop.is_set():
            return
        counters.disconnects += 1
        log_event("stream.disconnected", level=30, url=self.address.url, reason=reason)
        self._wait_to_retry(reason)

    def _listen_udp(self) -> None:
        counters = self.counters
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind((self.address.host, self.address.port))
        except OSError as exc:
            counters.connect_failures += 1
            self._wait_to_retry(f"bind: {exc}")
            return
        counters.connects += 1
        counters.connected = True
        self.backoff.reset()
        log_event("stream.listening", url=self.address.url)
        with sock:
            sock.settimeout(READ_TIMEOUT_S)
            while not self.stop.is_set():
                if self.sink.due():
                    self.sink.flush()
                try:
                    datagram, _ = sock.recvfrom(65536)
                except TimeoutError:
                    continue
                except OSError as exc:
                    counters.disconnects += 1
                    log_event("stream.udp_error", level=30, url=self.address.url, error=str(exc))
                    break
                received = time.time()
                for raw in datagram.split(b"\n"):
                    self.sink.add(raw.decode("utf-8", "replace"), received)
        counters.connected = False
