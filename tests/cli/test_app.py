"""The root command: help, version, --json, one-line errors with a non-zero exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from watchfloor import __version__
from watchfloor.store.engine import head_revision


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real ``watchfloor`` entry point in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "watchfloor.cli.app", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("demo", "version", "documents", "store"):
        assert command in result.stdout


def test_version_as_text_and_json() -> None:
    assert run("version").stdout.strip() == f"watchfloor {__version__}"
    payload = json.loads(run("version", "--json").stdout)
    assert payload["watchfloor"] == __version__


def test_version_option_and_usage_mistakes_are_not_internal_errors(tmp_path: Path) -> None:
    assert run("--version").stdout.strip() == f"watchfloor {__version__}"
    for args in (("lists", "load"), ("ais", "events", "--bogus"), ("screen",), ("nosuchcommand",)):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 2, args
        assert "internal error" not in result.stderr and "Error:" in result.stderr, result.stderr


def test_a_mistyped_store_is_refused_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    for command in (("assess",), ("brief", "--out", str(tmp_path / "b.html")), ("events",), ("alerts",)):
        result = run("--store", str(missing), *command, cwd=tmp_path)
        assert result.returncode == 1, command
        assert result.stderr.startswith("error: no store at") and str(missing) in result.stderr
    assert not missing.exists() and not (tmp_path / "b.html").exists()


def test_errors_are_one_line_with_a_non_zero_exit(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("--store", str(blocker / "sub" / "x.db"), "store", "info")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:") and "cannot open store" in lines[0]
    assert "Traceback" not in result.stderr


def test_verbose_shows_the_trace(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("--verbose", "--store", str(blocker / "sub" / "x.db"), "store", "info")
    assert result.returncode == 1
    assert "Traceback" in result.stderr


def test_store_info_json_on_a_new_store(tmp_path: Path) -> None:
    result = run("--store", str(tmp_path / "s.db"), "store", "info", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["revision"] == head_revision()
    assert info["counts"]["documents"] == 0
    assert Path(info["path"]) == (tmp_path / "s.db").resolve()
