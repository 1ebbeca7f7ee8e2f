"""Readiness over time from one pass over history, on a repo with a known history."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from conftest import POLICY, RECORD, git, met_self_assessment, run_cli, write

from llcompliance.core.trend import trend, trend_points

# Each day is judged on its own date: the policy approved and the record dated before the first one.
POLICY_JAN = POLICY.replace("  date: 2026-03-10", "  date: 2026-01-20")
RECORD_JAN = RECORD.replace("date: 2026-09-30", "date: 2026-01-31")


def _commit(repo: Path, message: str, date: str) -> None:
    git(repo, "add", "-A")
    env_date = f"{date}T12:00:00"
    os.environ["GIT_AUTHOR_DATE"] = os.environ["GIT_COMMITTER_DATE"] = env_date
    try:
        git(repo, "commit", "-qm", message)
    finally:
        del os.environ["GIT_AUTHOR_DATE"], os.environ["GIT_COMMITTER_DATE"]


def test_trend_over_a_known_history(evidence_repo: Path) -> None:
    git(evidence_repo, "commit", "-q", "--amend", "--no-edit", "--date", "2026-01-05T09:00:00")
    os.environ["GIT_COMMITTER_DATE"] = "2026-01-05T09:00:00"
    try:
        git(evidence_repo, "commit", "-q", "--amend", "--no-edit")
    finally:
        del os.environ["GIT_COMMITTER_DATE"]
    write(evidence_repo, "policies/lone-working.md", POLICY_JAN)
    write(evidence_repo, "evidence/lone-working-checks.yaml", RECORD_JAN)
    _commit(evidence_repo, "policy and its practice evidence", "2026-02-01")
    write(evidence_repo, "standards/HR2.md", met_self_assessment("HR2"))
    _commit(evidence_repo, "HR2 met", "2026-03-01")
    write(evidence_repo, "standards/HR2.md", met_self_assessment("HR2") + "\nMore.\n")
    _commit(evidence_repo, "HR2 again, same day", "2026-03-01")
    (evidence_repo / "policies/lone-working.md").unlink()
    _commit(evidence_repo, "policy removed", "2026-04-01")

    points = trend(evidence_repo)
    assert points == [
        (dt.date(2026, 1, 5), 0),
        (dt.date(2026, 2, 1), 0),
        (dt.date(2026, 3, 1), 1),
        (dt.date(2026, 4, 1), 0),
    ]
    # the same with the document cache off (each day parsed afresh)
    os.environ["LLCOMPLIANCE_CACHE"] = "0"
    try:
        assert trend(evidence_repo) == points
    finally:
        del os.environ["LLCOMPLIANCE_CACHE"]
    detail = trend_points(evidence_repo)
    assert detail[2].total == 23 and detail[2].ready == 1

    result = run_cli("coverage", "--trend", "--format", "json", cwd=evidence_repo)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(p["date"], p["ready"]) for p in data["trend"]] == [
        (d.isoformat(), n) for d, n in points
    ]
    text = run_cli("coverage", "--trend", cwd=evidence_repo)
    assert "2026-03-01    1/23" in text.stdout
    assert run_cli("coverage", "--trend", "--format", "markdown", cwd=evidence_repo).exit_code == 2


def test_trend_matches_coverage_at_each_day_of_the_demo(demo_built) -> None:  # type: ignore[no-untyped-def]
    """The replay agrees with a full load of the last commit of the last day."""
    points = trend_points(demo_built.repo)
    last = points[-1]
    result = run_cli(
        "coverage", "--as-of", last.date.isoformat(), "--format", "json", cwd=demo_built.repo
    )
    assert json.loads(result.stdout)["summary"]["ready"] == last.ready
