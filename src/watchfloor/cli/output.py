"""How commands print: rich for people, JSON for pipes, one line for errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from watchfloor.inert import show_controls


def terminal_safe(text: str) -> str:
    """``text`` with every control character a terminal would act on shown as an inert escape
    (``\\x1b``, ``\\u202e``): a list name or a report cannot recolour, clear or retitle the
    terminal, plant a hidden hyperlink, or reorder a line. Tab and newline stay."""
    return show_controls(text)


def untrusted(value: object) -> Text:
    """A string from outside (a list entry, a report, a partner's bundle) for rich: controls made
    inert and no markup parsed, so ``[link=...]`` or ``[red]`` in a name stays literal text."""
    return Text(terminal_safe("" if value is None else str(value)))


class SafeConsole(Console):
    """A rich console that never passes control characters through, whatever it is given to print:
    the markup of a message is watchfloor's own, the values put into it may not be."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(terminal_safe(text), **kwargs)


console = SafeConsole()
err_console = SafeConsole(stderr=True, soft_wrap=True)  # an error stays one line, however long


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(value: Any) -> str:
    """Serialise records (dataclasses, pydantic models, dates, enums) as JSON."""
    return json.dumps(value, default=_default, ensure_ascii=False, indent=2)


def print_json(value: Any) -> None:
    """Write JSON to stdout, bypassing rich so that pipes get exactly the document."""
    sys.stdout.write(to_json(value) + "\n")


SHORT_CELL = 16
"""Columns whose every cell fits in this many characters (ids, dates, codes, grades) never wrap."""


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A rich table for people that stays readable on an 80-column terminal.

    Short columns (dates, codes, grades) keep their cells whole; the text columns share what width
    is left and wrap at word boundaries; a column empty in every row is left out.
    """
    cells = [["" if cell is None else str(cell) for cell in row] for row in rows]
    used = [i for i in range(len(columns)) if not cells or any(i < len(r) and r[i] for r in cells)]
    columns, cells = [columns[i] for i in used], [[r[i] if i < len(r) else "" for i in used] for r in cells]
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    for i, column in enumerate(columns):
        longest = max([len(column), *(len(row[i]) for row in cells if i < len(row))])
        if longest <= SHORT_CELL:
            table.add_column(column, no_wrap=True, min_width=longest)
        else:
            table.add_column(column, overflow="fold", ratio=1)
    for row in cells:
        table.add_row(*(untrusted(cell) for cell in row))  # cells are data: never markup
    console.print(table)


def short_id(record_id: str, digits: int = 8) -> str:
    """``event-034a40e8b2d7...`` as ``034a40e8``: enough for ``watchfloor review`` to find it."""
    return record_id.rpartition("-")[2][:digits]
