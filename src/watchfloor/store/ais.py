"""AIS positions and static data in Parquet, partitioned by UTC day, read back lazily.

Layout under ``<data_dir>/ais/`` (``data_dir`` is ``Settings.data_dir``)::

    positions/day=2024-10-29/<sha16>-00000.parquet   rows of POSITION_SCHEMA, sorted by mmsi, ts
    static/day=2024-10-29/<sha16>-00000.parquet      rows of STATIC_SCHEMA
    manifests/<sha256>.json                          one per ingested file: its report and parts

``<sha16>`` is the start of the SHA-256 of the input file's bytes, ``00000`` the block number, so
ingesting the same file again writes nothing (its manifest exists) and an interrupted ingest is
redone over the same names instead of adding rows. A file whose content changed under the same
path replaces its earlier rows. Every Parquet part and manifest is written to a hidden temporary
name and renamed into place, so a reader never sees half a file; and a file's parts count only once
its manifest is in place (written last), so a reader never sees half an ingest either: parts left by
an ingest that was killed stay invisible until the re-run replaces them. A changed file's new
manifest names the content it replaces, which is hidden from then on and removed afterwards.
Files are read with Polars
``scan_parquet``: nothing is loaded until the detectors collect, and a day range prunes
partitions by folder name before any file is opened.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl

from watchfloor.errors import InputError, StoreError
from watchfloor.maritime.detect import window_bounds, window_of
from watchfloor.maritime.tracks import TRACK_COLUMNS
from watchfloor.sources.ais.files import DEFAULT_CHUNK_BYTES, file_sha256
from watchfloor.sources.ais.reader import read_ais
from watchfloor.sources.ais.report import ReadReport
from watchfloor.sources.ais.schema import POSITION_SCHEMA, STATIC_SCHEMA

POSITIONS = "positions"
STATIC = "static"
MANIFESTS = "manifests"


def store_root(data_dir: Path) -> Path:
    """Where the AIS Parquet store lives inside watchfloor's data folder."""
    return Path(data_dir) / "ais"


@dataclass
class IngestResult:
    """What one ``ingest_file`` did: the read report, and whether the file was already stored."""

    path: str
    sha256: str
    report: ReadReport
    skipped: bool = False  # same content already ingested: nothing written (report = the stored one)
    replaced: bool = False  # same path ingested before with other content: old rows removed
    parts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary."""
        return {
            "path": self.path,
            "sha256": self.sha256,
            "skipped": self.skipped,
            "replaced": self.replaced,
            "parts": len(self.parts),
            **self.report.as_dict(),
        }


def _atomic_write_parquet(frame: pl.DataFrame, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        frame.write_parquet(temp, compression="zstd", statistics=True)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StoreError(f"cannot write {target}: {exc}") from exc


def _atomic_write_json(value: object, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(json.dumps(value, indent=2, default=str), encoding="utf-8")
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StoreError(f"cannot write {target}: {exc}") from exc


def _write_partitions(root: Path, kind: str, frame: pl.DataFrame, stem: str) -> list[str]:
    """Write ``frame`` split by UTC day as ``<kind>/day=YYYY-MM-DD/<stem>.parquet``."""
    if frame.is_empty():
        return []
    written = []
    with_day = frame.with_columns(pl.col("ts").dt.date().alias("_day"))
    for (day,), part in with_day.group_by("_day", maintain_order=True):
        assert isinstance(day, date)
        relative = f"{kind}/day={day.isoformat()}/{stem}.parquet"
        _atomic_write_parquet(part.drop("_day").sort("mmsi", "ts"), root / relative)
        written.append(relative)
    return written


def _manifests(root: Path) -> list[dict[str, object]]:
    folder = root / MANIFESTS
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.json")):
        try:
            found.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError):
            continue  # a damaged manifest means "not ingested": the file will be ingested again
    return found


def _visible_prefixes(manifests: list[dict[str, object]]) -> set[str]:
    """The part-name prefixes of the ingests that count: committed, and not replaced since."""
    replaced = {str(sha)[:16] for m in manifests for sha in _replaces(m)}
    return {str(m.get("sha256", ""))[:16] for m in manifests} - replaced


def _replaces(manifest: dict[str, object]) -> list[str]:
    value = manifest.get("replaces", [])
    return [str(sha) for sha in value] if isinstance(value, list) else []


def _remove_replaced(root: Path, manifests: list[dict[str, object]]) -> None:
    """Remove the parts and manifests of contents that a newer manifest replaces (already hidden)."""
    for manifest in manifests:
        for sha in _replaces(manifest):
            _remove_parts(root, sha[:16])
            (root / MANIFESTS / f"{sha}.json").unlink(missing_ok=True)


def _remove_parts(root: Path, prefix: str) -> None:
    for kind in (POSITIONS, STATIC):
        for part in (root / kind).glob(f"day=*/{prefix}-*.parquet"):
            part.unlink(missing_ok=True)


def ingest_file(
    path: Path,
    data_dir: Path,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    progress: Callable[[ReadReport], None] | None = None,
) -> IngestResult:
    """Read one AIS file (NMEA or CSV, streamed in blocks) into the day-partitioned store.

    Idempotent: a file whose bytes were ingested before is skipped. Memory is bounded by one
    block: each block's partitions are written before the next block is read.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    root = store_root(data_dir)
    source = str(path.resolve())
    sha = file_sha256(path)
    report = ReadReport(source)
    manifest_path = root / MANIFESTS / f"{sha}.json"
    if manifest_path.is_file():
        try:
            previous = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            previous = None  # a damaged manifest: ingest again
        if isinstance(previous, dict):
            stored = previous.get("report")
            report = ReadReport.from_dict(stored) if isinstance(stored, dict) else report
            report.src_file = source
            return IngestResult(source, sha, report, skipped=True, parts=list(previous.get("parts", [])))

    manifests = _manifests(root)
    _remove_replaced(root, manifests)  # what an interrupted replacement left behind
    # Old contents of the same path: hidden by the new manifest, removed only after it is written.
    old_shas = [
        str(old["sha256"])
        for old in manifests
        if old.get("src_file") == source and old.get("sha256") != sha and "sha256" in old
    ]
    replaced = bool(old_shas)
    prefix = sha[:16]
    _remove_parts(root, prefix)  # leftovers of an interrupted ingest of this same content

    parts: list[str] = []
    for number, batch in enumerate(read_ais(path, report, chunk_bytes, src_file=source)):
        stem = f"{prefix}-{number:05d}"
        parts += _write_partitions(root, POSITIONS, batch.positions, stem)
        parts += _write_partitions(root, STATIC, batch.static, stem)
        if progress is not None:
            progress(report)
    _atomic_write_json(
        {
            "sha256": sha,
            "src_file": source,
            "ingested_at": datetime.now(UTC).isoformat(),
            "report": report.as_dict(),
            "parts": parts,
            "replaces": old_shas,
        },
        manifest_path,
    )
    for old_sha in old_shas:
        _remove_parts(root, old_sha[:16])
        (root / MANIFESTS / f"{old_sha}.json").unlink(missing_ok=True)
    return IngestResult(source, sha, report, replaced=replaced, parts=parts)


def _parts(data_dir: Path, kind: str, start: date | None, end: date | None) -> list[Path]:
    folder = store_root(data_dir) / kind
    if not folder.is_dir():
        return []
    visible = _visible_prefixes(_manifests(store_root(data_dir)))
    chosen: list[Path] = []
    for day_dir in sorted(folder.glob("day=*")):
        try:
            day = date.fromisoformat(day_dir.name.removeprefix("day="))
        except ValueError:
            continue
        if (start is None or day >= start) and (end is None or day <= end):
            chosen.extend(p for p in sorted(day_dir.glob("*.parquet")) if p.name[:16] in visible)
    return chosen


def _scan(
    data_dir: Path, kind: str, schema: dict[str, pl.DataType], start: date | None, end: date | None
) -> pl.LazyFrame:
    files = _parts(data_dir, kind, start, end)
    if not files:
        return pl.LazyFrame(schema=schema)
    frame = pl.scan_parquet(files, hive_partitioning=False)
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])


def scan_positions(data_dir: Path, start: date | None = None, end: date | None = None) -> pl.LazyFrame:
    """All stored positions (``POSITION_SCHEMA``) as a lazy frame; ``start``/``end`` (inclusive
    UTC days) prune partitions before any file is opened."""
    return _scan(data_dir, POSITIONS, POSITION_SCHEMA, start, end)


def scan_static(data_dir: Path, start: date | None = None, end: date | None = None) -> pl.LazyFrame:
    """All stored static/voyage rows (``STATIC_SCHEMA``) as a lazy frame."""
    return _scan(data_dir, STATIC, STATIC_SCHEMA, start, end)


def ingested(data_dir: Path) -> list[dict[str, object]]:
    """The manifests of every file in the store (path, hash, time, report, parts)."""
    manifests = _manifests(store_root(data_dir))
    visible = _visible_prefixes(manifests)
    return [m for m in manifests if str(m.get("sha256", ""))[:16] in visible]


def clear(data_dir: Path) -> None:
    """Remove the whole AIS store (positions, static data and manifests)."""
    shutil.rmtree(store_root(data_dir), ignore_errors=True)


@dataclass(frozen=True)
class AisStore:
    """The Parquet store in ``data_dir`` as the detectors read it: one time window at a time.

    A :class:`watchfloor.maritime.detect.PositionSource`; small and picklable, so Dask workers read
    their windows themselves.
    """

    data_dir: Path

    def windows(self, window_hours: int) -> list[int]:
        """The windows holding positions, from the store's day folders (no file is read)."""
        windows: set[int] = set()
        for folder in sorted((store_root(self.data_dir) / POSITIONS).glob("day=*")):
            try:
                day = date.fromisoformat(folder.name.removeprefix("day="))
            except ValueError:
                continue
            if not any(folder.glob("*.parquet")):
                continue
            lo = datetime(day.year, day.month, day.day, tzinfo=UTC)
            last = lo + timedelta(hours=23, minutes=59)
            windows.update(range(window_of(lo, window_hours), window_of(last, window_hours) + 1))
        return sorted(windows)

    def window(self, window: int, window_hours: int) -> pl.DataFrame:
        """One window of positions, reading only the day folders it spans."""
        lo, hi = window_bounds(window, window_hours)
        last = hi - timedelta(microseconds=1)
        scan = scan_positions(self.data_dir, lo.date(), last.date())
        return scan.filter((pl.col("ts") >= lo) & (pl.col("ts") < hi)).select(TRACK_COLUMNS).collect()

    def static(self) -> pl.LazyFrame:
        """All stored static/voyage rows."""
        return scan_static(self.data_dir)

    def parts(self, kind: str = POSITIONS) -> list[tuple[str, int, int]]:
        """The visible parts of ``kind`` (path under its folder, bytes, change time in ns), in the order a
        scan of the store reads them: a :class:`watchfloor.maritime.incremental.PartSource`."""
        visible = {str(m.get("sha256", ""))[:16] for m in ingested(self.data_dir)}
        root = store_root(self.data_dir) / kind
        out: list[tuple[str, int, int]] = []
        for folder in sorted(root.glob("day=*")):
            for part in sorted(folder.glob("*.parquet")):
                if part.name[:16] not in visible:
                    continue
                try:
                    info = part.stat()
                except OSError:  # replaced while we looked: the next update sees the new one
                    continue
                out.append((f"{folder.name}/{part.name}", info.st_size, info.st_mtime_ns))
        return out

    def static_parts(self) -> list[tuple[str, int, int]]:
        """The visible static/voyage parts, in scan order."""
        return self.parts(STATIC)

    def _scan_parts(self, keys: Iterable[tuple[str, int, int]]) -> pl.LazyFrame:
        root = store_root(self.data_dir) / POSITIONS
        frame = pl.scan_parquet([root / key[0] for key in keys], hive_partitioning=False)
        return frame.select([pl.col(name).cast(dtype) for name, dtype in POSITION_SCHEMA.items()])

    def part_range(self, key: tuple[str, int, int]) -> tuple[datetime, datetime] | None:
        """The first and last position time of one part; None when it holds none."""
        got = self._scan_parts([key]).select(pl.col("ts").min().alias("lo"), pl.col("ts").max().alias("hi"))
        row = got.collect()
        lo, hi = row.item(0, "lo"), row.item(0, "hi")
        return None if lo is None else (lo, hi)

    def read_parts(self, keys: Iterable[tuple[str, int, int]], lo: datetime, hi: datetime) -> pl.DataFrame:
        """The positions of the given parts with ``lo <= ts < hi``."""
        scan = self._scan_parts(keys)
        return scan.filter((pl.col("ts") >= lo) & (pl.col("ts") < hi)).select(TRACK_COLUMNS).collect()
