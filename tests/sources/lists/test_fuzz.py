"""Fuzzing every list reader from real seeds: records or a WatchfloorError naming the file, nothing else."""

from __future__ import annotations

import csv
import gzip
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SHARED_DATA
from tests.fuzzing import check_reader, fuzz_settings, head_lines, mutate, mutations
from tests.sources.lists.lists_testdata import FIXTURES, OFAC_ADD, OFAC_ALT, OFAC_SDN, UK_DIR, UN_FILE
from watchfloor.errors import InputError
from watchfloor.sources.lists.formats import read_list
from watchfloor.sources.lists.records import ListEntry
from watchfloor.sources.lists.uk import TABLE_PREFIX, TABLES


def _un_seed() -> bytes:
    """The UN file cut after its fifth individual and closed again: a small, valid seed."""
    text = (SHARED_DATA / UN_FILE).read_bytes()
    cut = 0
    for _ in range(5):
        cut = text.index(b"</INDIVIDUAL>", cut) + len(b"</INDIVIDUAL>")
    return text[:cut] + b"\n  </INDIVIDUALS>\n  <ENTITIES/>\n</CONSOLIDATED_LIST>\n"


SEEDS: dict[str, bytes] = {}


def _seeds() -> dict[str, bytes]:
    """File name → seed bytes, built once: each seed is a small real list that reads cleanly."""
    if not SEEDS:
        SEEDS["un.xml"] = _un_seed()
        SEEDS["sdn.csv"] = head_lines(SHARED_DATA / OFAC_SDN, 40)
        SEEDS["zala.ftm.json"] = head_lines(
            SHARED_DATA / "sanctions/ftm/yente_fixture_zala_entities.ftm.json", 15
        )
        for name in ("eu_fsf.xml", "ofac_sdn.xml", "ofac_sdn_advanced.xml", "uk_sanctions_list.xml"):
            SEEDS[name] = (FIXTURES / name).read_bytes()
    return SEEDS


@pytest.mark.parametrize(
    "name",
    [
        "un.xml",
        "sdn.csv",
        "zala.ftm.json",
        "eu_fsf.xml",
        "ofac_sdn.xml",
        "ofac_sdn_advanced.xml",
        "uk_sanctions_list.xml",
    ],
)
def test_seed_reads_cleanly(name: str, tmp_path: Path) -> None:
    """Each unmutated seed yields records, so the mutations start from a file the reader accepts."""
    path = tmp_path / name
    path.write_bytes(_seeds()[name])
    assert check_reader(path, read_list, ListEntry) > 0


@fuzz_settings
@given(name=st.sampled_from(sorted(_seeds())), steps=mutations, gzipped=st.booleans())
def test_mutated_list_files(name: str, steps: list, gzipped: bool) -> None:  # type: ignore[type-arg]
    data = mutate(_seeds()[name], steps)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (name + (".gz" if gzipped else ""))
        path.write_bytes(gzip.compress(data) if gzipped else data)
        check_reader(path, read_list, ListEntry)


@fuzz_settings
@given(steps=mutations)
def test_mutated_gzip_bytes(steps: list) -> None:  # type: ignore[type-arg]
    """Damage to the compressed bytes themselves (a cut or corrupted download)."""
    data = mutate(gzip.compress(_seeds()["sdn.csv"]), steps)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sdn.csv.gz"
        path.write_bytes(data)
        check_reader(path, read_list, ListEntry)


@fuzz_settings
@given(table=st.sampled_from(TABLES), steps=mutations)
def test_mutated_uk_tables(table: str, steps: list) -> None:  # type: ignore[type-arg]
    """One of the five UK derived tables damaged, the other four intact."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder)
        for name in TABLES:
            source = SHARED_DATA / UK_DIR / f"{TABLE_PREFIX}{name}.csv.gz"
            if name == table:
                with gzip.open(source, "rb") as handle:
                    seed = b"".join(handle.readline() for _ in range(60))
                (target / f"{TABLE_PREFIX}{name}.csv").write_bytes(mutate(seed, steps))
            else:
                shutil.copy(source, target / source.name)
        check_reader(target, read_list, ListEntry)


@fuzz_settings
@given(which=st.sampled_from(["alt", "add"]), steps=mutations)
def test_mutated_ofac_companions(which: str, steps: list) -> None:  # type: ignore[type-arg]
    """A damaged alt or add file beside a good sdn.csv."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder)
        (target / "sdn.csv").write_bytes(_seeds()["sdn.csv"])
        good = {"alt": OFAC_ALT, "add": OFAC_ADD}
        for kind, rel in good.items():
            seed = head_lines(SHARED_DATA / rel, 60)
            (target / f"{kind}.csv").write_bytes(mutate(seed, steps) if kind == which else seed)
        paths = [target / "sdn.csv", target / "alt.csv", target / "add.csv"]
        check_reader(target, lambda _p: read_list(paths), ListEntry)


@pytest.mark.parametrize(
    "line",
    [
        b'{"id": 1, "schema": []}\n',
        b'{"id": "x", "schema": "Person", "properties": []}\n',
        b'{"id": [], "schema": "Person"}\n',
    ],
)
def test_ftm_entity_of_the_wrong_shape_is_refused(line: bytes, tmp_path: Path) -> None:
    """Found by the fuzzer: a schema or properties of the wrong JSON type crashed the FtM reader."""
    path = tmp_path / "entities.ftm.json"
    path.write_bytes(line)
    with pytest.raises(InputError, match=r"entities\.ftm\.json, line 1: "):
        list(read_list(path))


def test_damaged_gzip_names_the_file_and_offset(tmp_path: Path) -> None:
    """Found by the fuzzer: a corrupt deflate stream escaped as zlib.error."""
    data = bytearray(gzip.compress(_seeds()["sdn.csv"]))
    data[len(data) // 2] ^= 0x02
    path = tmp_path / "sdn.csv.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"sdn\.csv\.gz, byte \d+: damaged gzip data"):
        list(read_list(path))


def test_over_long_field_in_a_uk_table_header_names_the_file(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Found by the fuzzer: a header field over the csv module's 128 KiB field limit escaped as
    ``_csv.Error`` (the header was read before the rows' error handling). The limit is the csv
    module's default here: importing ``followthemoney.statement`` raises it process-wide."""
    limit = csv.field_size_limit(131072)
    request.addfinalizer(lambda: csv.field_size_limit(limit))
    for name in TABLES:
        source = SHARED_DATA / UK_DIR / f"{TABLE_PREFIX}{name}.csv.gz"
        shutil.copy(source, tmp_path / source.name)
    target = tmp_path / f"{TABLE_PREFIX}subject_names.csv.gz"
    with gzip.open(target, "rb") as handle:
        header, rest = handle.readline(), handle.read()
    target.unlink()
    (tmp_path / f"{TABLE_PREFIX}subject_names.csv").write_bytes(b"x" * 200_000 + header + rest)
    with pytest.raises(InputError, match=r"subject_names\.csv, line \d+: malformed CSV"):
        list(read_list(tmp_path))
