"""The readiness report: contract keys, reproducibility, signature, badge, Markdown."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import (
    TODAY,
    git,
    make_ready,
    run_cli,
    ssh_keygen_verify,
    write,
)
from jsonschema import Draft202012Validator

from llcompliance.adapters import canonical, resources
from llcompliance.render.folder import report_files
from llcompliance.report import signing
from llcompliance.report.build import SIG_NAME


@pytest.fixture
def ready_repo(evidence_repo: Path) -> Path:
    make_ready(evidence_repo)
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "HR2 evidence")
    return evidence_repo


@pytest.fixture
def keys(tmp_path: Path) -> signing.KeyFiles:
    return signing.generate_keypair(tmp_path / "keys", "ci@eastmere.example.org")


def _report(repo: Path, out: Path, *extra: str) -> dict:
    result = run_cli("report", "--out", str(out), "--as-of", "2026-11-23", *extra, cwd=repo)
    assert result.exit_code == 0, result.output
    return json.loads((out / "readiness.json").read_text())


def test_report_has_contract_keys_and_validates(ready_repo: Path, tmp_path: Path) -> None:
    data = _report(ready_repo, tmp_path / "out")
    Draft202012Validator(
        resources.schema("readiness"), format_checker=Draft202012Validator.FORMAT_CHECKER
    ).validate(data)
    assert data["summary"] == {"total": 23, "ready": 1, "attention": 0, "gap": 22}
    assert data["source"]["commit"] == git(ready_repo, "rev-parse", "HEAD").strip()
    assert data["framework"]["digest"].startswith("sha256:")
    hr2 = next(s for s in data["standards"] if s["id"] == "HR2")
    policy = next(e for e in hr2["evidence"] if e["path"] == "policies/lone-working.md")
    assert data["files"]["policies/lone-working.md"] == "sha256:" + policy["sha256"]
    assert hr2["requirements"] == [
        {"kinds": ["policy", "plan"], "met": True, "ids": ["POL-lone-working"]},
        {"kinds": ["record", "data", "feedback"], "met": True, "ids": ["EV-lone-working-checks"]},
    ]
    for name in (
        "readiness.md",
        "readiness.html",
        "badge.svg",
        "badge.json",
        "readiness.intoto.json",
    ):
        assert (tmp_path / "out" / name).stat().st_size > 0
    assert not (tmp_path / "out" / SIG_NAME).exists()


def test_report_is_canonical_and_reproducible(ready_repo: Path, tmp_path: Path) -> None:
    _report(ready_repo, tmp_path / "a")
    _report(ready_repo, tmp_path / "b")
    first = (tmp_path / "a/readiness.json").read_bytes()
    assert first == (tmp_path / "b/readiness.json").read_bytes()
    assert canonical.dumps(json.loads(first)) == first and first.endswith(b"}\n")
    assert (tmp_path / "a/readiness.html").read_bytes() == (
        tmp_path / "b/readiness.html"
    ).read_bytes()


def test_report_ignores_uncommitted_changes_and_says_so(ready_repo: Path, tmp_path: Path) -> None:
    (ready_repo / "policies/lone-working.md").unlink()
    result = run_cli("report", "--out", str(tmp_path / "o"), "--as-of", TODAY, cwd=ready_repo)
    assert "uncommitted changes are not in the report" in result.stderr
    data = json.loads((tmp_path / "o/readiness.json").read_text())
    assert data["summary"]["ready"] == 1


def test_signed_report_verifies_with_ssh_keygen_and_us(
    ready_repo: Path, tmp_path: Path, keys: signing.KeyFiles
) -> None:
    out = tmp_path / "signed"
    _report(ready_repo, out, "--key", str(keys.private))
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen not installed")
    proc = ssh_keygen_verify(out, keys.allowed_signers, "ci@eastmere.example.org")
    assert proc.returncode == 0, proc.stderr
    result = run_cli(
        "verify",
        str(out),
        "--allowed-signers",
        str(keys.allowed_signers),
        "--rebuild",
        cwd=ready_repo,
    )
    assert result.exit_code == 0, result.output
    assert "rebuild: rebuilt from the commit: byte-identical" in result.stdout


def test_key_from_environment(
    ready_repo: Path, tmp_path: Path, keys: signing.KeyFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLCOMPLIANCE_SIGNING_KEY", keys.private.read_text())
    _report(ready_repo, tmp_path / "env")
    assert (tmp_path / "env" / SIG_NAME).exists()


def test_badge_and_intoto(ready_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    _report(ready_repo, out)
    badge = json.loads((out / "badge.json").read_text())
    assert set(badge) <= {
        "schemaVersion",
        "label",
        "message",
        "color",
        "labelColor",
        "isError",
        "cacheSeconds",
    }
    assert badge["message"] == "1/23 ready"
    statement = json.loads((out / "readiness.intoto.json").read_text())
    names = {s["name"] for s in statement["subject"]}
    assert {"readiness.json", "readiness.md", "readiness.html", "badge.svg", "repo"} <= names
    repo_subject = next(s for s in statement["subject"] if s["name"] == "repo")
    assert repo_subject["digest"]["gitCommit"] == git(ready_repo, "rev-parse", "HEAD").strip()
    json_subject = next(s for s in statement["subject"] if s["name"] == "readiness.json")
    assert json_subject["digest"]["sha256"] == canonical.sha256_hex(
        (out / "readiness.json").read_bytes()
    )


def test_markdown_has_a_heading_per_standard(ready_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    _report(ready_repo, out)
    md = (out / "readiness.md").read_text()
    headings = [line for line in md.splitlines() if line.startswith("### ")]
    assert len(headings) == 23
    assert "### HR2 — Managing risks to staff: ✓ ready" in md


def test_report_needs_a_commit(tmp_path: Path) -> None:
    repo = tmp_path / "x"
    repo.mkdir()
    write(repo, "llcompliance.yaml", "service: X\n")
    result = run_cli("report", "--out", str(tmp_path / "o"), cwd=repo)
    assert result.exit_code == 2
    assert "commit" in result.stderr


def test_coverage_json_is_shaped_like_the_report(ready_repo: Path, tmp_path: Path) -> None:
    """DESIGN §5: coverage --format json prints as_of, summary and standards as in readiness.json."""
    report = _report(ready_repo, tmp_path / "out")
    cov = json.loads(
        run_cli("coverage", "--format", "json", "--as-of", "2026-11-23", cwd=ready_repo).stdout
    )
    assert cov["as_of"] == report["as_of"] and cov["summary"] == report["summary"]
    assert cov["standards"] == report["standards"]
    assert cov["sections"] == report["sections"]


def test_report_reads_settings_from_the_commit(ready_repo: Path, tmp_path: Path) -> None:
    """An uncommitted edit of llcompliance.yaml changes neither the report nor its rebuild."""
    first = _report(ready_repo, tmp_path / "a")
    config = ready_repo / "llcompliance.yaml"
    config.write_text(config.read_text().replace("Eastmere Idva Service", "Renamed Service"))
    second = _report(ready_repo, tmp_path / "b")
    assert first == second and second["service"]["name"] == "Eastmere Idva Service"


def test_evidence_repo_in_a_subfolder_of_a_git_repo(tmp_path: Path) -> None:
    """A monorepo: the evidence root is a folder inside a larger git repository."""
    top = tmp_path / "mono"
    assert run_cli("init", str(top / "sub"), "--service", "Sub Service").exit_code == 0
    shutil.rmtree(top / "sub" / ".git")
    git(tmp_path, "init", "-q", str(top))
    sub = top / "sub"
    make_ready(sub)
    write(top, "OTHER.md", "other project files\n")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "monorepo")
    cov = json.loads(run_cli("coverage", "--format", "json", "--as-of", TODAY, cwd=sub).stdout)
    report = _report(sub, tmp_path / "out")
    assert cov["summary"]["ready"] == report["summary"]["ready"] == 1
    assert "OTHER.md" not in report["files"] and "policies/lone-working.md" in report["files"]
    (sub / "policies/lone-working.md").unlink()
    git(top, "add", "-A")
    assert run_cli("coverage", "--fail-on", "regression", "--as-of", TODAY, cwd=sub).exit_code == 1


def test_a_file_name_that_is_not_utf8_is_named_not_a_crash(
    ready_repo: Path, tmp_path: Path, keys: signing.KeyFiles
) -> None:
    """Linux lets a file name hold any bytes: validate names it, report leaves it out and says
    so (JSON cannot hold it; the tree id still covers it), and verify agrees."""
    odd = os.fsencode(ready_repo) + b"/evidence/files/\xff.md"
    with open(odd, "wb") as handle:
        handle.write(b"notes\n")
    git(ready_repo, "add", "-A")
    git(ready_repo, "commit", "-qm", "an attachment with a Latin-1 name")
    found = json.loads(
        run_cli("validate", "--format", "json", "--as-of", TODAY, cwd=ready_repo).stdout
    )["findings"]
    assert [(f["path"], f["rule"]) for f in found] == [("evidence/files/\\xff.md", "file-name")]
    assert "rename it using plain UTF-8" in found[0]["message"]
    out = tmp_path / "out"
    result = run_cli(
        "report",
        "--out",
        str(out),
        "--as-of",
        "2026-11-23",
        "--key",
        str(keys.private),
        cwd=ready_repo,
    )
    assert result.exit_code == 0, result.output
    assert "not UTF-8, so the report cannot list them: evidence/files/\\xff.md" in result.stderr
    data = json.loads((out / "readiness.json").read_text())
    assert data["summary"]["ready"] == 1 and not any("\\" in p for p in data["files"])
    verified = run_cli(
        "verify",
        str(out),
        "--allowed-signers",
        str(keys.allowed_signers),
        "--rebuild",
        cwd=ready_repo,
    )
    assert verified.exit_code == 0, verified.output


def test_report_files_are_rendered_and_published_as_given(
    ready_repo: Path, tmp_path: Path, keys: signing.KeyFiles
) -> None:
    """render.folder renders without touching disk; report.publish writes those bytes unchanged
    beside readiness.json, its signature and an in-toto statement over all but the signature."""
    from llcompliance.render.folder import report_files
    from llcompliance.report import build as report
    from llcompliance.report.publish import publish

    built = report.build(ready_repo, dt.date.fromisoformat(TODAY))
    out = tmp_path / "out"
    rendered = report_files(built.data, "../")
    assert list(rendered) == [
        "readiness.md",
        "readiness.html",
        "badge.json",
        "badge.svg",
        "readiness.docx",
        "readiness.xlsx",
    ]
    assert not out.exists()
    written = publish(
        out, built.json_bytes, rendered, built.data, signing.read_private_key(keys.private)
    )
    assert written.signed and written.summary == built.data["summary"]
    assert written.files == ("readiness.json", *rendered, "readiness.intoto.json", SIG_NAME)
    assert sorted(p.name for p in out.iterdir()) == sorted(written.files)
    assert (out / "readiness.json").read_bytes() == built.json_bytes
    for name, content in rendered.items():
        assert (out / name).read_bytes() == content
    statement = json.loads((out / "readiness.intoto.json").read_bytes())
    assert [s["name"] for s in statement["subject"]] == sorted(["readiness.json", *rendered]) + [
        "repo"
    ]


def test_link_base_is_recorded_so_the_folder_renders_again(
    ready_repo: Path, tmp_path: Path
) -> None:
    """Issue 12: links.base is in the signed JSON, so verify re-renders every file byte for byte."""
    out = tmp_path / "nested" / "out"
    data = _report(ready_repo, out)
    assert data["links"] == {"base": "../../evidence/"}
    for name, content in report_files(data, data["links"]["base"]).items():
        assert (out / name).read_bytes() == content, name
    again = _report(ready_repo, tmp_path / "other" / "place", "--link-base", "../../evidence/")
    assert again == data


# --- the accreditation object and the trend (DESIGN §9) ------------------------------------------

CYCLE = """\
manager_qualified: 2026-04-20
actions:
  - id: A1
    standard: HR2
    action: Check the lone working app covers visits near TN1 9ZZ
    owner: Service Manager
    due: 2026-11-16
  - id: A2
    standard: GV5
    action: Bring the contract register to the board
    owner: Chief Executive
    due: 2027-01-20
    done: 2026-11-19
"""


def test_report_carries_the_committed_accreditation_cycle(ready_repo: Path, tmp_path: Path) -> None:
    """Read from the commit, not the working tree; document values masked like the rest."""
    write(ready_repo, "accreditation.yaml", CYCLE)
    git(ready_repo, "add", "-A")
    git(ready_repo, "commit", "-qm", "accreditation cycle")
    write(ready_repo, "accreditation.yaml", CYCLE.replace("2026-04-20", "2025-01-01"))
    cycle = _report(ready_repo, tmp_path / "out")["accreditation"]
    assert cycle["present"] is True and cycle["valid"] is True
    assert cycle["application_due"] == "2027-04-20"  # the committed date, not the edited one
    assert cycle["actions"]["open"] == 1 and cycle["actions"]["overdue"] == 1
    first = cycle["actions"]["items"][0]
    assert first["overdue"] is True and first["action"].endswith("near TN* ***")
    page = (tmp_path / "out/readiness.html").read_text(encoding="utf-8")
    assert "Action A1 due" in page and "overdue by 7 days" in page and "9ZZ" not in page


def test_report_without_accreditation_yaml_says_so(ready_repo: Path, tmp_path: Path) -> None:
    if (ready_repo / "accreditation.yaml").exists():
        git(ready_repo, "rm", "-q", "accreditation.yaml")
        git(ready_repo, "commit", "-qm", "no cycle")
    write(ready_repo, "accreditation.yaml", CYCLE)  # uncommitted: not in the report
    data = _report(ready_repo, tmp_path / "out")
    assert data["accreditation"]["present"] is False
    assert data["accreditation"]["actions"]["items"] == []


def test_trend_stops_at_the_reported_commit(
    ready_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report on an older commit never sees later history, so verify --rebuild matches."""
    reported = git(ready_repo, "rev-parse", "HEAD").strip()
    for key in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(key, "2026-11-22T12:00:00+00:00")
    (ready_repo / "policies/lone-working.md").unlink()
    git(ready_repo, "add", "-A")
    git(ready_repo, "commit", "-qm", "later: policy removed")
    data = _report(ready_repo, tmp_path / "out", "--commit", reported)
    assert [p["commit"] for p in data["trend"]][-1] == reported
    assert all(p["date"] <= "2026-11-23" for p in data["trend"])
    assert data["trend"][-1] == {"date": "2026-11-23", "commit": reported, **data["summary"]}
    later = _report(ready_repo, tmp_path / "later")
    assert [(p["date"], p["ready"]) for p in later["trend"]] == [
        ("2026-11-20", 1),
        ("2026-11-22", 0),
        ("2026-11-23", 0),
    ]


def test_report_with_cycle_and_trend_verifies_with_rebuild(
    ready_repo: Path, tmp_path: Path, keys: signing.KeyFiles
) -> None:
    write(ready_repo, "accreditation.yaml", CYCLE)
    git(ready_repo, "add", "-A")
    git(ready_repo, "commit", "-qm", "accreditation cycle")
    out = tmp_path / "out"
    _report(ready_repo, out, "--key", str(keys.private))
    result = run_cli(
        "verify", str(out), "--allowed-signers", str(keys.allowed_signers), "--rebuild",
        cwd=ready_repo,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
