"""The assessor's side on the demo service: PR body, what changed between reports, outcomes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, git, run_cli
from markdown_it import MarkdownIt

from llcompliance.adapters import gitrepo
from llcompliance.adapters.markdown import extract_links
from llcompliance.assessor.diff import diff_against_head, diff_reports
from llcompliance.assessor.outcomes import (
    assessment_problems,
    outcome_summary,
    outcomes_dict,
    outcomes_table,
)
from llcompliance.assessor.signer import check_signer, default_links
from llcompliance.commands import demo
from llcompliance.core import workspace
from llcompliance.core.checks import validate
from llcompliance.core.coverage import compute
from llcompliance.errors import UsageError
from llcompliance.render.diff import render_diff_markdown, render_diff_text
from llcompliance.render.html import render_html
from llcompliance.render.outcomes import render_outcomes_text
from llcompliance.render.pr_body import GITHUB_BODY_LIMIT, pr_body, pr_title
from llcompliance.report import assessments, signing
from llcompliance.report import build as report
from llcompliance.report import model as readiness
from llcompliance.report.model import Report, Source

AS_OF = demo.DEMO_AS_OF  # 2026-11-23: the demo's deliberate problems are dated against it
BASE = "https://github.com/harbour-lane/evidence/blob/{commit}/"
FULL = "https://github.com/harbour-lane/evidence/blob/readiness/report/reports/x/readiness.md"
VISIT = DATA / "assessor" / "2027-02-14-visit.yaml"
AUTHOR = ("Service Manager", "service.manager@harbourlane.example.org")


@pytest.fixture(scope="module")
def built(demo_built: demo.DemoResult) -> demo.DemoResult:
    """The session's demo repo with its signed report (copy it before changing it)."""
    return demo_built


@pytest.fixture
def repo(built: demo.DemoResult, tmp_path: Path) -> Path:
    """A private copy of the demo repo, for tests that commit."""
    target = tmp_path / "harbour-lane"
    shutil.copytree(built.repo, target, symlinks=True)
    return target


@pytest.fixture(scope="module")
def data(built: demo.DemoResult) -> Report:
    return readiness.load(built.report_dir)


def _raw(built: demo.DemoResult) -> dict[str, Any]:
    """The demo's readiness.json as a plain dict, for tests that tamper with it."""
    return json.loads((built.report_dir / report.JSON_NAME).read_bytes())  # type: ignore[no-any-return]


def _built(repo: Path, as_of: dt.date = AS_OF) -> Report:
    return readiness.parse(report.build(repo, as_of).data)


def _base(data: Report) -> str:
    return BASE.format(commit=data.source.commit)


def _tree(repo: Path, commit: str) -> set[str]:
    return set(git(repo, "ls-tree", "-r", "--name-only", commit).splitlines())


def _assert_links_resolve(
    body: str, base: str, existing: set[str], extra: tuple[str, ...] = ()
) -> int:
    """Every link is base + a file at the commit, or an absolute https URL we expect."""
    links = extract_links(body)
    for target, line in links:
        if target.startswith(base):
            assert target[len(base) :] in existing, (line, target)
        else:
            assert target in extra, (line, target)
    return len(links)


def _h3(body: str) -> list[str]:
    """The text of each level-3 heading as a reader sees it (escapes resolved)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    return [
        "".join(
            c.content for c in tokens[i + 1].children or [] if c.type in ("text", "code_inline")
        )
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h3"
    ]


def _second_commit(repo: Path) -> str:
    """The board re-approves the lone-working policy; the expired volunteers policy is withdrawn."""
    policy = repo / "policies/lone-working.md"
    text = policy.read_text(encoding="utf-8")
    fixed = text.replace("review_due: 2026-06-30", "review_due: 2027-06-30").replace(
        "date: 2025-06-17", "date: 2026-11-20"
    )
    assert fixed.count("2027-06-30") == 1 and "2026-11-20" in fixed
    policy.write_text(fixed, encoding="utf-8")
    (repo / "policies/volunteers.md").unlink()
    return gitrepo.commit_all(
        repo,
        "Lone working re-approved; volunteers policy withdrawn",
        paths=["policies/lone-working.md", "policies/volunteers.md"],
        date="2026-11-21T10:00:00",
        author=AUTHOR,
    )


# --- pr_body -------------------------------------------------------------------------------------


def test_pr_body_for_the_demo_fits_renders_and_links_only_existing_files(
    built: demo.DemoResult, data: Report
) -> None:
    base = _base(data)
    body = pr_body(data, base_url=base, full_report_url=FULL, report_path="reports/x")
    assert len(body) <= GITHUB_BODY_LIMIT and "Cut to fit" not in body
    headings = _h3(body)
    assert len(headings) == 23 == len(set(headings))
    assert headings[0] == "SP1 — Risk-led response: ✓ ready"
    assert "HR2 — Managing risks to staff: ✕ gap" in headings
    assert "SP4 — Lawful, good-practice case recording: ! attention" in headings
    for std in data.standards:
        assert f"\n- [ ] {std.id} reviewed\n" in body
    existing = _tree(built.repo, data.source.commit)
    assert _assert_links_resolve(body, base, existing) > 60
    assert body.endswith("\n") and "\n\n\n" not in body


def test_pr_body_tells_the_assessor_how_to_verify_and_record(data: Report) -> None:
    body = pr_body(
        data,
        base_url=_base(data),
        report_path="reports/2026-11-23-d759fc5",
        fingerprint="SHA256:HJ4BE2J5ouzahY",
    )
    assert (
        "llcompliance verify reports/2026-11-23-d759fc5 --allowed-signers allowed_signers "
        "--principal PRINCIPAL --rebuild"
    ) in body
    assert (
        "ssh-keygen -Y verify -f allowed_signers -I PRINCIPAL -n readiness-report@llcompliance "
        "-s readiness.json.sig < readiness.json"
    ) in body
    assert "never from this pull request" in body
    assert "`SHA256:HJ4BE2J5ouzahY`" in body
    assert "assessments/<date>-<assessor>.yaml" in body
    assert 'report: "reports/2026-11-23-d759fc5"' in body
    assert "outcome: met            # met | further-evidence | not-met" in body
    assert "quoted from SafeLives" in body  # the attribution for the quoted statements


def test_pr_body_shows_evidence_as_links_and_references_as_text(data: Report) -> None:
    base = _base(data)
    body = pr_body(data, base_url=base)
    sp3 = body.split("### SP3")[1].split("### SP4")[0]
    policy = "policies/case-management-and-supervision.md"
    assert f"[{policy}]({base}{policy})" in sp3
    assert (
        "held outside the repo: Case system > Reports > Caseload by team (anonymised) > 2026 Q3"
    ) in sp3
    sp4 = body.split("### SP4")[1].split("### SP5")[0]
    assert "points at evidence/files/dpia-case-system-2026.md, which cannot be found" in sp4
    assert f"({base}evidence/files/dpia-case-system-2026.md)" not in body  # never a broken link
    assert "`evidence/dpia-case-system.yaml:10` location:" in sp4


def test_pr_body_is_cut_at_a_standard_boundary_and_links_out(
    built: demo.DemoResult, data: Report
) -> None:
    base = _base(data)
    full = pr_body(data, base_url=base, full_report_url=FULL)
    existing = _tree(built.repo, data.source.commit)
    shown_counts = set()
    for limit in (3_000, 6_000, 9_000, 20_000, len(full) - 1):
        body = pr_body(data, base_url=base, full_report_url=FULL, limit=limit)
        assert len(body) <= limit
        kept, _, rest = body.partition("\n---\n\n**Cut to fit")
        assert rest, limit
        assert full.startswith(kept + "\n")  # whole lines, in order, nothing rewritten
        headings = _h3(body)
        shown = int(re.search(r"(\d+) of 23 standards are shown", rest).group(1))  # type: ignore[union-attr]
        assert len(headings) == shown
        if shown:
            last = data.standards[shown - 1].id
            assert kept.endswith(f"- [ ] {last} reviewed\n")  # the last standard is complete
            assert data.standards[shown].id in rest  # the first left off is named
        assert f"[full report]({FULL})" in rest
        assert "llcompliance verify" in kept  # the head always stays
        _assert_links_resolve(body, base, existing, extra=(FULL,))
        shown_counts.add(shown)
    assert min(shown_counts - {0}) > 0 and max(shown_counts) == 22


def test_pr_body_cut_without_a_url_names_the_markdown_file(data: Report) -> None:
    body = pr_body(data, base_url=_base(data), limit=8_000, report_path="reports/x")
    assert body.rstrip().splitlines()[-1].startswith("Made by llcompliance")
    assert "`reports/x/readiness.md` on this branch" in body


def test_pr_body_refuses_an_impossible_limit(data: Report) -> None:
    with pytest.raises(UsageError, match="too small"):
        pr_body(data, base_url=_base(data), limit=500)


def test_pr_body_keeps_hostile_text_literal(built: demo.DemoResult, data: Report) -> None:
    """Titles, reasons and references are the service's text: they never become links or HTML."""
    hostile = _raw(built)
    sp1 = hostile["standards"][0]
    sp1["title"] = "Risk [click](javascript:alert(1)) <img src=x onerror=alert(1)> *bold* | cell"
    sp1["reasons"] = ["see [here](https://evil.example/) &amp; `code`", "second"]
    sp1["evidence"][0]["location"] = "Case system > <script>alert(1)</script>"
    sp1["evidence"][0]["title"] = "![pixel](https://evil.example/p.png)"
    base = _base(data)
    body = pr_body(readiness.parse(hostile), base_url=base)
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(body)
    assert "evil.example" not in " ".join(t for t, _ in extract_links(body))
    assert "<script" not in html and "<img" not in html and "<em>bold" not in html
    assert _h3(body)[0] == f"SP1 — {sp1['title']}: ✓ ready"


def test_pr_title(data: Report) -> None:
    title = "Leading Lights readiness report 2026-11-23: 11 of 23 standards ready"
    assert pr_title(data) == title


def test_signer_of_the_demo_report(built: demo.DemoResult) -> None:
    signer = check_signer(built.report_dir, built.repo).verified
    assert signer is not None
    assert signer.principal == demo.PRINCIPAL and signer.fingerprint == built.key_fingerprint


# --- what changed since the last report ----------------------------------------------------------


def test_diff_between_two_demo_reports(built: demo.DemoResult, repo: Path) -> None:
    old = readiness.load(repo / "reports" / built.report_dir.name)
    commit = _second_commit(repo)
    new = _built(repo)
    diff = diff_reports(old, new)
    assert [(c.id, c.before, c.after) for c in diff.states] == [
        ("HR1", "attention", "ready"),  # its only problem was the expired volunteers policy
        ("HR2", "gap", "attention"),  # its policy is in date again, but no practice evidence
    ]
    assert all(c.better for c in diff.states)
    assert [(c.standard, c.added, c.removed, c.edited) for c in diff.evidence] == [
        ("HR1", (), ("POL-volunteers",), ()),
        ("HR2", (), (), ("POL-lone-working",)),
    ]
    assert diff.files_edited == ("policies/lone-working.md",)
    assert diff.files_removed == ("policies/volunteers.md",)
    assert diff.files_added == ()
    assert diff.summary_before == {"total": 23, "ready": 11, "attention": 7, "gap": 5}
    assert diff.summary_after == {"total": 23, "ready": 12, "attention": 7, "gap": 4}
    assert diff.after_commit == commit and diff.notes == ()
    text = render_diff_text(diff)
    for line in (
        "HR2: gap → attention",
        "HR1: attention → ready",
        "HR1: removed POL-volunteers",
        "HR2: edited POL-lone-working",
        "Edited: policies/lone-working.md",
        "Removed: policies/volunteers.md",
        "Ready: 11 → 12 of 23",
    ):
        assert line in text
    assert json.loads(json.dumps(diff.as_dict()))["files"]["removed"] == ["policies/volunteers.md"]


def test_diff_in_the_pr_body(built: demo.DemoResult, repo: Path) -> None:
    old = readiness.load(repo / "reports" / built.report_dir.name)
    _second_commit(repo)
    new = _built(repo)
    diff = diff_reports(old, new)
    base = _base(new)
    body = pr_body(new, base_url=base, previous=diff)
    assert "## What changed since the last report" in body
    assert f"- Edited: [policies/lone-working.md]({base}policies/lone-working.md)" in body
    assert "- Removed: policies/volunteers.md" in body
    hr2 = body.split("### HR2")[1].split("### HR3")[0]
    assert "**Changed since the last report:** gap → attention." in hr2
    assert "Evidence since the last report: edited POL-lone-working." in hr2
    assert len(_h3(body)) == 23
    _assert_links_resolve(body, base, _tree(repo, new.source.commit))


def test_diff_markdown_caps_long_lists_and_never_links_removed_files(data: Report) -> None:
    old = dataclasses.replace(
        data,
        as_of="2026-11-01",
        source=Source("a" * 40, "a" * 40),
        standards=(),
        files={f"evidence/files/{i}.md": "sha256:1" for i in range(40)},
    )
    new = dataclasses.replace(old, as_of="2026-11-23", source=Source("b" * 40, "b" * 40), files={})
    diff = diff_reports(old, new)
    md = render_diff_markdown(diff, base_url="https://x/", max_items=5)
    assert md.count("- Removed:") == 5 and "… and 35 more" in md
    assert extract_links(md) == []
    assert "judged on different dates" in render_diff_text(diff)


def test_diff_of_identical_reports_says_nothing_changed(data: Report) -> None:
    diff = diff_reports(data, data)
    assert diff.empty
    assert "Nothing changed" in render_diff_text(diff)
    assert "Nothing changed" in render_diff_markdown(diff)


def test_diff_against_head(built: demo.DemoResult, repo: Path) -> None:
    report_dir = repo / "reports" / built.report_dir.name
    old = readiness.load(report_dir)
    _second_commit(repo)
    same_day = diff_against_head(report_dir, repo, AS_OF)
    assert same_day.states == diff_reports(old, _built(repo)).states
    later = diff_against_head(report_dir, repo, dt.date(2027, 2, 1))
    assert later.after_as_of == "2027-02-01"
    assert any("different dates" in n for n in later.notes)
    # The Q3 case-file audit is due for review on 2027-01-31: by February SP1 needs attention too.
    assert ("SP1", "ready", "attention") in [(c.id, c.before, c.after) for c in later.states]
    february = _built(repo, dt.date(2027, 2, 1))
    assert later.states == diff_reports(old, february).states


def test_diff_against_head_defaults_to_today(built: demo.DemoResult) -> None:
    diff = diff_against_head(built.report_dir, built.repo)
    assert diff.after_as_of == dt.date.today().isoformat()


def test_load_says_what_is_wrong(built: demo.DemoResult, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="has no readiness.json"):
        readiness.load(tmp_path)
    (tmp_path / "readiness.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(UsageError, match="not valid JSON"):
        readiness.load(tmp_path)
    broken = {k: v for k, v in _raw(built).items() if k != "files"}
    (tmp_path / "readiness.json").write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(UsageError, match="not a readiness report"):
        readiness.load(tmp_path)


# --- assessor outcomes beside coverage -----------------------------------------------------------


def _visit(repo: Path) -> None:
    dest = repo / "assessments" / VISIT.name
    shutil.copyfile(VISIT, dest)


def test_visit_fixture_is_valid(repo: Path) -> None:
    _visit(repo)
    result = validate(repo, [str(repo / "assessments" / VISIT.name)], today=AS_OF)
    assert list(result.findings) == []


def test_outcomes_table_shows_outcomes_and_disagreements(repo: Path) -> None:
    _visit(repo)
    ws = workspace.load(repo, today=AS_OF)
    rows = outcomes_table(ws, compute(ws, AS_OF))
    by_id = {r.id: r for r in rows}
    assert [r.id for r in rows][:3] == ["SP1", "SP2", "SP3"] and len(rows) == 23
    sp1 = by_id["SP1"]
    assert (sp1.state, sp1.outcome, sp1.date, sp1.assessor, sp1.disagrees) == (
        "ready",
        "met",
        "2027-02-14",
        "A. Assessor",
        False,
    )
    assert sp1.comment == "Risk assessment practice is consistent and well audited."
    assert sp1.path == f"assessments/{VISIT.name}"

    def seen(sid: str) -> tuple[str, str | None, bool]:
        return by_id[sid].state, by_id[sid].outcome, by_id[sid].disagrees

    assert seen("SP4") == ("attention", "further-evidence", False)
    assert seen("GV1") == ("ready", "not-met", True)  # we say ready, the assessor says not met
    assert seen("HR2") == ("gap", "met", True)  # the assessor says met, we say gap
    assert by_id["HR2"].date == "2027-02-15"  # a finding's own date wins over the file's
    assert seen("MA4") == ("gap", "not-met", False)
    assert by_id["SP2"].outcome is None and not by_id["SP2"].disagrees
    assert outcome_summary(rows) == {
        "met": 2,
        "further-evidence": 1,
        "not-met": 2,
        "not-assessed": 18,
    }
    text = render_outcomes_text(rows)
    # outcomes_table without a reader: nothing says a trusted assessor signed, so "unsigned"
    gv1 = r"^GV1 .+✓ ready +not met \(A\. Assessor, 2027-02-14\), unsigned  ← disagrees$"
    assert re.search(gv1, text, re.M)
    assert "“The business plan has no risk-adjusted funding scenario.”" in text
    assert "Assessor outcomes: 2 met, 1 further evidence, 2 not met; 18 of 23 not assessed." in text
    assert "GV1: your coverage says ready but the assessor found it not met" in text
    assert "HR2: the assessor found it met but your coverage says gap" in text
    as_json = json.loads(json.dumps(outcomes_dict(rows)))
    assert as_json["disagreements"] == 2
    assert as_json["standards"][0]["outcome"] == "met"


def test_outcomes_text_without_any_assessment(built: demo.DemoResult) -> None:
    ws = workspace.load(built.repo, today=AS_OF)
    text = render_outcomes_text(outcomes_table(ws, compute(ws, AS_OF)))
    assert "No assessor outcomes yet" in text and "← disagrees" not in text


def test_committed_outcomes_appear_in_the_pr_body(repo: Path) -> None:
    _visit(repo)
    gitrepo.commit_all(
        repo,
        "Record the assessor's findings",
        paths=[f"assessments/{VISIT.name}"],
        # on the report's own day: a report may not be as of a day before its commit
        date="2026-11-23T09:00:00",
        author=AUTHOR,
    )
    new = _built(repo)
    base = _base(new)
    body = pr_body(new, base_url=base)
    gv1 = body.split("### GV1")[1].split("### GV2")[0]
    assert (
        f"Outcome recorded by the service, unsigned: **not met** (A. Assessor, 2027-02-14; "
        f"[assessments/{VISIT.name}]({base}assessments/{VISIT.name})) — "
        "The business plan has no risk-adjusted funding scenario."
    ) in gv1
    assert "The service's coverage now says ready" in gv1
    sp1 = body.split("### SP1")[1].split("### SP2")[0]
    assert "**met**" in sp1 and "now says" not in sp1
    _assert_links_resolve(body, base, _tree(repo, new.source.commit))


def test_unsigned_report_is_called_out(data: Report) -> None:
    body = pr_body(data, base_url=_base(data), signed=False)
    assert "**This report is not signed**" in body
    assert "not signed" not in pr_body(data, base_url=_base(data))


def test_default_links_in_actions_and_locally(built: demo.DemoResult) -> None:
    commit = "c" * 40
    report_dir = built.report_dir
    rel = f"reports/{report_dir.name}"
    local = default_links(report_dir, built.repo, commit, None, None)
    assert local == ("../../", None, rel)
    base, full, path = default_links(
        report_dir, built.repo, commit, "https://github.com", "harbour-lane/evidence"
    )
    assert base == f"https://github.com/harbour-lane/evidence/blob/{commit}/"
    assert full == (
        f"https://github.com/harbour-lane/evidence/blob/readiness/report/{rel}/readiness.md"
    )
    assert path == rel


def test_invalid_assessment_files_are_reported_not_silently_skipped(repo: Path) -> None:
    (repo / "assessments" / "2027-03-01-typo.yaml").write_text(
        "assessor: A. Assessor\nfindings:\n  - standard: SP2\n    outcome: partly\n",
        encoding="utf-8",
    )
    ws = workspace.load(repo, today=AS_OF)
    problems = assessment_problems(ws)
    assert [f.path for f in problems] == ["assessments/2027-03-01-typo.yaml"]
    rows = outcomes_table(ws, compute(ws, AS_OF))
    assert all(r.outcome is None for r in rows)


# --- whose word an outcome is (issue 12) ---------------------------------------------------------


def _commit_visit(repo: Path, *extra: str) -> Report:
    gitrepo.commit_all(
        repo,
        "Record the assessor's findings",
        paths=[f"assessments/{VISIT.name}", *extra],
        date="2026-11-23T09:00:00",
        author=AUTHOR,
    )
    return _built(repo)


def _sign_visit(repo: Path, tmp_path: Path, *, trust: bool) -> None:
    keys = signing.generate_keypair(tmp_path / "assessor-key", "lead@assessor.example.org")
    visit = repo / "assessments" / VISIT.name
    key = signing.read_private_key(keys.private)
    sig = signing.sign(visit.read_bytes(), key, namespace=assessments.NAMESPACE)
    (repo / f"assessments/{VISIT.name}.sig").write_text(sig, encoding="utf-8")
    other = signing.generate_keypair(tmp_path / "other-key", "someone@else.example.org")
    trusted = keys if trust else other
    line = trusted.allowed_signers.read_text(encoding="utf-8")
    line = line.replace("readiness-report@llcompliance", assessments.NAMESPACE)
    (repo / assessments.TRUSTED_ASSESSORS).write_text(line, encoding="utf-8")


def test_an_unsigned_outcome_is_shown_as_the_services_record(repo: Path) -> None:
    """A file the service wrote is never shown as an assessor's word (the forged-outcome repro)."""
    _visit(repo)
    data = _commit_visit(repo)
    gv1 = next(s for s in data.standards if s.id == "GV1")
    assert gv1.assessment is not None and not gv1.assessment.signed
    html = render_html(report.build(repo, AS_OF).data)
    assert "Outcome recorded by the service, unsigned" in html
    assert "Assessor’s outcome" not in html and "Assessor's outcome" not in html
    body = pr_body(data, base_url=_base(data))
    assert "Assessor's outcome" not in body


def test_an_outcome_signed_by_a_trusted_assessor_says_who(repo: Path, tmp_path: Path) -> None:
    _visit(repo)
    _sign_visit(repo, tmp_path, trust=True)
    data = _commit_visit(repo, f"assessments/{VISIT.name}.sig", assessments.TRUSTED_ASSESSORS)
    gv1 = next(s for s in data.standards if s.id == "GV1")
    assert gv1.assessment is not None and gv1.assessment.signed
    assert (gv1.assessment.signed_by or "").startswith("lead@assessor.example.org (SHA256:")
    html = render_html(report.build(repo, AS_OF).data)
    assert "Assessor’s outcome, signed by lead@assessor.example.org" in html
    body = pr_body(data, base_url=_base(data))
    assert "Assessor's outcome, signed by lead@assessor.example.org" in body


def test_a_signature_by_a_key_the_service_does_not_trust_is_unsigned(
    repo: Path, tmp_path: Path
) -> None:
    _visit(repo)
    _sign_visit(repo, tmp_path, trust=False)
    data = _commit_visit(repo, f"assessments/{VISIT.name}.sig", assessments.TRUSTED_ASSESSORS)
    gv1 = next(s for s in data.standards if s.id == "GV1")
    assert gv1.assessment is not None and not gv1.assessment.signed


def _assess(repo: Path, fmt: str = "text") -> str:
    result = run_cli("assess", "--as-of", "2026-11-23", "--format", fmt, cwd=repo)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_assess_says_an_unsigned_outcome_is_the_services_record(repo: Path) -> None:
    _visit(repo)
    text = _assess(repo)
    sp1 = next(line for line in text.splitlines() if line.startswith("SP1 "))
    assert sp1.endswith("met (A. Assessor, 2027-02-14), unsigned")
    assert "outcomes are unsigned: what the service recorded, not yet the assessor's word" in text
    rows = json.loads(_assess(repo, "json"))["standards"]
    assert {r["id"]: r["signed_by"] for r in rows if r["outcome"]}["SP1"] is None


def test_assess_names_the_trusted_assessor_who_signed(repo: Path, tmp_path: Path) -> None:
    """Signed by a key in .llcompliance/assessors: the outcome is the assessor's word, in words."""
    _visit(repo)
    _sign_visit(repo, tmp_path, trust=True)
    text = _assess(repo)
    sp1 = next(line for line in text.splitlines() if line.startswith("SP1 "))
    assert ", signed by lead@assessor.example.org (SHA256:" in sp1
    assert "unsigned" not in text
    rows = json.loads(_assess(repo, "json"))["standards"]
    assert {r["signed_by"].split(" ")[0] for r in rows if r["outcome"]} == {
        "lead@assessor.example.org"
    }
    # a change after signing, or a key the service does not trust: the service's record again
    visit = repo / "assessments" / VISIT.name
    visit.write_text(visit.read_text().replace("outcome: not-met", "outcome: met"))
    assert "outcomes are unsigned" in _assess(repo)


def test_assess_does_not_trust_assessors_reached_through_a_link(repo: Path, tmp_path: Path) -> None:
    """A report reads the commit, where a linked folder is not the folder: neither does assess."""
    _visit(repo)
    _sign_visit(repo, tmp_path, trust=True)
    outside = tmp_path / "elsewhere"
    (repo / assessments.TRUSTED_ASSESSORS).parent.rename(outside)
    (repo / assessments.TRUSTED_ASSESSORS).parent.symlink_to(outside)
    assert (repo / assessments.TRUSTED_ASSESSORS).exists()  # readable through the link
    assert "signed by" not in _assess(repo)


def test_assess_does_not_take_an_untrusted_signature(repo: Path, tmp_path: Path) -> None:
    _visit(repo)
    _sign_visit(repo, tmp_path, trust=False)
    assert "signed by" not in _assess(repo)


def _block(body: str, standard_id: str) -> str:
    """One standard's block of a PR body, from its heading to its task box."""
    start = body.index(f"### {standard_id} ")
    return body[start : body.index(f"- [ ] {standard_id} reviewed", start)]


def test_pr_body_shows_each_standard_as_a_requirement_checklist(data: Report) -> None:
    """Box and words for each group; unmet groups say what would meet them and what is listed."""
    body = pr_body(data, base_url=_base(data))
    sp1 = _block(body, "SP1")
    assert "- ☑ met: an approved policy or a plan — `POL-risk-assessment`" in sp1
    assert "- ☑ met: a record, data or feedback — `EV-casefile-audit-2026q3`" in sp1
    hr3 = _block(body, "HR3")
    assert "- ☐ **not met**: an approved policy or a plan. To meet it: HR3 needs a policy" in hr3
    assert "`POL-staff-affected-by-abuse` (a draft, not yet approved)" in hr3
    # The unmet group's text is in the checklist, not repeated as a loose reason.
    assert hr3.count("HR3 needs a policy") == 1


def test_pr_body_of_a_report_without_requirements_still_lists_reasons(
    built: demo.DemoResult,
) -> None:
    """A report made before requirements were recorded: no checklist, the reasons as before."""
    raw = _raw(built)
    for std in raw["standards"]:
        std.pop("requirements", None)
    body = pr_body(readiness.parse(raw), base_url="")
    hr3 = _block(body, "HR3")
    assert "requires" not in hr3 and "- HR3 needs a policy" in hr3
