"""Shared fixtures: a fixed git identity, fresh evidence repos in tmp_path, a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from llcompliance.cli.main import main
from llcompliance.commands import demo

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent  # the checkout
TODAY = "2026-11-23"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Manager",
    "GIT_AUTHOR_EMAIL": "manager@harbourlane.example.org",
    "GIT_COMMITTER_NAME": "Test Manager",
    "GIT_COMMITTER_EMAIL": "manager@harbourlane.example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    # Fixed commit dates: a report may not be as of a day before its commit (DESIGN.md §6), so
    # commits made "now" would break every --as-of TODAY once the real date passes it.
    "GIT_AUTHOR_DATE": "2026-11-20T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-20T12:00:00+00:00",
}


@pytest.fixture(autouse=True)
def _git_identity(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Test Manager\n\temail = manager@harbourlane.example.org\n"
        "[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n"
    )
    monkeypatch.setenv("HOME", str(home))
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("LLCOMPLIANCE_SIGNING_KEY", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    # a developer's own client roster must never apply to the suite
    monkeypatch.delenv("LLCOMPLIANCE_ROSTER", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))


@dataclass
class Result:
    """What a CLI run printed and returned."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str, cwd: Path | None = None) -> Result:
    """Run the CLI in-process (fast) from `cwd`."""
    runner = CliRunner()
    old = Path.cwd()
    if cwd:
        os.chdir(cwd)
    try:
        result = runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return Result(result.exit_code, result.stdout, result.stderr)


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` and return stdout."""
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def evidence_repo(tmp_path: Path) -> Path:
    """A fresh evidence repo made by `llcompliance init`."""
    repo = tmp_path / "evidence"
    result = run_cli("init", str(repo), "--service", "Eastmere Idva Service")
    assert result.exit_code == 0, result.output
    return repo


@pytest.fixture
def cli() -> Iterator[object]:
    yield run_cli


def write(repo: Path, rel: str, text: str) -> Path:
    """Write a file in the repo, making folders."""
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


POLICY = """---
id: POL-lone-working
title: Lone working
owner: Service Manager
standards:
  - id: HR2
    how: Staff working alone check in and out.
review_due: 2027-06-30
approved:
  date: 2026-03-10
  by: Board of trustees
---
# Lone working

Staff who work alone tell the duty worker where they are.

## Before a visit

Before any home visit, outreach session or court date, the worker checks the risk information held on
the case system and agrees the visit with their team leader. A visit to a high-risk address is never
made alone, and a visit is never made where the person causing harm may be present. The worker records
the address, the expected finish time and a safe word in the team's signing-out book.

## During and after a visit

The worker calls the duty worker when they arrive and when they leave. If the worker has not called
within thirty minutes of the expected finish time, the duty worker calls them; if there is no answer,
the duty worker calls their team leader and, if still in doubt, the police. Workers carry a charged
personal alarm and a work phone at all times. After a difficult visit the worker can ask for a debrief
the same day, and every worker has monthly supervision that covers their safety and wellbeing.

## Review

The Service Manager reviews this policy every year, after any incident and whenever practice or the
law changes, and reports any incident to the board.
"""

# Practice evidence that the lone-working policy is followed: with POLICY and a met self-assessment
# (met_self_assessment) it makes HR2 ready, as DESIGN §4 requires (a policy AND practice evidence).
RECORD = """id: EV-lone-working-checks
title: Lone-working check-in log audit, July-September 2026
kind: record
date: 2026-09-30
owner: Service Manager
standards:
  - id: HR2
    how: Every visit in the quarter had a check-in and a check-out call.
review_due: 2027-06-30
location:
  reference: "Shared drive > Operations > Lone working > 2026 Q3 audit"
"""

NARRATIVE = (
    "Staff who work alone follow our lone-working policy (POL-lone-working): they agree every visit "
    "with a team leader, call the duty worker when they arrive and when they leave, and carry a "
    "personal alarm. The quarterly audit of the check-in log (EV-lone-working-checks) shows that "
    "every visit had both calls, and supervision covers each worker's safety and wellbeing."
)


def met_self_assessment(standard: str, narrative: str = NARRATIVE) -> str:
    """A self-assessment with status met and a narrative."""
    return f"""---
standard: {standard}
status: met
owner: Service Manager
---
# {standard}

## How we meet it

{narrative}

## Evidence

- POL-lone-working
- EV-lone-working-checks
"""


def make_ready(
    repo: Path, standard: str = "HR2", *, policy: str = POLICY, record: str = RECORD
) -> None:
    """Write POLICY, RECORD and a met self-assessment: everything HR2 needs to be ready."""
    write(repo, "policies/lone-working.md", policy)
    write(repo, "evidence/lone-working-checks.yaml", record)
    write(repo, f"standards/{standard}.md", met_self_assessment(standard))


def ssh_keygen_verify(
    report_dir: Path, allowed_signers: Path, principal: str
) -> subprocess.CompletedProcess[str]:
    """What an assessor runs with plain OpenSSH: `ssh-keygen -Y verify` of readiness.json."""
    with open(report_dir / "readiness.json", "rb") as stdin:
        return subprocess.run(
            [
                "ssh-keygen",
                "-Y",
                "verify",
                "-f",
                str(allowed_signers),
                "-I",
                principal,
                "-n",
                "readiness-report@llcompliance",
                "-s",
                str(report_dir / "readiness.json.sig"),
            ],
            stdin=stdin,
            capture_output=True,
            text=True,
        )


@pytest.fixture(scope="session")
def demo_built(tmp_path_factory: pytest.TempPathFactory) -> demo.DemoResult:
    """The demo repo and its signed report, built once per session: read it, never change it
    (copy it with `demo_copy` to change it)."""
    return demo.build(tmp_path_factory.mktemp("demo") / "harbour-lane")


@pytest.fixture
def demo_copy(demo_built: demo.DemoResult, tmp_path: Path) -> Path:
    """A private copy of the demo repo, free to change."""
    target = tmp_path / "harbour-lane"
    shutil.copytree(demo_built.repo, target, symlinks=True)
    return target


# A policy with headings but no text of its own: a draft, never evidence (shared by tests).
HOLLOW_POLICY = """---
id: POL-lone-working
title: Lone working
owner: Service Manager
standards:
  - id: HR2
    how: Staff working alone check in and out.
review_due: 2027-06-30
---
# Lone working

<!-- Write the policy here in plain language. Never include client details. -->

## Purpose

## Procedure
"""


def compare_snapshot(name: str, text: str) -> None:
    """The text against tests/data/snapshots/NAME (rewritten with LLCOMPLIANCE_UPDATE_SNAPSHOTS=1)."""
    path = DATA / "snapshots" / name
    if os.environ.get("LLCOMPLIANCE_UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {name}: run with LLCOMPLIANCE_UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} changed: update the snapshot if intended"
    )
