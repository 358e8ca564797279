"""Source reliability grades (Admiralty scale A-F) from a YAML table shipped with watchfloor.

The table is loaded and validated once; ``Settings.source_grades_file`` replaces it. A source that
is not in the table gets the table's default, normally F (reliability cannot be judged).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from watchfloor.errors import ConfigError
from watchfloor.model.grades import SourceGrade
from watchfloor.settings import get_settings
from watchfloor.vocabulary import read_vocabulary

SHIPPED_TABLE = "source_grades.yaml"


@dataclass(frozen=True)
class GradedSource:
    """A source resolved against the table: its canonical name and grade."""

    name: str
    grade: SourceGrade
    listed: bool
    """False when the grade is the table's default for an unknown source."""


@dataclass(frozen=True)
class SourceTable:
    """The per-source grade table."""

    default: SourceGrade
    grades: dict[str, GradedSource]
    """Lower-cased name or alias -> graded source."""
    origin: str

    def lookup(self, *names: str | None) -> GradedSource | None:
        """The first of ``names`` found in the table (by name or alias), if any."""
        for name in names:
            if name and (found := self.grades.get(name.strip().lower())):
                return found
        return None

    def grade(self, source: str | None, *hints: str | None) -> GradedSource:
        """Grade a source by its name, then by hints (site, host, file-name prefix); else default."""
        found = self.lookup(source, *hints)
        if found is not None:
            return found
        return GradedSource(name=source or "unknown", grade=self.default, listed=False)

    def source_from_name(self, path: Path) -> str | None:
        """The source named by a file name's first ``_`` part (``ap_2024-...`` -> Associated Press)."""
        found = self.lookup(path.name.split("_", 1)[0])
        return found.name if found else None


def _grade(value: Any, where: str, origin: str) -> SourceGrade:
    try:
        return SourceGrade(str(value).strip().upper())
    except ValueError as exc:
        raise ConfigError(f"{where}: grade must be one of A-F, not {value!r}", origin) from exc


def parse_table(data: Any, origin: str) -> SourceTable:
    """Validate the YAML structure of a grade table."""
    if not isinstance(data, dict) or not isinstance(data.get("sources", []), list):
        raise ConfigError("expected a mapping with a 'sources' list", origin)
    default = _grade(data.get("default", "F"), "default", origin)
    grades: dict[str, GradedSource] = {}
    for number, entry in enumerate(data.get("sources", []), start=1):
        where = f"sources[{number}]"
        if not isinstance(entry, dict) or not entry.get("name"):
            raise ConfigError(f"{where}: needs a 'name'", origin)
        graded = GradedSource(str(entry["name"]), _grade(entry.get("grade"), where, origin), True)
        for key in [graded.name, *(str(alias) for alias in entry.get("aliases") or [])]:
            grades[key.strip().lower()] = graded
    return SourceTable(default=default, grades=grades, origin=origin)


def load_table(path: Path | None = None) -> SourceTable:
    """Load a grade table from ``path``, or the shipped one."""
    data, origin = read_vocabulary("watchfloor.sources", SHIPPED_TABLE, path)
    return parse_table(data, origin)


@lru_cache(maxsize=4)
def _cached(path: Path | None) -> SourceTable:
    return load_table(path)


def source_table() -> SourceTable:
    """The table in force: ``Settings.source_grades_file`` if set, else the shipped one."""

    return _cached(get_settings().source_grades_file)
