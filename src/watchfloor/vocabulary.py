"""Reading vocabularies: YAML files shipped with the package, each replaceable by the user's own.

Event types, cues, the gazetteer, source grades, watched ports, detection thresholds and the
assessment policy are data (as FollowTheMoney ships its schemata). Each module validates its own
file; this one reads the YAML and names the file in every error.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from watchfloor.errors import ConfigError


def read_vocabulary(package: str, name: str, path: Path | None = None) -> tuple[Any, str]:
    """Parse the user's file ``path``, or the file ``name`` shipped in ``package``.

    Returns the parsed YAML and its origin (the path, or ``watchfloor/<area>/<name>``) for
    messages and provenance; an unreadable file or invalid YAML raises :class:`ConfigError`.
    """
    if path is None:
        text = resources.files(package).joinpath(name).read_text("utf-8")
        origin = f"{package.replace('.', '/')}/{name}"
    else:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read: {exc.strerror}", path) from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"not UTF-8 text (byte {exc.start})", path) from exc
        origin = str(path)
    try:
        return yaml.safe_load(text), origin
    except yaml.YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", origin) from exc
