"""Live NMEA against real local sockets: a TCP server that drops the stream mid-way, a UDP sender."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.watch.conftest import free_port, wait_for
from watchfloor.errors import ConfigError
from watchfloor.sources.ais.nmea import decode_nmea_lines
from watchfloor.store.ais import scan_positions
from watchfloor.watch.stream import Backoff, NmeaStream, StreamAddress, StreamSink, stamp

KYST = "kystverket_ais1000lines_2019-08-07.nm4"


@pytest.fixture
def kyst_lines(shared_data: Path) -> list[str]:
    return (shared_data / "ais" / KYST).read_text().splitlines()


class DroppingServer:
    """Serves NMEA lines over TCP; each connection gets the next slice, then the server hangs up.

    ``cut_mid_line`` sends the first half of the slice's next line before hanging up, as a
    receiver that dies mid-write does.
    """

    def __init__(self, slices: list[list[str]], cut_mid_line: bool = False) -> None:
        self.slices = slices
        self.cut_mid_line = cut_mid_line
        self.port = free_port()
        self.connections = 0
        self._sock = socket.create_server(("127.0.0.1", self.port))
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._sock.accept()
            except TimeoutError:
                continue
            with connection:
                index = self.connections
                self.connections += 1
                if index >= len(self.slices):
                    self._stop.wait(30)  # keep the last connection open and quiet
                    continue
                lines = self.slices[index]
                data = "".join(line + "\r\n" for line in lines).encode()
                for start in range(0, len(data), 4096):  # several TCP writes, lines cut across them
                    connection.sendall(data[start : start + 4096])
                if self.cut_mid_line and index + 1 < len(self.slices) and self.slices[index + 1]:
                    half = self.slices[index + 1][0]
                    connection.sendall(half[: len(half) // 2].encode())

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()


@pytest.fixture
def server_factory() -> Iterator[list[DroppingServer]]:
    servers: list[DroppingServer] = []
    yield servers
    for server in servers:
        server.close()


def _positions(data_dir: Path) -> int:
    return int(scan_positions(data_dir).select("mmsi").collect().height)


def test_tcp_stream_survives_a_dropped_connection(
    kyst_lines: list[str], tmp_path: Path, server_factory: list[DroppingServer]
) -> None:
    expected = decode_nmea_lines(kyst_lines)[0].positions.height
    server = DroppingServer([kyst_lines[:400], kyst_lines[400:]])
    server_factory.append(server)
    address = StreamAddress.parse(f"tcp://127.0.0.1:{server.port}")
    sink = StreamSink(address, tmp_path, batch=150, flush_s=0.3)
    stream = NmeaStream(address, sink, reconnect_s=0.05, reconnect_max_s=0.2)
    stream.start()
    assert wait_for(lambda: sink.counters.lines >= len(kyst_lines) and server.connections >= 3)
    stream.close()
    counters = sink.counters
    assert counters.connects >= 2 and counters.disconnects >= 2  # hung up after each slice
    assert counters.lines == len(kyst_lines)
    assert counters.batches >= 2
    assert _positions(tmp_path) == expected == counters.positions
    parts = sorted((tmp_path / "ais" / "positions").rglob("*.parquet"))
    assert len(parts) == counters.batches and all(p.name.startswith(sink.sha[:16]) for p in parts)
    manifest = json.loads((tmp_path / "ais" / "manifests" / f"{sink.sha}.json").read_text())
    assert manifest["src_file"] == address.url and manifest["report"]["positions"] == expected
    row = scan_positions(tmp_path).select("src_file").collect().row(0)
    assert row[0] == address.url  # provenance: the stream the rows came from


def test_a_line_cut_by_a_dropped_connection_is_counted_not_fatal(
    kyst_lines: list[str], tmp_path: Path, server_factory: list[DroppingServer]
) -> None:
    lines = kyst_lines[:300]
    garbage = ["\x00\x07 binary junk", "!AIVDM,1,1,,A,13mb9U0P00PRk8fT5nw>4?wj2006,0*00", "$GPGGA,,,"]
    server = DroppingServer([lines[:100] + garbage, lines[100:]], cut_mid_line=True)
    server_factory.append(server)
    address = StreamAddress.parse(f"tcp://127.0.0.1:{server.port}")
    sink = StreamSink(address, tmp_path, batch=1000, flush_s=0.2)
    stream = NmeaStream(address, sink, reconnect_s=0.05, reconnect_max_s=0.1)
    stream.start()
    assert wait_for(lambda: sink.counters.lines >= len(lines) + len(garbage) and server.connections >= 3)
    stream.close()
    counters = sink.counters
    assert counters.partial_lines == 1
    assert counters.bad >= 2 and {"bad_checksum", "unparseable"} & set(counters.causes)
    assert counters.positions == decode_nmea_lines(lines)[0].positions.height
    assert counters.batch_errors == 0


def test_udp_datagrams_are_decoded_and_bare_sentences_get_their_receive_time(
    kyst_lines: list[str], tmp_path: Path
) -> None:
    bare = [line.split("\\")[-1] for line in kyst_lines[:200]]  # strip the tag blocks: no time left
    port = free_port(socket.SOCK_DGRAM)
    address = StreamAddress.parse(f"udp://127.0.0.1:{port}")
    sink = StreamSink(address, tmp_path, batch=10_000, flush_s=0.2)
    stream = NmeaStream(address, sink)
    stream.start()
    assert wait_for(lambda: sink.counters.connected)
    before = datetime.now(UTC)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        for start in range(0, len(bare), 5):
            sender.sendto("\r\n".join(bare[start : start + 5]).encode(), ("127.0.0.1", port))
            time.sleep(0.002)
    assert wait_for(lambda: sink.counters.lines >= len(bare))
    stream.close()
    stamped = [stamp(line, time.time()) for line in bare]
    assert sink.counters.positions == decode_nmea_lines(stamped)[0].positions.height > 0
    times = scan_positions(tmp_path).select("ts").collect()["ts"]
    assert times.min() >= before.replace(microsecond=0)  # type: ignore[operator]


def test_reconnect_waits_double_up_to_the_ceiling(tmp_path: Path) -> None:
    backoff = Backoff(1.0, 8.0)
    assert [backoff.next() for _ in range(5)] == [1.0, 2.0, 4.0, 8.0, 8.0]
    backoff.reset()
    assert backoff.next() == 1.0
    port = free_port()  # nobody listens there
    address = StreamAddress.parse(f"tcp://127.0.0.1:{port}")
    sink = StreamSink(address, tmp_path)
    stream = NmeaStream(address, sink, reconnect_s=0.02, reconnect_max_s=0.08)
    stream.start()
    assert wait_for(lambda: sink.counters.connect_failures >= 4)
    stream.close()
    assert sink.counters.next_retry_s == 0.08 and sink.counters.connects == 0


def test_a_stream_address_must_be_tcp_or_udp_with_a_port() -> None:
    for wrong in ("http://host:80", "tcp://host", "host:1234"):
        with pytest.raises(ConfigError, match="tcp://host:port"):
            StreamAddress.parse(wrong)
