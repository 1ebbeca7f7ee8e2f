"""HTML readiness report and its Markdown: complete, inert, deterministic, sound in a browser."""

from __future__ import annotations

import copy
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import browser  # tests/browser.py (pyproject: pythonpath = tests)
import pytest
from conftest import DATA
from jinja2 import UndefinedError

from llcompliance.adapters.markdown import extract_links
from llcompliance.render.html import CSP, render_html
from llcompliance.render.markdown import is_safe_url, render_markdown

SAMPLE = DATA / "readiness-sample.json"
IDS = [f"SP{n}" for n in range(1, 10)] + [f"MA{n}" for n in range(1, 5)]
IDS += [f"HR{n}" for n in range(1, 4)] + [f"GV{n}" for n in range(1, 8)]
# Tags that could run code, fetch something or change where the page goes: none may appear.
ACTIVE_TAGS = {
    "script", "iframe", "object", "embed", "img", "link", "base", "form", "math", "video",
    "audio", "source", "frame", "frameset", "applet",
    # inside SVG: elements that fetch, embed or animate (the trend chart uses none of them)
    "foreignobject", "use", "image", "feimage", "animate", "set", "animatemotion",
    "animatetransform",
}  # fmt: skip
# What the trend chart is drawn with (render/trend_svg.py): nothing else appears inside its <svg>.
SVG_TAGS = {"svg", "title", "desc", "g", "line", "polyline", "path", "circle", "rect", "text"}


class Tags(HTMLParser):
    """Collect every start tag and its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


def assert_inert(page: str) -> None:
    """No element or attribute in the page can run code or load anything."""
    for tag, attrs in tags(page):
        assert tag not in ACTIVE_TAGS, tag
        if tag == "svg":
            assert attrs.get("role") == "img" and attrs.get("aria-labelledby"), attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "action", "formaction", "xlink:href"}:
                assert value is not None and is_safe_url(value), (tag, name, value)
        if tag == "meta":
            assert attrs.get("http-equiv", "").lower() != "refresh"  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def page(report: dict[str, Any]) -> str:
    return render_html(report)


# --- the page ------------------------------------------------------------------------------------


def test_sample_has_all_23_standards(report: dict[str, Any]) -> None:
    assert [s["id"] for s in report["standards"]] == IDS
    assert report["summary"] == {"total": 23, "ready": 15, "attention": 5, "gap": 3}


def test_sample_has_the_shape_of_a_real_report(report: dict[str, Any]) -> None:
    """The sample must stay a valid readiness.json, or these tests test a fiction."""
    from jsonschema import Draft202012Validator

    from llcompliance.adapters import resources

    validator = Draft202012Validator(
        resources.schema("readiness"), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    assert [error.message for error in validator.iter_errors(report)] == []


def test_every_standard_has_a_tile_and_an_anchor(page: str) -> None:
    found = tags(page)
    anchors = {attrs.get("id") for _, attrs in found}
    tile_links = [
        attrs.get("href")
        for tag, attrs in found
        if tag == "a" and "tile" in str(attrs.get("class"))
    ]
    assert set(IDS) <= anchors
    assert tile_links == [f"#{ident}" for ident in IDS]
    for ident in IDS:
        assert f">{ident}</span>" in page


def test_headline_and_sections(page: str) -> None:
    text = re.sub(r"<[^>]+>", "", page)
    assert "15 of 23 standards ready" in text
    assert "6 of 9 ready" in text and "3 of 4 ready" in text and "1 of 3 ready" in text
    assert "Harbour Lane Domestic Abuse Service" in text and "Harbour Lane Trust" in text
    assert "23 November 2026" in text
    assert "POL-lone-working expired on 2026-06-30" in text
    assert "Further evidence needed" in text


def test_states_are_told_in_words_and_icons_not_colour_alone(page: str) -> None:
    for words, icon in (("Ready", "✓"), ("Needs attention", "!"), ("Gap", "✕")):
        assert re.search(
            rf'<span class="icon" aria-hidden="true">{re.escape(icon)}</span>{words}<', page
        )
    assert page.count('class="tile-state">Gap<') == 3
    assert page.count('class="tile-state">Needs attention<') == 5


def test_page_is_self_contained_with_a_strict_csp(page: str) -> None:
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    assert CSP == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert page.startswith("<!DOCTYPE html>\n")


def test_hostile_narrative_is_inert(page: str) -> None:
    assert "<script" not in page.lower()
    assert "javascript:" not in page.lower()
    assert re.search(r"<[^>]*\bon\w+\s*=", page) is None  # no event handler inside any tag
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # shown as text, not dropped silently
    assert 'class="link-removed"' in page
    assert_inert(page)


# Values the schema limits to a few words: a report with any other value is not a report.
ENUMS = {"state", "status", "severity", "outcome"}


def poison(value: Any, payload: str, key: str | None = None) -> Any:
    """Append the payload to every free-text string in a report, keys kept."""
    if isinstance(value, str):
        return value if key in ENUMS else value + payload
    if isinstance(value, dict):
        return {name: poison(item, payload, name) for name, item in value.items()}
    if isinstance(value, list):
        return [poison(item, payload, key) for item in value]
    return value


def test_every_report_value_is_escaped(report: dict[str, Any]) -> None:
    """A hostile value anywhere in readiness.json stays text."""
    payload = "\"'><x-injected onclick=alert(1)>&amp;<script>alert(1)</script>"
    page = render_html(poison(copy.deepcopy(report), payload))
    assert all(tag != "x-injected" for tag, _ in tags(page))
    assert "<script" not in page
    assert "&lt;x-injected onclick=alert(1)&gt;&amp;amp;&lt;script&gt;" in page
    assert_inert(page)


def test_trend_chart_is_inline_svg_with_a_text_alternative(page: str) -> None:
    """No script, a title and a description, axis labels, and every point also in a table."""
    chart = page[page.index("<svg") : page.index("</svg>") + 6]
    assert {tag for tag, _ in tags(chart)} <= SVG_TAGS
    assert '<title id="trend-title">Readiness over time' in chart
    assert (
        "Standards ready went from 0 of 23 on 2 March 2026 to 15 of 23 on 23 November 2026" in chart
    )
    assert ">Standards</text>" in chart and ">Day the evidence changed</text>" in chart
    assert ">15 ready</text>" in chart and ">5 need attention</text>" in chart
    assert ">3 gaps</text>" in chart
    # readable without colour: each state has its own dash pattern and marker shape
    assert chart.count("<polyline") == 3 and chart.count("stroke-dasharray") == 2
    assert chart.count("<circle") == chart.count("<rect") == chart.count('<path class="mark"') == 6
    table = page[page.index('<table class="trend-table">') :]
    table = table[: table.index("</table>")]
    text = re.sub(r"<[^>]+>", " ", table)
    assert "Readiness on each day the evidence changed" in text
    assert re.search(r"2 March 2026\s+0\s+2\s+21\s+23\s+1f3a5c7", text)
    assert text.index("23 November 2026") < text.index("2 March 2026")  # newest first


def test_accreditation_timeline_and_action_plan(page: str) -> None:
    section = page[page.index('id="accreditation"') :]
    section = section[: section.index("</section>")]
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)))
    order = ["Service Manager qualified", "Applied", "Action A1 due", "This report",
             "Action A2 due", "Assessment visit"]  # fmt: skip
    assert [text.index(words) for words in order] == sorted(text.index(w) for w in order)
    assert "Action A1 due HR2 overdue by 23 days" in text
    assert "Assessment visit in 64 days" in text
    assert "Application window ends" not in text  # applied: the window no longer matters
    assert "2 open, 1 overdue, 1 done." in text
    assert "Done 24 September 2026" in text and "Overdue" in text and "Open" in text
    assert 'class="ms ms-overdue"' in section and '<a href="#HR2">HR2</a>' in section
    assert "POL-lone-working" in text and "review due" in text


def test_a_report_without_accreditation_yaml_says_so(report: dict[str, Any]) -> None:
    absent = copy.deepcopy(report)
    absent["accreditation"] = {
        "present": False, "valid": True, "actions": {
            "total": 0, "done": 0, "open": 0, "overdue": 0, "items": []
        }, "due": [],
    }  # fmt: skip
    page = render_html(absent)
    assert "This commit has no <code>accreditation.yaml</code>" in page
    assert "Action plan" not in page
    assert_inert(page)


def test_output_is_deterministic(report: dict[str, Any]) -> None:
    assert render_html(report) == render_html(copy.deepcopy(report))


def minimal(report: dict[str, Any]) -> dict[str, Any]:
    """The sample with every value report.build may leave empty, empty."""
    bare = copy.deepcopy(report)
    del bare["accreditation"], bare["trend"]  # reports made before DESIGN §9 have neither
    bare["service"]["organisation"] = None
    bare["framework"].update(attribution=None, short_name=None)
    for standard in bare["standards"]:
        standard.update(
            narrative="", reasons=[], evidence=[], findings=[], assessment=None,
            self_assessment=None,
        )  # fmt: skip
    return bare


def test_renders_a_report_with_nothing_optional(report: dict[str, Any]) -> None:
    page = render_html(minimal(report))
    text = re.sub(r"<[^>]+>", "", page)
    assert "No narrative written yet." in text
    assert "No supporting policy or evidence is linked to it yet." in text
    assert 'class="org"' not in page and "Assessor’s outcome" not in page
    assert "written in" not in text and "Why it is ready" not in text
    assert "<svg" not in page and 'id="accreditation"' not in page
    assert_inert(page)


def test_a_value_the_template_does_not_know_fails_loudly(report: dict[str, Any]) -> None:
    """render_html takes report.build's dict: a state outside the schema is a bug, not a page."""
    broken = copy.deepcopy(report)
    broken["standards"][0]["state"] = "weird"
    with pytest.raises(UndefinedError, match="weird"):
        render_html(broken)


def test_is_a_self_assessment_not_an_accreditation_decision(page: str) -> None:
    text = re.sub(r"<[^>]+>", "", page)
    assert "Leading Lights · self-assessed readiness report" in text
    assert "accreditation · readiness" not in text
    assert "<title>Leading Lights self-assessed readiness: Harbour Lane" in page
    assert "It is not an accreditation decision." in text


def test_verify_hint_pins_a_trusted_signer_and_the_report_folder(page: str) -> None:
    """The assessor checks with a key file of their own and a named signer, never the PR's."""
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert (
        "llcompliance verify REPORT_FOLDER --allowed-signers ~/trusted/allowed_signers \\\n"
        "  --principal PRINCIPAL --rebuild"
    ) in text
    assert (
        "ssh-keygen -Y verify -f ~/trusted/allowed_signers -I PRINCIPAL "
        "-n readiness-report@llcompliance \\\n  -s readiness.json.sig < readiness.json"
    ) in text
    assert "never from the pull request being assessed" in text
    assert "usually reports/2026-11-23-9505cac" in text  # the workflow's folder for this report
    assert "reports/ --allowed-signers" not in text
    assert "--allowed-signers .llcompliance/allowed_signers" not in text


def test_template_and_stylesheet_are_package_data(page: str) -> None:
    """Loaded from the package folder, so a wheel that has the package has them too."""
    from importlib.resources import files

    render = files("llcompliance.render")
    assert render.joinpath("templates/report.html.j2").is_file()
    css = render.joinpath("report.css").read_text(encoding="utf-8")
    assert f"<style>\n{css}</style>" in page


def test_print_rules_keep_colours_and_standards_whole(page: str) -> None:
    assert "print-color-adjust:exact" in page
    assert "@media print" in page and "break-inside:avoid-page" in page


# --- Markdown ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](%6Aavascript:alert(1))",
        "[x](<java script:alert(1)>)",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](file:///etc/passwd)",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
    ],
)
def test_markdown_neutralises_unsafe_links(source: str) -> None:
    html = render_markdown(source)
    assert "<a " not in html
    assert "script:" not in html.lower() and "data:" not in html and "file:" not in html
    assert 'class="link-removed"' in html


def test_markdown_keeps_safe_links() -> None:
    html = render_markdown(
        "[p](../policies/a%20b.md#s) [w](https://example.org) [m](mailto:x@example.org)"
    )
    assert '<a href="../policies/a%20b.md#s">p</a>' in html
    assert '<a href="https://example.org">w</a>' in html
    assert '<a href="mailto:x@example.org">m</a>' in html


def test_markdown_has_no_raw_html_and_no_images() -> None:
    html = render_markdown(
        '<b onclick="x()">hi</b>\n\n<div>block</div>\n\n![chart](https://example.org/c.png)'
    )
    assert "<b " not in html and "<div" not in html and "<img" not in html
    assert '<a href="https://example.org/c.png" class="image-link">Image: chart</a>' in html
    assert "<img" not in render_markdown("![x](data:image/png;base64,iVBORw0KGgo=)")


def test_markdown_tables_and_heading_offset() -> None:
    html = render_markdown("# Top\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", heading_offset=3)
    assert "<h4>Top</h4>" in html and "<table>" in html and "<td>2</td>" in html


def test_extract_links_lines_references_and_code() -> None:
    text = (
        "Intro [one](policies/one.md) and\n"  # 1
        "a second line with [two][ref] `[no](code.md)`\n"  # 2
        "\n"
        "    [no](indented.md)\n"  # 4
        "\n"
        "```\n[no](fenced.md)\n```\n"  # 6-8
        "\n"
        "| col |\n|---|\n| [three](evidence/my%20file.yaml#x) |\n"  # 10-12
        "\n"
        "- ![four](img/chart.png)\n"  # 14
        "\n"
        "[ref]: policies/two.md\n"
    )
    assert extract_links(text) == [
        ("policies/one.md", 1),
        ("policies/two.md", 2),
        ("evidence/my file.yaml#x", 12),
        ("img/chart.png", 14),
    ]


def test_extract_links_sees_unsafe_targets_too() -> None:
    """Validation decides what to report; extraction hides nothing."""
    assert extract_links("[x](javascript:alert(1))") == [("javascript:alert(1)", 1)]


# --- the Markdown we write: readiness.md and the job summary ---------------------------------------

HOSTILE = "*bold* <b>x</b> | pipe"


def commonmark(markdown: str) -> str:
    """Render Markdown as GitHub would parse it: CommonMark with tables, raw HTML allowed."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def test_readiness_md_shows_titles_literally_and_links_paths_with_spaces(
    report: dict[str, Any],
) -> None:
    from llcompliance.render.readiness_md import render_markdown as readiness_md

    data = copy.deepcopy(report)
    data["service"]["name"] = HOSTILE
    data["sections"][0]["title"] = HOSTILE
    first = data["standards"][0]
    first.update(title=HOSTILE, reasons=[HOSTILE, "> quoted", "1. listed"], statement=HOSTILE)
    first["self_assessment"] = "standards/SP1 (draft).md"
    evidence = first["evidence"][1]
    evidence.update(title=HOSTILE, path="evidence/files/a b.md", location=HOSTILE, kind="evidence")
    first["findings"] = [
        {"path": "a b.md", "line": 3, "rule": "r_1", "message": HOSTILE, "severity": "error"}
    ]
    first["assessment"]["comment"] = HOSTILE
    html_out = commonmark(readiness_md(data, "../../"))
    assert "<b>" not in html_out and "<em>bold</em>" not in html_out
    literal = "*bold* &lt;b&gt;x&lt;/b&gt; | pipe"
    assert html_out.count(literal) >= 9  # title x3, service, section, reason, location, ...
    assert '<a href="../../evidence/files/a%20b.md">evidence/files/a b.md</a>' in html_out
    assert '<a href="../../standards/SP1%20%28draft%29.md">standards/SP1 (draft).md</a>' in html_out
    assert "<li>&gt; quoted</li>" in html_out and "<li>1. listed</li>" in html_out
    assert "<code>a b.md:3</code> r_1: " + literal in html_out
    row = next(r for r in html_out.split("<tr>") if "a%20b.md" in r)
    assert row.count("<td>") == 5  # the pipe in the title did not split a cell


def test_readiness_md_says_self_assessed_and_pins_the_signer(report: dict[str, Any]) -> None:
    from llcompliance.render.readiness_md import render_markdown as readiness_md

    text = readiness_md(report, "../../")
    assert text.startswith(
        "# Harbour Lane Domestic Abuse Service: self-assessed Leading Lights standards for "
        "community-based domestic abuse services readiness on 2026-11-23\n"
    )
    assert (
        "llcompliance verify REPORT_FOLDER --allowed-signers ~/trusted/allowed_signers \\\n"
        "  --principal PRINCIPAL --rebuild\n"
    ) in text
    assert "ssh-keygen -Y verify -f ~/trusted/allowed_signers -I PRINCIPAL " in text
    assert "never from the pull request being assessed" in text
    assert "(usually `reports/2026-11-23-9505cac`)" in text
    assert "REPORT_DIR" not in text and "--allowed-signers allowed_signers" not in text


def test_job_summary_escapes_every_repo_value() -> None:
    from llcompliance.core.coverage import Coverage, StandardResult
    from llcompliance.render.findings import coverage_markdown

    result = StandardResult(
        "SP1", "service-provision", HOSTILE, "gap", "met", (HOSTILE, "b"), (), ()
    )
    text = coverage_markdown(Coverage(None, "2026-11-23", (result,)), HOSTILE)  # type: ignore[arg-type]
    html_out = commonmark(text)
    assert "<b>" not in html_out and "<em>" not in html_out
    assert (
        "<h3>*bold* &lt;b&gt;x&lt;/b&gt; | pipe: 0 of 1 standards ready (2026-11-23)</h3>"
        in html_out
    )
    assert html_out.count("<td>") == 4 and "<td>✕ gap</td>" in html_out


def test_every_renderer_shows_states_from_the_one_table() -> None:
    """A mark and words from render.states, never a colour or an upper-cased token alone."""
    from llcompliance.core.coverage import Coverage, StandardResult
    from llcompliance.render.explain import render_text
    from llcompliance.render.findings import coverage_text
    from llcompliance.render.states import LOOKS

    result = StandardResult("SP1", "service-provision", "T", "attention", "met", ("why",), (), ())
    section = type("Section", (), {"id": "service-provision", "title": "Service provision"})
    framework = type("Framework", (), {"title": "F", "id": "f", "version": "1"})
    framework.sections = (section,)  # type: ignore[attr-defined]
    text = coverage_text(Coverage(framework, "2026-11-23", (result,)), "S")  # type: ignore[arg-type]
    assert f"{LOOKS['attention'].mark} attention" in text
    info = {
        "id": "SP1", "title": "T", "statement": "s", "guidance": [], "as_of": "2026-11-23",
        "section": {"title": "Service provision", "spirit": "x"}, "framework": {"title": "F"},
        "state": "gap", "status": "not-started", "reasons": ["no policy"], "evidence": [],
        "self_assessment": None,
    }  # fmt: skip
    explained = render_text(info)
    assert "In this repo on 2026-11-23: ✕ Gap (self-assessment: not-started)" in explained
    assert "What is missing:\n  - no policy" in explained


# --- in a real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = browser.find_chromium()
    if binary is None:
        pytest.skip(
            "no Chromium found (looked for "
            + ", ".join(browser.CANDIDATES)
            + " and $LLCOMPLIANCE_CHROMIUM)"
        )
    return binary


@pytest.fixture
def page_file(tmp_path: Path, page: str) -> Path:
    path = tmp_path / "readiness.html"
    path.write_text(page, encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 390)])
def test_screenshots(chromium: str, page_file: Path, tmp_path: Path, name: str, width: int) -> None:
    out = browser.screenshot(chromium, page_file, tmp_path / f"{name}.png", width, 2000)
    assert browser.png_size(out) == (width, 2000)
    assert out.stat().st_size > 30_000  # a blank or error page compresses to a few kB


@pytest.mark.slow
def test_no_script_runs_and_console_is_clean(chromium: str, page_file: Path, page: str) -> None:
    dom, console = browser.dump_dom(chromium, page_file.as_uri())
    title = re.search(r"<title>(.*?)</title>", page)
    assert title is not None
    assert f"<title>{title.group(1)}</title>" in dom
    assert "INJECTED" not in re.search(r"<title>(.*?)</title>", dom).group(1)  # type: ignore[union-attr]
    assert set(re.findall(r'data-standard="([A-Z]+\d)"', dom)) == set(IDS)
    assert dom.count('class="tile tile-') == 23
    assert console == []


@pytest.mark.slow
def test_the_browser_checks_can_fail(chromium: str, tmp_path: Path) -> None:
    """Controls: the same checks catch a script that runs, and one the CSP blocks."""
    runs = tmp_path / "runs.html"
    runs.write_text("<!DOCTYPE html><title>t</title><script>document.title='INJECTED'</script>")
    dom, console = browser.dump_dom(chromium, runs.as_uri())
    assert "<title>INJECTED</title>" in dom
    blocked = tmp_path / "blocked.html"
    blocked.write_text(
        f'<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="{CSP}">'
        "<title>t</title>"
        "<script>document.title='INJECTED'</script>"
    )
    dom, console = browser.dump_dom(chromium, blocked.as_uri())
    assert "<title>t</title>" in dom
    assert any("Content Security Policy" in line for line in console)


@pytest.mark.slow
def test_phone_width_has_no_sideways_scrolling(
    chromium: str, page_file: Path, tmp_path: Path
) -> None:
    """At 390 px the page fits; only evidence tables scroll inside their own box."""
    probe = tmp_path / "probe.html"
    probe.write_text(
        '<!DOCTYPE html><title>probe</title><body style="margin:0">'
        f'<iframe src="{page_file.name}" style="width:390px;height:800px;border:0" onload="'
        "var d=this.contentDocument.documentElement;"
        "document.body.setAttribute('data-scroll',d.scrollWidth);"
        "document.body.setAttribute('data-client',d.clientWidth)\"></iframe>"
    )
    dom, _ = browser.dump_dom(chromium, probe.as_uri(), "--allow-file-access-from-files")
    scroll = re.search(r'data-scroll="(\d+)"', dom)
    client = re.search(r'data-client="(\d+)"', dom)
    assert scroll and client, dom[:500]
    assert int(scroll.group(1)) <= int(client.group(1))


@pytest.mark.slow
def test_prints_to_pdf(chromium: str, page_file: Path, tmp_path: Path) -> None:
    pdf = browser.print_pdf(chromium, page_file, tmp_path / "readiness.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 5


# --- the requirement checklist -------------------------------------------------------------------


def _detail(page: str, standard_id: str) -> str:
    start = page.index('<article class="standard state-')
    start = page.index(f'id="{standard_id}"', start)
    return page[start : page.index("</article>", start)]


def test_each_standard_shows_its_requirements_as_a_checklist(demo_built: Any) -> None:
    """☑/☐ with the words Met / Not met (not colour alone), what would meet it, what is listed."""
    raw = json.loads((demo_built.report_dir / "readiness.json").read_text(encoding="utf-8"))
    page = render_html(raw)
    sp4 = _detail(page, "SP4")
    assert "What SP4 requires: 1 of 2 met" in sp4
    text = html.unescape(re.sub(r"<[^>]+>", "", sp4))
    assert "☑Met: an approved policy or a plan — POL-recording-confidentiality" in text
    assert "☐Not met: a record, data or feedback" in text
    assert (
        "To meet it: SP4 needs practice evidence: a record, data or feedback dated within" in text
    )
    assert "Listed, but does not count: EV-dpia-case-system (its location cannot be found)" in text
    assert text.count("SP4 needs practice evidence") == 1  # not repeated under the reasons
    assert 'aria-hidden="true">☐</span><strong>Not met:</strong>' in sp4


def test_checklist_takes_what_would_meet_it_from_the_reasons() -> None:
    """From a report (no config) the reason core wrote is used, whatever evidence age it names."""
    from llcompliance.core.explain import checklist

    standard = {
        "id": "SP6",
        "reasons": ["SP6 needs practice evidence: a record, data or feedback dated within "
                    "6 months, e.g. a case-file audit"],
        "requirements": [{"kinds": ["record", "data", "feedback"], "met": False, "ids": []}],
        "evidence": [
            {"id": "EV-old", "evidence_kind": "record", "counts": False, "state": "ok",
             "problems": ["stale"]},
        ],
    }  # fmt: skip
    [item] = checklist(standard)
    assert item["needs"] == standard["reasons"][0]
    assert item["has"] == [{"id": "EV-old", "why": "too old to count"}]  # no date given
    standard["reasons"] = []  # a hand-edited report: the default evidence age
    assert "dated within 12 months" in checklist(standard)[0]["needs"]


def test_tile_macro_counts_requirements_met(demo_built: Any) -> None:
    """The overview tile (a macro the report page can use) says how many requirements are met."""
    from llcompliance.render import html as html_module
    from llcompliance.render.templating import environment

    raw = json.loads((demo_built.report_dir / "readiness.json").read_text(encoding="utf-8"))
    sp4 = next(s for s in raw["standards"] if s["id"] == "SP4")
    macros = (
        environment()
        .get_template("standard.html.j2")
        .make_module({"looks": html_module.LOOKS, "checklist": html_module.checklist})
    )
    tile = str(macros.tile(sp4))  # type: ignore[attr-defined]
    assert "1 of 2 requirements met" in tile and "Needs attention" in tile
