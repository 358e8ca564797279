"""Detector thresholds: a YAML file shipped with the package, validated once, replaceable by setting."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError, model_validator

from watchfloor.errors import ConfigError
from watchfloor.vocabulary import read_vocabulary


class GapConfig(BaseModel):
    min_hours: float = Field(gt=0)
    disabling_min_shore_nm: float | None = Field(default=None, gt=0)
    """Suspected disabling needs the gap to begin at least this far from shore; None: not tested."""
    coverage_cell_deg: float = Field(gt=0, le=10)
    good_reception_fraction: float = Field(ge=0, le=1)


class ImpossibleConfig(BaseModel):
    max_speed_knots: float = Field(gt=0)
    min_distance_km: float = Field(ge=0)
    merge_hours: float = Field(ge=0)


class EncounterConfig(BaseModel):
    max_distance_m: float = Field(gt=0, le=5000)
    min_hours: float = Field(gt=0)
    max_median_speed_knots: float = Field(gt=0)
    bucket_minutes: int = Field(gt=0, le=60)
    max_gap_minutes: int = Field(ge=0)
    port_exclusion_km: float = Field(ge=0)


class LoiteringConfig(BaseModel):
    max_speed_knots: float = Field(gt=0)
    min_shore_nm: float | None = Field(default=None, gt=0)
    """Loitering needs the run's mean position at least this far from shore; None: not tested."""
    min_hours: float = Field(gt=0)
    max_gap_hours: float = Field(gt=0)
    port_exclusion_km: float = Field(ge=0)


class PortVisitConfig(BaseModel):
    entry_km: float = Field(default=3.0, gt=0)
    """A visit begins at the first fix this close to a port (GFW: 3 km of an anchorage); a port whose
    ``radius_km`` is wider (a settlement centre, not an anchorage point) enters at its radius."""
    exit_km: float = Field(default=4.0, gt=0)
    """... and ends at the last fix before one beyond this (GFW: 4 km); the band is the hysteresis."""
    min_hours: float = Field(ge=0)
    max_gap_hours: float = Field(gt=0)
    stop_speed_knots: float | None = Field(default=None, ge=0)
    """A visit needs at least one fix at or below this speed (GFW's port stop); None: no stop needed."""


class LandConfig(BaseModel):
    set_aside: bool = False
    """Keep positions on land (``shore.on_land``) out of detection. Off by default: the 1 km mask has
    no rivers, so inland-waterway traffic (29 % of the NOAA sample) reads as land; they are counted."""


class IdentityConfig(BaseModel):
    min_observations: int = Field(ge=1)


class DetectionConfig(BaseModel):
    """All detector thresholds; see ``detection.yaml`` and docs/maritime.md."""

    version: str
    window_hours: int = Field(gt=0, le=24 * 31)
    gap: GapConfig
    impossible: ImpossibleConfig
    encounter: EncounterConfig
    loitering: LoiteringConfig
    port_visit: PortVisitConfig
    identity: IdentityConfig
    land: LandConfig = LandConfig()

    @model_validator(mode="after")
    def _aligned(self) -> DetectionConfig:
        if (self.window_hours * 60) % self.encounter.bucket_minutes:
            raise ValueError("window_hours must be a whole number of encounter buckets")
        if self.port_visit.exit_km < self.port_visit.entry_km:
            raise ValueError("port_visit.exit_km must not be below port_visit.entry_km")
        if self.encounter.bucket_minutes > 60 or 60 % self.encounter.bucket_minutes:
            raise ValueError("encounter.bucket_minutes must divide an hour")
        return self


def _parse(data: Any, where: str) -> DetectionConfig:
    try:
        return DetectionConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"invalid detection config: {exc}", where) from exc


@lru_cache(maxsize=8)
def load_detection_config(path: Path | None = None) -> DetectionConfig:
    """The thresholds in ``path``, or the shipped defaults when ``path`` is None."""
    return _parse(*read_vocabulary("watchfloor.maritime", "detection.yaml", path))
