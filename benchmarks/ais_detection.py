"""Detection section of ``ais_bench.py``: all maritime detectors over >= 50 million positions.

The positions are SYNTHETIC (``watchfloor.maritime.bulk_traffic.bulk_positions``: 5,000 vessels in a
Sea of Japan box, one fix a minute, a tenth of them drifting under 2 kn, a few going dark), written
once per UTC day into the Parquet store layout that ``watchfloor ais ingest`` writes (parts sorted
by mmsi, ts). Each measurement runs in a fresh child process:

- single process, one core (``POLARS_MAX_THREADS=1``), streaming one day at a time, at two input
  sizes (3 days and 7 days) so that the peak memory can be seen not to grow with the input;
- Dask: a LocalCluster of 2 single-threaded worker processes on the 7-day store, each worker
  reading its own windows; compared with the single-process run (same events required). The two
  alternate twice and the best of each counts.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STORE_CACHE = ROOT / "benchmarks" / ".cache" / "ais-detect"
BENCH_START = datetime(2024, 10, 1, tzinfo=UTC)
VESSELS = 5000
DAYS_SMALL, DAYS_LARGE = 3, 7


def build_store(days: int = DAYS_LARGE, vessels: int = VESSELS) -> dict[int, Path]:
    """Write (once) the day partitions, and data folders holding the first ``n`` days as links."""
    import polars as pl

    from watchfloor.maritime.bulk_traffic import bulk_positions

    days_dir = STORE_CACHE / "days"
    for d in range(days):
        day = BENCH_START + timedelta(days=d)
        target = days_dir / f"day={day:%Y-%m-%d}" / "bench-00000.parquet"
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        frame = bulk_positions(day, 24, vessels=vessels, file_tag="bench").sort(["mmsi", "ts"])
        tmp = target.with_suffix(".tmp")
        frame.write_parquet(tmp, compression="zstd", statistics=True)
        tmp.rename(target)
        del frame
    stores: dict[int, Path] = {}
    for n in (DAYS_SMALL, days):
        data_dir = STORE_CACHE / f"store-{n}d"
        positions = data_dir / "ais" / "positions"
        positions.mkdir(parents=True, exist_ok=True)
        for d in range(n):
            name = f"day={BENCH_START + timedelta(days=d):%Y-%m-%d}"
            link = positions / name
            if not link.exists():
                link.symlink_to(days_dir / name, target_is_directory=True)
        stores[n] = data_dir
    _ = pl  # polars imported for bulk_positions' frames
    return stores


def _peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _digest(result: Any) -> str:
    import hashlib

    return hashlib.sha256("".join(e.id for e in result.events).encode()).hexdigest()[:16]


def child_detect_single(data_dir: Path) -> dict[str, Any]:
    """One process, one Polars thread, streaming the store one day at a time."""
    from watchfloor.maritime.detect import detect_store
    from watchfloor.store.ais import AisStore

    started = time.perf_counter()
    result = detect_store(AisStore(data_dir))
    seconds = time.perf_counter() - started
    return {
        "positions": result.positions,
        "windows": result.windows,
        "seconds": seconds,
        "events": result.counts,
        "digest": _digest(result),
        "peak_rss_mib": _peak_rss_mib(),
    }


def child_detect_dask(data_dir: Path) -> dict[str, Any]:
    """A LocalCluster of 2 worker processes (1 thread each); workers read their windows."""
    from watchfloor.maritime.distributed import detect_distributed, local_client
    from watchfloor.store.ais import AisStore

    client = local_client(workers=2, processes=True)
    try:
        started = time.perf_counter()
        result = detect_distributed(client, source=AisStore(data_dir), bands=2, lon_range=(129.5, 139.5))
        seconds = time.perf_counter() - started
        worker_peaks = client.run(_peak_rss_mib)
    finally:
        client.close()
    return {
        "positions": result.positions,
        "seconds": seconds,
        "events": result.counts,
        "digest": _digest(result),
        "client_peak_rss_mib": _peak_rss_mib(),
        "worker_peak_rss_mib": max(worker_peaks.values()),
    }


CHILDREN: dict[str, Callable[[Path], dict[str, Any]]] = {
    "detect_single": child_detect_single,
    "detect_dask": child_detect_dask,
}


def child_env() -> dict[str, str]:
    """Environment of a measurement child: one Polars thread (one core) per process."""
    return {**os.environ, "POLARS_MAX_THREADS": "1", "PYTHONPATH": str(ROOT / "src")}


def run_child(name: str, data_dir: Path) -> dict[str, Any]:
    """One measurement in a fresh interpreter (its own peak memory, one Polars thread)."""
    import subprocess
    import sys

    output = subprocess.run(
        [sys.executable, __file__, name, str(data_dir)],
        capture_output=True,
        text=True,
        env=child_env(),
        check=True,
    ).stdout
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return figures


def section_detect(repeats: int = 2) -> dict[str, object]:
    """Detection throughput, bounded memory at two sizes, and Dask (2 workers) vs single process."""
    started = time.perf_counter()
    stores = build_store()
    built_s = time.perf_counter() - started
    small = run_child("detect_single", stores[DAYS_SMALL])
    # Single process and Dask alternate twice; the best of each counts, so that a burst of load
    # from elsewhere on a shared machine does not decide the ratio.
    singles, dasks = [], []
    for _ in range(repeats):
        singles.append(run_child("detect_single", stores[DAYS_LARGE]))
        dasks.append(run_child("detect_dask", stores[DAYS_LARGE]))
    large = min(singles, key=lambda r: float(r["seconds"]))
    dask = min(dasks, key=lambda r: float(r["seconds"]))
    return {
        "input": f"SYNTHETIC bulk_positions: {VESSELS} vessels, 1 fix/min, Parquet by day",
        "load_average_1m_at_end": round(os.getloadavg()[0], 1),
        "store_build_s": round(built_s, 1),
        "single_core": {
            "positions_small": small["positions"],
            "positions_large": large["positions"],
            "positions_per_s_small": round(small["positions"] / small["seconds"]),
            "positions_per_s_large": round(large["positions"] / large["seconds"]),
            "seconds_large": round(large["seconds"], 1),
            "seconds_large_runs": [round(r["seconds"], 1) for r in singles],
            "peak_rss_mib_small": round(small["peak_rss_mib"]),
            "peak_rss_mib_large": round(large["peak_rss_mib"]),
            "peak_growth_ratio": round(large["peak_rss_mib"] / small["peak_rss_mib"], 2),
            "events_large": large["events"],
        },
        "dask_2_workers": {
            "positions": dask["positions"],
            "seconds": round(dask["seconds"], 1),
            "seconds_runs": [round(r["seconds"], 1) for r in dasks],
            "positions_per_s": round(dask["positions"] / dask["seconds"]),
            "speedup_vs_single_core": round(large["seconds"] / dask["seconds"], 2),
            "worker_peak_rss_mib": round(dask["worker_peak_rss_mib"]),
            "client_peak_rss_mib": round(dask["client_peak_rss_mib"]),
            "same_events_as_single": all(
                r["digest"] == large["digest"] and r["events"] == large["events"] for r in [*singles, *dasks]
            ),
        },
    }


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3:
        print(json.dumps(CHILDREN[sys.argv[1]](Path(sys.argv[2]))))
