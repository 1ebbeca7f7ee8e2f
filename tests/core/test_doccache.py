"""The parsed-document cache: same results as without it, never stale, never committed."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import HOLLOW_POLICY, POLICY, git, met_self_assessment, run_cli, write

from llcompliance.adapters.gitrepo import blob_id
from llcompliance.commands import demo
from llcompliance.core import workspace
from llcompliance.core.doccache import CACHE_NAME, DocCache, store_path


@pytest.fixture(scope="module")
def demo_repo(demo_built: demo.DemoResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's demo repo: these tests write its cache."""
    target = tmp_path_factory.mktemp("cache") / "demo"
    shutil.copytree(demo_built.repo, target, symlinks=True)
    # files modified under 2 s ago are never trusted by signature (racily clean): date the copy an
    # hour back, so a fast first test does not leave entries the next one must read again
    an_hour_ago = time.time() - 3600
    for path in target.rglob("*"):
        if not path.is_symlink():
            os.utime(path, (an_hour_ago, an_hour_ago))
    return target


def _cache_file(repo: Path) -> Path:
    """The cache's folder of bucket files."""
    return repo / ".git" / "llcompliance" / CACHE_NAME


def _buckets(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    return [(file, json.loads(file.read_text())) for file in sorted(folder.glob("??.json"))]


def _all_entries(folder: Path) -> dict[str, Any]:
    return {k: v for _, data in _buckets(folder) for k, v in data["entries"].items()}


def test_blob_id_matches_git(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"hello\n")
    assert blob_id(b"hello\n") == git(tmp_path, "hash-object", str(path)).strip()


def test_results_are_the_same_with_and_without_cache(
    demo_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm = run_cli("validate", "--format", "json", "--as-of", "2026-11-23", cwd=demo_repo).stdout
    assert _cache_file(demo_repo).exists()
    again = run_cli("validate", "--format", "json", "--as-of", "2026-11-23", cwd=demo_repo).stdout
    monkeypatch.setenv("LLCOMPLIANCE_CACHE", "0")
    cold = run_cli("validate", "--format", "json", "--as-of", "2026-11-23", cwd=demo_repo).stdout
    assert warm == again == cold
    cov_cold = run_cli(
        "coverage", "--format", "json", "--as-of", "2026-11-23", cwd=demo_repo
    ).stdout
    monkeypatch.delenv("LLCOMPLIANCE_CACHE")
    cov_warm = run_cli(
        "coverage", "--format", "json", "--as-of", "2026-11-23", cwd=demo_repo
    ).stdout
    assert cov_cold == cov_warm


def test_second_load_parses_nothing(demo_repo: Path) -> None:
    workspace.load(demo_repo)
    cache = DocCache.for_repo(demo_repo)
    before = dict(cache.entries)
    ws = workspace.load(demo_repo)
    assert len(ws.documents) > 50
    assert _all_entries(_cache_file(demo_repo)).keys() == before.keys()


def test_edits_are_never_served_stale(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/lone-working.md", POLICY)
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "policy")
    assert run_cli("validate", cwd=evidence_repo).exit_code == 0
    write(
        evidence_repo,
        "policies/lone-working.md",
        POLICY.replace("review_due: 2027-06-30", "review_due: soon"),
    )
    result = run_cli("validate", cwd=evidence_repo)
    assert result.exit_code == 1 and "review_due must be a date" in result.stdout
    git(evidence_repo, "add", "-A")  # staged: now known by blob id from the index
    assert run_cli("validate", cwd=evidence_repo).exit_code == 1


def test_damaged_or_foreign_cache_is_ignored(evidence_repo: Path) -> None:
    write(evidence_repo, "policies/lone-working.md", POLICY)
    run_cli("validate", cwd=evidence_repo)
    for path, data in _buckets(_cache_file(evidence_repo)):
        for entry in data["entries"].values():
            if isinstance(entry, dict):
                entry["findings"] = [[1, "schema", "error", "forged"]]
        data["stamp"] = "another-version"
        path.write_text(json.dumps(data))
    assert "forged" not in run_cli("validate", cwd=evidence_repo).stdout
    for path, _ in _buckets(_cache_file(evidence_repo)):
        path.write_bytes(b"\x00not json")
    assert run_cli("validate", cwd=evidence_repo).exit_code == 0


def test_cache_can_be_turned_off(evidence_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLCOMPLIANCE_CACHE", "0")
    run_cli("validate", cwd=evidence_repo)
    assert not _cache_file(evidence_repo).exists()


def test_cache_is_never_committed(evidence_repo: Path) -> None:
    run_cli("validate", cwd=evidence_repo)
    assert _cache_file(evidence_repo).exists()
    assert git(evidence_repo, "status", "--porcelain") == ""


def test_an_entry_without_has_text_is_not_trusted(evidence_repo: Path) -> None:
    """A cached policy from before bodies were judged must be parsed again, not taken as prose."""
    write(evidence_repo, "policies/lone-working.md", HOLLOW_POLICY)
    write(evidence_repo, "standards/HR2.md", met_self_assessment("HR2"))
    run_cli("validate", cwd=evidence_repo)
    for path, data in _buckets(_cache_file(evidence_repo)):
        for entry in data["entries"].values():
            if isinstance(entry, dict):
                del entry["has_text"]
        path.write_text(json.dumps(data))
    out = run_cli("coverage", "--as-of", "2026-11-23", "--format", "json", cwd=evidence_repo)
    hr2 = next(s for s in json.loads(out.stdout)["standards"] if s["id"] == "HR2")
    assert hr2["state"] == "gap"


def _forge(cache_folder: Path) -> None:
    """Give every cached document a finding no parse produces: seen only if the cache is read."""
    for path, data in _buckets(cache_folder):
        for entry in data["entries"].values():
            if isinstance(entry, dict):
                entry["findings"] = [[1, "schema", "error", "forged by the test"]]
        path.write_text(json.dumps(data))


def _assert_cache_works(repo: Path, git_dir: Path) -> None:
    write(repo, "policies/lone-working.md", POLICY)
    assert run_cli("validate", cwd=repo).exit_code == 0
    found = store_path(repo, CACHE_NAME)
    assert found is not None and found.parent == git_dir / "llcompliance"
    assert found.with_suffix("").is_dir()
    _forge(found.with_suffix(""))
    assert "forged by the test" in run_cli("validate", cwd=repo).stdout  # the second run read it


def test_an_evidence_folder_of_a_larger_repo_has_a_cache(tmp_path: Path) -> None:
    """A monorepo: the evidence repo is a folder, and .git is two levels up."""
    mono = tmp_path / "mono"
    mono.mkdir()
    git(mono, "init", "-q")
    for name in ("eastmere", "westmere"):
        assert run_cli("init", str(mono / "services" / name), "--service", name).exit_code == 0
        shutil.rmtree(mono / "services" / name / ".git")  # folders of the monorepo, not repos
    git(mono, "add", "-A")
    git(mono, "commit", "-qm", "two services")
    _assert_cache_works(mono / "services/eastmere", mono / ".git")
    # a second evidence repo in the same monorepo keeps a cache file of its own
    other = store_path(mono / "services/westmere", CACHE_NAME)
    assert other is not None and other != store_path(mono / "services/eastmere", CACHE_NAME)


def test_a_linked_worktree_has_a_cache(evidence_repo: Path, tmp_path: Path) -> None:
    """`git worktree add`: .git is a file pointing at the main repo's .git/worktrees/NAME."""
    checkout = tmp_path / "second-checkout"
    git(evidence_repo, "worktree", "add", "-q", "-b", "review", str(checkout))
    assert (checkout / ".git").is_file()
    _assert_cache_works(checkout, evidence_repo / ".git" / "worktrees" / checkout.name)
    assert not _cache_file(evidence_repo).exists()  # the main checkout's cache is its own
