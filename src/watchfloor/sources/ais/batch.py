"""One block's worth of decoded AIS: positions and static data frames in the shared schema."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from watchfloor.sources.ais.schema import POSITION_SCHEMA, STATIC_SCHEMA, empty_positions, empty_static


@dataclass(frozen=True)
class AisBatch:
    """Positions (``POSITION_SCHEMA``) and static/voyage rows (``STATIC_SCHEMA``) from one block."""

    positions: pl.DataFrame
    static: pl.DataFrame

    @classmethod
    def empty(cls) -> AisBatch:
        """A batch with no rows."""
        return cls(empty_positions(), empty_static())

    @classmethod
    def concat(cls, batches: list[AisBatch]) -> AisBatch:
        """All rows of ``batches`` in one batch (for small inputs and tests)."""
        if not batches:
            return cls.empty()
        return cls(
            pl.concat([b.positions for b in batches], how="vertical"),
            pl.concat([b.static for b in batches], how="vertical"),
        )


def conform(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Select and cast ``frame`` to exactly ``schema`` (columns in order, dtypes enforced)."""
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])


def conform_positions(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` as a positions frame."""
    return conform(frame, POSITION_SCHEMA)


def conform_static(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` as a static-data frame."""
    return conform(frame, STATIC_SCHEMA)


_NONE = np.iinfo(np.int64).min


class OrderCheck:
    """Counts positions earlier than a time already seen for the same MMSI in the same file.

    Such rows are kept (receivers and archives legitimately interleave), but a feed with many of
    them is suspect, and the detectors sort by time rather than trust the file order. The state is
    one timestamp per vessel (two sorted arrays), so it stays small however long the file.
    """

    def __init__(self) -> None:
        self._mmsi = np.zeros(0, dtype=np.int64)
        self._latest = np.zeros(0, dtype=np.int64)

    def count(self, positions: pl.DataFrame) -> int:
        """Out-of-order rows in ``positions`` (in file order); remembers the latest time per MMSI."""
        if positions.is_empty():
            return 0
        mmsi = positions["mmsi"].to_numpy().astype(np.int64)
        ts = positions["ts"].dt.epoch("us").fill_null(_NONE).to_numpy().astype(np.int64)
        order = np.argsort(mmsi, kind="stable")  # vessel by vessel, file order within each
        vessel, when = mmsi[order], ts[order]
        first = np.ones(vessel.size, dtype=np.bool_)
        first[1:] = vessel[1:] != vessel[:-1]
        group = np.cumsum(first) - 1
        running = _running_max_by_group(when, group)
        before = np.empty_like(running)
        before[1:] = running[:-1]
        before[first] = _NONE
        vessels = vessel[first]
        if self._mmsi.size:
            at = np.minimum(np.searchsorted(self._mmsi, vessels), self._mmsi.size - 1)
            seen = np.where(self._mmsi[at] == vessels, self._latest[at], _NONE)
        else:
            seen = np.full(vessels.size, _NONE, dtype=np.int64)
        late = int((when < np.maximum(before, seen[group])).sum())
        last = np.ones(vessel.size, dtype=np.bool_)
        last[:-1] = first[1:]
        newest = np.maximum(running[last], seen)
        keep = ~np.isin(self._mmsi, vessels, assume_unique=True)
        merged_mmsi = np.concatenate((self._mmsi[keep], vessels))
        merged_latest = np.concatenate((self._latest[keep], newest))
        sort = np.argsort(merged_mmsi, kind="stable")
        self._mmsi, self._latest = merged_mmsi[sort], merged_latest[sort]
        return late


def _running_max_by_group(
    values: npt.NDArray[np.int64], group: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Running maximum of ``values`` restarting at each new ``group`` (groups contiguous, rising)."""
    valid = values[values != _NONE]
    low = int(valid.min()) if valid.size else 0
    width = (int(valid.max()) - low + 2) if valid.size else 2  # shifted values are 0 (none) .. width-1
    if (int(group[-1]) + 1) * width < 2**62:  # fold the group into the value: one accumulate
        shifted = np.where(values == _NONE, 0, values - low + 1)
        key = group * width + shifted
        running = np.maximum.accumulate(key) - group * width
        result: npt.NDArray[np.int64] = np.where(running <= 0, _NONE, running + low - 1)
        return result
    out = values.copy()
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    for begin, end in zip(starts, [*starts[1:], values.size], strict=True):
        out[begin:end] = np.maximum.accumulate(values[begin:end])
    return out
