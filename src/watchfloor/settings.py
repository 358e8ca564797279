"""One typed settings object for the whole of watchfloor.

Values come, in rising order of precedence, from the defaults below, an optional TOML file
(``watchfloor.toml`` in the current directory, or the path in ``WATCHFLOOR_CONFIG``), and
``WATCHFLOOR_*`` environment variables. The defaults work with no configuration at all.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from watchfloor.errors import ConfigError

DEFAULT_CONFIG_FILE = "watchfloor.toml"


def _toml_values(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path) from exc
    section = data.get("watchfloor", data)
    if not isinstance(section, dict):
        raise ConfigError("[watchfloor] must be a table", path)
    return section


class _TomlSource(PydanticBaseSettingsSource):
    def __init__(self, settings_cls: type[BaseSettings], path: Path | None) -> None:
        super().__init__(settings_cls)
        self._values = _toml_values(path) if path is not None else {}

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self._values)


def config_file() -> Path | None:
    """The TOML file in force, if any: ``WATCHFLOOR_CONFIG`` or ``./watchfloor.toml``."""
    explicit = os.environ.get("WATCHFLOOR_CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError("configuration file not found", path)
        return path
    local = Path(DEFAULT_CONFIG_FILE)
    return local if local.is_file() else None


class Settings(BaseSettings):
    """Every knob of watchfloor, with defaults that need no configuration."""

    model_config = SettingsConfigDict(env_prefix="WATCHFLOOR_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///watchfloor.db",
        description="SQLAlchemy URL of the store: a SQLite file by default, "
        "or postgresql+psycopg://user@host/db for a team.",
    )
    data_dir: Path = Field(
        default=Path("watchfloor-data"),
        description="Folder for bulk data (AIS Parquet, downloaded lists, caches).",
    )
    shared_data: Path = Field(
        default=Path("../shared/data"),
        description="The shared data folder used by the demo when present; the package's "
        "bundled copy is used otherwise.",
    )
    source_grades_file: Path | None = Field(
        default=None, description="YAML table of source reliability grades replacing the shipped one."
    )
    policy_file: Path | None = Field(
        default=None, description="YAML assessment policy (indicators, ladder) replacing the shipped one."
    )
    ports_file: Path | None = Field(
        default=None, description="YAML list of watched ports replacing the shipped one."
    )
    gazetteer_file: Path | None = Field(
        default=None, description="YAML gazetteer of actors and places replacing the shipped one (extract)."
    )
    ontology_file: Path | None = Field(
        default=None, description="YAML event ontology replacing the shipped one (extract)."
    )
    cues_file: Path | None = Field(
        default=None, description="YAML claim cues (reporting verbs, stance, hedges) replacing the shipped."
    )
    maritime_config_file: Path | None = Field(
        default=None, description="YAML of maritime detector thresholds replacing the shipped one."
    )
    screen_weights_file: Path | None = Field(
        default=None, description="YAML feature weights of watchfloor-name-v2 replacing the shipped ones."
    )
    http_timeout_s: float = Field(default=60.0, description="Timeout of one HTTP download.")
    store_busy_timeout_s: float = Field(
        default=30.0,
        gt=0,
        description="How long a write to a SQLite store waits for another writer before giving up "
        "with a clear error (nothing written).",
    )
    max_record_bytes: int = Field(
        default=1 << 20,
        ge=64,
        description="Longest line a reader accepts (an NMEA sentence, an AIS CSV row, a JSONL report); "
        "a longer one is refused, naming the file and the line.",
    )
    max_file_bytes: int = Field(
        default=64 << 30,
        ge=1024,
        description="Most bytes read from one AIS or list file, after decompression: a gzip bomb is "
        "refused, naming the file, instead of filling memory or disk.",
    )
    max_report_bytes: int = Field(
        default=20 << 20,
        ge=1024,
        description="Largest report file read (text, HTML, feed, JSONL); no real report is near it.",
    )
    screen_index_cache: bool = Field(
        default=True,
        description="Keep built screening indexes in data_dir/cache (loads in ~1 s instead of ~10 s).",
    )
    default_tlp: str = Field(
        default="amber",
        pattern=r"(?i)^(tlp:)?(clear|white|green|amber|amber\+strict|red)$",
        description="TLP 2.0 marking given to every stored item that does not say otherwise (share).",
    )
    default_pap: str = Field(
        default="amber",
        pattern=r"(?i)^(pap:)?(clear|white|green|amber|red)$",
        description="PAP marking put on exported STIX objects (share).",
    )
    stix_producer: str = Field(
        default="watchfloor", description="Name of the identity that STIX exports are created by."
    )
    api_max_upload_mib: float = Field(
        default=64.0, gt=0, description="Largest file the API accepts in one upload (413 above it)."
    )
    api_max_json_kib: float = Field(
        default=1024.0, gt=0, description="Largest JSON request body the API accepts (413 above it)."
    )
    api_rate_per_minute: int = Field(
        default=30,
        ge=1,
        description="Requests per minute per key on expensive endpoints (brief, ingest, CSV screening).",
    )
    analyst: str = Field(
        default_factory=lambda: os.environ.get("USER", "analyst"),
        description="Name recorded in the audit log for review decisions.",
    )
    watch_schedule: dict[str, float] = Field(
        default_factory=lambda: {"ais_inbox": 30.0, "detect": 300.0, "assess": 300.0, "deliver": 30.0},
        description="Seconds between runs of each watch job (ais_inbox, detect, assess, deliver, feeds); "
        "a job left out keeps its default.",
    )
    watch_lists: list[str] = Field(
        default_factory=list,
        description="Official lists the watch updates on its 'lists' schedule (un_sc, us_ofac_sdn, gb_uk, "
        "eu_fsf); none: the watch leaves the lists alone.",
    )
    watch_lists_base_url: str | None = Field(
        default=None, description="A mirror to download the watched lists from instead of the official sites."
    )
    watch_feeds: list[str] = Field(
        default_factory=list,
        description="RSS/Atom feeds and article pages (http(s) URLs) the watch polls on its 'feeds' "
        "schedule; each new item is ingested once.",
    )
    watch_feed_max_mib: float = Field(
        default=10.0,
        gt=0,
        description="Largest feed body read by the watch and `feeds poll` (a larger one is refused).",
    )
    feed_timeout_s: float = Field(
        default=20.0,
        gt=0,
        description="Timeout of one feed poll (`feeds poll`); a slower feed is reported failed.",
    )
    watch_inbox: Path | None = Field(
        default=None,
        description="Folder the watch takes AIS files from (done/ and failed/ beside them inside it); "
        "default: data_dir/ais_inbox.",
    )
    watch_settle_s: float = Field(
        default=2.0, ge=0, description="A dropped file is taken once unchanged for this long (still copying)."
    )
    watch_streams: list[str] = Field(
        default_factory=list,
        description="Live NMEA streams: tcp://host:port (the watch connects) "
        "or udp://host:port (it listens).",
    )
    watch_stream_batch: int = Field(
        default=5000, ge=1, description="Sentences buffered from a stream before they are stored."
    )
    watch_stream_flush_s: float = Field(
        default=10.0, gt=0, description="Longest time a stream's sentences wait in the buffer."
    )
    watch_reconnect_s: float = Field(
        default=1.0, gt=0, description="First wait before reconnecting a stream."
    )
    watch_reconnect_max_s: float = Field(
        default=60.0, gt=0, description="Longest wait between reconnections (the wait doubles up to it)."
    )
    watch_subscriptions_file: Path | None = Field(
        default=None, description="YAML list of alert subscriptions (webhooks, e-mail) for the watch."
    )
    watch_smtp_host: str = Field(default="localhost", description="SMTP server for e-mailed alerts.")
    watch_smtp_port: int = Field(default=25, ge=1, le=65535, description="Port of the SMTP server.")
    watch_smtp_from: str = Field(
        default="watchfloor@localhost", description="Sender address of e-mailed alerts."
    )
    watch_smtp_starttls: bool = Field(default=False, description="Upgrade the SMTP connection with STARTTLS.")
    watch_delivery_attempts: int = Field(
        default=8, ge=1, description="Attempts at one alert delivery before it is marked failed."
    )
    watch_delivery_backoff_s: float = Field(
        default=30.0, ge=0, description="Wait after a failed delivery attempt; doubles with each attempt."
    )
    watch_delivery_backoff_max_s: float = Field(
        default=3600.0, ge=0, description="Longest wait between two delivery attempts."
    )
    watch_delivery_timeout_s: float = Field(
        default=10.0, gt=0, description="Timeout of one webhook POST or SMTP conversation."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlSource(settings_cls, config_file()))


def load_settings(**overrides: Any) -> Settings:
    """Read the settings afresh (env, TOML, defaults), with explicit overrides on top."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"setting {where}: {first['msg']}") from exc


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
