"""One block's worth of decoded AIS: positions and static data frames in the shared schema."""

from __future__ import annotations

from dataclasses import dataclass

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


class OrderCheck:
    """Counts positions earlier than a time already seen for the same MMSI in the same file.

    Such rows are kept (receivers and archives legitimately interleave), but a feed with many of
    them is suspect, and the detectors sort by time rather than trust the file order. The state is
    one timestamp per vessel, so it stays small however long the file.
    """

    def __init__(self) -> None:
        self._latest = pl.DataFrame(schema={"mmsi": pl.Int64(), "_seen": POSITION_SCHEMA["ts"]})

    def count(self, positions: pl.DataFrame) -> int:
        """Out-of-order rows in ``positions`` (in file order); remembers the latest time per MMSI."""
        if positions.is_empty():
            return 0
        frame = positions.select("mmsi", "ts").join(self._latest, on="mmsi", how="left", maintain_order="left")
        earlier = pl.col("ts").cum_max().shift(1).over("mmsi")
        seen = pl.max_horizontal(earlier, pl.col("_seen"))
        late = frame.select((pl.col("ts") < seen).fill_null(False).sum()).item()
        latest = positions.group_by("mmsi").agg(pl.col("ts").max().alias("_seen"))
        self._latest = (
            pl.concat([self._latest, latest], how="vertical").group_by("mmsi").agg(pl.col("_seen").max())
        )
        return int(late)
