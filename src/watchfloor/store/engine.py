"""Opening the store: one URL setting, SQLite by default, PostgreSQL for teams, migrated on open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from watchfloor.errors import StoreError
from watchfloor.settings import get_settings

READ_ONLY = "watchfloor_read_only"
"""Execution option of the engine behind :meth:`Store.reading`: its transactions never write."""


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    """Start every writing transaction with ``BEGIN IMMEDIATE``: it takes the write lock first (and
    waits up to the busy timeout for another writer), instead of reading under a snapshot that a
    concurrent writer then invalidates, which SQLite reports at once as "database is locked" —
    the busy timeout cannot help there. Readers (``Store.reading``) begin deferred and never wait.
    (pysqlite's own transaction handling is off, ``isolation_level=None``, so this is the BEGIN.)"""
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


WRITER_LOCK = 0x77_66_6C_6F_6F_72  # "wfloor": the PostgreSQL advisory lock writers take in turn


def _on_postgres_begin(connection: Connection) -> None:
    """Writers on PostgreSQL also take turns: each writing transaction first takes one advisory
    lock (released at commit or rollback), waiting at most the busy timeout. Without it, two
    loads of the same list both see it absent and the second fails on a unique key; with it, the
    second sees the first's rows and stores nothing twice. Readers (``Store.reading``) skip it."""
    if connection.get_execution_options().get(READ_ONLY, False):
        return
    milliseconds = int(_busy_timeout() * 1000)
    connection.exec_driver_sql(f"SET LOCAL lock_timeout = {milliseconds}")
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")


def _locked(exc: BaseException) -> bool:
    message = str(getattr(exc, "orig", exc)).lower()
    return any(text in message for text in ("database is locked", "database is busy", "lock timeout"))


def _busy_timeout() -> float:
    return get_settings().store_busy_timeout_s


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` using the migrations shipped in the package."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("watchfloor.store") / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine for ``url``, with SQLite tuned for a single-user file store."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"invalid database URL {url!r}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            folder = Path(database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot open store {url}: cannot create folder {folder}: {exc.strerror}"
                ) from exc
        engine = create_engine(parsed, connect_args={"timeout": _busy_timeout(), "isolation_level": None})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    engine = create_engine(parsed, pool_pre_ping=True)
    if parsed.get_backend_name() == "postgresql":
        event.listen(engine, "begin", _on_postgres_begin)
    return engine


def head_revision() -> str:
    """The newest migration shipped in the package: the revision every opened store is brought to."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


class Store:
    """The evidence graph's persistence: an engine plus transactional sessions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        reader = self.engine.execution_options(**{READ_ONLY: True})
        self._readers = sessionmaker(reader, expire_on_commit=False)

    @property
    def display_url(self) -> str:
        """The URL with any password hidden, for printing."""
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def path(self) -> Path | None:
        """The SQLite file, when the store is one."""
        parsed = make_url(self.url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            return Path(str(parsed.database)).resolve()
        return None

    def migrate(self) -> None:
        """Bring the schema to the newest migration (``alembic upgrade head``)."""
        try:
            with self.engine.begin() as connection:
                config = alembic_config(self.url)
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except OperationalError as exc:
            if _locked(exc):
                raise self._locked_error() from exc
            raise StoreError(f"cannot open store {self.display_url}: {exc.orig}") from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back whole if it raises. On SQLite
        it holds the write lock from its start (one writer at a time; the next one waits)."""
        with self._transaction(self._sessions) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A transaction that only reads: on SQLite it never waits for a writer (WAL snapshot)."""
        with self._transaction(self._readers) as session:
            yield session

    @contextmanager
    def _transaction(self, sessions: sessionmaker[Session]) -> Iterator[Session]:
        session = sessions()
        try:
            with session.begin():
                yield session
        except OperationalError as exc:
            if _locked(exc):
                raise self._locked_error() from exc
            raise StoreError(f"store {self.display_url}: {exc}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"store {self.display_url}: {exc}") from exc
        finally:
            session.close()

    def _locked_error(self) -> StoreError:
        return StoreError(
            f"store {self.display_url} is locked by another writer: gave up after waiting "
            f"{_busy_timeout():g} s (WATCHFLOOR_STORE_BUSY_TIMEOUT_S); nothing was written, run it again"
        )

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, *, migrate: bool = True) -> Store:
    """Open (and by default migrate) the store at ``url``, or the configured one."""
    if url is None:
        url = get_settings().database_url
    store = Store(url)
    if migrate:
        store.migrate()
    return store
