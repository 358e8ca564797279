"""The assessment policy: indicators, grading weights, status thresholds and the stage ladder.

Loaded once from the YAML shipped in the package (``assess/policy.yaml``) or from the file named
by the ``policy_file`` setting, and validated: an indicator a stage refers to must exist, levels
must rise, and every weight must be in range. A bad policy raises :class:`ConfigError` naming the
file and the item.
"""

from __future__ import annotations

import enum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from watchfloor.errors import ConfigError
from watchfloor.settings import get_settings
from watchfloor.vocabulary import read_vocabulary


class Status(enum.StrEnum):
    """How far an indicator is supported, weakest first."""

    NOT_OBSERVED = "not_observed"
    SPECULATIVE = "speculative"
    REPORTED = "reported"
    CORROBORATED = "corroborated"
    CONFIRMED = "confirmed"

    @property
    def rank(self) -> int:
        return _STATUS_RANK[self]


_STATUS_RANK = {status: rank for rank, status in enumerate(Status)}


class EvidenceRole(enum.StrEnum):
    """Whether a maritime match stands as evidence alone or only backs reported claims."""

    EVIDENCE = "evidence"
    CORROBORATES = "corroborates"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EventMatcher(_Strict):
    """Which extracted events count for an indicator: all given conditions must hold."""

    types: list[str]
    source_actors: list[str | None] | None = None
    target_actors: list[str | None] | None = None
    text_any: list[str] | None = None
    """Any of these (lower-case substrings) in the event's object or summary."""
    places_any: list[str] | None = None
    """Any of these (lower-case substrings) in the event's place, object or summary."""


class MaritimeMatcher(_Strict):
    """Which maritime events count for an indicator."""

    kinds: list[str]
    ports_any: list[str] | None = None
    ports_each: list[list[str]] | None = None
    """The same vessel calls at a port of each of these groups within ``within_days`` (a shuttle
    between a DPRK and a Russian port: ``[[rajin, nampo], [dunai, vostochny]]``)."""
    within_days: int = Field(default=60, ge=1)
    listed_only: bool = False
    role: EvidenceRole = EvidenceRole.EVIDENCE


class IndicatorSpec(_Strict):
    id: str
    name: str
    statement: str = ""
    """The indicator as a proposition for key judgements ("North Korea has shipped munitions to
    Russia"); the name is used where it is empty."""
    description: str = ""
    events: list[EventMatcher] = Field(default_factory=list)
    maritime: list[MaritimeMatcher] = Field(default_factory=list)
    denials_any: list[str] = Field(default_factory=list)
    """A ``denial`` event by either state of the pair whose text holds one of these words is
    recorded against this indicator (never treated as refutation)."""


class Trigger(_Strict):
    indicator: str
    min_status: Status


class StageSpec(_Strict):
    id: str
    level: int = Field(ge=0)
    name: str
    description: str = ""
    triggers: list[Trigger] = Field(default_factory=list)
    """Any one trigger met supports the stage; a stage without triggers is the floor."""
    options: list[str] = Field(default_factory=list)


class Grading(_Strict):
    reliability_weight: dict[str, float]
    credibility_weight: dict[int, float]
    hedged_factor: float = Field(ge=0, le=1)
    speculative_factor: float = Field(ge=0, le=1)
    ais_reliability: str = "B"
    ais_credibility: int = Field(default=2, ge=1, le=6)
    near_duplicate_ratio: float = Field(default=85, ge=0, le=100)

    @model_validator(mode="after")
    def _complete(self) -> Grading:
        if set(self.reliability_weight) != set("ABCDEF"):
            raise ValueError("reliability_weight needs exactly the grades A-F")
        if set(self.credibility_weight) != set(range(1, 7)):
            raise ValueError("credibility_weight needs exactly the grades 1-6")
        return self


class Corroborated(_Strict):
    min_independent_sources: int = Field(default=2, ge=2)
    min_source_weight: float = Field(default=0.1, ge=0)


class Confirmed(_Strict):
    min_independent_sources: int = Field(default=3, ge=2)
    strong_reliability: list[str] = Field(default_factory=lambda: ["A", "B"])
    strong_credibility_max: int = Field(default=2, ge=1, le=6)


class StatusRules(_Strict):
    corroborated: Corroborated = Field(default_factory=Corroborated)
    confirmed: Confirmed = Field(default_factory=Confirmed)


class CooperationScore(_Strict):
    algorithm: str = "watchfloor-cooperation-v1"
    status_value: dict[Status, float]
    indicator_weight: dict[str, float]


class Policy(_Strict):
    """A validated assessment policy."""

    version: str
    algorithm: str = "watchfloor-stage-v1"
    pair: list[str] = Field(min_length=2, max_length=2)
    grading: Grading
    status: StatusRules = Field(default_factory=StatusRules)
    indicators: list[IndicatorSpec] = Field(min_length=1)
    stages: list[StageSpec] = Field(min_length=1)
    cooperation_score: CooperationScore | None = None
    origin: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        ids = [i.id for i in self.indicators]
        if len(ids) != len(set(ids)):
            raise ValueError("indicator ids must be unique")
        levels = [s.level for s in self.stages]
        if levels != sorted(set(levels)):
            raise ValueError("stage levels must be unique and rising")
        for stage in self.stages:
            for trigger in stage.triggers:
                if trigger.indicator not in ids:
                    raise ValueError(f"stage {stage.id}: unknown indicator {trigger.indicator!r}")
        if self.cooperation_score is not None:
            for key in self.cooperation_score.indicator_weight:
                if key not in ids:
                    raise ValueError(f"cooperation_score: unknown indicator {key!r}")
        return self

    def indicator(self, indicator_id: str) -> IndicatorSpec:
        for spec in self.indicators:
            if spec.id == indicator_id:
                return spec
        raise KeyError(indicator_id)


def default_policy_path() -> Path:
    """The policy shipped in the package."""
    return Path(str(resources.files("watchfloor.assess") / "policy.yaml"))


def parse_policy(data: Any, origin: str) -> Policy:
    """Validate a loaded YAML document as a policy, naming the item at fault."""
    if not isinstance(data, dict):
        raise ConfigError("policy must be a mapping", origin)
    try:
        return Policy.model_validate({**data, "origin": origin})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "policy"
        raise ConfigError(f"{where}: {first['msg']}", origin) from exc


def read_policy(path: Path) -> Policy:
    """Read and validate the policy at ``path``."""
    return parse_policy(*read_vocabulary("watchfloor.assess", "policy.yaml", path))


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> Policy:
    return read_policy(Path(path))


def load_policy(path: Path | None = None) -> Policy:
    """The policy at ``path``, else the ``policy_file`` setting, else the shipped default."""
    if path is None:
        path = get_settings().policy_file or default_policy_path()
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise ConfigError(f"cannot read policy: {exc.strerror}", path) from exc
    return _cached(str(path), mtime)
