"""The foundation end to end: init, validate, coverage, explain, new, against real git repos."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    DATA,
    HOLLOW_POLICY,
    NARRATIVE,
    POLICY,
    TODAY,
    git,
    make_ready,
    met_self_assessment,
    run_cli,
    write,
)


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def test_init_validate_clean_and_all_gap(evidence_repo: Path) -> None:
    assert git(evidence_repo, "log", "--oneline").count("\n") == 1
    assert git(evidence_repo, "status", "--porcelain") == ""
    assert (evidence_repo / ".gitattributes").read_text().startswith("#")
    assert "Eastmere Idva Service" in (evidence_repo / "llcompliance.yaml").read_text()
    result = run_cli("validate", cwd=evidence_repo)
    assert result.exit_code == 0, result.output
    assert "all valid" in result.stdout
    cov = run_cli("coverage", "--format", "json", "--as-of", TODAY, cwd=evidence_repo)
    data = json.loads(cov.stdout)
    assert data["summary"] == {"total": 23, "ready": 0, "attention": 0, "gap": 23}
    assert [s["id"] for s in data["standards"]][:3] == ["SP1", "SP2", "SP3"]


def test_init_refuses_non_empty_dir(tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    result = run_cli("init", str(target), "--service", "X")
    assert result.exit_code == 2
    assert "not empty" in result.stderr
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert (target / "notes.txt").read_text() == "keep me"


def test_init_without_git_identity_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key, raising=False)
    (Path(os.environ["HOME"]) / ".gitconfig").write_text("")
    result = run_cli("init", str(tmp_path / "new"), "--service", "X")
    assert result.exit_code == 2
    assert "git config --global user.name" in result.stderr
    assert not (tmp_path / "new").exists()


def test_met_with_valid_policy_makes_standard_ready(evidence_repo: Path) -> None:
    make_ready(evidence_repo)
    result = run_cli("coverage", "--format", "json", "--as-of", "2026-11-23", cwd=evidence_repo)
    states = {s["id"]: s for s in json.loads(result.stdout)["standards"]}
    assert states["HR2"]["state"] == "ready"
    assert {e["id"] for e in states["HR2"]["evidence"]} == {
        "POL-lone-working",
        "EV-lone-working-checks",
    }
    assert json.loads(result.stdout)["summary"]["ready"] == 1


def test_mapping_alone_is_not_coverage(evidence_repo: Path) -> None:
    """A policy that lists HR2 does not make HR2 ready while the self-assessment is not started."""
    write(evidence_repo, "policies/lone-working.md", POLICY)
    result = run_cli("coverage", "--format", "json", "--as-of", TODAY, cwd=evidence_repo)
    hr2 = next(s for s in json.loads(result.stdout)["standards"] if s["id"] == "HR2")
    assert hr2["state"] == "gap"


def test_expired_policy_is_a_warning_and_attention_then_gap(evidence_repo: Path) -> None:
    make_ready(evidence_repo)
    result = run_cli("validate", "--as-of", "2027-07-01", cwd=evidence_repo)
    assert result.exit_code == 0  # warnings alone do not fail
    assert (
        "policies/lone-working.md:8: expired: warning: review was due 2027-06-30" in result.stdout
    )
    soon = run_cli("coverage", "--format", "json", "--as-of", "2027-06-15", cwd=evidence_repo)
    hr2 = next(s for s in json.loads(soon.stdout)["standards"] if s["id"] == "HR2")
    assert hr2["state"] == "attention" and "due for review" in hr2["reasons"][0]
    late = run_cli("coverage", "--format", "json", "--as-of", "2027-07-01", cwd=evidence_repo)
    hr2 = next(s for s in json.loads(late.stdout)["standards"] if s["id"] == "HR2")
    assert hr2["state"] == "gap"
    assert any("past its review date" in r for r in hr2["reasons"])


def test_in_progress_is_attention(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/lone-working.md", POLICY)
    write(
        evidence_repo,
        "standards/HR2.md",
        met_self_assessment("HR2").replace("status: met", "status: in-progress"),
    )
    result = run_cli("coverage", "--format", "json", "--as-of", TODAY, cwd=evidence_repo)
    hr2 = next(s for s in json.loads(result.stdout)["standards"] if s["id"] == "HR2")
    assert hr2["state"] == "attention"


def test_template_prompt_is_not_a_narrative(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/lone-working.md", POLICY)
    template = (
        (evidence_repo / "standards/HR2.md")
        .read_text()
        .replace("status: not-started", "status: met")
    )
    write(evidence_repo, "standards/HR2.md", template)
    result = run_cli("coverage", "--format", "json", "--as-of", TODAY, cwd=evidence_repo)
    hr2 = next(s for s in json.loads(result.stdout)["standards"] if s["id"] == "HR2")
    assert hr2["state"] == "attention"
    assert any("'How we meet it' is empty" in r for r in hr2["reasons"])
    assert "empty-narrative" in run_cli("validate", cwd=evidence_repo).stdout


EVIDENCE = """id: EV-{name}
title: Evidence {name}
owner: Idva Team Leader
standards: [{standard}]
review_due: 2027-06-30
location:
  path: {path}
"""


@pytest.mark.parametrize(
    ("path", "expect"),
    [
        ("evidence/files/missing.md", "does not exist"),
        ("../outside.md", "outside the repo"),
        ("/etc/passwd", "absolute path"),
        ("C:/Users/x.docx", "absolute path"),
        ("evidence/files", "is a folder"),
    ],
)
def test_bad_locations_are_findings_with_line(evidence_repo: Path, path: str, expect: str) -> None:
    write(evidence_repo, "evidence/x.yaml", EVIDENCE.format(name="x", standard="SP1", path=path))
    result = run_cli("validate", "--format", "json", cwd=evidence_repo)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    loc = [f for f in findings if f["rule"] == "location"]
    assert loc and loc[0]["path"] == "evidence/x.yaml" and loc[0]["line"] == 6
    assert expect in loc[0]["message"]


def test_symlink_out_of_repo_is_refused(evidence_repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("outside")
    (evidence_repo / "evidence/files/link.md").symlink_to(outside)
    write(
        evidence_repo,
        "evidence/x.yaml",
        EVIDENCE.format(name="x", standard="SP1", path="evidence/files/link.md"),
    )
    result = run_cli("validate", cwd=evidence_repo)
    assert result.exit_code == 1
    assert "evidence/x.yaml:6: location:" in result.stdout and "symbolic link" in result.stdout


def test_unknown_standard_and_duplicate_id(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/a.md", POLICY.replace("id: HR2", "id: HR9"))
    write(evidence_repo, "policies/b.md", POLICY)
    result = run_cli("validate", cwd=evidence_repo)
    assert result.exit_code == 1
    assert (
        "policies/a.md:5: unknown-standard: standard 'HR9' is not in the catalogue" in result.stdout
    )
    assert "duplicate-id" in result.stdout and "already used by policies/a.md" in result.stdout


def test_malformed_yaml_names_file_and_line(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/bad.md", "---\nid: POL-bad\ntitle: [oops\nowner: x\n---\nbody\n")
    result = run_cli("validate", cwd=evidence_repo)
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if line.startswith("policies/bad.md"))
    assert "yaml-syntax" in line and int(line.split(":")[1]) >= 3


def test_broken_relative_link(evidence_repo: Path) -> None:
    write(
        evidence_repo,
        "policies/lone-working.md",
        POLICY + "\nSee [the other](missing.md) and [ok](lone-working.md).\n",
    )
    result = run_cli("validate", cwd=evidence_repo)
    assert result.exit_code == 1
    line = POLICY.count("\n") + 2  # the line after the policy's last
    assert (
        f"policies/lone-working.md:{line}: broken-link: link to 'missing.md' is broken"
        in result.stdout
    )


def test_validate_paths_filters_output(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/a.md", POLICY.replace("id: HR2", "id: HR9"))
    write(evidence_repo, "policies/b.md", POLICY.replace("POL-lone-working", "POL-b"))
    only_b = run_cli("validate", "policies/b.md", cwd=evidence_repo)
    assert only_b.exit_code == 0, only_b.output
    assert run_cli("validate", "policies/a.md", cwd=evidence_repo).exit_code == 1


def test_not_an_evidence_repo_is_exit_2(tmp_path: Path) -> None:
    result = run_cli("validate", cwd=tmp_path)
    assert result.exit_code == 2
    assert "not an evidence repo" in result.stderr and "llcompliance init" in result.stderr


def test_broken_config_is_exit_2_with_line(evidence_repo: Path) -> None:
    write(evidence_repo, "llcompliance.yaml", "service: X\ncatalogs: [leading-lights]\n")
    result = run_cli("coverage", cwd=evidence_repo)
    assert result.exit_code == 2
    assert (
        "llcompliance.yaml:2: unknown key 'catalogs' (did you mean 'catalogues'?)" in result.stderr
    )


def test_regression_against_head(evidence_repo: Path) -> None:
    """The check compares HEAD with what is staged: the commit that is about to be made."""
    make_ready(evidence_repo)
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "HR2 evidence")
    assert (
        run_cli(
            "coverage", "--fail-on", "regression", "--as-of", TODAY, cwd=evidence_repo
        ).exit_code
        == 0
    )
    git(evidence_repo, "rm", "-q", "--cached", "policies/lone-working.md")  # still on disk
    result = run_cli("coverage", "--fail-on", "regression", "--as-of", TODAY, cwd=evidence_repo)
    assert result.exit_code == 1
    # the practice record still counts, but the policy requirement is no longer met
    assert "HR2: was ready, would become attention" in result.stderr
    git(evidence_repo, "add", "policies/lone-working.md")
    (evidence_repo / "standards/HR2.md").unlink()  # an unstaged deletion is not in the commit
    assert (
        run_cli(
            "coverage", "--fail-on", "regression", "--as-of", TODAY, cwd=evidence_repo
        ).exit_code
        == 0
    )


def test_fail_on_gap(evidence_repo: Path) -> None:
    assert run_cli("coverage", "--fail-on", "gap", cwd=evidence_repo).exit_code == 1
    assert run_cli("coverage", "--fail-on", "never", cwd=evidence_repo).exit_code == 0


def test_explain_shows_statement_spirit_guidance_and_evidence(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/lone-working.md", POLICY)
    result = run_cli("explain", "hr2", cwd=evidence_repo)
    assert result.exit_code == 0
    assert (
        "The service effectively manages the risks that staff face through their work."
        in result.stdout
    )
    assert "Suggested evidence (llcompliance guidance, not official criteria)" in result.stdout
    assert "POL-lone-working" in result.stdout
    assert run_cli("explain", "XX9", cwd=evidence_repo).exit_code == 2


def test_new_policy_is_valid_and_never_overwrites(evidence_repo: Path) -> None:
    first = run_cli(
        "new", "policy", "--title", "Lone working", "--standard", "HR2", cwd=evidence_repo
    )
    assert first.exit_code == 0, first.output
    second = run_cli(
        "new", "policy", "--title", "Lone working", "--standard", "HR2", cwd=evidence_repo
    )
    assert second.exit_code == 0
    assert (evidence_repo / "policies/lone-working.md").exists()
    assert (evidence_repo / "policies/lone-working-2.md").exists()
    drafts = run_cli("validate", "--format", "json", cwd=evidence_repo)
    found = json.loads(drafts.stdout)["findings"]
    # only the unfilled parts are findings: a draft supports nothing until someone writes it
    assert {f["rule"] for f in found} == {"draft"} and len(found) == 2
    assert all("how it supports HR2" in f["message"] for f in found)
    bad = run_cli("new", "policy", "--title", "X", "--standard", "ZZ1", cwd=evidence_repo)
    assert bad.exit_code == 2 and "unknown standard ZZ1" in bad.stderr


def test_new_evidence_needs_a_location(evidence_repo: Path) -> None:
    result = run_cli("new", "evidence", "--title", "Audit", "--standard", "SP1", cwd=evidence_repo)
    assert result.exit_code == 2 and "--reference" in result.stderr
    ok = run_cli(
        "new",
        "evidence",
        "--title",
        "Audit",
        "--standard",
        "SP1",
        "--reference",
        "Case system > Reports",
        "--kind",
        "record",
        "--date",
        "2026-09-30",
        cwd=evidence_repo,
    )
    assert ok.exit_code == 0, ok.output
    path = evidence_repo / "evidence/audit.yaml"
    assert "kind: record\ndate: '2026-09-30'\n" in path.read_text() or (
        "kind: record\ndate: 2026-09-30\n" in path.read_text()
    )
    assert "draft" in run_cli("validate", cwd=evidence_repo).stdout
    path.write_text(
        path.read_text().replace(
            "Say in one sentence how this supports the standard.",
            "28 of 30 files had a timely risk assessment.",
        )
    )
    assert run_cli("validate", cwd=evidence_repo).exit_code == 0


def test_a_draft_is_not_evidence(evidence_repo: Path) -> None:
    """`new` then status met is not ready: mapping a blank file to a standard is not meeting it."""
    run_cli("new", "policy", "--title", "Lone working", "--standard", "HR2", cwd=evidence_repo)
    write(evidence_repo, "standards/HR2.md", met_self_assessment("HR2"))
    cov = json.loads(
        run_cli("coverage", "--format", "json", "--as-of", TODAY, cwd=evidence_repo).stdout
    )
    hr2 = next(s for s in cov["standards"] if s["id"] == "HR2")
    assert hr2["state"] == "gap" and hr2["evidence"][0]["state"] == "invalid"


def test_a_policy_of_headings_only_is_not_evidence(evidence_repo: Path) -> None:
    """Headings and the template's comment are not a policy: the standard stays a gap, twice over
    (the second run reads the parsed policy from the cache)."""
    write(evidence_repo, "policies/lone-working.md", HOLLOW_POLICY)
    write(evidence_repo, "standards/HR2.md", met_self_assessment("HR2"))
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "hollow policy")
    for _ in range(2):
        out = run_cli("coverage", "--as-of", TODAY, "--format", "json", cwd=evidence_repo)
        hr2 = next(s for s in json.loads(out.stdout)["standards"] if s["id"] == "HR2")
        assert hr2["state"] == "gap" and hr2["evidence"][0]["state"] == "invalid"
        assert [f["rule"] for f in hr2["findings"]] == ["draft"]
        assert "write the policy" in hr2["findings"][0]["message"]
    found = json.loads(
        run_cli("validate", "--as-of", TODAY, "--format", "json", cwd=evidence_repo).stdout
    )["findings"]
    assert [(f["path"], f["rule"]) for f in found] == [("policies/lone-working.md", "draft")]
    make_ready(evidence_repo)  # an approved policy in full, and practice evidence: ready
    out = run_cli("coverage", "--as-of", TODAY, "--format", "json", cwd=evidence_repo)
    assert next(s for s in json.loads(out.stdout)["standards"] if s["id"] == "HR2")["state"] == (
        "ready"
    )


def test_bad_input_never_tracebacks_or_changes_files(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/bin.md", "")
    (evidence_repo / "policies/bin.md").write_bytes(b"\x00\x01\xff\xfe garbage")
    write(evidence_repo, "policies/empty.md", "")
    (evidence_repo / "policies/utf16.md").write_bytes("---\nid: x\n---\n".encode("utf-16"))
    (evidence_repo / "policies/dir.md").mkdir()
    before = _hashes(evidence_repo)
    proc = subprocess.run(
        [sys.executable, "-m", "llcompliance.cli", "validate"],
        cwd=evidence_repo,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    for name, rule in [
        ("bin.md", "encoding"),
        ("empty.md", "front-matter"),
        ("utf16.md", "encoding"),
        ("dir.md", "not-a-file"),
    ]:
        assert f"policies/{name}:1: {rule}:" in proc.stdout, proc.stdout
    assert _hashes(evidence_repo) == before


def test_extra_catalogue(evidence_repo: Path) -> None:
    mini = DATA / "catalogues/mini-framework.yaml"
    write(evidence_repo, "catalogues/mini.yaml", mini.read_text())
    write(
        evidence_repo,
        "llcompliance.yaml",
        "format: 2\nservice: X\ncatalogues: [leading-lights, catalogues/mini.yaml]\n",
    )
    write(evidence_repo, "policies/q.md", POLICY.replace("id: HR2", "id: MQ1"))
    assert run_cli("validate", cwd=evidence_repo).exit_code == 0
    result = run_cli(
        "coverage", "--framework", "mini-quality", "--format", "json", cwd=evidence_repo
    )
    assert result.exit_code == 0
    assert [s["id"] for s in json.loads(result.stdout)["standards"]] == ["MQ1", "MQ2", "MQ3"]
    assert run_cli("explain", "MQ1", cwd=evidence_repo).exit_code == 0


def test_json_output_of_init_new_and_keygen(tmp_path: Path) -> None:
    made = run_cli("init", str(tmp_path / "r"), "--service", "X", "--format", "json")
    assert json.loads(made.stdout)["repo"] == str(tmp_path / "r")
    new = run_cli(
        "new",
        "policy",
        "--title",
        "Lone working",
        "--standard",
        "HR2",
        "--format",
        "json",
        cwd=tmp_path / "r",
    )
    assert json.loads(new.stdout) == {"path": "policies/lone-working.md", "id": "POL-lone-working"}
    keys = json.loads(
        run_cli(
            "keygen",
            "--out",
            str(tmp_path / "k"),
            "--principal",
            "ci@x.example.org",
            "--format",
            "json",
        ).stdout
    )
    assert keys["fingerprint"].startswith("SHA256:") and keys["allowed_signers_line"].startswith(
        "ci@x.example.org "
    )
    assert oct((tmp_path / "k" / "readiness_ed25519").stat().st_mode & 0o777) == "0o600"


def test_subheadings_belong_to_the_narrative(evidence_repo: Path) -> None:
    make_ready(evidence_repo)
    text = met_self_assessment("HR2", "### Lone working\n\n" + NARRATIVE)
    write(evidence_repo, "standards/HR2.md", text)
    result = run_cli("coverage", "--format", "json", "--as-of", TODAY, cwd=evidence_repo)
    assert (
        next(s for s in json.loads(result.stdout)["standards"] if s["id"] == "HR2")["state"]
        == "ready"
    )


def test_a_misfiled_self_assessment_does_not_hide_the_real_one(evidence_repo: Path) -> None:
    make_ready(evidence_repo)
    write(evidence_repo, "standards/HR1.md", met_self_assessment("HR2").replace("# HR2", "# HR1"))
    result = run_cli("coverage", "--format", "json", "--as-of", TODAY, cwd=evidence_repo)
    assert (
        next(s for s in json.loads(result.stdout)["standards"] if s["id"] == "HR2")["state"]
        == "ready"
    )
    assert "misfiled" in run_cli("validate", cwd=evidence_repo).stdout


def test_hidden_folders_are_skipped_on_disk_and_in_commits(
    evidence_repo: Path, tmp_path: Path
) -> None:
    write(evidence_repo, "policies/.archive/old.md", POLICY)
    write(evidence_repo, "standards/HR2.md", met_self_assessment("HR2"))
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "archive")
    cov = json.loads(
        run_cli("coverage", "--format", "json", "--as-of", TODAY, cwd=evidence_repo).stdout
    )
    report = tmp_path / "r"
    assert (
        run_cli("report", "--out", str(report), "--as-of", TODAY, cwd=evidence_repo).exit_code == 0
    )
    data = json.loads((report / "readiness.json").read_text())
    assert cov["summary"] == data["summary"] and data["summary"]["ready"] == 0


def test_validating_the_settings_checks_everything(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/q.md", POLICY.replace("id: HR2", "id: MQ1"))
    mini = DATA / "catalogues/mini-framework.yaml"
    write(evidence_repo, "catalogues/mini.yaml", mini.read_text())
    write(evidence_repo, "llcompliance.yaml", "service: X\ncatalogues: [leading-lights]\n")
    result = run_cli("validate", "llcompliance.yaml", cwd=evidence_repo)
    assert result.exit_code == 1 and "unknown-standard" in result.stdout


def test_paths_relative_to_the_repo_with_repo_option(evidence_repo: Path, tmp_path: Path) -> None:
    write(evidence_repo, "policies/lone-working.md", POLICY)
    result = run_cli(
        "--repo", str(evidence_repo), "validate", "policies/lone-working.md", cwd=tmp_path
    )
    assert result.exit_code == 0, result.output
    missing = run_cli("validate", "policies/typo.md", cwd=evidence_repo)
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_report_out_that_cannot_be_made_is_exit_2(evidence_repo: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = run_cli("report", "--out", str(tmp_path / "file" / "sub"), cwd=evidence_repo)
    assert result.exit_code == 2 and "--out" in result.stderr


def test_root_relative_and_folder_links_are_fine(evidence_repo: Path) -> None:
    links = "See [all policies](/policies/), [evidence](../evidence/) and [this](/policies/lone-working.md)."
    write(evidence_repo, "policies/lone-working.md", POLICY + "\n" + links + "\n")
    result = run_cli("validate", cwd=evidence_repo)
    assert result.exit_code == 0, result.stdout
    write(evidence_repo, "policies/lone-working.md", POLICY + "\n[gone](/policies/gone.md)\n")
    assert "broken-link" in run_cli("validate", cwd=evidence_repo).stdout
