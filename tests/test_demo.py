"""The demo builds a realistic repo whose deliberate problems show every state, and verifies its report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import git, run_cli

from llcompliance.commands import demo


@pytest.fixture(scope="module")
def demo_repo(demo_built: demo.DemoResult) -> Path:
    return demo_built.repo


def test_demo_has_history(demo_repo: Path) -> None:
    log = git(demo_repo, "log", "--format=%as %an").splitlines()
    assert len(log) >= 10
    assert len({line.split()[0] for line in log}) >= 10  # spread over many days
    assert git(demo_repo, "status", "--porcelain", "--", ".", ":!reports").strip() == ""


def test_demo_validates_with_only_the_deliberate_findings(demo_repo: Path) -> None:
    result = run_cli("validate", "--as-of", "2026-11-23", "--format", "json", cwd=demo_repo)
    found = sorted((f["path"], f["rule"]) for f in json.loads(result.stdout)["findings"])
    assert found == [
        ("evidence/dpia-case-system.yaml", "location"),
        ("policies/lone-working.md", "expired"),
        ("policies/staff-affected-by-domestic-abuse.md", "unapproved"),  # HR3's draft policy
        ("policies/volunteers.md", "expired"),
        ("standards/GV7.md", "one-sided-link"),  # cites a record that does not list GV7
    ]


def test_demo_shows_every_state(demo_repo: Path) -> None:
    result = run_cli("coverage", "--as-of", "2026-11-23", "--format", "json", cwd=demo_repo)
    data = json.loads(result.stdout)
    states = {s["id"]: s["state"] for s in data["standards"]}
    assert data["summary"] == {"total": 23, "ready": 11, "attention": 7, "gap": 5}
    assert states["HR2"] == "gap"  # met, but its only policy expired
    assert states["HR1"] == "attention"  # one expired policy beside in-date support
    assert states["MA2"] == "attention"  # due for review soon
    assert states["SP4"] == "attention"  # a record points at a missing file
    assert states["GV7"] == "gap"  # met, but nothing lists it
    assert states["MA4"] == states["GV5"] == "gap"  # not started
    assert states["HR3"] == "gap"  # its only policy is an unapproved draft: nothing counts
    assert states["SP6"] == "attention"  # a policy, but no practice evidence


def test_demo_scans_clean(demo_repo: Path) -> None:
    result = run_cli("scan", cwd=demo_repo)
    assert result.exit_code == 0, result.stdout
    assert run_cli("scan", "--history", cwd=demo_repo).exit_code == 0


def test_demo_report_verifies(demo_repo: Path) -> None:
    reports = list((demo_repo / "reports").glob("2026-11-23-*"))
    assert len(reports) == 1
    result = run_cli(
        "verify",
        str(reports[0]),
        "--allowed-signers",
        str(demo_repo / ".llcompliance/allowed_signers"),
        "--rebuild",
        cwd=demo_repo,
    )
    assert result.exit_code == 0, result.output


def test_demo_refuses_non_empty_dir(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("keep")
    result = run_cli("demo", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert (tmp_path / "x" / "keep.txt").read_text() == "keep"


def test_demo_command_text_and_json(tmp_path: Path) -> None:
    """The command as `make demo` runs it: steps, then where the HTML is; JSON for tools."""
    text = run_cli("demo", str(tmp_path / "t"))
    assert text.exit_code == 0, text.output
    assert "The readiness report:" in text.stdout and "readiness.html" in text.stdout
    result = run_cli("demo", str(tmp_path / "d"), "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["verified"] is True
    assert data["summary"] == {"total": 23, "ready": 11, "attention": 7, "gap": 5}
    assert Path(data["html"]).is_file()


def test_explain_shows_the_requirements_as_a_checklist(demo_repo: Path) -> None:
    """`explain` ticks each requirement group, says what would meet it and what the repo has."""
    result = run_cli("explain", "HR3", "--as-of", "2026-11-23", cwd=demo_repo)
    out = result.stdout
    assert "What HR3 requires (every line must be met):" in out
    assert "☐ not met: an approved policy or a plan" in out
    assert "To meet it: HR3 needs a policy" in out
    assert (
        "Listed, but does not count: POL-staff-affected-by-abuse (a draft, not yet approved)" in out
    )
    assert "This repo has nothing of this kind that lists it yet." in out
    ready = run_cli("explain", "SP1", "--as-of", "2026-11-23", cwd=demo_repo).stdout
    assert "☑ met: an approved policy or a plan — POL-risk-assessment" in ready
