"""Snapshots of what people read: help text and the report's Markdown. Changes must be deliberate.

Update after an intended change with: LLCOMPLIANCE_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import compare_snapshot

from llcompliance import __version__
from llcompliance.cli.main import main
from llcompliance.commands import demo

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
    "export",
    "status",
    "upgrade",
    "fleet",
    "import",
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c or "main")
def test_help_text(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # help wraps to the terminal: fix the width
    args = [*([command] if command else []), "--help"]
    result = CliRunner().invoke(
        main, args, terminal_width=80, max_content_width=80, prog_name="llcompliance"
    )
    assert result.exit_code == 0
    assert "Example" in result.stdout or not command
    compare_snapshot(f"help-{command or 'main'}.txt", result.stdout)


@pytest.fixture(scope="module")
def demo_report(demo_built: demo.DemoResult) -> Path:
    return demo_built.report_dir


def test_report_markdown(demo_report: Path) -> None:
    text = (demo_report / "readiness.md").read_text(encoding="utf-8")
    # the commit differs on every build: normalise it (and the tool version) before comparing
    text = re.sub(r"\b[0-9a-f]{12}\b", "<commit>", text).replace(__version__, "<version>")
    text = re.sub(r"(reports/2026-11-23-)[0-9a-f]{7}\b", r"\1<commit>", text)
    compare_snapshot("demo-readiness.md", text)


def test_report_badge_and_page_say_self_assessed(demo_report: Path) -> None:
    """Neither the badge nor the page may read as the framework owner's decision."""
    badge = json.loads((demo_report / "badge.json").read_text(encoding="utf-8"))
    assert badge["label"] == "Leading Lights self-assessed"
    assert "Leading Lights self-assessed: 11/23 ready" in (demo_report / "badge.svg").read_text()
    page = (demo_report / "readiness.html").read_text(encoding="utf-8")
    assert "Leading Lights · self-assessed readiness report" in page
    assert "accreditation ·" not in page
    folder = f"reports/{demo_report.name}"
    assert f"usually <code>{folder}</code>" in page  # the folder the demo put it in
