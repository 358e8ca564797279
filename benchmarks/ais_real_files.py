"""Every real AIS file in ../shared/data/ais: read time with watchfloor against pyais on the same
NMEA lines (pyais: IterMessages + decode of every message; watchfloor: the full reader, which also
checks checksums, drops duplicate receptions and builds Polars frames), and detection time.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/ais_real_files.py [--repeat 3]``
Prints one JSON object: per file, seconds (best of ``--repeat``), the ratio pyais / watchfloor and
the events found by kind (identity events by change), the table of docs/maritime.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AIS = (ROOT / ".." / "shared" / "data" / "ais").resolve()


def _best(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    from pyais.stream import IterMessages

    from watchfloor.maritime.detect import Detectors, detect
    from watchfloor.sources.ais.batch import AisBatch
    from watchfloor.sources.ais.reader import AisFormat, detect_format, read_ais

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    detectors = Detectors.load(None, None)
    rows: dict[str, dict[str, object]] = {}
    for path in sorted(p for p in AIS.iterdir() if p.name != "PROVENANCE.md"):
        batch = AisBatch.concat(list(read_ais(path)))
        ours = _best(lambda path=path: AisBatch.concat(list(read_ais(path))), args.repeat)
        row: dict[str, object] = {
            "format": detect_format(path).value,
            "positions": batch.positions.height,
            "watchfloor_read_s": round(ours, 4),
        }
        if detect_format(path) is AisFormat.NMEA:
            raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            lines = [ln for ln in raw.splitlines() if ln.startswith((b"!", b"\\"))]

            def peer(lines: list[bytes] = lines) -> None:
                for msg in IterMessages(lines):
                    msg.decode()

            theirs = _best(peer, args.repeat)
            row["pyais_decode_s"] = round(theirs, 4)
            row["pyais_over_watchfloor"] = round(theirs / ours, 2)
        row["detect_s"] = round(
            _best(lambda b=batch: detect(b.positions, b.static, detectors=detectors), args.repeat), 4
        )
        result = detect(batch.positions, batch.static, detectors=detectors)
        found = result.events
        row["flagged_positions"] = result.set_aside  # on_land: counted, kept (land.set_aside: false)
        kinds: dict[str, int] = {}
        for event in found:
            key = (
                str(event.details.get("change", event.kind.value))
                if event.kind.value == "identity"
                else event.kind.value
            )
            kinds[key] = kinds.get(key, 0) + 1
        row["events"] = dict(sorted(kinds.items()))
        rows[path.name] = row
    print(json.dumps({"python": platform.python_version(), "repeat": args.repeat, "files": rows}, indent=1))


if __name__ == "__main__":
    main()
