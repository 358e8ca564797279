"""The import graph is one-way (docs/architecture.md): import-linter's contracts in pyproject.toml hold.

The second test plants an import against the arrows in a copy of the source and checks that the
same contracts catch it, so the first test cannot pass by checking nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(src: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_import_contracts_hold(tmp_path: Path) -> None:
    done = _lint(ROOT / "src", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout or " broken" not in done.stdout.split("Contracts:")[-1]
    assert "Layers: model <- sources" in done.stdout


def test_an_import_against_the_arrows_breaks_a_contract(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "watchfloor",
        src / "watchfloor",
        ignore=lambda folder, names: [
            n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()
        ],
    )
    stance = src / "watchfloor" / "model" / "stance.py"
    stance.write_text(stance.read_text() + "\nfrom watchfloor.store.models import Claim  # noqa\n")
    done = _lint(src, tmp_path)
    assert done.returncode != 0
    assert "watchfloor.model is not allowed to import watchfloor.store" in done.stdout
    assert "watchfloor.model.stance -> watchfloor.store.models" in done.stdout
