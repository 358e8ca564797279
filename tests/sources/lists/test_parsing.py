"""Hostile and broken input: XML bombs, external entities, truncated files, wrong encodings."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.sources.lists.lists_testdata import UN_FILE
from watchfloor.errors import InputError
from watchfloor.sources.lists.formats import read_list
from watchfloor.sources.lists.parsing import country_code, decode_text, parse_partial_date, partial_date

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>&lol9;</FIRST_NAME>
<REFERENCE_NUMBER>KPi.999</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE sdnList [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<sdnList><sdnEntry><uid>1</uid><lastName>&secret;</lastName><sdnType>Entity</sdnType></sdnEntry></sdnList>
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_billion_laughs_is_refused_before_expansion(tmp_path: Path) -> None:
    path = write(tmp_path, "bomb.xml", BILLION_LAUGHS)
    with pytest.raises(InputError, match="refused hostile XML: EntitiesForbidden") as error:
        list(read_list(path))
    assert error.value.path == str(path)


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    path = write(tmp_path, "xxe.xml", EXTERNAL_ENTITY)
    with pytest.raises(InputError, match="refused hostile XML") as error:
        list(read_list(path))
    assert "root:" not in str(error.value)


def test_entity_declarations_in_an_unknown_document_are_called_hostile(tmp_path: Path) -> None:
    path = write(tmp_path, "lolz.xml", BILLION_LAUGHS.replace("CONSOLIDATED_LIST", "lolz"))
    with pytest.raises(InputError, match="refused hostile XML"):
        list(read_list(path))


def test_a_truncated_xml_download_names_the_file_and_the_place(tmp_path: Path, shared_data: Path) -> None:
    data = (shared_data / UN_FILE).read_bytes()
    path = tmp_path / "consolidated.xml"
    path.write_bytes(data[: len(data) // 2])
    entries = read_list(path)
    read = 0
    with pytest.raises(InputError, match="truncated") as error:
        for _entry in entries:
            read += 1
    assert read > 300  # streaming: the entries before the cut were produced first
    assert error.value.path == str(path)
    assert error.value.place is not None and error.value.place.startswith("line ")
    assert "INDIVIDUAL[" in error.value.message  # the last complete element


def test_a_truncated_gzip_file_is_reported(tmp_path: Path, shared_data: Path) -> None:
    packed = gzip.compress((shared_data / UN_FILE).read_bytes())
    path = tmp_path / "consolidated.xml.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(InputError, match="truncated"):
        list(read_list(path))


def test_decoding_is_strict_and_says_where() -> None:
    assert decode_text(Path("x.csv"), "Peña".encode("cp1252"), None) == "Peña"
    with pytest.raises(InputError, match="UTF-16"):
        decode_text(Path("x.csv"), "abc".encode("utf-16"), None)
    with pytest.raises(InputError, match="NUL bytes"):
        decode_text(Path("x.csv"), "abc".encode("utf-16-le"), None)
    with pytest.raises(InputError) as error:
        decode_text(Path("x.csv"), b"ok\nok\n\xff\xfe", "utf-8")
    assert error.value.place == "line 3, byte 6"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08 Jan 1984", "1984-01-08"),
        ("Jan 1984", "1984-01"),
        ("1984", "1984"),
        ("1984-01-08", "1984-01-08"),
        ("23/02/1969", "1969-02-23"),
        ("circa 1960", None),
        ("31 Feb 1984", "1984-02"),
        ("", None),
    ],
)
def test_partial_dates(text: str, expected: str | None) -> None:
    assert parse_partial_date(text) == expected


def test_partial_date_parts_and_countries() -> None:
    assert partial_date("1964", "00", "00") == "1964"
    assert partial_date("1964", "7", None) == "1964-07"
    assert partial_date("1950", "mm", "dd") == "1950"
    assert partial_date("year", "01", "01") is None
    assert country_code("Democratic People's Republic of Korea") == "kp"
    assert country_code("Korea, North") == "kp"
    assert country_code("Russian Federation") == "ru"
    assert country_code("na") is None and country_code("former Soviet Union") is None
