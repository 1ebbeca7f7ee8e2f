"""Verification resists tampering: each attack is rejected with exit 1 and a plain reason."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import POLICY, ROOT, git, make_ready, run_cli, write

from llcompliance.adapters import canonical
from llcompliance.render.folder import report_files
from llcompliance.report import signing
from llcompliance.report.build import JSON_NAME, SIG_NAME
from llcompliance.report.publish import publish
from llcompliance.report.verify import verify_report

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


def _resign(
    out: Path, keys: signing.KeyFiles, edit: Callable[[dict], None], *, render: bool = True
) -> None:
    """Edit the report, sign it again with the trusted key and render the folder from it, as
    the toolkit would: a valid signature on lies, with every file consistent with them."""
    data = json.loads((out / JSON_NAME).read_text())
    edit(data)
    body = canonical.dumps(data)
    key = signing.read_private_key(keys.private)
    if not render:
        (out / JSON_NAME).write_bytes(body)
        (out / SIG_NAME).write_text(signing.sign(body, key))
        return
    publish(out, body, report_files(data, data.get("links", {}).get("base", "")), data, key)


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
    _resign(out, keys, lambda d: d["summary"].__setitem__("ready", "all of them"), render=False)
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 1 and "FAIL report:" in text and "summary.ready" in text


# --- issue 12: what a genuine signature must not vouch for --------------------------------------


IMPOSTOR = """\
id: leading-lights
version: "2024.1"
title: Leading Lights standards for community-based domestic abuse services
short_name: Leading Lights
sections:
  - id: human-resources
    title: Human resources
    spirit: "Well-supported staff."
standards:
  - id: HR2
    section: human-resources
    title: Managing risks to staff
    statement: "The service manages risks to staff."
    guidance: ["A lone-working policy."]
"""


def test_repo_catalogue_cannot_take_a_builtin_id(evidence_repo: Path) -> None:
    """A one-standard catalogue named leading-lights would give '1 of 1 ready' and a green badge."""
    write(evidence_repo, "catalogues/ll.yaml", IMPOSTOR)
    config = evidence_repo / "llcompliance.yaml"
    config.write_text(
        config.read_text().replace(
            "catalogues:\n  - leading-lights", "catalogues:\n  - catalogues/ll.yaml"
        )
    )
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "our own catalogue")
    result = run_cli(
        "report",
        "--out",
        str(evidence_repo.parent / "r"),
        "--as-of",
        "2026-11-23",
        cwd=evidence_repo,
    )
    assert result.exit_code == 2, result.output
    assert (
        "catalogues/ll.yaml: id 'leading-lights' belongs to a built-in catalogue" in result.stderr
    )
    assert "Traceback" not in result.output
    assert not (evidence_repo.parent / "r").exists()


def test_report_naming_a_builtin_catalogue_must_carry_its_digest(
    signed: tuple[Path, Path, signing.KeyFiles],
) -> None:
    repo, out, keys = signed
    _resign(out, keys, lambda d: d["framework"].__setitem__("digest", "sha256:" + "3" * 64))
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 1 and "FAIL framework" in text
    assert "names the built-in catalogue 'leading-lights' but its digest is not" in text


def test_genuine_folder_passes_the_folder_check(
    signed: tuple[Path, Path, signing.KeyFiles],
) -> None:
    repo, out, keys = signed
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 0, text
    assert "ok   folder: 7 other file(s) are exactly what readiness.json renders" in text


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("readiness.html", lambda b: b.replace(b"</h1>", b" - All 23 standards READY</h1>", 1)),
        ("readiness.md", lambda b: b + b"\nAll 23 standards are ready.\n"),
        ("badge.svg", lambda b: b.replace(b"1/23", b"23/23")),
        ("badge.json", lambda b: b.replace(b"1/23", b"23/23")),
        ("readiness.intoto.json", lambda b: b.replace(b'"ready": 1', b'"ready": 23')),
    ],
)
def test_edited_rendered_file_fails(
    signed: tuple[Path, Path, signing.KeyFiles], name: str, edit: Callable[[bytes], bytes]
) -> None:
    """Issue 12: only readiness.json was covered; an edited page still read 'genuine'."""
    repo, out, keys = signed
    before = (out / name).read_bytes()
    (out / name).write_bytes(edit(before))
    assert (out / name).read_bytes() != before
    code, text = _verify(repo, out, keys.allowed_signers, "--rebuild")
    assert code == 1, text
    assert f"FAIL folder: {name} differs from what readiness.json renders" in text
    assert "did NOT verify" in text


def test_extra_file_or_folder_in_the_report_fails(
    signed: tuple[Path, Path, signing.KeyFiles],
) -> None:
    repo, out, keys = signed
    (out / "summary-for-funders.html").write_text("<h1>All 23 standards READY</h1>\n")
    (out / "extra").mkdir()
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 1
    assert "summary-for-funders.html is not a file the toolkit makes" in text
    assert "extra/ is a folder the toolkit does not make" in text


def test_folder_without_links_base_cannot_be_checked(
    signed: tuple[Path, Path, signing.KeyFiles],
) -> None:
    """A report that does not record its link base cannot have its Markdown rendered again."""
    repo, out, keys = signed
    data = json.loads((out / JSON_NAME).read_text())
    del data["links"]
    body = canonical.dumps(data)
    (out / JSON_NAME).write_bytes(body)
    (out / SIG_NAME).write_text(signing.sign(body, signing.read_private_key(keys.private)))
    code, text = _verify(repo, out, keys.allowed_signers)
    assert (
        code == 1 and "readiness.md cannot be checked: readiness.json records no links.base" in text
    )


def test_links_to_another_place_than_the_commit_fail(
    signed: tuple[Path, Path, signing.KeyFiles],
) -> None:
    repo, out, keys = signed
    result = run_cli(
        "report",
        "--out",
        str(out),
        "--key",
        str(keys.private),
        "--as-of",
        "2026-11-23",
        "--link-base",
        "https://forge.example.org/eastmere/evidence/blob/main/",
        cwd=repo,
    )
    assert result.exit_code == 0, result.output
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 1 and "which does not name commit" in text


def test_report_in_the_repo_and_github_links_verify_with_rebuild(
    signed: tuple[Path, Path, signing.KeyFiles], monkeypatch: pytest.MonkeyPatch
) -> None:
    """links.base is signed, so verify renders the same files wherever the report was written."""
    repo, _, keys = signed
    out = repo / "reports" / "2026-11-23"
    assert (
        run_cli(
            "report",
            "--out",
            str(out),
            "--key",
            str(keys.private),
            "--as-of",
            "2026-11-23",
            cwd=repo,
        ).exit_code
        == 0
    )
    assert json.loads((out / JSON_NAME).read_text())["links"] == {"base": "../../"}
    code, text = _verify(repo, out, keys.allowed_signers, "--rebuild")
    assert code == 0, text
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "eastmere/evidence")
    assert (
        run_cli(
            "report",
            "--out",
            str(out),
            "--key",
            str(keys.private),
            "--as-of",
            "2026-11-23",
            cwd=repo,
        ).exit_code
        == 0
    )
    commit = git(repo, "rev-parse", "HEAD").strip()
    base = json.loads((out / JSON_NAME).read_text())["links"]["base"]
    assert base == f"https://github.com/eastmere/evidence/blob/{commit}/"
    code, text = _verify(repo, out, keys.allowed_signers, "--rebuild")
    assert code == 0, text


def test_report_refuses_an_as_of_before_its_commit(evidence_repo: Path, tmp_path: Path) -> None:
    """Issue 12: `report --as-of 2024-06-01` on a 2026 commit made expired evidence current."""
    result = run_cli(
        "report", "--out", str(tmp_path / "r"), "--as-of", "2024-06-01", cwd=evidence_repo
    )
    assert result.exit_code == 2
    assert "--as-of 2024-06-01 is before the date of commit" in result.stderr
    assert "(2026-11-20)" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "r").exists()
    # the day before, in a time zone far enough west, is still the commit's day somewhere
    assert (
        run_cli(
            "report", "--out", str(tmp_path / "r"), "--as-of", "2026-11-20", cwd=evidence_repo
        ).exit_code
        == 0
    )


def test_back_dated_report_fails_verify(signed: tuple[Path, Path, signing.KeyFiles]) -> None:
    repo, out, keys = signed
    _resign(out, keys, lambda d: d.__setitem__("as_of", "2024-06-01"))
    for extra in ((), ("--rebuild",)):
        code, text = _verify(repo, out, keys.allowed_signers, *extra)
        assert code == 1, text
        assert "FAIL as_of: the report is as of 2024-06-01, before commit" in text
        assert "back-dated" in text and "Traceback" not in text


def test_verify_prints_signer_as_of_and_commit_date(
    signed: tuple[Path, Path, signing.KeyFiles],
) -> None:
    repo, out, keys = signed
    code, text = _verify(repo, out, keys.allowed_signers)
    assert code == 0, text
    assert f"Signed by: {PRINCIPAL} ({keys.fingerprint})" in text
    assert "As of: 2026-11-23" in text
    assert "committed 2026-11-20T12:00:00+00:00" in text
    code, text = _verify(repo, out, keys.allowed_signers, "--format", "json")
    shown = json.loads(text)
    assert shown["ok"] is True and shown["as_of"] == "2026-11-23"
    assert shown["commit_date"] == "2026-11-20T12:00:00+00:00"
    assert shown["signer"] == {"principal": PRINCIPAL, "fingerprint": keys.fingerprint}
    assert shown["commit"] == git(repo, "rev-parse", "HEAD").strip()


def test_max_age(signed: tuple[Path, Path, signing.KeyFiles]) -> None:
    repo, out, keys = signed
    on = lambda day, days: verify_report(  # noqa: E731
        out, keys.allowed_signers, repo, max_age=days, today=dt.date.fromisoformat(day)
    )
    assert on("2027-02-21", 90).ok
    late = on("2027-02-22", 90)
    assert not late.ok
    assert (
        "the report is as of 2026-11-23, 91 days before 2027-02-22: older than --max-age 90"
        in {c.detail for c in late.checks if not c.ok}.pop()
    )
    code, text = _verify(repo, out, keys.allowed_signers, "--max-age", "0")  # any day after it
    assert code == 1 and "FAIL age" in text
    code, text = _verify(repo, out, keys.allowed_signers, "--max-age", "-1")
    assert code == 2


def test_ref_checks_the_commit_is_on_the_branch(
    signed: tuple[Path, Path, signing.KeyFiles], tmp_path: Path
) -> None:
    repo, out, keys = signed
    code, text = _verify(repo, out, keys.allowed_signers, "--ref", "main")
    assert code == 0 and "ok   ref: commit" in text and "is on main" in text
    git(repo, "checkout", "-qb", "side")
    write(repo, "policies/lone-working.md", POLICY + "\nNot approved.\n")
    git(repo, "commit", "-qam", "unapproved edit")
    side = tmp_path / "side-report"
    result = run_cli(
        "report", "--out", str(side), "--key", str(keys.private), "--as-of", "2026-11-23", cwd=repo
    )
    assert result.exit_code == 0, result.output
    code, text = _verify(repo, side, keys.allowed_signers, "--ref", "main")
    assert code == 1 and "FAIL ref: commit" in text and "is not on main" in text
    code, text = _verify(repo, side, keys.allowed_signers, "--ref", "origin/nowhere")
    assert code == 1 and "origin/nowhere is not a branch or commit in this repo" in text


def test_principal_pins_one_service_among_several_keys(
    signed: tuple[Path, Path, signing.KeyFiles], tmp_path: Path
) -> None:
    """Issue 12: with two services' keys in one allowed_signers, B's key must not pass for A."""
    repo, out, keys = signed
    other = signing.generate_keypair(tmp_path / "other", "ci@westmere.example.org")
    both = tmp_path / "allowed_signers"
    both.write_text(keys.allowed_signers.read_text() + other.allowed_signers.read_text())
    data = (out / JSON_NAME).read_bytes()
    (out / SIG_NAME).write_text(signing.sign(data, signing.read_private_key(other.private)))
    assert _verify(repo, out, both)[0] == 0  # any trusted key: why --principal is shown
    code, text = _verify(repo, out, both, "--principal", PRINCIPAL)
    assert code == 1 and "FAIL signature" in text


def test_readme_verify_pins_the_signer() -> None:
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start for an assessor")[1].split("\n## ")[0]
    quick = quick.replace("\\\n", " ")  # shell line continuations
    assert "llcompliance verify reports/" in quick
    assert all(
        "--principal" in line for line in quick.splitlines() if "llcompliance verify " in line
    )
