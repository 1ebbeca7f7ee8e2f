"""`export --format docx|xlsx`: the dossier and the evidence matrix agree with `coverage`, are
reproducible to the byte, and bad input exits 2 with a message."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from llcompliance.commands import demo
from llcompliance.render.docx import docx_bytes
from llcompliance.render.states import LOOKS
from llcompliance.render.xlsx import xlsx_bytes
from tests.conftest import TODAY, git, run_cli


@pytest.fixture(scope="module")
def exported(
    demo_built: demo.DemoResult, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """readiness.docx and readiness.xlsx of the demo, exported once for this module."""
    out = tmp_path_factory.mktemp("export")
    files = {}
    for fmt in ("docx", "xlsx"):
        target = out / f"readiness.{fmt}"
        result = run_cli(
            "--repo", str(demo_built.repo), "export", "--format", fmt, "--out", str(target),
            "--as-of", TODAY,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert str(target) in result.stdout
        files[fmt] = target
    return files


@pytest.fixture(scope="module")
def coverage(demo_built: demo.DemoResult) -> dict[str, Any]:
    """`coverage --format json` of the demo on the same day."""
    result = run_cli(
        "--repo", str(demo_built.repo), "coverage", "--format", "json", "--as-of", TODAY
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _by_standard(path: Path) -> dict[str, list[Paragraph | Table]]:
    """The dossier's body split at each Heading 2 (one per standard), keyed by standard id."""
    parts: dict[str, list[Paragraph | Table]] = {}
    current: list[Paragraph | Table] | None = None
    for block in Document(str(path)).iter_inner_content():
        if isinstance(block, Paragraph) and block.style is not None:
            if block.style.name == "Heading 1":
                current = None
            elif block.style.name == "Heading 2":
                current = parts.setdefault(block.text.split()[0], [])
                continue
        if current is not None:
            current.append(block)
    return parts


def _texts(blocks: list[Paragraph | Table]) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Paragraph)]


def test_dossier_has_every_standard_state_reason_and_item(
    exported: dict[str, Path], coverage: dict[str, Any]
) -> None:
    parts = _by_standard(exported["docx"])
    assert list(parts) == [s["id"] for s in coverage["standards"]]
    assert len(parts) == 23
    for std in coverage["standards"]:
        blocks = parts[std["id"]]
        texts = _texts(blocks)
        state_line = next(t for t in texts if t.startswith("State: "))
        assert LOOKS[std["state"]].label in state_line, std["id"]
        for reason in std["reasons"]:  # as a reason, or as what would meet a requirement
            assert reason in texts or f"To meet it: {reason}" in texts, (std["id"], reason)
        assert "How we meet it" in texts and "Evidence" in texts
        tables = [b for b in blocks if isinstance(b, Table)]
        ids = [row.cells[0].text.split(" (")[0] for row in tables[-1].rows[1:]] if tables else []
        assert ids == [e["id"] for e in std["evidence"]], std["id"]
        if tables:
            assert [c.text for c in tables[-1].rows[0].cells] == [
                "Id", "Title", "Kind", "Owner", "Date", "Review due", "Where it is",
            ]  # fmt: skip
        ticks = [t for t in texts if t.startswith(("☑ met: ", "☐ not met: "))]
        assert len(ticks) == len(std.get("requirements") or []), std["id"]
        unmet = [r for r in std.get("requirements") or [] if not r["met"]]
        assert sum(t.startswith("☐ not met: ") for t in ticks) == len(unmet), std["id"]


def test_dossier_title_page_styles_contents_and_footer(
    exported: dict[str, Path], demo_built: demo.DemoResult
) -> None:
    doc = Document(str(exported["docx"]))
    first_page = " ".join(p.text for p in doc.paragraphs[:12])
    assert "Harbour Lane Domestic Abuse Service" in first_page
    assert "self-assessed readiness" in first_page
    assert "not an accreditation decision" in first_page
    assert "23 November 2026" in first_page
    assert git(demo_built.repo, "rev-parse", "HEAD").strip() in first_page
    styles = {p.style.name for p in doc.paragraphs if p.style is not None}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Quote"} <= styles
    body = doc.element.xml
    assert 'TOC \\o "1-3"' in body
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert doc.sections[0].page_width is not None
    assert round(doc.sections[0].page_width.cm) == 21  # A4
    props = doc.core_properties
    assert props.author == "llcompliance"
    assert props.created == props.modified == dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)


def _minimal(narrative: str, title: str = "Lone working") -> dict[str, Any]:
    """A report dict with one standard and one item, as build() shapes it."""
    item = {
        "id": "POL-lone-working",
        "title": title,
        "kind": "policy",
        "path": "policies/lone-working.md",
        "location": "policies/lone-working.md",
        "review_due": "2027-06-30",
        "state": "ok",
        "sha256": "0" * 64,
    }
    return {
        "as_of": "2026-11-23",
        "tool": {"name": "llcompliance", "version": "0"},
        "framework": {"id": "t", "version": "1", "title": "Test standards", "short_name": "T"},
        "service": {"name": "Eastmere Idva Service", "organisation": None},
        "source": {"commit": "a" * 40, "tree": "b" * 40},
        "summary": {"total": 1, "ready": 0, "attention": 1, "gap": 0},
        "sections": [
            {"id": "hr", "title": "People", "spirit": "", "total": 1, "ready": 0}
            | {"attention": 1, "gap": 0}
        ],
        "standards": [
            {
                "id": "HR2",
                "section": "hr",
                "title": "Staff safety",
                "state": "attention",
                "status": "in-progress",
                "reasons": ["self-assessment is in progress"],
                "requirements": [
                    {"kinds": ["policy", "plan"], "met": True, "ids": ["POL-lone-working"]},
                    {"kinds": ["record", "data", "feedback"], "met": False, "ids": []},
                ],
                "evidence": [item],
                "statement": "Staff are safe.",
                "narrative": narrative,
            }
        ],
    }


def test_narrative_markdown_becomes_word_headings_lists_and_emphasis() -> None:
    narrative = (
        "## Check-ins\n\nStaff **always** check in, as *POL-lone-working* says.\n\n"
        "- a duty worker\n- a code word\n  - nested\n\n3. third\n4. fourth\n\n"
        "> quoted\n\nSee [the policy](policies/lone-working.md) and `code`.\n"
    )
    doc = Document(io.BytesIO(docx_bytes(_minimal(narrative))))
    by_text = {p.text: p for p in doc.paragraphs}
    assert by_text["Check-ins"].style is not None
    assert by_text["Check-ins"].style.name == "Heading 5"  # under Heading 3 "How we meet it"
    emphasis = by_text["Staff always check in, as POL-lone-working says."]
    assert [r.text for r in emphasis.runs if r.bold] == ["always"]
    assert [r.text for r in emphasis.runs if r.italic] == ["POL-lone-working"]
    assert {by_text[t].style.name for t in ("a duty worker", "a code word")} == {"List Bullet"}
    assert by_text["nested"].style.name == "List Bullet 2"
    assert "3. third" in by_text and "4. fourth" in by_text  # numbers as written
    assert by_text["quoted"].style.name == "Quote"
    assert "See the policy (policies/lone-working.md) and code." in by_text
    assert "☑ met: an approved policy or a plan — POL-lone-working" in by_text
    assert "☐ not met: a record, data or feedback" in by_text
    to_meet = [t for t in by_text if t.startswith("To meet it: HR2 needs practice evidence")]
    assert len(to_meet) == 1 and by_text[to_meet[0]].style.name == "List Continue 2"


def test_unsafe_link_target_is_not_printed() -> None:
    doc = Document(io.BytesIO(docx_bytes(_minimal("[click](javascript:alert(1))"))))
    texts = [p.text for p in doc.paragraphs]
    assert "click" in texts and not any("javascript" in t for t in texts)


def test_matrix_has_every_standard_item_and_link(
    exported: dict[str, Path], coverage: dict[str, Any]
) -> None:
    book = load_workbook(exported["xlsx"])
    assert book.sheetnames == ["Standards", "Evidence", "Matrix"]
    standards = book["Standards"]
    rows = list(standards.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [s["id"] for s in coverage["standards"]]
    for row, std in zip(rows, coverage["standards"], strict=True):
        assert LOOKS[std["state"]].label in str(row[3])  # words, not only a fill
        assert (row[5] or "").split("\n") == (std["reasons"] or [""])
        unmet = [r for r in std.get("requirements") or [] if not r["met"]]
        lines = [line for line in (row[7] or "").split("\n") if line]
        assert len(lines) == len(unmet), std["id"]  # one line per unmet group, saying what to do
        assert all(": not met. To meet it: " in line for line in lines), std["id"]
    served: dict[str, set[str]] = {}
    for std in coverage["standards"]:
        for item in std["evidence"]:
            served.setdefault(item["id"], set()).add(std["id"])
    evidence = book["Evidence"]
    header = [c.value for c in evidence[1]]
    items = {
        r[0]: dict(zip(header, r, strict=True))
        for r in evidence.iter_rows(min_row=2, values_only=True)
    }
    assert set(items) == set(served)
    assert evidence.max_row == len(served) + 1  # one row per item
    for item_id, standards_served in served.items():
        assert set(str(items[item_id]["Standards"]).split(", ")) == standards_served
        assert isinstance(items[item_id]["Review due"], dt.datetime)  # a real Excel date
    matrix = book["Matrix"]
    columns = [c.value for c in matrix[1]][2:]
    assert set(columns) == set(served)
    for row in matrix.iter_rows(min_row=2, values_only=True):
        ticked = {columns[i] for i, v in enumerate(row[2:]) if v == "✓"}
        assert ticked == {i for i, s in served.items() if row[0] in s}
    for sheet in book.worksheets:
        assert sheet.freeze_panes is not None
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert book.properties.creator == "llcompliance"
    assert book.properties.created == dt.datetime(2026, 11, 23)


def test_text_that_looks_like_a_formula_stays_text() -> None:
    """A title such as "=HYPERLINK(…)" must not become a live formula in the matrix."""
    data = _minimal("We do.", title='=HYPERLINK("http://example.org","x")\x0b')
    sheet = load_workbook(io.BytesIO(xlsx_bytes(data)))["Evidence"]
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].value == '=HYPERLINK("http://example.org","x")'
    assert (
        "<f>"
        not in zipfile.ZipFile(io.BytesIO(xlsx_bytes(data)))
        .read("xl/worksheets/sheet2.xml")
        .decode()
    )
    Document(io.BytesIO(docx_bytes(data)))  # the control character is dropped, not fatal


def test_exports_are_byte_identical_seconds_apart(
    demo_built: demo.DemoResult, exported: dict[str, Path], tmp_path: Path
) -> None:
    time.sleep(2.1)  # zip times have 2-second steps; openpyxl stamps the time of saving
    for fmt, first in exported.items():
        again = tmp_path / f"again.{fmt}"
        result = run_cli(
            "--repo", str(demo_built.repo), "export", "--format", fmt, "--out", str(again),
            "--as-of", TODAY,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert again.read_bytes() == first.read_bytes(), fmt
        with zipfile.ZipFile(again) as package:
            assert {i.date_time for i in package.infolist()} == {(2026, 11, 23, 0, 0, 0)}
            assert package.namelist()[0] == "[Content_Types].xml"


def test_unknown_format_exits_2(demo_built: demo.DemoResult, tmp_path: Path) -> None:
    result = run_cli(
        "--repo", str(demo_built.repo), "export", "--format", "pdf", "--out",
        str(tmp_path / "x.pdf"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "'--format'" in result.stderr and "docx" in result.stderr


def test_unwritable_out_exits_2(demo_built: demo.DemoResult, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    target = tmp_path / "a-file" / "readiness.docx"
    result = run_cli(
        "--repo", str(demo_built.repo), "export", "--format", "docx", "--out", str(target),
        "--as-of", TODAY,
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert f"cannot write {target}" in result.stderr
    assert "Traceback" not in result.output


def test_out_that_is_a_folder_exits_2(demo_built: demo.DemoResult, tmp_path: Path) -> None:
    result = run_cli(
        "--repo", str(demo_built.repo), "export", "--format", "xlsx", "--out", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_existing_file_is_replaced_whole(demo_built: demo.DemoResult, tmp_path: Path) -> None:
    target = tmp_path / "readiness.xlsx"
    target.write_bytes(b"an older export")
    before = os.stat(target).st_ino
    result = run_cli(
        "--repo", str(demo_built.repo), "export", "--format", "xlsx", "--out", str(target),
        "--as-of", TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert os.stat(target).st_ino != before  # a new file renamed over the old one
    assert load_workbook(target).sheetnames[0] == "Standards"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["readiness.xlsx"]  # no temp file left


@pytest.fixture
def soffice() -> Iterator[str]:
    found = shutil.which("soffice")
    if found is None or shutil.which("pdftoppm") is None:
        pytest.skip(
            "LibreOffice (soffice) or poppler (pdftoppm) is not installed: "
            "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils"
        )
    yield found


@pytest.mark.slow
def test_office_renders_both_to_pdf_pages(
    soffice: str, exported: dict[str, Path], tmp_path: Path
) -> None:
    """LibreOffice opens both files headlessly; their first pages render to PNG images."""
    env = {**os.environ, "HOME": str(tmp_path / "home")}  # a private LibreOffice profile
    for fmt, source in exported.items():
        out = tmp_path / fmt
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(source)],
            check=True, capture_output=True, env=env, timeout=120,
        )  # fmt: skip
        pdf = out / "readiness.pdf"
        assert pdf.stat().st_size > 1000
        subprocess.run(
            ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", str(pdf), str(out / "page")],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        pages = sorted(out.glob("page-*.png"))
        assert pages and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pages)
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", "-l", "1", str(pdf), "-"], check=True, capture_output=True,
                text=True, timeout=60,
            ).stdout  # fmt: skip
            expected = "self-assessed readiness" if fmt == "docx" else "SP1"
            assert expected in text


def test_exports_name_no_person_in_their_properties(demo_built: Any) -> None:
    """The guard must not warn about the toolkit's own files: their author is the toolkit."""
    folder = demo_built.report_dir.relative_to(demo_built.repo).as_posix()
    for name in ("readiness.docx", "readiness.xlsx"):
        scanned = run_cli("scan", f"{folder}/{name}", "--format", "json", cwd=demo_built.repo)
        assert json.loads(scanned.stdout)["findings"] == [], scanned.stdout
