"""The sharing tests' copies of the demo store (``demo_db``, built once in tests/conftest.py), the CLI
environment, and the whole service with TAXII served on a loopback port."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

import watchfloor
from tests.live_server import live_server
from watchfloor.service.app import Watchfloor
from watchfloor.service.users import Role, add_user
from watchfloor.store import Store, open_store

SOURCE_ROOT = Path(watchfloor.__file__).resolve().parents[1]


def cli_env() -> dict[str, str]:
    """The environment for a ``watchfloor`` subprocess: this checkout's sources first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SOURCE_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


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


class BearerAuth(requests.auth.AuthBase):
    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self.key}"
        return r


@dataclass
class Running:
    url: str
    keys: dict[str, str]
    store: Store


@contextmanager
def serve_taxii(demo_store: Store) -> Iterator[Running]:
    """The whole service (``create_app``, with TAXII at /taxii2/) on Uvicorn on a free loopback port,
    with one user (and API key) of each role."""
    keys = {}
    with demo_store.session() as session:
        for role in Role:
            _, keys[role.value] = add_user(session, f"partner-{role.value}", role, "test")
    with live_server(Watchfloor(demo_store)) as base:
        yield Running(f"{base}/taxii2/", keys, demo_store)
