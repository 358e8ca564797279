"""AIS benchmarks: decode throughput against pyais, ingest throughput, and bounded memory.

Run: ``.venv/bin/python benchmarks/ais_bench.py [--messages 1000000] [--sections decode,memory,ingest]``

Each section is a function taking the shared :class:`Bench` context and returning a dict of
figures; ``main()`` runs them in order and prints everything as JSON at the end. To add a section
(e.g. detection, Dask), write ``def section_<name>(bench: Bench) -> dict[str, object]`` and add
it to ``SECTIONS``.

The input is synthetic but real-format NMEA: a mix like a coastal receiver's (class A types 1-3,
class B type 18, long-range 27, static types 5 in two sentences, 19 and 24), every sentence behind
an NMEA 4.0 tag block with its receiver time. Position reports are encoded column-wise here with
NumPy (a million with pyais's encoder would take minutes); the other types come from
``pyais.encode_dict``. Each measurement runs in a fresh child process so that its peak resident
memory (``ru_maxrss``) is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache" / "ais"
START = 1_730_160_000  # 2024-10-29 00:00:00 UTC


# ---------------------------------------------------------------------------------------------
# Input generation
# ---------------------------------------------------------------------------------------------


def _xor(text: str) -> int:
    value = 0
    for byte in text.encode():
        value ^= byte
    return value


def _armour(values: np.ndarray) -> np.ndarray:
    """6-bit values to payload characters."""
    return np.where(values < 40, values + 48, values + 56).astype(np.uint8)


def encode_positions(rng: np.random.Generator, n: int, mmsis: np.ndarray) -> list[str]:
    """``n`` type 1/2/3/18 sentences (168-bit payloads), encoded column-wise."""
    kind = rng.choice(np.array([1, 1, 1, 2, 3, 18, 18]), n)
    fields_a = {  # start, width for class A; class B differs below
        "type": (0, 6),
        "mmsi": (8, 30),
        "speed": (50, 10),
        "lon": (61, 28),
        "lat": (89, 27),
        "course": (116, 12),
        "heading": (128, 9),
        "second": (137, 6),
    }
    fields_b = {
        "type": (0, 6),
        "mmsi": (8, 30),
        "speed": (46, 10),
        "lon": (57, 28),
        "lat": (85, 27),
        "course": (112, 12),
        "heading": (124, 9),
        "second": (133, 6),
    }
    values = {
        "type": kind,
        "mmsi": rng.choice(mmsis, n),
        "speed": rng.integers(0, 300, n),
        "lon": np.round(rng.uniform(128, 142, n) * 600_000).astype(np.int64),
        "lat": np.round(rng.uniform(33, 47, n) * 600_000).astype(np.int64),
        "course": rng.integers(0, 3600, n),
        "heading": rng.integers(0, 360, n),
        "second": rng.integers(0, 60, n),
    }
    bits = np.zeros((n, 168), dtype=np.uint8)
    for layout, rows in ((fields_a, kind != 18), (fields_b, kind == 18)):
        for name, (start, width) in layout.items():
            column = values[name][rows] & ((1 << width) - 1)
            shifts = np.arange(width - 1, -1, -1)
            bits[np.ix_(rows, np.arange(start, start + width))] = (column[:, None] >> shifts) & 1
    if (kind == 18).any():  # class B: the 'CS unit' flag and friends, as transponders send them
        bits[kind == 18, 141] = 1
    sixbit = bits.reshape(n, 28, 6) @ np.array([32, 16, 8, 4, 2, 1])
    chars = _armour(sixbit)
    payloads = chars.tobytes().decode("ascii")
    head = _xor("AIVDM,1,1,,A,") ^ _xor(",0")
    sums = np.bitwise_xor.reduce(chars, axis=1) ^ head
    return [f"!AIVDM,1,1,,A,{payloads[i * 28 : (i + 1) * 28]},0*{sums[i]:02X}" for i in range(n)]


def _pool(seed: int, mmsis: np.ndarray) -> dict[str, list[list[str]]]:
    """Distinct pyais-encoded messages of the rarer types, each as its list of sentences."""
    import pyais

    rng = random.Random(seed)
    pools: dict[str, list[list[str]]] = {"27": [], "5": [], "19": [], "24": []}
    names = ["ANGARA", "LADY R", "MAIA-1", "SPARTA IV", "SEA STAR", "OCEAN GRACE", "KHANKA"]
    for i in range(400):
        mmsi = int(mmsis[i % len(mmsis)])
        pools["27"].append(
            pyais.encode_dict(
                {
                    "type": 27,
                    "msg_type": 27,
                    "mmsi": mmsi,
                    "lat": rng.uniform(33, 47),
                    "lon": rng.uniform(128, 142),
                    "speed": rng.randint(0, 20),
                    "course": rng.randint(0, 359),
                }
            )
        )
        pools["5"].append(
            pyais.encode_dict(
                {
                    "type": 5,
                    "msg_type": 5,
                    "mmsi": mmsi,
                    "imo": 9_000_000 + i,
                    "callsign": f"UB{i:03d}",
                    "shipname": rng.choice(names),
                    "ship_type": 70,
                    "destination": "RAJIN",
                },
                seq_id=i % 10,
            )
        )
        pools["19"].append(
            pyais.encode_dict(
                {
                    "type": 19,
                    "msg_type": 19,
                    "mmsi": mmsi,
                    "lat": rng.uniform(33, 47),
                    "lon": rng.uniform(128, 142),
                    "speed": 3.2,
                    "course": 80.0,
                    "shipname": rng.choice(names),
                    "ship_type": 30,
                }
            )
        )
        pools["24"].append(
            pyais.encode_dict(
                {
                    "type": 24,
                    "msg_type": 24,
                    "mmsi": mmsi,
                    "partno": i % 2,
                    "shipname": rng.choice(names),
                    "callsign": "ABC",
                    "ship_type": 37,
                }
            )
        )
    return pools


def generate_nmea(path: Path, messages: int, seed: int = 1) -> Path:
    """Write ``messages`` AIS messages (~1.04 sentences each) with tag-block times to ``path``."""
    rng = np.random.default_rng(seed)
    mmsis = rng.integers(200_000_000, 775_999_999, 5_000)
    pools = _pool(seed, mmsis)
    shares = {"pos": 0.93, "27": 0.01, "5": 0.03, "19": 0.01, "24": 0.02}
    kinds = rng.choice(list(shares), messages, p=list(shares.values()))
    positions = iter(encode_positions(rng, int((kinds == "pos").sum()), mmsis))
    tags: dict[int, str] = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="ascii") as out:
        for i, kind in enumerate(kinds.tolist()):
            second = START + i // 20  # 20 messages a second, a busy coastal receiver
            tag = tags.get(second)
            if tag is None:
                body = f"s:bench,c:{second}"
                tag = tags[second] = f"\\{body}*{_xor(body):02X}\\"
                if len(tags) > 4096:
                    tags.clear()
            sentences = [next(positions)] if kind == "pos" else pools[kind][i % 400]
            for sentence in sentences:
                out.write(tag + sentence + "\n")
    return path


# ---------------------------------------------------------------------------------------------
# Measurements, each in a child process (run as ``ais_bench.py --child NAME PATH``)
# ---------------------------------------------------------------------------------------------


def _peak_rss_mib() -> float:
    """This process's peak resident memory. ``VmHWM`` rather than ``ru_maxrss``: Linux keeps
    ``ru_maxrss`` across fork + exec, so a child would report its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_watchfloor_decode(path: Path) -> dict[str, float]:
    """watchfloor's reader over the whole file: rows produced, seconds, peak memory."""
    from watchfloor.sources.ais.nmea import read_nmea
    from watchfloor.sources.ais.report import ReadReport

    report = ReadReport(str(path))
    started = time.perf_counter()
    rows = 0
    for batch in read_nmea(path, report):
        rows += batch.positions.height + batch.static.height
    seconds = time.perf_counter() - started
    return {"messages": report.messages, "rows": rows, "seconds": seconds, "peak_rss_mib": _peak_rss_mib()}


def child_pyais_decode(path: Path) -> dict[str, float]:
    """pyais over the same file: assemble, decode every message, read the tag-block time."""
    from pyais.stream import FileReaderStream

    started = time.perf_counter()
    messages = 0
    for message in FileReaderStream(str(path)):
        decoded = message.decode()
        if message.tag_block is not None:
            message.tag_block.init()
            _ = message.tag_block.receiver_timestamp
        if decoded.msg_type in (1, 2, 3, 5, 18, 19, 24, 27):
            messages += 1
    seconds = time.perf_counter() - started
    return {"messages": messages, "seconds": seconds, "peak_rss_mib": _peak_rss_mib()}


def child_watchfloor_ingest(path: Path) -> dict[str, float]:
    """Decode and write the day-partitioned Parquet store (into a throw-away folder)."""
    from watchfloor.store.ais import ingest_file

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        result = ingest_file(path, Path(folder))
        seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in Path(folder).rglob("*.parquet"))
    return {
        "messages": result.report.messages,
        "positions": result.report.positions,
        "seconds": seconds,
        "parquet_mib": size / 2**20,
        "peak_rss_mib": _peak_rss_mib(),
    }


CHILDREN: dict[str, Callable[[Path], dict[str, float]]] = {
    "watchfloor_decode": child_watchfloor_decode,
    "pyais_decode": child_pyais_decode,
    "watchfloor_ingest": child_watchfloor_ingest,
}


def run_child(name: str, path: Path, threads: int | None = None) -> dict[str, float]:
    """Run one measurement in a fresh interpreter (Polars limited to ``threads`` if given)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    if threads is not None:
        env["POLARS_MAX_THREADS"] = str(threads)
    output = subprocess.run(
        [sys.executable, __file__, "--child", name, str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    figures: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return figures


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------


@dataclass
class Bench:
    """What the sections share: the generated input and the figures so far."""

    messages: int
    nmea: Path
    figures: dict[str, object] = field(default_factory=dict)


def section_decode(bench: Bench, repeats: int = 2) -> dict[str, object]:
    """Messages per second, watchfloor vs pyais, same file, same machine, same run.

    They run alternately ``repeats`` times and the best run of each counts, so that a burst of
    load from elsewhere on a shared machine does not decide the ratio. pyais is single-threaded;
    watchfloor is measured both as it runs (NumPy single-threaded, Polars on all cores) and with
    Polars held to one thread.
    """
    ours_runs, one_core_runs, peer_runs = [], [], []
    for _ in range(repeats):
        ours_runs.append(run_child("watchfloor_decode", bench.nmea))
        one_core_runs.append(run_child("watchfloor_decode", bench.nmea, threads=1))
        peer_runs.append(run_child("pyais_decode", bench.nmea))
    ours = min(ours_runs, key=lambda r: r["seconds"])
    one_core = min(one_core_runs, key=lambda r: r["seconds"])
    peer = min(peer_runs, key=lambda r: r["seconds"])
    ours_rate = ours["messages"] / ours["seconds"]
    one_core_rate = one_core["messages"] / one_core["seconds"]
    peer_rate = peer["messages"] / peer["seconds"]
    return {
        "watchfloor_1_thread_msgs_per_s": round(one_core_rate),
        "speedup_vs_pyais_1_thread": round(one_core_rate / peer_rate, 2),
        "messages": int(ours["messages"]),
        "pyais_messages": int(peer["messages"]),
        "watchfloor_msgs_per_s": round(ours_rate),
        "pyais_msgs_per_s": round(peer_rate),
        "speedup_vs_pyais": round(ours_rate / peer_rate, 2),
        "watchfloor_runs_s": [round(r["seconds"], 2) for r in ours_runs],
        "watchfloor_1_thread_runs_s": [round(r["seconds"], 2) for r in one_core_runs],
        "pyais_runs_s": [round(r["seconds"], 2) for r in peer_runs],
        "watchfloor_peak_rss_mib": round(ours["peak_rss_mib"]),
        "pyais_peak_rss_mib": round(peer["peak_rss_mib"]),
    }


def section_memory(bench: Bench) -> dict[str, object]:
    """Peak memory of decoding 1x and 4x the input: streaming keeps it flat."""
    bigger = bench.nmea.with_name(bench.nmea.stem + "-x4.nmea")
    if not bigger.exists():
        with bigger.open("wb") as out:
            for _ in range(4):
                out.write(bench.nmea.read_bytes())
    one = run_child("watchfloor_decode", bench.nmea)
    four = run_child("watchfloor_decode", bigger)
    return {
        "messages_1x": int(one["messages"]),
        "messages_4x": int(four["messages"]),
        "peak_rss_mib_1x": round(one["peak_rss_mib"]),
        "peak_rss_mib_4x": round(four["peak_rss_mib"]),
        "growth_ratio": round(four["peak_rss_mib"] / one["peak_rss_mib"], 2),
        "msgs_per_s_4x": round(four["messages"] / four["seconds"]),
    }


def section_ingest(bench: Bench) -> dict[str, object]:
    """Decode + write Parquet partitioned by day (what ``watchfloor ais ingest`` does)."""
    figures = run_child("watchfloor_ingest", bench.nmea)
    return {
        "messages": int(figures["messages"]),
        "positions": int(figures["positions"]),
        "msgs_per_s": round(figures["messages"] / figures["seconds"]),
        "parquet_mib": round(figures["parquet_mib"], 1),
        "peak_rss_mib": round(figures["peak_rss_mib"]),
    }


def section_detect(bench: Bench) -> dict[str, object]:
    """All maritime detectors on >= 50M SYNTHETIC positions, one core and Dask (ais_detection.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from ais_detection import section_detect as run_detection_section

    return run_detection_section()


SECTIONS: dict[str, Callable[[Bench], dict[str, object]]] = {
    "decode": section_decode,
    "memory": section_memory,
    "ingest": section_ingest,
    "detect": section_detect,
}


def main(argv: list[str] | None = None) -> dict[str, object]:
    """Generate (or reuse) the input, run the chosen sections, print and return the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--sections", default=",".join(SECTIONS))
    parser.add_argument("--child", nargs=2, metavar=("NAME", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        figures = CHILDREN[args.child[0]](Path(args.child[1]))
        print(json.dumps(figures))
        return dict(figures)

    nmea = CACHE / f"bench-{args.messages}.nmea"
    if not nmea.exists():
        started = time.perf_counter()
        generate_nmea(nmea, args.messages)
        print(f"generated {nmea} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    bench = Bench(args.messages, nmea)
    bench.figures["machine"] = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    bench.figures["input"] = {
        "file": str(nmea.relative_to(ROOT)),
        "mib": round(nmea.stat().st_size / 2**20, 1),
    }
    for name in args.sections.split(","):
        started = time.perf_counter()
        bench.figures[name] = SECTIONS[name](bench)
        print(
            f"{name}: {json.dumps(bench.figures[name])} ({time.perf_counter() - started:.0f}s)",
            file=sys.stderr,
        )
    print(json.dumps(bench.figures, indent=2))
    return bench.figures


if __name__ == "__main__":
    main()
