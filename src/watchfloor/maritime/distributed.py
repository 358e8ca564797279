"""The same detectors on a Dask cluster: time windows and longitude bands as tasks.

Each time window is one task (read its positions, prepare the track, cut the per-vessel pieces and
the encounter buckets); each (window, longitude band) is one more task for the encounter pairs,
whose lower-MMSI vessel lies in the band and whose partner is read from the band plus a halo (see
:func:`watchfloor.maritime.encounters.close_pairs`). The pieces come back to the client and are
stitched by exactly the code the single-process run uses, so the events are identical to
:func:`watchfloor.maritime.detect.detect`'s, whatever the number of workers or bands.

Use a ``LocalCluster`` for tests and one machine, or pass any scheduler address
(``tcp://scheduler:8786``) for a real cluster; with a cluster, workers read the Parquet store
themselves, so the source's folder must be reachable from every worker.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import polars as pl

from watchfloor.maritime.detect import (
    DetectionResult,
    Detectors,
    PositionSource,
    WindowPieces,
    finish,
    iter_windows,
    pair_stage,
    process_window,
)
from watchfloor.maritime.links import VesselListIndex
from watchfloor.sources.lists.records import ListEntry


def _vessel_task(
    frame: pl.DataFrame | None, source: PositionSource | None, window: int, hours: int, det: Detectors
) -> Any:
    if frame is None:
        assert source is not None
        frame = source.window(window, hours)
    return process_window(frame, window, det)


def _pieces(result: tuple[WindowPieces, pl.DataFrame]) -> WindowPieces:
    return result[0]


def _buckets(result: tuple[WindowPieces, pl.DataFrame]) -> pl.DataFrame:
    return result[1]


def _band_task(bk: pl.DataFrame, band: tuple[float, float], det: Detectors) -> Any:
    return pair_stage(bk, det, band)


def band_edges(bands: int, lon_min: float = -180.0, lon_max: float = 180.0) -> list[tuple[float, float]]:
    """``bands`` equal longitude bands covering [lon_min, lon_max]; the outer edges are open."""
    step = (lon_max - lon_min) / bands
    edges = [lon_min + i * step for i in range(bands + 1)]
    edges[0], edges[-1] = -1e9, 1e9
    return list(itertools.pairwise(edges))


def detect_distributed(
    client: Any,
    positions: pl.DataFrame | None = None,
    source: PositionSource | None = None,
    static: pl.DataFrame | pl.LazyFrame | None = None,
    lists: Iterable[ListEntry] | VesselListIndex | None = None,
    detectors: Detectors | None = None,
    window_hours: int | None = None,
    bands: int = 2,
    lon_range: tuple[float, float] = (-180.0, 180.0),
) -> DetectionResult:
    """All detectors on a Dask ``client``, over an in-memory frame or stored positions (``source``).

    ``lon_range`` places the band edges (the outer bands stay open, so nothing falls outside).
    """
    det = detectors or Detectors.load()
    hours = window_hours or det.cfg.window_hours
    det_future = client.scatter(det, broadcast=True, hash=False)
    window_futures = []
    if positions is not None:
        for w, frame in iter_windows(positions, hours):
            frame_future = client.scatter(frame, hash=False)
            window_futures.append(client.submit(_vessel_task, frame_future, None, w, hours, det_future))
    elif source is not None:
        for w in source.windows(hours):
            window_futures.append(client.submit(_vessel_task, None, source, w, hours, det_future, pure=False))
    else:
        raise ValueError("give positions or a position source")
    piece_futures = [client.submit(_pieces, f) for f in window_futures]
    bucket_futures = [client.submit(_buckets, f) for f in window_futures]
    pair_futures = [
        client.submit(_band_task, f, band, det_future)
        for f in bucket_futures
        for band in band_edges(bands, *lon_range)
    ]
    parts: list[WindowPieces] = [p for p in client.gather(piece_futures) if p.positions or p.set_aside]
    pair_parts: list[pl.DataFrame] = list(client.gather(pair_futures))
    if static is None and source is not None:
        static = source.static()
    return finish(parts, pair_parts, static, det, lists)


def local_client(workers: int = 2, processes: bool = False) -> Any:
    """A Dask client on a LocalCluster of ``workers`` single-threaded workers."""
    from distributed import Client, LocalCluster  # lazy: dask costs ~2 s and only --workers needs it

    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=None
    )
    return Client(cluster)  # type: ignore[no-untyped-call]


def connect(address: str | None, workers: int = 2) -> Any:
    """A client on the scheduler at ``address``, or on a new LocalCluster when it is None."""
    if address is None:
        return local_client(workers)
    from distributed import Client  # lazy: dask costs ~2 s and only --dask needs it

    return Client(address)  # type: ignore[no-untyped-call]
