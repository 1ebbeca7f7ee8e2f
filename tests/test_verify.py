"""Verification resists tampering: each attack is rejected with exit 1 and a plain reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import POLICY, git, make_ready, run_cli, write

from llcompliance.adapters import canonical
from llcompliance.report import signing
from llcompliance.report.build import JSON_NAME, SIG_NAME

PRINCIPAL = "ci@eastmere.example.org"


@pytest.fixture
def signed(evidence_repo: Path, tmp_path: Path) -> tuple[Path, Path, signing.KeyFiles]:
    make_ready(evidence_repo)
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "HR2 evidence")
    keys = signing.generate_keypair(tmp_path / "keys", PRINCIPAL)
    out = tmp_path / "report"
    result = run_cli(
        "report",
        "--out",
        str(out),
        "--key",
        str(keys.private),
        "--as-of",
        "2026-11-23",
        cwd=evidence_repo,
    )
    assert result.exit_code == 0, result.output
    return evidence_repo, out, keys


def _verify(repo: Path, out: Path, signers: Path, *extra: str) -> tuple[int, str]:
    result = run_cli("verify", str(out), "--allowed-signers", str(signers), *extra, cwd=repo)
    return result.exit_code, result.output


def _resign(out: Path, keys: signing.KeyFiles, edit: Callable[[dict], None]) -> None:
    """Edit the report and sign it again with the trusted key: a valid signature on lies."""
    data = json.loads((out / JSON_NAME).read_text())
    edit(data)
    body = canonical.dumps(data)
    (out / JSON_NAME).write_bytes(body)
    key = signing.read_private_key(keys.private)
    (out / SIG_NAME).write_text(signing.sign(body, key))


def test_genuine_report_verifies(signed: tuple[Path, Path, signing.KeyFiles]) -> None:
    repo, out, keys = signed
    code, text = _verify(repo, out, keys.allowed_signers, "--rebuild", "--principal", PRINCIPAL)
    assert code == 0, text
    assert "good signature by ci@eastmere.example.org" in text


def test_one_changed_byte(signed: tuple[Path, Path, signing.KeyFiles]) -> None:
    repo, out, keys = signed
    body = bytearray((out / JSON_NAME).read_bytes())
    body[body.index(b'"ready": 1') + 9] = ord("9")
    (out / JSON_NAME).write_bytes(bytes(body))
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 1 and "FAIL signature" in text


def test_unlisted_key(signed: tuple[Path, Path, signing.KeyFiles], tmp_path: Path) -> None:
    repo, out, _ = signed
    other = signing.generate_keypair(tmp_path / "other", PRINCIPAL)
    code, text = _verify(repo, out, other.allowed_signers)
    assert code == 1 and "not in allowed_signers" in text


def test_principal_mismatch(signed: tuple[Path, Path, signing.KeyFiles]) -> None:
    repo, out, keys = signed
    code, text = _verify(repo, out, keys.allowed_signers, "--principal", "someone@else.example.org")
    assert code == 1 and "FAIL signature" in text


def test_expired_key_line(signed: tuple[Path, Path, signing.KeyFiles], tmp_path: Path) -> None:
    repo, out, keys = signed
    line = keys.allowed_signers.read_text().replace(
        "namespaces=", 'valid-before="20200101",namespaces='
    )
    expired = tmp_path / "expired_signers"
    expired.write_text(line)
    code, text = _verify(repo, out, expired)
    assert code == 1 and "expired" in text


def test_wrong_namespace(signed: tuple[Path, Path, signing.KeyFiles]) -> None:
    repo, out, keys = signed
    key = signing.read_private_key(keys.private)
    (out / SIG_NAME).write_text(signing.sign((out / JSON_NAME).read_bytes(), key, namespace="file"))
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 1 and "namespace" in text


def test_missing_signature(signed: tuple[Path, Path, signing.KeyFiles]) -> None:
    repo, out, keys = signed
    (out / SIG_NAME).unlink()
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 1 and "not signed" in text


def test_signed_lie_about_file_digest(signed: tuple[Path, Path, signing.KeyFiles]) -> None:
    repo, out, keys = signed
    _resign(
        out,
        keys,
        lambda d: d["files"].__setitem__("policies/lone-working.md", "sha256:" + "0" * 64),
    )
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 1 and "FAIL files" in text and "policies/lone-working.md" in text


def test_signed_lie_about_state_caught_by_rebuild(
    signed: tuple[Path, Path, signing.KeyFiles],
) -> None:
    repo, out, keys = signed

    def promote(d: dict) -> None:
        for s in d["standards"]:
            if s["id"] == "SP1":
                s["state"] = "ready"
        d["summary"]["ready"] += 1
        d["summary"]["gap"] -= 1

    _resign(out, keys, promote)
    assert _verify(repo, out, keys.allowed_signers)[0] == 0  # digests alone cannot see it
    code, text = _verify(repo, out, keys.allowed_signers, "--rebuild")
    assert code == 1 and "SP1 says ready, is gap" in text


def test_commit_not_in_repo(signed: tuple[Path, Path, signing.KeyFiles]) -> None:
    repo, out, keys = signed
    _resign(out, keys, lambda d: d["source"].__setitem__("commit", "1" * 40))
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 1 and "not in this repo" in text


def test_lie_about_tree(signed: tuple[Path, Path, signing.KeyFiles]) -> None:
    repo, out, keys = signed
    _resign(out, keys, lambda d: d["source"].__setitem__("tree", "2" * 40))
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 1 and "lies about the commit" in text


def test_report_from_another_repo(
    signed: tuple[Path, Path, signing.KeyFiles], tmp_path: Path
) -> None:
    _, out, keys = signed
    other = tmp_path / "other-service"
    assert run_cli("init", str(other), "--service", "Other").exit_code == 0
    code, text = _verify(other, out, keys.allowed_signers)
    assert code == 1 and "not in this repo" in text


def test_file_changed_since_report_still_verifies_at_its_commit(
    signed: tuple[Path, Path, signing.KeyFiles],
) -> None:
    """The report describes its commit; later commits do not invalidate it."""
    repo, out, keys = signed
    write(repo, "policies/lone-working.md", POLICY + "\nEdited later.\n")
    git(repo, "commit", "-qam", "later edit")
    code, text = _verify(repo, out, keys.allowed_signers, "--rebuild")
    assert code == 0, text


def _commit_report_and_clone(repo: Path, out: Path, tmp_path: Path, name: str) -> Path:
    dest = repo / "reports" / "r1"
    dest.mkdir(parents=True)
    for item in out.iterdir():
        # a report as a Windows editor would have saved it before commit: CRLF in the working copy
        dest.joinpath(item.name).write_bytes(item.read_bytes())
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Add the readiness report")
    clone = tmp_path / name
    git(
        tmp_path,
        "-c",
        "core.autocrlf=true",
        "clone",
        "-q",
        "--config",
        "core.autocrlf=true",
        str(repo),
        str(clone),
    )
    return clone


def test_crlf_clone_verifies_thanks_to_gitattributes(
    signed: tuple[Path, Path, signing.KeyFiles], tmp_path: Path
) -> None:
    """A Windows clone (core.autocrlf=true) keeps the report's bytes: reports/** is -text."""
    repo, out, keys = signed
    clone = _commit_report_and_clone(repo, out, tmp_path, "windows-clone")
    assert b"\r\n" not in (clone / "reports/r1" / JSON_NAME).read_bytes()
    assert b"\r\n" in (clone / "policies/lone-working.md").read_bytes()  # autocrlf really applied
    code, text = _verify(clone, clone / "reports/r1", keys.allowed_signers, "--rebuild")
    assert code == 0, text


def test_crlf_clone_without_gitattributes_fails_clearly(
    signed: tuple[Path, Path, signing.KeyFiles], tmp_path: Path
) -> None:
    repo, out, keys = signed
    (repo / ".gitattributes").unlink()
    git(repo, "commit", "-qam", "drop .gitattributes")
    result = run_cli(
        "report", "--out", str(out), "--key", str(keys.private), "--as-of", "2026-11-23", cwd=repo
    )
    assert result.exit_code == 0
    clone = _commit_report_and_clone(repo, out, tmp_path, "plain-clone")
    assert b"\r\n" in (clone / "reports/r1" / JSON_NAME).read_bytes()
    code, text = _verify(clone, clone / "reports/r1", keys.allowed_signers)
    assert code == 1 and "FAIL signature" in text


def test_truncated_and_rearmored_signatures(signed: tuple[Path, Path, signing.KeyFiles]) -> None:
    repo, out, keys = signed
    original = (out / SIG_NAME).read_text()
    lines = original.strip().splitlines()
    body = "".join(lines[1:-1])
    rewrapped = (
        "\n".join([lines[0], *[body[i : i + 64] for i in range(0, len(body), 64)], lines[-1]])
        + "\n"
    )
    (out / SIG_NAME).write_text(rewrapped.replace("\n", "\r\n"))
    assert _verify(repo, out, keys.allowed_signers)[0] == 0  # same signature, other armor: fine
    (out / SIG_NAME).write_text("\n".join(original.splitlines()[:-3]) + "\n")
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 1 and "FAIL signature" in text


def test_signed_report_nested_100000_deep_fails_plainly(
    signed: tuple[Path, Path, signing.KeyFiles],
) -> None:
    """A genuine key can sign a hostile file: it fails the report check, it does not crash."""
    repo, out, keys = signed
    body = b"[" * 100_000 + b"]" * 100_000
    (out / JSON_NAME).write_bytes(body)
    (out / SIG_NAME).write_text(signing.sign(body, signing.read_private_key(keys.private)))
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 1, text
    assert "FAIL report: readiness.json is nested too deeply" in text


def test_signed_report_outside_the_schema_fails_the_report_check(
    signed: tuple[Path, Path, signing.KeyFiles],
) -> None:
    repo, out, keys = signed
    _resign(out, keys, lambda d: d["summary"].__setitem__("ready", "all of them"))
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 1 and "FAIL report:" in text and "summary.ready" in text
