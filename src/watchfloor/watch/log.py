"""Structured log lines of the watch: one JSON object a line, for journald, Loki or ``jq``.

Each line holds ``ts`` (UTC ISO time), ``level``, ``event`` (a short dotted name such as
``inbox.done`` or ``stream.reconnect``) and the fields of that event.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any

LOGGER_NAME = "watchfloor.watch"
logger = logging.getLogger(LOGGER_NAME)


class JsonLines(logging.Formatter):
    """Formats a record as one JSON line; the fields given as ``extra={"fields": {...}}`` are merged."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info and record.exc_info[1] is not None:
            line["exception"] = f"{type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        return json.dumps(line, default=str, ensure_ascii=False)


def log_event(event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log ``event`` with ``fields`` as one structured line."""
    logger.log(level, event, extra={"fields": fields})


def install(stream: IO[str] | None = None, level: int = logging.INFO) -> logging.Handler:
    """Send the watch's log to ``stream`` (stderr) as JSON lines; returns the handler (to remove)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLines())
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return handler
