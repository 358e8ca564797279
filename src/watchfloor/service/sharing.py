"""Sharing over the store: STIX 2.1 and FollowTheMoney exports for a partner, STIX 2.1 import.

The faces (CLI, API) call these with the store and the principal asking. An export is for a
partner cleared for one TLP level; the principal may ask only for a level they are cleared for
themselves, and TLP:RED is never a partner level (it never leaves the store). Every export and
import is recorded in the audit log with the principal's user: what left, at which level, and what
came in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from watchfloor.errors import InputError, PermissionDeniedError
from watchfloor.service.users import Principal, Role, record_audit
from watchfloor.share.ftm_export import FTM_ALGORITHM, export_ftm, write_jsonl
from watchfloor.share.stix_export import EXPORT_ALGORITHM, export_stix, write_json
from watchfloor.share.stix_import import (
    MAX_BUNDLE_BYTES,
    ImportResult,
    import_bundle,
    read_bundle_file,
)
from watchfloor.share.tlp import Tlp, parse_tlp
from watchfloor.store import Store

DEFAULT_PARTNER_LEVEL = Tlp.AMBER
"""The level an export is for when none is asked (capped at the principal's own)."""


class SharingNotAllowedError(PermissionDeniedError):
    """The principal may not do this sharing operation (role or TLP level)."""


@dataclass(frozen=True)
class ExportSummary:
    """What one export wrote: where, for which level, how much, and what stayed home."""

    format: str
    path: str
    level: str
    since: str | None
    bytes: int
    objects: int
    by_type: dict[str, int]
    withheld: dict[str, int]
    algorithm: str
    stage: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def partner_level(principal: Principal, level: str | Tlp | None) -> Tlp:
    """The partner level an export is for: asked (or the default), never above the principal's, never RED."""
    if level is None:
        wanted = DEFAULT_PARTNER_LEVEL if DEFAULT_PARTNER_LEVEL.rank <= principal.tlp.rank else principal.tlp
    else:
        wanted = parse_tlp(level)
    if wanted is Tlp.RED:
        raise InputError(
            "--tlp", "TLP:RED never leaves the store: a partner export is at most TLP:AMBER+STRICT"
        )
    if wanted.rank > principal.tlp.rank:
        raise SharingNotAllowedError(
            f"{principal.user} ({principal.role.value}) is cleared up to {principal.tlp.label}, "
            f"not {wanted.label}: ask for a lower --tlp"
        )
    return wanted


def export_stix_file(
    store: Store,
    principal: Principal,
    out: Path,
    *,
    level: str | Tlp | None = None,
    since: date | None = None,
    pap: str | None = None,
) -> ExportSummary:
    """Write the STIX 2.1 bundle a partner at ``level`` may have (from ``since`` on) to ``out``."""
    tlp = partner_level(principal, level)
    with store.session() as session:
        bundle, sel = export_stix(session, tlp, since, pap)
        size = write_json(bundle, out)
        by_type = Counter(str(o["type"]) for o in bundle["objects"])
        summary = ExportSummary(
            "stix",
            str(out),
            tlp.value,
            since.isoformat() if since else None,
            size,
            len(bundle["objects"]),
            dict(sorted(by_type.items())),
            dict(sorted(sel.withheld.items())),
            EXPORT_ALGORITHM,
            sel.assessment.current_stage.level if sel.assessment else None,
            {"bundle_id": bundle["id"]},
        )
        record_audit(session, principal, "export.stix", str(out), _audit_detail(summary))
    return summary


def export_ftm_file(
    store: Store,
    principal: Principal,
    out: Path,
    *,
    level: str | Tlp | None = None,
    since: date | None = None,
) -> ExportSummary:
    """Write the FollowTheMoney entities (JSON lines) a partner at ``level`` may have to ``out``."""
    tlp = partner_level(principal, level)
    with store.session() as session:
        entities, sel = export_ftm(session, tlp, since)
        size = write_jsonl(entities, out)
        by_schema = Counter(str(e["schema"]) for e in entities)
        summary = ExportSummary(
            "ftm",
            str(out),
            tlp.value,
            since.isoformat() if since else None,
            size,
            len(entities),
            dict(sorted(by_schema.items())),
            dict(sorted(sel.withheld.items())),
            FTM_ALGORITHM,
        )
        record_audit(session, principal, "export.ftm", str(out), _audit_detail(summary))
    return summary


def import_stix_file(
    store: Store, principal: Principal, path: Path, *, max_bytes: int = MAX_BUNDLE_BYTES
) -> ImportResult:
    """Import a partner's STIX 2.1 bundle file (analysts and admins): claims, not facts."""
    if not principal.role.allows(Role.ANALYST):
        raise SharingNotAllowedError(f"{principal.user} is a {principal.role.value}: importing needs analyst")
    raw = read_bundle_file(path, max_bytes)
    with store.session() as session:
        result = import_bundle(session, raw, str(path), max_bytes=max_bytes)
        detail = result.to_dict()
        detail["errors"] = detail["errors"][:20]
        record_audit(session, principal, "import.stix", str(path), detail)
    return result


def _audit_detail(summary: ExportSummary) -> dict[str, Any]:
    return {
        "format": summary.format,
        "level": summary.level,
        "since": summary.since,
        "objects": summary.objects,
        "withheld": summary.withheld,
        "algorithm": summary.algorithm,
    }
