"""Snapshots of what people read: help text and the report's Markdown. Changes must be deliberate.

Update after an intended change with: LLCOMPLIANCE_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from llcompliance import __version__, demo
from llcompliance.cli import main

SNAPSHOTS = Path(__file__).parent / "data" / "snapshots"
COMMANDS = [
    "",
    "init",
    "validate",
    "scan",
    "coverage",
    "explain",
    "new",
    "report",
    "keygen",
    "verify",
    "pr-body",
    "assess",
    "diff",
    "demo",
]


def _compare(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("LLCOMPLIANCE_UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {name}: run with LLCOMPLIANCE_UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} changed: update the snapshot if intended"
    )


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c or "main")
def test_help_text(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # help wraps to the terminal: fix the width
    args = [*([command] if command else []), "--help"]
    result = CliRunner().invoke(
        main, args, terminal_width=80, max_content_width=80, prog_name="llcompliance"
    )
    assert result.exit_code == 0
    assert "Example" in result.stdout or not command
    _compare(f"help-{command or 'main'}.txt", result.stdout)


def test_report_markdown(tmp_path: Path) -> None:
    built = demo.build(tmp_path / "demo")
    text = next(built.repo.glob("reports/*/readiness.md")).read_text(encoding="utf-8")
    # the commit differs on every build: normalise it (and the tool version) before comparing
    text = re.sub(r"\b[0-9a-f]{12}\b", "<commit>", text).replace(__version__, "<version>")
    _compare("demo-readiness.md", text)
