"""Source reliability grades: shipped table, aliases, default F, replacement through settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.errors import ConfigError
from watchfloor.model.grades import SourceGrade
from watchfloor.sources.grades import load_table


def test_shipped_table_grades_by_name_and_alias() -> None:
    table = load_table()
    assert table.grade("Associated Press").grade is SourceGrade.B
    assert table.grade("apnews.com").name == "Associated Press"
    assert table.grade("KCNA").grade is SourceGrade.D
    unknown = table.grade("Some Blog")
    assert (unknown.grade, unknown.listed, unknown.name) == (SourceGrade.F, False, "Some Blog")
    assert table.grade(None, None, "en.yna.co.kr").name == "Yonhap News Agency"
    assert table.source_from_name(Path("ap_2024-10-29_dprk_troops_kursk.txt")) == "Associated Press"
    assert table.source_from_name(Path("unknown_2024.txt")) is None
    assert SourceGrade.F.meaning == "reliability cannot be judged"


def test_a_replacement_table_and_its_errors(tmp_path: Path) -> None:
    path = tmp_path / "grades.yaml"
    path.write_text(
        "default: E\nsources:\n  - {name: My Desk, grade: a, aliases: [desk]}\n", encoding="utf-8"
    )
    table = load_table(path)
    assert table.grade("desk").grade is SourceGrade.A
    assert table.grade("Associated Press").grade is SourceGrade.E
    path.write_text("sources:\n  - {name: X, grade: Z}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sources\[1\]: grade must be one of A-F"):
        load_table(path)
    path.write_text("sources: [", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_table(path)
