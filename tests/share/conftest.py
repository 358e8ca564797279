"""The demo store the sharing tests export from: built once by the real ``watchfloor demo``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import watchfloor
from watchfloor.store import Store, open_store

SOURCE_ROOT = Path(watchfloor.__file__).resolve().parents[1]


def cli_env() -> dict[str, str]:
    """The environment for a ``watchfloor`` subprocess: this checkout's sources first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SOURCE_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """A demo store file built once per session; tests copy it, never change it."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.db"
    run = [sys.executable, "-m", "watchfloor.cli.app", "demo", "--store", str(db), "--data", str(shared_data)]
    result = subprocess.run(run, capture_output=True, text=True, cwd=folder, timeout=1200, env=cli_env())
    assert result.returncode == 0, result.stderr
    return db


def copy_store(demo_db: Path, folder: Path) -> Store:
    """A private copy of the demo store (SQLite file), opened."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "demo.db"
    shutil.copyfile(demo_db, target)
    return open_store(f"sqlite:///{target}")


@pytest.fixture(scope="module")
def demo_store(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """This module's own copy of the demo store (a test module may plant markings in it)."""
    store = copy_store(demo_db, tmp_path_factory.mktemp("copy"))
    yield store
    store.close()
