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
        ("policies/older-people-access.md", "unapproved"),  # SP7's draft beside approved support
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
    assert states["SP6"] == "attention"  # a policy, but its only practice record is stale
    assert states["SP7"] == "attention"  # met and supported, but a draft policy lists it
    by_id = {s["id"]: s for s in data["standards"]}
    sp6 = {e["id"]: e for e in by_id["SP6"]["evidence"]}
    assert sp6["EV-referrals-outside-remit-2025"]["problems"] == ["stale"]
    assert any("is dated 2025-08-31, more than 12 months" in r for r in by_id["SP6"]["reasons"])
    assert by_id["SP7"]["reasons"] == [
        "POL-older-people-access (policies/older-people-access.md) is a draft: once it is "
        "approved, add `approved: {date: YYYY-MM-DD, by: Board of trustees}`"
    ]
    # Ready for real reasons: an approved policy, recent practice evidence, a narrative citing them.
    sp1 = by_id["SP1"]
    assert all(r["met"] for r in sp1["requirements"]) and "POL-risk-assessment" in sp1["narrative"]


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


def test_demo_and_guidance_say_what_the_domain_says() -> None:
    """Corrections to our own guidance and demo text (the catalogue's statements stay verbatim)."""
    from llcompliance.adapters import resources

    root = resources.demo_dir()
    text = {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in root.rglob("*.md")
    }
    everything = " ".join(" ".join(t.split()) for t in text.values())
    assert (
        "serious case review" not in everything.lower()
    )  # England: child safeguarding practice reviews
    assert "Charity Commission" not in everything  # not a complaints route for a service
    assert "fewer than 10" not in everything  # one small-number threshold: 5
    assert "potential escalation" in everything.lower() and "(repeat)" in everything
    assert "has a further incident (escalation)" not in everything  # that is a repeat referral
    assert "Clients aged 16 and 17" in text["policies/safeguarding-children.md"]
    assert "date: 2026-09-15" in text["policies/risk-assessment.md"]  # the board met on the 15th
    catalogue = (resources.catalogue_dir() / "leading-lights.yaml").read_text(encoding="utf-8")
    assert 'version: "2024.1"' not in catalogue and "edition unspecified" in catalogue
    assert "every 6–8 weeks" not in catalogue and "intervals your policy sets" in catalogue
    for needed in (
        "section 42 of the Care Act 2014",
        "Domestic Abuse Act 2021",
        "appropriate policy",
        "PVG scheme",
        "AccessNI",
        "Wales Safeguarding Procedures",
        "potential escalation",
    ):
        assert needed in catalogue, needed
