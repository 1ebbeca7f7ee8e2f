"""The guard end to end: file types, Office documents, history, staged content, and no leaked values."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import git, run_cli, write
from pdfs import encrypted, text_pdf

from llcompliance.core import config as config_mod
from llcompliance.core.config import ScanSettings
from llcompliance.core.findings import ERROR, WARNING, Finding
from llcompliance.guard.detectors import ScanRules
from llcompliance.guard.scan import path_allowed, scan_content, scan_staged, staged_contents

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
    assert {r["ruleId"] for r in results} == {"postcode", "phone", "ni-number"}
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
    assert rules == {"postcode", "document-author"}
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


# --------------------------------------------------------------------------------------------------
# Parts of documents the guard cannot read, and hostile XML

WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FICTIONAL_POSTCODE = "B33 8TH"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _document_xml(text: str, *, encoding: str = "UTF-8", doctype: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}" standalone="yes"?>{doctype}'
        f'<w:document xmlns:w="{WORD}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )


def _docx_parts(document: bytes, *, images: int = 0) -> bytes:
    """A minimal .docx built by hand (python-docx is not needed), with `images` screenshots."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>",
        )
        z.writestr("word/document.xml", document)
        for n in range(1, images + 1):
            z.writestr(f"word/media/image{n}.png", b"\x89PNG\r\n\x1a\n fictional screenshot")
    return buf.getvalue()


def _not_scanned(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule == "not-scanned"]


def test_docx_with_screenshots_is_never_called_clean(evidence_repo: Path) -> None:
    """Text-free screenshots in a .docx are a not-scanned warning, not a clean pass."""
    docx = _docx_parts(_document_xml("See the screenshots below.").encode(), images=2)
    findings, _ = scan_content("policies/casework.docx", docx, ScanSettings(), ScanRules())
    assert findings == [
        Finding(
            "policies/casework.docx",
            1,
            "not-scanned",
            WARNING,
            "2 embedded image(s) or object(s) not read: check them by eye (photos can carry a "
            "location)",
        )
    ]
    (evidence_repo / "policies/casework.docx").write_bytes(docx)
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 0
    assert "policies/casework.docx:1: not-scanned" in result.stdout
    assert "no personal data found" not in result.stdout
    assert "1 file could not be read by the guard" in result.stdout


def test_pdf_page_text_is_scanned(evidence_repo: Path) -> None:
    """A postcode in a PDF's page text is a finding, named by page; the PDF is no longer passed
    with a "check by hand" note."""
    data = text_pdf("Lone working policy", f"She moved to {FICTIONAL_POSTCODE} in May")
    findings, _ = scan_content("evidence/files/plan.pdf", data, ScanSettings(), ScanRules())
    assert [(f.rule, f.severity, f.message.split(":")[0]) for f in findings] == [
        ("postcode", ERROR, "in page 2")
    ]
    assert FICTIONAL_POSTCODE not in findings[0].message
    clean, _ = scan_content(
        "evidence/files/policy.pdf", text_pdf("Lone working policy"), ScanSettings(), ScanRules()
    )
    assert clean == []
    (evidence_repo / "evidence/files/plan.pdf").write_bytes(data)
    result = run_cli("scan", "evidence/files/plan.pdf", cwd=evidence_repo)
    assert result.exit_code == 1
    assert "evidence/files/plan.pdf:1: postcode: in page 2:" in result.stdout
    assert FICTIONAL_POSTCODE not in result.output


def test_encrypted_pdf_is_a_not_scanned_warning(evidence_repo: Path) -> None:
    """A PDF that needs a password is never called clean, whatever it holds."""
    data = encrypted(text_pdf(f"She moved to {FICTIONAL_POSTCODE}"), "client-secret")
    findings, _ = scan_content("policies/locked.pdf", data, ScanSettings(), ScanRules())
    assert [(f.rule, f.severity) for f in findings] == [("not-scanned", WARNING)]
    assert findings[0].message.startswith("the PDF is protected by a password")
    (evidence_repo / "policies/locked.pdf").write_bytes(data)
    result = run_cli("scan", cwd=evidence_repo)
    assert "policies/locked.pdf:1: not-scanned" in result.stdout
    assert "no personal data found" not in result.stdout


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj\n<< /Author (x) >>\nendobj\ntrailer << /Encrypt 5 0 R >>\n%%EOF\n",
        b"%PDF-1.4\n" + b"\x00\xff" * 300,
    ],
    ids=["damaged-encrypted", "junk"],
)
def test_unreadable_pdf_is_a_not_scanned_warning(data: bytes) -> None:
    findings, _ = scan_content("policies/broken.pdf", data, ScanSettings(), ScanRules())
    assert [(f.rule, f.severity) for f in findings] == [("not-scanned", WARNING)]
    assert findings[0].message.startswith("the PDF could not be read")


def test_pdf_author_is_still_reported_with_its_text() -> None:
    data = text_pdf("Lone working policy", info=b"<< /Author (Jane Doe) >>")
    findings, _ = scan_content("policies/plan.pdf", data, ScanSettings(), ScanRules())
    assert [f.rule for f in findings] == ["document-author"]


@pytest.mark.parametrize(
    ("codec", "declared"),
    [
        ("utf-8", "UTF-8"),
        ("utf-16", "UTF-16"),  # with a byte-order mark, as Word writes it
        ("utf-16", "UTF-8"),  # a byte-order mark and a declaration that disagrees
        ("utf-16-le", "UTF-16-LE"),  # no byte-order mark, a spelling expat does not know
        ("utf-16-be", "UTF-16BE"),
    ],
)
def test_utf16_docx_text_is_read(codec: str, declared: str) -> None:
    """XML parts saved as UTF-16 are read, whatever their declaration says: the postcode inside
    is found, not just reported as unreadable."""
    xml = _document_xml(f"She moved to {FICTIONAL_POSTCODE} in May", encoding=declared)
    docx = _docx_parts(xml.encode(codec))
    findings, _ = scan_content("policies/plan.docx", docx, ScanSettings(), ScanRules())
    assert [f.rule for f in findings] == ["postcode"]
    assert FICTIONAL_POSTCODE not in findings[0].message


LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(2, 10)).replace(
        "&lol1;", "&lol;"
    )
    + "]>"
)


@pytest.mark.parametrize(
    ("codec", "declared"), [("utf-8", "UTF-8"), ("utf-16", "UTF-16"), ("utf-16-le", "UTF-16LE")]
)
@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE w:document [<!ENTITY name "Darren Hughes">]>',
        LAUGHS,
        '<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/hostname">]>',
    ],
    ids=["entity", "billion-laughs", "external"],
)
def test_dtd_or_entity_bomb_in_a_docx_is_a_finding(codec: str, declared: str, doctype: str) -> None:
    """Refused by the XML parser in any encoding: a finding, never a crash, a hang or expansion."""
    entity = "&secret;" if "SYSTEM" in doctype else "&lol9;" if "lol9" in doctype else "&name;"
    xml = _document_xml(entity, encoding=declared, doctype=doctype)
    docx = _docx_parts(xml.encode(codec))
    findings, _ = scan_content("policies/odd.docx", docx, ScanSettings(), ScanRules())
    assert [(f.rule, f.severity) for f in findings] == [("not-scanned", WARNING)]
    assert "contains a DTD or entity declaration" in findings[0].message


# --------------------------------------------------------------------------------------------------
# scan.allow_paths: .gitignore patterns


@pytest.mark.parametrize(
    ("pattern", "path", "allowed"),
    [
        ("evidence/*.csv", "evidence/x.csv", True),
        ("evidence/*.csv", "evidence/sub/x.csv", False),  # `*` stays inside one folder
        ("evidence/**/*.csv", "evidence/sub/x.csv", True),
        ("evidence/**/*.csv", "evidence/x.csv", True),
        ("anonymised.csv", "evidence/files/anonymised.csv", True),  # no slash: any depth
        ("*.csv", "evidence/files/deep/x.csv", True),
        ("/anonymised.csv", "evidence/anonymised.csv", False),  # a leading slash anchors it
        ("evidence/*.csv", "other/evidence/x.csv", False),  # a slash anchors it at the root
    ],
)
def test_allow_paths_use_gitignore_patterns(pattern: str, path: str, allowed: bool) -> None:
    assert path_allowed(path, ScanSettings(allow_paths=(pattern,))) is allowed


def test_allow_paths_star_does_not_cross_folders_in_a_scan() -> None:
    settings = ScanSettings(allow_paths=("evidence/*.csv",))
    deep, _ = scan_content("evidence/sub/x.csv", b"a,b\n", settings, ScanRules())
    shallow, _ = scan_content("evidence/x.csv", b"a,b\n", settings, ScanRules())
    assert [f.rule for f in deep] == ["blocked-file-type"] and shallow == []


# --------------------------------------------------------------------------------------------------
# Staged content: the index, relative to the evidence root, in a plain repo and in a monorepo


def _monorepo(tmp_path: Path) -> tuple[Path, Path]:
    """A larger git repo whose folder `services/eastmere` is the evidence repo."""
    top = tmp_path / "mono"
    sub = top / "services" / "eastmere"
    assert run_cli("init", str(sub), "--service", "Eastmere Idva Service").exit_code == 0
    shutil.rmtree(sub / ".git")
    git(tmp_path, "init", "-q", str(top))
    return top, sub


@pytest.mark.parametrize("committed", [True, False], ids=["after-commits", "first-commit"])
def test_staged_contents_in_a_monorepo(tmp_path: Path, committed: bool) -> None:
    top, sub = _monorepo(tmp_path)
    write(top, "PROJECT.md", "the wider project\n")
    if committed:
        git(top, "add", "-A")
        git(top, "commit", "-qm", "start")
    write(sub, "policies/leak.md", LEAK)
    write(top, "other/leak.md", LEAK)  # outside the evidence repo: not this guard's business
    git(top, "add", "-A")
    write(sub, "policies/leak.md", "cleaned on disk but not staged\n")
    contents = staged_contents(sub)
    assert contents["policies/leak.md"] == LEAK.encode()
    if committed:
        assert sorted(contents) == ["policies/leak.md"]
    else:  # before the first commit, everything staged under the evidence root is new
        assert "llcompliance.yaml" in contents and "PROJECT.md" not in contents
    assert not any(p.startswith(("other/", "services/")) for p in contents)
    report = scan_staged(sub, config_mod.load(sub).scan)
    assert report.failed
    assert {f.path for f in report.findings if f.severity == ERROR} == {"policies/leak.md"}


def test_staged_contents_in_a_plain_repo(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/leak.md", LEAK)
    write(evidence_repo, "policies/new.md", "A new clean policy.\n")
    git(evidence_repo, "add", "policies/leak.md", "policies/new.md")
    write(evidence_repo, "policies/leak.md", "cleaned on disk but not staged\n")
    write(evidence_repo, "policies/unstaged.md", LEAK)
    (evidence_repo / "llcompliance.yaml").unlink()  # a staged deletion has nothing to scan
    git(evidence_repo, "add", "llcompliance.yaml")
    contents = staged_contents(evidence_repo)
    assert contents == {
        "policies/leak.md": LEAK.encode(),
        "policies/new.md": b"A new clean policy.\n",
    }


def test_staged_mode_change_is_scanned_and_unchanged_files_are_not(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/run.md", "steps\n")
    git(evidence_repo, "add", "policies/run.md")
    git(evidence_repo, "commit", "-qm", "add")
    assert staged_contents(evidence_repo) == {}
    git(evidence_repo, "update-index", "--chmod=+x", "policies/run.md")
    assert staged_contents(evidence_repo) == {"policies/run.md": b"steps\n"}


def test_scan_staged_through_the_cli_in_a_monorepo(tmp_path: Path) -> None:
    top, sub = _monorepo(tmp_path)
    git(top, "add", "-A")
    git(top, "commit", "-qm", "start")
    write(sub, "policies/leak.md", LEAK)
    git(top, "add", "-A")
    result = run_cli("scan", "--staged", cwd=sub)
    assert result.exit_code == 1 and "policies/leak.md:1: postcode" in result.stdout


def test_a_file_name_that_is_not_utf8_is_shown_escaped(evidence_repo: Path) -> None:
    """Printing such a path used to raise UnicodeEncodeError (exit 3) in every scan mode."""
    odd = os.fsencode(evidence_repo) + b"/evidence/files/\xff.md"
    with open(odd, "wb") as handle:
        handle.write(b"Call 07911 123456 after six.\n")
    git(evidence_repo, "add", "-A")
    for args in ((), ("--staged",)):
        result = run_cli("scan", *args, cwd=evidence_repo)
        assert result.exit_code == 1, (args, result.output)
        assert "evidence/files/\\xff.md:1: phone" in result.stdout
    git(evidence_repo, "commit", "-qm", "an attachment with a Latin-1 name")
    result = run_cli("scan", "--history", cwd=evidence_repo)
    assert result.exit_code == 1, result.output
    assert "evidence/files/\\xff.md:1: phone" in result.stdout


def test_the_guard_needs_no_catalogue() -> None:
    """Importing the guard never loads the catalogue, coverage or report stacks."""
    code = (
        "import sys, llcompliance.guard.scan, llcompliance.guard.detectors, llcompliance.guard.extract; "
        "print(sorted(m for m in sys.modules if m.startswith(('llcompliance.core.catalogue', "
        "'llcompliance.core.coverage', 'llcompliance.report', 'llcompliance.render'))))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
