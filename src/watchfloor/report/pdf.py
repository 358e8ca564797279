"""PDF from the brief's HTML with headless Chromium (``--print-to-pdf``), where it is installed.

Chromium runs with networking features off and a throw-away profile; the brief has no external
asset, so nothing is fetched. Without Chromium, :func:`html_to_pdf` raises a clear error.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from watchfloor.errors import WatchfloorError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


class PdfEngineError(WatchfloorError):
    """No PDF engine is installed, or it failed."""


def chromium_path() -> str | None:
    """The Chromium (or Chrome) executable on PATH, if any."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_command(binary: str, profile: Path, *args: str) -> list[str]:
    """A headless Chromium command line with networking off and a private profile."""
    return [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]


def html_to_pdf(html: Path, pdf: Path, timeout_s: float = 120.0) -> Path:
    """Print ``html`` to ``pdf`` with headless Chromium."""
    binary = chromium_path()
    if binary is None:
        raise PdfEngineError("no PDF engine: install Chromium (Debian: apt-get install chromium) for --pdf")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="watchfloor-chromium-") as profile:
        command = chromium_command(
            binary, Path(profile), "--no-pdf-header-footer", f"--print-to-pdf={pdf.resolve()}",
            html.resolve().as_uri(),
        )  # fmt: skip
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=timeout_s)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            raise PdfEngineError(f"Chromium could not print {html} to PDF: {exc}") from exc
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise PdfEngineError(f"Chromium wrote no PDF at {pdf}")
    return pdf
