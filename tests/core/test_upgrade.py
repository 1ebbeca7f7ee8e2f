"""`llcompliance upgrade`: a format-1 repo brought to format 2 by text edits, pins moved, nothing guessed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA, TODAY, git, run_cli, write

from llcompliance.adapters import resources
from llcompliance.commands import demo
from llcompliance.core import upgrade
from llcompliance.errors import UsageError

FORMAT_1 = DATA / "format-1-repo"
OLD_POLICY = "policies/lone-working.md"
OLD_RECORD = "evidence/lone-working-checks.yaml"
# The keys upgrade rewrites: their lines may change; every other line must survive as it was.
REWRITTEN = ("approved:", "approved_by:", "rev:", "uses: llcompliance/llcompliance/", "format:")


def _files(repo: Path) -> dict[str, bytes]:
    return {
        p.relative_to(repo).as_posix(): p.read_bytes()
        for p in sorted(repo.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(repo).parts[:1]
    }


@pytest.fixture
def old_repo(tmp_path: Path) -> Path:
    """A repo made from an earlier template (tests/data/format-1-repo), committed."""
    repo = tmp_path / "old"
    shutil.copytree(FORMAT_1, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Evidence from the earlier template")
    return repo


def test_check_finds_an_upgrade_due_and_changes_nothing(old_repo: Path) -> None:
    before = _files(old_repo)
    result = run_cli("--repo", str(old_repo), "upgrade", "--check")
    assert result.exit_code == 1, result.output
    assert "An upgrade is due (format 1 to 2)" in result.stdout
    assert "+ format: 2" in result.stdout
    assert _files(old_repo) == before
    assert git(old_repo, "status", "--porcelain") == ""


def test_upgrade_leaves_only_what_a_person_decides(old_repo: Path) -> None:
    """After upgrade, validate's findings are exactly upgrade's person-decides list."""
    result = run_cli("--repo", str(old_repo), "upgrade")
    assert result.exit_code == 0, result.output
    assert "Upgraded (format 1 to 2): changed 4 files" in result.stdout
    assert f"{OLD_RECORD}:3: evidence-kind: add `kind: record`" in result.stdout
    assert "`collected: 2026-10-05` says when it was gathered" in result.stdout
    validated = run_cli("--repo", str(old_repo), "validate", "--as-of", TODAY, "--format", "json")
    findings = json.loads(validated.stdout)["findings"]
    assert [(f["path"], f["rule"]) for f in findings] == [(OLD_RECORD, "evidence-kind")]
    record = (old_repo / OLD_RECORD).read_text()
    assert "kind:" not in record and "\ndate:" not in record  # never guessed
    policy = (old_repo / OLD_POLICY).read_text()
    assert (
        "approved:\n  date: 2026-03-10   # board minutes, item 4\n  by: Board of trustees\n"
        in policy
    )
    config = (old_repo / "llcompliance.yaml").read_text()
    assert config.startswith("# llcompliance settings for this evidence repo.")
    assert config.splitlines()[1] == "format: 2"


def test_no_line_of_content_is_lost(old_repo: Path) -> None:
    before = _files(old_repo)
    assert run_cli("--repo", str(old_repo), "upgrade").exit_code == 0
    after = _files(old_repo)
    assert after.keys() == before.keys()
    for path, old in before.items():
        new_lines = set(after[path].decode().splitlines())
        for line in old.decode().splitlines():
            if not line.strip().lstrip("- ").startswith(REWRITTEN):
                assert line in new_lines, f"{path}: lost {line!r}"
    # the rewritten keys keep their values (and the comment on the date)
    policy = after[OLD_POLICY].decode()
    assert "date: 2026-03-10   # board minutes, item 4" in policy
    assert "by: Board of trustees" in policy
    assert "approved_by" not in policy
    assert b"rev: v0.1.0" in after[".pre-commit-config.yaml"]
    workflow = after[".github/workflows/readiness.yml"].decode()
    assert f"readiness@{'0' * 40} # v0.1.0" in workflow
    assert "1111111111" not in workflow
    # the diff touches only the rewritten lines
    diff = git(old_repo, "diff", "--unified=0")
    changed = [
        line[1:]
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert all(c.strip().lstrip("- ").startswith((*REWRITTEN, "date:", "by:")) for c in changed), (
        changed
    )


def test_upgrade_is_idempotent(old_repo: Path) -> None:
    assert run_cli("--repo", str(old_repo), "upgrade").exit_code == 0
    upgraded = _files(old_repo)
    check = run_cli("--repo", str(old_repo), "upgrade", "--check")
    assert check.exit_code == 0, check.output
    again = run_cli("--repo", str(old_repo), "upgrade")
    assert again.exit_code == 0
    assert "Nothing to upgrade" in again.stdout
    assert _files(old_repo) == upgraded


def test_a_new_repo_needs_no_upgrade(evidence_repo: Path) -> None:
    """The template is the current format with this toolkit's pins: nothing to do."""
    result = run_cli("--repo", str(evidence_repo), "upgrade", "--check")
    assert result.exit_code == 0, result.output
    assert "Nothing to upgrade" in result.stdout


def test_outside_an_evidence_repo_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("--repo", str(tmp_path), "upgrade", "--check")
    assert result.exit_code == 2
    assert "not an evidence repo" in result.stderr


def test_json_lists_changes_and_findings(old_repo: Path) -> None:
    result = run_cli("--repo", str(old_repo), "upgrade", "--check", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["due"] is True and data["applied"] is False
    assert (data["from_format"], data["to_format"], data["pin"]) == (1, 2, "v0.1.0")
    assert data["changes"][0]["path"] == "llcompliance.yaml"
    assert {c["path"] for c in data["changes"]} == {
        "llcompliance.yaml",
        OLD_POLICY,
        ".pre-commit-config.yaml",
        ".github/workflows/readiness.yml",
    }
    assert [f["rule"] for f in data["findings"]] == ["evidence-kind"]


def test_crlf_and_bom_are_kept(old_repo: Path) -> None:
    path = old_repo / OLD_POLICY
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    config = old_repo / "llcompliance.yaml"
    config.write_bytes(config.read_bytes().replace(b"\n", b"\r\n"))
    assert run_cli("--repo", str(old_repo), "upgrade").exit_code == 0
    policy = path.read_bytes()
    assert policy.startswith(b"\xef\xbb\xbf---\r\n")
    assert b"\n" not in policy.replace(b"\r\n", b"")
    assert b"approved:\r\n  date: 2026-03-10   # board minutes, item 4\r\n" in policy
    assert b"\r\nformat: 2\r\n" in config.read_bytes()


def test_explicit_format_1_is_set_to_2_keeping_its_comment(old_repo: Path) -> None:
    config = old_repo / "llcompliance.yaml"
    text = config.read_text().replace("service:", "format: 1  # set by hand\nservice:", 1)
    config.write_text(text)
    assert run_cli("--repo", str(old_repo), "upgrade").exit_code == 0
    assert "format: 2  # set by hand\nservice:" in config.read_text()


POLICY_HEAD = """---
id: POL-{name}
title: {name}
owner: Service Manager
standards: [HR2]
review_due: 2027-06-30
{approval}---
# {name}

Text.
"""


@pytest.mark.parametrize(
    ("approval", "rule", "line", "says"),
    [
        ("approved: 2026-03-10\n", "approval-by", 7, "`approved: {date: 2026-03-10, by: "),
        ("approved_by: Chief Executive\n", "approval-date", 7, "by: Chief Executive}`"),
        ("", "unapproved", 7, "is a draft: once it is approved, add `approved: {date:"),
    ],
    ids=["date-only", "role-only", "draft"],
)
def test_half_an_approval_is_a_finding_never_a_guess(
    old_repo: Path, approval: str, rule: str, line: int, says: str
) -> None:
    rel = "policies/half.md"
    original = POLICY_HEAD.format(name="half", approval=approval)
    write(old_repo, rel, original)
    result = run_cli("--repo", str(old_repo), "upgrade")
    assert result.exit_code == 0, result.output
    assert (old_repo / rel).read_text() == original
    found = [x for x in upgrade.plan(old_repo).findings if x.path == rel]
    assert [(x.rule, x.line) for x in found] == [(rule, line)]
    assert says in found[0].message


def test_a_value_over_several_lines_is_left_for_a_person(old_repo: Path) -> None:
    rel = "policies/folded.md"
    original = POLICY_HEAD.format(
        name="folded", approval="approved: 2026-03-10\napproved_by: >-\n  Board of\n  trustees\n"
    )
    write(old_repo, rel, original)
    result = run_cli("--repo", str(old_repo), "upgrade")
    assert result.exit_code == 0
    assert (old_repo / rel).read_text() == original
    assert f"{rel}:7: upgrade-by-hand:" in result.stdout


@pytest.mark.parametrize(
    ("rev", "rule"),
    [("v9.0.0", "pin-newer"), ("main", "pin-unknown"), ("v0.1.0", None)],
)
def test_hook_pins_are_moved_forward_only(old_repo: Path, rev: str, rule: str | None) -> None:
    path = old_repo / ".pre-commit-config.yaml"
    text = path.read_text().replace("rev: v0.0.9", f"rev: {rev}")
    path.write_text(text)
    assert run_cli("--repo", str(old_repo), "upgrade").exit_code == 0
    assert path.read_text() == text
    found = [f.rule for f in upgrade.plan(old_repo).findings if f.path == path.name]
    assert found == ([rule] if rule else [])


def test_the_placeholder_commit_gives_way_to_a_real_one(
    old_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the same version, only the all-zero placeholder is replaced (by the release's commit)."""
    hook, action = upgrade.template_pins()
    real = upgrade.Pin("ab" * 20, action.version, action.label, f"{'ab' * 20} # {action.label}")
    monkeypatch.setattr(upgrade, "template_pins", lambda: (hook, real))
    workflow = old_repo / ".github/workflows/readiness.yml"
    workflow.write_text(
        workflow.read_text().replace("1" * 40 + " # v0.0.9", "0" * 40 + " # v0.1.0")
    )
    assert run_cli("--repo", str(old_repo), "upgrade").exit_code == 0
    assert f"readiness@{'ab' * 20} # v0.1.0" in workflow.read_text()


def test_apply_refuses_a_file_changed_since_planning(old_repo: Path) -> None:
    planned = upgrade.plan(old_repo)
    (old_repo / OLD_POLICY).write_text("changed by someone else\n")
    with pytest.raises(UsageError, match="changed while upgrading"):
        upgrade.apply(old_repo, planned)
    assert "format:" not in (old_repo / "llcompliance.yaml").read_text()  # written last


def test_changed_values_are_masked(old_repo: Path) -> None:
    """A value that looks like personal data is not echoed in full by upgrade's list."""
    path = old_repo / OLD_POLICY
    path.write_text(path.read_text().replace("# board minutes, item 4", "# met at SW1A 1AA"))
    result = run_cli("--repo", str(old_repo), "upgrade", "--check")
    assert "SW1A 1AA" not in result.stdout and "SW** ***" in result.stdout


def test_the_demo_needs_no_upgrade(demo_built: demo.DemoResult) -> None:
    """The demo is current: upgrade would change nothing and asks nothing (its drafts aside)."""
    planned = upgrade.plan(demo_built.repo)
    assert not planned.due
    assert {f.rule for f in planned.findings} <= {"unapproved"}


# --- the template speaks the readiness model (DESIGN §4) ----------------------------------------

TEMPLATE = resources.template_dir()


@pytest.mark.parametrize("standard", sorted(p.stem for p in (TEMPLATE / "standards").glob("*.md")))
def test_each_prompt_asks_for_policy_and_practice_evidence_cited_by_id(standard: str) -> None:
    text = (TEMPLATE / "standards" / f"{standard}.md").read_text(encoding="utf-8")
    assert "approved policy (or plan) and recent practice evidence" in text
    assert "case-file audits, supervision records, training records, survivor feedback" in text
    assert "Cite each policy and piece of evidence by its id" in text
    owner = "Board of trustees" if standard.startswith("GV") else "Service Manager"
    assert f"\nowner: {owner}\n" in text
    assert "6–8 weeks" not in text and "6-8 weeks" not in text


def test_sp1_prompt_leaves_the_interval_to_the_policy() -> None:
    assert "at intervals your policy sets" in (TEMPLATE / "standards/SP1.md").read_text()


def test_template_readmes_show_kind_date_and_approval() -> None:
    readme = (TEMPLATE / "README.md").read_text(encoding="utf-8")
    assert "llcompliance new evidence" in readme and "--kind record --date 2026-09-30" in readme
    assert "cites the policies and evidence by\ntheir id" in readme
    assert "llcompliance upgrade" in readme
    assert "kind: record" in (TEMPLATE / "evidence/README.md").read_text(encoding="utf-8")
    assert "approved:\n  date:" in (TEMPLATE / "policies/README.md").read_text(encoding="utf-8")
