"""Polling RSS 2.0 / Atom feeds and HTML article pages over HTTP, each new item read once.

:func:`poll_feed` fetches one URL with a conditional GET (``If-None-Match`` / ``If-Modified-Since``
from the :class:`FeedState` of the last poll), reads the body with the report readers (feeds:
defusedxml guard then feedparser; HTML: main text), and returns only the items whose ids the state
has not seen, with the state to keep for the next poll. It never touches the store: the caller
ingests :attr:`FeedPoll.reports` and saves :attr:`FeedPoll.state` (as JSON) once they are stored.

A feed that cannot be fetched or read (HTTP error, timeout, over ``max_bytes``, truncated or
unsafe XML) raises :class:`~watchfloor.errors.FetchError` or :class:`~watchfloor.errors.InputError`
naming the URL, and the state is left as it was, so one broken feed never stops the others and
nothing is lost; the caller keeps ``state.failed(error)`` (backoff: :meth:`FeedState.due`). A
broken item inside a good feed is listed in :attr:`FeedPoll.errors`.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from watchfloor.errors import FetchError, InputError
from watchfloor.sources.reports import Report, parse_feed, parse_html

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
"""No real feed or article page is near 10 MiB; a body larger than this is refused."""
MAX_SEEN = 5000
"""Item ids remembered per feed (the newest); feeds carry their last few dozen items."""
BACKOFF_BASE_S = 300
BACKOFF_MAX_S = 6 * 3600
USER_AGENT = "watchfloor-feeds/1 (+https://github.com/watchfloor)"


@dataclass
class FeedState:
    """What a poller remembers about one feed between polls."""

    etag: str | None = None
    last_modified: str | None = None
    seen: list[str] = field(default_factory=list)
    """Ids of the items already returned, oldest first."""
    last_polled: str | None = None
    failures: int = 0
    """Polls that failed in a row (reset by a good one)."""
    last_error: str | None = None
    retry_after: str | None = None
    """ISO time before which a failing feed is not polled again (exponential backoff)."""

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    def failed(self, error: Exception, now: datetime | None = None) -> FeedState:
        """The state after a failed poll: seen items and validators kept, the next try pushed back
        by ``BACKOFF_BASE_S`` doubled per failure in a row, at most ``BACKOFF_MAX_S``."""
        now = now or datetime.now(UTC)
        failures = self.failures + 1
        delay = min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** (failures - 1))
        return FeedState(
            etag=self.etag,
            last_modified=self.last_modified,
            seen=list(self.seen),
            last_polled=now.isoformat(timespec="seconds"),
            failures=failures,
            last_error=str(error),
            retry_after=(now + timedelta(seconds=delay)).isoformat(timespec="seconds"),
        )

    def due(self, now: datetime | None = None) -> bool:
        """Whether the feed may be polled now (not inside its backoff)."""
        if self.retry_after is None:
            return True
        return (now or datetime.now(UTC)) >= datetime.fromisoformat(self.retry_after)

    @classmethod
    def from_json(cls, text: str | None) -> FeedState:
        """The state saved by :meth:`to_json`; an empty state for ``None`` or ``""``."""
        if not text:
            return cls()
        data: dict[str, Any] = json.loads(text)
        return cls(
            etag=data.get("etag"),
            last_modified=data.get("last_modified"),
            seen=[str(s) for s in data.get("seen") or []],
            last_polled=data.get("last_polled"),
            failures=int(data.get("failures") or 0),
            last_error=data.get("last_error"),
            retry_after=data.get("retry_after"),
        )


@dataclass
class FeedPoll:
    """The outcome of polling one feed."""

    url: str
    status: int
    """HTTP status: 200, or 304 when the feed has not changed since the last poll."""
    reports: list[Report]
    """Items not seen before, in feed order."""
    errors: list[InputError]
    """New items that could not be read (no text, bad date): reported, not retried."""
    state: FeedState
    """The state to save once the reports are stored."""
    kind: str = "feed"
    """``feed`` (RSS/Atom) or ``html`` (one article page)."""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def poll_feed(
    url: str,
    state: FeedState | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    source: str | None = None,
) -> FeedPoll:
    """Fetch ``url`` once and return what is new since ``state``; see the module docstring."""
    state = state or FeedState()
    status, headers, body = _fetch(url, state, timeout, max_bytes)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    if status == 304:
        kept = FeedState(state.etag, state.last_modified, list(state.seen), now)
        return FeedPoll(url, 304, [], [], kept)
    content_type = headers.get("content-type", "").lower()
    kind = "html" if _is_html(content_type, body) else "feed"
    seen = set(state.seen)
    fresh: list[tuple[str, Report | InputError]] = []
    if kind == "html":
        text = _decode(body, content_type, url)
        report = parse_html(text, url, source=source)
        report = Report(**{**report.__dict__, "url": report.url or url})
        ident = "sha256:" + report.content_hash
        fresh = [(ident, report)] if ident not in seen else []
    else:
        fresh = [(ident, item) for ident, item in parse_feed(body, url, source) if ident not in seen]
    new_seen = [*state.seen, *(ident for ident, _ in fresh)][-MAX_SEEN:]
    new_state = FeedState(
        etag=headers.get("etag") or None,
        last_modified=headers.get("last-modified") or None,
        seen=new_seen,
        last_polled=now,
    )
    reports = [item for _, item in fresh if isinstance(item, Report)]
    errors = [item for _, item in fresh if isinstance(item, InputError)]
    return FeedPoll(url, status, reports, errors, new_state, kind)


def _fetch(url: str, state: FeedState, timeout: float, max_bytes: int) -> tuple[int, dict[str, str], bytes]:
    if not url.startswith(("http://", "https://")):
        raise FetchError(url, "only http:// and https:// feeds can be polled")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    if state.etag:
        request.add_header("If-None-Match", state.etag)
    if state.last_modified:
        request.add_header("If-Modified-Since", state.last_modified)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            declared = headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(url, f"feed is {int(declared):,} bytes, over the {max_bytes:,}-byte limit")
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchError(url, f"feed is over the {max_bytes:,}-byte limit")
            if declared and declared.isdigit() and len(body) < int(declared):
                raise FetchError(url, f"truncated body: {len(body):,} of {int(declared):,} bytes")
            return int(response.status), headers, body
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return 304, {k.lower(): v for k, v in exc.headers.items()}, b""
        raise FetchError(url, f"HTTP {exc.code} {exc.reason}") from exc
    except TimeoutError as exc:
        raise FetchError(url, f"timed out after {timeout:g} s") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FetchError(url, f"timed out after {timeout:g} s") from exc
        raise FetchError(url, f"cannot connect: {exc.reason}") from exc
    except http.client.IncompleteRead as exc:
        raise FetchError(url, f"truncated body: {len(exc.partial):,} bytes read") from exc
    except (http.client.HTTPException, OSError) as exc:
        raise FetchError(url, f"connection failed: {exc}") from exc


def _is_html(content_type: str, body: bytes) -> bool:
    if "html" in content_type and "xml" not in content_type:
        return True
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _decode(body: bytes, content_type: str, url: str) -> str:
    charset = "utf-8"
    if "charset=" in content_type:
        charset = content_type.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
    try:
        return body.decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        raise InputError(url, f"cannot decode the page as {charset}") from exc


__all__ = ["FeedPoll", "FeedState", "poll_feed"]
