"""Hostile text from lists, reports and file names reaches the terminal as inert text: no ANSI escape
sequence, OSC hyperlink or bidi override is passed through raw, and no rich markup in data is obeyed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.table import Table

from watchfloor.cli.output import SafeConsole, print_table, terminal_safe, untrusted

ESC = "\x1b"
HOSTILE_NAME = (
    "Kim \x1b[2J\x1b]0;pwned\x07Jong \x1b]8;;http://evil.example\x1b\\Un\x1b]8;;\x1b\\ "
    "[link=http://evil.example]Pyongyang[/link] [red]Trading[/red] \u202eoC"
)


def _capture(force_terminal: bool = True) -> tuple[SafeConsole, io.StringIO]:
    buffer = io.StringIO()
    return SafeConsole(file=buffer, force_terminal=force_terminal, width=200), buffer


def test_terminal_safe_shows_controls_as_inert_escapes() -> None:
    assert terminal_safe("a\x1b[31mb\x07c\x9bd\u202ee\x00f") == "a\\x1b[31mb\\x07c\\x9bd\\u202ee\\x00f"
    kept = "line one\n\tline two, Ким Чен Ын 김정은"
    assert terminal_safe(kept) == kept


def test_a_console_never_emits_a_control_from_data() -> None:
    """Whatever the call site: an f-string into markup, a str cell of a hand-made table."""
    console, buffer = _capture()
    console.print(f"[bold]match:[/] {HOSTILE_NAME}")
    table = Table("name")
    table.add_row(HOSTILE_NAME)
    console.print(table)
    out = buffer.getvalue()
    for raw in ("\x1b[2J", "\x1b]0;", "\x1b]8;;http://evil", "\x07", "\u202e"):
        assert raw not in out, f"{raw!r} reached the terminal"
    assert "\\x1b[2J" in out and "\\u202e" in out  # shown, so an analyst sees the entry is odd


def test_print_table_cells_are_data_not_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    console, buffer = _capture(force_terminal=False)
    monkeypatch.setattr("watchfloor.cli.output.console", console)
    print_table("entries", ["name"], [[HOSTILE_NAME]])
    out = buffer.getvalue()
    assert "[link=http://evil.example]Pyongyang[/link]" in out  # literal, not a hidden hyperlink
    assert "[red]Trading[/red]" in out
    assert ESC not in out
    assert str(untrusted("[red]x[/red]")) == "[red]x[/red]"


def _watchfloor(store: str, *args: str, force_color: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    if force_color:
        env["FORCE_COLOR"] = "1"  # rich styles as on a terminal: only its own escapes may appear
    return subprocess.run(
        [sys.executable, "-m", "watchfloor.cli.app", "--store", store, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def _assert_inert(out: str) -> None:
    for raw in ("\x1b[2J", "\x1b]0;", "\x1b]8;;http://evil", "\x07", "\u202e"):
        assert raw not in out, f"{raw!r} reached the terminal"


def test_a_hostile_list_name_is_inert_in_screen(tmp_path: Path) -> None:
    entity = {
        "id": "hostile-1",
        "schema": "Person",
        "properties": {"name": [HOSTILE_NAME], "alias": ["Kim Jong Un"], "nationality": ["kp"]},
        "datasets": ["hostile"],
    }
    path = tmp_path / "hostile.ftm.json"
    path.write_text(json.dumps(entity) + "\n", encoding="utf-8")
    store = f"sqlite:///{tmp_path / 'store.db'}"
    loaded = _watchfloor(store, "lists", "load", str(path))
    assert loaded.returncode == 0, loaded.stderr
    screened = _watchfloor(store, "screen", "Kim Jong Un")
    assert screened.returncode == 0, screened.stderr
    _assert_inert(screened.stdout)
    assert "\\x1b[2J" in screened.stdout, screened.stdout  # the entry is shown, its controls visible


def test_a_hostile_file_name_is_inert_in_the_error_line(tmp_path: Path) -> None:
    """A file whose name carries escapes and markup: the one-line error names it, inertly."""
    path = tmp_path / "evil\x1b[2J\x1b]8;;evil.example\x07[link=https:evil.example]x.xml"
    path.write_text("<not-a-list/>", encoding="utf-8")
    done = _watchfloor(f"sqlite:///{tmp_path / 'store.db'}", "lists", "load", str(path))
    assert done.returncode == 1, done.stderr
    _assert_inert(done.stderr)
    assert "\x1b]8;;evil.example" not in done.stderr
    assert "[link=https:evil.example]x.xml" in done.stderr  # literal text, no hidden link
    assert "error:" in done.stderr and "\\x1b[2J" in done.stderr


@pytest.mark.slow
def test_a_report_with_script_and_ansi_is_inert_in_extract(tmp_path: Path) -> None:
    """The issue's acceptance case for the terminal: ``<script>alert(1)</script>`` and an ANSI
    escape sequence in a report show as text."""
    record = {
        "date": "2024-11-05",
        "source": "Evil \x1b[2JWire\x07",
        "text": "<script>alert(1)</script> North Korea sent 10,000 troops to Russia, "
        "\x1b]0;pwned\x07South Korea said on Tuesday.",
    }
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    done = _watchfloor(f"sqlite:///{tmp_path / 'store.db'}", "extract", str(path))
    assert done.returncode == 0, done.stderr
    _assert_inert(done.stdout)
    assert "\\x1b[2J" in done.stdout
