"""`llcompliance status`: what falls due, overdue first, within a horizon, as text, JSON and ICS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llcompliance.core import accreditation as acc
from tests.conftest import git, run_cli, write

CYCLE = """\
manager_qualified: 2025-12-01
applied: 2026-06-01
visit: 2026-12-10
actions:
  - id: A1
    standard: SP1
    action: Re-audit risk assessment timeliness
    owner: Idva Team Leader
    due: 2026-11-01
  - id: A2
    standard: GV3
    action: Board reviews the risk register
    owner: Chief Executive
    due: 2027-01-15
  - id: A3
    action: Already done
    owner: Service Manager
    due: 2026-10-01
    done: 2026-09-30
"""


@pytest.fixture
def cycle_repo(evidence_repo: Path) -> Path:
    write(evidence_repo, "accreditation.yaml", CYCLE)
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "Accreditation cycle")
    return evidence_repo


def _json(repo: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = run_cli("status", "--format", "json", "--as-of", "2026-11-23", *args, cwd=repo)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_overdue_first_then_soonest_and_done_actions_left_out(cycle_repo: Path) -> None:
    data = _json(cycle_repo)
    due = [(d["kind"], d["id"], d["overdue"]) for d in data["due"]]
    assert due[0] == ("action", "A1", True)
    assert ("visit", "visit", False) in due
    assert ("action", "A3", False) not in due and ("action", "A3", True) not in due
    dates = [d["date"] for d in data["due"] if not d["overdue"]]
    assert dates == sorted(dates)
    assert data["actions"]["overdue"] == 1 and data["actions"]["done"] == 1
    assert data["application_due"] == "2026-12-01"


def test_within_sets_the_horizon(cycle_repo: Path) -> None:
    near = {d["id"] for d in _json(cycle_repo, "--within", "30")["due"]}
    assert "visit" in near and "A2" not in near  # the visit is 17 days off, A2 53
    assert "A1" in near  # overdue always shows
    far = {d["id"] for d in _json(cycle_repo, "--within", "60")["due"]}
    assert "A2" in far


def test_text_says_what_to_do(cycle_repo: Path) -> None:
    result = run_cli("status", "--as-of", "2026-11-23", cwd=cycle_repo)
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("Overdue:") < out.index("Coming up:")
    assert "2026-11-01  Action A1 (SP1): Re-audit risk assessment timeliness" in out
    assert "accreditation.yaml:5: when it is done, add `done: DATE`" in out


def test_bad_within_is_a_usage_error(cycle_repo: Path) -> None:
    assert run_cli("status", "--within", "-1", cwd=cycle_repo).exit_code == 2
    assert run_cli("status", "--as-of", "23/11/2026", cwd=cycle_repo).exit_code == 2


def test_expiry_default_and_reaccreditation_window(evidence_repo: Path) -> None:
    write(evidence_repo, "accreditation.yaml", "outcome: accredited\nawarded: 2024-02-29\n")
    data = _json(evidence_repo, "--within", "120")
    assert data["expires"] == "2027-02-28" and data["expires_default"] is True
    kinds = {d["kind"]: d for d in data["due"]}
    assert kinds["reaccreditation-opens"]["date"] == "2026-08-28"
    assert kinds["expiry"]["date"] == "2027-02-28"


def test_stale_evidence_from_its_date(evidence_repo: Path) -> None:
    """Practice evidence turns stale 12 months after its `date`; without a date it is skipped."""
    write(
        evidence_repo,
        "evidence/audit.yaml",
        "id: EV-audit\ntitle: Case-file audit\nowner: Idva Team Leader\nstandards: [SP1]\n"
        "review_due: 2027-12-31\nkind: record\ndate: 2025-12-20\n"
        "location: {reference: Case system > Audits}\n",
    )
    ws_dues = [
        d
        for d in acc.document_dates(_documents(evidence_repo), acc_date("2026-11-23"))
        if d.kind == acc.STALE
    ]
    assert [(d.id, d.date) for d in ws_dues] == [("EV-audit", acc_date("2026-12-20"))]
    data = _json(evidence_repo, "--within", "30")
    assert ("evidence-stale", "EV-audit") in {(d["kind"], d["id"]) for d in data["due"]}


def acc_date(text: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date.fromisoformat(text)


def _documents(repo: Path):  # type: ignore[no-untyped-def]
    from llcompliance.core import workspace

    return workspace.load(repo).documents


def _ics(repo: Path, as_of: str = "2026-11-23") -> str:
    result = run_cli("status", "--format", "ics", "--as-of", as_of, "--within", "400", cwd=repo)
    assert result.exit_code == 0, result.output
    return result.stdout


def _uids(text: str) -> dict[str, str]:
    import icalendar

    cal = icalendar.Calendar.from_ical(text)
    return {str(e["summary"]).split(":")[0]: str(e["uid"]) for e in cal.walk("VEVENT")}


def test_ics_is_deterministic_with_stable_uids(cycle_repo: Path) -> None:
    first = _ics(cycle_repo)
    assert first == _ics(cycle_repo)  # same inputs, same bytes
    # (the runner reads output with universal newlines; the CLI writes the CRLF lines RFC 5545 asks)
    assert first.startswith("BEGIN:VCALENDAR") and "DTSTAMP:20261123T000000Z" in first
    before = _uids(first)
    assert len(set(before.values())) == len(before)
    # a moved date keeps its event (the UID never comes from a date)
    write(cycle_repo, "accreditation.yaml", CYCLE.replace("visit: 2026-12-10", "visit: 2027-01-05"))
    after = _uids(_ics(cycle_repo, as_of="2026-11-30"))
    assert after["Assessment visit"] == before["Assessment visit"]
    assert after["Action A2 (GV3)"] == before["Action A2 (GV3)"]


def test_ics_uids_differ_between_repos(cycle_repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    assert run_cli("init", str(other), "--service", "Westmere Idva Service").exit_code == 0
    write(other, "accreditation.yaml", CYCLE)
    assert _uids(_ics(other))["Assessment visit"] != _uids(_ics(cycle_repo))["Assessment visit"]


def test_no_accreditation_file_still_lists_reviews(evidence_repo: Path) -> None:
    (evidence_repo / "accreditation.yaml").unlink()  # the template's commented stub
    result = run_cli("status", "--as-of", "2026-11-23", cwd=evidence_repo)
    assert result.exit_code == 0
    assert "No accreditation.yaml" in result.stdout


def test_summary_shape_for_reports(demo_built) -> None:  # type: ignore[no-untyped-def]
    from llcompliance.core import workspace

    ws = workspace.load(demo_built.repo, today=acc_date("2026-11-23"))
    summary = acc.accreditation_summary(ws, acc_date("2026-11-23"))
    assert summary["present"] and summary["valid"]
    assert summary["manager_qualified"] == "2026-04-20"
    assert summary["application_due"] == "2027-04-20"
    assert summary["actions"]["open"] == 2 and summary["actions"]["done"] == 1
    assert all(row["shown"] for row in summary["eligibility"])
    assert (
        acc.accreditation_summary(ws, acc_date("2026-11-23"), found=acc.NO_FILE)["present"] is False
    )
