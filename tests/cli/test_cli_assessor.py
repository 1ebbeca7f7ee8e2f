"""pr-body, diff and assess end to end through the CLI, on a small real evidence repo."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import POLICY, git, make_ready, run_cli, write

from llcompliance.commands.pr_body import pr_body_for
from llcompliance.report import model as readiness
from llcompliance.report import signing

PRINCIPAL = "readiness@eastmere.example.org"
SERVER, REPOSITORY = "https://github.com", "eastmere/evidence"


@pytest.fixture
def ready_repo(evidence_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HR2 ready, everything else a gap; no GitHub Actions variables unless a test sets them."""
    monkeypatch.delenv("GITHUB_SERVER_URL", raising=False)
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    make_ready(evidence_repo)
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "HR2 evidence")
    return evidence_repo


def _report(repo: Path, name: str, *extra: str) -> Path:
    result = run_cli(
        "report", "--out", f"reports/{name}", "--as-of", "2026-11-23", *extra, cwd=repo
    )
    assert result.exit_code == 0, result.output
    return repo / "reports" / name


def _signed(repo: Path, tmp_path: Path) -> signing.KeyFiles:
    """A key the repo's own allowed_signers lists, committed as a service would."""
    keys = signing.generate_keypair(tmp_path / "keys", PRINCIPAL)
    signers = repo / ".llcompliance" / "allowed_signers"
    signers.write_text(signers.read_text() + keys.allowed_signers.read_text())
    git(repo, "commit", "-qam", "Add the report signing key")
    return keys


def test_pr_body_in_actions_links_to_the_commit_and_names_the_key(
    ready_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = _signed(ready_repo, tmp_path)
    _report(ready_repo, "r1", "--key", str(keys.private))
    commit = git(ready_repo, "rev-parse", "HEAD").strip()
    monkeypatch.setenv("GITHUB_SERVER_URL", SERVER)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPOSITORY)
    result = run_cli("pr-body", "reports/r1", cwd=ready_repo)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    body = result.stdout
    assert len(body) <= 65_536 and body.count("\n### ") == 23
    assert "### HR2 — Managing risks to staff: ✓ ready" in body
    assert f"({SERVER}/{REPOSITORY}/blob/{commit}/policies/lone-working.md)" in body
    # the signer is pinned: another service's key in the same allowed_signers would not do
    assert (
        f"llcompliance verify reports/r1 --allowed-signers allowed_signers --principal {PRINCIPAL} "
        "--rebuild"
    ) in body
    assert (
        f"ssh-keygen -Y verify -f allowed_signers -I {PRINCIPAL} -n readiness-report@llcompliance"
    ) in body
    assert f"`{keys.fingerprint}`" in body and "never from this pull request" in body
    assert "- [ ] HR2 reviewed" in body


def test_pr_body_locally_links_relative_and_warns_when_unsigned(ready_repo: Path) -> None:
    _report(ready_repo, "r1")
    result = run_cli("pr-body", "reports/r1", "--limit", "5000", cwd=ready_repo)
    assert result.exit_code == 0, result.output
    assert "the report is not signed" in result.stderr
    body = result.stdout
    assert len(body) <= 5000 and "**This report is not signed**" in body
    assert "Cut to fit the 5,000-character limit" in body
    assert "`reports/r1/readiness.md` on this branch" in body
    full = run_cli("pr-body", "reports/r1", cwd=ready_repo).stdout
    assert "](../../policies/lone-working.md)" in full


def test_pr_body_with_previous_says_what_changed(ready_repo: Path) -> None:
    _report(ready_repo, "r1")
    git(ready_repo, "rm", "-q", "policies/lone-working.md", "evidence/lone-working-checks.yaml")
    git(ready_repo, "commit", "-qm", "Withdraw the lone-working policy")
    _report(ready_repo, "r2")
    result = run_cli(
        "pr-body",
        "reports/r2",
        "--previous",
        "reports/r1",
        "--base-url",
        "https://example.org/b/",
        cwd=ready_repo,
    )
    assert result.exit_code == 0, result.output
    assert "## What changed since the last report" in result.stdout
    assert "**Changed since the last report:** ready → gap." in result.stdout
    assert "- Removed: policies/lone-working.md" in result.stdout


def test_pr_body_usage_errors(ready_repo: Path) -> None:
    assert run_cli("pr-body", "reports/none", cwd=ready_repo).exit_code == 2
    (ready_repo / "reports" / "empty").mkdir(parents=True)
    result = run_cli("pr-body", "reports/empty", cwd=ready_repo)
    assert result.exit_code == 2 and "has no readiness.json" in result.stderr
    _report(ready_repo, "r1")
    assert run_cli("pr-body", "reports/r1", "--limit", "10", cwd=ready_repo).exit_code == 2


def test_diff_lists_state_evidence_and_file_changes(ready_repo: Path) -> None:
    _report(ready_repo, "r1")
    git(ready_repo, "rm", "-q", "policies/lone-working.md")  # its practice record stays
    safeguarding = POLICY.replace("POL-lone-working", "POL-safeguarding").replace("HR2", "MA2")
    write(ready_repo, "policies/safeguarding.md", safeguarding)
    git(ready_repo, "add", "-A", "policies")
    git(ready_repo, "commit", "-qm", "Replace lone working with safeguarding")
    text = run_cli("diff", "reports/r1", "--as-of", "2026-11-23", cwd=ready_repo)
    assert text.exit_code == 0, text.output
    for line in (
        "HR2: ready → attention",
        "HR2: removed POL-lone-working",
        "MA2: added POL-safeguarding",
        "Added: policies/safeguarding.md",
        "Removed: policies/lone-working.md",
    ):
        assert line in text.stdout
    data = json.loads(
        run_cli(
            "diff", "reports/r1", "--as-of", "2026-11-23", "--format", "json", cwd=ready_repo
        ).stdout
    )
    assert data["states"] == [
        {"id": "HR2", "title": "Managing risks to staff", "before": "ready", "after": "attention"}
    ]
    assert data["files"] == {
        "added": ["policies/safeguarding.md"],
        "edited": [],
        "removed": ["policies/lone-working.md"],
    }
    md = run_cli("diff", "reports/r1", "--format", "markdown", cwd=ready_repo)
    assert md.exit_code == 0 and md.stdout.startswith("## What changed since the last report")


def test_diff_defaults_to_today(ready_repo: Path) -> None:
    _report(ready_repo, "r1")
    data = json.loads(run_cli("diff", "reports/r1", "--format", "json", cwd=ready_repo).stdout)
    assert data["after"]["as_of"] == dt.date.today().isoformat()
    assert data["before"]["as_of"] == "2026-11-23"


def test_assess_shows_outcomes_beside_coverage(ready_repo: Path) -> None:
    write(
        ready_repo,
        "assessments/2027-02-14-visit.yaml",
        """\
assessor: A. Assessor
date: 2027-02-14
findings:
  - standard: HR2
    outcome: not-met
    comment: The lone-working log was not kept in January.
  - standard: SP1
    outcome: met
""",
    )
    result = run_cli("assess", "--as-of", "2026-11-23", cwd=ready_repo)
    assert result.exit_code == 0, result.output
    assert "HR2: your coverage says ready but the assessor found it not met" in result.stdout
    assert "SP1: the assessor found it met but your coverage says gap" in result.stdout
    counts = "Assessor outcomes: 1 met, 0 further evidence, 1 not met; 21 of 23 not assessed."
    assert counts in result.stdout
    data = json.loads(
        run_cli("assess", "--as-of", "2026-11-23", "--format", "json", cwd=ready_repo).stdout
    )
    assert data["as_of"] == "2026-11-23" and data["disagreements"] == 2
    hr2 = next(s for s in data["standards"] if s["id"] == "HR2")
    assert (hr2["state"], hr2["outcome"], hr2["disagrees"]) == ("ready", "not-met", True)


def test_assess_without_outcomes_and_with_a_broken_file(ready_repo: Path) -> None:
    result = run_cli("assess", cwd=ready_repo)
    assert result.exit_code == 0 and "No assessor outcomes yet" in result.stdout
    write(
        ready_repo,
        "assessments/2027-02-14-visit.yaml",
        "findings:\n  - standard: HR2\n    outcome: partly\n",
    )
    result = run_cli("assess", cwd=ready_repo)
    assert result.exit_code == 0
    assert "assessments/2027-02-14-visit.yaml:" in result.stderr
    assert "not shown" in result.stderr


# --- hostile and broken inputs: a clear usage error or a hint, never a crash ---------------------

DEEP = b"[" * 100_000 + b"]" * 100_000  # CPython's json raises RecursionError on this


def _deep_report(repo: Path, name: str) -> Path:
    folder = repo / "reports" / name
    folder.mkdir(parents=True)
    (folder / "readiness.json").write_bytes(DEEP)
    return folder


def test_pr_body_previous_nested_100000_deep_is_a_usage_error(ready_repo: Path) -> None:
    _report(ready_repo, "r1")
    _deep_report(ready_repo, "deep")
    result = run_cli("pr-body", "reports/r1", "--previous", "reports/deep", cwd=ready_repo)
    assert result.exit_code == 2, result.output
    assert "reports/deep/readiness.json is nested too deeply to be a readiness report" in (
        result.stderr
    )
    assert "Traceback" not in result.output


def test_diff_of_a_report_nested_100000_deep_is_a_usage_error(ready_repo: Path) -> None:
    _deep_report(ready_repo, "deep")
    result = run_cli("diff", "reports/deep", "--as-of", "2026-11-23", cwd=ready_repo)
    assert result.exit_code == 2, result.output
    assert "nested too deeply to be a readiness report" in result.stderr


def _break_allowed_signers(repo: Path) -> None:
    """A third line that names a principal but no key (a paste that lost its end)."""
    signers = repo / ".llcompliance" / "allowed_signers"
    lines = signers.read_text().splitlines()
    signers.write_text("\n".join([*lines[:2], "broken@eastmere.example.org", *lines[2:]]) + "\n")


def test_pr_body_with_a_malformed_allowed_signers_is_a_hint_not_an_error(
    ready_repo: Path, tmp_path: Path
) -> None:
    """The assessor-PR job must not fail because the repo's allowed_signers has a bad line."""
    keys = _signed(ready_repo, tmp_path)
    _report(ready_repo, "r1", "--key", str(keys.private))
    _break_allowed_signers(ready_repo)
    result = run_cli("pr-body", "reports/r1", cwd=ready_repo)
    assert result.exit_code == 0, result.output
    assert "### HR2 — Managing risks to staff: ✓ ready" in result.stdout
    assert "warning:" in result.stderr and ".llcompliance/allowed_signers" in result.stderr


def test_pr_body_for_says_in_the_body_why_the_signer_could_not_be_checked(
    ready_repo: Path, tmp_path: Path
) -> None:
    keys = _signed(ready_repo, tmp_path)
    report_dir = _report(ready_repo, "r1", "--key", str(keys.private))
    _break_allowed_signers(ready_repo)
    made = pr_body_for(report_dir, ready_repo)
    expected = (
        "The signer could not be checked against this repo's `.llcompliance/allowed_signers`: "
        ".llcompliance/allowed\\_signers:3: there is no key after the principals. "
        "Check the signature yourself as below."
    )
    assert expected in made.body
    assert keys.fingerprint not in made.body  # nothing vouched for
    [warning] = made.warnings
    assert ".llcompliance/allowed_signers:3: there is no key after the principals" in warning
    (ready_repo / ".llcompliance" / "allowed_signers").write_bytes(b"\xff\xfe bad\n")
    assert "is not UTF-8 text" in pr_body_for(report_dir, ready_repo).body


def test_pr_body_for_a_good_signer_matches_the_cli(ready_repo: Path, tmp_path: Path) -> None:
    """pr_body_for is the whole command short of printing: same body as `pr-body` prints."""
    keys = _signed(ready_repo, tmp_path)
    report_dir = _report(ready_repo, "r1", "--key", str(keys.private))
    made = pr_body_for(report_dir, ready_repo)
    assert made.warnings == ()
    assert f"`{keys.fingerprint}`" in made.body and "could not be checked" not in made.body
    assert made.body == run_cli("pr-body", "reports/r1", cwd=ready_repo).stdout
    assert readiness.load(report_dir).source.commit[:12] in made.body
