"""The store: the evidence graph's persistence (SQLAlchemy 2; SQLite by default, PostgreSQL for teams)."""

from watchfloor.store.engine import Store, open_store

__all__ = ["Store", "open_store"]
