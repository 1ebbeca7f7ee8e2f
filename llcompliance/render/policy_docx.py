"""A policy's Markdown as a Word file, as a service would keep it: the demo's Word source for
`import` (headings, paragraphs, bulleted and numbered lists, tables, bold, italic and links)."""

from __future__ import annotations

import io
import re
from typing import Any

_INLINE = re.compile(
    r"\*\*(?P<bold>.+?)\*\*|\*(?P<italic>[^*]+?)\*|\[(?P<text>[^\]]+)\]\((?P<href>[^)]+)\)"
)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_NUMBER = re.compile(r"^\d+\.\s+(.*)$")
_RULE_ROW = re.compile(r"^\|?\s*:?-{3,}")


def markdown_to_docx(markdown: str) -> bytes:
    """The Word bytes of a Markdown policy body (the subset policies use)."""
    import docx

    document = docx.Document()
    blocks = _blocks(markdown)
    for kind, lines in blocks:
        if kind == "heading":
            match = _HEADING.match(lines[0])
            assert match is not None
            document.add_heading(match.group(2), level=len(match.group(1)))
        elif kind == "table":
            rows = [
                [cell.strip() for cell in line.strip().strip("|").split("|")]
                for line in lines
                if not _RULE_ROW.match(line.strip())
            ]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            for cells, row in zip(table.rows, rows, strict=True):
                for cell, text in zip(cells.cells, row, strict=False):
                    _inline(cell.paragraphs[0], text)
        else:
            style = {"bullet": "List Bullet", "number": "List Number"}.get(kind)
            _inline(document.add_paragraph(style=style), " ".join(lines))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _blocks(markdown: str) -> list[tuple[str, list[str]]]:
    """(kind, lines) for each heading, paragraph, list item and table."""
    blocks: list[tuple[str, list[str]]] = []
    for line in markdown.split("\n"):
        stripped = line.strip()
        previous = blocks[-1] if blocks else None
        if not stripped:
            blocks.append(("blank", []))
        elif _HEADING.match(stripped):
            blocks.append(("heading", [stripped]))
        elif stripped.startswith("|"):
            if previous and previous[0] == "table":
                previous[1].append(stripped)
            else:
                blocks.append(("table", [stripped]))
        elif match := _BULLET.match(stripped):
            blocks.append(("bullet", [match.group(1)]))
        elif match := _NUMBER.match(stripped):
            blocks.append(("number", [match.group(1)]))
        elif previous and previous[0] in ("paragraph", "bullet", "number"):
            previous[1].append(stripped)  # a wrapped line continues its paragraph or list item
        else:
            blocks.append(("paragraph", [stripped]))
    return [block for block in blocks if block[0] != "blank"]


def _inline(paragraph: Any, text: str) -> None:
    """Runs for plain, **bold** and *italic* text, and real hyperlinks for [text](href)."""
    at = 0
    for match in _INLINE.finditer(text):
        if match.start() > at:
            paragraph.add_run(text[at : match.start()])
        if match.group("bold"):
            paragraph.add_run(match.group("bold")).bold = True
        elif match.group("italic"):
            paragraph.add_run(match.group("italic")).italic = True
        else:
            _hyperlink(paragraph, match.group("text"), match.group("href"))
        at = match.end()
    if at < len(text):
        paragraph.add_run(text[at:])


def _hyperlink(paragraph: Any, text: str, href: str) -> None:
    # python-docx has no hyperlink API: a w:hyperlink element pointing at a relationship.
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t")
    run_text.text = text
    run_text.set(qn("xml:space"), "preserve")
    run.append(run_text)
    link.append(run)
    paragraph._p.append(link)
