"""readiness.docx: the self-assessment dossier in Word, built from the report dict (python-docx).

Real Word styles throughout (Title, Heading 1–3 for the Navigation pane, List Bullet, Quote,
Table Grid), a table of contents field, page numbers in the footer, A4 pages. The narrative's
Markdown becomes Word headings, lists and emphasis from markdown-it's tokens, never raw text.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from llcompliance.adapters.markdown import parser
from llcompliance.core.explain import checklist, other_reasons
from llcompliance.render.explain import not_counting, to_meet
from llcompliance.render.markdown import is_safe_url
from llcompliance.render.ooxml import (
    AUTHOR,
    core_xml,
    item_date,
    kind_of,
    long_date,
    reproducible_zip,
    xml_text,
)
from llcompliance.render.readiness_md import framework_name
from llcompliance.render.states import LOOKS

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph
    from markdown_it.token import Token

EVIDENCE_COLUMNS = ("Id", "Title", "Kind", "Owner", "Date", "Review due", "Where it is")
# Widths in centimetres for A4 portrait with 2 cm margins (17 cm of text).
_EVIDENCE_WIDTHS = (2.8, 3.2, 1.9, 1.9, 1.9, 1.9, 3.4)
_MONO = "Courier New"
_NOT_ACCREDITATION = (
    "This dossier is the service's own self-assessed readiness, made by llcompliance from the "
    "evidence in its repository. It is not an accreditation decision: only the accrediting "
    "body's assessors decide that."
)


def _style(doc: Any, name: str) -> Any:
    """A style object by name, looked up once per document: python-docx searches every style by
    name on each use, which made a dossier take seconds."""
    found: dict[str, Any] = doc.__dict__.setdefault("_llcompliance_styles", {})
    if name not in found:
        found[name] = doc.styles[name]
    return found[name]


def _para(doc: Any, name: str, text: str = "") -> Any:
    """A new paragraph in style `name`, set by id: python-docx's own `style=` compares every
    style with the default on each call, which made a dossier take seconds."""
    paragraph = doc.add_paragraph(text)
    if name != "Normal":
        paragraph._p.style = _style(doc, name).style_id
    return paragraph


def docx_bytes(data: dict[str, Any]) -> bytes:
    """readiness.docx from the report dict (already masked by build): the same dict and as_of
    give the same bytes."""
    from docx import Document as new_document

    doc = new_document()
    _page_setup(doc)
    _title_page(doc, data)
    _contents(doc, data)
    _summary(doc, data)
    for section in data["sections"]:
        heading = doc.add_heading(xml_text(section["title"]), level=1)
        heading.paragraph_format.page_break_before = True
        if section.get("spirit"):
            _para(doc, "Quote", xml_text(section["spirit"]))
        for std in (s for s in data["standards"] if s["section"] == section["id"]):
            _standard(doc, std)
    if data["framework"].get("attribution"):
        doc.add_paragraph()
        _small(doc.add_paragraph(), xml_text(data["framework"]["attribution"]), italic=True)
    when = dt.date.fromisoformat(data["as_of"])
    title = f"{data['service']['name']}: self-assessed readiness on {data['as_of']}"
    props = doc.core_properties
    props.author = props.last_modified_by = AUTHOR
    props.title = xml_text(title)
    props.created = props.modified = dt.datetime(when.year, when.month, when.day)
    _slim(doc)
    out = io.BytesIO()
    doc.save(out)
    subject = f"{framework_name(data)} self-assessment dossier"
    return reproducible_zip(out.getvalue(), when, core_xml(title, subject, when))


def _slim(doc: Document) -> None:
    """Drop what python-docx's template carries but the dossier never uses: its thumbnail (a
    preview of another document), the Word 2010 styles copy and unused table styles (most of
    the file's size, which matters because parts are stored uncompressed)."""
    from docx.oxml.ns import qn

    package = doc.part.package
    for rels in (package.rels, doc.part.rels):
        for rel_id, rel in list(rels.items()):
            if rel.reltype.endswith(("/thumbnail", "/stylesWithEffects")):
                del rels[rel_id]
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        keep = style.get(qn("w:styleId")) == "TableGrid" or style.get(qn("w:default")) == "1"
        if style.get(qn("w:type")) == "table" and not keep:
            styles.remove(style)


def _page_setup(doc: Document) -> None:
    """A4 portrait, 2 cm margins, a footer with page numbers (none on the title page)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    section.different_first_page_header_footer = True
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) with `shown` as its text until Word updates it."""
    _field_char(paragraph, "begin")
    _instruction(paragraph, instruction)
    _field_char(paragraph, "separate")
    paragraph.add_run(shown)
    _field_char(paragraph, "end")


def _field_char(paragraph: Paragraph, kind: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def _instruction(paragraph: Paragraph, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    paragraph.add_run()._r.append(text)


def _small(paragraph: Paragraph, text: str, *, italic: bool = False, bold: bool = False) -> None:
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.size = Pt(9)
    run.italic = italic or None
    run.bold = bold or None


def _title_page(doc: Document, data: dict[str, Any]) -> None:
    """Service, framework, as-of date, commit, and plainly: self-assessed, not accreditation."""
    from docx.enum.text import WD_BREAK

    framework = data["framework"]
    summary = data["summary"]
    _para(doc, "Title", xml_text(data["service"]["name"]))
    _para(doc, "Subtitle", xml_text(f"{framework_name(data)}: self-assessed readiness"))
    facts = [
        ("Organisation", data["service"].get("organisation") or ""),
        ("Framework", f"{framework['title']} ({framework['id']} {framework['version']})"),
        ("As of", long_date(data["as_of"])),
        ("Evidence at commit", data["source"]["commit"]),
        (
            "Summary",
            f"{summary['ready']} of {summary['total']} standards ready, "
            f"{summary['attention']} need attention, {summary['gap']} "
            f"gap{'s' * (summary['gap'] != 1)}",
        ),
    ]
    for label, value in facts:
        if not value:
            continue
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(xml_text(value))
    _para(doc, "Intense Quote", _NOT_ACCREDITATION)
    _small(
        doc.add_paragraph(),
        f"Made by llcompliance {xml_text(data['tool']['version'])} from the readiness report "
        "data; the signed readiness.json beside it is the record an assessor verifies.",
        italic=True,
    )
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def _contents(doc: Document, data: dict[str, Any]) -> None:
    """A TOC field over Heading 1–3, filled with the headings so it reads before Word updates it
    (right-click > Update Field adds page numbers)."""
    from docx.shared import Cm

    _para(doc, "TOC Heading", "Contents")
    _small(
        doc.add_paragraph(),
        "In Word, right-click the list and choose Update Field to add page numbers.",
        italic=True,
    )
    entries = [("Summary", 0)]
    for section in data["sections"]:
        entries.append((section["title"], 0))
        entries += [
            (f"{s['id']} {s['title']}", 1)
            for s in data["standards"]
            if s["section"] == section["id"]
        ]
    for index, (text, level) in enumerate(entries):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.8 * level)
        paragraph.paragraph_format.space_after = 0
        if index == 0:
            _field_char(paragraph, "begin")
            _instruction(paragraph, 'TOC \\o "1-3" \\h \\z \\u')
            _field_char(paragraph, "separate")
        paragraph.add_run(xml_text(text))
        if index == len(entries) - 1:
            _field_char(paragraph, "end")


def _summary(doc: Document, data: dict[str, Any]) -> None:
    """Counts by section, then every standard's state in one table."""
    heading = doc.add_heading("Summary", level=1)
    heading.paragraph_format.page_break_before = True
    summary = data["summary"]
    doc.add_paragraph(
        f"{summary['ready']} of {summary['total']} standards are self-assessed as ready on "
        f"{long_date(data['as_of'])}."
    )
    rows = [
        [s["title"], s["ready"], s["attention"], s["gap"], s["total"]] for s in data["sections"]
    ]
    rows.append(["All sections", summary["ready"], summary["attention"], summary["gap"]])
    rows[-1].append(summary["total"])
    _table(
        doc,
        ("Section", "Ready", "Needs attention", "Gap", "Total"),
        rows,
        widths=(6.2, 2.5, 3.5, 2.4, 2.4),
    )
    doc.add_paragraph()
    _table(
        doc,
        ("Standard", "Title", "State"),
        [[s["id"], s["title"], _state_words(s["state"])] for s in data["standards"]],
        widths=(2.2, 10.3, 4.5),
    )
    doc.add_paragraph()
    for look in LOOKS.values():
        paragraph = _para(doc, "List Bullet")
        paragraph.add_run(f"{look.mark} {look.label}: ").bold = True
        paragraph.add_run(look.meaning)


def _state_words(state: str) -> str:
    look = LOOKS.get(state)
    return f"{look.mark} {look.label}" if look else xml_text(state)


def _standard(doc: Document, std: dict[str, Any]) -> None:
    """One standard: statement, state and reasons, requirements, narrative, evidence table."""
    doc.add_heading(xml_text(f"{std['id']} {std['title']}"), level=2)
    if std.get("statement"):
        label = doc.add_paragraph()
        label.add_run("The standard").bold = True
        label.paragraph_format.keep_with_next = True
        _para(doc, "Quote", xml_text(std["statement"]))
    state = doc.add_paragraph()
    state.add_run("State: ").bold = True
    state.add_run(_state_words(std["state"]))
    state.add_run(f" (self-assessed status: {xml_text(std.get('status') or 'none')})")
    look = LOOKS.get(std["state"])
    items = checklist(std)  # empty for a report made before requirement groups were reported
    reasons = other_reasons(std, items)  # less what the checklist below says to do
    if reasons:
        if look:
            heading = doc.add_paragraph()
            heading.add_run(look.reason_heading).bold = True
            heading.paragraph_format.keep_with_next = True
        for reason in reasons:
            _para(doc, "List Bullet", xml_text(reason))
    if items:
        doc.add_heading("Requirements", level=3)
        for item in items:
            # the words say met or not: the box is for the eye, never alone
            paragraph = _para(doc, "List Continue")
            paragraph.add_run("☑ met: " if item["met"] else "☐ not met: ").bold = True
            ids = ", ".join(item["ids"])
            paragraph.add_run(xml_text(f"{item['what']} — {ids}" if ids else item["what"]))
            if item["needs"]:
                _para(doc, "List Continue 2", xml_text(to_meet(item)))
            for have in item["has"]:
                _para(doc, "List Continue 2", xml_text(not_counting(have)))
    doc.add_heading("How we meet it", level=3)
    if str(std.get("narrative") or "").strip():
        _Narrative(doc, heading_shift=3).render(str(std["narrative"]))
    else:
        doc.add_paragraph().add_run("No narrative yet.").italic = True
    doc.add_heading("Evidence", level=3)
    evidence = std.get("evidence") or []
    if not evidence:
        doc.add_paragraph().add_run("No evidence lists this standard yet.").italic = True
        return
    _table(doc, EVIDENCE_COLUMNS, [_evidence_row(e) for e in evidence], widths=_EVIDENCE_WIDTHS)


def _evidence_row(item: dict[str, Any]) -> list[object]:
    shown_id = str(item["id"])
    if item.get("state") and item["state"] != "ok":
        shown_id += f" ({item['state']})"  # why an item does not count, without colour
    return [
        shown_id,
        item.get("title") or "",
        kind_of(item),
        item.get("owner") or "—",
        item_date(item) or "—",
        item.get("review_due") or "—",
        item.get("location") or item.get("path") or "—",
    ]


def _table(
    doc: Document,
    header: tuple[str, ...],
    rows: list[list[object]],
    *,
    widths: tuple[float, ...] | None = None,
) -> None:
    """A Table Grid table: a bold, shaded header row repeated on each page, rows kept whole."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    table = doc.add_table(rows=1, cols=len(header))
    table.style = _style(doc, "Table Grid")
    if widths:
        # Word reads the cells' widths, LibreOffice the grid's: set both, and fix the layout.
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
    every: list[list[object]] = [list(header), *rows]
    for row_index, values in enumerate(every):
        row = table.rows[0] if row_index == 0 else table.add_row()
        properties = row._tr.get_or_add_trPr()
        keep = OxmlElement("w:cantSplit")
        properties.append(keep)
        if row_index == 0:
            repeat = OxmlElement("w:tblHeader")
            properties.append(repeat)
        cells = row.cells  # python-docx walks the whole row on each `.cells`: once per row
        for col, value in enumerate(values):
            cell = cells[col]
            if widths:
                cell.width = Cm(widths[col])
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(2)
            run = paragraph.add_run(xml_text(value))
            run.font.size = Pt(9)
            if row_index == 0:
                run.bold = True
                shade = OxmlElement("w:shd")
                shade.set(qn("w:val"), "clear")
                shade.set(qn("w:fill"), "D9D9D9")
                cell._tc.get_or_add_tcPr().append(shade)


class _Narrative:
    """Renders "how we meet it" Markdown as Word paragraphs with real styles."""

    def __init__(self, doc: Document, *, heading_shift: int) -> None:
        self.doc = doc
        self.shift = heading_shift
        self.lists: list[list[int]] = []  # per open list: [ordered?, next number]
        self.item_start = False  # the next paragraph opens a list item
        self.quote = 0

    def render(self, text: str) -> None:
        """Add the paragraphs, headings, lists, quotes, code and tables of `text`."""
        tokens = parser().parse(text)
        index = 0
        while index < len(tokens):
            index = self._block(tokens, index)

    def _block(self, tokens: list[Token], index: int) -> int:
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            level = min(int(token.tag[1:]) + self.shift, 9)
            paragraph = _para(self.doc, f"Heading {level}")
            self._inline(paragraph, tokens[index + 1])
            return index + 3
        if kind == "paragraph_open":
            paragraph = _para(self.doc, self._paragraph_style())
            if self.lists and self.item_start and self.lists[-1][0]:
                paragraph.add_run(f"{self.lists[-1][1]}. ")
                self.lists[-1][1] += 1
            self.item_start = False
            self._inline(paragraph, tokens[index + 1])
            return index + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = token.attrGet("start")
            first = int(start) if isinstance(start, int | str) and str(start).isdigit() else 1
            self.lists.append([int(kind == "ordered_list_open"), first])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            self.item_start = True
        elif kind == "blockquote_open":
            self.quote += 1
        elif kind == "blockquote_close":
            self.quote -= 1
        elif kind in ("fence", "code_block"):
            self._code(token.content)
        elif kind == "hr":
            from docx.enum.text import WD_ALIGN_PARAGRAPH

            self.doc.add_paragraph("* * *").alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "table_open":
            return self._md_table(tokens, index)
        return index + 1

    def _paragraph_style(self) -> str:
        if self.lists:
            depth = min(len(self.lists), 3)
            suffix = "" if depth == 1 else f" {depth}"
            if self.item_start and not self.lists[-1][0]:
                return f"List Bullet{suffix}"
            # Numbers are written out: python-docx's List Number never restarts between lists.
            return f"List Continue{suffix}"
        return "Quote" if self.quote else "Normal"

    def _code(self, content: str) -> None:
        from docx.shared import Pt

        paragraph = _para(self.doc, self._paragraph_style())
        lines = content.rstrip("\n").split("\n")
        for number, line in enumerate(lines):
            run = paragraph.add_run(xml_text(line))
            run.font.name = _MONO
            run.font.size = Pt(9)
            if number < len(lines) - 1:
                run.add_break()

    def _inline(self, paragraph: Paragraph, inline: Token) -> None:
        """Runs for text, bold, italic, code, breaks and links (the address after the words)."""
        from docx.shared import Pt

        bold = italic = 0
        href: str | None = None
        label = ""
        for child in inline.children or []:
            kind = child.type
            if kind in ("text", "code_inline", "image"):
                text = child.content
                if kind == "image":
                    text = f"[Image: {child.content or 'image'}]"
                run = paragraph.add_run(xml_text(text))
                run.bold = bold > 0 or None
                run.italic = italic > 0 or None
                if kind == "code_inline":
                    run.font.name = _MONO
                    run.font.size = Pt(10)
                if href is not None:
                    label += text
            elif kind == "softbreak":
                paragraph.add_run(" ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break()
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                target = child.attrGet("href")
                href, label = (target if isinstance(target, str) else ""), ""
            elif kind == "link_close":
                # Printed dossiers cannot be clicked: show where a link goes, if it is safe.
                if href and href != label and is_safe_url(href):
                    paragraph.add_run(xml_text(f" ({href})"))
                href = None

    def _md_table(self, tokens: list[Token], index: int) -> int:
        rows: list[list[object]] = []
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline":
                rows[-1].append(
                    "".join(
                        c.content if c.type != "softbreak" else " " for c in token.children or []
                    )
                )
            index += 1
        if rows:
            width = max(len(r) for r in rows)
            padded = [r + [""] * (width - len(r)) for r in rows]
            _table(self.doc, tuple(str(v) for v in padded[0]), padded[1:])
        return index + 1
