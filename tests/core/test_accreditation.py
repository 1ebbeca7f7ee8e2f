"""accreditation.yaml: dates of the cycle, and hostile files giving findings with lines, never tracebacks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from llcompliance.adapters import resources, schemas, yamlio
from llcompliance.core import accreditation as acc
from tests.conftest import run_cli, write

D = dt.date


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert acc.add_months(D(2026, 3, 15), 12) == D(2027, 3, 15)
    assert acc.add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert acc.add_months(D(2024, 2, 29), 36) == D(2027, 2, 28)
    assert acc.add_months(D(2027, 1, 31), -6) == D(2026, 7, 31)


def test_builtin_catalogue_holds_the_eligibility_questions_as_data() -> None:
    data = yamlio.load((resources.catalogue_dir() / "leading-lights.yaml").read_text()).data
    assert list(schemas.problems("catalogue", data)) == []
    prog = acc.programme("leading-lights")
    assert prog.application_window_months == 12
    assert prog.accreditation_years == 3
    assert prog.reaccreditation_opens_months == 6
    assert {q.id for q in prog.questions} == {
        "running-one-year",
        "manager-trained",
        "governance-lead",
        "risk-assess-referrals",
        "marac",
        "collects-data",
    }


def _parsed(text: str) -> acc.AccreditationFile:
    return acc.parse(text.encode())


def test_expires_defaults_to_awarded_plus_three_years() -> None:
    found = _parsed("outcome: accredited\nawarded: 2026-05-31\n")
    assert found.findings == ()
    assert found.accreditation is not None
    assert found.accreditation.expires(acc.Programme()) == D(2029, 5, 31)
    given = _parsed("awarded: 2026-05-31\nexpires: 2029-01-01\n").accreditation
    assert given is not None and given.expires(acc.Programme()) == D(2029, 1, 1)


def test_application_window_is_twelve_months_after_the_training() -> None:
    found = _parsed("manager_qualified: 2026-03-10\n").accreditation
    assert found is not None
    (due,) = acc.milestones(found, acc.programme("leading-lights"), D(2026, 11, 23))
    assert (due.kind, due.date, due.overdue, due.line) == (
        acc.APPLICATION,
        D(2027, 3, 10),
        False,
        1,
    )
    late = acc.milestones(found, acc.Programme(), D(2027, 3, 11))
    assert late[0].overdue
    applied = _parsed("manager_qualified: 2026-03-10\napplied: 2026-09-01\n").accreditation
    assert applied is not None and acc.milestones(applied, acc.Programme(), D(2026, 11, 23)) == []


def test_reaccreditation_window_opens_before_expiry() -> None:
    found = _parsed("outcome: accredited\nawarded: 2024-01-15\n").accreditation
    assert found is not None
    dues = {d.kind: d for d in acc.milestones(found, acc.Programme(), D(2026, 11, 23))}
    assert dues[acc.REACCREDITATION].date == D(2026, 7, 15)
    assert dues[acc.EXPIRY].date == D(2027, 1, 15)
    assert not dues[acc.EXPIRY].overdue


@pytest.mark.parametrize(
    ("text", "rule", "line", "words"),
    [
        ("manager_qualified: 12/03/2026\n", "schema", 1, "YYYY-MM-DD"),
        ("visit: 2026-01-01\noutcome: passed\n", "schema", 2, "one of"),
        ("actions:\n  - id: A1\n    action: x\n    due: [2026]\n", "schema", 4, "must be text"),
        ("actions: lots\n", "schema", 1, "a list"),
        ("eligibility:\n  marac: {answer: maybe}\n", "schema", 2, "boolean"),
        ("awarded: 2026-01-01\nreveiw: x\n", "schema", 2, "unknown key"),
        ("- just\n- a list\n", "schema", 1, "set of keys"),
        (
            "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n"
                for i in range(6)
            ),
            "yaml-alias",
            1,
            "aliases",
        ),
        ("x: " + "[" * 200 + "]" * 200 + "\n", "too-deep", 1, "levels deep"),
        ("visit: 2026-01-01\nvisit: 2026-02-01\n", "duplicate-key", 2, "twice"),
        ("outcome: !!python/object:os.system x\n", "yaml-syntax", 1, "not allowed"),
    ],
    ids=[
        "bad-date",
        "bad-outcome",
        "nested-wrong-type",
        "actions-not-list",
        "answer-not-bool",
        "unknown-key",
        "not-a-mapping",
        "alias-bomb",
        "deep-nesting",
        "duplicate-key",
        "python-tag",
    ],
)
def test_hostile_file_gives_findings_with_lines(
    text: str, rule: str, line: int, words: str
) -> None:
    found = _parsed(text)
    assert found.failed
    hit = [f for f in found.findings if f.rule == rule]
    assert hit, found.findings
    assert hit[0].path == "accreditation.yaml"
    assert hit[0].line == line
    assert words in hit[0].message


def test_binary_junk_is_a_finding() -> None:
    found = acc.parse(b"\x00\xff\xfe junk")
    assert found.failed and found.accreditation is None


def test_cross_checks_name_the_line(evidence_repo: Path) -> None:
    write(
        evidence_repo,
        "accreditation.yaml",
        "manager_qualified: 2026-01-10\n"
        "applied: 2027-06-01\n"
        "actions:\n"
        "  - {id: A1, standard: SP1, action: Audit, due: 2026-12-01}\n"
        "  - {id: A1, standard: ZZ9, action: Again, due: 2026-12-01}\n"
        "eligibility:\n"
        "  marac: {answer: yes, evidence: EV-nowhere}\n"
        "  wears-hats: {answer: no}\n",
    )
    result = run_cli("validate", "--as-of", "2026-11-23", cwd=evidence_repo)
    assert result.exit_code == 1
    out = result.stdout
    assert "accreditation.yaml:2: application-window:" in out
    assert "accreditation.yaml:5: duplicate-id:" in out
    assert "accreditation.yaml:5: unknown-standard:" in out
    assert "accreditation.yaml:7: unknown-evidence:" in out
    assert "accreditation.yaml:8: unknown-question:" in out
    focused = run_cli("validate", "accreditation.yaml", "--as-of", "2026-11-23", cwd=evidence_repo)
    assert "accreditation.yaml:7: unknown-evidence:" in focused.stdout


def test_hostile_file_through_the_cli_is_exit_1_not_a_traceback(evidence_repo: Path) -> None:
    write(evidence_repo, "accreditation.yaml", "x: " + "[" * 500 + "]" * 500 + "\n")
    for args in (("validate",), ("status", "--as-of", "2026-11-23")):
        result = run_cli(*args, cwd=evidence_repo)
        assert result.exit_code == 1, result.output
        assert "accreditation.yaml:1: too-deep" in result.output
        assert "Traceback" not in result.output


def test_template_stub_is_valid_and_empty() -> None:
    text = (resources.template_dir() / "accreditation.yaml").read_text()
    found = acc.parse(text.encode())
    assert found.findings == ()
    assert found.accreditation is not None and found.accreditation.actions == ()


def test_demo_accreditation_is_valid(demo_built) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("validate", "accreditation.yaml", "--as-of", "2026-11-23", cwd=demo_built.repo)
    assert "accreditation.yaml" not in result.stdout, result.stdout
