"""Git never runs commands a repo's own settings name (.git/config is not the user's to trust)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import POLICY, TODAY, git, met_self_assessment, run_cli, write

from llcompliance.adapters import gitrepo

COMMANDS = [
    ("scan",),
    ("scan", "--staged"),
    ("scan", "--history"),
    ("coverage", "--fail-on", "regression", "--as-of", TODAY),
    ("report", "--as-of", TODAY, "--out", "OUT"),
    ("validate",),
]


def _planted(repo: Path, tmp_path: Path) -> Path:
    """A script that leaves a marker file when run; returns where the marker would appear."""
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 1\n")
    script.chmod(0o755)
    return marker


@pytest.fixture
def committed(evidence_repo: Path) -> Path:
    write(evidence_repo, "policies/lone-working.md", POLICY)
    write(evidence_repo, "standards/HR2.md", met_self_assessment("HR2"))
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "evidence")
    return evidence_repo


def _run(repo: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    """Run a command as a user would; it must work (not fail early, which would prove nothing)."""
    out = str(tmp_path / "report-out")
    result = run_cli(*(out if a == "OUT" else a for a in args), cwd=repo)
    assert result.exit_code in (0, 1), result.output


def _touch_back(path: Path) -> None:
    """Give a file a new mtime with the same content: git must look at its bytes again."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_fsmonitor_in_repo_config_never_runs(
    committed: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    marker = _planted(committed, tmp_path)
    git(committed, "config", "core.fsmonitor", str(tmp_path / "evil.sh"))
    _touch_back(committed / "policies/lone-working.md")
    _run(committed, tmp_path, args)
    assert not marker.exists(), f"{' '.join(args)} ran core.fsmonitor"


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_clean_filter_in_repo_config_never_runs(
    committed: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """A filter driver named by .gitattributes runs when git re-reads a changed-looking file."""
    marker = _planted(committed, tmp_path)
    evil = str(tmp_path / "evil.sh")
    git(committed, "config", "filter.sneaky.clean", evil)
    git(committed, "config", "filter.sneaky.smudge", evil)
    git(committed, "config", "filter.sneaky.process", evil)
    git(committed, "config", "filter.two.parts.clean", evil)
    (committed / ".git/info/attributes").write_text("*.md filter=sneaky\n*.yaml filter=two.parts\n")
    _touch_back(committed / "policies/lone-working.md")
    _touch_back(committed / "llcompliance.yaml")
    _run(committed, tmp_path, args)
    assert not marker.exists(), f"{' '.join(args)} ran a clean filter"


@pytest.mark.parametrize(
    "key", ["diff.external", "diff.sneaky.textconv", "diff.sneaky.command", "core.pager"]
)
def test_diff_programs_in_repo_config_never_run(committed: Path, tmp_path: Path, key: str) -> None:
    marker = _planted(committed, tmp_path)
    git(committed, "config", key, str(tmp_path / "evil.sh"))
    (committed / ".git/info/attributes").write_text("* diff=sneaky\n")
    write(committed, "policies/lone-working.md", POLICY + "\nMore.\n")
    git(committed, "commit", "-qam", "second")
    for args in COMMANDS:
        _run(committed, tmp_path, args)
    assert gitrepo.last_changed(committed)
    assert not marker.exists()


def test_hooks_in_repo_config_never_run(tmp_path: Path) -> None:
    """Hooks (in .git/hooks or core.hooksPath) run on commits and index writes: not ours."""
    repo = tmp_path / "hooked"
    repo.mkdir()
    gitrepo.init(repo)
    marker = _planted(repo, tmp_path)
    hooks = repo / ".git/hooks"
    hooks.mkdir(exist_ok=True)
    for name in ("post-commit", "prepare-commit-msg", "reference-transaction", "post-index-change"):
        (hooks / name).write_text(f"#!/bin/sh\ntouch '{marker}'\n")
        (hooks / name).chmod(0o755)
    write(repo, "a.md", "a\n")
    gitrepo.commit_all(repo, "first")
    assert gitrepo.has_commits(repo)
    assert not marker.exists()


def test_the_users_own_filter_drivers_still_apply(committed: Path, tmp_path: Path) -> None:
    """Only drivers the repo's config names are emptied: a global git-lfs keeps working."""
    with (Path(os.environ["HOME"]) / ".gitconfig").open("a") as handle:
        handle.write('[filter "lfs"]\n\tclean = git-lfs clean -- %f\n')
    inc = tmp_path / "included.cfg"
    inc.write_text('[filter "from.include"]\n\tclean = evil\n')
    git(committed, "config", "filter.sneaky.clean", "evil")
    git(committed, "config", "include.path", str(inc))
    overrides = gitrepo._filter_overrides(committed)
    assert "filter.sneaky.clean=" in overrides
    assert "filter.from.include.process=" in overrides
    assert not any(o.startswith("filter.lfs.") for o in overrides)


def test_replace_refs_do_not_change_what_a_commit_holds(committed: Path) -> None:
    """refs/replace can show other bytes for a blob: digests must be of the real ones."""
    real = gitrepo.ls_tree(committed, "HEAD")["policies/lone-working.md"].blob
    (committed / "forged.txt").write_text("forged\n")
    fake = git(committed, "hash-object", "-w", "forged.txt").strip()
    git(committed, "replace", real, fake)
    assert gitrepo.read_blobs(committed, [real])[real] == POLICY.encode()
