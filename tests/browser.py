"""Find and drive headless Chromium for the HTML report tests (fresh profile per run)."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",  # tests run as root in containers, where the sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
TIMEOUT = 120
# With --enable-logging=stderr, page console output (errors, uncaught exceptions, CSP violations)
# appears as lines like `[…:INFO:CONSOLE:1] "message", source: file:///… (1)`.
_CONSOLE = re.compile(r"CONSOLE|Uncaught")


def find_chromium() -> str | None:
    """Return a Chromium-family binary ($LLCOMPLIANCE_CHROMIUM first), or None."""
    override = os.environ.get("LLCOMPLIANCE_CHROMIUM")
    if override:
        return shutil.which(override)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def run(binary: str, *args: str, url: str) -> subprocess.CompletedProcess[str]:
    """Run Chromium once on `url` with a throwaway profile; raise if it fails."""
    with tempfile.TemporaryDirectory(prefix="llc-chromium-") as profile:
        result = subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", *args, url],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(f"chromium exited {result.returncode}: {result.stderr[-2000:]}")
    return result


def screenshot(binary: str, page: Path, out: Path, width: int, height: int) -> Path:
    """Save a PNG of the page's first `height` pixels at a window `width` wide."""
    run(binary, f"--screenshot={out}", f"--window-size={width},{height}", url=page.as_uri())
    return out


def print_pdf(binary: str, page: Path, out: Path) -> Path:
    """Print the page to PDF as a board pack would be, without browser headers and footers."""
    run(
        binary,
        f"--print-to-pdf={out}",
        "--no-pdf-header-footer",
        "--print-to-pdf-no-header",  # the older spelling; Chromium ignores flags it does not know
        url=page.as_uri(),
    )
    return out


def dump_dom(binary: str, url: str, *extra: str) -> tuple[str, list[str]]:
    """Return the DOM after load and the console lines the page logged."""
    result = run(binary, "--enable-logging=stderr", "--v=0", "--dump-dom", *extra, url=url)
    return result.stdout, console_lines(result.stderr)


def console_lines(stderr: str) -> list[str]:
    """Pick the page's console messages out of Chromium's log."""
    return [line for line in stderr.splitlines() if _CONSOLE.search(line)]


def png_size(path: Path) -> tuple[int, int]:
    """Read (width, height) from a PNG's IHDR chunk."""
    data = path.read_bytes()[:24]
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height
