"""Users of the service, their API keys and roles, and the audit log of every write.

A key is 32 random bytes shown once when the user is created; the store keeps only its sha256, so
a stolen store gives no working key. Roles are ordered: a viewer reads, an analyst also reviews
and ingests, an admin also manages users and lists.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from watchfloor.errors import InputError, NotFoundError
from watchfloor.share.tlp import Tlp, level_for_role
from watchfloor.store.models import ApiUser, AuditRecord

KEY_PREFIX = "wf_"
"""Keys start with ``wf_`` so a leaked one is recognisable by secret scanners."""


class Role(enum.StrEnum):
    """What a user may do; each role may also do everything of the roles before it."""

    VIEWER = "viewer"
    ANALYST = "analyst"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """Whether this role may do what ``needed`` may."""
        return self.rank >= needed.rank


@dataclass(frozen=True)
class Principal:
    """Who is asking: the user behind a key (or the local CLI user) and their role."""

    user: str
    role: Role

    @property
    def tlp(self) -> Tlp:
        """The highest TLP level this principal may see."""
        return level_for_role(self.role)


@dataclass(frozen=True)
class UserInfo:
    """A user as listed (never the key)."""

    name: str
    role: Role
    key_prefix: str
    created_at: datetime
    created_by: str
    disabled: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role.value,
            "key_prefix": self.key_prefix,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "disabled": self.disabled,
        }


def parse_role(value: str | Role) -> Role:
    """``viewer``, ``analyst`` or ``admin`` (any case) as a :class:`Role`."""
    try:
        return Role(str(value).strip().lower())
    except ValueError:
        raise InputError("--role", f"unknown role {value!r} (one of viewer, analyst, admin)") from None


def hash_key(key: str) -> str:
    """The stored form of a key: its sha256 hex digest (keys are random, so no salt is needed)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _user_info(row: ApiUser) -> UserInfo:
    return UserInfo(
        row.name, Role(row.role), row.key_prefix, row.created_at, row.created_by, row.disabled_at is not None
    )


def add_user(session: Session, name: str, role: str | Role, created_by: str) -> tuple[UserInfo, str]:
    """Create a user with a fresh key; returns the user and the key (shown once, never stored)."""
    name = name.strip()
    if not name or len(name) > 200 or any(ch.isspace() and ch != " " for ch in name):
        raise InputError("NAME", f"a user name must be 1-200 printable characters, not {name!r}")
    if session.get(ApiUser, name) is not None:
        raise InputError("NAME", f"user {name!r} already exists (use `watchfloor users rotate {name}`)")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiUser(
        name=name,
        role=parse_role(role).value,
        key_hash=hash_key(key),
        key_prefix=key[:10],
        created_at=datetime.now(UTC),
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return _user_info(row), key


def rotate_key(session: Session, name: str) -> tuple[UserInfo, str]:
    """Give ``name`` a new key; the old one stops working at once."""
    row = session.get(ApiUser, name)
    if row is None:
        raise NotFoundError(f"no user {name!r}")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row.key_hash, row.key_prefix, row.disabled_at = hash_key(key), key[:10], None
    session.flush()
    return _user_info(row), key


def disable_user(session: Session, name: str) -> UserInfo:
    """Stop ``name``'s key from working (the user and their audit trail stay)."""
    row = session.get(ApiUser, name)
    if row is None:
        raise NotFoundError(f"no user {name!r}")
    row.disabled_at = row.disabled_at or datetime.now(UTC)
    session.flush()
    return _user_info(row)


def list_users(session: Session) -> list[UserInfo]:
    """Every user, by name."""
    return [_user_info(row) for row in session.scalars(select(ApiUser).order_by(ApiUser.name))]


def authenticate(session: Session, key: str) -> Principal | None:
    """The principal a key belongs to, or None for an unknown or disabled key."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    digest = hash_key(key)
    row = session.scalar(select(ApiUser).where(ApiUser.key_hash == digest))
    # The lookup is by digest; compare again in constant time so timing says nothing about near misses.
    if row is None or row.disabled_at is not None or not hmac.compare_digest(row.key_hash, digest):
        return None
    return Principal(row.name, Role(row.role))


def record_audit(
    session: Session, principal: Principal, action: str, target: str, detail: dict[str, Any] | None = None
) -> None:
    """Append one record of a write to the audit log, in the same transaction as the write."""
    session.add(
        AuditRecord(
            at=datetime.now(UTC),
            user=principal.user,
            role=principal.role.value,
            action=action,
            target=target,
            detail=detail or {},
        )
    )


def audit_records(
    session: Session, *, limit: int = 50, offset: int = 0, user: str | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """A page of the audit log, newest first, with the total count."""
    query = select(AuditRecord)
    count = select(func.count()).select_from(AuditRecord)
    if user:
        query, count = query.where(AuditRecord.user == user), count.where(AuditRecord.user == user)
    rows = session.scalars(query.order_by(AuditRecord.id.desc()).limit(limit).offset(offset))
    total = session.scalar(count) or 0
    return total, [
        {
            "id": r.id,
            "at": r.at.isoformat(),
            "user": r.user,
            "role": r.role,
            "action": r.action,
            "target": r.target,
            "detail": r.detail,
        }
        for r in rows
    ]
