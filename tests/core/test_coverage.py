"""Credible readiness (DESIGN §4): an approved policy in full AND recent practice evidence, a narrative
in the service's own words that cites them, and links both ways; each shortfall says what to add."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    DATA,
    NARRATIVE,
    POLICY,
    RECORD,
    TODAY,
    make_ready,
    met_self_assessment,
    run_cli,
    write,
)

from llcompliance.core.coverage import months_before

PRACTICE = (
    "HR2 needs practice evidence: a record, data or feedback dated within 12 months, "
    "e.g. a case-file audit"
)


def _standard(repo: Path, standard: str = "HR2", *extra: str) -> dict[str, Any]:
    result = run_cli("coverage", "--as-of", TODAY, "--format", "json", *extra, cwd=repo)
    assert result.exit_code == 0, result.output
    return next(s for s in json.loads(result.stdout)["standards"] if s["id"] == standard)  # type: ignore[no-any-return]


def _findings(repo: Path) -> list[dict[str, Any]]:
    result = run_cli("validate", "--as-of", TODAY, "--format", "json", cwd=repo)
    return json.loads(result.stdout)["findings"]  # type: ignore[no-any-return]


def test_all_requirements_met_is_ready_with_the_requirements_shape(evidence_repo: Path) -> None:
    make_ready(evidence_repo)
    hr2 = _standard(evidence_repo)
    assert hr2["state"] == "ready", hr2["reasons"]
    assert hr2["requirements"] == [
        {"kinds": ["policy", "plan"], "met": True, "ids": ["POL-lone-working"]},
        {"kinds": ["record", "data", "feedback"], "met": True, "ids": ["EV-lone-working-checks"]},
    ]
    assert hr2["reasons"] == [
        "met, with 2 items that count (EV-lone-working-checks, POL-lone-working); "
        "every requirement is met"
    ]
    record = next(e for e in hr2["evidence"] if e["id"] == "EV-lone-working-checks")
    assert (record["evidence_kind"], record["date"], record["counts"]) == (
        "record",
        "2026-09-30",
        True,
    )
    policy = next(e for e in hr2["evidence"] if e["id"] == "POL-lone-working")
    assert policy["approved"] == {"date": "2026-03-10", "by": "Board of trustees"}
    assert _findings(evidence_repo) == []


def test_a_hollow_policy_is_not_enough(evidence_repo: Path) -> None:
    """Approved, but a sentence of text: not a policy an assessor would accept."""
    make_ready(evidence_repo)
    hollow = POLICY.split("## Before a visit")[0]
    write(evidence_repo, "policies/lone-working.md", hollow)
    hr2 = _standard(evidence_repo)
    assert hr2["state"] == "attention"
    assert hr2["requirements"][0] == {"kinds": ["policy", "plan"], "met": False, "ids": []}
    assert any(
        "POL-lone-working (policies/lone-working.md) has 11 words of its own policy text: write "
        "the policy in full, at least 150 words" in r
        for r in hr2["reasons"]
    ), hr2["reasons"]
    assert (
        "HR2 needs a policy: an approved policy or a plan, e.g. a procedure the board has approved"
        in hr2["reasons"]
    )
    assert [f["rule"] for f in _findings(evidence_repo)] == ["short-policy"]


def test_the_word_threshold_is_a_setting(evidence_repo: Path) -> None:
    make_ready(evidence_repo)
    write(evidence_repo, "policies/lone-working.md", POLICY.split("## Before a visit")[0])
    config = evidence_repo / "llcompliance.yaml"
    config.write_text(
        config.read_text().replace(
            "  due_soon_days: 90", "  due_soon_days: 90\n  min_policy_words: 10"
        )
    )
    assert _standard(evidence_repo)["state"] == "ready"


def test_an_unapproved_draft_is_not_enough(evidence_repo: Path) -> None:
    make_ready(evidence_repo)
    draft = POLICY.replace("approved:\n  date: 2026-03-10\n  by: Board of trustees\n", "")
    write(evidence_repo, "policies/lone-working.md", draft)
    hr2 = _standard(evidence_repo)
    assert hr2["state"] == "attention"
    assert (
        "POL-lone-working (policies/lone-working.md) is a draft: once it is approved, add "
        "`approved: {date: YYYY-MM-DD, by: Board of trustees}`" in hr2["reasons"]
    )
    found = _findings(evidence_repo)
    assert [(f["path"], f["rule"], f["severity"]) for f in found] == [
        ("policies/lone-working.md", "unapproved", "warning")
    ]
    assert "add `approved: {date: YYYY-MM-DD, by: Board of trustees}`" in found[0]["message"]


def test_a_policy_approved_after_the_as_of_date_is_a_draft_then(evidence_repo: Path) -> None:
    make_ready(evidence_repo)
    later = POLICY.replace("date: 2026-03-10", "date: 2026-12-01")
    write(evidence_repo, "policies/lone-working.md", later)
    hr2 = _standard(evidence_repo)
    assert hr2["state"] == "attention"
    assert (
        "POL-lone-working was approved on 2026-12-01, after 2026-11-23: it counts from that date"
        in hr2["reasons"]
    )
    assert _standard(evidence_repo, "HR2", "--as-of", "2026-12-02")["state"] == "ready"


def test_a_policy_without_practice_evidence_is_not_enough(evidence_repo: Path) -> None:
    make_ready(evidence_repo)
    (evidence_repo / "evidence/lone-working-checks.yaml").unlink()
    hr2 = _standard(evidence_repo)
    assert hr2["state"] == "attention"
    assert hr2["requirements"][1] == {
        "kinds": ["record", "data", "feedback"],
        "met": False,
        "ids": [],
    }
    assert PRACTICE in hr2["reasons"]


def test_stale_practice_evidence_is_not_enough(evidence_repo: Path) -> None:
    make_ready(evidence_repo)
    write(
        evidence_repo,
        "evidence/lone-working-checks.yaml",
        RECORD.replace("date: 2026-09-30", "date: 2025-10-31"),
    )
    hr2 = _standard(evidence_repo)
    assert hr2["state"] == "attention"
    assert PRACTICE in hr2["reasons"]
    assert (
        "EV-lone-working-checks is dated 2025-10-31, more than 12 months before 2026-11-23: "
        "add more recent record evidence" in hr2["reasons"]
    )
    # a month earlier it was still recent
    assert _standard(evidence_repo, "HR2", "--as-of", "2026-10-31")["state"] == "ready"


def test_a_one_line_narrative_is_not_enough(evidence_repo: Path) -> None:
    make_ready(evidence_repo)
    write(
        evidence_repo,
        "standards/HR2.md",
        met_self_assessment("HR2", "We follow POL-lone-working and EV-lone-working-checks."),
    )
    hr2 = _standard(evidence_repo)
    assert hr2["state"] == "attention"
    assert hr2["reasons"] == [
        "standards/HR2.md: 'How we meet it' has 5 words: write at least 40 in your own words "
        "on how you meet HR2"
    ]


def test_a_narrative_must_cite_evidence_that_counts(evidence_repo: Path) -> None:
    make_ready(evidence_repo)
    uncited = NARRATIVE.replace("(POL-lone-working)", "").replace("(EV-lone-working-checks)", "")
    text = met_self_assessment("HR2", uncited).split("## Evidence")[0]
    write(evidence_repo, "standards/HR2.md", text)
    hr2 = _standard(evidence_repo)
    assert hr2["state"] == "attention"
    assert hr2["reasons"] == [
        "standards/HR2.md: 'How we meet it' does not cite evidence that counts: name it by id, "
        "e.g. EV-lone-working-checks"
    ]


def test_a_one_sided_citation_is_not_enough(evidence_repo: Path) -> None:
    """The narrative names a record that does not list HR2: the link must go both ways."""
    make_ready(evidence_repo)
    write(
        evidence_repo,
        "evidence/induction.yaml",
        RECORD.replace("EV-lone-working-checks", "EV-induction").replace("id: HR2", "id: HR1"),
    )
    write(
        evidence_repo,
        "standards/HR2.md",
        met_self_assessment("HR2", NARRATIVE + "\nNew staff learn it at induction (EV-induction)."),
    )
    hr2 = _standard(evidence_repo)
    assert hr2["state"] == "attention"
    line = 10 + NARRATIVE.count("\n") + 1  # 5 lines of front matter, 4 of headings, the narrative
    expected = (
        f"standards/HR2.md:{line}: cites EV-induction, but evidence/induction.yaml does not list "
        "HR2 in its standards: add HR2 there (with how it supports it), or remove the citation"
    )
    assert expected in hr2["reasons"]
    found = [f for f in _findings(evidence_repo) if f["rule"] == "one-sided-link"]
    assert [(f["path"], f["line"], f["severity"]) for f in found] == [
        ("standards/HR2.md", line, "warning")
    ]
    assert (
        (evidence_repo / "standards/HR2.md")
        .read_text()
        .splitlines()[line - 1]
        .endswith("(EV-induction).")
    )


def test_without_counting_items_a_standard_is_a_gap(evidence_repo: Path) -> None:
    write(evidence_repo, "standards/HR2.md", met_self_assessment("HR2"))
    hr2 = _standard(evidence_repo)
    assert hr2["state"] == "gap"
    assert hr2["reasons"] == [
        "no policy or evidence lists this standard yet",
        "HR2 needs a policy: an approved policy or a plan, e.g. a procedure the board has approved",
        PRACTICE,
    ]


MINI_REQUIRES = """
requires:
  - [policy]
"""


def test_another_catalogue_can_require_other_kinds(evidence_repo: Path) -> None:
    """The catalogue, not Python, says what each standard needs: here MQ2 needs feedback only."""
    mini = (DATA / "catalogues/mini-framework.yaml").read_text()
    mini = mini.replace("\nsections:\n", MINI_REQUIRES + "sections:\n", 1)
    mini = mini.replace(
        "    title: Listening to service users\n",
        "    title: Listening to service users\n    requires:\n      - [feedback]\n",
    )
    write(evidence_repo, "catalogues/mini.yaml", mini)
    config = evidence_repo / "llcompliance.yaml"
    config.write_text(
        config.read_text().replace("  - leading-lights\n", "  - catalogues/mini.yaml\n")
    )
    feedback = (
        RECORD.replace("EV-lone-working-checks", "EV-feedback")
        .replace("kind: record", "kind: feedback")
        .replace("id: HR2", "id: MQ2")
    )
    write(evidence_repo, "evidence/feedback.yaml", feedback)
    feedback_told = NARRATIVE.replace("(POL-lone-working)", "").replace(
        "EV-lone-working-checks", "EV-feedback"
    )
    mq2_text = met_self_assessment("MQ2", feedback_told).split("## Evidence")[0]
    write(evidence_repo, "standards/MQ2.md", mq2_text)
    policy_told = NARRATIVE.replace("(EV-lone-working-checks)", "")
    write(
        evidence_repo,
        "standards/MQ1.md",
        met_self_assessment("MQ1", policy_told).split("## Evidence")[0],
    )
    write(evidence_repo, "policies/offer.md", POLICY.replace("id: HR2", "id: MQ1"))
    mq2 = _standard(evidence_repo, "MQ2")
    assert mq2["state"] == "ready", mq2["reasons"]
    assert mq2["requirements"] == [{"kinds": ["feedback"], "met": True, "ids": ["EV-feedback"]}]
    mq1 = _standard(evidence_repo, "MQ1")
    assert mq1["state"] == "ready", mq1["reasons"]
    assert mq1["requirements"] == [{"kinds": ["policy"], "met": True, "ids": ["POL-lone-working"]}]
    (evidence_repo / "evidence/feedback.yaml").unlink()
    mq2 = _standard(evidence_repo, "MQ2")
    assert mq2["state"] == "gap"
    assert (
        "MQ2 needs practice evidence: feedback dated within 12 months, "
        "e.g. a survivor feedback summary" in mq2["reasons"]
    )


def test_a_catalogue_without_requirements_takes_any_counting_item(evidence_repo: Path) -> None:
    write(
        evidence_repo,
        "catalogues/mini.yaml",
        (DATA / "catalogues/mini-framework.yaml").read_text(),
    )
    config = evidence_repo / "llcompliance.yaml"
    config.write_text(
        config.read_text().replace("  - leading-lights\n", "  - catalogues/mini.yaml\n")
    )
    write(evidence_repo, "policies/offer.md", POLICY.replace("id: HR2", "id: MQ1"))
    write(evidence_repo, "standards/MQ1.md", met_self_assessment("MQ1"))
    mq1 = _standard(evidence_repo, "MQ1")
    assert mq1["state"] == "ready", mq1["reasons"]
    assert mq1["requirements"] == [
        {
            "kinds": ["policy", "record", "data", "feedback", "template", "plan"],
            "met": True,
            "ids": ["POL-lone-working"],
        }
    ]


def test_an_older_repo_is_told_to_upgrade_once(evidence_repo: Path) -> None:
    make_ready(evidence_repo)
    write(
        evidence_repo,
        "evidence/old.yaml",
        RECORD.replace("kind: record\ndate: 2026-09-30\n", "").replace(
            "EV-lone-working-checks", "EV-old"
        ),
    )
    config = evidence_repo / "llcompliance.yaml"
    config.write_text(config.read_text().replace("format: 2\n", ""))
    result = run_cli("validate", "--as-of", TODAY, "--format", "json", cwd=evidence_repo)
    assert result.exit_code == 1
    found = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["rule"]) for f in found] == [("llcompliance.yaml", "format")]
    assert "`llcompliance upgrade`" in found[0]["message"]
    # the hook validates only the files being committed: the repo's format still shows
    named = run_cli(
        "validate",
        "policies/lone-working.md",
        "--as-of",
        TODAY,
        "--format",
        "json",
        cwd=evidence_repo,
    )
    assert named.exit_code == 1
    assert [f["rule"] for f in json.loads(named.stdout)["findings"]] == ["format"]


def test_format_2_evidence_without_kind_or_date_says_what_to_add(evidence_repo: Path) -> None:
    make_ready(evidence_repo)
    write(
        evidence_repo,
        "evidence/lone-working-checks.yaml",
        RECORD.replace("kind: record\ndate: 2026-09-30\n", ""),
    )
    found = _findings(evidence_repo)
    assert [(f["path"], f["rule"], f["severity"]) for f in found] == [
        ("evidence/lone-working-checks.yaml", "evidence-kind", "error")
    ]
    assert found[0]["message"].startswith(
        "add `kind: record` (or data, feedback, template, plan) and `date: YYYY-MM-DD`"
    )
    hr2 = _standard(evidence_repo)
    assert hr2["state"] == "attention"
    assert PRACTICE in hr2["reasons"]
    write(
        evidence_repo,
        "evidence/lone-working-checks.yaml",
        RECORD.replace("date: 2026-09-30\n", ""),
    )
    found = _findings(evidence_repo)
    assert [f["rule"] for f in found] == ["evidence-date"]
    assert found[0]["message"].startswith("add `date: YYYY-MM-DD`")


def test_new_evidence_needs_kind_and_date(evidence_repo: Path) -> None:
    base = (
        "new",
        "evidence",
        "--title",
        "Audit",
        "--standard",
        "SP1",
        "--reference",
        "Case system",
    )
    no_kind = run_cli(*base, cwd=evidence_repo)
    assert no_kind.exit_code == 2 and "--kind" in no_kind.stderr
    no_date = run_cli(*base, "--kind", "record", cwd=evidence_repo)
    assert no_date.exit_code == 2 and "--date YYYY-MM-DD" in no_date.stderr
    bad_date = run_cli(*base, "--kind", "record", "--date", "30/09/2026", cwd=evidence_repo)
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.stderr
    policy = run_cli(
        "new", "policy", "--title", "P", "--standard", "HR2", "--kind", "record", cwd=evidence_repo
    )
    assert policy.exit_code == 2 and "for evidence records" in policy.stderr
    assert not list((evidence_repo / "evidence").glob("*.yaml"))


def test_new_policy_stays_a_draft_until_approved(evidence_repo: Path) -> None:
    made = run_cli(
        "new", "policy", "--title", "Lone working", "--standard", "HR2", cwd=evidence_repo
    )
    assert made.exit_code == 0, made.output
    path = evidence_repo / "policies/lone-working.md"
    text = path.read_text()
    assert "# approved:\n#   date: YYYY-MM-DD\n#   by: Board of trustees\n" in text
    # filled in, but not approved: still a draft
    body = POLICY.split("---\n", 2)[2]
    filled = text.replace("Say in one sentence how this supports the standard.", "Check-ins.")
    filled = filled.split("---\n# Lone working")[0] + "---\n" + body
    path.write_text(filled)
    write(evidence_repo, "evidence/lone-working-checks.yaml", RECORD)
    write(evidence_repo, "standards/HR2.md", met_self_assessment("HR2"))
    assert [f["rule"] for f in _findings(evidence_repo)] == ["unapproved"]
    assert _standard(evidence_repo)["state"] == "attention"
    path.write_text(
        filled.replace(
            "# approved:\n#   date: YYYY-MM-DD\n#   by: Board of trustees\n",
            "approved:\n  date: 2026-11-01\n  by: Board of trustees\n",
        )
    )
    assert _standard(evidence_repo)["state"] == "ready"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-11-23", 12, "2025-11-23"),
        ("2026-03-31", 1, "2026-02-28"),
        ("2028-02-29", 12, "2027-02-28"),
        ("2026-01-15", 1, "2025-12-15"),
    ],
)
def test_months_before(day: str, months: int, expected: str) -> None:
    assert months_before(dt.date.fromisoformat(day), months).isoformat() == expected
