"""The guard end to end: file types, Office documents, history, staged content, and no leaked values."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from conftest import git, run_cli, write

POSTCODE = "SW1A 1AA"
PHONE = "07911 123456"
NI = "AB 12 34 56 C"
LEAK = f"The client moved to 4 Mill Lane, {POSTCODE}; mobile {PHONE}; NI {NI}.\n"


def _docx(comment: str, creator: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Lone working policy</w:t></w:r></w:p></w:body></w:document>",
        )
        z.writestr(
            "word/comments.xml",
            '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:comment><w:p><w:r><w:t>{comment}</w:t></w:r></w:p></w:comment></w:comments>",
        )
        z.writestr(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{creator}</dc:creator></cp:coreProperties>',
        )
    return buf.getvalue()


def test_template_scans_clean(evidence_repo: Path) -> None:
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 0, result.stdout
    assert "no personal data found" in result.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_findings_never_show_the_full_value(evidence_repo: Path, fmt: str) -> None:
    write(evidence_repo, "policies/leak.md", LEAK)
    result = run_cli("scan", "--format", fmt, cwd=evidence_repo)
    assert result.exit_code == 1
    for value in (
        POSTCODE,
        PHONE,
        NI,
        POSTCODE.replace(" ", ""),
        PHONE.replace(" ", ""),
        NI.replace(" ", ""),
    ):
        assert value not in result.output
    for rule in ("postcode", "phone", "ni-number"):
        assert rule in result.output


def test_sarif_structure(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/leak.md", LEAK)
    log = json.loads(run_cli("scan", "--format", "sarif", cwd=evidence_repo).stdout)
    assert log["version"] == "2.1.0"
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"postcode", "phone", "ni-number"}
    rules = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    for r in results:
        assert rules[r["ruleIndex"]] == r["ruleId"]
        assert (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "policies/leak.md"
        )


def test_github_annotations(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/leak.md", LEAK)
    lines = run_cli("scan", "--format", "github", cwd=evidence_repo).stdout.splitlines()
    assert lines and all(
        line.startswith("::error file=policies/leak.md,line=1,title=llcompliance ")
        for line in lines
    )


def test_export_file_blocked_unless_allowed(evidence_repo: Path) -> None:
    """The template's .gitignore keeps exports out; a forced add is still blocked by the guard."""
    write(evidence_repo, "evidence/files/clients.csv", "id,count\nA,3\n")
    assert git(evidence_repo, "status", "--porcelain") == ""  # ignored by the template
    git(evidence_repo, "add", "-f", "evidence/files/clients.csv")
    result = run_cli("scan", "--staged", cwd=evidence_repo)
    assert result.exit_code == 1 and "blocked-file-type" in result.stdout
    assert run_cli("scan", "evidence/files/clients.csv", cwd=evidence_repo).exit_code == 1
    config = (
        (evidence_repo / "llcompliance.yaml")
        .read_text()
        .replace("allow_paths: []", 'allow_paths: ["evidence/files/*.csv"]')
    )
    write(evidence_repo, "llcompliance.yaml", config)
    assert run_cli("scan", "--staged", cwd=evidence_repo).exit_code == 0


def test_docx_comment_and_author_are_read(evidence_repo: Path) -> None:
    (evidence_repo / "policies/lone-working.docx").write_bytes(
        _docx(f"visit at {POSTCODE}", "Jane Example")
    )
    result = run_cli("scan", "--format", "json", cwd=evidence_repo)
    findings = json.loads(result.stdout)["findings"]
    rules = {f["rule"] for f in findings if f["path"] == "policies/lone-working.docx"}
    assert {"postcode", "document-author"} <= rules
    assert POSTCODE not in result.stdout


def test_inline_marker_needs_a_reason_and_is_counted(evidence_repo: Path) -> None:
    write(
        evidence_repo,
        "policies/contact.md",
        f"Call the office on {PHONE} llcompliance: allow phone — our published office number\n",
    )
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 0, result.stdout
    assert "1 allowed by inline markers" in result.stdout
    write(evidence_repo, "policies/contact.md", f"Call {PHONE} llcompliance: allow phone\n")
    assert run_cli("scan", cwd=evidence_repo).exit_code == 1


def test_service_published_contacts_allowed(evidence_repo: Path) -> None:
    write(
        evidence_repo,
        "policies/contact.md",
        f"Referrals: {PHONE} or office@eastmere-idva.example.com\n",
    )
    config = (
        (evidence_repo / "llcompliance.yaml")
        .read_text()
        .replace('phones: []          # e.g. "01632 960123"', f'phones: ["{PHONE}"]')
    )
    write(evidence_repo, "llcompliance.yaml", config)
    assert run_cli("scan", cwd=evidence_repo).exit_code == 0


def test_history_finds_removed_data_and_names_commits(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/leak.md", LEAK)
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "oops")
    bad = git(evidence_repo, "rev-parse", "HEAD").strip()
    (evidence_repo / "policies/leak.md").unlink()
    git(evidence_repo, "commit", "-qam", "remove it")
    assert run_cli("scan", cwd=evidence_repo).exit_code == 0
    result = run_cli("scan", "--history", cwd=evidence_repo)
    assert result.exit_code == 1
    assert f"added in {bad[:10]}" in result.stdout
    assert "git filter-repo" in result.stdout and "force" in result.stdout.lower()
    assert POSTCODE not in result.stdout


def test_staged_scans_the_index_not_the_disk(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/leak.md", LEAK)
    git(evidence_repo, "add", "policies/leak.md")
    write(evidence_repo, "policies/leak.md", "cleaned on disk but not staged\n")
    result = run_cli("scan", "--staged", cwd=evidence_repo)
    assert result.exit_code == 1 and "postcode" in result.stdout


def test_binary_file_is_noted_not_guessed(evidence_repo: Path) -> None:
    (evidence_repo / "evidence/files/blob.bin").write_bytes(b"\x00\x01\x02" * 100)
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 0
    assert "not-scanned" in result.stdout and "check them by hand" in result.stdout


def test_utf16_text_is_read(evidence_repo: Path) -> None:
    """Notepad's "Unicode" (UTF-16) must not slip past the guard, with or without a BOM."""
    (evidence_repo / "policies/notes.txt").write_bytes(LEAK.encode("utf-16"))
    (evidence_repo / "policies/notes-le.txt").write_bytes(LEAK.encode("utf-16-le"))
    result = run_cli("scan", "--format", "json", cwd=evidence_repo)
    paths = {f["path"] for f in json.loads(result.stdout)["findings"] if f["rule"] == "postcode"}
    assert paths == {"policies/notes.txt", "policies/notes-le.txt"}


@pytest.mark.parametrize("name", ["export.zip", "old-policy.doc", "slides.ppt"])
def test_archives_and_old_office_files_are_blocked(evidence_repo: Path, name: str) -> None:
    (evidence_repo / "policies" / name).write_bytes(b"PK\x03\x04 or OLE bytes \x00\x01")
    result = run_cli("scan", f"policies/{name}", cwd=evidence_repo)
    assert result.exit_code == 1 and "blocked-file-type" in result.stdout


def test_unread_files_are_never_called_clean(evidence_repo: Path) -> None:
    (evidence_repo / "evidence/files/blob.bin").write_bytes(b"\x00\x01\x02" * 100)
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 0
    assert "no personal data found" not in result.stdout and "check them by hand" in result.stdout


def test_scan_a_folder_and_a_missing_path(evidence_repo: Path) -> None:
    write(evidence_repo, "evidence/files/leak.md", LEAK)
    result = run_cli("scan", "evidence", cwd=evidence_repo)
    assert result.exit_code == 1 and "evidence/files/leak.md" in result.stdout
    missing = run_cli("scan", "policies/typo.md", cwd=evidence_repo)
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_config_file_is_scanned_but_its_allowlist_is_not_flagged(evidence_repo: Path) -> None:
    config = (evidence_repo / "llcompliance.yaml").read_text()
    write(
        evidence_repo,
        "llcompliance.yaml",
        config.replace('phones: []          # e.g. "01632 960123"', f'phones: ["{PHONE}"]'),
    )
    assert run_cli("scan", "llcompliance.yaml", cwd=evidence_repo).exit_code == 0
    write(evidence_repo, "llcompliance.yaml", config + f"# the client at {POSTCODE} called\n")
    assert run_cli("scan", "llcompliance.yaml", cwd=evidence_repo).exit_code == 1


def test_history_and_staged_need_git_and_commits(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    write(plain, "llcompliance.yaml", "service: X\n")
    for flag in ("--history", "--staged"):
        result = run_cli("scan", flag, cwd=plain)
        assert result.exit_code == 2 and "git" in result.stderr
    git(tmp_path, "init", "-q", str(plain))
    result = run_cli("scan", "--history", cwd=plain)
    assert result.exit_code == 2 and "no commits yet" in result.stderr
