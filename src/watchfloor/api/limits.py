"""Limits that keep one caller from exhausting the service: request sizes and request rates."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path

from fastapi import UploadFile
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from watchfloor.api.problems import ApiProblem, problem

CHUNK = 1 << 20


class BodySizeLimit:
    """Refuse (413) a request body larger than allowed: at once when Content-Length says so, and
    while it streams when it does not (chunked), so no handler ever reads past the limit."""

    def __init__(self, app: ASGIApp, *, json_bytes: int, upload_bytes: int) -> None:
        self.app, self.json_bytes, self.upload_bytes = app, json_bytes, upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        multipart = headers.get("content-type", "").startswith("multipart/")
        limit = self.upload_bytes if multipart else self.json_bytes
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await problem(400, "bad_request", f"Content-Length is not a number: {declared!r}")(
                    scope, receive, send
                )
                return
            if int(declared) > limit:
                detail = f"the request body is {int(declared):,} bytes; the limit is {limit:,}"
                await problem(413, "too_large", detail)(scope, receive, send)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                # An HTTPException, not ApiProblem: FastAPI turns other errors while reading a body into 400.
                raise HTTPException(413, f"the request body is over the limit of {limit:,} bytes")
            return message

        await self.app(scope, counted, send)


async def save_upload(upload: UploadFile, folder: Path, limit: int) -> Path:
    """Stream an uploaded file to ``folder`` under its own name, refusing it (413) past ``limit`` bytes.

    The file is written under a temporary name and renamed when complete, so a refused or broken
    upload leaves nothing behind.
    """
    name = Path(upload.filename or "upload").name.strip() or "upload"
    if name.startswith(".") or any(ch in name for ch in "\\\x00"):
        raise ApiProblem(400, "bad_input", f"refused file name {name!r}")
    folder.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=folder, prefix=".upload-", delete=False)  # noqa: SIM115  # closed below
    written = 0
    try:
        with handle:
            while chunk := await upload.read(CHUNK):
                written += len(chunk)
                if written > limit:
                    raise ApiProblem(
                        413, "too_large", f"{name}: larger than the upload limit of {limit:,} bytes"
                    )
                handle.write(chunk)
        target = folder / name
        shutil.move(handle.name, target)
        return target
    finally:
        Path(handle.name).unlink(missing_ok=True)


class RateLimiter:
    """A token bucket per (key owner, endpoint group): ``per_minute`` requests, refilled steadily."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, user: str, group: str) -> None:
        """Take one token or refuse with 429 and a Retry-After."""
        now = time.monotonic()
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, then = self._buckets.get((user, group), (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - then) * rate)
            if tokens < 1.0:
                wait = max(1, int((1.0 - tokens) / rate) + 1)
                self._buckets[(user, group)] = (tokens, now)
                raise ApiProblem(
                    429,
                    "rate_limited",
                    f"more than {self.per_minute} {group} requests a minute; retry in {wait} s",
                    {"Retry-After": str(wait)},
                )
            self._buckets[(user, group)] = (tokens - 1.0, now)
