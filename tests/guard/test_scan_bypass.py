"""Issue 12: nothing in a repo slips past the guard: configured patterns cannot hang it, NUL bytes,
UTF-32 and the signers file do not hide text, and file and folder names are scanned too."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, git, run_cli, write

from llcompliance.core.config import ScanSettings
from llcompliance.guard.detectors import ScanRules, scan_text
from llcompliance.guard.scan import scan_content

PHONE = "07911 123456"
NI = "AB123456C"


def _configure(repo: Path, patterns: list[str]) -> int:
    """Set scan.case_reference_patterns in llcompliance.yaml; returns the line of the first one."""
    config = repo / "llcompliance.yaml"
    lines = config.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if "case_reference_patterns" in line)
    lines[at : at + 1] = ["  case_reference_patterns:"] + [
        f"    - {json.dumps(p)}" for p in patterns
    ]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at + 2


# --------------------------------------------------------------------------------------------------
# Configured patterns


def test_a_configured_pattern_cannot_hang_the_scan(evidence_repo: Path) -> None:
    """`(a|aa)+$` backtracks exponentially in Python's re (past 20 s on 41 characters)."""
    _configure(evidence_repo, ["(a|aa)+$"])
    write(evidence_repo, "policies/notes.md", "a" * 60 + "b\n")
    code = (
        "import sys; from llcompliance.cli import run; sys.argv = ['llcompliance', 'scan']; run()"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=evidence_repo,
        capture_output=True,
        text=True,
        timeout=15,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_configured_patterns_still_find_references(evidence_repo: Path) -> None:
    _configure(evidence_repo, [r"\bHL-[0-9]{5}\b"])
    write(evidence_repo, "policies/notes.md", "Referral HL-12345 was closed.\n")
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 1 and "case-reference" in result.stdout
    assert "HL-12345" not in result.stdout


@pytest.mark.parametrize(
    ("pattern", "hint"),
    [
        (r"(?<!X)HL-\d{5}", "lookbehind"),
        (r"HL-(?=\d)\d{5}", "lookahead"),
        (r"(\d)\1{4}", "backreferences"),
        (r"HL-\d{5}\Z", r"\z"),
    ],
)
def test_a_pattern_the_safe_engine_refuses_is_a_config_error_at_its_line(
    evidence_repo: Path, pattern: str, hint: str
) -> None:
    line = _configure(evidence_repo, [r"\bOK-\d+", pattern])
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 2, result.output
    assert f"llcompliance.yaml:{line + 1}: case reference pattern" in result.stderr
    assert hint in result.stderr and "RE2" in result.stderr
    assert "Traceback" not in result.output


def test_the_hook_path_imports_no_regex_engine() -> None:
    """Without configured patterns, RE2 is never imported (the commit hook stays fast)."""
    code = textwrap.dedent(
        """
        import sys
        from llcompliance.core.config import from_data
        from llcompliance.guard import scan
        from llcompliance.guard.detectors import ScanRules, scan_text
        settings = from_data({"service": "S"}).scan
        scan.scan_content("a.md", b"Mobile 07911 123456", settings, scan.rules_from(settings))
        assert "re2" not in sys.modules, "re2 imported"
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# --------------------------------------------------------------------------------------------------
# Bytes that must not hide text


def _scan(path: str, data: bytes) -> list[tuple[str, int, str]]:
    found, _ = scan_content(path, data, ScanSettings(), ScanRules())
    return [(f.rule, f.line, f.severity) for f in found]


@pytest.mark.parametrize(
    "data",
    [
        b"\0Mobile " + PHONE.encode() + b"\n",  # one NUL at the start
        b"Notes\n\0\0\0\nMobile " + PHONE.encode() + b"\n",  # stray NULs from an export
        b"Mobile 07911\x00123456\n",  # a NUL inside the number
    ],
)
def test_nul_bytes_do_not_make_text_binary(data: bytes) -> None:
    assert ("phone", data.count(b"\n") if b"Notes" in data else 1, "error") in _scan("n.md", data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0" + bytes(range(256)),
        b"\x7fELF\x02\x01\x01\0" + bytes(range(256)) * 4,
        b"SQLite format 3\0\x10\0\x01\x01\0@  \0\0\0\x02" + bytes(range(32)) * 8,
    ],
)
def test_a_real_binary_is_still_not_scanned(data: bytes) -> None:
    assert _scan("blob.bin", data) == [("not-scanned", 1, "note")]


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-le", "utf-32-be", "utf-16", "utf-16-le"])
def test_utf32_and_utf16_text_is_read(codec: str) -> None:
    """UTF-32's byte-order mark starts like UTF-16's: it was decoded as UTF-16 and passed."""
    data = f"Notes\nMobile {PHONE}\n".encode(codec)
    assert ("phone", 2, "error") in _scan("n.txt", data)


def test_allowed_signers_is_scanned_with_its_principals_allowed(evidence_repo: Path) -> None:
    signers = evidence_repo / ".llcompliance" / "allowed_signers"
    signers.write_text(
        signers.read_text(encoding="utf-8")
        + 'sign@eastmere-idva.org.uk,deputy@eastmere-idva.org.uk namespaces="readiness-report@'
        'llcompliance" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx readiness\n',
        encoding="utf-8",
    )
    assert run_cli("scan", cwd=evidence_repo).exit_code == 0
    # a principal is allowed in that file only, and nothing else in it is
    write(evidence_repo, "policies/contacts.md", "Ask sign@eastmere-idva.org.uk.\n")
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 1 and "policies/contacts.md:1: email" in result.stdout
    (evidence_repo / "policies/contacts.md").unlink()
    signers.write_text(
        signers.read_text(encoding="utf-8") + f"# keyholder mobile {PHONE}\n", encoding="utf-8"
    )
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 1 and ".llcompliance/allowed_signers:" in result.stdout
    assert PHONE not in result.stdout


def test_llcompliance_yaml_is_scanned_with_its_own_allowlists(evidence_repo: Path) -> None:
    """The service's published contacts in its config pass; anything else in it is a finding."""
    config = evidence_repo / "llcompliance.yaml"
    text = config.read_text(encoding="utf-8").replace(
        'phones: []          # e.g. "01632 960123"', 'phones: ["0117 496 0123"]'
    )
    config.write_text(text, encoding="utf-8")
    assert run_cli("scan", cwd=evidence_repo).exit_code == 0
    config.write_text(text + f"# manager's mobile {PHONE}\n", encoding="utf-8")
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 1 and "llcompliance.yaml:" in result.stdout


# --------------------------------------------------------------------------------------------------
# File and folder names

LEAKY_NAMES = [
    f"evidence/files/Jane Roe {NI}.pdf",
    f"evidence/files/NI {NI} tel {PHONE}.txt",
    "evidence/files/tel_07911123456.md",
    "evidence/Jane-Roe-SW1A-1AA/notes.md",
    "evidence/files/jane.roe@gmail.com.md",
    "evidence/files/Jane Roe DOB 03-02-2011.md",
    "evidence/files/NHS 943 476 5919 letter.md",
]


def _values(name: str) -> list[str]:
    return [
        v
        for v in (NI, PHONE, "07911123456", "SW1A-1AA", "jane.roe@gmail.com", "03-02-2011")
        + ("943 476 5919",)
        if v in name
    ]


@pytest.mark.parametrize("name", LEAKY_NAMES)
def test_personal_data_in_a_file_name_is_found_and_masked(evidence_repo: Path, name: str) -> None:
    write(evidence_repo, name, "Nothing personal in here.\n")
    for args in (("scan",), ("scan", "evidence"), ("scan", "--format", "json")):
        result = run_cli(*args, cwd=evidence_repo)
        assert result.exit_code == 1, (args, result.output)
        assert ":0:" in result.stdout or '"line": 0' in result.stdout
        for value in _values(name):
            assert value not in result.output
    git(evidence_repo, "add", "-A")
    staged = run_cli("scan", "--staged", cwd=evidence_repo)
    assert staged.exit_code == 1 and "in the file or folder name" in staged.stdout


def test_a_name_in_history_is_found_after_a_rename(evidence_repo: Path) -> None:
    write(evidence_repo, f"evidence/files/Jane Roe {NI}.md", "Nothing personal in here.\n")
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "add")
    git(evidence_repo, "mv", f"evidence/files/Jane Roe {NI}.md", "evidence/files/notes.md")
    git(evidence_repo, "commit", "-qm", "rename")
    assert run_cli("scan", cwd=evidence_repo).exit_code == 0
    result = run_cli("scan", "--history", cwd=evidence_repo)
    assert result.exit_code == 1 and "ni-number" in result.stdout and "added in" in result.stdout
    assert NI not in result.output


def test_content_findings_of_a_leaky_name_are_masked_too(evidence_repo: Path) -> None:
    write(evidence_repo, f"evidence/files/Jane Roe {NI}.md", f"Mobile {PHONE}\n")
    result = run_cli("scan", cwd=evidence_repo)
    assert "evidence/files/Jane Roe AB******C.md:1: phone" in result.stdout
    assert NI not in result.output


@pytest.mark.parametrize(
    "name",
    [
        "policies/2024-05-01-lone-working.md",
        "evidence/files/IMG_20240501_123456.jpg.md",
        "evidence/files/board-minutes-2025-03-12-v2.1.md",
        "evidence/files/helpline 0808 2000 247.md",
        "evidence/files/drama 07700 900123.md",
        "standards/SP1-safety-planning.md",
        "evidence/files/ISBN 978-0-306-40615-7.md",
    ],
)
def test_ordinary_names_are_not_findings(evidence_repo: Path, name: str) -> None:
    write(evidence_repo, name, "Nothing personal in here.\n")
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 0, result.stdout


def test_a_disabled_rule_is_not_applied_to_names() -> None:
    from llcompliance.guard.detectors import scan_name

    assert scan_name(f"x/{PHONE}.md", ScanRules(disabled_rules=frozenset({"phone"}))).matches == ()
    assert scan_text(f"{PHONE}", ScanRules(disabled_rules=frozenset({"phone"}))).matches == ()
