"""The one exception hierarchy of watchfloor.

Every error a user can cause names what went wrong and where: the file and the place in it
(line, byte offset, XPath, record number). The CLI prints ``str(error)`` as one line.
"""

from __future__ import annotations

from pathlib import Path


class WatchfloorError(Exception):
    """Base of every error watchfloor raises on purpose."""


class ConfigError(WatchfloorError):
    """A setting, a policy or a vocabulary file is invalid."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.path = str(path) if path is not None else None
        super().__init__(f"{self.path}: {message}" if self.path else message)


class InputError(WatchfloorError):
    """An input file is malformed, truncated, hostile or unreadable.

    ``place`` is a human-readable location inside the file: ``line 12``, ``byte 4096``,
    ``item 3``, ``/CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL[7]``.
    """

    def __init__(self, path: Path | str, message: str, place: str | None = None) -> None:
        self.path = str(path)
        self.place = place
        self.message = message
        where = f"{self.path}, {place}" if place else self.path
        super().__init__(f"{where}: {message}")


class FetchError(WatchfloorError):
    """A download from an official address failed (HTTP error, timeout, truncated body)."""

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        super().__init__(f"{url}: {message}")


class StoreError(WatchfloorError):
    """The store cannot be opened, migrated or written."""


class PermissionDeniedError(WatchfloorError):
    """The person or key asking may not do this (their role or TLP level is too low)."""


class NotFoundError(WatchfloorError):
    """A record asked for by id does not exist in the store."""
