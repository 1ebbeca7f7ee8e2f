"""`llcompliance import`: Word files made with python-docx become policies that validate and count;
personal data is refused before anything is written; nothing is ever overwritten."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import docx
import pytest
from conftest import RECORD, ROOT, TODAY, met_self_assessment, run_cli, write
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from llcompliance.adapters import wordconv
from llcompliance.core import importer

BODY = (
    "Before any home visit, outreach session or court date, the worker checks the risk information "
    "held on the case system and agrees the visit with their team leader. A visit to a high-risk "
    "address is never made alone, and a visit is never made where the person causing harm may be "
    "present. The worker records the address, the expected finish time and a safe word in the "
    "team's signing-out book. The worker calls the duty worker when they arrive and when they "
    "leave. If the worker has not called within thirty minutes of the expected finish time, the "
    "duty worker calls them; if there is no answer, the duty worker calls their team leader and, "
    "if still in doubt, the police. Workers carry a charged personal alarm and a work phone at all "
    "times. After a difficult visit the worker can ask for a debrief the same day."
)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _hyperlink(paragraph: object, text: str, url: str) -> None:
    """python-docx has no hyperlink API: add the w:hyperlink element and its relationship."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)  # type: ignore[attr-defined]
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    text_elem = OxmlElement("w:t")
    text_elem.text = text
    run.append(text_elem)
    link.append(run)
    paragraph._p.append(link)  # type: ignore[attr-defined]


def policy_docx(path: Path, *, title: str = "Lone working", extra: str = "") -> Path:
    """A Word policy: a title heading, bold and italic, a link, lists, a table, an image, a comment."""
    document = docx.Document()
    document.add_heading(title, level=1)
    intro = document.add_paragraph("Staff who work ")
    intro.add_run("alone").bold = True
    intro.add_run(" tell the ")
    intro.add_run("duty worker").italic = True
    intro.add_run(" where they are. See ")
    _hyperlink(intro, "the national guidance", "https://www.example.org/lone-working")
    intro.add_run(".")
    document.add_heading("Before a visit", level=2)
    document.add_paragraph(BODY)
    document.add_paragraph("Check the risk information", style="List Bullet")
    document.add_paragraph("Agree the visit with a team leader", style="List Bullet")
    document.add_heading("During a visit", level=2)
    document.add_paragraph("Call the duty worker on arrival", style="List Number")
    document.add_paragraph("Call the duty worker on leaving", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(
        [*table.rows[0].cells, *table.rows[1].cells],
        ["Role", "Responsibility"] + ["Duty worker", "Takes check-in calls"],
        strict=True,
    ):
        cell.text = text
    document.add_picture(io.BytesIO(_png()))
    review = document.add_paragraph("The Service Manager reviews this policy every year.")
    document.add_comment(review.runs, text="Check the date with the board", author="Reviewer")
    if extra:
        document.add_paragraph(extra)
    document.save(path)
    return path


def test_word_structure_survives(tmp_path: Path) -> None:
    converted = wordconv.convert(policy_docx(tmp_path / "p.docx").read_bytes(), "p.docx")
    md = converted.markdown
    assert converted.title == "Lone working"
    assert md.startswith("# Lone working\n")
    assert "## Before a visit" in md and "## During a visit" in md
    assert "Staff who work **alone** tell the *duty worker*" in md
    assert "[the national guidance](https://www.example.org/lone-working)" in md
    assert "- Check the risk information\n- Agree the visit with a team leader" in md
    assert "1. Call the duty worker on arrival\n2. Call the duty worker on leaving" in md
    assert "| Role | Responsibility |\n| --- | --- |\n| Duty worker | Takes check-in calls |" in md
    assert "![" not in md and "<img" not in md
    notes = " ".join(converted.notes)
    assert "1 image(s) left out" in notes
    assert "1 comment(s) left out" in notes
    assert "Check the date" not in md  # the comment's text is not in the policy


def test_tracked_changes_are_reported(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Volunteers", level=1)
    paragraph = document.add_paragraph("Volunteers are ")
    for tag, word in (("w:del", "sometimes "), ("w:ins", "always ")):
        change = OxmlElement(tag)
        change.set(qn("w:id"), "1" if tag == "w:del" else "2")
        change.set(qn("w:author"), "Editor")
        run = OxmlElement("w:r")
        text = OxmlElement("w:delText" if tag == "w:del" else "w:t")
        text.text = word
        text.set(qn("xml:space"), "preserve")
        run.append(text)
        change.append(run)
        paragraph._p.append(change)
    paragraph.add_run("supervised.")
    document.save(tmp_path / "v.docx")
    converted = wordconv.convert((tmp_path / "v.docx").read_bytes(), "v.docx")
    assert "Volunteers are always supervised." in converted.markdown
    assert any("2 tracked change(s)" in note for note in converted.notes)


def test_import_approved_policy_validates_and_counts(evidence_repo: Path, tmp_path: Path) -> None:
    """An approved import, with practice evidence and a met self-assessment, makes HR2 ready."""
    source = policy_docx(tmp_path / "Lone working policy.docx")
    result = run_cli(
        "import",
        str(source),
        "--standard",
        "hr2",
        "--approved",
        "2026-03-10",
        "--approved-by",
        "Board of trustees",
        "--owner",
        "HR and Operations Manager",
        cwd=evidence_repo,
    )
    assert result.exit_code == 0, result.output
    assert "policies/lone-working.md (POL-lone-working)" in result.stdout
    assert "llcompliance explain HR2" in result.stdout and "coverage" in result.stdout
    assert "1 image(s) left out" in result.stdout and "1 comment(s) left out" in result.stdout
    text = (evidence_repo / "policies/lone-working.md").read_text(encoding="utf-8")
    assert text.startswith(
        "---\nid: POL-lone-working\ntitle: Lone working\nowner: HR and Operations Manager\n"
        "standards:\n- HR2\nreview_due: '2027-03-10'\napproved:\n  date: '2026-03-10'\n"
        "  by: Board of trustees\n---\n# Lone working\n"
    )
    assert "| Duty worker | Takes check-in calls |" in text
    write(evidence_repo, "evidence/lone-working-checks.yaml", RECORD)
    write(evidence_repo, "standards/HR2.md", met_self_assessment("HR2"))
    checked = run_cli("validate", "--as-of", TODAY, "--format", "json", cwd=evidence_repo)
    problems = [
        f for f in json.loads(checked.stdout)["findings"] if f["path"] == "policies/lone-working.md"
    ]
    assert problems == []
    coverage = run_cli("coverage", "--as-of", TODAY, "--format", "json", cwd=evidence_repo)
    hr2 = next(s for s in json.loads(coverage.stdout)["standards"] if s["id"] == "HR2")
    assert hr2["state"] == "ready", hr2


def test_import_without_approval_is_a_draft(evidence_repo: Path, tmp_path: Path) -> None:
    source = policy_docx(tmp_path / "lone.docx")
    result = run_cli("import", str(source), "--standard", "HR2", cwd=evidence_repo)
    assert result.exit_code == 0, result.output
    text = (evidence_repo / "policies/lone-working.md").read_text(encoding="utf-8")
    assert "\n# approved:\n#   date: YYYY-MM-DD\n" in text
    assert "\napproved:" not in text
    coverage = run_cli("coverage", "--as-of", TODAY, "--format", "json", cwd=evidence_repo)
    hr2 = next(s for s in json.loads(coverage.stdout)["standards"] if s["id"] == "HR2")
    assert hr2["state"] == "gap"  # a draft supports nothing yet


def test_review_due_is_a_year_after_approval_or_today() -> None:
    import datetime as dt

    approved = importer.Approval(dt.date(2024, 2, 29), "Board of trustees")
    assert importer.review_due(approved, dt.date(2026, 1, 1)) == dt.date(2025, 2, 28)
    assert importer.review_due(None, dt.date(2026, 11, 23)) == dt.date(2027, 11, 23)


def test_word_file_with_a_postcode_is_refused_and_nothing_written(
    evidence_repo: Path, tmp_path: Path
) -> None:
    source = policy_docx(
        tmp_path / "lone.docx", extra="The client moved to 14 Quay Street, B33 8TH last week."
    )
    before = sorted(p.name for p in (evidence_repo / "policies").iterdir())
    result = run_cli("import", str(source), "--standard", "HR2", cwd=evidence_repo)
    assert result.exit_code == 1, result.output
    assert "lone.docx:" in result.stdout and "postcode" in result.stdout
    assert "B33 8TH" not in result.output  # findings never repeat the value
    assert "Nothing was written" in result.stdout
    assert sorted(p.name for p in (evidence_repo / "policies").iterdir()) == before


def test_one_bad_file_stops_the_whole_import(evidence_repo: Path, tmp_path: Path) -> None:
    """The guard reads every file before any is written: a clean file is not written either."""
    clean = policy_docx(tmp_path / "clean.docx", title="Volunteers")
    bad = tmp_path / "notes.md"
    bad.write_text(
        "# Safety planning\n\nShe now lives at 14 Quay Street, B33 8TH.\n", encoding="utf-8"
    )
    result = run_cli(
        "import", str(clean), str(bad), "--standard", "SP2", "--format", "json", cwd=evidence_repo
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["written"] == [] and data["findings"][0]["path"] == "notes.md"
    assert data["findings"][0]["line"] == 3  # the line in the file, not in the planned policy
    assert not (evidence_repo / "policies/volunteers.md").exists()


def test_existing_policy_is_never_overwritten(evidence_repo: Path, tmp_path: Path) -> None:
    existing = write(evidence_repo, "policies/lone-working.md", "---\nid: keep-me\n---\nmine\n")
    source = policy_docx(tmp_path / "lone.docx")
    result = run_cli(
        "import", str(source), "--standard", "HR2", "--format", "json", cwd=evidence_repo
    )
    assert result.exit_code == 0, result.output
    assert existing.read_text(encoding="utf-8") == "---\nid: keep-me\n---\nmine\n"
    written = json.loads(result.stdout)["written"]
    assert [(w["path"], w["id"]) for w in written] == [
        ("policies/lone-working-2.md", "POL-lone-working-2")
    ]


def test_same_title_twice_in_one_run_gets_two_files(evidence_repo: Path, tmp_path: Path) -> None:
    first = policy_docx(tmp_path / "a.docx")
    second = policy_docx(tmp_path / "b.docx")
    result = run_cli("import", str(first), str(second), "--standard", "HR2", cwd=evidence_repo)
    assert result.exit_code == 0, result.output
    assert (evidence_repo / "policies/lone-working.md").exists()
    assert (evidence_repo / "policies/lone-working-2.md").exists()


def test_text_and_markdown_files(evidence_repo: Path, tmp_path: Path) -> None:
    txt = tmp_path / "complaints.txt"
    txt.write_text("Complaints policy\n\nWe answer every complaint within ten days.\n")
    md = tmp_path / "feedback.md"
    md.write_text("---\nid: old\n---\n# Feedback\n\nWe ask every client.\n", encoding="utf-8")
    result = run_cli("import", str(txt), str(md), "--standard", "GV4", cwd=evidence_repo)
    assert result.exit_code == 0, result.output
    complaints = (evidence_repo / "policies/complaints-policy.md").read_text(encoding="utf-8")
    assert complaints.endswith(
        "---\n# Complaints policy\n\nWe answer every complaint within ten days.\n"
    )
    feedback = (evidence_repo / "policies/feedback.md").read_text(encoding="utf-8")
    assert "id: POL-feedback" in feedback and "id: old" not in feedback
    assert "its own front matter was left out" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--approved", "2026-03-10"], "--approved and --approved-by go together"),
        (["--approved", "10/03/2026", "--approved-by", "Board"], "YYYY-MM-DD"),
        (["--standard", "ZZ9"], "unknown standard ZZ9"),
    ],
)
def test_usage_errors(evidence_repo: Path, tmp_path: Path, args: list[str], message: str) -> None:
    source = policy_docx(tmp_path / "lone.docx")
    result = run_cli("import", str(source), "--standard", "HR2", *args, cwd=evidence_repo)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (evidence_repo / "policies/lone-working.md").exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0", "Save As > Word Document (.docx)"),
        ("broken.docx", b"PK\x03\x04 not really", "not a readable Word file"),
        ("sheet.pdf", b"%PDF-1.7", "only Word (.docx), Markdown (.md) and text (.txt)"),
    ],
)
def test_files_that_cannot_be_imported(
    evidence_repo: Path, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(data)
    result = run_cli("import", str(tmp_path / name), "--standard", "HR2", cwd=evidence_repo)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_missing_file_is_a_usage_error(evidence_repo: Path, tmp_path: Path) -> None:
    result = run_cli("import", str(tmp_path / "nope.docx"), "--standard", "HR2", cwd=evidence_repo)
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_entity_declaration_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = policy_docx(tmp_path / "p.docx")
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/styles.xml"] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x/>'
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    from llcompliance.errors import UsageError

    with pytest.raises(UsageError, match="DTD or entity"):
        wordconv.convert(bomb.read_bytes(), "bomb.docx")


# The web-only path: no hook runs in the browser, so the readiness action's check is what stops
# personal data, and its job summary says which file and line to fix.
ACTION = ROOT / ".github/actions/readiness/action.yml"
TEMPLATE_WORKFLOW = ROOT / "evidence-template/.github/workflows/readiness.yml"


def _step(name: str) -> dict[str, object]:
    import yaml

    steps = yaml.safe_load(ACTION.read_text(encoding="utf-8"))["runs"]["steps"]
    return dict(next(s for s in steps if s["name"] == name))


def test_pull_request_checks_fail_on_personal_data() -> None:
    """The check job runs on every pull request and fails it when the scan finds personal data."""
    import yaml

    workflow = yaml.safe_load(TEMPLATE_WORKFLOW.read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    check = workflow["jobs"]["check"]
    assert "if" not in check
    readiness = next(s for s in check["steps"] if "actions/readiness@" in s.get("uses", ""))
    assert readiness.get("with", {}).get("fail-on-findings", "true") == "true"
    fail = _step("Fail on findings")
    assert "steps.scan.outputs.failed == 'true'" in str(fail["if"])
    assert "inputs.fail-on-findings == 'true'" in str(fail["if"])
    assert "run's Summary" in str(fail["run"]) and "commit to the same branch" in str(fail["run"])


def _summary(repo: Path, tmp_path: Path) -> str:
    import os
    import subprocess
    import sys

    sarif = tmp_path / "sarif"
    sarif.mkdir()
    for command in ("validate", "scan"):
        result = run_cli(command, "--format", "sarif", cwd=repo)
        (sarif / f"{command}.sarif").write_text(result.stdout, encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.write_text("")
    step = _step("Problems to fix (job summary)")
    env = {
        **os.environ,
        "LLC_PY": sys.executable,
        "LLC_SARIF": str(sarif),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", str(step["run"])],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    return summary.read_text(encoding="utf-8")


def test_job_summary_lists_each_problem_with_file_line_and_fix(
    evidence_repo: Path, tmp_path: Path
) -> None:
    write(
        evidence_repo,
        "policies/leak_*name*.md",
        "---\nid: POL-leak\ntitle: Leak\nowner: Service Manager\nstandards: [HR2]\n"
        "review_due: 2027-06-30\n---\n# Leak\n\nShe lives at 2 Mill Lane, SW1A 1AA.\n",
    )
    text = _summary(evidence_repo, tmp_path)
    assert text.startswith("## ❌ 1 problem(s) to fix\n")
    line = next(x for x in text.splitlines() if x.startswith("- "))
    assert line.startswith(r"- **policies/leak\_\*name\*.md**, line 10 (postcode): ")
    assert "remove it" in line
    assert "SW1A 1AA" not in text
    assert "pencil (Edit this file)" in text
    assert "tell your data protection lead" in text


def test_job_summary_when_all_is_well(evidence_repo: Path, tmp_path: Path) -> None:
    assert _summary(evidence_repo, tmp_path).startswith("## ✅ No problems to fix\n")


def test_template_readme_ends_with_the_web_only_path() -> None:
    readme = (ROOT / "evidence-template/README.md").read_text(encoding="utf-8")
    last = readme.rsplit("\n## ", 1)[1]
    assert last.startswith("Working only in GitHub's website\n")
    last = " ".join(last.split())  # the README wraps its lines
    for needed in (
        "Edit this file",
        "Files changed",
        "red cross",
        "Summary",
        "Run workflow",
        "Require status checks to pass",
        "Validate, guard, coverage and report (unsigned)",  # the check job's name, exactly
        "`llcompliance import",
    ):
        assert needed in last, needed
    workflow = TEMPLATE_WORKFLOW.read_text(encoding="utf-8")
    assert "name: Validate, guard, coverage and report (unsigned)" in workflow
    assert "workflow_dispatch" in workflow


def test_demo_imports_a_policy_from_word(demo_built: object) -> None:
    """`make demo` shows the path: one policy's text went through a Word file and `import`'s
    conversion and guard, under the front matter the service agreed; the demo's counts hold."""
    from llcompliance.commands import demo

    assert isinstance(demo_built, demo.DemoResult)
    assert demo_built.from_word == ("policies/quality-assurance.md",)
    text = (demo_built.repo / "policies/quality-assurance.md").read_text(encoding="utf-8")
    source = (ROOT / "llcompliance/demo/policies/quality-assurance.md").read_text(encoding="utf-8")
    assert text.split("\n---\n", 1)[0] == source.split("\n---\n", 1)[0]  # front matter kept
    assert text != source  # the text came back from Word (markdownify's table rules, no wrapping)
    assert "| Measure | Target |\n| --- | --- |\n| Risk assessment at intake | 90% |" in text
    assert "[complaints, compliments and feedback](complaints-and-feedback.md)" in text
    assert demo_built.coverage.counts() == {"total": 23, "ready": 11, "attention": 7, "gap": 5}
