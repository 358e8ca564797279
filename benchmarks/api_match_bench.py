"""``/match`` under load: many concurrent yente-shaped clients against the full UN + OFAC + UK index.

Starts ``watchfloor serve`` as its own process on a loopback port over a store holding the real
lists from ``../shared/data/sanctions``, then runs closed-loop clients (each sends its next request
when the last is answered) for a fixed time, with queries drawn from the lists' own names (exact,
one letter changed, parts reordered). Prints throughput, latency percentiles and errors, first at
concurrency 1 (the service time of one request) and then at the requested concurrency.

The peer is yente's published figure of about 4 requests per second per vCPU with logic-v2
(OpenSanctions' self-hosting guidance); the ratio printed is ours per vCPU over that figure.

    .venv/bin/python benchmarks/api_match_bench.py [--clients 200] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
YENTE_PER_VCPU = 4.0
"""yente with logic-v2: ≈4 requests/s per vCPU (OpenSanctions' published sizing figure)."""


def _env(db: Path, folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "WATCHFLOOR_DATABASE_URL": f"sqlite:///{db}",
        "WATCHFLOOR_DATA_DIR": str(folder / "data"),
    }


def _cli(env: dict[str, str], *args: str) -> str:
    run = [sys.executable, "-m", "watchfloor.cli.app", *args]
    return subprocess.run(run, env=env, check=True, capture_output=True, text=True, timeout=900).stdout


def prepare(folder: Path) -> tuple[dict[str, str], str, list[str]]:
    """A store with UN, OFAC and UK loaded, a viewer key, and names to query."""
    import json

    db = folder / "bench.db"
    env = _env(db, folder)
    sanctions = SHARED / "sanctions"
    files = [str(p) for sub in ("un", "ofac") for p in sorted((sanctions / sub).iterdir()) if p.is_file()]
    _cli(env, "lists", "load", *files, str(sanctions / "uk"), "--json")
    key = json.loads(_cli(env, "users", "add", "bench", "--role", "viewer", "--json"))["key"]
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        names = [
            row[0]
            for row in connection.execute(text("SELECT caption FROM list_entries WHERE schema='Person'"))
        ]
    engine.dispose()
    return env, key, names


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _vary(name: str, rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.4 or len(name) < 6:
        return name
    if choice < 0.7:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + rng.choice("aeiouny") + name[i + 1 :]
    parts = name.replace(",", " ").split()
    rng.shuffle(parts)
    return " ".join(parts)


async def _client(
    http: httpx.AsyncClient,
    key: str,
    names: list[str],
    until: float,
    seed: int,
    out: list[float],
    errors: list[str],
) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": f"ApiKey {key}"}
    while time.perf_counter() < until:
        body = {
            "queries": {"q": {"schema": "Person", "properties": {"name": [_vary(rng.choice(names), rng)]}}}
        }
        start = time.perf_counter()
        try:
            response = await http.post("/match/default", json=body, headers=headers)
            if response.status_code != 200:
                errors.append(f"HTTP {response.status_code}")
                continue
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)
            continue
        out.append(time.perf_counter() - start)


async def run_load(base: str, key: str, names: list[str], clients: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as http:
        until = time.perf_counter() + seconds
        started = time.perf_counter()
        await asyncio.gather(
            *(_client(http, key, names, until, i, latencies, errors) for i in range(clients))
        )
        elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return (
            1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else float("nan")
        )

    kinds = sorted(set(errors))
    return {
        "error_kinds": ", ".join(f"{k} x{errors.count(k)}" for k in kinds),
        "clients": clients,
        "requests": len(latencies),
        "errors": len(errors),
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": 1000 * statistics.fmean(latencies) if latencies else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warm-seconds", type=float, default=10.0, help="Concurrency-1 run first.")
    args = parser.parse_args()
    cpus = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="wf-match-bench-") as tmp:
        folder = Path(tmp)
        print("preparing a store with UN + OFAC + UK ...", flush=True)
        env, key, names = prepare(folder)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "watchfloor.cli.app", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.5)
            # The first match builds the screening index (cached on disk after that).
            asyncio.run(run_load(base, key, names, 1, 1.0))
            rows = [
                asyncio.run(run_load(base, key, names, 1, args.warm_seconds)),
                asyncio.run(run_load(base, key, names, args.clients, args.seconds)),
            ]
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"\n/match/default, {len(names):,} listed person names as query seeds, {cpus} vCPUs, loopback")
    print(
        f"{'clients':>8} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    for row in rows:
        print(
            f"{row['clients']:>8.0f} {row['requests']:>9.0f} {row['errors']:>7.0f} {row['rps']:>8.1f} "
            f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f}"
        )
    loaded = rows[-1]
    per_cpu = loaded["rps"] / cpus
    print(
        f"\nthroughput per vCPU: {per_cpu:.1f} req/s; yente logic-v2 ≈ {YENTE_PER_VCPU:.0f} req/s per vCPU "
        f"→ ratio {per_cpu / YENTE_PER_VCPU:.1f}x"
    )
    print(
        f"goal p99 < 50 ms at {args.clients} clients: {'met' if loaded['p99_ms'] < 50 else 'NOT met'}; "
        f"errors: {loaded['errors']:.0f}"
    )


if __name__ == "__main__":
    main()
