"""``watchfloor export stix|ftm`` and ``watchfloor import stix`` run as a user runs them (a subprocess).

The tests of ``cli/share.py`` and ``service/sharing.py`` live here, beside the demo store fixture
they share with the rest of the sharing tests.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model
from stix2validator import ValidationOptions, validate_instance

from tests.share.conftest import cli_env, copy_store
from watchfloor.errors import InputError
from watchfloor.service.sharing import (
    SharingNotAllowedError,
    export_stix_file,
    import_stix_file,
    partner_level,
)
from watchfloor.service.users import Principal, Role, audit_records
from watchfloor.share.tlp import Tlp
from watchfloor.store import open_store

pytestmark = pytest.mark.slow


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    run = [sys.executable, "-m", "watchfloor.cli.app", *args]
    return subprocess.run(run, capture_output=True, text=True, cwd=cwd, timeout=600, env=cli_env())


@pytest.fixture(scope="module")
def store_file(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    copy_store(demo_db, folder).close()
    return folder / "demo.db"


def test_export_stix_writes_a_valid_marked_bundle(store_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "amber.json"
    result = _cli("--store", str(store_file), "export", "stix", "--out", str(out), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert summary["objects"] == len(bundle["objects"]) and summary["level"] == "amber"
    assert summary["bytes"] == out.stat().st_size
    assert validate_instance(bundle, ValidationOptions(version="2.1")).is_valid
    levels = {Tlp.CLEAR.marking_id, Tlp.GREEN.marking_id, Tlp.AMBER.marking_id}
    assert all(set(o["object_marking_refs"]) & levels for o in bundle["objects"] if "created_by_ref" in o)

    since = tmp_path / "since.json"
    later = _cli(
        "--store", str(store_file), "export", "stix", "--out", str(since), "--since", "2024-10-05", "--json",
        cwd=tmp_path,
    )  # fmt: skip
    assert later.returncode == 0, later.stderr
    sightings = [o for o in json.loads(since.read_text())["objects"] if o["type"] == "sighting"]
    all_sightings = [o for o in bundle["objects"] if o["type"] == "sighting"]
    assert 0 < len(sightings) < len(all_sightings)
    assert all(s["last_seen"] >= "2024-10-05" for s in sightings)


def test_export_ftm_is_read_by_followthemoney(store_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "entities.ftm.json"
    result = _cli("--store", str(store_file), "export", "ftm", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "FTM objects" in result.stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    proxies = [model.get_proxy(json.loads(line), cleaned=False) for line in lines]
    assert {"Vessel", "Event", "Document"} <= {p.schema.name for p in proxies}  # Sanction: test_export.py
    ids = {p.id for p in proxies}
    for proxy in proxies:  # every entity-valued property points at an entity of the file
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in ids, (proxy.schema.name, prop.name)
    # followthemoney's own command re-parses and validates every entity
    ftm = Path(sys.executable).with_name("ftm")
    ftm_cmd = [str(ftm)] if ftm.exists() else [shutil.which("ftm") or "ftm"]
    checked = tmp_path / "validated.json"
    run = subprocess.run(
        [*ftm_cmd, "validate", "-i", str(out), "-o", str(checked)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert len(checked.read_text(encoding="utf-8").splitlines()) == len(lines)


def test_import_stix_into_a_fresh_store_then_again(store_file: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.json"
    assert (
        _cli("--store", str(store_file), "export", "stix", "--out", str(bundle), cwd=tmp_path).returncode == 0
    )
    partner = tmp_path / "partner.db"
    first = _cli("--store", str(partner), "import", "stix", str(bundle), "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    one: dict[str, Any] = json.loads(first.stdout)
    assert one["imported"] > 0 and one["rejected"] == 0 and one["errors"] == []
    again = _cli("--store", str(partner), "import", "stix", str(bundle), "--json", cwd=tmp_path)
    two = json.loads(again.stdout)
    assert (two["imported"], two["unchanged"]) == (0, one["imported"])
    events = _cli("--store", str(partner), "events", "--json", cwd=tmp_path)
    assert events.returncode == 0, events.stderr
    assert any(e["type"] == "troop_deployment" for e in json.loads(events.stdout))


def test_cli_refuses_bad_input_with_one_clear_line(store_file: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.json")
    red = _cli("--store", str(store_file), "export", "stix", "--out", out, "--tlp", "red", cwd=tmp_path)
    assert red.returncode == 1 and "TLP:RED never leaves the store" in red.stderr
    assert not (tmp_path / "x.json").exists()
    bad_date = _cli("--store", str(store_file), "export", "ftm", "--out", "y.json", "--since", "29/10/2024",
                    cwd=tmp_path)  # fmt: skip
    assert bad_date.returncode == 1 and "--since: '29/10/2024' is not a date" in bad_date.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": "bundle", "id": "bundle--x",', encoding="utf-8")
    result = _cli("--store", str(tmp_path / "p.db"), "import", "stix", str(broken), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{broken}, line 1, column 38: not JSON" in result.stderr


def test_service_enforces_roles_levels_and_audits(demo_db: Path, tmp_path: Path) -> None:
    store = copy_store(demo_db, tmp_path / "store")
    viewer = Principal("partner-desk", Role.VIEWER)
    analyst = Principal("ana", Role.ANALYST)
    assert partner_level(viewer, None) is Tlp.AMBER
    with pytest.raises(SharingNotAllowedError, match="cleared up to TLP:AMBER, not TLP:AMBER\\+STRICT"):
        export_stix_file(store, viewer, tmp_path / "strict.json", level="amber+strict")
    with pytest.raises(InputError, match="TLP:RED never leaves"):
        partner_level(Principal("root", Role.ADMIN), "red")
    summary = export_stix_file(store, analyst, tmp_path / "strict.json", level="amber+strict")
    assert summary.level == "amber+strict" and (tmp_path / "strict.json").exists()
    with pytest.raises(SharingNotAllowedError, match="importing needs analyst"):
        import_stix_file(store, viewer, tmp_path / "strict.json")
    partner = open_store(f"sqlite:///{tmp_path / 'partner.db'}")
    result = import_stix_file(partner, analyst, tmp_path / "strict.json")
    assert result.imported > 0
    with store.session() as session:
        _, exported = audit_records(session)
    with partner.session() as session:
        _, imported = audit_records(session)
    assert [(r["user"], r["action"], r["detail"]["level"]) for r in exported] == [
        ("ana", "export.stix", "amber+strict")
    ]
    assert imported[0]["action"] == "import.stix" and imported[0]["detail"]["imported"] == result.imported
