"""The real pre-commit framework runs our hooks in a temp evidence repo and blocks what it should."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import POLICY as DATED_POLICY
from conftest import RECORD as DATED_RECORD
from conftest import ROOT, git, make_ready, write

# The hooks run as a service runs them, on today's date (no --as-of): keep the policy two years in
# date from whenever the suite runs, so the regression check still sees ready → gap.
POLICY = DATED_POLICY.replace(
    "review_due: 2027-06-30", f"review_due: {dt.date.today() + dt.timedelta(days=730)}"
)
# Its practice evidence, dated a month ago, so it is recent whenever the suite runs.
RECORD = DATED_RECORD.replace(
    "review_due: 2027-06-30", f"review_due: {dt.date.today() + dt.timedelta(days=730)}"
).replace("date: 2026-09-30", f"date: {dt.date.today() - dt.timedelta(days=30)}")

pytestmark = pytest.mark.slow


def _pre_commit() -> list[str]:
    return [sys.executable, "-m", "pre_commit"]


@pytest.fixture(scope="module")
def toolkit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """A committed snapshot of this checkout (uncommitted edits included) and a shared hook cache."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    snap = tmp_path_factory.mktemp("toolkit") / "llcompliance"
    files = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "-c", "-o", "--exclude-standard"],
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for raw in files:
        if not raw:
            continue
        rel = raw.decode()
        src = ROOT / rel
        if src.is_file() and not src.is_symlink():
            dest = snap / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", "init", "-q", str(snap)], check=True)
    subprocess.run(["git", "-C", str(snap), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(snap), "-c", "commit.gpgsign=false", "commit", "-qm", "snapshot"],
        check=True,
        env=env,
    )
    sha = subprocess.run(
        ["git", "-C", str(snap), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    home = tmp_path_factory.mktemp("pre-commit-home")
    return snap, sha, home


@pytest.fixture
def hooked_repo(
    evidence_repo: Path, toolkit: tuple[Path, str, Path], monkeypatch: pytest.MonkeyPatch
) -> Path:
    snap, sha, home = toolkit
    monkeypatch.setenv("PRE_COMMIT_HOME", str(home))
    config = (evidence_repo / ".pre-commit-config.yaml").read_text()
    config = config.replace("https://github.com/llcompliance/llcompliance", str(snap)).replace(
        "v0.1.0", sha
    )
    write(evidence_repo, ".pre-commit-config.yaml", config)
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "Use the local toolkit")
    subprocess.run([*_pre_commit(), "install"], cwd=evidence_repo, check=True, capture_output=True)
    return evidence_repo


def _commit(repo: Path, message: str) -> subprocess.CompletedProcess[str]:
    git(repo, "add", "-A")
    return subprocess.run(
        ["git", "commit", "-m", message],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def _head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def test_hooks_block_personal_data_exports_and_regressions(hooked_repo: Path) -> None:
    repo = hooked_repo
    before = _head(repo)
    write(
        repo,
        "policies/lone-working.md",
        POLICY + "\nThe client's refuge is at 2 Mill Lane, SW1A 1AA.\n",
    )
    blocked = _commit(repo, "policy with a postcode")
    assert blocked.returncode == 1, blocked.stdout
    assert "postcode" in blocked.stdout and "SW1A 1AA" not in blocked.stdout
    assert _head(repo) == before

    make_ready(repo, policy=POLICY, record=RECORD)
    clean = _commit(repo, "HR2 evidence")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert _head(repo) != before

    write(repo, "evidence/files/clients.csv", "id,count\nA,3\n")
    git(repo, "add", "-f", "evidence/files/clients.csv")
    csv = _commit(repo, "add an export")
    assert csv.returncode == 1 and "blocked-file-type" in csv.stdout
    git(repo, "rm", "-q", "--cached", "evidence/files/clients.csv")
    (repo / "evidence/files/clients.csv").unlink()

    ready = _head(repo)
    (repo / "policies/lone-working.md").unlink()
    (repo / "evidence/lone-working-checks.yaml").unlink()
    regression = _commit(repo, "remove the only HR2 evidence")
    assert regression.returncode == 1
    assert "HR2: was ready, would become gap" in regression.stdout
    assert _head(repo) == ready


def test_try_repo_runs_each_hook(
    evidence_repo: Path, toolkit: tuple[Path, str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    snap, sha, home = toolkit
    monkeypatch.setenv("PRE_COMMIT_HOME", str(home))
    write(
        evidence_repo,
        "policies/leak.md",
        POLICY.replace("POL-lone-working", "POL-leak") + "\nCall her on 07911 123456.\n",
    )
    git(evidence_repo, "add", "-A")
    for hook, expect_rc in (
        ("llcompliance-validate", 0),
        ("llcompliance-scan", 1),
        ("llcompliance-coverage", 0),
    ):
        proc = subprocess.run(
            [*_pre_commit(), "try-repo", str(snap), hook, "--ref", sha],
            cwd=evidence_repo,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == expect_rc, (hook, proc.stdout, proc.stderr)
    assert "07911 123456" not in proc.stdout
