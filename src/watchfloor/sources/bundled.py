"""Where the demo finds its data: ``../shared/data`` when present, the package's copy otherwise."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from watchfloor.settings import get_settings

FOUNDING_REPORT = "reports/ap_2024-10-29_dprk_troops_kursk.txt"
FOUNDING_REPORT_SOURCE = "Associated Press"


def bundled_data_dir() -> Path:
    """The data folder shipped inside the package (see its PROVENANCE.md)."""
    return Path(str(resources.files("watchfloor") / "data"))


def data_file(relative: str, shared: Path | None = None) -> Path:
    """``relative`` under the shared data folder if it is there, else under the bundled copy."""
    base = shared if shared is not None else get_settings().shared_data
    candidate = base / relative
    if candidate.is_file():
        return candidate
    return bundled_data_dir() / relative
