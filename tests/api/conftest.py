"""Fixtures for the API tests: the TAXII tests share the sharing tests' demo store."""

from tests.share.conftest import demo_store

__all__ = ["demo_store"]
