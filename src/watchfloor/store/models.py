"""SQLAlchemy 2 models of the evidence graph's core records.

Every fact is a row with a deterministic id (see :mod:`watchfloor.model.ids`) and a pointer to
what it rests on, kept in :class:`Provenance`: a character span of a document, a list entry, or
AIS messages. Analyst decisions are append-only :class:`Review` rows. The schema is created and
changed only by the Alembic migrations in ``store/migrations``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from watchfloor.settings import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(64)
"""Ids are ``prefix-<24 hex>`` or a full sha256 hex digest: always under 64 characters."""


def default_tlp() -> str:
    """The TLP marking a new row gets unless it says otherwise: ``Settings.default_tlp``."""
    return get_settings().default_tlp.lower().removeprefix("tlp:").replace("white", "clear")


def _tlp_column() -> Mapped[str]:
    return mapped_column(String(16), default=default_tlp, server_default="amber")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Document(Base):
    """A report (or any text) as ingested. Its id is the sha256 of its text."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), default="report")
    fmt: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(200), index=True)
    source_grade: Mapped[str] = mapped_column(String(1), default="F")
    """Admiralty source reliability A-F (F: cannot be judged)."""
    published: Mapped[date | None] = mapped_column(Date, index=True)
    length: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    tlp: Mapped[str] = _tlp_column()
    """TLP 2.0 level (clear, green, amber, amber+strict, red): who this may be shared with."""


class Entity(Base):
    """A real-world actor: state, person, organisation, vessel. Names and identifiers hang off it."""

    __tablename__ = "entities"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    schema: Mapped[str] = mapped_column(String(32), index=True)
    caption: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(8))
    merged_into: Mapped[str | None] = mapped_column(ForeignKey("entities.id"), index=True)
    """Set when resolution merged this entity into another; cleared when a merge is undone."""
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    tlp: Mapped[str] = _tlp_column()
    """TLP 2.0 level (clear, green, amber, amber+strict, red): who this may be shared with."""

    names: Mapped[list[EntityName]] = relationship(back_populates="entity", cascade="all, delete-orphan")
    identifiers: Mapped[list[EntityIdentifier]] = relationship(
        back_populates="entity", cascade="all, delete-orphan"
    )


class EntityName(Base):
    """One name of an entity in any script, with its language or script where known."""

    __tablename__ = "entity_names"
    __table_args__ = (UniqueConstraint("entity_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16), default="primary")

    entity: Mapped[Entity] = relationship(back_populates="names")


class EntityIdentifier(Base):
    """An identifier of an entity: IMO, MMSI, passport, registration number, ..."""

    __tablename__ = "entity_identifiers"
    __table_args__ = (UniqueConstraint("entity_id", "scheme", "value"), Index(None, "scheme", "value"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(200))

    entity: Mapped[Entity] = relationship(back_populates="identifiers")


class ListVersion(Base):
    """One load of one sanctions list. Exactly one version per list is active at a time."""

    __tablename__ = "list_versions"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    source: Mapped[str] = mapped_column(String(32), index=True)
    origin: Mapped[str] = mapped_column(Text)
    """The file path or official URL it was read from."""
    content_hash: Mapped[str] = mapped_column(String(64))
    published: Mapped[date | None] = mapped_column(Date)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    entry_count: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


class ListEntryRecord(Base):
    """One designation on one list version, with the full parsed record in ``data``."""

    __tablename__ = "list_entries"
    __table_args__ = (UniqueConstraint("version_id", "entry_id"), Index(None, "source", "entry_id"))

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    version_id: Mapped[str] = mapped_column(ForeignKey("list_versions.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(32))
    entry_id: Mapped[str] = mapped_column(String(100))
    schema: Mapped[str] = mapped_column(String(32))
    caption: Mapped[str] = mapped_column(Text)
    programmes: Mapped[list[Any]] = mapped_column(default=list)
    listed_on: Mapped[date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    tlp: Mapped[str] = _tlp_column()
    """TLP 2.0 level (clear, green, amber, amber+strict, red): who this may be shared with."""


class Mention(Base):
    """A name found in a document at a character span, linked to an entity when resolved."""

    __tablename__ = "mentions"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    entity_id: Mapped[str | None] = mapped_column(ForeignKey("entities.id"), index=True)
    label: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(String(64), index=True)
    """The gazetteer actor the name stands for (``kp`` for "Pyongyang"), where one matched."""
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class Event(Base):
    """Who did what to whom, when and where: one event, however many claims tell it."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    type: Mapped[str] = mapped_column(String(40), index=True)
    """Domain type (``troop_deployment``) or a PLOVER type where no domain type applies."""
    plover: Mapped[str | None] = mapped_column(String(20))
    source_actor: Mapped[str | None] = mapped_column(String(200))
    target_actor: Mapped[str | None] = mapped_column(String(200))
    object: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(Text)
    date_start: Mapped[date | None] = mapped_column(Date, index=True)
    date_end: Mapped[date | None] = mapped_column(Date, index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="extracted")
    """extracted | confirmed | rejected: the latest analyst review, the full trail in ``reviews``."""
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    tlp: Mapped[str] = _tlp_column()
    """TLP 2.0 level (clear, green, amber, amber+strict, red): who this may be shared with."""

    claims: Mapped[list[Claim]] = relationship(back_populates="event", cascade="all, delete-orphan")


class Claim(Base):
    """Somebody asserting, denying, accusing or speculating about an event, in one document."""

    __tablename__ = "claims"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    speaker: Mapped[str] = mapped_column(Text)
    speaker_actor: Mapped[str | None] = mapped_column(String(200))
    stance: Mapped[str] = mapped_column(String(16))
    hedged: Mapped[bool] = mapped_column(Boolean, default=False)
    modality: Mapped[str] = mapped_column(String(16), default="actual", server_default="actual")
    """``actual`` (told as having happened), ``future``, ``planning`` or ``hypothetical``."""
    reliability: Mapped[str] = mapped_column(String(1), default="F")
    """Admiralty source reliability A-F, from the document's source."""
    credibility: Mapped[int] = mapped_column(Integer, default=6)
    """Admiralty information credibility 1-6 (6: cannot be judged)."""
    claimed_on: Mapped[date | None] = mapped_column(Date, index=True)
    claimed_until: Mapped[date | None] = mapped_column(Date)
    """End of the claim's date when it is a range ("last week"); None for a single day."""
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    tlp: Mapped[str] = _tlp_column()
    """TLP 2.0 level (clear, green, amber, amber+strict, red): who this may be shared with."""

    event: Mapped[Event] = relationship(back_populates="claims")


class MaritimeEvent(Base):
    """A gap, encounter, loitering, port visit or identity change detected in AIS."""

    __tablename__ = "maritime_events"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    mmsi: Mapped[int] = mapped_column(Integer, index=True)
    other_mmsi: Mapped[int | None] = mapped_column(Integer)
    imo: Mapped[int | None] = mapped_column(Integer, index=True)
    vessel_name: Mapped[str | None] = mapped_column(Text)
    start: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    port: Mapped[str | None] = mapped_column(String(100))
    list_entries: Mapped[list[Any]] = mapped_column(default=list)
    """Keys (``us_ofac_sdn:1234``) of the list entries the vessels involved are linked to."""
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    tlp: Mapped[str] = _tlp_column()
    """TLP 2.0 level (clear, green, amber, amber+strict, red): who this may be shared with."""


class Provenance(Base):
    """The pointer from a record (claim, event, match, alert, merge) to what it rests on.

    ``kind`` is ``document_span`` (document_id, start, end, quote), ``list_entry``
    (list_entry_key) or ``ais`` (``ais`` holds mmsi, time span and the source message references).
    """

    __tablename__ = "provenance"
    __table_args__ = (Index(None, "subject_kind", "subject_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(ID)
    kind: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[str | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    quote: Mapped[str | None] = mapped_column(Text)
    list_entry_key: Mapped[str | None] = mapped_column(String(140), index=True)
    maritime_event_id: Mapped[str | None] = mapped_column(
        ForeignKey("maritime_events.id", ondelete="CASCADE"), index=True
    )
    ais: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Alert(Base):
    """Something an analyst should look at now, linked to its evidence through Provenance."""

    __tablename__ = "alerts"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16), default="info")
    as_of: Mapped[date | None] = mapped_column(Date)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    tlp: Mapped[str] = _tlp_column()
    """TLP 2.0 level (clear, green, amber, amber+strict, red): who this may be shared with."""


class Review(Base):
    """An analyst's decision on an event, a merge or a match: append-only audit log."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(ID, index=True)
    decision: Mapped[str] = mapped_column(String(16))
    analyst: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    tlp: Mapped[str] = _tlp_column()
    """TLP 2.0 level (clear, green, amber, amber+strict, red): who this may be shared with."""


class StixImport(Base):
    """One STIX object taken from a partner's bundle: idempotent import by STIX id and version.

    The object became a document (its JSON) with one event and one claim (see
    :mod:`watchfloor.share.stix_import`); ``modified`` is the version taken, so the same version
    again changes nothing and a newer one replaces it.
    """

    __tablename__ = "stix_imports"

    stix_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    stix_type: Mapped[str] = mapped_column(String(40))
    modified: Mapped[str] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(Text)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    tlp: Mapped[str] = _tlp_column()
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiUser(Base):
    """A user of the service: a role and the sha256 of their API key (the key itself is never stored)."""

    __tablename__ = "api_users"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditRecord(Base):
    """One write made through a face (API, CLI, watch): who, when, what, on what. Append-only."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    user: Mapped[str] = mapped_column(String(200), index=True)
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class WatchRun(Base):
    """One run of a watch job (AIS inbox, detection, assessment, delivery): when, outcome, counts.

    ``ok`` is null while the run is under way, so a run cut short by a crash stays visible.
    """

    __tablename__ = "watch_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job: Mapped[str] = mapped_column(String(40), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ok: Mapped[bool | None] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)


class WatchFile(Base):
    """An AIS file the watch took from its inbox, by the sha256 of its bytes (taken once)."""

    __tablename__ = "watch_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), index=True)
    """``ingesting`` (taken, not finished), ``done`` or ``failed``."""
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)


class WatchState(Base):
    """A named piece of the watch's state that survives a restart (fingerprints, stream counters)."""

    __tablename__ = "watch_state"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AlertDelivery(Base):
    """One alert owed to one subscription (webhook or e-mail); its id is the idempotency key."""

    __tablename__ = "alert_deliveries"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    alert_id: Mapped[str] = mapped_column(ID, index=True)
    subscription: Mapped[str] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    """``pending``, ``delivered`` or ``failed`` (gave up after the last attempt)."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)


class DeliveryAttempt(Base):
    """One attempt at a delivery, written before sending and completed after: the audit of sends."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(ID, index=True)
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ok: Mapped[bool | None] = mapped_column(Boolean)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
