"""`alembic upgrade head` gives the same schema on SQLite and PostgreSQL, and matches the models."""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlalchemy.types import TypeEngine

from watchfloor.store.engine import alembic_config
from watchfloor.store.models import Base


def _type_family(column_type: TypeEngine[Any]) -> str:
    """The portable family of a column type: what must agree between the two back-ends."""
    name = type(column_type).__name__.upper()
    for family, words in {
        "string": ("VARCHAR", "STRING", "CHAR"),
        "text": ("TEXT", "CLOB"),
        "integer": ("INTEGER", "BIGINT", "SMALLINT"),
        "float": ("FLOAT", "REAL", "DOUBLE", "NUMERIC"),
        "boolean": ("BOOLEAN",),
        "datetime": ("DATETIME", "TIMESTAMP"),
        "date": ("DATE",),
        "json": ("JSON",),
    }.items():
        if any(word in name for word in words):
            return family
    return name


def _schema(url: str) -> dict[str, Any]:
    engine = create_engine(url)
    inspector = inspect(engine)
    schema: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        columns = {
            c["name"]: (_type_family(c["type"]), getattr(c["type"], "length", None), c["nullable"])
            for c in inspector.get_columns(table)
        }
        schema[table] = {
            "columns": columns,
            "pk": tuple(inspector.get_pk_constraint(table)["constrained_columns"]),
            "fks": sorted(
                (tuple(fk["constrained_columns"]), fk["referred_table"], tuple(fk["referred_columns"]))
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
                # PostgreSQL also reports each unique constraint as the index behind it.
                if not i.get("duplicates_constraint")
            ),
            "uniques": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
        }
    engine.dispose()
    return schema


def _upgrade(url: str) -> None:
    command.upgrade(alembic_config(url), "head")


@pytest.mark.postgres
def test_sqlite_and_postgresql_get_the_same_schema(sqlite_url: str, postgres_url: str) -> None:
    _upgrade(sqlite_url)
    _upgrade(postgres_url)
    on_sqlite = _schema(sqlite_url)
    on_postgres = _schema(postgres_url)
    assert set(on_sqlite) == set(on_postgres)
    assert "documents" in on_sqlite and "alembic_version" in on_sqlite
    for table in on_sqlite:
        assert on_sqlite[table] == on_postgres[table], table


def test_migrations_match_the_models(store_url: str) -> None:
    """No model change without a migration: autogenerate finds nothing to do after upgrade."""
    _upgrade(store_url)
    engine = create_engine(store_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_downgrade_to_base_removes_every_table(sqlite_url: str) -> None:
    _upgrade(sqlite_url)
    command.downgrade(alembic_config(sqlite_url), "base")
    engine = create_engine(sqlite_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
