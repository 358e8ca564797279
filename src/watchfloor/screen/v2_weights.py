"""The weights file of ``watchfloor-name-v2``: which features and parameters it must name, how it
is read and checked, and which file is in use (the shipped ``name_v2.yaml`` or the setting
``screen_weights_file``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from watchfloor.errors import ConfigError
from watchfloor.screen.translit import korean_key
from watchfloor.settings import get_settings
from watchfloor.vocabulary import read_vocabulary

MAIN_FEATURES = ("name_match", "weak_alias_match", "identifier_match")
QUALIFIERS = (
    "name.initials", "name.missing_parts", "name.extra_parts", "name.conflicting_parts",
    "name.patronymic_mismatch", "name.family_agrees", "name.family_mismatch", "name.common_family_only",
    "name.number_mismatch", "org.legal_form_only", "org.legal_form_mismatch", "dob.exact", "dob.year",
    "dob.day_conflict", "dob.year_conflict", "country.agree", "country.mismatch", "gender.mismatch",
    "identifier.conflict", "schema.loose",
)  # fmt: skip
PARAMETERS = (
    "extra_query_cost", "extra_list_cost", "minor_part_cost", "initial_similarity", "stopword_weight",
    "whole_name_factor", "common_family_max_given",
)  # fmt: skip


@dataclass(frozen=True)
class Weights:
    """A parsed weights file."""

    threshold: float
    main: dict[str, float]
    qualifiers: dict[str, float]
    parameters: dict[str, float]
    stopwords: frozenset[str]
    common_families: frozenset[str]
    """Korean-folded keys of the common family names."""
    origin: str


def read_weights(path: Path | None = None) -> Weights:
    """Read and check a weights file (the shipped one when ``path`` is ``None``): every feature
    and parameter must be there, as numbers; an unknown feature is an error (a typo would
    otherwise be silently ignored)."""
    data, origin = read_vocabulary("watchfloor.screen", "name_v2.yaml", path)
    if not isinstance(data, dict):
        raise ConfigError("a weights file is a mapping", origin)

    def numbers(section: str, names: tuple[str, ...]) -> dict[str, float]:
        values = data.get(section)
        if not isinstance(values, dict):
            raise ConfigError(f"'{section}' must be a mapping of names to numbers", origin)
        unknown = sorted(set(values) - set(names))
        missing = [n for n in names if n not in values]
        if unknown or missing:
            raise ConfigError(f"'{section}': unknown {unknown}, missing {missing}", origin)
        out: dict[str, float] = {}
        for name in names:
            value = values[name]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(f"'{section}.{name}' must be a number, not {value!r}", origin)
            out[name] = float(value)
        return out

    threshold = data.get("threshold")
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 < threshold <= 1:
        raise ConfigError("'threshold' must be a number in (0, 1]", origin)
    stopwords = data.get("org_stopwords", [])
    families = data.get("common_family_names", [])
    if not isinstance(stopwords, list) or not isinstance(families, list):
        raise ConfigError("'org_stopwords' and 'common_family_names' must be lists", origin)
    return Weights(
        threshold=float(threshold),
        main=numbers("main", MAIN_FEATURES),
        qualifiers=numbers("qualifiers", QUALIFIERS),
        parameters=numbers("parameters", PARAMETERS),
        stopwords=frozenset(str(w).lower() for w in stopwords),
        common_families=frozenset(korean_key(str(w)) for w in families),
        origin=origin,
    )


@lru_cache(maxsize=8)
def _weights_at(path: Path | None) -> Weights:
    return read_weights(path)


def current_weights() -> Weights:
    """The weights in use: the settings' ``screen_weights_file``, else the shipped file."""
    return _weights_at(get_settings().screen_weights_file)


def default_threshold() -> float:
    """The threshold of the weights in use."""
    return current_weights().threshold
