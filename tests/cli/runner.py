"""The real ``watchfloor`` entry point in a subprocess, as a user runs it, on the code under test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import watchfloor

SOURCE = str(Path(watchfloor.__file__).resolve().parents[1])
"""The source folder of the watchfloor under test (not whichever one a relative PYTHONPATH finds)."""


def run_in(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``watchfloor ARGS`` in ``cwd`` with a clean environment, its store ``cwd/wf.db``, plus ``env``."""
    clean = {
        "WATCHFLOOR_DATABASE_URL": f"sqlite:///{cwd / 'wf.db'}",
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": SOURCE,
    }
    return subprocess.run(
        [sys.executable, "-m", "watchfloor.cli.app", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**clean, **(env or {})},
        timeout=600,
    )
