"""Issue 12: a value that looks like personal data is masked in every output, not only in scan's."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import POLICY, TODAY, git, met_self_assessment, run_cli, write

LEAKY_EVIDENCE = """id: EV-leak
title: Audit for Jane Roe AB123456C
owner: Idva Team Leader
standards: [HR2]
review_due: "07911 123456"
location:
  path: evidence/files/Jane Roe AB123456C.pdf
"""


def _leaky(repo: Path) -> None:
    write(repo, "policies/lone-working.md", POLICY)
    write(repo, "standards/HR2.md", met_self_assessment("HR2"))
    write(repo, "evidence/leak.yaml", LEAKY_EVIDENCE)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a record with personal data in its values")


def _no_leak(text: str) -> None:
    for value in ("07911 123456", "AB123456C"):
        assert value not in text


def test_validate_masks_values_in_every_format(evidence_repo: Path) -> None:
    _leaky(evidence_repo)
    for fmt in ("text", "json", "github", "sarif"):
        result = run_cli("validate", "--format", fmt, "--as-of", TODAY, cwd=evidence_repo)
        assert result.exit_code == 1, (fmt, result.output)
        _no_leak(result.output)
        assert "evidence/leak.yaml" in result.stdout  # the file is still named


def test_report_coverage_and_explain_mask_values(evidence_repo: Path, tmp_path: Path) -> None:
    _leaky(evidence_repo)
    out = tmp_path / "report"
    result = run_cli("report", "--out", str(out), "--as-of", TODAY, cwd=evidence_repo)
    assert result.exit_code == 0, result.output
    for name in ("readiness.json", "readiness.md", "readiness.html"):
        _no_leak((out / name).read_text(encoding="utf-8"))
    for args in (("coverage", "--format", "json"), ("coverage", "-v"), ("explain", "HR2")):
        shown = run_cli(*args, "--as-of", TODAY, cwd=evidence_repo)
        _no_leak(shown.output)
    cov = json.loads(
        run_cli("coverage", "--format", "json", "--as-of", TODAY, cwd=evidence_repo).stdout
    )
    report = json.loads((out / "readiness.json").read_text(encoding="utf-8"))
    assert cov["standards"] == report["standards"]  # shaped, and masked, exactly alike
